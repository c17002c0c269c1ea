//! Searching message text in Korean without a dictionary: a text is indexed as the bigrams of
//! its letters and digits, and a query matches where all of its bigrams stand one after the
//! other — a substring match that ignores spacing, punctuation, case and width.
//!
//! Korean words are short (환불, 배송, 교환 are two syllables) and spaced inconsistently
//! (환불요청 / 환불 요청), so a word tokenizer misses them and a trigram index cannot answer
//! two-syllable queries from the index. Bigrams can: every query of two or more letters is a
//! phrase of bigram tokens, which SQLite's FTS5 and PostgreSQL's text search both answer from
//! their indexes. Each bigram is written as a token of ASCII letters ([`token`]) so both
//! databases' tokenizers take it whole, whatever the script.
//!
//! Normalisation, applied to the text and the query alike ([`letters`]): NFKC (full-width
//! Latin letters and digits, compatibility jamo, circled numbers become plain ones), lower
//! case, and only letters and digits kept.

use unicode_normalization::UnicodeNormalization;

/// The fewest letters or digits a query needs (one bigram).
pub const MIN_QUERY_CHARS: usize = 2;
/// The most characters a query may have.
pub const MAX_QUERY_CHARS: usize = 100;
/// The most bigrams indexed of one text (PostgreSQL keeps positions up to 16,383).
pub const MAX_TEXT_GRAMS: usize = 16_000;

/// The text's letters and digits, normalised (NFKC, lower case), in order.
pub fn letters(text: &str) -> Vec<char> {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// One bigram as a token of ten lower-case ASCII letters: each character's code point in base
/// 26, five letters each (26⁵ is above the last code point).
pub fn token(a: char, b: char) -> String {
    let mut out = String::with_capacity(10);
    for c in [a, b] {
        let mut n = u32::from(c);
        let mut digits = [b'a'; 5];
        for d in digits.iter_mut().rev() {
            // `n % 26` is below 26: the cast keeps it.
            *d = b'a' + (n % 26) as u8;
            n /= 26;
        }
        out.extend(digits.iter().map(|d| char::from(*d)));
    }
    out
}

/// The token every indexed text of site `site` carries, so a query reads only its site's
/// entries: `s` and the id in base-26 letters (never ten letters long, unlike a bigram's).
pub fn site_token(site: i64) -> String {
    let mut n = site.unsigned_abs();
    let mut digits = Vec::new();
    loop {
        // `n % 26` is below 26: the cast keeps it.
        digits.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    let mut out = String::from("s");
    out.extend(digits.iter().rev().map(|d| char::from(*d)));
    out
}

/// The bigram tokens of a text, in order, separated by spaces: what the index stores for it
/// (empty for a text with fewer than two letters or digits).
pub fn index_text(text: &str) -> String {
    let chars = letters(text);
    let grams = chars.windows(2).take(MAX_TEXT_GRAMS);
    let mut out = String::with_capacity(chars.len().saturating_sub(1) * 11);
    for pair in grams {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&token(pair[0], pair[1]));
    }
    out
}

/// A query that can be searched: its normalised letters and its bigram tokens in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The query as typed, trimmed (for matching fields by substring).
    pub text: String,
    /// Its bigram tokens in order: a match holds them one after the other.
    pub grams: Vec<String>,
}

/// Why a query cannot be searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryProblem {
    /// Fewer than [`MIN_QUERY_CHARS`] letters or digits.
    TooShort,
    /// More than [`MAX_QUERY_CHARS`] characters.
    TooLong,
}

/// The query `q` as the index searches it.
pub fn query(q: &str) -> Result<Query, QueryProblem> {
    let text = q.trim();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryProblem::TooLong);
    }
    let chars = letters(text);
    if chars.len() < MIN_QUERY_CHARS {
        return Err(QueryProblem::TooShort);
    }
    Ok(Query {
        text: text.to_owned(),
        grams: chars.windows(2).map(|p| token(p[0], p[1])).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `query` matches `text` the way the index answers: its bigrams appear one after
    /// the other among the text's.
    fn matches(text: &str, q: &str) -> bool {
        let Ok(q) = query(q) else { return false };
        let indexed = index_text(text);
        let grams: Vec<&str> = indexed.split(' ').collect();
        grams
            .windows(q.grams.len())
            .any(|w| w.iter().zip(&q.grams).all(|(a, b)| a == b))
    }

    #[test]
    fn tokens_are_ten_ascii_letters_and_tell_bigrams_apart() {
        let mut seen = std::collections::HashSet::new();
        for (a, b) in [
            ('환', '불'),
            ('불', '환'),
            ('a', 'b'),
            ('1', '0'),
            ('\u{10FFFF}', 'z'),
        ] {
            let t = token(a, b);
            assert_eq!(t.len(), 10, "{t}");
            assert!(t.bytes().all(|c| c.is_ascii_lowercase()), "{t}");
            assert!(seen.insert(t));
        }
        assert_eq!(token('a', 'b'), token('a', 'b'));
    }

    #[test]
    fn site_tokens_differ_per_site_and_from_bigrams() {
        let tokens: std::collections::HashSet<String> = (1..2000).map(site_token).collect();
        assert_eq!(tokens.len(), 1999);
        assert_eq!(site_token(1), "sb");
        assert_eq!(site_token(26), "sba");
        assert!(
            tokens
                .iter()
                .all(|t| t.len() != 10 && t.bytes().all(|c| c.is_ascii_lowercase()))
        );
    }

    #[test]
    fn korean_words_match_inside_text_whatever_the_spacing() {
        let text = "안녕하세요. 지난주에 주문한 운동화 환불 요청드립니다!";
        for q in [
            "환불",
            "환불요청",
            "환불 요청",
            "요청드립",
            "운동화",
            "주문한운동화",
            "안녕",
        ] {
            assert!(matches(text, q), "{q:?}");
        }
        for q in ["환불취소", "교환", "운동복", "요청 환불"] {
            assert!(!matches(text, q), "{q:?}");
        }
    }

    #[test]
    fn case_width_and_punctuation_do_not_matter() {
        let text = "주문번호 AB-1234, 연락처 010-1234-5678 / kim@shop.kr";
        for q in [
            "ab1234",
            "AB-1234",
            "ＡＢ１２３４",
            "01012345678",
            "1234-5678",
            "kim@shop",
            "SHOP.KR",
        ] {
            assert!(matches(text, q), "{q:?}");
        }
        assert!(!matches(text, "ab12345"));
    }

    #[test]
    fn queries_need_two_letters_and_at_most_a_hundred_characters() {
        assert_eq!(query("환"), Err(QueryProblem::TooShort));
        assert_eq!(query("  ! ? "), Err(QueryProblem::TooShort));
        assert_eq!(query(""), Err(QueryProblem::TooShort));
        assert_eq!(
            query(&"가".repeat(MAX_QUERY_CHARS + 1)),
            Err(QueryProblem::TooLong)
        );
        let q = query(" 환불 ").unwrap();
        assert_eq!(q.text, "환불");
        assert_eq!(q.grams, vec![token('환', '불')]);
        assert_eq!(
            query(&"가".repeat(MAX_QUERY_CHARS)).unwrap().grams.len(),
            99
        );
    }

    #[test]
    fn texts_too_short_to_index_index_nothing() {
        assert_eq!(index_text(""), "");
        assert_eq!(index_text("네"), "");
        assert_eq!(index_text("!!"), "");
        assert_eq!(index_text("네 !"), "");
        assert_eq!(index_text("네네"), token('네', '네'));
    }

    #[test]
    fn very_long_texts_index_their_first_grams() {
        let long = "가나".repeat(MAX_TEXT_GRAMS);
        assert_eq!(index_text(&long).split(' ').count(), MAX_TEXT_GRAMS);
    }

    proptest::proptest! {
        #[test]
        fn every_substring_of_letters_matches(text in "[가-힣a-z0-9 ,.]{0,40}", start in 0usize..40, len in 2usize..10) {
            let chars: Vec<char> = letters(&text);
            if start + len <= chars.len() {
                let q: String = chars[start..start + len].iter().collect();
                proptest::prop_assert!(matches(&text, &q));
            }
        }
    }
}
