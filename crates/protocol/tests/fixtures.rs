#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The outside payloads in `fixtures/` at the repository root (taken from other projects' test suites), fed to
//! the parsers unchanged.

use std::path::PathBuf;

use protocol::kakao::SkillRequest;
use protocol::naver::{Event, ProfileResult, parse_event};
use serde_json::{Map, Value, json};

fn fixture(rel: &str) -> (PathBuf, Vec<u8>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel);
    match std::fs::read(&path) {
        Ok(bytes) => (path, bytes),
        Err(e) => panic!(
            "fixture {} is missing ({e}): it belongs in fixtures/ at the repository root",
            path.display()
        ),
    }
}

/// A fixture file is one JSON object: test name → payload.
fn payloads(rel: &str) -> Map<String, Value> {
    let (path, bytes) = fixture(rel);
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(m)) if !m.is_empty() => m,
        other => panic!(
            "fixture {} is not a non-empty JSON object: {other:?}",
            path.display()
        ),
    }
}

#[test]
fn kakao_fixture_request() {
    let all = payloads("kakao/kakao_chatbot_templates_requests.json");
    let key = "request.test.chatbotRequestJSONSample";
    let payload = all
        .get(key)
        .unwrap_or_else(|| panic!("the kakao fixture has no {key:?}: {:?}", all.keys()));
    // As bytes, the way the server receives it.
    let r = SkillRequest::from_slice(payload.to_string().as_bytes()).unwrap();

    let user_key = "226f81aef15e8f5890425bbeaa5978d54dfc98fadcaa076ed1f";
    assert_eq!(r.user_key(), Some(user_key));
    assert!(user_key.chars().count() <= 70);
    assert_eq!(r.user_request.user.kind.as_deref(), Some("botUserKey"));
    // Both spellings are in the fixture; both must be read, and they agree.
    let props = &r.user_request.user.properties;
    assert_eq!(props.bot_user_key_camel.as_deref(), Some(user_key));
    assert_eq!(props.bot_user_key_snake.as_deref(), Some(user_key));
    assert_eq!(props.plusfriend_user_key_camel.as_deref(), Some("aaaaaaaa"));
    assert_eq!(props.plusfriend_user_key_snake.as_deref(), Some("aaaaaaaa"));
    assert_eq!(r.plusfriend_user_key(), Some("aaaaaaaa"));
    assert_eq!(r.app_user_id(), Some("1234567"));
    assert!(r.is_friend());
    assert_eq!(props.other.get("accountId"), Some(&json!("123456")));

    assert!(r.is_development_bot());
    assert_eq!(r.bot.id.as_deref(), Some("5ae9b76d7409b11ec845b746!"));
    assert_eq!(r.bot.name.as_deref(), Some("테스트챗봇"));
    assert_eq!(r.utterance(), "aaa");
    assert_eq!(r.lang(), Some("ko"));
    assert_eq!(r.user_request.timezone.as_deref(), Some("Asia/Seoul"));
    assert!(!r.is_test_console());
    assert_eq!(r.surface(), Some("Kakaotalk.plusfriend"));
    assert_eq!(
        r.callback_url(),
        Some(
            "https://bot-api.kakao.com/v1/bots/5ae9b76d7409b11ec845b746!/callback/\
             -damddEwVMRHufi6uUr63Ir7veOUGTFaiVhcOWTOhijyBuCT-v4vu6V32YmyF8ZNqI8K7kn_tKY0"
        )
    );
    assert_eq!(r.intent.name.as_deref(), Some("폴백 블록"));
    assert_eq!(r.intent.extra["reason"]["message"], "OK");
    assert!(r.matched_knowledges().is_empty());
    assert_eq!(
        r.user_request.block.as_ref().and_then(|b| b.id.as_deref()),
        Some("5d300e788192ac000132b8a4")
    );
    assert_eq!(r.action.name.as_deref(), Some("기본 스킬"));
    assert_eq!(r.param("skillIntentCode"), Some("testIntent"));
    // detailParams name a parameter (intent_code) that params do not carry.
    assert_eq!(
        r.action.detail_params["intent_code"].origin.as_deref(),
        Some("test_intent")
    );
    assert_eq!(r.sys_entity("intent_code"), Some(json!("test_intent")));
    assert!(r.contexts.is_empty());
    assert_eq!(r.flow, None);
    assert_eq!(
        r.parameter_pairs(),
        vec![
            ("skillIntentCode".to_owned(), "testIntent".to_owned()),
            ("surface".to_owned(), "Kakaotalk.plusfriend".to_owned()),
        ]
    );
    // Every key of the fixture file was looked at.
    assert_eq!(all.len(), 1, "new kakao fixtures: {:?}", all.keys());
}

/// What each naver fixture must map to.
fn check_naver(name: &str, e: &Event) {
    let user = Some("test_user_id");
    match name {
        "test_webhook_handler.test_open_event" => {
            let Event::Open {
                user: u,
                options,
                standby,
            } = e
            else {
                panic!("{name}: {e:?}")
            };
            assert_eq!(u, "test_user_id");
            assert!(!standby);
            assert_eq!(options.inflow.as_deref(), Some("list"));
            assert_eq!(options.referer.as_deref(), Some("https://example.com"));
            assert_eq!(options.friend, Some(true));
            assert_eq!(options.under14, Some(false));
            assert_eq!(options.under19, Some(false));
            assert_eq!(options.from, None);
            assert_eq!(options.unread_message, None);
        }
        "test_webhook_handler.test_leave_event" | "test_webhook_handler.test_before_proccess" => {
            assert!(
                matches!(e, Event::Leave { standby: false, .. }),
                "{name}: {e:?}"
            );
            assert_eq!(e.user(), user);
        }
        "test_webhook_handler.test_friend_event" => {
            let Event::Friend { options, .. } = e else {
                panic!("{name}: {e:?}")
            };
            assert!(options.is_on());
            assert_eq!(e.user(), user);
        }
        "test_webhook_handler.test_send_event_text" | "test_webhook_handler.test_callback" => {
            let Event::Send {
                text_content: Some(t),
                standby: false,
                ..
            } = e
            else {
                panic!("{name}: {e:?}")
            };
            assert_eq!(e.user(), user);
            assert_eq!(e.text(), Some("test_text"));
            assert_eq!(t.code.as_deref(), Some("test_code"));
            assert_eq!(t.input_type.as_deref(), Some("typing"));
        }
        "test_webhook_handler.test_send_event_image" => {
            assert_eq!(e.user(), user);
            assert_eq!(e.text(), None);
            assert_eq!(e.image_url(), Some("https://test.image.jpg"));
        }
        "test_webhook_handler.test_echo_event" => {
            // An echo carrying text, image and (empty) composite content at once.
            let Event::Echo {
                partner,
                echoed_event,
                text_content,
                image_content,
                composite_content,
                options,
                ..
            } = e
            else {
                panic!("{name}: {e:?}")
            };
            assert_eq!(e.user(), user);
            assert_eq!(e.text(), None, "an echo is not the user's text");
            assert_eq!(partner.as_deref(), Some("testyo"));
            assert_eq!(echoed_event.as_deref(), Some("send"));
            assert_eq!(
                text_content.as_ref().and_then(|t| t.text.as_deref()),
                Some("text_from_test")
            );
            assert_eq!(
                image_content.as_ref().and_then(|i| i.image_url.as_deref()),
                Some("https://example_image.png")
            );
            assert_eq!(
                composite_content.as_ref().map(|c| c.composite_list.len()),
                Some(0)
            );
            assert_eq!(options.mobile, Some(false));
        }
        "test_webhook_handler.test_profile_event" => {
            let Event::Profile { options, .. } = e else {
                panic!("{name}: {e:?}")
            };
            assert_eq!(e.user(), user);
            assert_eq!(options.nickname.as_deref(), Some("test_won_yo"));
            assert_eq!(options.cellphone.as_deref(), Some("01012345678"));
            assert_eq!(
                options
                    .address
                    .as_ref()
                    .and_then(|a| a.road_addr.as_deref()),
                Some("Seoul")
            );
            assert_eq!(options.result(), Some(ProfileResult::Success));
        }
        "test_webhook_handler.test_pay_complete_event" => {
            let Event::PayComplete { options, .. } = e else {
                panic!("{name}: {e:?}")
            };
            assert_eq!(e.user(), user);
            assert_eq!(options["paymentResult"]["paymentId"], "test-payment-id");
        }
        "test_webhook_handler.test_pay_confirm_event" => {
            let Event::PayConfirm { options, .. } = e else {
                panic!("{name}: {e:?}")
            };
            assert_eq!(e.user(), user);
            assert_eq!(options["paymentConfirmResult"]["message"], "test_message");
        }
        "test_webhook_handler.test_handover_event" => {
            let Event::Handover {
                partner, options, ..
            } = e
            else {
                panic!("{name}: {e:?}")
            };
            assert_eq!(e.user(), Some("test_user"));
            assert_eq!(partner.as_deref(), Some("wc1234"));
            assert_eq!(options.control.as_deref(), Some("passThread"));
            assert_eq!(
                options.metadata_json(),
                Some(json!({"managerNickname": "파트너닉네임", "autoEnd": false}))
            );
        }
        "test_webhook_handler.test_standby_true" => {
            assert!(e.is_standby());
            assert_eq!(e.user(), user);
            assert_eq!(e.text(), Some("test_text"));
            let Event::Send { options, .. } = e else {
                panic!("{name}: {e:?}")
            };
            assert_eq!(options.get("mobile"), Some(&json!(false)));
        }
        "test_webhook_handler.test_unknown_event" => {
            // No user at all: still accepted, as an unknown event.
            let Event::Unknown { event, user, raw } = e else {
                panic!("{name}: {e:?}")
            };
            assert_eq!(event, "unknown");
            assert_eq!(user, &None);
            assert_eq!(raw, &json!({"event": "unknown"}));
        }
        other => panic!("new naver fixture {other:?}: add what it must map to"),
    }
}

#[test]
fn naver_fixture_events() {
    let all = payloads("naver/naver_talk_sdk_events.json");
    for (name, payload) in &all {
        let body = payload.to_string();
        let e = parse_event(body.as_bytes())
            .unwrap_or_else(|err| panic!("{name}: refused ({err}): {body}"));
        check_naver(name, &e);
        // Serde directly agrees.
        let via_serde: Event = serde_json::from_str(&body).unwrap();
        assert_eq!(via_serde, e, "{name}");
    }
    assert_eq!(all.len(), 14, "keys: {:?}", all.keys());
}
