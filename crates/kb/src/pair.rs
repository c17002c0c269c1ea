//! Features of an (utterance, question) pair, for the calibrated accuracy of a candidate.
//!
//! The raw score says how much two texts share; it cannot tell a paraphrase from a look-alike
//! that asks something else (`카페 알바 면접 간다` / `편의점 알바 면접 간다`, `이별한지 11일째` /
//! `이별한지 3개월`). These features describe how the two differ: which stems only one side has
//! and how telling they are (their idf), whether quantities differ, how the channels agree, how
//! long each side is. The calibration weighs them (weights learned from both labels of the
//! training pairs, see `examples/generate.rs`).

/// How many pair features there are.
pub const PAIR_FEATURES: usize = 21;

/// The names of the pair features, in order (for the generator's report).
pub const PAIR_FEATURE_NAMES: [&str; PAIR_FEATURES] = [
    "score",
    "margin",
    "cos uni",
    "cos bi",
    "cos tri",
    "cos stem",
    "cos stem bigram",
    "cos jamo",
    "unmatched stems (idf share)",
    "utterance-only stems, max relative idf",
    "question-only stems, max relative idf",
    "utterance-only stems, ln(1+n)",
    "question-only stems, ln(1+n)",
    "one stem swapped for another",
    "spelling likeness of swapped stems",
    "quantities differ",
    "a quantity on one side only",
    "length ratio",
    "contrasting words, one on each side",
    "a question on one side only",
    "a question mark on one side only",
];

/// Where the difference features start.
pub(crate) const DIFFERENCE_START: usize = 8;

/// Native and Sino-Korean numerals that start a quantity when a counter follows them (`두달`,
/// `삼일째`); `일` and `이` are left out, they start too many other words (`이별`, `일하다`).
const NUMERALS: &[&str] = &[
    "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열", "스무", "삼", "사", "오",
    "육", "칠", "팔", "구", "십", "백",
];

/// Counters that make a number a quantity.
const COUNTERS: &[&str] = &[
    "개월", "시간", "년", "달", "일", "주", "살", "번", "분", "명", "개", "월", "차", "째", "시",
];

/// The quantities of a normalised text (`11일`, `3개월`, `두달`), as written, sorted.
pub fn quantities(normalized: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in normalized.split(' ') {
        let chars: Vec<char> = word.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let numeral = if digits > 0 {
                digits
            } else if i == 0 {
                NUMERALS
                    .iter()
                    .filter(|n| word.len() > n.len() && word.starts_with(**n))
                    .map(|n| n.chars().count())
                    .max()
                    .unwrap_or(0)
            } else {
                0
            };
            if numeral == 0 {
                i += 1;
                continue;
            }
            let rest: String = chars[i + numeral..].iter().collect();
            let counter = COUNTERS.iter().find(|c| rest.starts_with(**c));
            match counter {
                Some(c) => {
                    let q: String = chars[i..i + numeral].iter().collect();
                    out.push(format!("{q}{c}"));
                    i += numeral + c.chars().count();
                }
                // A bare number is a quantity too (`11`, `2020`); a numeral word is not.
                None if digits > 0 => {
                    out.push(chars[i..i + numeral].iter().collect());
                    i += numeral;
                }
                None => i += numeral.max(1),
            }
        }
    }
    out.sort();
    out
}

/// Words whose swap for their counterpart makes another question however alike the rest is
/// (`O형 남자와 썸을` / `O형 여자와 썸을`, `입금 확인` / `출금 확인`): persons, days, the direction of
/// money and goods, account and order actions, liking. Matched inside the normalised text, so
/// `남자친구` holds `남자`; words of one character are left out (`전` is in `전화`).
const CONTRASTS: &[(&str, &str)] = &[
    ("남자", "여자"),
    ("남친", "여친"),
    ("남편", "아내"),
    ("오빠", "언니"),
    ("아빠", "엄마"),
    ("오늘", "내일"),
    ("오늘", "어제"),
    ("어제", "내일"),
    ("입금", "출금"),
    ("구매", "판매"),
    ("가입", "탈퇴"),
    ("로그인", "로그아웃"),
    ("환불", "교환"),
    ("취소", "변경"),
    ("처음", "마지막"),
    ("이전", "이후"),
    ("선배", "후배"),
    ("좋아", "싫어"),
];

/// Which [`CONTRASTS`] words a normalised text holds: bit `2i` the first of pair `i`, bit
/// `2i + 1` the second.
pub fn contrast_words(normalized: &str) -> u64 {
    CONTRASTS
        .iter()
        .enumerate()
        .fold(0u64, |bits, (i, (a, b))| {
            bits | u64::from(normalized.contains(a)) << (2 * i)
                | u64::from(normalized.contains(b)) << (2 * i + 1)
        })
}

/// Whether a pair of [`CONTRASTS`] is split between two texts: one word only on one side,
/// its counterpart only on the other.
fn contrasted(u: u64, q: u64) -> bool {
    (0..CONTRASTS.len()).any(|i| {
        let (a, b) = (1u64 << (2 * i), 1u64 << (2 * i + 1));
        let only = |x: u64, y: u64, bit: u64| x & bit != 0 && y & bit == 0;
        (only(u, q, a) && only(q, u, b)) || (only(u, q, b) && only(q, u, a))
    })
}

/// Words that ask (`뭐`, `어떻게`, `왜`, `언제`, …): a word starting with one makes a question.
const ASKING_WORDS: &[&str] = &[
    "뭐",
    "뭘",
    "무엇",
    "어떻게",
    "어떡",
    "어때",
    "어떤",
    "어느",
    "어떨",
    "왜",
    "언제",
    "어디",
    "누구",
    "누가",
    "무슨",
    "몇",
    "얼마",
];

/// Endings that ask (`할까`, `되나요`, `있는지`, …), read at the end of the last word.
const ASKING_ENDINGS: &[&str] = &[
    "까", "니", "냐", "나요", "는지", "을지", "는가", "은가", "가요", "까요", "냐고",
];

/// Whether a text asks something: a question mark in the text as typed, a word that asks, or
/// an ending that asks at its end. A statement (`남사친이 좋아졌어`) and a question
/// (`남사친이 좋아졌으면 어떡해?`) on the same words are usually different questions.
pub fn is_question(typed: &str, normalized: &str) -> bool {
    has_question_mark(typed)
        || normalized
            .split(' ')
            .any(|w| ASKING_WORDS.iter().any(|a| w.starts_with(a)))
        || normalized.rsplit(' ').next().is_some_and(|last| {
            ASKING_ENDINGS
                .iter()
                .any(|e| last.ends_with(e) && (last.len() > e.len() || e.chars().count() > 1))
        })
}

/// Whether the text as typed holds a question mark (ASCII or full-width).
pub fn has_question_mark(typed: &str) -> bool {
    typed.contains(['?', '？'])
}

/// Dice coefficient of the characters of two strings (bag of characters).
fn dice(a: &str, b: &str) -> f32 {
    let mut bc: Vec<char> = b.chars().collect();
    let (na, nb) = (a.chars().count(), bc.len());
    if na + nb == 0 {
        return 0.0;
    }
    let mut common = 0usize;
    for c in a.chars() {
        if let Some(p) = bc.iter().position(|&x| x == c) {
            bc.swap_remove(p);
            common += 1;
        }
    }
    2.0 * common as f32 / (na + nb) as f32
}

/// What one side of a pair contributes: its stems (key, idf, text), its quantities, its
/// length in characters without spaces and its contrasting words ([`contrast_words`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Side {
    pub stems: Vec<(u64, f32, String)>,
    pub quantities: Vec<String>,
    pub chars: usize,
    pub contrasts: u64,
    /// The text asks something ([`is_question`]).
    pub question: bool,
    /// The text as typed holds a question mark.
    pub question_mark: bool,
}

/// The pair features after the score, margin and per-channel cosines: those of the stems,
/// quantities, lengths and contrasting words. `unseen_idf` is the largest idf (a stem no question has).
pub(crate) fn difference_features(u: &Side, q: &Side, unseen_idf: f32, out: &mut [f32]) {
    let has = |side: &Side, key: u64| side.stems.binary_search_by_key(&key, |s| s.0).is_ok();
    let u_only: Vec<&(u64, f32, String)> = u.stems.iter().filter(|s| !has(q, s.0)).collect();
    let q_only: Vec<&(u64, f32, String)> = q.stems.iter().filter(|s| !has(u, s.0)).collect();
    let all: f32 = u.stems.iter().map(|s| s.1).sum::<f32>()
        + q.stems
            .iter()
            .filter(|s| !has(u, s.0))
            .map(|s| s.1)
            .sum::<f32>();
    let only: f32 = u_only.iter().chain(q_only.iter()).map(|s| s.1).sum();
    let rel = |xs: &[&(u64, f32, String)]| {
        xs.iter()
            .map(|s| s.1 / unseen_idf.max(1e-6))
            .fold(0.0f32, f32::max)
    };
    out[0] = if all > 0.0 { only / all } else { 0.0 };
    out[1] = rel(&u_only);
    out[2] = rel(&q_only);
    out[3] = (1.0 + u_only.len() as f32).ln();
    out[4] = (1.0 + q_only.len() as f32).ln();
    out[5] = f32::from(u8::from(u_only.len() == 1 && q_only.len() == 1));
    out[6] = if u_only.is_empty() || q_only.is_empty() {
        0.0
    } else {
        u_only
            .iter()
            .map(|a| q_only.iter().map(|b| dice(&a.2, &b.2)).fold(0.0, f32::max))
            .sum::<f32>()
            / u_only.len() as f32
    };
    let (uq, qq) = (&u.quantities, &q.quantities);
    out[7] = f32::from(u8::from(!uq.is_empty() && !qq.is_empty() && uq != qq));
    out[8] = f32::from(u8::from(uq.is_empty() != qq.is_empty()));
    let (a, b) = (u.chars.min(q.chars), u.chars.max(q.chars));
    out[9] = if b > 0 { a as f32 / b as f32 } else { 0.0 };
    out[10] = f32::from(u8::from(contrasted(u.contrasts, q.contrasts)));
    out[11] = f32::from(u8::from(u.question != q.question));
    out[12] = f32::from(u8::from(u.question_mark != q.question_mark));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_found() {
        assert_eq!(quantities("이별한지 11일째"), vec!["11일"]);
        assert_eq!(quantities("이별한지 3개월"), vec!["3개월"]);
        assert_eq!(quantities("헤어진지 두달 무덤덤한데"), vec!["두달"]);
        assert_eq!(quantities("헤어진지 삼일째입니다"), vec!["삼일"]);
        assert_eq!(quantities("5년 10개월간 연애"), vec!["10개월", "5년"]);
        assert!(quantities("이별 너무 힘드네 사랑 오늘").is_empty());
        assert_eq!(quantities("1000"), vec!["1000"]);
    }

    #[test]
    fn contrasting_words_split_between_the_sides() {
        let split = |a: &str, b: &str| contrasted(contrast_words(a), contrast_words(b));
        assert!(split("o형 남자와 썸을 타는데", "o형 여자와 썸을 타는데"));
        assert!(split("여자친구 선물", "남자친구 선물 추천"));
        assert!(split("입금 확인 부탁드려요", "출금 확인"));
        // Both words on one side, or the same word on both: not a swap.
        assert!(!split("남자와 여자의 차이", "여자의 마음"));
        assert!(!split("남자 친구 선물", "남자친구한테 줄 선물"));
        assert!(!split("배송 언제 와요", "언제 도착해요"));
        // No word of the table.
        assert_eq!(contrast_words("배송 언제 와요"), 0);
        assert!(CONTRASTS.len() * 2 <= 64, "the words fit the bits");
    }

    #[test]
    fn questions_and_statements() {
        let asks = |t: &str| is_question(t, &crate::normalize(t));
        // A question mark, a word that asks, an ending that asks.
        assert!(asks("남사친이 좋아졌으면 어떡해?"));
        assert!(asks("환불 돼요?"));
        assert!(asks("환불 돼요？"));
        assert!(asks("배송 언제 와요"));
        assert!(asks("뭘 입고 가지"));
        assert!(asks("주말에 영화 볼까"));
        assert!(asks("환불되나요"));
        assert!(asks("재고 있는지"));
        // Statements.
        assert!(!asks("남사친이 좋아졌어."));
        assert!(!asks("짝사랑만 3년째"));
        assert!(!asks("배송 조회"));
        // An ending alone is not a word that asks.
        assert!(!asks("까"));
        // The feature: one side asks, the other does not.
        let side = |t: &str| Side {
            question: asks(t),
            question_mark: has_question_mark(t),
            ..Side::default()
        };
        let mut out = [0f32; PAIR_FEATURES - DIFFERENCE_START];
        difference_features(
            &side("남사친이 좋아졌어."),
            &side("남사친이 좋아졌으면 어떡해?"),
            1.0,
            &mut out,
        );
        assert_eq!((out[11], out[12]), (1.0, 1.0));
        difference_features(
            &side("배송 언제 와요"),
            &side("배송 언제 오나요?"),
            1.0,
            &mut out,
        );
        assert_eq!((out[11], out[12]), (0.0, 1.0));
        difference_features(
            &side("배송 언제 와요?"),
            &side("배송 언제 오나요?"),
            1.0,
            &mut out,
        );
        assert_eq!((out[11], out[12]), (0.0, 0.0));
    }

    #[test]
    fn dice_of_characters() {
        assert!((dice("여친", "여자친구") - 2.0 * 2.0 / 6.0).abs() < 1e-6);
        assert_eq!(dice("카페", "편의점"), 0.0);
    }
}
