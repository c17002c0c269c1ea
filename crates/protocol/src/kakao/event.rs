//! The Kakao Event API (`docs/PROTOCOLS.md` §2): a bot sends a message of its own to users by
//! an event name, and reads the task's per-user results afterwards.
//!
//! ```text
//! POST {bot-api}/v2/bots/{botId}/talk      Authorization: KakaoAK {REST API key}
//! {"event": {"name", "data"}, "user": [{"type", "id", "properties"}], "params": {}}
//! → {"taskId", "status": "SUCCESS", "message", "timestamp"}
//! GET {bot-api}/v1/tasks/{taskId}
//! → {"taskId", "status", "allRequestCount", "successCount", "fail": {"count", "list": [{"userId", "errorMsg"}]}}
//! ```
//!
//! The same types serve Sangdam's own Event API, which speaks this shape to businesses.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Most users one request names.
pub const MAX_EVENT_USERS: usize = 100;
/// Longest event name.
pub const MAX_EVENT_NAME_CHARS: usize = 50;

/// The request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRequest {
    pub event: EventSpec,
    pub user: Vec<EventUser>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub params: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub data: Map<String, Value>,
}

/// One recipient: `type` is `botUserKey`, `plusfriendUserKey` or `appUserId` at Kakao.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventUser {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub properties: Map<String, Value>,
}

/// The answer to an accepted request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventAccepted {
    pub task_id: String,
    pub status: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub timestamp: i64,
}

/// A task's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskResult {
    pub task_id: String,
    /// `PROCESSING` while users wait, then `SUCCESS` (Kakao also answers `FAIL` when every
    /// user failed).
    pub status: String,
    pub all_request_count: u32,
    pub success_count: u32,
    #[serde(default)]
    pub fail: TaskFailures,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFailures {
    pub count: u32,
    #[serde(default)]
    pub list: Vec<TaskFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskFailure {
    pub user_id: String,
    pub error_msg: String,
}

impl TaskResult {
    /// Whether users still wait for their result.
    pub fn is_processing(&self) -> bool {
        self.status.eq_ignore_ascii_case("PROCESSING")
    }
}

/// Why a call to Kakao's Event API did not give an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventApiError {
    /// Kakao refused the request (wrong key, unknown bot, bad body): retrying changes nothing.
    #[error("Kakao refused the event request ({status}): {message}")]
    Refused { status: u16, message: String },
    /// Kakao could not be reached or failed: worth trying again.
    #[error("Kakao's Event API could not be reached: {0}")]
    Unreachable(String),
}

/// Calls Kakao's Event API for one bot.
#[derive(Clone)]
pub struct EventApiClient {
    /// e.g. `https://bot-api.kakao.com`.
    pub endpoint: String,
    rest_api_key: String,
    http: reqwest::Client,
}

impl fmt::Debug for EventApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventApiClient")
            .field("endpoint", &self.endpoint)
            .field("rest_api_key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// How long one call may take.
pub const EVENT_API_TIMEOUT: Duration = Duration::from_secs(10);

impl EventApiClient {
    pub fn new(endpoint: &str, rest_api_key: &str) -> Result<EventApiClient, EventApiError> {
        let http = reqwest::Client::builder()
            .timeout(EVENT_API_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| EventApiError::Unreachable(e.to_string()))?;
        Ok(EventApiClient {
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            rest_api_key: rest_api_key.to_owned(),
            http,
        })
    }

    fn auth(&self) -> String {
        format!("KakaoAK {}", self.rest_api_key)
    }

    /// Sends `req` to the users of bot `bot_id`: the task Kakao accepted.
    pub async fn talk(
        &self,
        bot_id: &str,
        req: &EventRequest,
    ) -> Result<EventAccepted, EventApiError> {
        let url = format!("{}/v2/bots/{}/talk", self.endpoint, path_segment(bot_id));
        let res = self
            .http
            .post(url)
            .header("authorization", self.auth())
            .json(req)
            .send()
            .await
            .map_err(|e| EventApiError::Unreachable(e.to_string()))?;
        read(res).await
    }

    /// The results of task `task_id`.
    pub async fn task(&self, task_id: &str) -> Result<TaskResult, EventApiError> {
        let url = format!("{}/v1/tasks/{}", self.endpoint, path_segment(task_id));
        let res = self
            .http
            .get(url)
            .header("authorization", self.auth())
            .send()
            .await
            .map_err(|e| EventApiError::Unreachable(e.to_string()))?;
        read(res).await
    }
}

/// Answers a skill request later, through the `callbackUrl` it carried (once, within a
/// minute of the request): POSTs `response` there. Kakao answers `{"taskId", "status"}`; a
/// refusal (an expired or used callback, a response it will not take) is not worth trying
/// again, an outage is.
#[derive(Debug, Clone)]
pub struct CallbackClient {
    http: reqwest::Client,
}

impl CallbackClient {
    pub fn new() -> CallbackClient {
        let http = reqwest::Client::builder()
            .timeout(EVENT_API_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        CallbackClient { http }
    }

    pub async fn send(
        &self,
        url: &str,
        response: &crate::kakao::SkillResponse,
    ) -> Result<(), EventApiError> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(EventApiError::Refused {
                status: 0,
                message: format!("{url:?} is not a callback address"),
            });
        }
        let res = self
            .http
            .post(url)
            .json(response)
            .send()
            .await
            .map_err(|e| EventApiError::Unreachable(e.to_string()))?;
        read::<Value>(res).await.map(|_| ())
    }
}

impl Default for CallbackClient {
    fn default() -> Self {
        CallbackClient::new()
    }
}

/// Only what may stand in one path segment (ids are letters, digits and a few marks).
fn path_segment(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '!' | '.'))
        .collect()
}

async fn read<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> Result<T, EventApiError> {
    let status = res.status().as_u16();
    let bytes = res
        .bytes()
        .await
        .map_err(|e| EventApiError::Unreachable(e.to_string()))?;
    if status >= 500 || status == 429 {
        return Err(EventApiError::Unreachable(format!(
            "HTTP {status}: {}",
            String::from_utf8_lossy(&bytes)
                .chars()
                .take(200)
                .collect::<String>()
        )));
    }
    if !(200..300).contains(&status) {
        return Err(EventApiError::Refused {
            status,
            message: String::from_utf8_lossy(&bytes).chars().take(500).collect(),
        });
    }
    serde_json::from_slice(&bytes).map_err(|e| EventApiError::Refused {
        status,
        message: format!("an answer that is not Kakao's: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_shapes_read_and_write() {
        let req: EventRequest = serde_json::from_str(
            r#"{"event": {"name": "order_shipped", "data": {"text": "출발"}},
                "user": [{"type": "botUserKey", "id": "U1", "properties": {}}],
                "params": {"k": "v"}}"#,
        )
        .unwrap();
        assert_eq!(req.event.name, "order_shipped");
        assert_eq!(req.user[0].kind, "botUserKey");
        let back = serde_json::to_value(&req).unwrap();
        assert_eq!(back["user"][0]["type"], "botUserKey");
        let task: TaskResult = serde_json::from_str(
            r#"{"taskId": "t", "status": "SUCCESS", "allRequestCount": 1, "successCount": 0,
                "fail": {"count": 1, "list": [{"userId": "U1", "errorMsg": "not a friend"}]}}"#,
        )
        .unwrap();
        assert_eq!(task.fail.list[0].user_id, "U1");
        assert!(!task.is_processing());
    }

    #[test]
    fn path_segments_keep_to_ids() {
        assert_eq!(
            path_segment("5ae9b76d7409b11ec845b746!"),
            "5ae9b76d7409b11ec845b746!"
        );
        assert_eq!(path_segment("../x?y"), "..xy");
    }
}
