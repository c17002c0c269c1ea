//! `kb::Index::top` and `kb::normalize` on arbitrary input: no panic, accuracies within
//! 0..=100, at most `top` matches, and normalisation is idempotent.
#![no_main]

use std::sync::LazyLock;

use kb::{Entry, Index, normalize};
use libfuzzer_sys::fuzz_target;

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let questions = [
        "영업시간이 어떻게 되나요?",
        "환불하고 싶어요",
        "배송 언제 와요?",
        "비밀번호를 잊어버렸어요 ㅠㅠ",
        "카드 결제가 안 돼요!!",
    ];
    Index::build(
        questions
            .iter()
            .enumerate()
            .map(|(i, q)| Entry {
                id: i.to_string(),
                questions: vec![(*q).to_owned()],
            })
            .collect(),
    )
});

fuzz_target!(|data: &[u8]| {
    let Some((&top, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let top = usize::from(top % 8);
    let matches = INDEX.top(&text, top);
    assert!(matches.len() <= top);
    assert!(matches.iter().all(|m| m.accuracy <= 100));
    let once = normalize(&text);
    assert_eq!(normalize(&once), once);
});
