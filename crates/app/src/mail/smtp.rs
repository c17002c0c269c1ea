//! The real [`Mailer`]: one e-mail, built as a plain-text MIME message by lettre, sent over one
//! SMTP connection to the relay of [`SmtpSettings`], and lettre's errors sorted into
//! transient and permanent.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::response::Response;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Email, MailError, MailFuture, Mailer, SentMail, SmtpSettings, SmtpTls};
use crate::clock::{Clock, SystemClock};

/// Sends e-mail through an SMTP relay.
///
/// Each send opens its own connection (no pool): Sangdam sends a few e-mails, not a stream,
/// and a fresh connection per attempt means an outage and its end are seen at the next send,
/// with no half-dead connection kept in between.
pub struct SmtpMailer {
    settings: SmtpSettings,
    /// `Err`: the TLS setting could not be built (which [`SmtpSettings::parse`] checked
    /// already); every send then fails as transient, with the reason.
    transport: Result<AsyncSmtpTransport<Tokio1Executor>, String>,
    /// The Date header's time.
    clock: Arc<dyn Clock>,
}

impl SmtpMailer {
    pub fn new(settings: SmtpSettings) -> SmtpMailer {
        let transport = build_transport(&settings);
        if let Err(e) = &transport {
            tracing::error!(error = %e, host = %settings.host, "e-mail cannot be sent");
        }
        SmtpMailer {
            settings,
            transport,
            clock: Arc::new(SystemClock),
        }
    }

    /// Dates the e-mails by `clock` (the application's) rather than by the system's.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn settings(&self) -> &SmtpSettings {
        &self.settings
    }

    async fn send_one(&self, email: &Email) -> Result<SentMail, MailError> {
        let transport = self
            .transport
            .as_ref()
            .map_err(|e| MailError::Transient(e.clone()))?;
        let message = self.message(email)?;
        // lettre bounds connecting by the timeout, not the exchange after it: a relay that
        // accepts and then stalls is cut here.
        let limit = self.settings.timeout;
        match tokio::time::timeout(limit, transport.send(message)).await {
            Ok(Ok(response)) => Ok(SentMail {
                response: reply_text(&response),
            }),
            Ok(Err(e)) => Err(classify(&e)),
            Err(_) => Err(MailError::Transient(format!(
                "no answer from {}:{} within {} s",
                self.settings.host,
                self.settings.port,
                limit.as_secs_f64()
            ))),
        }
    }

    /// The MIME message of `email`. A failure here is the e-mail's own (a bad address, a bad
    /// Message-ID): sending it again cannot help.
    fn message(&self, email: &Email) -> Result<Message, MailError> {
        let address: Address = email
            .to
            .trim()
            .parse()
            .map_err(|e| MailError::Permanent(format!("recipient `{}`: {e}", email.to)))?;
        let to = Mailbox::new(email.to_name.as_deref().map(one_line), address);
        let message_id = message_id(&email.message_id)?;
        let millis = u64::try_from(self.clock.now_ms()).unwrap_or(0);
        Message::builder()
            .from(self.settings.from.clone())
            .to(to)
            .subject(one_line(&email.subject))
            .message_id(Some(message_id))
            .date(UNIX_EPOCH + Duration::from_millis(millis))
            .singlepart(SinglePart::plain(email.body.clone()))
            .map_err(|e| MailError::Permanent(format!("e-mail not built: {e}")))
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, email: &'a Email) -> MailFuture<'a> {
        Box::pin(self.send_one(email))
    }
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("settings", &self.settings)
            .field("ready", &self.transport.is_ok())
            .finish_non_exhaustive()
    }
}

fn build_transport(settings: &SmtpSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let tls = match settings.tls {
        SmtpTls::None => Tls::None,
        // Required, never "opportunistic": a relay that stops offering STARTTLS (or a
        // meddler that strips it) gets no password and no e-mail in the clear.
        SmtpTls::StartTls => Tls::Required(tls_parameters(settings)?),
        SmtpTls::Tls => Tls::Wrapper(tls_parameters(settings)?),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
        .port(settings.port)
        .tls(tls)
        .timeout(Some(settings.timeout));
    if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

fn tls_parameters(settings: &SmtpSettings) -> Result<TlsParameters, String> {
    TlsParameters::new(settings.host.clone())
        .map_err(|e| format!("TLS towards {} cannot be set up: {e}", settings.host))
}

/// Header text on one line: a line break in a subject or a name would otherwise start a header
/// of its own.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `<key@sangdam>` as given, or with its brackets added. It goes into the header as written,
/// so anything that would break the header (spaces, controls, non-ASCII) is refused.
fn message_id(id: &str) -> Result<String, MailError> {
    let id = id.trim();
    let inner = id
        .strip_prefix('<')
        .and_then(|rest| rest.strip_suffix('>'))
        .unwrap_or(id);
    let well_formed = match inner.split_once('@') {
        Some((left, right)) => {
            !left.is_empty()
                && !right.is_empty()
                && !right.contains('@')
                && inner
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && !matches!(b, b'<' | b'>'))
        }
        None => false,
    };
    if !well_formed {
        return Err(MailError::Permanent(format!(
            "Message-ID `{id}` is not of the form <left@right>"
        )));
    }
    Ok(format!("<{inner}>"))
}

/// `250 2.0.0 OK queued as 12`: the reply line as the server wrote it.
fn reply_text(response: &Response) -> String {
    let lines: Vec<&str> = response.message().collect();
    format!("{} {}", response.code(), lines.join(" "))
}

/// Replies about the session rather than the e-mail: authentication refused or required.
/// They are 5xx, but the operator fixing the password or the account makes the same e-mail go
/// through, so they must not give it up.
const SESSION_CODES: [u16; 4] = [530, 534, 535, 538];

fn classify(error: &lettre::transport::smtp::Error) -> MailError {
    let text = error.to_string();
    let code = error.status().map(|code| {
        // `Code` shows its three digits.
        code.to_string().parse::<u16>().unwrap_or(0)
    });
    if error.is_permanent() && !code.is_some_and(|c| SESSION_CODES.contains(&c)) {
        return MailError::Permanent(text);
    }
    // 4xx, a refused or dropped connection, a timeout, TLS, a reply that is not SMTP, a relay
    // that offers no STARTTLS: all about the way there, none about this e-mail.
    MailError::Transient(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_bracketed_and_checked() {
        assert_eq!(message_id("<a.1@sangdam>"), Ok("<a.1@sangdam>".to_owned()));
        assert_eq!(
            message_id("wallet-7@sangdam"),
            Ok("<wallet-7@sangdam>".to_owned())
        );
        assert_eq!(message_id(" <x@y> "), Ok("<x@y>".to_owned()));
        for bad in [
            "",
            "<>",
            "nope",
            "<a@>",
            "<@b>",
            "a b@c",
            "<a@b\r\nBcc: x@y>",
            "아@b",
            "a@b@c",
            "<<a@b>>",
        ] {
            assert!(
                matches!(message_id(bad), Err(MailError::Permanent(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn header_text_stays_on_one_line() {
        assert_eq!(
            one_line("잔액\r\nBcc: x@example.com"),
            "잔액 Bcc: x@example.com"
        );
        assert_eq!(one_line("충전 안내"), "충전 안내");
    }
}
