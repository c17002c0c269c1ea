//! Writing the chat URL a site publishes (R1.5), with values or placeholders.
//!
//! Every value is percent-encoded with a strict set (only `A–Z a–z 0–9 - . _ ~` stay as they
//! are), and web chat v2 values are also quoted `('…')`, so no value can be mistaken for a
//! separator: building then parsing gives back exactly the values given.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::channel::Channel;
use crate::decode::{Plus, decode};
use crate::param::{Field, Known, Slot, classify};
use crate::parse::{judge_custom, judge_field, v2_raw_items};
use crate::settings::Settings;
use crate::syntax::{query_parts, segments, split_pair};
use crate::warning::{Warning, WarningCode};

/// Characters kept as they are in a value: RFC 3986's unreserved set.
pub(crate) const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters encoded inside a placeholder label, which stays readable (`{유입경로}`) but must
/// not contain a separator of any channel.
const LABEL: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'+')
    .add(b',')
    .add(b'=')
    .add(b'?')
    .add(b'|');

/// A placeholder label kept readable (`유입경로` stays as it is) with separators encoded.
fn readable_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut buf = [0u8; 4];
    for c in label.chars() {
        if c.is_ascii() {
            out.extend(utf8_percent_encode(c.encode_utf8(&mut buf), LABEL));
        } else if c == '¶' || c.is_control() {
            out.extend(utf8_percent_encode(
                c.encode_utf8(&mut buf),
                NON_ALPHANUMERIC,
            ));
        } else {
            out.push(c);
        }
    }
    out
}

/// What a parameter is set to in a built URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A real value (fill mode).
    Value(String),
    /// A placeholder the integrator replaces, written `{label}`.
    Placeholder(String),
}

/// One parameter to write into a chat URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub value: ParamValue,
}

impl Param {
    pub fn value(name: impl Into<String>, value: impl Into<String>) -> Self {
        Param {
            name: name.into(),
            value: ParamValue::Value(value.into()),
        }
    }

    pub fn placeholder(name: impl Into<String>, label: impl Into<String>) -> Self {
        Param {
            name: name.into(),
            value: ParamValue::Placeholder(label.into()),
        }
    }
}

/// Why a URL could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("the base chat URL is empty")]
    EmptyBase,
    /// Values the parser would not read back as given; each problem as the parser reports it.
    #[error("{}", Problems(.0))]
    Rejected(Vec<Warning>),
}

struct Problems<'a>(&'a [Warning]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, w) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{w}")?;
        }
        Ok(())
    }
}

/// Placeholders for a chat-URL template: the requested fixed fields with the help page's labels
/// (`site_uid={고객ID}`), then every enabled custom slot labelled by its description
/// (`parameter1={유입경로}`).
pub fn placeholder_params(settings: &Settings, fixed: &[Field]) -> Vec<Param> {
    let fixed = fixed
        .iter()
        .map(|f| Param::placeholder(f.name(), f.placeholder_label()));
    let custom = settings
        .enabled_slots()
        .map(|s| Param::placeholder(s.name(), settings.label(s)));
    fixed.chain(custom).collect()
}

/// Which existing parameter a name replaces: aliases and v1's login pair count as the same.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Identity {
    Field(Field),
    Custom(Slot),
    Params,
    Other(String),
}

fn identity(name: &str, channel: Channel) -> Identity {
    match classify(name, channel) {
        Known::Field(f) => Identity::Field(f),
        Known::Uid | Known::IsLogin { .. } => Identity::Field(Field::SiteUid),
        Known::Custom(s) => Identity::Custom(s),
        Known::Params => Identity::Params,
        Known::ReadOnly | Known::Extra => Identity::Other(name.to_owned()),
    }
}

/// Builds the chat URL of `channel` from `base` with `params` appended in the channel's syntax.
/// Parameters of the same name already in `base` are replaced.
///
/// Values are checked by the same rules the parser applies; a value the parser would cut, refuse
/// or report is an error, so a built URL always reads back exactly.
pub fn build(
    channel: Channel,
    base: &str,
    params: &[Param],
    settings: &Settings,
) -> Result<String, BuildError> {
    let base = base.trim();
    if base.is_empty() {
        return Err(BuildError::EmptyBase);
    }
    let mut problems = Vec::new();
    let mut seen: Vec<Identity> = Vec::new();
    // (name as written in the URL, encoded value or raw placeholder, goes into v2's list)
    let mut out: Vec<(String, String, bool)> = Vec::new();
    for p in params {
        let name = p.name.trim();
        let id = identity(name, channel);
        if seen.contains(&id) {
            problems.push(Warning::new(
                name,
                WarningCode::Duplicate,
                "set more than once",
            ));
            continue;
        }
        seen.push(id.clone());
        let placeholder = matches!(p.value, ParamValue::Placeholder(_));
        let text = match &p.value {
            ParamValue::Value(v) | ParamValue::Placeholder(v) => v.as_str(),
        };
        let (written_name, in_list) = match classify(name, channel) {
            Known::Field(field) => {
                if !placeholder {
                    let j = judge_field(field, name, Cow::Borrowed(text), settings);
                    match (j.value, j.warning) {
                        (_, Some(w)) => {
                            problems.push(w);
                            continue;
                        }
                        (None, None) => continue,
                        (Some(_), None) => {}
                    }
                }
                if channel == Channel::WebchatV1 && field == Field::SiteUid {
                    out.push(("is_login".into(), "Y".into(), false));
                    ("uid".to_owned(), false)
                } else {
                    (field.spelling(channel).to_owned(), true)
                }
            }
            Known::Custom(slot) => {
                if !placeholder {
                    let j = judge_custom(slot, name, Cow::Borrowed(text), settings);
                    match (j.value, j.warning) {
                        (_, Some(w)) => {
                            problems.push(w);
                            continue;
                        }
                        (None, None) => continue,
                        (Some(_), None) => {}
                    }
                } else if !settings.is_enabled(slot) {
                    problems.push(Warning::new(
                        name,
                        WarningCode::NotEnabled,
                        format!("{slot} is not enabled for this site"),
                    ));
                    continue;
                }
                (slot.name().to_owned(), true)
            }
            Known::ReadOnly => {
                problems.push(Warning::new(
                    name,
                    WarningCode::ReadOnly,
                    format!("{name} is output only and cannot be set in a chat URL"),
                ));
                continue;
            }
            Known::Uid | Known::IsLogin { .. } => {
                problems.push(Warning::new(
                    name,
                    WarningCode::Invalid,
                    "set the ID as site_uid: web chat v1 URLs get uid and is_login=Y from it",
                ));
                continue;
            }
            Known::Params => {
                problems.push(Warning::new(
                    name,
                    WarningCode::Invalid,
                    "params is web chat v2's parameter list itself; set its parameters by name",
                ));
                continue;
            }
            Known::Extra => {
                if name.is_empty() {
                    problems.push(Warning::new(
                        name,
                        WarningCode::Invalid,
                        "a parameter needs a name",
                    ));
                    continue;
                }
                (name.to_owned(), false)
            }
        };
        let written_value = if placeholder {
            format!("{{{}}}", readable_label(text))
        } else {
            utf8_percent_encode(text, VALUE).to_string()
        };
        out.push((written_name, written_value, in_list));
    }
    if !problems.is_empty() {
        return Err(BuildError::Rejected(problems));
    }
    let replaced = |name: &str| {
        let id = identity(decode(name, Plus::Space).0.trim(), channel);
        seen.contains(&id)
    };
    Ok(match channel {
        Channel::Naver => naver_url(base, &out, replaced),
        Channel::WebchatV2 => v2_url(base, &out, replaced),
        Channel::Kakao | Channel::WebchatV1 => {
            let pairs: Vec<String> = out
                .iter()
                .map(|(n, v, _)| format!("{}={v}", utf8_percent_encode(n, VALUE)))
                .collect();
            query_url(base, &pairs, replaced)
        }
    })
}

/// Appends `pairs` to the query of `base`, dropping base parameters that are replaced.
fn query_url(base: &str, pairs: &[String], replaced: impl Fn(&str) -> bool) -> String {
    let parts = query_parts(base);
    let mut url = parts.base.to_owned();
    let kept = parts
        .query
        .into_iter()
        .flat_map(|q| segments(q, '&'))
        .filter(|s| !replaced(split_pair(s).0));
    let all: Vec<&str> = kept.chain(pairs.iter().map(String::as_str)).collect();
    if !all.is_empty() {
        url.push('?');
        url.push_str(&all.join("&"));
    }
    if let Some(fragment) = parts.fragment {
        url.push('#');
        url.push_str(fragment);
    }
    url
}

fn v2_url(base: &str, out: &[(String, String, bool)], replaced: impl Fn(&str) -> bool) -> String {
    // Items of a `params` list already in the base survive, as written, unless replaced.
    let mut items: Vec<String> = Vec::new();
    if let Some(query) = query_parts(base).query {
        for segment in segments(query, '&') {
            let (name, value) = split_pair(segment);
            if decode(name, Plus::Space).0.trim() == "params" {
                let wholly_encoded = !value.contains('=');
                let list = if wholly_encoded {
                    decode(value, Plus::Space).0
                } else {
                    Cow::Borrowed(value)
                };
                items.extend(
                    v2_raw_items(&list)
                        .into_iter()
                        .filter(|(name, _)| !replaced(name))
                        .map(|(_, raw)| raw.to_owned()),
                );
            }
        }
    }
    items.extend(
        out.iter()
            .filter(|(_, _, in_list)| *in_list)
            .map(|(n, v, _)| format!("{}=('{v}')", utf8_percent_encode(n, VALUE))),
    );
    let mut pairs: Vec<String> = Vec::new();
    if !items.is_empty() {
        pairs.push(format!("params={}", items.join(",")));
    }
    pairs.extend(
        out.iter()
            .filter(|(_, _, in_list)| !*in_list)
            .map(|(n, v, _)| format!("{}={v}", utf8_percent_encode(n, VALUE))),
    );
    let replaced_or_params =
        |name: &str| replaced(name) || decode(name, Plus::Space).0.trim() == "params";
    query_url(base, &pairs, replaced_or_params)
}

fn naver_url(
    base: &str,
    out: &[(String, String, bool)],
    replaced: impl Fn(&str) -> bool,
) -> String {
    let (head, kept): (&str, Vec<&str>) = match base.split_once('|') {
        Some((head, pipes)) => (
            head,
            segments(pipes, '|')
                .filter(|s| !replaced(split_pair(s).0))
                .collect(),
        ),
        None => (base, Vec::new()),
    };
    // Parameters in the base's own query are replaced too.
    let mut url = query_url(head, &[], &replaced);
    for segment in kept {
        url.push('|');
        url.push_str(segment);
    }
    for (n, v, _) in out {
        url.push('|');
        url.push_str(&utf8_percent_encode(n, VALUE).to_string());
        url.push('=');
        url.push_str(v);
    }
    url
}
