//! The Naver TalkTalk chatbot API (`docs/PROTOCOLS.md` §3).
//!
//! - Webhook: [`parse_event`] reads what Naver POSTs into an [`Event`]. Every JSON object
//!   with a user parses; an event Sangdam does not know is [`Event::Unknown`].
//! - Send API: [`SendEvent`] and [`HandoverRequest`] are the bodies, checked by their
//!   `validate`; [`NaverClient`] POSTs them with a client-side rate limit and retries.
//! - [`testing::FakeNaver`] (feature `testing`) is a local send API for tests.
//!
//! ```
//! use protocol::naver::{Event, SendEvent, parse_event};
//!
//! let e = parse_event(br#"{"standby": true, "event": "send", "user": "al-2eGuGr5WQOnco1_V-FQ",
//!     "textContent": {"text": "hello", "inputType": "typing"}}"#)?;
//! assert_eq!((e.user(), e.text(), e.is_standby()), (Some("al-2eGuGr5WQOnco1_V-FQ"), Some("hello"), true));
//! let e = parse_event(br#"{"event": "unknown"}"#)?;
//! assert!(matches!(e, Event::Unknown { .. }));
//!
//! let reply = SendEvent::text("al-2eGuGr5WQOnco1_V-FQ", "안녕하세요");
//! reply.validate().map_err(protocol::naver::NaverError::Invalid)?;
//! // let client = NaverClient::new(DEFAULT_ENDPOINT, key)?; client.send(&reply).await?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod client;
mod event;
mod send;
#[cfg(feature = "testing")]
pub mod testing;

pub use client::{
    DEFAULT_ENDPOINT, DEFAULT_RATE_LIMIT, DEFAULT_RETRY, DEFAULT_TIMEOUT, EVENT_PATH, NaverClient,
    RateLimit, Retry,
};
pub use event::{
    Address, CompositeContent, EchoOptions, Event, FriendOptions, HandoverOptions, ImageContent,
    OpenOptions, ProfileOptions, ProfileResult, TextContent, parse_event,
};
pub use send::{
    Button, Card, CardImage, Composite, Control, HandoverRequest, HandoverRequestOptions, Image,
    PARTNER_CENTER_TARGET, QuickReply, SendContent, SendEvent, Text, limits,
};

pub use crate::{LimitError, LimitKind};

/// What went wrong reading a webhook or talking to the send API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NaverError {
    #[error("the webhook body is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("the webhook body is not a JSON object")]
    NotAnObject,
    #[error("the {event:?} event has no user")]
    MissingUser { event: String },
    #[error("the message breaks {} limit(s): {}", .0.len(), join(.0))]
    Invalid(Vec<LimitError>),
    #[error("Naver refused the authorization key (resultCode 01){}", suffix(.message))]
    Auth { message: String },
    #[error("Naver refused the request body or user (resultCode 02){}", suffix(.message))]
    BadRequest { message: String },
    #[error("Naver refused the image (resultCode {code}){}", suffix(.message))]
    Image { code: String, message: String },
    #[error("Naver answered resultCode {code:?}{}", suffix(.message))]
    Remote { code: String, message: String },
    #[error("the send API answered HTTP {0}")]
    Http(u16),
    #[error("the send API did not answer in time")]
    Timeout,
    #[error("cannot connect to the send API: {0}")]
    Connect(String),
    #[error("the request to the send API failed: {0}")]
    Transport(String),
    #[error("the send API's answer is not the expected JSON: {0}")]
    InvalidResponse(String),
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// A user's image URL Sangdam does not fetch from (not https on Naver's image hosts).
    #[error("the image URL is not one of Naver's: {0}")]
    ImageUrl(String),
    /// A user's image larger than the site takes.
    #[error("the image is larger than {max} bytes")]
    ImageTooLarge { max: u64 },
}

impl NaverError {
    /// Whether trying again may help: a 5xx or 429, a timeout, a refused connection.
    pub fn is_retryable(&self) -> bool {
        match self {
            NaverError::Http(status) => *status >= 500 || *status == 429,
            NaverError::Timeout | NaverError::Connect(_) => true,
            _ => false,
        }
    }
}

fn join(errors: &[LimitError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn suffix(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

#[cfg(test)]
mod tests;
