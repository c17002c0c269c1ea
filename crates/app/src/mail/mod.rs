//! Outgoing e-mail: what one e-mail is ([`Email`]), the [`Mailer`] trait that sends it, and
//! how a send can fail ([`MailError`]: retry later, or never).
//!
//! The real mailer is [`SmtpMailer`], lettre over SMTP to the relay named by [`SmtpSettings`]
//! (`--smtp-url`, `--mail-from`). With the `testing` feature, `sink::MailSink` is a real SMTP
//! server on localhost that keeps what it receives, for tests and development: the mailer is
//! tested by talking to it over TCP, and moving to a real relay is a change of URL.
//!
//! Sending is one attempt: retries, backoff and "never twice" belong to the outbox that calls
//! it. What this module guarantees the outbox is the classification: a [`MailError::Permanent`]
//! is the server refusing this message or recipient for good; everything else (the relay down,
//! a timeout, a 4xx, a configuration the operator can fix) is [`MailError::Transient`].

mod settings;
mod smtp;

#[cfg(feature = "testing")]
pub mod sink;

#[cfg(all(test, feature = "testing"))]
mod tests;

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

/// The type of [`SmtpSettings::from`], so that callers need not name lettre.
pub use lettre::message::Mailbox;
pub use settings::{SmtpConfigError, SmtpSettings, SmtpTls};
pub use smtp::SmtpMailer;

/// What [`Mailer::send`] returns: boxed so that the trait is object-safe (`Arc<dyn Mailer>`).
pub type MailFuture<'a> = Pin<Box<dyn Future<Output = Result<SentMail, MailError>> + Send + 'a>>;

/// One e-mail as Sangdam sends it: plain text (UTF-8, Korean), one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// The recipient's address (`user@example.com`).
    pub to: String,
    /// The recipient's name, shown beside the address (`홍길동`).
    pub to_name: Option<String>,
    pub subject: String,
    /// Plain text; line ends may be `\n` (they go out as CRLF).
    pub body: String,
    /// Stable across retries (`<key@sangdam>`), set by the caller from the outbox row, so a
    /// message the relay accepted twice (an answer lost after DATA) reads as one to the
    /// recipient's mail system.
    pub message_id: String,
}

/// The relay accepted the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMail {
    /// The server's final reply (`250 2.0.0 OK queued as 12`), for the log.
    pub response: String,
}

/// Sends e-mail. Each call is one attempt; the caller decides about retries.
pub trait Mailer: Send + Sync + Debug {
    fn send<'a>(&'a self, email: &'a Email) -> MailFuture<'a>;
}

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum MailError {
    /// Try again later (connection refused, timeout, 4xx).
    #[error("e-mail not sent, to be tried again: {0}")]
    Transient(String),
    /// The server refused this message or recipient for good (5xx on RCPT/DATA, a bad
    /// address): do not retry.
    #[error("e-mail refused: {0}")]
    Permanent(String),
}

impl MailError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Permanent(_))
    }
}
