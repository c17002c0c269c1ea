//! Text normalisation and Hangul jamo decomposition: what every question and utterance goes
//! through before features are taken from it.

use unicode_normalization::UnicodeNormalization;

/// Runs of one character longer than this are cut to it (`ㅋㅋㅋㅋ` → `ㅋㅋ`, `아아아` → `아아`).
const MAX_RUN: usize = 2;

/// Normalise a question or an utterance for matching.
///
/// - NFKC (full-width letters and digits, composed syllables, compatibility characters), except
///   that Hangul compatibility jamo (`ㅋ`, `ㅠ`) are kept as they are: NFKC would turn them into
///   conjoining jamo that then compose with their neighbours (`ㄱㅏ` → `가`).
/// - Lower case.
/// - Punctuation, symbols and emoji become spaces; spaces are collapsed and trimmed.
/// - A character repeated more than twice is cut to two (digits excepted: `1000` stays).
///
/// The result is empty for text without letters or digits (emoji only, punctuation only).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut last: Option<char> = None;
    let mut run = 0usize;
    let mut push = |c: char, out: &mut String| {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
                last = Some(' ');
                run = 1;
            }
            pending_space = false;
            if Some(c) == last {
                run += 1;
            } else {
                last = Some(c);
                run = 1;
            }
            if run <= MAX_RUN || c.is_ascii_digit() {
                out.push(c);
            }
        } else {
            pending_space = true;
        }
    };
    let mut chunk = String::new();
    for c in text.chars() {
        if is_compat_jamo(c) {
            for n in chunk.nfkc().flat_map(char::to_lowercase) {
                push(n, &mut out);
            }
            chunk.clear();
            push(c, &mut out);
        } else {
            chunk.push(c);
        }
    }
    for n in chunk.nfkc().flat_map(char::to_lowercase) {
        push(n, &mut out);
    }
    out
}

/// Hangul compatibility jamo (`ㄱ` … `ㅣ`, U+3131–U+318E), the ones people type alone.
pub fn is_compat_jamo(c: char) -> bool {
    ('\u{3131}'..='\u{318E}').contains(&c)
}

/// A precomposed Hangul syllable (U+AC00–U+D7A3).
pub fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

const S_BASE: u32 = 0xAC00;
const V_COUNT: u32 = 21;
const T_COUNT: u32 = 28;

/// The jamo of a Hangul syllable as (initial, medial, final) indices; final 0 is "none".
/// `None` for any other character.
pub fn jamo(c: char) -> Option<(u8, u8, u8)> {
    if !is_syllable(c) {
        return None;
    }
    let s = u32::from(c) - S_BASE;
    let l = s / (V_COUNT * T_COUNT);
    let v = (s % (V_COUNT * T_COUNT)) / T_COUNT;
    let t = s % T_COUNT;
    // All three fit a byte: l < 19, v < 21, t < 28.
    Some((l as u8, v as u8, t as u8))
}

/// Decompose text into a jamo sequence: each syllable becomes its initial, medial and (if any)
/// final consonant as conjoining jamo (U+1100…); other characters are kept. The same as NFD on
/// Hangul, without a table.
pub fn decompose(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for c in text.chars() {
        match jamo(c) {
            Some((l, v, t)) => {
                out.extend(char::from_u32(0x1100 + u32::from(l)));
                out.extend(char::from_u32(0x1161 + u32::from(v)));
                if t != 0 {
                    out.extend(char::from_u32(0x11A7 + u32::from(t)));
                }
            }
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_table() {
        let table = [
            ("", ""),
            ("   ", ""),
            ("안녕하세요", "안녕하세요"),
            ("  안녕   하세요 ", "안녕 하세요"),
            ("진짜?!?!", "진짜"),
            ("ㅋㅋㅋㅋㅋ 웃겨", "ㅋㅋ 웃겨"),
            ("슬퍼ㅠㅠㅠㅠ", "슬퍼ㅠㅠ"),
            ("좋아!!!", "좋아"),
            ("아아아아 배고파", "아아 배고파"),
            ("ＡＢＣ１２３", "abc123"),
            ("1000원", "1000원"),
            ("😀😀", ""),
            ("헤어졌어...ㅠ", "헤어졌어 ㅠ"),
            ("카톡,문자", "카톡 문자"),
            ("Wi-Fi 비번", "wi fi 비번"),
            // Conjoining jamo (NFD) compose back into syllables.
            ("\u{1100}\u{1161}\u{11A8}", "각"),
            // Compatibility jamo stay as typed, not composed with what follows.
            ("ㄱㅏ", "ㄱㅏ"),
        ];
        for (input, want) in table {
            assert_eq!(normalize(input), want, "normalize({input:?})");
        }
    }

    #[test]
    fn jamo_of_syllables() {
        assert_eq!(jamo('가'), Some((0, 0, 0)));
        assert_eq!(jamo('각'), Some((0, 0, 1)));
        assert_eq!(jamo('힣'), Some((18, 20, 27)));
        assert_eq!(jamo('a'), None);
        assert_eq!(jamo('ㄱ'), None);
    }

    #[test]
    fn decomposition_matches_nfd() {
        for text in ["어떡해", "어떻해", "값비싼 닭", "abc 한글"] {
            let nfd: String = text.nfd().collect();
            assert_eq!(decompose(text), nfd, "{text}");
        }
    }
}
