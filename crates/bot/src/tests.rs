use proptest::prelude::*;
use protocol::kakao::{
    BasicCard, Button, Output, QuickReply, SimpleText, SkillTemplate, Thumbnail,
};
use protocol::naver::{Button as NButton, SendContent};

use crate::*;

fn text(s: &str) -> SkillTemplate {
    SkillTemplate {
        outputs: vec![Output::SimpleText(SimpleText { text: s.to_owned() })],
        quick_replies: Vec::new(),
    }
}

fn block(id: &str, kind: BlockKind, response: SkillTemplate) -> Block {
    Block {
        id: id.to_owned(),
        name: format!("블록 {id}"),
        kind,
        utterances: Vec::new(),
        keywords: Vec::new(),
        response,
        skill_url: None,
        hand_off: false,
        event: None,
        plugin: None,
    }
}

fn card_with_operator() -> SkillTemplate {
    SkillTemplate {
        outputs: vec![Output::BasicCard(BasicCard {
            title: Some("도움이 필요하신가요?".into()),
            description: Some("상담원과 이야기하세요".into()),
            thumbnail: Thumbnail::new("https://shop.example/a.png"),
            buttons: vec![
                Button::operator("상담원 연결"),
                Button::block("배송 문의", "ship"),
            ],
            button_layout: None,
        })],
        quick_replies: Vec::new(),
    }
}

fn brain_with(settings: BotSettings) -> Brain {
    let mut welcome = block(
        "w",
        BlockKind::Welcome,
        text("안녕하세요! 무엇을 도와드릴까요?"),
    );
    welcome.response.quick_replies = vec![
        QuickReply::block("배송 문의", "ship"),
        QuickReply::message("환불", "환불하고 싶어요"),
    ];
    let fallback = block(
        "f",
        BlockKind::Fallback,
        text("잘 모르겠어요. 다시 말씀해 주세요."),
    );
    let mut ship = block("ship", BlockKind::General, text("배송은 2~3일 걸립니다."));
    ship.utterances = vec!["배송 언제 와요".into(), "택배 언제 도착하나요".into()];
    ship.keywords = vec!["배송조회".into()];
    let mut human = block(
        "human",
        BlockKind::General,
        text("상담원을 연결해 드릴게요."),
    );
    human.keywords = vec!["상담원".into()];
    human.hand_off = true;
    let mut skill = block("skill", BlockKind::General, SkillTemplate::default());
    skill.keywords = vec!["주문조회".into()];
    skill.skill_url = Some("https://skill.example/order".into());
    let help = block("help", BlockKind::General, card_with_operator());
    let entries = vec![
        KnowledgeEntry {
            id: "k1".into(),
            category: "환불".into(),
            questions: vec!["환불하고 싶어요".into(), "환불 어떻게 하나요".into()],
            answer: text("마이페이지 > 주문내역에서 환불을 신청하세요."),
            enabled: true,
        },
        KnowledgeEntry {
            id: "k2".into(),
            category: String::new(),
            questions: vec!["비밀번호를 잊어버렸어요".into()],
            answer: text("로그인 화면에서 비밀번호 찾기를 누르세요."),
            enabled: false,
        },
    ];
    Brain::new(
        settings,
        vec![welcome, fallback, ship, human, skill, help],
        entries,
    )
}

fn brain() -> Brain {
    brain_with(BotSettings {
        enabled: true,
        ..BotSettings::default()
    })
}

fn reply(step: &Step) -> (&SkillTemplate, &Source) {
    match &step.action {
        Action::Reply { response, source } => (response, source),
        other => panic!("expected a reply, got {other:?}"),
    }
}

#[test]
fn start_answers_with_the_welcome_block() {
    let b = brain();
    let s = b.step(&Memory::default(), Input::Start);
    let (r, src) = reply(&s);
    assert_eq!(
        summary(r),
        "안녕하세요! 무엇을 도와드릴까요?\n\n[배송 문의] [환불]"
    );
    assert!(matches!(src, Source::Block { block_id, by, .. } if block_id == "w" && by == "start"));
}

#[test]
fn a_keyword_picks_its_block_and_the_longest_keyword_wins() {
    let b = brain();
    let s = b.step(&Memory::default(), Input::Text("배송 조회 부탁해요"));
    let (r, src) = reply(&s);
    assert_eq!(summary(r), "배송은 2~3일 걸립니다.");
    assert!(matches!(src, Source::Block { by, .. } if by == "keyword"));
}

#[test]
fn an_example_utterance_picks_its_block() {
    let b = brain();
    let s = b.step(&Memory::default(), Input::Text("배송 언제 와요?"));
    let (_, src) = reply(&s);
    match src {
        Source::Block {
            block_id,
            by,
            accuracy,
            ..
        } => {
            assert_eq!(block_id, "ship");
            assert_eq!(by, "example");
            assert!(accuracy.unwrap_or(0) >= b.settings().min_accuracy);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_knowledge_base_answers_above_the_minimum_accuracy_and_disabled_entries_never() {
    let b = brain();
    let s = b.step(&Memory::default(), Input::Text("환불하고 싶어요"));
    let (r, src) = reply(&s);
    assert_eq!(summary(r), "마이페이지 > 주문내역에서 환불을 신청하세요.");
    assert!(matches!(src, Source::Knowledge { entry_id, .. } if entry_id == "k1"));
    let s = b.step(&Memory::default(), Input::Text("비밀번호를 잊어버렸어요"));
    assert!(matches!(reply(&s).1, Source::Fallback { .. }));
}

#[test]
fn a_minimum_of_100_leaves_only_keywords_and_exact_wording() {
    let b = brain_with(BotSettings {
        enabled: true,
        min_accuracy: 100,
        ..BotSettings::default()
    });
    let s = b.step(&Memory::default(), Input::Text("환불은 어떻게 받나"));
    assert!(matches!(reply(&s).1, Source::Fallback { .. }));
}

#[test]
fn fallbacks_in_a_row_offer_an_agent_and_taking_the_offer_hands_off() {
    let b = brain();
    let m0 = Memory::default();
    let s1 = b.step(&m0, Input::Text("ㅁㄴㅇㄹ 쀍"));
    let (r1, src1) = reply(&s1);
    assert_eq!(
        src1,
        &Source::Fallback {
            in_row: 1,
            offered: false
        }
    );
    assert!(r1.quick_replies.is_empty());
    let s2 = b.step(&s1.memory, Input::Text("zzzz qqq"));
    let (r2, src2) = reply(&s2);
    assert_eq!(
        src2,
        &Source::Fallback {
            in_row: 2,
            offered: true
        }
    );
    assert_eq!(
        r2.quick_replies.last().map(|q| q.label.as_str()),
        Some("상담원 연결")
    );
    let s3 = b.step(&s2.memory, Input::Text("상담원 연결"));
    assert_eq!(
        s3.action,
        Action::HandOff {
            reason: HandoffReason::Fallbacks { in_row: 2 },
            response: None
        }
    );
    assert!(s3.memory.handed_off);
    // Silent from then on, whatever comes.
    for input in [
        Input::Start,
        Input::Text("배송조회"),
        Input::Operator,
        Input::Block("ship"),
    ] {
        assert_eq!(b.step(&s3.memory, input).action, Action::Silent);
    }
}

#[test]
fn an_understood_utterance_resets_the_fallback_count() {
    let b = brain();
    let s1 = b.step(&Memory::default(), Input::Text("ㅁㄴㅇㄹ"));
    let s2 = b.step(&s1.memory, Input::Text("배송조회"));
    assert_eq!(s2.memory.fallbacks_in_row, 0);
    let s3 = b.step(&s2.memory, Input::Text("ㅁㄴㅇㄹ"));
    assert_eq!(
        reply(&s3).1,
        &Source::Fallback {
            in_row: 1,
            offered: false
        }
    );
}

#[test]
fn no_offer_when_the_setting_is_zero() {
    let b = brain_with(BotSettings {
        enabled: true,
        fallbacks_before_offer: 0,
        ..BotSettings::default()
    });
    let mut m = Memory::default();
    for _ in 0..5 {
        let s = b.step(&m, Input::Text("ㅁㄴㅇㄹ"));
        assert!(matches!(
            reply(&s).1,
            Source::Fallback { offered: false, .. }
        ));
        m = s.memory;
    }
}

#[test]
fn the_operator_button_and_its_label_hand_off() {
    let b = brain();
    assert!(matches!(
        b.step(&Memory::default(), Input::Operator).action,
        Action::HandOff {
            reason: HandoffReason::Operator,
            ..
        }
    ));
    // A card with an operator button: on a channel that sends the label back as text.
    let s = b.step(&Memory::default(), Input::Block("help"));
    assert_eq!(s.memory.operator_labels, vec!["상담원 연결".to_owned()]);
    let s2 = b.step(&s.memory, Input::Text(" 상담원  연결 "));
    assert!(matches!(
        s2.action,
        Action::HandOff {
            reason: HandoffReason::Operator,
            ..
        }
    ));
}

#[test]
fn a_consultation_plugin_block_says_its_text_then_hands_off() {
    let b = brain();
    let s = b.step(&Memory::default(), Input::Text("상담원이랑 얘기할래요"));
    match s.action {
        Action::HandOff {
            reason: HandoffReason::Block { block_id, .. },
            response,
        } => {
            assert_eq!(block_id, "human");
            assert_eq!(
                response.map(|r| summary(&r)),
                Some("상담원을 연결해 드릴게요.".into())
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn buttons_go_to_their_block_and_an_unknown_block_falls_back() {
    let b = brain();
    let s = b.step(&Memory::default(), Input::Block("ship"));
    assert!(matches!(reply(&s).1, Source::Block { by, .. } if by == "button"));
    let s = b.step(&Memory::default(), Input::Block("gone"));
    assert!(matches!(reply(&s).1, Source::Fallback { .. }));
}

#[test]
fn a_skill_block_asks_its_server_and_a_failure_runs_the_fallback() {
    let b = brain();
    let s = b.step(&Memory::default(), Input::Text("주문조회 해주세요"));
    assert_eq!(
        s.action,
        Action::CallSkill {
            block_id: "skill".into(),
            block_name: "블록 skill".into(),
            url: "https://skill.example/order".into()
        }
    );
    let f = b.skill_failed(&s.memory);
    assert!(matches!(reply(&f).1, Source::Fallback { in_row: 1, .. }));
}

#[test]
fn without_welcome_or_fallback_blocks_the_bot_still_answers() {
    let b = Brain::new(BotSettings::default(), Vec::new(), Vec::new());
    let s = b.step(&Memory::default(), Input::Start);
    assert!(matches!(reply(&s).1, Source::Fallback { .. }));
    assert!(!summary(reply(&s).0).is_empty());
}

#[test]
fn candidates_rank_blocks_and_entries_together() {
    let b = brain();
    let c = b.candidates("환불 어떻게 하나요", 3);
    assert!(!c.is_empty() && c.len() <= 3);
    assert_eq!((c[0].kind, c[0].id.as_str()), ("knowledge", "k1"));
    assert!(c.windows(2).all(|w| w[0].accuracy >= w[1].accuracy));
}

// --- validation -----------------------------------------------------------------------------

#[test]
fn a_block_is_checked_against_every_limit_with_the_field_named() {
    let mut b = block("x", BlockKind::General, text(&"가".repeat(1001)));
    b.name = String::new();
    b.keywords = vec!["k".repeat(31)];
    b.response.quick_replies = vec![QuickReply::block(
        "이 라벨은 열네 글자를 넘는 라벨입니다",
        "nowhere",
    )];
    let e = validate_block(&b, &|id| id == "w")
        .err()
        .map(|e| e.problems)
        .unwrap_or_default();
    let fields: Vec<&str> = e.iter().map(|p| p.field.as_str()).collect();
    assert!(fields.contains(&"name"), "{fields:?}");
    assert!(fields.contains(&"keywords[0]"), "{fields:?}");
    assert!(
        fields.contains(&"response.outputs[0].simpleText.text"),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"response.quickReplies[0].label"),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"response.quickReplies[0].blockId"),
        "{fields:?}"
    );
    let text = e
        .iter()
        .find(|p| p.field == "response.outputs[0].simpleText.text")
        .map(|p| p.message.clone());
    assert!(text.unwrap_or_default().contains("1000"));
}

#[test]
fn a_valid_block_passes_and_a_skill_block_needs_no_response() {
    let b = block("ship", BlockKind::General, card_with_operator());
    assert_eq!(validate_block(&b, &|id| id == "ship"), Ok(()));
    let mut s = block("s", BlockKind::General, SkillTemplate::default());
    s.skill_url = Some("https://skill.example/x".into());
    assert_eq!(validate_block(&s, &|_| true), Ok(()));
    s.skill_url = Some("ftp://nope".into());
    assert!(validate_block(&s, &|_| true).is_err());
    let empty = block("e", BlockKind::General, SkillTemplate::default());
    assert!(
        validate_block(&empty, &|_| true).is_err(),
        "a block without any output"
    );
}

#[test]
fn a_plugin_block_neither_hands_off_nor_sends_an_event() {
    let mut b = block("form", BlockKind::General, text("정보를 입력해 주세요"));
    b.plugin = Some(BlockPlugin::Profile);
    assert_eq!(validate_block(&b, &|_| true), Ok(()));
    b.hand_off = true;
    let e = validate_block(&b, &|_| true).expect_err("hand-off and a plugin");
    assert!(e.problems.iter().any(|p| p.field == "plugin"), "{e:?}");
    b.hand_off = false;
    b.event = Some("order_shipped".into());
    let e = validate_block(&b, &|_| true).expect_err("an event and a plugin");
    assert!(e.problems.iter().any(|p| p.field == "plugin"), "{e:?}");
    for p in BlockPlugin::ALL {
        assert_eq!(BlockPlugin::parse(p.as_str()), Some(p));
    }
    assert_eq!(BlockPlugin::parse("consultation"), None);
}

#[test]
fn entries_and_settings_are_checked() {
    let e = KnowledgeEntry {
        id: "1".into(),
        category: String::new(),
        questions: Vec::new(),
        answer: text("답"),
        enabled: true,
    };
    let problems = validate_entry(&e)
        .err()
        .map(|e| e.problems)
        .unwrap_or_default();
    assert_eq!(
        problems.first().map(|p| p.field.as_str()),
        Some("questions")
    );
    let s = BotSettings {
        min_accuracy: 101,
        fallbacks_before_offer: 11,
        handoff_label: "상담원과 직접 이야기하고 싶어요 지금".into(),
        ..BotSettings::default()
    };
    let fields: Vec<String> = validate_settings(&s)
        .err()
        .map(|e| e.problems.into_iter().map(|p| p.field).collect())
        .unwrap_or_default();
    assert_eq!(
        fields,
        ["min_accuracy", "fallbacks_before_offer", "handoff_label"]
    );
    assert_eq!(validate_settings(&BotSettings::default()), Ok(()));
}

// --- Naver ------------------------------------------------------------------------------------

#[test]
fn a_response_becomes_talktalk_messages_within_its_limits() {
    let mut t = card_with_operator();
    t.outputs.insert(
        0,
        Output::SimpleText(SimpleText {
            text: "안내".into(),
        }),
    );
    t.quick_replies = vec![QuickReply::block("배송 문의가 있어요 정말로", "ship")];
    let msgs = naver::messages(&t, "user-1");
    assert_eq!(msgs.len(), 2);
    assert!(matches!(&msgs[0].content, SendContent::TextContent(x) if x.text == "안내"));
    let SendContent::CompositeContent(c) = &msgs[1].content else {
        panic!("{:?}", msgs[1])
    };
    let buttons = &c.composite_list[0].button_list;
    assert_eq!(
        buttons[0],
        NButton::text("상담원 연결", Some("operator".into()))
    );
    assert_eq!(
        buttons[1],
        NButton::text("배송 문의", Some("block:ship".into()))
    );
    let quick = c
        .quick_reply
        .as_ref()
        .map(|q| q.button_list.clone())
        .unwrap_or_default();
    assert_eq!(quick.len(), 1);
    assert!(quick[0].title().chars().count() <= protocol::naver::limits::QUICK_REPLY_TITLE_MAX);
    for m in &msgs {
        assert_eq!(m.validate(), Ok(()), "{m:?}");
    }
    assert_eq!(naver::read_code("operator"), Some(Input::Operator));
    assert_eq!(naver::read_code("block:ship"), Some(Input::Block("ship")));
    assert_eq!(naver::read_code("rating:5"), None);
}

// --- properties -----------------------------------------------------------------------------

fn input_strategy() -> impl Strategy<Value = (u8, String)> {
    (0u8..4, "[가-힣a-z ㅋ!?]{0,30}")
}

proptest! {
    #[test]
    fn any_conversation_keeps_the_rules(inputs in proptest::collection::vec(input_strategy(), 1..25)) {
        let b = brain();
        let mut m = Memory::default();
        for (kind, text) in &inputs {
            let input = match kind {
                0 => Input::Start,
                1 => Input::Text(text),
                2 => Input::Block(text),
                _ => Input::Operator,
            };
            let before = m.clone();
            let s = b.step(&m, input);
            if before.handed_off {
                prop_assert_eq!(&s.action, &Action::Silent);
                prop_assert!(s.memory.handed_off);
            }
            match &s.action {
                Action::Reply { source: Source::Fallback { in_row, .. }, .. } => {
                    prop_assert_eq!(*in_row, before.fallbacks_in_row.saturating_add(1));
                }
                Action::Reply { response, .. } => {
                    prop_assert_eq!(s.memory.fallbacks_in_row, 0);
                    prop_assert!(!response.outputs.is_empty());
                }
                Action::HandOff { .. } => prop_assert!(s.memory.handed_off),
                _ => {}
            }
            m = s.memory;
        }
    }
}

#[test]
fn texts_are_trimmed_only_within_their_limit_as_sent() {
    assert_eq!(trim_within("  상담원 연결  ", 14), "상담원 연결");
    assert_eq!(trim_within("상담원 연결", 14), "상담원 연결");
    // Exactly at the limit as sent: trimmed.
    assert_eq!(
        trim_within(" 가나다라마바사아자차카타 ", 14),
        "가나다라마바사아자차카타"
    );
    // Padded past the limit: kept as sent, so the check on save refuses it.
    let padded = "\u{c}    상담원 연결하기***";
    assert_eq!(trim_within(padded, 14), padded);
    let settings = BotSettings {
        handoff_label: trim_within(padded, limits::HANDOFF_LABEL_MAX),
        ..BotSettings::default()
    };
    assert!(validate_settings(&settings).is_err());
}
