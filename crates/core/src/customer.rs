//! What agents keep about a customer beside the profile's values (R3.6): a memo with its
//! history, a flag, tags, and the customer's grade.
//!
//! - The memo is kept as versions: each save adds one (who wrote what, when), the newest is
//!   the memo. An empty save clears it and is itself a version, so the history shows who
//!   cleared it.
//! - Tags come from the site's list (kept by the admin) or are typed freely; either way they
//!   are normalised the same ([`normalize_tag`]) and a profile has at most [`MAX_TAGS`].
//! - The grade is [`Grade::Normal`], [`Grade::Vip`] or [`Grade::Blocked`]. A blocked
//!   customer's new consultations are recorded, answered with the site's polite `blocked`
//!   message and closed as they open (end type `blocked`): they never reach the queue or an
//!   agent. A consultation already going on when the customer is blocked goes on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// Longest memo, in characters.
pub const MAX_MEMO_CHARS: usize = 2000;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 20;
/// Most tags one profile carries.
pub const MAX_TAGS: usize = 20;
/// Most tags in a site's list.
pub const MAX_SITE_TAGS: usize = 100;

/// How the site treats a customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Grade {
    #[default]
    Normal,
    /// Shown to agents wherever the customer appears.
    Vip,
    /// Their new consultations are answered politely, recorded and closed; no agent sees them
    /// in the queue.
    Blocked,
}

impl Grade {
    pub const ALL: [Grade; 3] = [Grade::Normal, Grade::Vip, Grade::Blocked];

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Normal => "normal",
            Grade::Vip => "vip",
            Grade::Blocked => "blocked",
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Grade {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or_else(|| {
                CoreError::field(
                    "grade",
                    format!("{s:?} is not a grade: expected normal, vip or blocked"),
                )
            })
    }
}

/// A memo as it is saved: trimmed, at most [`MAX_MEMO_CHARS`], no control characters but line
/// breaks and tabs, line breaks made `\n`. `""` clears the memo.
pub fn normalize_memo(text: &str) -> Result<String, CoreError> {
    let text = text.trim();
    // Counted as given (a CR LF is two), so the limit is the one the API document states.
    let chars = text.chars().count();
    if chars > MAX_MEMO_CHARS {
        return Err(CoreError::field(
            "body",
            format!("a memo has at most {MAX_MEMO_CHARS} characters; this one has {chars}"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(CoreError::field(
            "body",
            "a memo may contain line breaks but no other control characters",
        ));
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// A tag as it is kept: trimmed, 1 to [`MAX_TAG_CHARS`] characters, without control
/// characters or commas, not starting with `#` (a tag is shown as `#tag`, and lists of tags
/// are typed with commas).
pub fn normalize_tag(field: &'static str, tag: &str) -> Result<String, CoreError> {
    let tag = tag.trim();
    let chars = tag.chars().count();
    if chars == 0 {
        return Err(CoreError::field(field, "a tag cannot be empty"));
    }
    if chars > MAX_TAG_CHARS {
        return Err(CoreError::field(
            field,
            format!("a tag has at most {MAX_TAG_CHARS} characters; {tag:?} has {chars}"),
        ));
    }
    if tag.chars().any(|c| c.is_control() || c == ',') || tag.starts_with('#') {
        return Err(CoreError::field(
            field,
            format!("{tag:?}: a tag cannot contain commas or control characters, nor start with #"),
        ));
    }
    Ok(tag.to_owned())
}

/// A list of tags as it is kept: at most `max` given, each normalised, duplicates (ignoring
/// case) dropped keeping the first.
pub fn normalize_tags(
    field: &'static str,
    tags: &[String],
    max: usize,
) -> Result<Vec<String>, CoreError> {
    if tags.len() > max {
        return Err(CoreError::field(
            field,
            format!("at most {max} tags; {} given", tags.len()),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for tag in tags {
        let tag = normalize_tag(field, tag)?;
        if !out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            out.push(tag);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_round_trip_and_refuse_others() {
        for g in Grade::ALL {
            assert_eq!(g.as_str().parse::<Grade>().unwrap(), g);
        }
        let e = "VIP".parse::<Grade>().unwrap_err();
        assert_eq!(e.code(), "invalid_field");
        assert_eq!(e.field_name(), Some("grade"));
        assert_eq!(Grade::default(), Grade::Normal);
    }

    #[test]
    fn memos_are_trimmed_and_bounded() {
        assert_eq!(normalize_memo("  a\r\nb\rc  ").unwrap(), "a\nb\nc");
        // Counted as given: a CR LF is two characters.
        assert!(normalize_memo(&format!("{}a", "a\r\n".repeat(667))).is_err());
        assert!(normalize_memo(&format!("{}a", "a\r\n".repeat(666))).is_ok());
        assert_eq!(normalize_memo("   ").unwrap(), "");
        assert_eq!(normalize_memo("탭\t허용").unwrap(), "탭\t허용");
        let long = "가".repeat(MAX_MEMO_CHARS);
        assert_eq!(normalize_memo(&long).unwrap(), long);
        let e = normalize_memo(&format!("{long}나")).unwrap_err();
        assert!(e.to_string().contains("2001"), "{e}");
        assert!(normalize_memo("a\u{7}b").is_err());
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(
            normalize_tag("tag", "  재구매  고객 ").unwrap(),
            "재구매  고객"
        );
        assert_eq!(
            normalize_tag("tag", &"가".repeat(20)).unwrap(),
            "가".repeat(20)
        );
        for bad in ["", "   ", "a,b", "#vip", "a\u{0}b", &"가".repeat(21)] {
            let e = normalize_tag("tag", bad).unwrap_err();
            assert_eq!(e.field_name(), Some("tag"), "{bad:?}");
        }
        // Inside a tag, # is text.
        assert_eq!(normalize_tag("tag", "C#").unwrap(), "C#");
    }

    #[test]
    fn tag_lists_drop_duplicates_and_keep_the_limit() {
        let given: Vec<String> = ["VIP", "vip ", "환불", " 환불"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            normalize_tags("tags", &given, 5).unwrap(),
            vec!["VIP".to_owned(), "환불".to_owned()]
        );
        let many: Vec<String> = (0..=MAX_TAGS).map(|i| format!("t{i}")).collect();
        let e = normalize_tags("tags", &many, MAX_TAGS).unwrap_err();
        assert!(e.to_string().contains("at most 20"), "{e}");
        assert!(normalize_tags("tags", &many[..MAX_TAGS], MAX_TAGS).is_ok());
        // The limit is on what is given, duplicates included.
        let mut dup = many[..MAX_TAGS - 1].to_vec();
        dup.push("T0".into());
        assert_eq!(
            normalize_tags("tags", &dup, MAX_TAGS).unwrap().len(),
            MAX_TAGS - 1
        );
        dup.push("T1".into());
        assert!(normalize_tags("tags", &dup, MAX_TAGS).is_err());
        assert!(normalize_tags("tags", &["a,b".into()], 5).is_err());
    }
}
