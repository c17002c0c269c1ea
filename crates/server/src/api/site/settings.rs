//! What a settings save (`PUT /api/v1/site/settings`) accepts: one rule set for the page and
//! the API; a refused save changes nothing.
//! - custom slots: exactly ten; a description has at most 20 characters and no control
//!   characters, and an enabled slot needs one (it is the label agents, reports and the
//!   chat-URL placeholder `parameter1={유입경로}` show);
//! - sentinels: at most 50 values of at most 50 characters each, trimmed, blanks dropped,
//!   duplicates (ignoring ASCII case) kept once;
//! - the consultation-info URL template: empty clears it; otherwise an `http(s)://` URL of at
//!   most 2000 characters whose `[variables]` are all known (`inflow::Template`);
//! - the Kakao channel and Naver TalkTalk base URLs: empty clears; otherwise `http(s)://host…`
//!   of at most 2000 characters without spaces.

use inflow::{Channel, Settings, SlotSetting, TemplateError};
use serde::{Deserialize, Deserializer};
use store::ChannelUrls;
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;

use crate::api::patterns;
use crate::error::{ErrorCode, FieldError};

/// Longest custom-slot description (the help page's limit for a custom value, reused so that a
/// label fits where its value does).
pub const MAX_DESCRIPTION_CHARS: usize = 20;
pub const MAX_SENTINELS: usize = 50;
pub const MAX_SENTINEL_CHARS: usize = 50;
pub const MAX_URL_CHARS: usize = 2000;

/// One custom slot as sent by the page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotInput {
    pub enabled: bool,
    /// At most 20 characters (trimmed), no control characters; required when enabled.
    #[serde(default)]
    pub description: String,
}

/// An enabled slot needs a description, which the derive cannot say.
impl utoipa::PartialSchema for SlotInput {
    fn schema() -> RefOr<Schema> {
        let slot = |enabled: bool| {
            let description = patterns::trimmed_text(MAX_DESCRIPTION_CHARS, enabled);
            let mut slot = serde_json::json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["enabled"],
                "properties": {
                    "enabled": {"type": "boolean", "enum": [enabled]},
                    "description": {"type": "string", "pattern": description},
                },
            });
            if enabled {
                slot["required"] = serde_json::json!(["enabled", "description"]);
            }
            slot
        };
        serde_json::from_value(serde_json::json!({
            "description": "One custom slot: `enabled`, and its `description` (at most 20 \
                            characters, trimmed, no control characters; required when enabled).",
            "anyOf": [slot(false), slot(true)],
        }))
        .unwrap_or_else(|_| RefOr::T(Schema::default()))
    }
}

impl ToSchema for SlotInput {}

/// The channel base URLs as sent; a missing, null or empty one is "not set".
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelUrlsInput {
    /// The KakaoTalk channel's chat URL: empty, or an `http(s)://` address without spaces of at
    /// most 2000 characters.
    #[serde(default)]
    #[schema(schema_with = channel_url_schema)]
    pub kakao: Option<String>,
    /// The Naver TalkTalk URL, likewise.
    #[serde(default)]
    #[schema(schema_with = channel_url_schema)]
    pub naver: Option<String>,
}

fn channel_url_schema() -> utoipa::openapi::Object {
    patterns::string(patterns::http_url_or_empty(MAX_URL_CHARS), true)
}

fn template_schema() -> utoipa::openapi::Object {
    patterns::string(
        patterns::template_or_empty(MAX_URL_CHARS, &super::template_variables()),
        true,
    )
}

fn sentinels_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, SchemaType, Type};
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(patterns::string(
            patterns::trimmed_text(MAX_SENTINEL_CHARS, false),
            false,
        ))
        .max_items(Some(MAX_SENTINELS))
        .build()
}

/// Parts of a save that are objects are read only from JSON objects (serde would also take a
/// struct written as an array of its fields).
fn slot_objects<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<SlotInput>>, D::Error> {
    let given: Option<Vec<serde_json::Map<String, serde_json::Value>>> = Option::deserialize(d)?;
    given
        .map(|slots| {
            slots
                .into_iter()
                .map(|m| serde_json::from_value(serde_json::Value::Object(m)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(serde::de::Error::custom)
        })
        .transpose()
}

fn urls_object<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ChannelUrlsInput>, D::Error> {
    let given: Option<serde_json::Map<String, serde_json::Value>> = Option::deserialize(d)?;
    given
        .map(|m| serde_json::from_value(serde_json::Value::Object(m)))
        .transpose()
        .map_err(serde::de::Error::custom)
}

/// `PUT /api/v1/site/settings`: each part given replaces the stored one; a part left out is
/// kept (so each section of the page saves on its own).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsUpdate {
    /// Exactly ten, `parameter1` first.
    #[serde(default, deserialize_with = "slot_objects")]
    #[schema(min_items = 10, max_items = 10)]
    pub slots: Option<Vec<SlotInput>>,
    /// At most 50 values (blanks dropped, duplicates ignoring case kept once) of at most 50
    /// characters each, trimmed, without control characters.
    #[serde(default)]
    #[schema(schema_with = sentinels_schema)]
    pub sentinels: Option<Vec<String>>,
    #[serde(default)]
    pub require_verified_uid: Option<bool>,
    /// Absent: unchanged; `null` or `""`: cleared.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = template_schema)]
    pub info_url_template: Option<Option<String>>,
    #[serde(default, deserialize_with = "urls_object")]
    pub channel_urls: Option<ChannelUrlsInput>,
}

/// Tells a field given as `null` (`Some(None)`) from a field left out (`None`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Checks the slots; the descriptions come back trimmed.
pub fn check_slots(slots: &[SlotInput], errors: &mut Vec<FieldError>) -> Option<Settings> {
    if slots.len() != inflow::Slot::COUNT {
        errors.push(FieldError::new(
            "slots",
            ErrorCode::InvalidSlots,
            format!(
                "exactly {} custom slots are expected, got {}",
                inflow::Slot::COUNT,
                slots.len()
            ),
        ));
        return None;
    }
    let mut settings = Settings::default();
    let before = errors.len();
    for (i, (input, out)) in slots.iter().zip(settings.slots.iter_mut()).enumerate() {
        let field = format!("parameter{}", i + 1);
        let description = input.description.trim();
        let chars = description.chars().count();
        if chars > MAX_DESCRIPTION_CHARS {
            errors.push(FieldError::new(
                &field,
                ErrorCode::DescriptionTooLong,
                format!(
                    "the description of {field} has {chars} characters; at most \
                     {MAX_DESCRIPTION_CHARS} are allowed"
                ),
            ));
        } else if has_control(description) {
            errors.push(FieldError::new(
                &field,
                ErrorCode::InvalidDescription,
                format!("the description of {field} contains a control character"),
            ));
        } else if input.enabled && description.is_empty() {
            errors.push(FieldError::new(
                &field,
                ErrorCode::DescriptionRequired,
                format!(
                    "{field} is enabled without a description; agents and reports show the \
                     description as its label"
                ),
            ));
        }
        *out = SlotSetting {
            enabled: input.enabled,
            description: description.to_owned(),
        };
    }
    (errors.len() == before).then_some(settings)
}

/// Checks the sentinels; they come back trimmed, without blanks or duplicates.
pub fn check_sentinels(given: &[String], errors: &mut Vec<FieldError>) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let before = errors.len();
    for s in given.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if s.chars().count() > MAX_SENTINEL_CHARS {
            let mut e = FieldError::new(
                "sentinels",
                ErrorCode::SentinelTooLong,
                format!("a sentinel has at most {MAX_SENTINEL_CHARS} characters"),
            );
            e.values
                .push(s.chars().take(MAX_SENTINEL_CHARS).collect::<String>() + "…");
            errors.push(e);
        } else if has_control(s) {
            errors.push(FieldError::new(
                "sentinels",
                ErrorCode::InvalidSentinel,
                "a sentinel contains a control character",
            ));
        } else if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
            out.push(s.to_owned());
        }
    }
    if out.len() > MAX_SENTINELS {
        errors.push(FieldError::new(
            "sentinels",
            ErrorCode::TooManySentinels,
            format!(
                "{} sentinels given; at most {MAX_SENTINELS} are allowed",
                out.len()
            ),
        ));
    }
    (errors.len() == before).then_some(out)
}

/// Checks a template; `Some(None)` clears it.
pub fn check_template(given: Option<&str>, errors: &mut Vec<FieldError>) -> Option<Option<String>> {
    let source = given.map(str::trim).unwrap_or_default();
    if source.is_empty() {
        return Some(None);
    }
    const FIELD: &str = "info_url_template";
    if source.chars().count() > MAX_URL_CHARS {
        errors.push(FieldError::new(
            FIELD,
            ErrorCode::TemplateTooLong,
            format!("the consultation-info URL has more than {MAX_URL_CHARS} characters"),
        ));
        return None;
    }
    if has_control(source) {
        errors.push(FieldError::new(
            FIELD,
            ErrorCode::InvalidTemplate,
            "the consultation-info URL contains a control character",
        ));
        return None;
    }
    match inflow::Template::parse(source) {
        Ok(t) => Some(Some(t.as_str().to_owned())),
        Err(e) => {
            let code = match &e {
                TemplateError::UnknownVariables(_) => ErrorCode::UnknownTemplateVariable,
                TemplateError::NotHttp => ErrorCode::TemplateNotHttp,
            };
            let mut err = FieldError::new(FIELD, code, e.to_string());
            if let TemplateError::UnknownVariables(names) = e {
                err.values = names;
            }
            errors.push(err);
            None
        }
    }
}

/// Whether `url` is an `http(s)://` URL with a host and nothing a chat URL cannot contain.
fn is_http_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#', '|']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    !host.is_empty()
        && !host.contains('@')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Checks one channel base URL; `Some(None)` means "not set".
fn check_channel_url(
    channel: Channel,
    given: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<Option<String>> {
    let url = given.map(str::trim).unwrap_or_default();
    if url.is_empty() {
        return Some(None);
    }
    let field = format!("channel_urls.{channel}");
    if url.chars().count() > MAX_URL_CHARS {
        errors.push(FieldError::new(
            field,
            ErrorCode::UrlTooLong,
            format!("the {channel} chat URL has more than {MAX_URL_CHARS} characters"),
        ));
        return None;
    }
    if !is_http_url(url) {
        errors.push(FieldError::new(
            field,
            ErrorCode::InvalidUrl,
            format!("the {channel} chat URL must be an http:// or https:// address without spaces"),
        ));
        return None;
    }
    Some(Some(url.to_owned()))
}

pub fn check_channel_urls(
    given: &ChannelUrlsInput,
    errors: &mut Vec<FieldError>,
) -> Option<ChannelUrls> {
    let kakao = check_channel_url(Channel::Kakao, given.kakao.as_deref(), errors);
    let naver = check_channel_url(Channel::Naver, given.naver.as_deref(), errors);
    Some(ChannelUrls {
        kakao: kakao?,
        naver: naver?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn slots(f: impl Fn(usize) -> SlotInput) -> Vec<SlotInput> {
        (0..10).map(f).collect()
    }

    #[test]
    fn enabled_slots_need_a_short_description() {
        let mut errors = Vec::new();
        let ok = check_slots(
            &slots(|i| SlotInput {
                enabled: i == 2,
                description: if i == 2 {
                    " 캠페인 ".into()
                } else {
                    String::new()
                },
            }),
            &mut errors,
        )
        .unwrap();
        assert!(errors.is_empty());
        assert_eq!(ok.slots[2].description, "캠페인");
        assert!(ok.slots[2].enabled && !ok.slots[0].enabled);

        let bad = check_slots(
            &slots(|i| SlotInput {
                enabled: i < 2,
                description: if i == 1 {
                    "가".repeat(21)
                } else {
                    String::new()
                },
            }),
            &mut errors,
        );
        assert!(bad.is_none());
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("parameter1", "description_required"),
                ("parameter2", "description_too_long")
            ]
        );
        // Twenty Hangul syllables are twenty characters, not sixty bytes.
        let mut errors = Vec::new();
        assert!(
            check_slots(
                &slots(|_| SlotInput {
                    enabled: true,
                    description: "가".repeat(20)
                }),
                &mut errors
            )
            .is_some()
        );
        assert!(
            check_slots(
                &slots(|_| SlotInput {
                    enabled: false,
                    description: String::new()
                })[..9],
                &mut errors
            )
            .is_none()
        );
        assert_eq!(errors[0].code, ErrorCode::InvalidSlots);
    }

    #[test]
    fn sentinels_are_trimmed_deduplicated_and_bounded() {
        let mut errors = Vec::new();
        let given: Vec<String> = [" undefined", "UNDEFINED", "", "null ", "-"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(
            check_sentinels(&given, &mut errors).unwrap(),
            ["undefined", "null", "-"]
        );
        let many: Vec<String> = (0..51).map(|i| format!("s{i}")).collect();
        assert!(check_sentinels(&many, &mut errors).is_none());
        assert!(check_sentinels(&["x".repeat(51)], &mut errors).is_none());
        let codes: Vec<_> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["too_many_sentinels", "sentinel_too_long"]);
    }

    #[test]
    fn templates_name_their_unknown_variables() {
        let mut errors = Vec::new();
        assert_eq!(check_template(Some("  "), &mut errors), Some(None));
        assert_eq!(
            check_template(
                Some(" https://crm.example.com/v?id=[site_uid] "),
                &mut errors
            ),
            Some(Some("https://crm.example.com/v?id=[site_uid]".into()))
        );
        assert!(errors.is_empty());
        assert_eq!(
            check_template(Some("https://crm.example.com/v?m=[member_no]"), &mut errors),
            None
        );
        assert_eq!(errors[0].code, ErrorCode::UnknownTemplateVariable);
        assert!(
            errors[0].message.contains("member_no"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].values, ["member_no"]);
        assert_eq!(
            check_template(Some("ftp://x/[site_uid]"), &mut errors),
            None
        );
        assert_eq!(errors[1].code, ErrorCode::TemplateNotHttp);
    }

    #[test]
    fn channel_urls_must_be_http() {
        let mut errors = Vec::new();
        let ok = check_channel_urls(
            &ChannelUrlsInput {
                kakao: Some(" https://pf.kakao.com/_abc/chat ".into()),
                naver: Some(String::new()),
            },
            &mut errors,
        )
        .unwrap();
        assert_eq!(ok.kakao.as_deref(), Some("https://pf.kakao.com/_abc/chat"));
        assert_eq!(ok.naver, None);
        for bad in [
            "javascript:alert(1)",
            "https://",
            "pf.kakao.com/_abc",
            "https://a b",
        ] {
            let mut errors = Vec::new();
            let r = check_channel_urls(
                &ChannelUrlsInput {
                    kakao: Some(bad.into()),
                    naver: None,
                },
                &mut errors,
            );
            assert!(r.is_none(), "{bad}");
            assert_eq!(errors[0].field, "channel_urls.kakao");
        }
    }
}
