use proptest::prelude::*;

use super::*;

fn problem(e: CoreError) -> (String, MessageProblem) {
    match e {
        CoreError::InvalidAutoMessage { field, problem } => (field, problem),
        other => panic!("not an automatic-message error: {other:?}"),
    }
}

#[test]
fn every_default_passes_its_own_checks_in_every_language() {
    for lang in Lang::ALL {
        let defaults = AutoMessages::defaults(lang);
        for kind in AutoMessageKind::ALL {
            let text = kind.default_text(lang);
            let checked = AutoMessage::parse(kind, true, text)
                .unwrap_or_else(|e| panic!("{lang} {kind}: {e}"));
            assert_eq!(checked.text(), text, "{lang} {kind}: stored as written");
            assert_eq!(defaults.get(kind), &checked);
            assert!(text.chars().count() <= MAX_AUTO_MESSAGE_CHARS);
        }
    }
    // The spec's example: the greeting names the agent.
    assert!(
        AutoMessageKind::Greeting
            .default_text(Lang::Ko)
            .contains("[counselor_name]")
    );
}

#[test]
fn a_variable_the_kind_does_not_have_is_refused_by_name() {
    let e = AutoMessage::parse(
        AutoMessageKind::Greeting,
        true,
        "안녕하세요 [customer_name]님, [next_opening] [member_no] [member_no] [상담원]",
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_auto_message");
    assert_eq!(e.problem_code(), Some("unknown_variables"));
    assert_eq!(e.field_name(), Some("auto_messages.greeting.text"));
    assert_eq!(
        e.to_string(),
        "auto_messages.greeting.text: [next_opening], [member_no] cannot be used in this \
         message; it may use [counselor_name], [customer_name]"
    );
    let (_, p) = problem(e);
    assert_eq!(
        p,
        MessageProblem::UnknownVariables {
            names: vec!["next_opening".into(), "member_no".into()],
            allowed: vec!["counselor_name", "customer_name"],
        }
    );
    // Each kind takes its own.
    for (kind, text) in [
        (AutoMessageKind::OffHours, "[next_opening]부터 상담 가능"),
        (
            AutoMessageKind::QueuePosition,
            "[position]번째, 약 [wait_minutes]분",
        ),
        (AutoMessageKind::AutoCloseWarning, "[minutes]분 후 종료"),
        (
            AutoMessageKind::Closed,
            "[counselor_name] 상담원이 종료했습니다",
        ),
    ] {
        assert!(AutoMessage::parse(kind, true, text).is_ok(), "{kind}");
    }
    assert!(AutoMessage::parse(AutoMessageKind::Busy, true, "[position]").is_err());
}

#[test]
fn length_text_and_characters_are_checked() {
    let at_limit = "가".repeat(MAX_AUTO_MESSAGE_CHARS);
    assert!(AutoMessage::parse(AutoMessageKind::Busy, true, &at_limit).is_ok());
    let over = format!("{at_limit}나");
    let e = AutoMessage::parse(AutoMessageKind::Busy, true, &over).unwrap_err();
    assert!(e.to_string().contains("at most 1000"), "{e}");
    assert_eq!(
        problem(e).1,
        MessageProblem::TooLong {
            chars: MAX_AUTO_MESSAGE_CHARS + 1
        }
    );
    // An enabled message needs a text; a disabled one may have none.
    let e = AutoMessage::parse(AutoMessageKind::Busy, true, "  \n ").unwrap_err();
    assert_eq!(problem(e).1, MessageProblem::Required);
    let off = AutoMessage::parse(AutoMessageKind::Busy, false, "").unwrap();
    assert_eq!(off.render(&MessageValues::default()), None);
    // Line breaks and tabs, nothing else.
    let e = AutoMessage::parse(AutoMessageKind::Busy, true, "잠시만\u{7}").unwrap_err();
    assert_eq!(problem(e).1, MessageProblem::ControlCharacter);
    let m = AutoMessage::parse(AutoMessageKind::Busy, true, " 첫 줄\r\n둘째\t줄\r").unwrap();
    assert_eq!(m.text(), "첫 줄\n둘째\t줄");
}

#[test]
fn rendering_fills_values_and_leaves_out_lines_it_cannot_say() {
    let queue = AutoMessage::default_for(AutoMessageKind::QueuePosition, Lang::Ko);
    let both = MessageValues {
        position: Some(3),
        wait_minutes: Some(7),
        ..MessageValues::default()
    };
    assert_eq!(
        queue.render(&both).as_deref(),
        Some("대기 순번은 3번째입니다.\n예상 대기 시간은 약 7분입니다.")
    );
    let no_estimate = MessageValues {
        position: Some(3),
        ..MessageValues::default()
    };
    assert_eq!(
        queue.render(&no_estimate).as_deref(),
        Some("대기 순번은 3번째입니다.")
    );
    // Nothing it can say: nothing is sent.
    assert_eq!(queue.render(&MessageValues::default()), None);

    let greeting = AutoMessage::parse(
        AutoMessageKind::Greeting,
        true,
        "[안내] [customer_name]님 안녕하세요.\n상담원 [counselor_name]입니다.",
    )
    .unwrap();
    let values = MessageValues {
        counselor_name: Some("김[상담]"),
        customer_name: Some("  "),
        ..MessageValues::default()
    };
    // A blank name is no name; brackets in a value are text.
    assert_eq!(
        greeting.render(&values).as_deref(),
        Some("상담원 김[상담]입니다.")
    );
    let off_hours = AutoMessage::default_for(AutoMessageKind::OffHours, Lang::En);
    let values = MessageValues {
        next_opening: Some("Monday at 9:00 AM"),
        ..MessageValues::default()
    };
    assert_eq!(
        off_hours.render(&values).as_deref(),
        Some("We are closed now.\nWe are back Monday at 9:00 AM.")
    );
    // A long value is cut to what a Kakao text carries.
    let name = "가".repeat(2 * MAX_AUTO_MESSAGE_CHARS);
    let long = greeting
        .render(&MessageValues {
            counselor_name: Some(&name),
            ..MessageValues::default()
        })
        .unwrap();
    assert_eq!(long.chars().count(), MAX_AUTO_MESSAGE_CHARS);
    assert!(long.ends_with('…'));
}

#[test]
fn a_save_reports_every_bad_message_and_keeps_the_rest() {
    let current = AutoMessages::defaults(Lang::Ko);
    let mut given = BTreeMap::new();
    given.insert(
        AutoMessageKind::Greeting,
        AutoMessageSpec {
            enabled: true,
            text: "[nickname]님 안녕하세요".into(),
        },
    );
    given.insert(
        AutoMessageKind::Busy,
        AutoMessageSpec {
            enabled: true,
            text: String::new(),
        },
    );
    given.insert(
        AutoMessageKind::Closed,
        AutoMessageSpec {
            enabled: false,
            text: "이용해 주셔서 감사합니다".into(),
        },
    );
    let errors = AutoMessages::parse(&current, &given).unwrap_err();
    let fields: Vec<_> = errors.iter().filter_map(CoreError::field_name).collect();
    assert_eq!(
        fields,
        ["auto_messages.greeting.text", "auto_messages.busy.text"]
    );
    given.remove(&AutoMessageKind::Greeting);
    given.remove(&AutoMessageKind::Busy);
    let saved = AutoMessages::parse(&current, &given).unwrap();
    assert!(!saved.get(AutoMessageKind::Closed).enabled);
    assert_eq!(
        saved.render(AutoMessageKind::Closed, &MessageValues::default()),
        None
    );
    assert_eq!(
        saved.get(AutoMessageKind::Greeting),
        current.get(AutoMessageKind::Greeting)
    );
    assert_eq!(saved.to_specs().len(), AutoMessageKind::ALL.len());
}

#[test]
fn kinds_have_stable_names() {
    for kind in AutoMessageKind::ALL {
        assert_eq!(kind.as_str().parse::<AutoMessageKind>(), Ok(kind));
        assert_eq!(
            serde_json::to_value(kind).unwrap(),
            serde_json::json!(kind.as_str())
        );
        for var in kind.variables() {
            assert!(MessageVar::ALL.contains(var));
        }
    }
    assert_eq!(
        "greet".parse::<AutoMessageKind>().unwrap_err().field_name(),
        Some("kind")
    );
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[counselor_name]".to_owned()),
        Just("[customer_name]".to_owned()),
        "[가-힣a-z .\\[\\]]{0,8}",
    ]
}

proptest! {
    /// A one-line greeting with every value given renders its text with each value in place
    /// of its variable, and never more than a Kakao text.
    #[test]
    fn a_greeting_renders_its_text_and_values(
        pieces in proptest::collection::vec(piece(), 1..8),
        counselor in "[가-힣A-Za-z\\[\\]]{1,6}",
        customer in "[가-힣A-Za-z]{1,6}",
    ) {
        let source: String = pieces.concat();
        if let Ok(m) = AutoMessage::parse(AutoMessageKind::Greeting, true, &source) {
            let values = MessageValues {
                counselor_name: Some(&counselor),
                customer_name: Some(&customer),
                ..MessageValues::default()
            };
            let mut expected = String::new();
            for s in inflow::segments(m.text()) {
                match s {
                    Segment::Text(t) => expected.push_str(t),
                    Segment::Name("counselor_name") => expected.push_str(&counselor),
                    Segment::Name(_) => expected.push_str(&customer),
                }
            }
            let rendered = m.render(&values);
            prop_assert_eq!(rendered.as_deref(), Some(expected.trim()).filter(|e| !e.is_empty()));
        }
    }
}
