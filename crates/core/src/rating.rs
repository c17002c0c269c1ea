//! Satisfaction ratings (R3.8): a score from 1 to 5 and an optional comment, given at close,
//! in the chat window on web chat and as quick replies on Kakao and Naver.
//!
//! The quick replies carry labels that show the score twice, as stars and as a number
//! (`★★★★☆ 4점`, `★★★★☆ 4/5`), within both platforms' limits (a Naver quick reply's title
//! has at most 10 characters, a Kakao label 14). Pressing one sends its label as the
//! customer's message, so [`Score::from_reply`] reads a label back; it also reads what a
//! customer types instead: `4`, `4점`, `4/5`, `4 stars`, `★★★★`, `★★★★☆`, full-width digits.
//! Stars and a number that disagree, a number outside 1–5, or anything else, are no score
//! (the message is an ordinary message).

use std::fmt;

use i18n::Lang;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// Longest comment, in characters (after trimming).
pub const MAX_COMMENT_CHARS: usize = 500;
/// Longest quick-reply label a platform takes (Naver's title; Kakao allows 14).
pub const MAX_LABEL_CHARS: usize = 10;

const FILLED: [char; 2] = ['★', '⭐'];
const EMPTY: char = '☆';

/// A satisfaction score, 1 (worst) to 5 (best).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Score(u8);

impl Score {
    pub const MIN: Score = Score(1);
    pub const MAX: Score = Score(5);
    /// Best first, the order the quick replies are offered in.
    pub const ALL: [Score; 5] = [Score(5), Score(4), Score(3), Score(2), Score(1)];

    /// A score from a number, as the web chat and the API give it.
    pub fn new(n: i64) -> Result<Score, CoreError> {
        u8::try_from(n)
            .ok()
            .filter(|n| (1..=5).contains(n))
            .map(Score)
            .ok_or_else(|| {
                CoreError::field("score", format!("{n} is not a score: expected 1 to 5"))
            })
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// The quick-reply label in `lang`: stars, then the number.
    pub fn label(self, lang: Lang) -> String {
        let n = usize::from(self.0);
        let stars: String = std::iter::repeat_n(FILLED[0], n)
            .chain(std::iter::repeat_n(EMPTY, 5 - n))
            .collect();
        match lang {
            Lang::Ko => format!("{stars} {n}점"),
            Lang::En => format!("{stars} {n}/5"),
        }
    }

    /// The score a customer's message gives, if it is one (see the module documentation).
    pub fn from_reply(text: &str) -> Option<Score> {
        let mut filled = 0usize;
        let mut empty = 0usize;
        let mut rest = String::new();
        for c in text.trim().chars() {
            if FILLED.contains(&c) {
                filled += 1;
            } else if c == EMPTY {
                empty += 1;
            } else if c == '\u{fe0f}' {
                // The emoji presentation selector after ⭐.
            } else if let Some(d) = full_width_digit(c) {
                rest.push(d);
            } else if !c.is_whitespace() {
                rest.extend(c.to_lowercase());
            }
        }
        let from_stars = match (filled, empty) {
            (0, 0) => None,
            (f @ 1..=5, 0) => Some(f),
            (f @ 1..=5, e) if f + e == 5 => Some(f),
            _ => return None,
        };
        let from_number = if rest.is_empty() {
            None
        } else {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let suffix = &rest[digits.len()..];
            if !["", "점", "/5", "star", "stars"].contains(&suffix) {
                return None;
            }
            Some(digits.parse::<usize>().ok()?)
        };
        let n = match (from_stars, from_number) {
            (Some(s), Some(n)) if s != n => return None,
            (Some(s), _) => s,
            (None, Some(n)) => n,
            (None, None) => return None,
        };
        u8::try_from(n)
            .ok()
            .filter(|n| (1..=5).contains(n))
            .map(Score)
    }
}

fn full_width_digit(c: char) -> Option<char> {
    let offset = u32::from(c).checked_sub(u32::from('０'))?;
    (offset < 10)
        .then(|| char::from_digit(offset, 10))
        .flatten()
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<i64> for Score {
    type Error = CoreError;

    fn try_from(n: i64) -> Result<Self, Self::Error> {
        Score::new(n)
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

/// One button of the rating question on a messenger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickReply {
    /// What the button shows and, pressed, sends.
    pub label: String,
    pub score: Score,
}

/// The rating buttons in `lang`, best first.
pub fn quick_replies(lang: Lang) -> Vec<QuickReply> {
    Score::ALL
        .into_iter()
        .map(|score| QuickReply {
            label: score.label(lang),
            score,
        })
        .collect()
}

/// A customer's rating of a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub score: Score,
    /// Trimmed, line breaks kept, other control characters dropped; none when empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Rating {
    /// A rating as given: the score 1 to 5, the comment at most [`MAX_COMMENT_CHARS`].
    pub fn new(score: i64, comment: Option<&str>) -> Result<Rating, CoreError> {
        let score = Score::new(score)?;
        Ok(Rating {
            score,
            comment: check_comment(comment)?,
        })
    }
}

/// How long after its close a consultation may still be rated: a week, long enough for a
/// customer who comes back to the chat window the next day, short enough that a score says
/// something about the consultation as it was.
pub const RATING_WINDOW_MS: i64 = 7 * 24 * 3_600_000;

/// Whether a consultation in `state`, answered by an agent or not (`had_agent`), closed at
/// `closed_at` and rated at `rated_at`, may be rated at `now`: only one an agent had and that
/// has ended, once, within [`RATING_WINDOW_MS`] of its close.
pub fn may_rate(
    state: crate::ConsultationState,
    had_agent: bool,
    closed_at: Option<i64>,
    rated_at: Option<i64>,
    now: i64,
) -> Result<(), CoreError> {
    if rated_at.is_some() {
        return Err(CoreError::AlreadyRated);
    }
    let Some(closed_at) = closed_at.filter(|_| state == crate::ConsultationState::Closed) else {
        return Err(CoreError::NotRateable);
    };
    if !had_agent {
        return Err(CoreError::NotRateable);
    }
    if now.saturating_sub(closed_at) > RATING_WINDOW_MS {
        return Err(CoreError::RatingTooLate {
            days: RATING_WINDOW_MS / (24 * 3_600_000),
        });
    }
    Ok(())
}

/// A comment as it is stored; see [`Rating::comment`].
pub fn check_comment(comment: Option<&str>) -> Result<Option<String>, CoreError> {
    let text = comment.unwrap_or_default().replace("\r\n", "\n");
    let text: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let chars = text.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err(CoreError::field(
            "comment",
            format!("a comment has at most {MAX_COMMENT_CHARS} characters; this one has {chars}"),
        ));
    }
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use crate::ConsultationState as S;

    #[test]
    fn only_an_ended_consultation_with_an_agent_is_rated_once_within_the_window() {
        let closed = Some(1_000);
        assert_eq!(
            super::may_rate(S::Closed, true, closed, None, 1_000),
            Ok(())
        );
        assert_eq!(
            super::may_rate(
                S::Closed,
                true,
                closed,
                None,
                1_000 + super::RATING_WINDOW_MS
            ),
            Ok(())
        );
        assert_eq!(
            super::may_rate(
                S::Closed,
                true,
                closed,
                None,
                1_001 + super::RATING_WINDOW_MS
            ),
            Err(CoreError::RatingTooLate { days: 7 })
        );
        assert_eq!(
            super::may_rate(S::Closed, true, closed, Some(2_000), 3_000),
            Err(CoreError::AlreadyRated)
        );
        for state in [S::InProgress, S::Waiting, S::Bot, S::BotWaiting] {
            assert_eq!(
                super::may_rate(state, true, None, None, 3_000),
                Err(CoreError::NotRateable),
                "{state:?}"
            );
        }
        assert_eq!(
            super::may_rate(S::Closed, false, closed, None, 3_000),
            Err(CoreError::NotRateable),
            "nobody answered it"
        );
    }

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn labels_fit_both_messengers_and_read_back() {
        for lang in Lang::ALL {
            let replies = quick_replies(lang);
            assert_eq!(replies.len(), 5);
            assert_eq!(replies[0].score, Score::MAX);
            for r in replies {
                assert!(r.label.chars().count() <= MAX_LABEL_CHARS, "{}", r.label);
                assert_eq!(Score::from_reply(&r.label), Some(r.score), "{}", r.label);
            }
        }
        assert_eq!(Score(4).label(Lang::Ko), "★★★★☆ 4점");
        assert_eq!(Score(1).label(Lang::En), "★☆☆☆☆ 1/5");
    }

    #[test]
    fn what_customers_type_reads_as_a_score() {
        for (text, score) in [
            ("4", Some(4)),
            (" 5점 ", Some(5)),
            ("3 점", Some(3)),
            ("2/5", Some(2)),
            ("4 / 5", Some(4)),
            ("５점", Some(5)),
            ("4 stars", Some(4)),
            ("1 Star", Some(1)),
            ("★★★★", Some(4)),
            ("★★★★☆", Some(4)),
            ("⭐⭐⭐", Some(3)),
            ("⭐\u{fe0f}⭐\u{fe0f}", Some(2)),
            ("★★★☆☆ 3점", Some(3)),
            // Stars and a number that disagree, or no score at all.
            ("★★★☆☆ 4점", None),
            ("★★☆", None),
            ("☆☆☆☆☆", None),
            ("★★★★★★", None),
            ("0", None),
            ("6점", None),
            ("10", None),
            ("45", None),
            ("4점 주고 싶어요", None),
            ("감사합니다", None),
            ("", None),
            ("-3", None),
        ] {
            assert_eq!(Score::from_reply(text).map(Score::get), score, "{text:?}");
        }
    }

    #[test]
    fn scores_and_comments_are_checked() {
        assert_eq!(Score::new(3).map(Score::get), Ok(3));
        for bad in [0, 6, -1, i64::MAX] {
            assert_eq!(Score::new(bad).unwrap_err().field_name(), Some("score"));
        }
        let r = Rating::new(5, Some("  친절했어요\r\n감사합니다 \u{7} ")).unwrap();
        assert_eq!(r.comment.as_deref(), Some("친절했어요\n감사합니다"));
        assert_eq!(Rating::new(5, Some("   ")).unwrap().comment, None);
        assert_eq!(Rating::new(5, None).unwrap().comment, None);
        let long = "가".repeat(MAX_COMMENT_CHARS + 1);
        let e = Rating::new(4, Some(&long)).unwrap_err();
        assert_eq!(e.field_name(), Some("comment"));
        assert!(e.to_string().contains("500"));
        assert!(Rating::new(4, Some(&long[..long.len() - 3])).is_ok());
    }

    #[test]
    fn a_score_is_a_number_in_json() {
        let r = Rating::new(4, Some("좋아요")).unwrap();
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({"score": 4, "comment": "좋아요"})
        );
        assert_eq!(serde_json::from_str::<Score>("5").unwrap(), Score::MAX);
        assert!(serde_json::from_str::<Score>("7").is_err());
    }

    proptest! {
        /// Every label, with any spacing around it, reads back as its score.
        #[test]
        fn a_label_round_trips(n in 1i64..=5, ko in any::<bool>(), pad in "[ \t]{0,3}") {
            let score = Score::new(n).unwrap();
            let lang = if ko { Lang::Ko } else { Lang::En };
            let text = format!("{pad}{}{pad}", score.label(lang));
            prop_assert_eq!(Score::from_reply(&text), Some(score));
        }

        /// Whatever a customer sends, reading never panics, and a score it finds is written
        /// in it: as that digit or as that many filled stars.
        #[test]
        fn a_score_is_only_read_where_it_is_written(text in "[0-9０-９★☆⭐점/a-z 가-힣]{0,12}") {
            if let Some(score) = Score::from_reply(&text) {
                let n = usize::from(score.get());
                let digit = char::from(b'0' + score.get());
                let full = char::from_u32(u32::from('０') + u32::from(score.get())).unwrap();
                let stars = text.chars().filter(|c| FILLED.contains(c)).count();
                prop_assert!(
                    text.contains(digit) || text.contains(full) || stars == n,
                    "{:?} read as {}", text, n
                );
            }
        }
    }
}
