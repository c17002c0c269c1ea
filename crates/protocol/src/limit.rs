//! One broken limit of an outgoing message, shared by both protocols.

use std::fmt;

use serde::Serialize;

/// What kind of rule an outgoing message broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// A text is longer than `limit` characters (Unicode scalar values, not bytes).
    TooLong,
    /// A list has more than `limit` entries.
    TooMany,
    /// A list has fewer than `limit` entries.
    TooFew,
    /// A required value is missing or empty (`limit` 1, `actual` 0).
    Required,
    /// A value is not one the protocol accepts (`limit` and `actual` are 0).
    Invalid,
}

/// One limit an outgoing message breaks, located by a JSON path such as
/// `template.outputs[0].simpleText.text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LimitError {
    /// Where, in the serialised JSON, e.g. `template.outputs[1].carousel.items[0].title`.
    pub path: String,
    /// The bound: a maximum for [`LimitKind::TooLong`]/[`LimitKind::TooMany`], a minimum for
    /// [`LimitKind::TooFew`]/[`LimitKind::Required`], 0 for [`LimitKind::Invalid`].
    pub limit: usize,
    /// The value found: a character or entry count (0 for [`LimitKind::Invalid`]).
    pub actual: usize,
    pub kind: LimitKind,
    /// A sentence for a person, e.g. "simpleText.text is 1204 characters; at most 1000".
    pub message: String,
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for LimitError {}

/// Counts characters as the platforms do: Unicode scalar values (a Hangul syllable is one).
pub(crate) fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Collects broken limits while walking a message.
#[derive(Debug, Default)]
pub(crate) struct Checker {
    pub(crate) errors: Vec<LimitError>,
}

impl Checker {
    pub(crate) fn max_chars(&mut self, path: &str, what: &str, s: &str, limit: usize) {
        let actual = chars(s);
        if actual > limit {
            self.errors.push(LimitError {
                path: path.to_owned(),
                limit,
                actual,
                kind: LimitKind::TooLong,
                message: format!("{what} is {actual} characters; at most {limit} are allowed"),
            });
        }
    }

    pub(crate) fn max_items(&mut self, path: &str, what: &str, actual: usize, limit: usize) {
        if actual > limit {
            self.errors.push(LimitError {
                path: path.to_owned(),
                limit,
                actual,
                kind: LimitKind::TooMany,
                message: format!("{what} has {actual} entries; at most {limit} are allowed"),
            });
        }
    }

    pub(crate) fn min_items(&mut self, path: &str, what: &str, actual: usize, limit: usize) {
        if actual < limit {
            self.errors.push(LimitError {
                path: path.to_owned(),
                limit,
                actual,
                kind: LimitKind::TooFew,
                message: format!("{what} has {actual} entries; at least {limit} are required"),
            });
        }
    }

    /// A required text: present and not blank.
    pub(crate) fn required(&mut self, path: &str, what: &str, s: Option<&str>) {
        if s.is_none_or(|s| s.trim().is_empty()) {
            self.missing(path, what);
        }
    }

    pub(crate) fn missing(&mut self, path: &str, what: &str) {
        self.errors.push(LimitError {
            path: path.to_owned(),
            limit: 1,
            actual: 0,
            kind: LimitKind::Required,
            message: format!("{what} is required"),
        });
    }

    pub(crate) fn invalid(&mut self, path: &str, message: String) {
        self.errors.push(LimitError {
            path: path.to_owned(),
            limit: 0,
            actual: 0,
            kind: LimitKind::Invalid,
            message,
        });
    }

    pub(crate) fn finish(self) -> Result<(), Vec<LimitError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}
