//! Structured reports of everything that did not go in as written.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of problem a parameter had. Serialised in snake_case; the codes are a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// The value was longer than its limit and was cut; the cut value is stored.
    Truncated,
    /// The value was longer than its limit and was refused (cutting it would change its meaning).
    TooLong,
    /// The value has the wrong type or format and was not stored.
    Invalid,
    /// The parameter is output-only and cannot be set by a chat URL.
    ReadOnly,
    /// A custom slot that the site has not enabled.
    NotEnabled,
    /// The parameter appeared more than once; the last value won.
    Duplicate,
    /// The value was not UTF-8 but CP949/EUC-KR (old browsers) and was decoded as such.
    LegacyEncoding,
    /// A separator mangled by copy-paste (`&para` shown as `¶`) was recognised and repaired.
    MangledSeparator,
    /// An unfilled template placeholder such as `{고객ID}`; treated as absent.
    Placeholder,
    /// A stand-in for "no value" such as `undefined` or `0`; treated as absent.
    Sentinel,
    /// The parameter was understood but deliberately not used.
    Ignored,
    /// A known misspelling (`in_login`) was read as what it meant.
    Misspelled,
    /// An ID that could not be verified with the site's secret.
    Unverified,
    /// An id that names nothing of the site (a `category_id` or `division_id` not in its
    /// category tree); what it would have classified falls back.
    Unknown,
    /// An id of something the site has switched off (an unused category or division).
    Unused,
    /// Two values that do not belong together (a division of another category).
    Mismatch,
}

impl WarningCode {
    /// The stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::Truncated => "truncated",
            WarningCode::TooLong => "too_long",
            WarningCode::Invalid => "invalid",
            WarningCode::ReadOnly => "read_only",
            WarningCode::NotEnabled => "not_enabled",
            WarningCode::Duplicate => "duplicate",
            WarningCode::LegacyEncoding => "legacy_encoding",
            WarningCode::MangledSeparator => "mangled_separator",
            WarningCode::Placeholder => "placeholder",
            WarningCode::Sentinel => "sentinel",
            WarningCode::Ignored => "ignored",
            WarningCode::Misspelled => "misspelled",
            WarningCode::Unverified => "unverified",
            WarningCode::Unknown => "unknown",
            WarningCode::Unused => "unused",
            WarningCode::Mismatch => "mismatch",
        }
    }
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with one parameter: `{param, code, detail}`.
///
/// `param` is the parameter's name as it was written (so an integrator can find it in the URL);
/// `detail` is a sentence for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    pub param: String,
    pub code: WarningCode,
    pub detail: String,
}

impl Warning {
    pub fn new(param: impl Into<String>, code: WarningCode, detail: impl Into<String>) -> Self {
        Warning {
            param: param.into(),
            code,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.param, self.code, self.detail)
    }
}

/// A value shortened for inclusion in a detail sentence, so one huge parameter cannot make a
/// report huge.
pub(crate) fn excerpt(value: &str) -> String {
    const MAX: usize = 40;
    let mut chars = value.char_indices();
    match chars.nth(MAX) {
        None => format!("{value:?}"),
        Some((cut, _)) => format!("{:?}…", &value[..cut]),
    }
}
