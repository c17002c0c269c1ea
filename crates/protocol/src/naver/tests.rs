//! Hand-written webhook events for every variant `PROTOCOLS.md` §3 lists, and the send API's
//! bodies and limits.

use serde_json::{Value, json};

use super::*;
use crate::LimitKind;

const USER: &str = "al-2eGuGr5WQOnco1_V-FQ";

fn ev(v: Value) -> Event {
    parse_event(v.to_string().as_bytes()).unwrap()
}

#[test]
fn open_with_every_option() {
    let e = ev(json!({"event": "open", "user": USER,
        "options": {"inflow": "button", "referer": "https://shop.example/p?x=1", "from": "309672359",
                    "friend": false, "under14": false, "under19": true, "unreadMessage": true}}));
    assert_eq!(e.name(), "open");
    assert_eq!(e.user(), Some(USER));
    assert!(!e.is_standby());
    assert_eq!(e.text(), None);
    let Event::Open { options, .. } = e else {
        panic!("not open: {e:?}")
    };
    assert_eq!(
        options,
        OpenOptions {
            inflow: Some("button".into()),
            referer: Some("https://shop.example/p?x=1".into()),
            from: Some("309672359".into()),
            friend: Some(false),
            under14: Some(false),
            under19: Some(true),
            unread_message: Some(true),
        }
    );
}

#[test]
fn open_tolerates_mistyped_and_missing_options() {
    let e = ev(json!({"event": "open", "user": USER,
        "options": {"inflow": "none", "from": 309672359, "friend": "true", "newOption": [1]}}));
    let Event::Open { options, .. } = e else {
        panic!("not open")
    };
    assert_eq!(options.from.as_deref(), Some("309672359"));
    assert_eq!(options.friend, Some(true));
    assert_eq!(options.referer, None);
    let e = ev(json!({"event": "open", "user": USER}));
    assert_eq!(
        e,
        Event::Open {
            user: USER.into(),
            options: OpenOptions::default(),
            standby: false
        }
    );
}

#[test]
fn send_text_image_and_composite() {
    let e = ev(json!({"event": "send", "user": USER,
        "textContent": {"text": "hello", "code": "BTN_1", "inputType": "button"}}));
    assert_eq!(e.text(), Some("hello"));
    assert_eq!(e.image_url(), None);
    let Event::Send {
        text_content: Some(t),
        ..
    } = &e
    else {
        panic!("not a text send")
    };
    assert_eq!(t.code.as_deref(), Some("BTN_1"));
    assert_eq!(t.input_type.as_deref(), Some("button"));

    let e = ev(
        json!({"event": "send", "user": USER, "imageContent": {"imageUrl": "https://img/1.jpg"}}),
    );
    assert_eq!(e.text(), None);
    assert_eq!(e.image_url(), Some("https://img/1.jpg"));

    let e = ev(json!({"event": "send", "user": USER,
        "compositeContent": {"compositeList": [{"title": "카드"}]}}));
    let Event::Send {
        composite_content: Some(c),
        ..
    } = &e
    else {
        panic!("not a composite send")
    };
    assert_eq!(c.composite_list, vec![json!({"title": "카드"})]);
    // A list where a record belongs is not read positionally.
    let e = ev(json!({"event": "send", "user": USER, "textContent": ["hello", "code"]}));
    assert_eq!(e.text(), None);
    for input in ["typing", "sticker", "vphone", "product"] {
        let e = ev(
            json!({"event": "send", "user": USER, "textContent": {"text": "t", "inputType": input}}),
        );
        assert_eq!(e.text(), Some("t"));
    }
}

#[test]
fn standby_true_is_seen() {
    let e = ev(
        json!({"standby": true, "event": "send", "user": USER, "textContent": {"text": "agent has it"}}),
    );
    assert!(e.is_standby());
    assert_eq!(e.text(), Some("agent has it"));
    assert!(!ev(json!({"event": "send", "user": USER, "standby": false})).is_standby());
    assert!(ev(json!({"event": "open", "user": USER, "standby": true})).is_standby());
    assert!(ev(json!({"event": "leave", "user": USER, "standby": true})).is_standby());
    assert!(ev(json!({"event": "brand_new", "user": USER, "standby": true})).is_standby());
}

#[test]
fn leave_and_friend() {
    assert_eq!(
        ev(json!({"event": "leave", "user": USER})),
        Event::Leave {
            user: USER.into(),
            standby: false
        }
    );
    let Event::Friend { options, .. } =
        ev(json!({"event": "friend", "user": USER, "options": {"set": "on"}}))
    else {
        panic!("not friend")
    };
    assert!(options.is_on());
    let Event::Friend { options, .. } =
        ev(json!({"event": "friend", "user": USER, "options": {"set": "off"}}))
    else {
        panic!("not friend")
    };
    assert!(!options.is_on());
}

#[test]
fn echo_is_not_the_users_text() {
    let e = ev(
        json!({"event": "echo", "echoedEvent": "send", "user": USER, "partner": "wc8b1i",
        "textContent": {"text": "상담원이 보낸 말"},
        "options": {"mobile": false, "sourceId": 1, "threadOwnerId": 1}}),
    );
    assert_eq!(e.user(), Some(USER));
    assert_eq!(e.text(), None);
    let Event::Echo {
        partner,
        echoed_event,
        text_content,
        options,
        ..
    } = e
    else {
        panic!("not echo")
    };
    assert_eq!(partner.as_deref(), Some("wc8b1i"));
    assert_eq!(echoed_event.as_deref(), Some("send"));
    assert_eq!(
        text_content.and_then(|t| t.text).as_deref(),
        Some("상담원이 보낸 말")
    );
    assert_eq!(
        options,
        EchoOptions {
            mobile: Some(false),
            source_id: Some(1),
            thread_owner_id: Some(1)
        }
    );
}

#[test]
fn profile_results_including_withdraw() {
    let e = ev(json!({"event": "profile", "user": USER,
        "options": {"nickname": "홍길동", "cellphone": "01012341234",
                    "address": {"roadAddr": "서울시 중구", "detailAddr": "1층", "zipCode": "04524"},
                    "result": "SUCCESS"}}));
    let Event::Profile { options, .. } = e else {
        panic!("not profile")
    };
    assert_eq!(options.nickname.as_deref(), Some("홍길동"));
    assert_eq!(options.cellphone.as_deref(), Some("01012341234"));
    let addr = options.address.clone().unwrap();
    assert_eq!(addr.road_addr.as_deref(), Some("서울시 중구"));
    assert_eq!(addr.other.get("zipCode"), Some(&json!("04524")));
    assert_eq!(options.result(), Some(ProfileResult::Success));

    let withdraw = |result: &str| {
        let Event::Profile { options, .. } =
            ev(json!({"event": "profile", "user": USER, "options": {"result": result}}))
        else {
            panic!("not profile")
        };
        options
    };
    let w = withdraw("WITHDRAW");
    assert_eq!(w.result(), Some(ProfileResult::Withdraw));
    assert_eq!(w.nickname, None);
    assert_eq!(withdraw("DISAGREE").result(), Some(ProfileResult::Disagree));
    assert_eq!(withdraw("CANCEL").result(), Some(ProfileResult::Cancel));
    assert_eq!(
        withdraw("LATER").result(),
        Some(ProfileResult::Other("LATER".into()))
    );
    // An address sent as a bare string is the road address.
    let Event::Profile { options, .. } =
        ev(json!({"event": "profile", "user": USER, "options": {"address": "부산시"}}))
    else {
        panic!("not profile")
    };
    assert_eq!(
        options.address.and_then(|a| a.road_addr).as_deref(),
        Some("부산시")
    );
}

#[test]
fn handover_with_json_metadata() {
    let e = ev(
        json!({"event": "handover", "user": USER, "partner": "wc1234",
        "options": {"control": "passThread", "metadata": "{\"managerNickname\":\"김상담\",\"autoEnd\":false}"}}),
    );
    let Event::Handover {
        partner, options, ..
    } = e
    else {
        panic!("not handover")
    };
    assert_eq!(partner.as_deref(), Some("wc1234"));
    assert_eq!(options.control.as_deref(), Some("passThread"));
    assert_eq!(
        options.metadata_json(),
        Some(json!({"managerNickname": "김상담", "autoEnd": false}))
    );
    let Event::Handover { options, .. } = ev(json!({"event": "handover", "user": USER,
        "options": {"control": "takeThread", "metadata": "plain words"}}))
    else {
        panic!("not handover")
    };
    assert_eq!(options.control.as_deref(), Some("takeThread"));
    assert_eq!(options.metadata_json(), None);
}

#[test]
fn payment_events_keep_their_options() {
    let opts = json!({"paymentResult": {"code": "Success", "paymentId": "p1"}});
    assert_eq!(
        ev(json!({"event": "pay_complete", "user": USER, "options": opts})),
        Event::PayComplete {
            user: USER.into(),
            options: opts.clone()
        }
    );
    assert_eq!(
        ev(json!({"event": "pay_confirm", "user": USER})).name(),
        "pay_confirm"
    );
}

#[test]
fn unknown_events_are_kept_not_refused() {
    let raw = json!({"event": "product_inquiry", "user": USER, "options": {"x": 1}});
    assert_eq!(
        ev(raw.clone()),
        Event::Unknown {
            event: "product_inquiry".into(),
            user: Some(USER.into()),
            raw
        }
    );
    // No user, no event tag, a non-string tag: still accepted.
    let e = ev(json!({"event": "unknown"}));
    assert_eq!(e.name(), "unknown");
    assert_eq!(e.user(), None);
    assert_eq!(ev(json!({})).name(), "");
    assert_eq!(ev(json!({"event": 5, "user": USER})).user(), Some(USER));
    // Serde directly gives the same.
    let e: Event = serde_json::from_str(r#"{"event":"open","user":"u","brandNew":true}"#).unwrap();
    assert_eq!(e.user(), Some("u"));
}

#[test]
fn only_bad_bodies_and_userless_known_events_fail() {
    assert!(matches!(
        parse_event(b"not json"),
        Err(NaverError::InvalidJson(_))
    ));
    assert_eq!(parse_event(b"[1]"), Err(NaverError::NotAnObject));
    assert_eq!(parse_event(b"null"), Err(NaverError::NotAnObject));
    for body in [
        json!({"event": "send", "textContent": {"text": "x"}}),
        json!({"event": "send", "user": ""}),
        json!({"event": "open", "user": 12}),
    ] {
        let err = parse_event(body.to_string().as_bytes()).unwrap_err();
        assert!(
            matches!(err, NaverError::MissingUser { .. }),
            "{body}: {err:?}"
        );
    }
    assert_eq!(
        parse_event(br#"{"event":"leave"}"#)
            .unwrap_err()
            .to_string(),
        "the \"leave\" event has no user"
    );
}

// ---------------------------------------------------------------------------------------------
// Send API bodies
// ---------------------------------------------------------------------------------------------

#[test]
fn send_bodies_have_the_documented_shape() {
    let e = SendEvent::text(USER, "안녕하세요").with_quick_replies([
        Button::text("예", Some("YES".into())),
        Button::link("주문 조회", "https://shop.example/o"),
    ]);
    e.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"event": "send", "user": USER, "textContent": {"text": "안녕하세요", "quickReply": {
        "buttonList": [
            {"type": "TEXT", "data": {"title": "예", "code": "YES"}},
            {"type": "LINK", "data": {"title": "주문 조회", "url": "https://shop.example/o"}}
        ]}}})
    );
    assert_eq!(
        serde_json::to_value(SendEvent::image(USER, "https://img/1.png")).unwrap(),
        json!({"event": "send", "user": USER, "imageContent": {"imageUrl": "https://img/1.png"}})
    );
    let back: SendEvent = serde_json::from_value(serde_json::to_value(&e).unwrap()).unwrap();
    assert_eq!(back, e);
}

#[test]
fn handover_bodies_have_the_documented_shape() {
    assert_eq!(
        serde_json::to_value(HandoverRequest::pass_thread(USER)).unwrap(),
        json!({"event": "handover", "user": USER, "options": {"control": "passThread", "targetId": 1}})
    );
    assert_eq!(
        serde_json::to_value(HandoverRequest::take_thread(USER)).unwrap(),
        json!({"event": "handover", "user": USER, "options": {"control": "takeThread"}})
    );
    assert!(HandoverRequest::pass_thread("").validate().is_err());
}

fn s(n: usize) -> String {
    "가".repeat(n)
}

fn card(buttons: usize, title: &str) -> Card {
    Card {
        title: Some("카드".into()),
        button_list: (0..buttons).map(|_| Button::text(title, None)).collect(),
        ..Default::default()
    }
}

fn quick(n: usize, title: &str) -> SendEvent {
    SendEvent::text(USER, "골라 주세요")
        .with_quick_replies((0..n).map(|_| Button::text(title, None)))
}

#[test]
fn every_send_limit_passes_at_its_bound_and_fails_one_past_it() {
    use LimitKind::*;
    let cases: Vec<(&str, SendEvent, SendEvent, &str, LimitKind)> = vec![
        (
            "text ≤ 10,000",
            SendEvent::text(USER, s(10_000)),
            SendEvent::text(USER, s(10_001)),
            "textContent.text",
            TooLong,
        ),
        (
            "user required",
            SendEvent::text(USER, "x"),
            SendEvent::text("", "x"),
            "user",
            Required,
        ),
        (
            "compositeList ≤ 10",
            SendEvent::composite(USER, vec![card(0, "a"); 10]),
            SendEvent::composite(USER, vec![card(0, "a"); 11]),
            "compositeContent.compositeList",
            TooMany,
        ),
        (
            "buttonList ≤ 10",
            SendEvent::composite(USER, vec![card(10, "a")]),
            SendEvent::composite(USER, vec![card(11, "a")]),
            "compositeContent.compositeList[0].buttonList",
            TooMany,
        ),
        (
            "button title ≤ 18",
            SendEvent::composite(USER, vec![card(1, &s(18))]),
            SendEvent::composite(USER, vec![card(1, &s(19))]),
            "compositeContent.compositeList[0].buttonList[0].data.title",
            TooLong,
        ),
        (
            "quick-reply title ≤ 10",
            quick(1, &s(10)),
            quick(1, &s(11)),
            "textContent.quickReply.buttonList[0].data.title",
            TooLong,
        ),
        (
            "quick replies ≤ 10",
            quick(10, "a"),
            quick(11, "a"),
            "textContent.quickReply.buttonList",
            TooMany,
        ),
    ];
    for (limit, ok, bad, path, kind) in cases {
        assert_eq!(ok.validate(), Ok(()), "{limit}: the passing case fails");
        let errs = bad.validate().unwrap_err();
        assert_eq!(errs.len(), 1, "{limit}: {errs:?}");
        assert_eq!(
            (errs[0].path.as_str(), errs[0].kind),
            (path, kind),
            "{limit}"
        );
    }
}

#[test]
fn naver_error_messages_are_readable() {
    assert_eq!(
        NaverError::Auth {
            message: "invalid key".into()
        }
        .to_string(),
        "Naver refused the authorization key (resultCode 01): invalid key"
    );
    assert_eq!(
        NaverError::Http(503).to_string(),
        "the send API answered HTTP 503"
    );
    let err = NaverError::Invalid(SendEvent::text(USER, s(10_001)).validate().unwrap_err());
    assert_eq!(
        err.to_string(),
        "the message breaks 1 limit(s): textContent.text: textContent.text is 10001 \
         characters; at most 10000 are allowed"
    );
    assert!(NaverError::Http(500).is_retryable());
    assert!(NaverError::Http(429).is_retryable());
    assert!(!NaverError::Http(404).is_retryable());
    assert!(
        !NaverError::BadRequest {
            message: String::new()
        }
        .is_retryable()
    );
}
