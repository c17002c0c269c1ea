//! Sangdam's bot as Open Builder: it calls an outside skill server with the skill request a
//! block of Open Builder would send, and takes its skill response only if it is one Open
//! Builder would render.

use std::time::Duration;

use serde_json::{Value, json};

use super::response::SkillResponse;

/// Open Builder's own timeout for a skill server.
pub const SKILL_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest skill response read.
const MAX_RESPONSE_BYTES: usize = 256 * 1024;

/// Why a skill server's answer was not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkillCallError {
    #[error("the skill server did not answer within {0:?}")]
    Timeout(Duration),
    #[error("the skill server could not be reached: {0}")]
    Unreachable(String),
    #[error("the skill server answered HTTP {0}")]
    Status(u16),
    #[error("the skill server's answer is not a skill response: {0}")]
    Unreadable(String),
    #[error("the skill server's answer breaks Open Builder's limits: {0}")]
    Invalid(String),
}

/// What the skill request says of the turn.
#[derive(Debug, Clone, Copy)]
pub struct SkillCall<'a> {
    pub block_id: &'a str,
    pub block_name: &'a str,
    pub utterance: &'a str,
    /// The customer, as the bot knows them (a stable key per site).
    pub user_key: &'a str,
    pub bot_id: &'a str,
    pub bot_name: &'a str,
}

/// The skill request Open Builder would send for `call`.
pub fn skill_request(call: &SkillCall<'_>) -> Value {
    json!({
        "intent": {"id": call.block_id, "name": call.block_name},
        "userRequest": {
            "timezone": "Asia/Seoul",
            "params": {"surface": "Sangdam"},
            "block": {"id": call.block_id, "name": call.block_name},
            "utterance": call.utterance,
            "lang": "ko",
            "user": {"id": call.user_key, "type": "botUserKey", "properties": {}},
        },
        "bot": {"id": call.bot_id, "name": call.bot_name},
        "action": {
            "id": call.block_id, "name": call.block_name,
            "params": {}, "detailParams": {}, "clientExtra": {},
        },
        "contexts": [],
    })
}

/// Calls outside skill servers.
#[derive(Debug, Clone)]
pub struct SkillClient {
    http: reqwest::Client,
    timeout: Duration,
}

impl Default for SkillClient {
    fn default() -> Self {
        SkillClient::new(SKILL_TIMEOUT)
    }
}

impl SkillClient {
    pub fn new(timeout: Duration) -> SkillClient {
        let http = reqwest::Client::builder()
            // The address the admin gave is the skill server: no redirect elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .build()
            .unwrap_or_default();
        SkillClient { http, timeout }
    }

    /// POSTs `request` to `url` and answers the skill response, checked against every limit
    /// (a response that answers later through a callback is refused: the bot does not wait).
    pub async fn call(&self, url: &str, request: &Value) -> Result<SkillResponse, SkillCallError> {
        let res = self
            .http
            .post(url)
            .json(request)
            .send()
            .await
            .map_err(|e| self.transport(e))?;
        if !res.status().is_success() {
            return Err(SkillCallError::Status(res.status().as_u16()));
        }
        if res
            .content_length()
            .is_some_and(|n| n > MAX_RESPONSE_BYTES as u64)
        {
            return Err(SkillCallError::Unreadable("over 256 KiB".into()));
        }
        let bytes = res.bytes().await.map_err(|e| self.transport(e))?;
        if bytes.len() > MAX_RESPONSE_BYTES {
            return Err(SkillCallError::Unreadable("over 256 KiB".into()));
        }
        let response: SkillResponse = serde_json::from_slice(&bytes)
            .map_err(|e| SkillCallError::Unreadable(e.to_string()))?;
        if response.use_callback || response.template.is_none() {
            return Err(SkillCallError::Invalid(
                "it has no template (a callback answer is not waited for)".into(),
            ));
        }
        response.validate().map_err(|errors| {
            SkillCallError::Invalid(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        Ok(response)
    }

    fn transport(&self, e: reqwest::Error) -> SkillCallError {
        if e.is_timeout() {
            SkillCallError::Timeout(self.timeout)
        } else {
            SkillCallError::Unreachable(e.to_string())
        }
    }
}
