//! The skill request Open Builder POSTs to a skill server.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::KakaoError;
use crate::lenient;

/// A skill request, read leniently: every key may be missing or `null`, unknown keys are
/// ignored, a value of the wrong type becomes the field's default (or, for texts, is written
/// out as text) rather than failing the whole request.
///
/// Parse it with [`SkillRequest::from_slice`] (which refuses anything but a JSON object) or
/// with serde directly.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SkillRequest {
    #[serde(deserialize_with = "lenient::or_default")]
    pub intent: Intent,
    #[serde(deserialize_with = "lenient::or_default")]
    pub user_request: UserRequest,
    #[serde(deserialize_with = "lenient::or_default")]
    pub bot: Bot,
    #[serde(deserialize_with = "lenient::or_default")]
    pub action: Action,
    #[serde(deserialize_with = "lenient::vec_of")]
    pub contexts: Vec<RequestContext>,
    #[serde(deserialize_with = "lenient::opt")]
    pub flow: Option<Flow>,
}

/// The block (intent) Open Builder matched.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Intent {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// `"지식+"` when the answer comes from the knowledge base.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Free-form: `reason`, `knowledge` (see [`SkillRequest::matched_knowledges`]), …
    pub extra: Value,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UserRequest {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub timezone: Option<String>,
    /// Platform parameters, e.g. `surface` (`Kakaotalk.plusfriend`, `BuilderBotTest`, …).
    #[serde(deserialize_with = "lenient::value_map")]
    pub params: BTreeMap<String, Value>,
    #[serde(deserialize_with = "lenient::opt")]
    pub block: Option<Block>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub utterance: Option<String>,
    /// As sent: `"ko"`, `"kr"`, `"en"`, … (see [`SkillRequest::lang`]).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub lang: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub callback_url: Option<String>,
    #[serde(deserialize_with = "lenient::or_default")]
    pub user: User,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Block {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct User {
    /// The bot user key (≤ 70 characters, per bot).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// Usually `"botUserKey"`.
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::or_default")]
    pub properties: UserProperties,
}

/// User properties. Real traffic carries both spellings of some keys (`plusfriendUserKey` and
/// `plusfriend_user_key`); each spelling has its own field, because serde's `alias` would
/// reject a request that has both. Use the accessors, which prefer the camelCase spelling.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct UserProperties {
    #[serde(rename = "plusfriendUserKey", deserialize_with = "lenient::opt_string")]
    pub plusfriend_user_key_camel: Option<String>,
    #[serde(
        rename = "plusfriend_user_key",
        deserialize_with = "lenient::opt_string"
    )]
    pub plusfriend_user_key_snake: Option<String>,
    #[serde(rename = "appUserId", deserialize_with = "lenient::opt_string")]
    pub app_user_id_camel: Option<String>,
    #[serde(rename = "app_user_id", deserialize_with = "lenient::opt_string")]
    pub app_user_id_snake: Option<String>,
    #[serde(rename = "botUserKey", deserialize_with = "lenient::opt_string")]
    pub bot_user_key_camel: Option<String>,
    #[serde(rename = "bot_user_key", deserialize_with = "lenient::opt_string")]
    pub bot_user_key_snake: Option<String>,
    /// `true` or absent (absent: not a friend, or blocked); never `false` in real traffic.
    #[serde(rename = "isFriend", deserialize_with = "lenient::opt_bool")]
    pub is_friend: Option<bool>,
    /// Every other property as sent (e.g. `accountId`).
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl UserProperties {
    pub fn plusfriend_user_key(&self) -> Option<&str> {
        first(
            &self.plusfriend_user_key_camel,
            &self.plusfriend_user_key_snake,
        )
    }

    pub fn app_user_id(&self) -> Option<&str> {
        first(&self.app_user_id_camel, &self.app_user_id_snake)
    }

    pub fn bot_user_key(&self) -> Option<&str> {
        first(&self.bot_user_key_camel, &self.bot_user_key_snake)
    }
}

/// The first of two spellings that holds a non-empty value.
fn first<'a>(a: &'a Option<String>, b: &'a Option<String>) -> Option<&'a str> {
    non_empty(a).or_else(|| non_empty(b))
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Bot {
    /// Ends in `!` for a bot on a development channel.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
}

/// The skill being called and the parameters the block extracted for it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Action {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Parameter values as strings; a non-string JSON value is written out as JSON text,
    /// `null`s are dropped. System entities hold JSON inside the string (see
    /// [`SkillRequest::sys_entity`]).
    #[serde(deserialize_with = "lenient::string_map")]
    pub params: BTreeMap<String, String>,
    #[serde(deserialize_with = "lenient::map_of")]
    pub detail_params: BTreeMap<String, DetailParam>,
    /// Data a button or quick reply attached (`extra` in the response).
    #[serde(deserialize_with = "lenient::value_map")]
    pub client_extra: BTreeMap<String, Value>,
}

/// One parameter with what the user actually typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DetailParam {
    /// The words as the user wrote them.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub origin: Option<String>,
    /// The resolved value (JSON text for system entities).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub value: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub group_name: Option<String>,
}

/// A context (conversation memory) that is alive for this request.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RequestContext {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Requests spell it `lifespan`; responses `lifeSpan`. Both are read.
    #[serde(alias = "lifeSpan", deserialize_with = "lenient::opt_i64")]
    pub lifespan: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub ttl: Option<i64>,
    /// Each parameter is usually `{"value": …, "resolvedValue": …}`; see
    /// [`RequestContext::param`].
    #[serde(deserialize_with = "lenient::value_map")]
    pub params: BTreeMap<String, Value>,
}

impl RequestContext {
    /// A context parameter's value: the `value` of a `{"value", "resolvedValue"}` object, or
    /// the value itself when it was sent as a plain string.
    pub fn param(&self, name: &str) -> Option<String> {
        match self.params.get(name)? {
            Value::Object(o) => o.get("value").cloned().and_then(lenient::value_to_string),
            other => lenient::value_to_string(other.clone()),
        }
    }
}

/// How the user got to this block.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Flow {
    #[serde(deserialize_with = "lenient::or_default")]
    pub trigger: FlowTrigger,
    #[serde(deserialize_with = "lenient::opt")]
    pub last_block: Option<Block>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FlowTrigger {
    /// e.g. `TEXT_INPUT`, `QUICKREPLY_BUTTON_MESSAGE`.
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt")]
    pub referrer_block: Option<Block>,
}

/// One knowledge-base answer Open Builder matched (`intent.name` = `"지식+"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MatchedKnowledge {
    #[serde(deserialize_with = "lenient::string_vec")]
    pub categories: Vec<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub question: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub answer: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub image_url: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub landing_url: Option<String>,
}

/// The intent name Open Builder gives knowledge-base answers.
pub const KNOWLEDGE_INTENT: &str = "지식+";

impl SkillRequest {
    /// Reads a request body. Fails only when the body is not JSON or not a JSON object.
    pub fn from_slice(body: &[u8]) -> Result<SkillRequest, KakaoError> {
        let value: Value =
            serde_json::from_slice(body).map_err(|e| KakaoError::InvalidJson(e.to_string()))?;
        SkillRequest::from_value(value)
    }

    /// Reads an already parsed body. Fails only when it is not a JSON object.
    pub fn from_value(value: Value) -> Result<SkillRequest, KakaoError> {
        if !value.is_object() {
            return Err(KakaoError::NotAnObject);
        }
        // The lenient field deserialisers cannot fail on an object; map it anyway.
        serde_json::from_value(value).map_err(|e| KakaoError::InvalidJson(e.to_string()))
    }

    /// Who is talking: `userRequest.user.id`, else the `botUserKey`/`bot_user_key` property.
    pub fn user_key(&self) -> Option<&str> {
        let user = &self.user_request.user;
        non_empty(&user.id).or_else(|| user.properties.bot_user_key())
    }

    /// The channel-wide user key (`plusfriendUserKey`, else `plusfriend_user_key`).
    pub fn plusfriend_user_key(&self) -> Option<&str> {
        self.user_request.user.properties.plusfriend_user_key()
    }

    /// The app user id (`appUserId`, else `app_user_id`): only present with an app key.
    pub fn app_user_id(&self) -> Option<&str> {
        self.user_request.user.properties.app_user_id()
    }

    /// Whether the user is a friend of the channel (`isFriend` absent means no).
    pub fn is_friend(&self) -> bool {
        self.user_request.user.properties.is_friend == Some(true)
    }

    /// What the user said; empty when absent.
    pub fn utterance(&self) -> &str {
        self.user_request.utterance.as_deref().unwrap_or("")
    }

    /// The user's language, with the non-standard `"kr"` normalised to `"ko"`.
    pub fn lang(&self) -> Option<&str> {
        let lang = non_empty(&self.user_request.lang)?;
        if lang.eq_ignore_ascii_case("kr") {
            Some("ko")
        } else {
            Some(lang)
        }
    }

    /// `userRequest.params.surface`, e.g. `Kakaotalk.plusfriend`.
    pub fn surface(&self) -> Option<&str> {
        self.user_request.params.get("surface")?.as_str()
    }

    /// Whether the request comes from Open Builder's test console (`surface` =
    /// `BuilderBotTest`).
    pub fn is_test_console(&self) -> bool {
        self.surface() == Some("BuilderBotTest")
    }

    /// Whether the bot is on a development channel (its id ends in `!`).
    pub fn is_development_bot(&self) -> bool {
        self.bot.id.as_deref().is_some_and(|id| id.ends_with('!'))
    }

    /// Where to answer later when the response says `useCallback` (once, within a minute).
    pub fn callback_url(&self) -> Option<&str> {
        non_empty(&self.user_request.callback_url)
    }

    /// Every string-valued parameter, for the chat-URL parameter parser: `action.params`
    /// first, then `action.clientExtra`, then `userRequest.params`; within each, in key order.
    ///
    /// A name appears once: the first source that has it wins, later ones do **not** override.
    /// `action.params` are what the bot designer configured for this very skill, so they are
    /// the most deliberate; `clientExtra` is what the button the user pressed carried;
    /// `userRequest.params` are the platform's own (`surface`, …) and must never mask a
    /// designer's value of the same name. Non-string values of `clientExtra` and
    /// `userRequest.params` are left out (`action.params` are all strings already).
    pub fn parameter_pairs(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut push = |name: &str, value: &str| {
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name.to_owned(), value.to_owned()));
            }
        };
        for (k, v) in &self.action.params {
            push(k, v);
        }
        for (k, v) in &self.action.client_extra {
            if let Value::String(v) = v {
                push(k, v);
            }
        }
        for (k, v) in &self.user_request.params {
            if let Value::String(v) = v {
                push(k, v);
            }
        }
        out
    }

    /// Whether Open Builder answered from its knowledge base (`intent.name` = `"지식+"`).
    pub fn is_knowledge_intent(&self) -> bool {
        self.intent.name.as_deref() == Some(KNOWLEDGE_INTENT)
    }

    /// The knowledge-base matches in `intent.extra.knowledge.matchedKnowledges`; entries that
    /// are not objects are skipped.
    pub fn matched_knowledges(&self) -> Vec<MatchedKnowledge> {
        self.intent
            .extra
            .get("knowledge")
            .and_then(|k| k.get("matchedKnowledges"))
            .cloned()
            .map(lenient::value_vec)
            .unwrap_or_default()
    }

    /// A system entity (`sys_number`, `sys_date`, …) decoded from the JSON text Open Builder
    /// puts inside the parameter string: from `action.params`, else from
    /// `detailParams[name].value`. A value that is not JSON text is returned as a JSON string,
    /// so plain entities (`sys_text`) read the same way.
    pub fn sys_entity(&self, name: &str) -> Option<Value> {
        let raw = self
            .action
            .params
            .get(name)
            .map(String::as_str)
            .or_else(|| {
                self.action
                    .detail_params
                    .get(name)
                    .and_then(|d| d.value.as_deref())
            })?;
        Some(serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned())))
    }

    /// `action.params[name]` as sent.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.action.params.get(name).map(String::as_str)
    }

    /// What Open Builder's profile or Kakao Sync plugin gave, from the parameter the block
    /// keeps it in ([`PROFILE_PARAM`], [`SYNC_PARAM`]): an object (or JSON text of one) with
    /// `nickname`, `phone_number`, `email` and `app_user_id`; unknown keys are ignored, and a
    /// parameter that holds no such object is `None`.
    pub fn plugin_profile(&self, name: &str) -> Option<PluginProfile> {
        let Value::Object(fields) = self.sys_entity(name)? else {
            return None;
        };
        let text = |k: &str| {
            fields
                .get(k)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let p = PluginProfile {
            nickname: text("nickname"),
            phone_number: text("phone_number"),
            email: text("email"),
            app_user_id: text("app_user_id").or_else(|| {
                fields
                    .get("app_user_id")
                    .and_then(Value::as_i64)
                    .map(|n| n.to_string())
            }),
        };
        (p != PluginProfile::default()).then_some(p)
    }
}

/// The parameter a block using Open Builder's profile plugin keeps its result in.
pub const PROFILE_PARAM: &str = "profile";
/// The parameter a block using the Kakao Sync plugin keeps its result in.
pub const SYNC_PARAM: &str = "kakao_sync";

/// A user's details as Kakao's profile or Kakao Sync plugin shares them (with the user's
/// consent): the phone number in Kakao's form, `+82 10-1234-5678`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginProfile {
    pub nickname: Option<String>,
    pub phone_number: Option<String>,
    pub email: Option<String>,
    pub app_user_id: Option<String>,
}
