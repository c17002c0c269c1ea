//! Webhook events Naver POSTs to the chatbot.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::NaverError;
use crate::lenient;

/// One webhook event. Known events are typed; anything else is [`Event::Unknown`] with the raw
/// JSON, so a new or payment event is recorded or ignored, never an error.
///
/// Deserialise it with [`parse_event`] or serde (`serde_json::from_slice::<Event>`); both read
/// the `event` tag, ignore unknown keys and tolerate mistyped values.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The user opened the chat window.
    Open {
        user: String,
        options: OpenOptions,
        standby: bool,
    },
    /// The user sent a message. `standby`: another party (an agent) holds the thread; the bot
    /// stays quiet.
    Send {
        user: String,
        text_content: Option<TextContent>,
        image_content: Option<ImageContent>,
        composite_content: Option<CompositeContent>,
        standby: bool,
        options: Map<String, Value>,
    },
    /// The user left the chat room.
    Leave { user: String, standby: bool },
    /// The user added (`set` = `on`) or removed (`off`) the partner as a friend.
    Friend {
        user: String,
        options: FriendOptions,
        standby: bool,
    },
    /// A copy of a message someone else (the partner's agent, another bot) sent the user.
    Echo {
        user: String,
        partner: Option<String>,
        /// The event that was echoed, usually `send`.
        echoed_event: Option<String>,
        text_content: Option<TextContent>,
        image_content: Option<ImageContent>,
        composite_content: Option<CompositeContent>,
        options: EchoOptions,
    },
    /// The answer to a profile (member information) request.
    Profile {
        user: String,
        options: ProfileOptions,
    },
    /// Thread control changed hands.
    Handover {
        user: String,
        partner: Option<String>,
        options: HandoverOptions,
    },
    /// Naver Pay: payment finished; `options` as sent.
    PayComplete { user: String, options: Value },
    /// Naver Pay: payment confirmation; `options` as sent.
    PayConfirm { user: String, options: Value },
    /// Any other event (or one whose `event` tag is missing: then `event` is empty). `user` is
    /// `None` when the body has none.
    Unknown {
        event: String,
        user: Option<String>,
        raw: Value,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OpenOptions {
    /// `list`, `button` or `none`.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub inflow: Option<String>,
    /// The page the user came from (it may carry the chat-URL parameters).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub referer: Option<String>,
    /// The `from` parameter of the chat URL.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub from: Option<String>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub friend: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub under14: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub under19: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub unread_message: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TextContent {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub text: Option<String>,
    /// The button code when `inputType` is `button`.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    /// `typing`, `button`, `sticker`, `vphone` or `product`.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub input_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ImageContent {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub image_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CompositeContent {
    /// Cards as sent (their shape varies by type).
    #[serde(deserialize_with = "lenient::vec_of")]
    pub composite_list: Vec<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct FriendOptions {
    /// `on` or `off`.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub set: Option<String>,
}

impl FriendOptions {
    /// Whether the user became a friend (`set` = `on`).
    pub fn is_on(&self) -> bool {
        self.set.as_deref() == Some("on")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EchoOptions {
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub mobile: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub source_id: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub thread_owner_id: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ProfileOptions {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub nickname: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub cellphone: Option<String>,
    #[serde(deserialize_with = "address")]
    pub address: Option<Address>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub result: Option<String>,
}

impl ProfileOptions {
    /// `result` as a [`ProfileResult`] (`None` when absent).
    pub fn result(&self) -> Option<ProfileResult> {
        self.result.as_deref().map(ProfileResult::parse)
    }
}

/// How the user answered a profile request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileResult {
    /// The fields were shared.
    Success,
    /// The user declined.
    Disagree,
    /// The user cancelled.
    Cancel,
    /// The user withdrew consent: delete the stored fields.
    Withdraw,
    /// A value Sangdam does not know, as sent.
    Other(String),
}

impl ProfileResult {
    pub fn parse(s: &str) -> ProfileResult {
        match s.to_ascii_uppercase().as_str() {
            "SUCCESS" => ProfileResult::Success,
            "DISAGREE" => ProfileResult::Disagree,
            "CANCEL" => ProfileResult::Cancel,
            "WITHDRAW" => ProfileResult::Withdraw,
            _ => ProfileResult::Other(s.to_owned()),
        }
    }
}

/// A postal address from a profile event. Keys other than the road address are kept in
/// `other` (their spelling is not documented consistently).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Address {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub road_addr: Option<String>,
    #[serde(flatten)]
    pub other: std::collections::BTreeMap<String, Value>,
}

/// An address object, or a bare string taken as the road address.
fn address<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Address>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::String(s) => Some(Address {
            road_addr: Some(s),
            other: Default::default(),
        }),
        v @ Value::Object(_) => lenient::fit(v),
        _ => None,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HandoverOptions {
    /// `passThread` or `takeThread`.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub control: Option<String>,
    /// Free text; Naver's partner centre sends JSON in it (see
    /// [`HandoverOptions::metadata_json`]).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub metadata: Option<String>,
}

impl HandoverOptions {
    /// The metadata decoded as JSON, if it is JSON.
    pub fn metadata_json(&self) -> Option<Value> {
        serde_json::from_str(self.metadata.as_deref()?).ok()
    }
}

/// Reads a webhook body. Fails only when it is not JSON, not a JSON object, or a known event
/// has no `user` string. An unknown event is accepted even without a user (real test suites
/// send `{"event": "unknown"}`), and so is an unknown key or a mistyped value.
pub fn parse_event(body: &[u8]) -> Result<Event, NaverError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| NaverError::InvalidJson(e.to_string()))?;
    Event::from_value(value)
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Event::from_value(Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

fn get<T: serde::de::DeserializeOwned + Default>(obj: &Map<String, Value>, key: &str) -> T {
    obj.get(key)
        .cloned()
        .and_then(lenient::fit)
        .unwrap_or_default()
}

fn get_opt<T: serde::de::DeserializeOwned>(obj: &Map<String, Value>, key: &str) -> Option<T> {
    obj.get(key)
        .filter(|v| !v.is_null())
        .cloned()
        .and_then(lenient::fit)
}

fn get_string(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).cloned().and_then(lenient::value_to_string)
}

impl Event {
    /// Reads an already parsed webhook body (see [`parse_event`]).
    pub fn from_value(value: Value) -> Result<Event, NaverError> {
        let Value::Object(obj) = &value else {
            return Err(NaverError::NotAnObject);
        };
        let event = obj
            .get("event")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let user = match obj.get("user") {
            Some(Value::String(u)) if !u.is_empty() => Some(u.clone()),
            _ => None,
        };
        const KNOWN: [&str; 9] = [
            "open",
            "send",
            "leave",
            "friend",
            "echo",
            "profile",
            "handover",
            "pay_complete",
            "pay_confirm",
        ];
        if !KNOWN.contains(&event.as_str()) {
            return Ok(Event::Unknown {
                event,
                user,
                raw: value,
            });
        }
        let Some(user) = user else {
            return Err(NaverError::MissingUser { event });
        };
        let standby = obj.get("standby").and_then(lenient::value_to_bool) == Some(true);
        Ok(match event.as_str() {
            "open" => Event::Open {
                user,
                options: get(obj, "options"),
                standby,
            },
            "send" => Event::Send {
                user,
                text_content: get_opt(obj, "textContent"),
                image_content: get_opt(obj, "imageContent"),
                composite_content: get_opt(obj, "compositeContent"),
                standby,
                options: get(obj, "options"),
            },
            "leave" => Event::Leave { user, standby },
            "friend" => Event::Friend {
                user,
                options: get(obj, "options"),
                standby,
            },
            "echo" => Event::Echo {
                user,
                partner: get_string(obj, "partner"),
                echoed_event: get_string(obj, "echoedEvent"),
                text_content: get_opt(obj, "textContent"),
                image_content: get_opt(obj, "imageContent"),
                composite_content: get_opt(obj, "compositeContent"),
                options: get(obj, "options"),
            },
            "profile" => Event::Profile {
                user,
                options: get(obj, "options"),
            },
            "handover" => Event::Handover {
                user,
                partner: get_string(obj, "partner"),
                options: get(obj, "options"),
            },
            "pay_complete" => Event::PayComplete {
                user,
                options: obj.get("options").cloned().unwrap_or(Value::Null),
            },
            "pay_confirm" => Event::PayConfirm {
                user,
                options: obj.get("options").cloned().unwrap_or(Value::Null),
            },
            _ => Event::Unknown {
                event,
                user: Some(user),
                raw: value,
            },
        })
    }

    /// The `event` tag as sent (`open`, `send`, …; for [`Event::Unknown`] whatever came, maybe
    /// empty).
    pub fn name(&self) -> &str {
        match self {
            Event::Open { .. } => "open",
            Event::Send { .. } => "send",
            Event::Leave { .. } => "leave",
            Event::Friend { .. } => "friend",
            Event::Echo { .. } => "echo",
            Event::Profile { .. } => "profile",
            Event::Handover { .. } => "handover",
            Event::PayComplete { .. } => "pay_complete",
            Event::PayConfirm { .. } => "pay_confirm",
            Event::Unknown { event, .. } => event,
        }
    }

    /// The user's opaque id; `None` only for an [`Event::Unknown`] without one.
    pub fn user(&self) -> Option<&str> {
        match self {
            Event::Open { user, .. }
            | Event::Send { user, .. }
            | Event::Leave { user, .. }
            | Event::Friend { user, .. }
            | Event::Echo { user, .. }
            | Event::Profile { user, .. }
            | Event::Handover { user, .. }
            | Event::PayComplete { user, .. }
            | Event::PayConfirm { user, .. } => Some(user),
            Event::Unknown { user, .. } => user.as_deref(),
        }
    }

    /// Whether another party holds the thread (`"standby": true`), so the bot must stay quiet.
    pub fn is_standby(&self) -> bool {
        match self {
            Event::Open { standby, .. }
            | Event::Send { standby, .. }
            | Event::Leave { standby, .. }
            | Event::Friend { standby, .. } => *standby,
            Event::Unknown { raw, .. } => {
                raw.get("standby").and_then(lenient::value_to_bool) == Some(true)
            }
            _ => false,
        }
    }

    /// What the user typed: the text of a [`Event::Send`]. An echo's text is not the user's
    /// and is not returned here (read [`Event::Echo`]'s `text_content`).
    pub fn text(&self) -> Option<&str> {
        match self {
            Event::Send {
                text_content: Some(t),
                ..
            } => t.text.as_deref(),
            _ => None,
        }
    }

    /// The code of the button a user pressed, sent with its title as their text
    /// ([`Event::Send`] only).
    pub fn button_code(&self) -> Option<&str> {
        match self {
            Event::Send {
                text_content: Some(t),
                ..
            } => t.code.as_deref(),
            _ => None,
        }
    }

    /// The image URL a user sent ([`Event::Send`] only).
    pub fn image_url(&self) -> Option<&str> {
        match self {
            Event::Send {
                image_content: Some(i),
                ..
            } => i.image_url.as_deref(),
            _ => None,
        }
    }
}
