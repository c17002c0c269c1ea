//! The send API client: rate-limited, retrying, 5-second timeouts.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::NaverError;
use super::send::{HandoverRequest, SendEvent};
use crate::lenient;

/// The path of the send API under the gateway.
pub const EVENT_PATH: &str = "/chatbot/v1/event";
/// Naver's production gateway.
pub const DEFAULT_ENDPOINT: &str = "https://gw.talk.naver.com";
/// The hosts Naver serves users' images from: an image URL's host is one of them or ends
/// with `.` and one of them.
pub const IMAGE_HOSTS: &[&str] = &["pstatic.net", "naver.net", "naver.com"];
/// The whole-request timeout of fetching a user's image.
pub const IMAGE_TIMEOUT: Duration = Duration::from_secs(20);
/// Per-request timeout (Naver answers within it or not at all).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// Naver may block 30 requests in 3 s; the default limit stays two under it, so that network
/// jitter cannot squeeze 30 of our requests into one of Naver's 3-second windows.
pub const DEFAULT_RATE_LIMIT: RateLimit = RateLimit {
    max: 28,
    per: Duration::from_secs(3),
};
/// Three attempts at most; 250 ms, then 500 ms between them.
pub const DEFAULT_RETRY: Retry = Retry {
    attempts: 3,
    backoff: Duration::from_millis(250),
};

/// At most `max` requests in any window of `per` (a sliding window). A request over the limit
/// waits for its turn; it never fails for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: usize,
    pub per: Duration,
}

/// Attempts (first try included) and the first backoff, doubled after each failure. Only
/// HTTP 5xx/429, timeouts and failed connections are retried; an answer from Naver (resultCode
/// 01, 02, 99, IMG-…) never is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub attempts: u32,
    pub backoff: Duration,
}

/// A client of the send API. Cloning is cheap, and clones share one rate limit, so clone one
/// client per channel account rather than building several.
#[derive(Clone)]
pub struct NaverClient {
    /// Base URL, e.g. `https://gw.talk.naver.com` (no trailing path).
    pub endpoint: String,
    /// The raw key sent as the `Authorization` header (no `Bearer`).
    pub authorization: String,
    http: reqwest::Client,
    limiter: Arc<Limiter>,
    retry: Retry,
    timeout: Duration,
}

impl fmt::Debug for NaverClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the key.
        f.debug_struct("NaverClient")
            .field("endpoint", &self.endpoint)
            .field("authorization", &"<redacted>")
            .field("rate_limit", &self.limiter.limit)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// The send API's answer: `{"success": true, "resultCode": "00"}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Answer {
    #[serde(deserialize_with = "lenient::flag")]
    success: bool,
    #[serde(deserialize_with = "lenient::opt_string")]
    result_code: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    result_message: Option<String>,
}

impl NaverClient {
    /// A client with the default rate limit, retries and timeout.
    pub fn new(
        endpoint: impl Into<String>,
        authorization: impl Into<String>,
    ) -> Result<NaverClient, NaverError> {
        let http = reqwest::Client::builder()
            .connect_timeout(DEFAULT_TIMEOUT)
            // A redirect could lead anywhere: the image hosts serve images directly.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| NaverError::Client(e.to_string()))?;
        Ok(NaverClient {
            endpoint: endpoint.into().trim_end_matches('/').to_owned(),
            authorization: authorization.into(),
            http,
            limiter: Arc::new(Limiter::new(DEFAULT_RATE_LIMIT)),
            retry: DEFAULT_RETRY,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// Replaces the rate limit (a fresh window, no longer shared with earlier clones).
    pub fn with_rate_limit(mut self, limit: RateLimit) -> Self {
        self.limiter = Arc::new(Limiter::new(limit));
        self
    }

    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// The whole-request timeout of one attempt.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The send API URL: `{endpoint}/chatbot/v1/event`.
    pub fn event_url(&self) -> String {
        format!("{}{EVENT_PATH}", self.endpoint)
    }

    /// Sends a message. Refuses, without a request, one that breaks a limit
    /// ([`NaverError::Invalid`]).
    pub async fn send(&self, ev: &SendEvent) -> Result<(), NaverError> {
        ev.validate().map_err(NaverError::Invalid)?;
        self.post(ev).await
    }

    /// Gives the user's thread to the partner's agents.
    pub async fn pass_thread(&self, user: &str) -> Result<(), NaverError> {
        self.handover(&HandoverRequest::pass_thread(user)).await
    }

    /// Takes the user's thread back for the bot.
    pub async fn take_thread(&self, user: &str) -> Result<(), NaverError> {
        self.handover(&HandoverRequest::take_thread(user)).await
    }

    pub async fn handover(&self, req: &HandoverRequest) -> Result<(), NaverError> {
        req.validate().map_err(NaverError::Invalid)?;
        self.post(req).await
    }

    /// Fetches an image a user sent (`imageContent.imageUrl`), at most `max_bytes` of it.
    ///
    /// Only `https` URLs on Naver's image hosts ([`IMAGE_HOSTS`]) are fetched, or any URL on
    /// the endpoint's own host (a local peer standing in for Naver): a forged event must not
    /// make Sangdam fetch from inside its own network. No redirect is followed elsewhere.
    pub async fn fetch_image(&self, url: &str, max_bytes: u64) -> Result<Vec<u8>, NaverError> {
        let parsed =
            reqwest::Url::parse(url).map_err(|e| NaverError::ImageUrl(format!("{url}: {e}")))?;
        let host = parsed.host_str().unwrap_or("").to_ascii_lowercase();
        let endpoint_host = reqwest::Url::parse(&self.endpoint)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
        let naver = parsed.scheme() == "https"
            && IMAGE_HOSTS
                .iter()
                .any(|h| host == *h || host.ends_with(&format!(".{h}")));
        let peer = endpoint_host.as_deref() == Some(host.as_str())
            && parsed.port_or_known_default()
                == reqwest::Url::parse(&self.endpoint)
                    .ok()
                    .and_then(|u| u.port_or_known_default());
        if !naver && !peer {
            return Err(NaverError::ImageUrl(url.to_owned()));
        }
        let mut res = self
            .http
            .get(parsed)
            .timeout(IMAGE_TIMEOUT)
            .send()
            .await
            .map_err(transport)?;
        if res.status() != reqwest::StatusCode::OK {
            return Err(NaverError::Http(res.status().as_u16()));
        }
        if res.content_length().is_some_and(|n| n > max_bytes) {
            return Err(NaverError::ImageTooLarge { max: max_bytes });
        }
        let mut out = Vec::new();
        while let Some(chunk) = res.chunk().await.map_err(transport)? {
            if (out.len() + chunk.len()) as u64 > max_bytes {
                return Err(NaverError::ImageTooLarge { max: max_bytes });
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    /// Sends any JSON body as it is, unchecked (rate limit and retries still apply).
    pub async fn send_json(&self, body: &Value) -> Result<(), NaverError> {
        self.post(body).await
    }

    async fn post<B: Serialize + ?Sized>(&self, body: &B) -> Result<(), NaverError> {
        let url = self.event_url();
        let attempts = self.retry.attempts.max(1);
        let mut backoff = self.retry.backoff;
        let mut attempt = 1;
        loop {
            self.limiter.acquire().await;
            match self.attempt(&url, body).await {
                Err(e) if e.is_retryable() && attempt < attempts => {
                    tokio::time::sleep(backoff).await;
                    backoff = backoff.saturating_mul(2);
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn attempt<B: Serialize + ?Sized>(&self, url: &str, body: &B) -> Result<(), NaverError> {
        let res = self
            .http
            .post(url)
            .header(reqwest::header::AUTHORIZATION, &self.authorization)
            .timeout(self.timeout)
            .json(body)
            .send()
            .await
            .map_err(transport)?;
        let status = res.status();
        if status != reqwest::StatusCode::OK {
            return Err(NaverError::Http(status.as_u16()));
        }
        let bytes = res.bytes().await.map_err(transport)?;
        let answer: Answer = serde_json::from_slice(&bytes).map_err(|e| {
            NaverError::InvalidResponse(format!(
                "{e}: {}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
            ))
        })?;
        if answer.success {
            return Ok(());
        }
        let code = answer.result_code.unwrap_or_default();
        let message = answer.result_message.unwrap_or_default();
        Err(match code.as_str() {
            "01" => NaverError::Auth { message },
            "02" => NaverError::BadRequest { message },
            c if c.to_ascii_uppercase().starts_with("IMG-") => NaverError::Image { code, message },
            _ => NaverError::Remote { code, message },
        })
    }
}

fn transport(e: reqwest::Error) -> NaverError {
    if e.is_timeout() {
        NaverError::Timeout
    } else if e.is_connect() {
        NaverError::Connect(e.to_string())
    } else {
        NaverError::Transport(e.to_string())
    }
}

/// A sliding-window limiter shared by a client's clones. The lock is held while waiting, so
/// requests go out in the order they asked.
#[derive(Debug)]
struct Limiter {
    limit: RateLimit,
    sent: Mutex<VecDeque<Instant>>,
}

impl Limiter {
    fn new(limit: RateLimit) -> Limiter {
        Limiter {
            limit: RateLimit {
                max: limit.max.max(1),
                per: limit.per,
            },
            sent: Mutex::new(VecDeque::new()),
        }
    }

    async fn acquire(&self) {
        let mut sent = self.sent.lock().await;
        loop {
            let now = Instant::now();
            while sent
                .front()
                .is_some_and(|&t| now.duration_since(t) >= self.limit.per)
            {
                sent.pop_front();
            }
            if sent.len() < self.limit.max {
                sent.push_back(now);
                return;
            }
            if let Some(&oldest) = sent.front() {
                tokio::time::sleep_until(oldest + self.limit.per).await;
            }
        }
    }
}
