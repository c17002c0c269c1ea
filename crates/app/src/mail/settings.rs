//! Where and how e-mail is sent: the SMTP URL (`--smtp-url`, `SANGDAM_SMTP_URL`) and the
//! sender (`--mail-from`, `SANGDAM_MAIL_FROM`), checked once at start so that a wrong setting
//! stops the server with a sentence rather than failing every send later.

use std::fmt;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::client::TlsParameters;
use percent_encoding::percent_decode_str;
use url::{Host, Url};

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP (`smtp://`): for a relay on the same machine or network.
    None,
    /// Plain, then upgraded with STARTTLS, which the relay must offer (`smtp+starttls://`).
    StartTls,
    /// TLS from the first byte (`smtps://`, "implicit TLS").
    Tls,
}

impl SmtpTls {
    /// The port a relay listens on for this protection when the URL names none: 25 (relay),
    /// 587 (submission), 465 (submissions).
    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::None => 25,
            SmtpTls::StartTls => 587,
            SmtpTls::Tls => 465,
        }
    }
}

/// A setting that cannot be used, with the reason. It never repeats the URL: the URL may hold
/// a password.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[error("{0}")]
pub struct SmtpConfigError(pub String);

/// Where and how to send, from `--smtp-url` / `SANGDAM_SMTP_URL` and `--mail-from` /
/// `SANGDAM_MAIL_FROM`.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// A name or an address (an IPv6 address without its brackets).
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    /// Never shown by `Debug`.
    pub password: Option<String>,
    /// The From of every e-mail (and the envelope's sender).
    pub from: Mailbox,
    /// The longest one send may take, connecting included.
    pub timeout: Duration,
}

/// What a send waits before it is given up as transient.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl SmtpSettings {
    /// Reads `smtp://host[:port]`, `smtp+starttls://user:pass@host[:port]` or
    /// `smtps://user:pass@host[:port]` (user and password percent-encoded) and a sender such
    /// as `Sangdam <no-reply@example.com>`.
    pub fn parse(url: &str, from: &str) -> Result<SmtpSettings, SmtpConfigError> {
        let bad = |why: &str| SmtpConfigError(format!("SMTP URL: {why}"));
        let parsed = Url::parse(url.trim()).map_err(|e| bad(&format!("not a URL ({e})")))?;
        let tls = match parsed.scheme() {
            "smtp" => SmtpTls::None,
            "smtp+starttls" => SmtpTls::StartTls,
            "smtps" => SmtpTls::Tls,
            other => {
                return Err(bad(&format!(
                    "unknown scheme `{other}` (expected smtp://, smtp+starttls:// or smtps://)"
                )));
            }
        };
        // `smtp` is no scheme the URL standard knows, so its host comes back as written
        // (percent-encoded, not lowercased, a Korean domain not in punycode): it is read again
        // the way an `https` host is, which also tells names from addresses.
        let written = parsed.host_str().unwrap_or_default();
        let written = percent_decode_str(written)
            .decode_utf8()
            .map_err(|_| bad("the host is not UTF-8 once percent-decoded"))?;
        if written.is_empty() {
            return Err(bad("no host"));
        }
        let host = match Host::parse(&written).map_err(|e| bad(&format!("bad host ({e})")))? {
            Host::Domain(name) => name,
            Host::Ipv4(ip) => ip.to_string(),
            Host::Ipv6(ip) => ip.to_string(),
        };
        // `Url` forgets a port that is its scheme's default, but these schemes have none
        // there; a port of 0 is no port to connect to.
        let port = match parsed.port() {
            Some(0) => return Err(bad("port 0")),
            Some(port) => port,
            None => tls.default_port(),
        };
        if !matches!(parsed.path(), "" | "/") {
            return Err(bad("a path means nothing here"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(bad("options after `?` or `#` are not understood"));
        }
        let decode = |part: &str, what: &str| -> Result<String, SmtpConfigError> {
            percent_decode_str(part)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|_| bad(&format!("the {what} is not UTF-8 once percent-decoded")))
        };
        let username = match parsed.username() {
            "" => None,
            name => Some(decode(name, "user name")?),
        };
        let password = match parsed.password() {
            None => None,
            Some(pass) => Some(decode(pass, "password")?),
        };
        match (&username, &password) {
            (None, None) => {}
            (Some(_), Some(_)) if tls == SmtpTls::None => {
                return Err(bad(
                    "a password over plain smtp:// would cross the network readable: use \
                     smtp+starttls:// or smtps://",
                ));
            }
            (Some(_), Some(_)) => {}
            (Some(_), None) => return Err(bad("a user name without a password")),
            (None, Some(_)) => return Err(bad("a password without a user name")),
        }
        if tls != SmtpTls::None {
            // Checked here so that a relay that cannot be protected stops the start, not
            // every send.
            TlsParameters::new(host.clone())
                .map_err(|e| bad(&format!("TLS towards {host} cannot be set up ({e})")))?;
        }
        let from = parse_from(from)?;
        Ok(SmtpSettings {
            host,
            port,
            tls,
            username,
            password,
            from,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The same settings with another limit for one send.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

fn parse_from(from: &str) -> Result<Mailbox, SmtpConfigError> {
    let from = from.trim();
    if from.is_empty() {
        return Err(SmtpConfigError(
            "mail sender: empty (expected e.g. `Sangdam <no-reply@example.com>`)".into(),
        ));
    }
    from.parse::<Mailbox>().map_err(|e| {
        SmtpConfigError(format!(
            "mail sender `{from}`: {e} (expected e.g. `Sangdam <no-reply@example.com>`)"
        ))
    })
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("from", &self.from.to_string())
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FROM: &str = "Sangdam <no-reply@example.com>";

    fn ok(url: &str) -> SmtpSettings {
        match SmtpSettings::parse(url, FROM) {
            Ok(settings) => settings,
            Err(e) => panic!("{url}: {e}"),
        }
    }

    fn err(url: &str) -> String {
        match SmtpSettings::parse(url, FROM) {
            Ok(settings) => panic!("{url} was accepted: {settings:?}"),
            Err(e) => e.0,
        }
    }

    #[test]
    fn good_urls_give_their_host_port_protection_and_credentials() {
        type Row = (
            &'static str,
            &'static str,
            u16,
            SmtpTls,
            Option<&'static str>,
            Option<&'static str>,
        );
        let table: &[Row] = &[
            (
                "smtp://127.0.0.1:2525",
                "127.0.0.1",
                2525,
                SmtpTls::None,
                None,
                None,
            ),
            (
                "smtp://localhost",
                "localhost",
                25,
                SmtpTls::None,
                None,
                None,
            ),
            (
                "smtp://relay.internal/",
                "relay.internal",
                25,
                SmtpTls::None,
                None,
                None,
            ),
            (
                "SMTP://Relay.Example.COM:26",
                "relay.example.com",
                26,
                SmtpTls::None,
                None,
                None,
            ),
            ("smtp://[::1]:2525", "::1", 2525, SmtpTls::None, None, None),
            (
                "smtp+starttls://user:pass@smtp.example.com:587",
                "smtp.example.com",
                587,
                SmtpTls::StartTls,
                Some("user"),
                Some("pass"),
            ),
            (
                "smtp+starttls://apikey:s3cr%2Ft%40%3A%25@smtp.example.com",
                "smtp.example.com",
                587,
                SmtpTls::StartTls,
                Some("apikey"),
                Some("s3cr/t@:%"),
            ),
            (
                "smtps://no-reply%40example.com:p%C3%A4ss%20word@mail.example.com:465",
                "mail.example.com",
                465,
                SmtpTls::Tls,
                Some("no-reply@example.com"),
                Some("päss word"),
            ),
            (
                "smtps://u:p@mail.example.com",
                "mail.example.com",
                465,
                SmtpTls::Tls,
                Some("u"),
                Some("p"),
            ),
            (
                "  smtps://u:p@mail.example.com:2465  ",
                "mail.example.com",
                2465,
                SmtpTls::Tls,
                Some("u"),
                Some("p"),
            ),
        ];
        for &(url, host, port, tls, user, pass) in table {
            let s = ok(url);
            assert_eq!(s.host, host, "{url}");
            assert_eq!(s.port, port, "{url}");
            assert_eq!(s.tls, tls, "{url}");
            assert_eq!(s.username.as_deref(), user, "{url}");
            assert_eq!(s.password.as_deref(), pass, "{url}");
            assert_eq!(s.timeout, DEFAULT_TIMEOUT);
        }
    }

    #[test]
    fn bad_urls_are_refused_with_the_reason() {
        let table: &[(&str, &str)] = &[
            ("", "not a URL"),
            ("relay.example.com:25", "unknown scheme"),
            ("http://relay.example.com", "unknown scheme `http`"),
            ("smtp+ssl://relay.example.com", "unknown scheme"),
            ("submission://relay.example.com", "unknown scheme"),
            ("smtp://", "no host"),
            ("smtp://:25", "host"),
            ("smtp://bad host.example.com", "not a URL"),
            ("smtp://relay.example.com:0", "port 0"),
            ("smtp://relay.example.com:70000", "not a URL"),
            ("smtp://relay.example.com:25/inbox", "a path"),
            ("smtp://relay.example.com?tls=required", "options"),
            ("smtp://relay.example.com#x", "options"),
            ("smtp://user:pass@relay.example.com", "plain smtp://"),
            ("smtps://user@mail.example.com", "without a password"),
            ("smtps://:pass@mail.example.com", "without a user name"),
            ("smtps://u:%FF%FE@mail.example.com", "password is not UTF-8"),
        ];
        for &(url, why) in table {
            let e = err(url);
            assert!(e.contains(why), "{url}: {e:?} should say {why:?}");
        }
    }

    #[test]
    fn hosts_are_read_as_names_are_looked_up() {
        // A Korean domain goes to the resolver (and TLS) in its ASCII form.
        let s = ok("smtps://u:p@메일.예시.한국");
        assert!(
            s.host.starts_with("xn--") && s.host.is_ascii(),
            "{}",
            s.host
        );
        assert_eq!(ok("smtp://rel%61y.example.com").host, "relay.example.com");
        assert_eq!(ok("smtp://[::1]").host, "::1");
    }

    #[test]
    fn the_password_is_never_shown() {
        let s = ok("smtps://apikey:hunter2%21@mail.example.com");
        assert_eq!(s.password.as_deref(), Some("hunter2!"));
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("<hidden>") && shown.contains("apikey"),
            "{shown}"
        );
        // Nor does a refusal repeat the URL it came from.
        let e = err("smtp://apikey:hunter2@mail.example.com");
        assert!(!e.contains("hunter2"), "{e}");
        let e = err("smtps://apikey:hunter2@mail.example.com/x");
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn the_sender_is_a_mailbox_korean_names_included() {
        let s = ok("smtp://localhost");
        assert_eq!(s.from.email.to_string(), "no-reply@example.com");
        assert_eq!(s.from.name.as_deref(), Some("Sangdam"));

        let s = SmtpSettings::parse("smtp://localhost", "상담 센터 <help@example.co.kr>");
        let s = s.map_err(|e| e.0);
        assert_eq!(
            s.as_ref().map(|s| s.from.name.as_deref()),
            Ok(Some("상담 센터"))
        );

        let bare = SmtpSettings::parse("smtp://localhost", "no-reply@example.com").map_err(|e| e.0);
        assert_eq!(bare.map(|s| s.from.name), Ok(None));

        for from in [
            "",
            "   ",
            "Sangdam",
            "Sangdam <no-reply>",
            "<@example.com>",
            "a@b@c",
        ] {
            match SmtpSettings::parse("smtp://localhost", from) {
                Ok(s) => panic!("{from:?} accepted as {:?}", s.from),
                Err(e) => assert!(e.0.starts_with("mail sender"), "{from:?}: {e}"),
            }
        }
    }
}
