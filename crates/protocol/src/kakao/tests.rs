//! Hand-written requests for every quirk `PROTOCOLS.md` §1 lists, the JSON shape of every
//! response component, text splitting, and one passing and one failing case per limit.

use serde_json::{Value, json};

use super::*;
use crate::LimitKind;

fn req(v: Value) -> SkillRequest {
    SkillRequest::from_value(v).unwrap()
}

/// The request of PROTOCOLS.md §1, verbatim.
fn documented() -> Value {
    json!({"intent": {"id": "blk1", "name": "상담 문의", "extra": {"reason": {"code": 1, "message": "OK"}}},
     "userRequest": {"timezone": "Asia/Seoul", "params": {"surface": "Kakaotalk.plusfriend"},
       "block": {"id": "blk1", "name": "상담 문의"}, "utterance": "배송 언제 와요?", "lang": "ko",
       "callbackUrl": "https://bot-api.kakao.com/v1/bots/BOT/callback/TOKEN",
       "user": {"id": "USERKEY70", "type": "botUserKey",
                "properties": {"plusfriendUserKey": "pfkey", "appUserId": "123", "isFriend": true}}},
     "bot": {"id": "5ae9b76d7409b11ec845b746!", "name": "쇼핑봇"},
     "action": {"id": "sk1", "name": "sangdam", "params": {"sys_number": "{\"amount\": 1, \"unit\": null}"},
       "detailParams": {"sys_number": {"origin": "1", "value": "{\"amount\": 1, \"unit\": null}", "groupName": ""}},
       "clientExtra": {}},
     "contexts": [],
     "flow": {"trigger": {"type": "TEXT_INPUT"}, "lastBlock": {"id": "b0", "name": "웰컴"}}})
}

#[test]
fn documented_request_maps_every_field() {
    let r = req(documented());
    assert_eq!(r.user_key(), Some("USERKEY70"));
    assert_eq!(r.user_request.user.kind.as_deref(), Some("botUserKey"));
    assert_eq!(r.plusfriend_user_key(), Some("pfkey"));
    assert_eq!(r.app_user_id(), Some("123"));
    assert!(r.is_friend());
    assert_eq!(r.utterance(), "배송 언제 와요?");
    assert_eq!(r.lang(), Some("ko"));
    assert_eq!(r.surface(), Some("Kakaotalk.plusfriend"));
    assert!(!r.is_test_console());
    assert!(r.is_development_bot());
    assert_eq!(
        r.callback_url(),
        Some("https://bot-api.kakao.com/v1/bots/BOT/callback/TOKEN")
    );
    assert_eq!(r.user_request.timezone.as_deref(), Some("Asia/Seoul"));
    assert_eq!(
        r.user_request.block,
        Some(Block {
            id: Some("blk1".into()),
            name: Some("상담 문의".into())
        })
    );
    assert_eq!(r.intent.name.as_deref(), Some("상담 문의"));
    assert_eq!(r.intent.extra["reason"]["code"], 1);
    assert!(!r.is_knowledge_intent());
    assert!(r.matched_knowledges().is_empty());
    assert_eq!(r.bot.name.as_deref(), Some("쇼핑봇"));
    assert_eq!(r.action.name.as_deref(), Some("sangdam"));
    assert_eq!(
        r.action.detail_params["sys_number"].origin.as_deref(),
        Some("1")
    );
    let flow = r.flow.as_ref().unwrap();
    assert_eq!(flow.trigger.kind.as_deref(), Some("TEXT_INPUT"));
    assert_eq!(
        flow.last_block.as_ref().and_then(|b| b.name.as_deref()),
        Some("웰컴")
    );
    assert_eq!(
        r.sys_entity("sys_number"),
        Some(json!({"amount": 1, "unit": null}))
    );
}

#[test]
fn lang_kr_is_normalised_to_ko() {
    let with = |lang: Value| req(json!({"userRequest": {"lang": lang}}));
    assert_eq!(with(json!("kr")).lang(), Some("ko"));
    assert_eq!(with(json!("KR")).lang(), Some("ko"));
    assert_eq!(with(json!("ko")).lang(), Some("ko"));
    assert_eq!(with(json!("en")).lang(), Some("en"));
    assert_eq!(with(json!(null)).lang(), None);
    assert_eq!(req(json!({})).lang(), None);
}

#[test]
fn absent_is_friend_means_not_a_friend() {
    let props = |p: Value| req(json!({"userRequest": {"user": {"id": "u", "properties": p}}}));
    assert!(!props(json!({"plusfriendUserKey": "pf"})).is_friend());
    assert!(!props(json!({})).is_friend());
    assert!(!req(json!({})).is_friend());
    assert!(props(json!({"isFriend": true})).is_friend());
    // Never sent, but not a reason to fail.
    assert!(!props(json!({"isFriend": false})).is_friend());
    assert!(!props(json!({"isFriend": null})).is_friend());
}

#[test]
fn builder_test_console_is_recognised() {
    let r = req(json!({"userRequest": {"params": {"surface": "BuilderBotTest"}}}));
    assert!(r.is_test_console());
    assert!(
        !req(json!({"userRequest": {"params": {"surface": "Kakaotalk.plusfriend"}}}))
            .is_test_console()
    );
    assert!(!req(json!({})).is_test_console());
}

#[test]
fn development_bot_id_ends_in_bang() {
    assert!(req(json!({"bot": {"id": "abc!"}})).is_development_bot());
    assert!(!req(json!({"bot": {"id": "abc"}})).is_development_bot());
    assert!(!req(json!({})).is_development_bot());
}

#[test]
fn snake_case_duplicates_are_read_and_camel_case_wins() {
    let snake_only = req(
        json!({"userRequest": {"user": {"type": "botUserKey", "properties": {
            "plusfriend_user_key": "pf_snake", "app_user_id": "app_snake", "bot_user_key": "bot_snake"
        }}}}),
    );
    assert_eq!(snake_only.plusfriend_user_key(), Some("pf_snake"));
    assert_eq!(snake_only.app_user_id(), Some("app_snake"));
    // No user.id: the bot user key property stands in.
    assert_eq!(snake_only.user_key(), Some("bot_snake"));

    let both = req(json!({"userRequest": {"user": {"id": "", "properties": {
        "plusfriendUserKey": "pf_camel", "plusfriend_user_key": "pf_snake",
        "botUserKey": "bot_camel", "bot_user_key": "bot_snake",
        "appUserId": "", "app_user_id": "app_snake"
    }}}}));
    assert_eq!(both.plusfriend_user_key(), Some("pf_camel"));
    assert_eq!(both.user_key(), Some("bot_camel"));
    // An empty camelCase value does not hide the snake_case one.
    assert_eq!(both.app_user_id(), Some("app_snake"));
}

#[test]
fn knowledge_matches_are_read() {
    let r = req(json!({
        "intent": {"id": "k", "name": "지식+", "extra": {"knowledge": {
            "responseType": "skill",
            "matchedKnowledges": [
                {"categories": ["배송", "일정"], "question": "배송 언제 와요?",
                 "answer": "2~3일 걸려요.", "imageUrl": "https://img.example/a.png",
                 "landingUrl": "https://shop.example/faq/1"},
                {"question": "반품은?", "answer": "7일 이내", "categories": "반품"},
                "not an object"
            ]}}},
        "userRequest": {"utterance": "배송 언제 와요"}
    }));
    assert!(r.is_knowledge_intent());
    let m = r.matched_knowledges();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].categories, vec!["배송".to_owned(), "일정".to_owned()]);
    assert_eq!(m[0].question.as_deref(), Some("배송 언제 와요?"));
    assert_eq!(m[0].answer.as_deref(), Some("2~3일 걸려요."));
    assert_eq!(m[0].image_url.as_deref(), Some("https://img.example/a.png"));
    assert_eq!(
        m[0].landing_url.as_deref(),
        Some("https://shop.example/faq/1")
    );
    assert_eq!(m[1].categories, vec!["반품".to_owned()]);
    assert_eq!(m[1].image_url, None);
}

#[test]
fn system_entities_are_decoded_from_json_in_strings() {
    let r = req(json!({"action": {
        "params": {
            "sys_number": "{\"amount\": 3, \"unit\": \"개\"}",
            "sys_date": "{\"value\": \"2024-05-01\", \"userTimeZone\": \"UTC+9\", \"dateTag\": null, \"dateHeadword\": null, \"year\": null, \"month\": \"5\", \"day\": \"1\"}",
            "sys_text": "아무 말"
        },
        "detailParams": {
            "sys_plugin_date": {"origin": "내일", "value": "{\"date\": \"2024-05-02\"}", "groupName": ""}
        }
    }}));
    assert_eq!(
        r.sys_entity("sys_number"),
        Some(json!({"amount": 3, "unit": "개"}))
    );
    assert_eq!(r.sys_entity("sys_date").unwrap()["value"], "2024-05-01");
    assert_eq!(r.sys_entity("sys_text"), Some(json!("아무 말")));
    // Only in detailParams: read from there.
    assert_eq!(
        r.sys_entity("sys_plugin_date"),
        Some(json!({"date": "2024-05-02"}))
    );
    assert_eq!(r.sys_entity("absent"), None);
}

#[test]
fn non_string_action_params_are_stringified() {
    let r = req(json!({"action": {"params": {
        "n": 3, "b": true, "o": {"amount": 1}, "s": "x", "gone": null
    }}}));
    assert_eq!(r.param("n"), Some("3"));
    assert_eq!(r.param("b"), Some("true"));
    assert_eq!(r.param("o"), Some(r#"{"amount":1}"#));
    assert_eq!(r.param("s"), Some("x"));
    assert_eq!(r.param("gone"), None);
    assert_eq!(r.sys_entity("o"), Some(json!({"amount": 1})));
}

#[test]
fn parameter_pairs_keep_the_first_source_of_each_name() {
    let r = req(json!({
        "action": {
            "params": {"site_uid": "from_action", "parameter1": "a1"},
            "clientExtra": {"site_uid": "from_extra", "parameter2": "e2", "count": 3, "nested": {"a": 1}}
        },
        "userRequest": {"params": {"surface": "Kakaotalk.plusfriend", "parameter1": "u1",
                                   "parameter3": "u3", "flag": true}}
    }));
    assert_eq!(
        r.parameter_pairs(),
        vec![
            ("parameter1".to_owned(), "a1".to_owned()),
            ("site_uid".to_owned(), "from_action".to_owned()),
            ("parameter2".to_owned(), "e2".to_owned()),
            ("parameter3".to_owned(), "u3".to_owned()),
            ("surface".to_owned(), "Kakaotalk.plusfriend".to_owned()),
        ]
    );
    assert!(req(json!({})).parameter_pairs().is_empty());
}

#[test]
fn contexts_are_read_with_either_spelling_of_lifespan() {
    let r = req(json!({"contexts": [
        {"name": "order", "lifespan": 4, "ttl": 600, "params": {
            "orderNo": {"value": "A-1", "resolvedValue": "A-1"}, "plain": "p"
        }},
        {"name": "other", "lifeSpan": "2"},
        42
    ]}));
    assert_eq!(r.contexts.len(), 2);
    assert_eq!(r.contexts[0].lifespan, Some(4));
    assert_eq!(r.contexts[0].ttl, Some(600));
    assert_eq!(r.contexts[0].param("orderNo").as_deref(), Some("A-1"));
    assert_eq!(r.contexts[0].param("plain").as_deref(), Some("p"));
    assert_eq!(r.contexts[1].lifespan, Some(2));
}

#[test]
fn unknown_keys_nulls_and_mistyped_values_do_not_fail() {
    let r = req(json!({
        "intent": null, "bot": [1, 2], "flow": "x", "contexts": null, "newTopLevel": {"a": 1},
        "userRequest": {"utterance": 123, "params": [], "block": 5, "callbackUrl": null,
                        "user": {"id": 42, "properties": {"isFriend": "true", "accountId": "9",
                                                          "somethingNew": [1]}}},
        "action": {"params": null, "detailParams": {"x": 5, "y": {"origin": "o"}}, "clientExtra": 7}
    }));
    assert_eq!(r.utterance(), "123");
    assert_eq!(r.user_key(), Some("42"));
    assert!(r.is_friend());
    assert_eq!(
        r.user_request.user.properties.other.get("accountId"),
        Some(&json!("9"))
    );
    assert_eq!(r.bot, Bot::default());
    assert_eq!(r.flow, None);
    assert_eq!(r.callback_url(), None);
    assert_eq!(r.action.detail_params["x"], DetailParam::default());
    assert_eq!(r.action.detail_params["y"].origin.as_deref(), Some("o"));

    let empty = req(json!({}));
    assert_eq!(empty.utterance(), "");
    assert_eq!(empty.user_key(), None);
    assert_eq!(empty.callback_url(), None);
}

#[test]
fn only_a_json_object_is_a_request() {
    assert!(matches!(
        SkillRequest::from_slice(b"{not json"),
        Err(KakaoError::InvalidJson(_))
    ));
    assert_eq!(
        SkillRequest::from_slice(b"[]"),
        Err(KakaoError::NotAnObject)
    );
    assert_eq!(
        SkillRequest::from_slice(b"\"text\""),
        Err(KakaoError::NotAnObject)
    );
    assert!(SkillRequest::from_slice(b"{}").is_ok());
    // Serde directly works too.
    let r: SkillRequest = serde_json::from_value(documented()).unwrap();
    assert_eq!(r.user_key(), Some("USERKEY70"));
}

// ---------------------------------------------------------------------------------------------
// Responses: JSON shapes
// ---------------------------------------------------------------------------------------------

fn to_json(r: &SkillResponse) -> Value {
    serde_json::to_value(r).unwrap()
}

#[test]
fn text_response_has_the_documented_shape() {
    let r = SkillResponse::text("안녕하세요").with_quick_replies([
        QuickReply::message("상담원", "상담원 연결"),
        QuickReply::block("처음으로", "b0"),
    ]);
    r.validate().unwrap();
    assert_eq!(
        to_json(&r),
        json!({"version": "2.0", "template": {
        "outputs": [{"simpleText": {"text": "안녕하세요"}}],
        "quickReplies": [
            {"label": "상담원", "action": "message", "messageText": "상담원 연결"},
            {"label": "처음으로", "action": "block", "blockId": "b0"}
        ]}})
    );
}

#[test]
fn callback_responses() {
    let r = SkillResponse::callback().with_data("text", "잠시만 기다려 주세요");
    r.validate().unwrap();
    assert_eq!(
        to_json(&r),
        json!({"version": "2.0", "data": {"text": "잠시만 기다려 주세요"}, "useCallback": true})
    );
    let r = SkillResponse::text("곧 답할게요").use_callback();
    assert_eq!(to_json(&r)["useCallback"], true);
    assert!(
        to_json(&SkillResponse::text("x"))
            .get("useCallback")
            .is_none()
    );
}

#[test]
fn cards_buttons_and_context_have_the_documented_shape() {
    let card = BasicCard {
        title: Some("주문".into()),
        description: Some("배송 중".into()),
        thumbnail: Thumbnail::new("https://img.example/t.png"),
        buttons: vec![
            Button::web_link("조회", "https://shop.example/o/1"),
            Button::phone("전화", "0212345678"),
            Button::operator("상담원 연결"),
        ],
        button_layout: None,
    };
    let r = SkillResponse::new([
        Output::BasicCard(card.clone()),
        Output::Carousel(Carousel {
            items: CarouselItems::BasicCard(vec![card]),
            header: None,
        }),
        Output::SimpleImage(SimpleImage {
            image_url: "https://img.example/a.png".into(),
            alt_text: "지도".into(),
        }),
    ])
    .with_context(ContextValue {
        name: "order".into(),
        life_span: 0,
        ttl: None,
        params: [("no".to_owned(), "A-1".to_owned())].into(),
    });
    r.validate().unwrap();
    let v = to_json(&r);
    let basic = json!({
        "title": "주문", "description": "배송 중",
        "thumbnail": {"imageUrl": "https://img.example/t.png"},
        "buttons": [
            {"label": "조회", "action": "webLink", "webLinkUrl": "https://shop.example/o/1"},
            {"label": "전화", "action": "phone", "phoneNumber": "0212345678"},
            {"label": "상담원 연결", "action": "operator"}
        ]
    });
    assert_eq!(v["template"]["outputs"][0], json!({"basicCard": basic}));
    assert_eq!(
        v["template"]["outputs"][1],
        json!({"carousel": {"type": "basicCard", "items": [basic]}})
    );
    assert_eq!(
        v["template"]["outputs"][2],
        json!({"simpleImage": {"imageUrl": "https://img.example/a.png", "altText": "지도"}})
    );
    assert_eq!(
        v["context"],
        json!({"values": [{"name": "order", "lifeSpan": 0, "params": {"no": "A-1"}}]})
    );
    // And back: Sangdam also renders responses of external skill servers.
    let back: SkillResponse = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
}

#[test]
fn commerce_list_and_item_cards_have_the_documented_shape() {
    let v = serde_json::to_value(Output::CommerceCard(commerce())).unwrap();
    assert_eq!(
        v,
        json!({"commerceCard": {"title": "티셔츠", "description": "면 100%", "price": 10000,
            "currency": "won", "thumbnails": [{"imageUrl": "https://img.example/c.png"}],
            "buttons": [{"label": "구매", "action": "webLink", "webLinkUrl": "https://shop.example/buy"}]}})
    );
    let v = serde_json::to_value(Output::ListCard(list(2))).unwrap();
    assert_eq!(v["listCard"]["header"], json!({"title": "주문 내역"}));
    assert_eq!(
        v["listCard"]["items"][0],
        json!({"title": "항목 0", "action": "message", "messageText": "항목 0"})
    );
    let v = serde_json::to_value(Output::ItemCard(item(1))).unwrap();
    assert_eq!(
        v,
        json!({"itemCard": {"title": "영수증", "itemList": [{"title": "품목 0", "description": "1개"}]}})
    );
}

// ---------------------------------------------------------------------------------------------
// SkillResponse::text splitting
// ---------------------------------------------------------------------------------------------

fn texts(r: &SkillResponse) -> Vec<String> {
    r.template
        .as_ref()
        .unwrap()
        .outputs
        .iter()
        .map(|o| match o {
            Output::SimpleText(t) => t.text.clone(),
            other => panic!("not a simpleText: {other:?}"),
        })
        .collect()
}

#[test]
fn text_of_1000_characters_is_one_output() {
    let s = "가".repeat(1000);
    let r = SkillResponse::text(&s);
    r.validate().unwrap();
    assert_eq!(texts(&r), vec![s]);
}

#[test]
fn longer_text_is_split_at_line_breaks_without_losing_anything() {
    let para = format!("{}\n", "나".repeat(299));
    let s = para.repeat(8); // 2400 characters, 8 lines.
    let r = SkillResponse::text(&s);
    r.validate().unwrap();
    let parts = texts(&r);
    assert_eq!(parts.len(), 3);
    for p in &parts {
        assert!(p.chars().count() <= 1000);
        assert!(!p.ends_with('\n') && !p.starts_with('\n'));
    }
    // Whole lines per part: 3 + 3 + 2.
    assert_eq!(parts[0], para.repeat(3).trim_end());
    assert_eq!(parts.join("\n"), s.trim_end());
}

#[test]
fn text_without_separators_is_cut_exactly_at_the_limit() {
    let s = "다".repeat(1500);
    let parts = texts(&SkillResponse::text(&s));
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].chars().count(), 1000);
    assert_eq!(parts[1].chars().count(), 500);
    assert_eq!(parts.concat(), s);
}

#[test]
fn text_beyond_three_outputs_is_cut_with_an_ellipsis() {
    let s = "라".repeat(5000);
    let r = SkillResponse::text(&s);
    r.validate().unwrap();
    let parts = texts(&r);
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[2].chars().count(), 1000);
    assert!(parts[2].ends_with('…'));
    assert_eq!(parts[0].chars().count() + parts[1].chars().count(), 2000);
}

#[test]
fn short_and_empty_texts() {
    assert_eq!(texts(&SkillResponse::text("a b")), vec!["a b".to_owned()]);
    // An empty text is built but refused by validation: Open Builder shows nothing for it.
    let errs = SkillResponse::text("").validate().unwrap_err();
    assert_eq!(errs[0].path, "template.outputs[0].simpleText.text");
    assert_eq!(errs[0].kind, LimitKind::Required);
}

// ---------------------------------------------------------------------------------------------
// Limits: one passing and one failing case each
// ---------------------------------------------------------------------------------------------

fn s(n: usize) -> String {
    // Hangul: 3 bytes each, so a byte count would be wrong by a factor of 3.
    "가".repeat(n)
}

fn thumb() -> Thumbnail {
    Thumbnail::new("https://img.example/t.png")
}

fn text_card(desc: usize) -> TextCard {
    TextCard {
        title: Some("제목".into()),
        description: Some(s(desc)),
        ..Default::default()
    }
}

fn basic() -> BasicCard {
    BasicCard {
        title: Some("제목".into()),
        description: Some("설명".into()),
        thumbnail: thumb(),
        ..Default::default()
    }
}

fn commerce() -> CommerceCard {
    CommerceCard {
        title: Some("티셔츠".into()),
        description: Some("면 100%".into()),
        price: 10_000,
        currency: "won".into(),
        thumbnails: vec![Thumbnail::new("https://img.example/c.png")],
        buttons: vec![Button::web_link("구매", "https://shop.example/buy")],
        ..Default::default()
    }
}

fn list(items: usize) -> ListCard {
    ListCard {
        header: ListCardHeader {
            title: "주문 내역".into(),
        },
        items: (0..items)
            .map(|i| ListItem {
                title: format!("항목 {i}"),
                action: Some("message".into()),
                message_text: Some(format!("항목 {i}")),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

fn item(n: usize) -> ItemCard {
    ItemCard {
        title: Some("영수증".into()),
        item_list: (0..n)
            .map(|i| ItemListEntry {
                title: format!("품목 {i}"),
                description: "1개".into(),
            })
            .collect(),
        ..Default::default()
    }
}

fn one(o: Output) -> SkillResponse {
    SkillResponse::new([o])
}

fn carousel(items: CarouselItems) -> SkillResponse {
    one(Output::Carousel(Carousel {
        items,
        header: None,
    }))
}

fn with_buttons(buttons: Vec<Button>, layout: Option<ButtonLayout>) -> SkillResponse {
    one(Output::BasicCard(BasicCard {
        buttons,
        button_layout: layout,
        ..basic()
    }))
}

fn buttons(n: usize, label: &str) -> Vec<Button> {
    (0..n).map(|_| Button::message(label, "눌렀어요")).collect()
}

fn text_outputs(n: usize) -> SkillResponse {
    SkillResponse::new((0..n).map(|_| {
        Output::SimpleText(SimpleText {
            text: "안녕".into(),
        })
    }))
}

fn quick(n: usize, label: &str) -> SkillResponse {
    SkillResponse::text("안녕").with_quick_replies((0..n).map(|_| QuickReply::message(label, "네")))
}

struct Case {
    limit: &'static str,
    ok: SkillResponse,
    bad: SkillResponse,
    /// The path and kind of the one error `bad` must have.
    path: &'static str,
    kind: LimitKind,
}

fn cases() -> Vec<Case> {
    use LimitKind::*;
    vec![
        Case {
            limit: "outputs ≥ 1",
            ok: text_outputs(1),
            bad: text_outputs(0),
            path: "template.outputs",
            kind: TooFew,
        },
        Case {
            limit: "outputs ≤ 3",
            ok: text_outputs(3),
            bad: text_outputs(4),
            path: "template.outputs",
            kind: TooMany,
        },
        Case {
            limit: "quickReplies ≤ 10",
            ok: quick(10, "네"),
            bad: quick(11, "네"),
            path: "template.quickReplies",
            kind: TooMany,
        },
        Case {
            limit: "quick reply label ≤ 14",
            ok: quick(1, &s(14)),
            bad: quick(1, &s(15)),
            path: "template.quickReplies[0].label",
            kind: TooLong,
        },
        Case {
            limit: "simpleText ≤ 1000",
            ok: one(Output::SimpleText(SimpleText { text: s(1000) })),
            bad: one(Output::SimpleText(SimpleText { text: s(1001) })),
            path: "template.outputs[0].simpleText.text",
            kind: TooLong,
        },
        Case {
            limit: "simpleImage altText ≤ 50",
            ok: one(Output::SimpleImage(SimpleImage {
                image_url: "https://img.example/a.png".into(),
                alt_text: s(50),
            })),
            bad: one(Output::SimpleImage(SimpleImage {
                image_url: "https://img.example/a.png".into(),
                alt_text: s(51),
            })),
            path: "template.outputs[0].simpleImage.altText",
            kind: TooLong,
        },
        Case {
            limit: "simpleImage imageUrl is a URL",
            ok: one(Output::SimpleImage(SimpleImage {
                image_url: "http://img.example/a.png".into(),
                alt_text: "그림".into(),
            })),
            bad: one(Output::SimpleImage(SimpleImage {
                image_url: "img.example/a.png".into(),
                alt_text: "그림".into(),
            })),
            path: "template.outputs[0].simpleImage.imageUrl",
            kind: Invalid,
        },
        Case {
            limit: "textCard title ≤ 50",
            ok: one(Output::TextCard(TextCard {
                title: Some(s(50)),
                ..Default::default()
            })),
            bad: one(Output::TextCard(TextCard {
                title: Some(s(51)),
                ..Default::default()
            })),
            path: "template.outputs[0].textCard.title",
            kind: TooLong,
        },
        Case {
            limit: "textCard has a title or a description",
            ok: one(Output::TextCard(TextCard {
                description: Some("설명만".into()),
                ..Default::default()
            })),
            bad: one(Output::TextCard(TextCard::default())),
            path: "template.outputs[0].textCard",
            kind: Required,
        },
        Case {
            limit: "textCard description ≤ 400",
            ok: one(Output::TextCard(text_card(400))),
            bad: one(Output::TextCard(text_card(401))),
            path: "template.outputs[0].textCard.description",
            kind: TooLong,
        },
        Case {
            limit: "textCard description ≤ 128 in a carousel",
            ok: carousel(CarouselItems::TextCard(vec![text_card(10), text_card(128)])),
            bad: carousel(CarouselItems::TextCard(vec![text_card(10), text_card(129)])),
            path: "template.outputs[0].carousel.items[1].description",
            kind: TooLong,
        },
        Case {
            limit: "basicCard title ≤ 50",
            ok: one(Output::BasicCard(BasicCard {
                title: Some(s(50)),
                ..basic()
            })),
            bad: one(Output::BasicCard(BasicCard {
                title: Some(s(51)),
                ..basic()
            })),
            path: "template.outputs[0].basicCard.title",
            kind: TooLong,
        },
        Case {
            limit: "basicCard description ≤ 230",
            ok: one(Output::BasicCard(BasicCard {
                description: Some(s(230)),
                ..basic()
            })),
            bad: one(Output::BasicCard(BasicCard {
                description: Some(s(231)),
                ..basic()
            })),
            path: "template.outputs[0].basicCard.description",
            kind: TooLong,
        },
        Case {
            limit: "basicCard thumbnail required",
            ok: one(Output::BasicCard(basic())),
            bad: one(Output::BasicCard(BasicCard {
                thumbnail: Thumbnail::new(""),
                ..basic()
            })),
            path: "template.outputs[0].basicCard.thumbnail.imageUrl",
            kind: Required,
        },
        Case {
            limit: "commerceCard title ≤ 30",
            ok: one(Output::CommerceCard(CommerceCard {
                title: Some(s(30)),
                ..commerce()
            })),
            bad: one(Output::CommerceCard(CommerceCard {
                title: Some(s(31)),
                ..commerce()
            })),
            path: "template.outputs[0].commerceCard.title",
            kind: TooLong,
        },
        Case {
            limit: "commerceCard description ≤ 40",
            ok: one(Output::CommerceCard(CommerceCard {
                description: Some(s(40)),
                ..commerce()
            })),
            bad: one(Output::CommerceCard(CommerceCard {
                description: Some(s(41)),
                ..commerce()
            })),
            path: "template.outputs[0].commerceCard.description",
            kind: TooLong,
        },
        Case {
            limit: "commerceCard price is a whole number of won",
            ok: one(Output::CommerceCard(CommerceCard {
                price: 0,
                ..commerce()
            })),
            bad: one(Output::CommerceCard(CommerceCard {
                price: -1,
                ..commerce()
            })),
            path: "template.outputs[0].commerceCard.price",
            kind: Invalid,
        },
        Case {
            limit: "commerceCard currency \"won\"",
            ok: one(Output::CommerceCard(commerce())),
            bad: one(Output::CommerceCard(CommerceCard {
                currency: "usd".into(),
                ..commerce()
            })),
            path: "template.outputs[0].commerceCard.currency",
            kind: Invalid,
        },
        Case {
            limit: "commerceCard has a thumbnail",
            ok: one(Output::CommerceCard(commerce())),
            bad: one(Output::CommerceCard(CommerceCard {
                thumbnails: vec![],
                ..commerce()
            })),
            path: "template.outputs[0].commerceCard.thumbnails",
            kind: TooFew,
        },
        Case {
            limit: "commerceCard has 1 thumbnail only",
            ok: one(Output::CommerceCard(commerce())),
            bad: one(Output::CommerceCard(CommerceCard {
                thumbnails: vec![thumb(), thumb()],
                ..commerce()
            })),
            path: "template.outputs[0].commerceCard.thumbnails",
            kind: TooMany,
        },
        Case {
            limit: "listCard header required",
            ok: one(Output::ListCard(list(1))),
            bad: one(Output::ListCard(ListCard {
                header: ListCardHeader { title: " ".into() },
                ..list(1)
            })),
            path: "template.outputs[0].listCard.header.title",
            kind: Required,
        },
        Case {
            limit: "listCard items ≤ 5",
            ok: one(Output::ListCard(list(5))),
            bad: one(Output::ListCard(list(6))),
            path: "template.outputs[0].listCard.items",
            kind: TooMany,
        },
        Case {
            limit: "listCard items ≤ 4 in a carousel",
            ok: carousel(CarouselItems::ListCard(vec![list(4), list(4)])),
            bad: carousel(CarouselItems::ListCard(vec![list(4), list(5)])),
            path: "template.outputs[0].carousel.items[1].items",
            kind: TooMany,
        },
        Case {
            limit: "itemCard itemList ≤ 10",
            ok: one(Output::ItemCard(item(10))),
            bad: one(Output::ItemCard(item(11))),
            path: "template.outputs[0].itemCard.itemList",
            kind: TooMany,
        },
        Case {
            limit: "itemCard itemList ≤ 5 in a carousel",
            ok: carousel(CarouselItems::ItemCard(vec![item(5)])),
            bad: carousel(CarouselItems::ItemCard(vec![item(6)])),
            path: "template.outputs[0].carousel.items[0].itemList",
            kind: TooMany,
        },
        Case {
            limit: "buttons ≤ 3",
            ok: with_buttons(buttons(3, "확인"), None),
            bad: with_buttons(buttons(4, "확인"), Some(ButtonLayout::Vertical)),
            path: "template.outputs[0].basicCard.buttons",
            kind: TooMany,
        },
        Case {
            limit: "buttons ≤ 2 horizontal",
            ok: with_buttons(buttons(2, "확인"), Some(ButtonLayout::Horizontal)),
            bad: with_buttons(buttons(3, "확인"), Some(ButtonLayout::Horizontal)),
            path: "template.outputs[0].basicCard.buttons",
            kind: TooMany,
        },
        Case {
            limit: "button label ≤ 14",
            ok: with_buttons(buttons(1, &s(14)), None),
            bad: with_buttons(buttons(1, &s(15)), None),
            path: "template.outputs[0].basicCard.buttons[0].label",
            kind: TooLong,
        },
        Case {
            limit: "button label ≤ 8 horizontal",
            ok: with_buttons(buttons(1, &s(8)), Some(ButtonLayout::Horizontal)),
            bad: with_buttons(buttons(1, &s(9)), Some(ButtonLayout::Horizontal)),
            path: "template.outputs[0].basicCard.buttons[0].label",
            kind: TooLong,
        },
        Case {
            limit: "carousel items ≤ 10",
            ok: carousel(CarouselItems::BasicCard(vec![basic(); 10])),
            bad: carousel(CarouselItems::BasicCard(vec![basic(); 11])),
            path: "template.outputs[0].carousel.items",
            kind: TooMany,
        },
        Case {
            limit: "carousel of listCards ≤ 5",
            ok: carousel(CarouselItems::ListCard(vec![list(1); 5])),
            bad: carousel(CarouselItems::ListCard(vec![list(1); 6])),
            path: "template.outputs[0].carousel.items",
            kind: TooMany,
        },
        Case {
            limit: "carousel not empty",
            ok: carousel(CarouselItems::CommerceCard(vec![commerce()])),
            bad: carousel(CarouselItems::CommerceCard(vec![])),
            path: "template.outputs[0].carousel.items",
            kind: TooFew,
        },
        Case {
            limit: "a template, or useCallback, or data",
            ok: SkillResponse::callback(),
            bad: SkillResponse {
                use_callback: false,
                ..SkillResponse::callback()
            },
            path: "template",
            kind: Required,
        },
    ]
}

#[test]
fn every_limit_passes_at_its_bound_and_fails_one_past_it() {
    let mut failures = Vec::new();
    for c in cases() {
        if let Err(e) = c.ok.validate() {
            failures.push(format!("{}: the passing case fails: {e:?}", c.limit));
        }
        match c.bad.validate() {
            Ok(()) => failures.push(format!("{}: the failing case passes", c.limit)),
            Err(errs) => {
                let hit = errs.len() == 1 && errs[0].path == c.path && errs[0].kind == c.kind;
                if !hit {
                    failures.push(format!(
                        "{}: expected one {:?} at {}, got {errs:?}",
                        c.limit, c.kind, c.path
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn limit_errors_carry_counts_and_a_sentence() {
    let errs = one(Output::SimpleText(SimpleText { text: s(1204) }))
        .validate()
        .unwrap_err();
    assert_eq!(
        errs,
        vec![crate::LimitError {
            path: "template.outputs[0].simpleText.text".into(),
            limit: 1000,
            actual: 1204,
            kind: LimitKind::TooLong,
            message: "simpleText.text is 1204 characters; at most 1000 are allowed".into(),
        }]
    );
    assert_eq!(
        KakaoError::from(errs).to_string(),
        "the skill response breaks 1 limit(s): template.outputs[0].simpleText.text: \
         simpleText.text is 1204 characters; at most 1000 are allowed"
    );
}

#[test]
fn every_broken_limit_is_reported_not_just_the_first() {
    let r = SkillResponse::new([
        Output::SimpleText(SimpleText { text: s(1001) }),
        Output::BasicCard(BasicCard {
            title: Some(s(51)),
            thumbnail: Thumbnail::new(""),
            buttons: buttons(4, &s(15)),
            ..basic()
        }),
    ])
    .with_quick_replies((0..11).map(|_| QuickReply::block("가기", "")));
    let errs = r.validate().unwrap_err();
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"template.outputs[0].simpleText.text"));
    assert!(paths.contains(&"template.outputs[1].basicCard.title"));
    assert!(paths.contains(&"template.outputs[1].basicCard.thumbnail.imageUrl"));
    assert!(paths.contains(&"template.outputs[1].basicCard.buttons"));
    assert!(paths.contains(&"template.outputs[1].basicCard.buttons[3].label"));
    assert!(paths.contains(&"template.quickReplies"));
    assert!(paths.contains(&"template.quickReplies[10].blockId"));
    // 1 + 1 + 1 + 1 + 4 labels + 1 + 11 block ids.
    assert_eq!(errs.len(), 20, "{errs:#?}");
}

#[test]
fn plugin_results_are_read_from_their_parameter() {
    let profile = "{\"nickname\": \"홍길동\", \"phone_number\": \"+82 10-1234-5678\", \
                   \"email\": \"hong@example.com\", \"app_user_id\": 1234, \"profile_image_url\": \"x\"}";
    let r = req(json!({
        "userRequest": {"utterance": "", "user": {"id": "u"}},
        "action": {"params": {"profile": profile},
                   "detailParams": {"kakao_sync": {"origin": "o", "value": "{\"phone_number\": \"+82 10-9876-5432\"}"}}}
    }));
    assert_eq!(
        r.plugin_profile(PROFILE_PARAM),
        Some(PluginProfile {
            nickname: Some("홍길동".into()),
            phone_number: Some("+82 10-1234-5678".into()),
            email: Some("hong@example.com".into()),
            app_user_id: Some("1234".into()),
        })
    );
    // Only in detailParams: read from there.
    assert_eq!(
        r.plugin_profile(SYNC_PARAM).and_then(|p| p.phone_number),
        Some("+82 10-9876-5432".into())
    );
    // Absent, not JSON, not an object, or an object without any known value.
    let r = req(json!({
        "userRequest": {"utterance": "", "user": {"id": "u"}},
        "action": {"params": {"a": "plain", "b": "[1, 2]", "c": "{\"nickname\": \"  \"}"}}
    }));
    for name in ["profile", "a", "b", "c"] {
        assert_eq!(r.plugin_profile(name), None, "{name}");
    }
}
