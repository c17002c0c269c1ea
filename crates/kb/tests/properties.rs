//! Properties of matching on arbitrary input: no panic, accuracies in range, results sorted
//! and bounded, and an entry's own question finds it first with a high accuracy.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::LazyLock;

use kb::{DEFAULT_MIN_ACCURACY, Entry, Index, normalize};
use proptest::prelude::*;

const QUESTIONS: &[&str] = &[
    "영업시간이 어떻게 되나요?",
    "환불하고 싶어요",
    "배송 언제 와요?",
    "비밀번호를 잊어버렸어요",
    "회원 탈퇴는 어떻게 하나요",
    "주문 취소할 수 있나요?",
    "매장 위치 알려주세요",
    "쿠폰 사용 방법",
    "교환 가능한가요",
    "카드 결제가 안 돼요",
];

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    Index::build(
        QUESTIONS
            .iter()
            .enumerate()
            .map(|(i, q)| Entry {
                id: format!("e{i}"),
                questions: vec![(*q).to_owned(), format!("{q} 문의")],
            })
            .collect(),
    )
});

fn korean_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[가-힣ㄱ-ㅎㅏ-ㅣ !?.~ㅋㅠ0-9a-z😀]{0,60}",
        "[가-힣 ]{0,20}",
    ]
}

proptest! {
    #[test]
    fn matching_never_panics_and_stays_in_range(text in korean_text(), top in 0usize..6) {
        let matches = INDEX.top(&text, top);
        prop_assert!(matches.len() <= top);
        for m in &matches {
            prop_assert!(m.accuracy <= 100);
            prop_assert!(QUESTIONS.iter().any(|q| m.question.starts_with(q)));
        }
        // Best first: the accuracy follows the raw score, which is sorted.
        let candidates = INDEX.candidates(&text, top);
        for w in candidates.windows(2) {
            prop_assert!(w[0].score >= w[1].score);
        }
        let ids: std::collections::HashSet<&str> = matches.iter().map(|m| m.id.as_str()).collect();
        prop_assert_eq!(ids.len(), matches.len(), "an entry appears once");
    }

    #[test]
    fn normalisation_is_idempotent(text in korean_text()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once.clone());
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
        prop_assert!(!once.contains("  "));
    }

    #[test]
    fn an_entrys_own_question_finds_it_first(i in 0usize..QUESTIONS.len(), noise in "[ !?~ㅋ]{0,4}") {
        let asked = format!("{}{noise}", QUESTIONS[i]);
        let matches = INDEX.top(&asked, 3);
        prop_assert_eq!(&matches[0].id, &format!("e{i}"));
        prop_assert!(matches[0].accuracy >= DEFAULT_MIN_ACCURACY, "{:?}", matches);
    }
}

#[test]
fn awkward_inputs_give_no_or_sensible_matches() {
    for text in [
        "",
        "   ",
        "😀😀😀",
        "ㅋㅋㅋㅋ",
        "!!!???",
        "\u{0}\u{FEFF}\u{200B}",
    ] {
        assert!(INDEX.top(text, 3).is_empty(), "{text:?}");
    }
    let long = "환불 ".repeat(5_000);
    let matches = INDEX.top(&long, 3);
    assert_eq!(matches.first().map(|m| m.id.as_str()), Some("e1"));
    let empty = Index::build(Vec::new());
    assert!(empty.is_empty() && empty.top("환불", 3).is_empty());
    let blank = Index::build(vec![Entry {
        id: "x".into(),
        questions: vec![],
    }]);
    assert_eq!(blank.len(), 1);
    assert!(blank.top("환불", 3).is_empty());
}

#[test]
fn typos_endings_and_spacing_still_find_the_entry() {
    let cases = [
        ("영업 시간이 어떻게 돼", "e0"),
        ("환불 하고싶은데요", "e1"),
        ("배송은 언제 오나요", "e2"),
        ("비밀번호 잊어버렸는데", "e3"),
        ("회원탈퇴 어떻게 해", "e4"),
        ("주문 취소 되나요", "e5"),
        ("카드결제가 안되요", "e9"),
        ("환블하고 싶어요", "e1"),
    ];
    for (asked, want) in cases {
        let matches = INDEX.top(asked, 1);
        assert_eq!(
            matches.first().map(|m| m.id.as_str()),
            Some(want),
            "{asked}"
        );
    }
}

#[test]
fn index_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Index>();
}
