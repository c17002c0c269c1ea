#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Properties over generated input: the lenient parsers accept any JSON object, and
//! `SkillResponse::text` always builds a valid response that keeps the text.

use proptest::prelude::*;
use protocol::kakao::{Output, SkillRequest, SkillResponse};
use protocol::naver::{Event, parse_event};
use serde_json::{Map, Value};

/// Any JSON value, keys drawn partly from the names the parsers look for so that mistyped
/// known fields are exercised, not just unknown ones.
fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("event".to_owned()),
        Just("user".to_owned()),
        Just("options".to_owned()),
        Just("textContent".to_owned()),
        Just("text".to_owned()),
        Just("standby".to_owned()),
        Just("userRequest".to_owned()),
        Just("action".to_owned()),
        Just("params".to_owned()),
        Just("properties".to_owned()),
        Just("isFriend".to_owned()),
        Just("intent".to_owned()),
        Just("extra".to_owned()),
        "[a-zA-Z_]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![
            Just("send".to_owned()),
            Just("open".to_owned()),
            Just("profile".to_owned()),
            ".{0,12}"
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn object() -> impl Strategy<Value = Map<String, Value>> {
    json().prop_filter_map("an object", |v| match v {
        Value::Object(m) => Some(m),
        _ => None,
    })
}

proptest! {
    #[test]
    fn any_object_is_a_skill_request(m in object()) {
        let r = SkillRequest::from_slice(Value::Object(m).to_string().as_bytes());
        prop_assert!(r.is_ok(), "{r:?}");
        let r = r.unwrap();
        // The accessors never panic either.
        let _ = (r.user_key(), r.lang(), r.is_friend(), r.parameter_pairs(), r.matched_knowledges());
    }

    #[test]
    fn any_object_with_a_user_is_an_event(mut m in object(), user in "[A-Za-z0-9_-]{1,22}") {
        m.insert("user".to_owned(), Value::String(user.clone()));
        let e = parse_event(Value::Object(m).to_string().as_bytes()).unwrap();
        prop_assert_eq!(e.user(), Some(user.as_str()));
    }

    #[test]
    fn any_object_without_a_known_event_is_accepted(mut m in object(), name in "[a-z_]{0,12}") {
        prop_assume!(!["open", "send", "leave", "friend", "echo", "profile", "handover",
                       "pay_complete", "pay_confirm"].contains(&name.as_str()));
        m.insert("event".to_owned(), Value::String(name.clone()));
        let e = parse_event(Value::Object(m).to_string().as_bytes()).unwrap();
        prop_assert!(matches!(e, Event::Unknown { .. }), "not unknown: {:?}", e);
        prop_assert_eq!(e.name(), name.as_str());
    }

    #[test]
    fn text_responses_are_valid_and_keep_the_text(
        s in prop_oneof![".{0,1500}", "([가-힣]{1,400}[ \n]?){0,12}", "[a \n]{900,3500}"]
    ) {
        prop_assume!(!s.trim().is_empty() || s.is_empty());
        let r = SkillResponse::text(&s);
        let outputs = &r.template.as_ref().unwrap().outputs;
        let parts: Vec<&str> = outputs
            .iter()
            .map(|o| match o {
                Output::SimpleText(t) => t.text.as_str(),
                other => panic!("{other:?}"),
            })
            .collect();
        prop_assert!(!parts.is_empty() && parts.len() <= 3);
        for p in &parts {
            prop_assert!(p.chars().count() <= 1000);
        }
        if !s.is_empty() {
            prop_assert!(r.validate().is_ok(), "{:?}", r.validate());
        }
        let visible = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let joined = visible(&parts.concat());
        if s.chars().count() <= 3000 {
            // It fits in three outputs: only whitespace at the cuts may go.
            prop_assert_eq!(joined, visible(&s));
        } else if joined != visible(&s) {
            // Cut (a long text whose blanks at the cuts made room may still fit whole): what
            // is kept is the start of the text, then the ellipsis.
            prop_assert_eq!(parts.len(), 3);
            prop_assert!(parts[2].ends_with('…'));
            prop_assert!(visible(&s).starts_with(joined.trim_end_matches('…')));
        }
    }
}
