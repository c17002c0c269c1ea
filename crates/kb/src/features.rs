//! Features of a normalised text: character n-grams without spaces (spacing does not matter),
//! stems (words with their ending or particle taken off, then mapped to a canonical spelling
//! learned from paraphrases), and jamo n-grams (a typo changes one jamo, not a syllable).
//!
//! Each feature belongs to a [`Channel`]; the index scores each channel by a TF-IDF cosine and
//! adds the channels up with learned weights.

use crate::learned::Lexicon;
use crate::normalize::{decompose, is_compat_jamo};

/// A family of features, scored by its own cosine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Channel {
    /// Single characters, spaces removed.
    Uni = 0,
    /// Character bigrams, spaces removed.
    Bi = 1,
    /// Character trigrams, spaces removed.
    Tri = 2,
    /// Whole stems (a word without its ending), canonical spelling.
    Stem = 3,
    /// Character bigrams of the stems joined.
    StemBi = 4,
    /// Jamo trigrams, spaces removed.
    Jamo = 5,
}

/// How many channels there are.
pub const CHANNELS: usize = 6;

impl Channel {
    /// Every channel, in index order.
    pub const ALL: [Channel; CHANNELS] = [
        Channel::Uni,
        Channel::Bi,
        Channel::Tri,
        Channel::Stem,
        Channel::StemBi,
        Channel::Jamo,
    ];
}

/// One feature of a text and how often it occurs there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Feature {
    pub key: u64,
    pub channel: Channel,
    pub count: f32,
}

/// Texts longer than this many characters are cut before features are taken: a question is a
/// sentence or two, and the cut keeps the time of one match bounded whatever is pasted.
pub const MAX_CHARS: usize = 400;

/// The words of a normalised text, without laughter and crying (`ㅋㅋ`, `ㅠㅠ`): tokens made of
/// compatibility jamo only.
pub fn words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized
        .split(' ')
        .filter(|w| !w.is_empty() && !w.chars().all(is_compat_jamo))
}

/// A word without its ending or particle (the longest learned one that leaves at least one
/// character), mapped to its canonical spelling.
pub fn stem(word: &str, lexicon: &Lexicon) -> String {
    let canonical = lexicon.canonical(word).unwrap_or(word);
    let mut best = canonical;
    for (i, _) in canonical.char_indices().skip(1) {
        if lexicon.is_ending(&canonical[i..]) {
            best = &canonical[..i];
            break;
        }
    }
    lexicon.canonical(best).unwrap_or(best).to_owned()
}

/// The features of a normalised text, counted, in no particular order.
pub fn extract(normalized: &str, lexicon: &Lexicon) -> Vec<Feature> {
    let mut acc: Vec<Feature> = Vec::new();
    let chars: Vec<char> = words(normalized)
        .flat_map(str::chars)
        .take(MAX_CHARS)
        .collect();
    for n in 1..=3 {
        let channel = Channel::ALL[n - 1];
        for gram in chars.windows(n) {
            acc.push(feature(channel, gram));
        }
    }
    let mut stems: Vec<char> = Vec::new();
    for word in words(normalized).take(MAX_CHARS / 2) {
        let s = stem(word, lexicon);
        let sc: Vec<char> = s.chars().collect();
        acc.push(feature(Channel::Stem, &sc));
        stems.extend(sc);
    }
    for gram in stems.windows(2) {
        acc.push(feature(Channel::StemBi, gram));
    }
    let joined: String = chars.iter().collect();
    let jamo: Vec<char> = decompose(&joined).chars().collect();
    for gram in jamo.windows(3) {
        acc.push(feature(Channel::Jamo, gram));
    }
    merge(acc)
}

fn feature(channel: Channel, gram: &[char]) -> Feature {
    Feature {
        key: hash(channel, gram),
        channel,
        count: 1.0,
    }
}

/// Sum the counts of equal keys.
fn merge(mut features: Vec<Feature>) -> Vec<Feature> {
    features.sort_unstable_by_key(|f| f.key);
    let mut out: Vec<Feature> = Vec::with_capacity(features.len());
    for f in features {
        match out.last_mut() {
            Some(last) if last.key == f.key => last.count += f.count,
            _ => out.push(f),
        }
    }
    out
}

/// FNV-1a over the channel and the characters: 64 bits make a collision among the few hundred
/// thousand distinct features of a large knowledge base unlikely, and a collision only adds a
/// little noise to one score.
pub fn hash(channel: Channel, gram: &[char]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (channel as u64);
    h = h.wrapping_mul(PRIME);
    for &c in gram {
        for b in u32::from(c).to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(PRIME);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_does_not_change_character_grams() {
        let a: Vec<_> = extract("할줄 아는거", &Lexicon::builtin())
            .into_iter()
            .filter(|f| f.channel == Channel::Bi)
            .collect();
        let b: Vec<_> = extract("할 줄 아는 거", &Lexicon::builtin())
            .into_iter()
            .filter(|f| f.channel == Channel::Bi)
            .collect();
        assert_eq!(a, b);
    }

    #[test]
    fn laughter_is_not_a_feature() {
        let lex = Lexicon::builtin();
        assert_eq!(extract("배고파 ㅋㅋ", &lex), extract("배고파", &lex));
        assert!(extract("ㅋㅋ ㅠㅠ", &lex).is_empty());
    }

    #[test]
    fn endings_come_off_stems() {
        for (word, want) in [
            ("답답해요", "답답"),
            ("만났어", "만났"),
            ("좋아하나요", "좋아하"),
            ("나", "나"),
            ("영통했어", "영상통화"),
        ] {
            assert_eq!(stem(word, &Lexicon::builtin()), want, "stem({word:?})");
        }
    }

    #[test]
    fn a_long_text_is_cut() {
        let long = "가나다라마바사 ".repeat(2_000);
        let f = extract(&normalize_for_test(&long), &Lexicon::builtin());
        let total: f32 = f
            .iter()
            .filter(|f| f.channel == Channel::Uni)
            .map(|f| f.count)
            .sum();
        assert!(total <= MAX_CHARS as f32);
    }

    fn normalize_for_test(s: &str) -> String {
        crate::normalize(s)
    }
}
