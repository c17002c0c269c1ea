//! The body of a settings save (`PUT /api/v1/site/settings`): its shape, its JSON schema and
//! how it is read. What each part may hold is core's rule set ([`sangdam_core::settings`]), the
//! same for the page and the API; [`SettingsUpdate::check`] applies it to every part given and
//! turns its problems into the API's [`FieldError`]s. A refused save changes nothing.

use inflow::{Channel, Slot, SlotSetting};
use sangdam_core::settings::{
    self as rules, MAX_DESCRIPTION_CHARS, MAX_FRAME_ORIGINS, MAX_ORIGIN_CHARS, MAX_SENTINEL_CHARS,
    MAX_SENTINELS, MAX_TITLE_TEMPLATE_CHARS, MAX_URL_CHARS, SettingsProblem,
};
use serde::{Deserialize, Deserializer};
use store::ChannelUrls;
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;

use crate::api::patterns;
use crate::error::FieldError;

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

fn title_template_schema() -> utoipa::openapi::Object {
    patterns::string(
        patterns::title_template_or_empty(MAX_TITLE_TEMPLATE_CHARS, &super::title_variables()),
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

fn frame_origins_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, SchemaType, Type};
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(patterns::string(
            patterns::origin_or_blank(MAX_ORIGIN_CHARS),
            false,
        ))
        .max_items(Some(MAX_FRAME_ORIGINS))
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
    #[serde(default, deserialize_with = "crate::api::extract::present")]
    #[schema(schema_with = template_schema)]
    pub info_url_template: Option<Option<String>>,
    /// The title message a consultation opens with, e.g.
    /// `[[category_name]/[division_name]] 상담이 접수되었습니다`: text of at most 500
    /// characters (line breaks allowed) whose `[variables]` are among `title_variables` of
    /// `GET /api/v1/site`. Absent: unchanged; `null` or `""`: no title message.
    #[serde(default, deserialize_with = "crate::api::extract::present")]
    #[schema(schema_with = title_template_schema)]
    pub title_template: Option<Option<String>>,
    #[serde(default, deserialize_with = "urls_object")]
    pub channel_urls: Option<ChannelUrlsInput>,
    /// The origins whose pages may show the chat window in a frame (the site's pages with the
    /// chat button): at most 20 entries, each `http(s)://host[:port]` without a path, or blank
    /// (dropped). Stored in lowercase, without a default port or duplicates.
    #[serde(default)]
    #[schema(schema_with = frame_origins_schema)]
    pub frame_origins: Option<Vec<String>>,
}

/// A save after the rules: each part as it will be stored, `None` for a part left out (which
/// keeps what is stored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckedUpdate {
    pub slots: Option<[SlotSetting; Slot::COUNT]>,
    pub sentinels: Option<Vec<String>>,
    pub require_verified_uid: Option<bool>,
    /// `Some(None)` clears the template.
    pub info_url_template: Option<Option<String>>,
    /// `Some(None)`: no title message.
    pub title_template: Option<Option<String>>,
    pub channel_urls: Option<ChannelUrls>,
    pub frame_origins: Option<Vec<String>>,
}

/// Keeps a part the rules accepted, or notes every problem they found with it.
fn accepted<T>(
    checked: Result<T, Vec<SettingsProblem>>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    checked
        .map_err(|problems| errors.extend(problems.into_iter().map(FieldError::from)))
        .ok()
}

impl SettingsUpdate {
    /// Checks every part given, so one answer lists every refused part (in the order of the
    /// page's sections), not only the first.
    pub fn check(&self) -> Result<CheckedUpdate, Vec<FieldError>> {
        let mut errors = Vec::new();
        let slots = self.slots.as_deref().map(|given| {
            let given: Vec<SlotSetting> = given
                .iter()
                .map(|s| SlotSetting {
                    enabled: s.enabled,
                    description: s.description.clone(),
                })
                .collect();
            accepted(rules::check_slots(&given), &mut errors)
        });
        let sentinels = self
            .sentinels
            .as_deref()
            .map(|given| accepted(rules::check_sentinels(given), &mut errors));
        let template = self.info_url_template.as_ref().map(|given| {
            accepted(
                rules::check_template(given.as_deref()).map_err(|p| vec![p]),
                &mut errors,
            )
        });
        let title = self.title_template.as_ref().map(|given| {
            accepted(
                rules::check_title_template(given.as_deref()).map_err(|p| vec![p]),
                &mut errors,
            )
        });
        let channel_urls = self.channel_urls.as_ref().map(|given| {
            // Both channels are checked, so a save with two bad URLs hears of both.
            let kakao = accepted(
                rules::check_channel_url(Channel::Kakao, given.kakao.as_deref())
                    .map_err(|p| vec![p]),
                &mut errors,
            );
            let naver = accepted(
                rules::check_channel_url(Channel::Naver, given.naver.as_deref())
                    .map_err(|p| vec![p]),
                &mut errors,
            );
            Some(ChannelUrls {
                kakao: kakao?,
                naver: naver?,
            })
        });
        let frame_origins = self
            .frame_origins
            .as_deref()
            .map(|given| accepted(rules::check_frame_origins(given), &mut errors));
        if !errors.is_empty() {
            return Err(errors);
        }
        // No problem noted, so every part given was accepted.
        Ok(CheckedUpdate {
            slots: slots.flatten(),
            sentinels: sentinels.flatten(),
            require_verified_uid: self.require_verified_uid,
            info_url_template: template.flatten(),
            title_template: title.flatten(),
            channel_urls: channel_urls.flatten(),
            frame_origins: frame_origins.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::error::ErrorCode;

    fn update(json: serde_json::Value) -> SettingsUpdate {
        serde_json::from_value(json).unwrap()
    }

    fn slot(enabled: bool, description: &str) -> serde_json::Value {
        serde_json::json!({"enabled": enabled, "description": description})
    }

    fn slots(f: impl Fn(usize) -> serde_json::Value) -> serde_json::Value {
        serde_json::Value::Array((0..10).map(f).collect())
    }

    #[test]
    fn parts_left_out_stay_out_and_parts_given_come_back_as_stored() {
        assert_eq!(
            update(serde_json::json!({})).check(),
            Ok(CheckedUpdate::default())
        );
        let checked = update(serde_json::json!({
            "slots": slots(|i| slot(i == 2, if i == 2 { " 캠페인 " } else { "" })),
            "sentinels": [" undefined", "UNDEFINED", ""],
            "require_verified_uid": true,
            "info_url_template": null,
            "title_template": " [[category_name]] 접수 ",
            "channel_urls": {"kakao": " https://pf.kakao.com/_abc/chat "},
            "frame_origins": ["HTTPS://Shop.Example/", "", "https://shop.example"],
        }))
        .check()
        .unwrap();
        assert_eq!(
            checked.frame_origins.as_deref(),
            Some(&["https://shop.example".to_owned()][..])
        );
        let slots = checked.slots.unwrap();
        assert_eq!(slots[2].description, "캠페인");
        assert!(slots[2].enabled && !slots[0].enabled);
        assert_eq!(checked.sentinels.unwrap(), ["undefined"]);
        assert_eq!(checked.require_verified_uid, Some(true));
        assert_eq!(checked.info_url_template, Some(None));
        assert_eq!(
            checked.title_template,
            Some(Some("[[category_name]] 접수".to_owned()))
        );
        assert_eq!(
            checked.channel_urls,
            Some(ChannelUrls {
                kakao: Some("https://pf.kakao.com/_abc/chat".into()),
                naver: None,
            })
        );
    }

    #[test]
    fn every_refused_part_is_reported_as_a_field_error() {
        let errors = update(serde_json::json!({
            "slots": slots(|i| slot(i < 2, &if i == 1 { "가".repeat(21) } else { String::new() })),
            "sentinels": ["x".repeat(51)],
            "info_url_template": "https://crm.example.com/v?m=[member_no]",
            "title_template": "[site_uid]님 접수",
            "channel_urls": {"kakao": "javascript:alert(1)", "naver": "https://a b"},
            "frame_origins": ["https://ok.example", "https://shop.example/chat"],
        }))
        .check()
        .unwrap_err();
        let got: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("parameter1", ErrorCode::DescriptionRequired),
                ("parameter2", ErrorCode::DescriptionTooLong),
                ("sentinels", ErrorCode::SentinelTooLong),
                ("info_url_template", ErrorCode::UnknownTemplateVariable),
                ("title_template", ErrorCode::UnknownTemplateVariable),
                ("channel_urls.kakao", ErrorCode::InvalidUrl),
                ("channel_urls.naver", ErrorCode::InvalidUrl),
                ("frame_origins", ErrorCode::InvalidFrameOrigin),
            ]
        );
        assert_eq!(errors[7].values, ["https://shop.example/chat"]);
        assert_eq!(errors[2].values, [format!("{}…", "x".repeat(50))]);
        assert_eq!(errors[3].values, ["member_no"]);
        assert_eq!(errors[4].values, ["site_uid"]);
        assert_eq!(
            errors[6].message,
            "the naver chat URL must be an http:// or https:// address without spaces"
        );
    }

    #[test]
    fn one_refused_part_refuses_the_save() {
        let errors = update(serde_json::json!({
            "sentinels": ["ok"],
            "channel_urls": {"kakao": "https://pf.kakao.com/_abc/chat", "naver": "talk.naver.com"},
        }))
        .check()
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, ErrorCode::InvalidUrl);
    }
}
