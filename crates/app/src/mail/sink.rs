//! A real SMTP server on localhost that keeps what it receives: the local peer of
//! [`SmtpMailer`](super::SmtpMailer) for tests and development (`smtp://127.0.0.1:PORT`).
//!
//! It speaks the part of RFC 5321 a submitting client uses — greeting, EHLO/HELO, MAIL, RCPT
//! (several), DATA with dot-unstuffing, RSET, NOOP, QUIT — and answers commands out of order
//! or malformed as a real server does (500, 501, 502, 503, 555), so a client bug shows here
//! rather than at a customer's relay. Everything read is bounded (a command line, a message of
//! 10 MB, the recipients of one message, an idle connection), so no input can exhaust memory.
//! What arrives is decoded with mail-parser, an independent MIME reader, so a test compares
//! what a recipient would read, not what the sender meant to write.
//!
//! Two switches stand in for a relay's bad days: [`MailSink::set_down`] (every new connection
//! is refused with 421 at the greeting) and [`MailSink::reject_rcpt`] (550 for an address).

use std::collections::HashSet;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use mail_parser::{HeaderName, MessageParser};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};

/// A command line, CRLF included (RFC 5321 4.5.3.1.4 says 512; extensions' parameters and
/// long addresses get room).
pub const MAX_COMMAND_LINE: usize = 1000;
/// One message as sent after DATA, every line and its CRLF counted.
pub const MAX_MESSAGE: usize = 10 * 1024 * 1024;
/// Recipients of one message (RFC 5321 4.5.3.1.8 asks a server to take at least 100).
pub const MAX_RECIPIENTS: usize = 100;
/// How long a connection may stay silent (RFC 5321 4.5.3.2.7: five minutes).
const IDLE: Duration = Duration::from_secs(300);

/// A name or address as the message's header shows it, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAddress {
    pub name: Option<String>,
    pub address: String,
}

/// One message the sink accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The envelope's sender (MAIL FROM), without brackets; empty for a bounce (`<>`).
    pub from: String,
    /// The envelope's recipients (RCPT TO) it accepted, in order.
    pub to: Vec<String>,
    /// The message as received, dot-unstuffed, CRLF line ends.
    pub raw: String,
    /// The Subject, decoded (RFC 2047 words joined).
    pub subject: String,
    /// The first text part, decoded (base64, quoted-printable, 7/8 bit) into UTF-8, with `\n`
    /// line ends as Sangdam writes them (MIME sends text with CRLF).
    pub body: String,
    /// The Message-ID header as written, brackets included (`<key@sangdam>`).
    pub message_id: Option<String>,
    /// The From header, decoded.
    pub header_from: Option<MailAddress>,
    /// The To header's addresses, decoded.
    pub header_to: Vec<MailAddress>,
    /// The Date header, in seconds since the Unix epoch.
    pub date: Option<i64>,
}

/// An SMTP server on localhost; stops when dropped (with its open connections).
#[derive(Debug)]
pub struct MailSink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

#[derive(Debug, Default)]
struct Shared {
    mails: Mutex<Vec<ReceivedMail>>,
    arrived: Notify,
    down: AtomicBool,
    /// Lower-cased addresses answered 550 at RCPT.
    rejected: Mutex<HashSet<String>>,
    queued: AtomicU64,
}

/// A poisoned lock only means a test thread panicked while holding it; the data is still
/// what it was.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MailSink {
    /// Listens on 127.0.0.1 on a free port. Called inside a tokio runtime (it spawns its
    /// accept loop there). Panics if no loopback port can be had: the tests cannot go on.
    pub fn start() -> MailSink {
        match MailSink::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))) {
            Ok(sink) => sink,
            Err(e) => panic!("the mail sink cannot listen on 127.0.0.1: {e}"),
        }
    }

    /// Listens on `addr` (a fixed port for development). Called inside a tokio runtime.
    pub fn bind(addr: SocketAddr) -> io::Result<MailSink> {
        // Bound synchronously so that `start` needs no `.await` and the port is known (and
        // accepting) when it returns.
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let listener = TcpListener::from_std(listener)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let accept = tokio::spawn(accept_loop(listener, shared.clone()));
        Ok(MailSink {
            addr,
            shared,
            accept,
        })
    }

    /// `smtp://127.0.0.1:PORT`, for [`SmtpSettings::parse`](super::SmtpSettings::parse).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every message accepted so far, in order.
    pub fn received(&self) -> Vec<ReceivedMail> {
        lock(&self.shared.mails).clone()
    }

    /// Waits until at least `count` messages have arrived, or `timeout` has passed; returns
    /// what has arrived either way (the caller's assertion says what was missing).
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before looking, so an arrival between the look and the wait wakes it.
            let arrived = self.shared.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            let mails = self.received();
            if mails.len() >= count {
                return mails;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return self.received();
            }
        }
    }

    /// While down, every new connection is answered `421 Service not available` at the
    /// greeting and closed, as a relay that is refusing does.
    pub fn set_down(&self, down: bool) {
        self.shared.down.store(down, Ordering::SeqCst);
    }

    /// RCPT TO this address (in any case) is answered `550`, as for a mailbox that does not
    /// exist.
    pub fn reject_rcpt(&self, address: &str) {
        lock(&self.shared.rejected).insert(address.trim().to_lowercase());
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        // The connections are tasks of the accept loop's set: they go with it.
        self.accept.abort();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, shared.clone()));
                }
                Err(e) => {
                    // Out of descriptors, mostly: wait for some to be given back.
                    tracing::warn!(error = %e, "mail sink: accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            // Finished connections are reaped so the set does not grow with every one.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn connection(stream: TcpStream, shared: Arc<Shared>) {
    if let Err(e) = converse(stream, &shared).await {
        tracing::debug!(error = %e, "mail sink: connection ended");
    }
}

/// What a command line leads to.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    Reply(String),
    /// 354 was the answer: the message follows.
    Data,
    /// Answer and close.
    Close(String),
}

fn reply(text: impl Into<String>) -> Step {
    Step::Reply(text.into())
}

/// One connection's state: who greeted, and the transaction under way.
#[derive(Debug, Default)]
struct Session {
    /// `Some(true)` after EHLO (extensions allowed), `Some(false)` after HELO.
    greeted: Option<bool>,
    /// The transaction's sender, once MAIL was accepted.
    from: Option<String>,
    to: Vec<String>,
}

impl Session {
    fn reset(&mut self) {
        self.from = None;
        self.to.clear();
    }

    fn command(&mut self, line: &str, shared: &Shared) -> Step {
        let (verb, arg) = match line.split_once(' ') {
            Some((verb, arg)) => (verb, arg.trim()),
            None => (line, ""),
        };
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" | "HELO" if arg.is_empty() => reply("501 5.5.4 Give your domain"),
            "EHLO" => {
                self.greeted = Some(true);
                self.reset();
                reply(format!(
                    "250-127.0.0.1 greets {arg}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE {MAX_MESSAGE}"
                ))
            }
            "HELO" => {
                self.greeted = Some(false);
                self.reset();
                reply(format!("250 127.0.0.1 greets {arg}"))
            }
            "MAIL" => self.mail(arg),
            "RCPT" => self.rcpt(arg, shared),
            "DATA" if !arg.is_empty() => reply("501 5.5.4 DATA takes no argument"),
            "DATA" if self.from.is_none() => reply("503 5.5.1 MAIL first"),
            "DATA" if self.to.is_empty() => reply("503 5.5.1 RCPT first"),
            "DATA" => Step::Data,
            "RSET" if !arg.is_empty() => reply("501 5.5.4 RSET takes no argument"),
            "RSET" => {
                self.reset();
                reply("250 2.0.0 OK")
            }
            "NOOP" => reply("250 2.0.0 OK"),
            "QUIT" if !arg.is_empty() => reply("501 5.5.4 QUIT takes no argument"),
            "QUIT" => Step::Close("221 2.0.0 Bye".into()),
            "STARTTLS" | "AUTH" | "VRFY" | "EXPN" | "HELP" | "TURN" | "ETRN" | "BDAT" => {
                reply("502 5.5.1 Not implemented")
            }
            _ => reply("500 5.5.2 Command not recognized"),
        }
    }

    fn mail(&mut self, arg: &str) -> Step {
        let Some(ehlo) = self.greeted else {
            return reply("503 5.5.1 EHLO or HELO first");
        };
        if self.from.is_some() {
            return reply("503 5.5.1 Nested MAIL command");
        }
        let Some((path, params)) = path_after(arg, "FROM:") else {
            return reply("501 5.5.4 Syntax: MAIL FROM:<address>");
        };
        if !path.is_empty() && !is_address(path) {
            return reply("501 5.1.7 Bad sender address syntax");
        }
        for param in params.split_ascii_whitespace() {
            let (key, value) = param.split_once('=').unwrap_or((param, ""));
            let known = ehlo
                && match key.to_ascii_uppercase().as_str() {
                    "BODY" => matches!(value.to_ascii_uppercase().as_str(), "7BIT" | "8BITMIME"),
                    "SMTPUTF8" => value.is_empty(),
                    "SIZE" => match value.parse::<u64>() {
                        Ok(size) if size > MAX_MESSAGE as u64 => {
                            return reply("552 5.3.4 Message size exceeds the limit");
                        }
                        Ok(_) => true,
                        Err(_) => false,
                    },
                    _ => false,
                };
            if !known {
                return reply(format!("555 5.5.4 Parameter {param} not recognized"));
            }
        }
        self.from = Some(path.to_owned());
        reply("250 2.1.0 OK")
    }

    fn rcpt(&mut self, arg: &str, shared: &Shared) -> Step {
        if self.from.is_none() {
            return reply("503 5.5.1 MAIL first");
        }
        let Some((path, params)) = path_after(arg, "TO:") else {
            return reply("501 5.5.4 Syntax: RCPT TO:<address>");
        };
        if !params.is_empty() {
            return reply("555 5.5.4 RCPT parameters not recognized");
        }
        if !is_address(path) {
            return reply("501 5.1.3 Bad recipient address syntax");
        }
        if lock(&shared.rejected).contains(&path.to_lowercase()) {
            return reply(format!("550 5.1.1 <{path}>: mailbox unavailable"));
        }
        if self.to.len() >= MAX_RECIPIENTS {
            return reply("452 4.5.3 Too many recipients");
        }
        self.to.push(path.to_owned());
        reply("250 2.1.5 OK")
    }
}

/// `FROM:<a@b> PARAMS` → (`a@b`, `PARAMS`), the keyword in any case, spaces after the colon
/// tolerated as many clients send them.
fn path_after<'a>(arg: &'a str, keyword: &str) -> Option<(&'a str, &'a str)> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg.get(keyword.len()..)?.trim_start().strip_prefix('<')?;
    let (path, params) = rest.split_once('>')?;
    if !params.is_empty() && !params.starts_with(' ') {
        return None;
    }
    Some((path, params.trim()))
}

/// `local@domain`, both sides present, no spaces: what a mailbox needs to be deliverable.
fn is_address(path: &str) -> bool {
    match path.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !path.contains(|c: char| c.is_whitespace() || c.is_control() || c == '<')
        }
        None => false,
    }
}

/// A line read with its length bounded.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// Without its line end (CRLF, or a bare LF).
    Text(Vec<u8>),
    /// Longer than allowed: read to its end and dropped.
    TooLong,
    /// The peer closed (a last line without its end is dropped).
    Eof,
}

async fn read_line<R: AsyncBufRead + Unpin>(reader: &mut R, max: usize) -> io::Result<Line> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let buf = reader.fill_buf().await?;
        if buf.is_empty() {
            return Ok(Line::Eof);
        }
        let (n, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !too_long {
            if line.len() + n > max {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(&buf[..n]);
            }
        }
        reader.consume(n);
        if done {
            if too_long {
                return Ok(Line::TooLong);
            }
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(Line::Text(line));
        }
    }
}

async fn send(writer: &mut OwnedWriteHalf, text: &str) -> io::Result<()> {
    writer.write_all(format!("{text}\r\n").as_bytes()).await?;
    writer.flush().await
}

async fn converse(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    if shared.down.load(Ordering::SeqCst) {
        return send(&mut writer, "421 4.3.2 Service not available").await;
    }
    send(&mut writer, "220 127.0.0.1 Sangdam mail sink ESMTP").await?;
    let mut session = Session::default();
    loop {
        let line = match tokio::time::timeout(IDLE, read_line(&mut reader, MAX_COMMAND_LINE)).await
        {
            Ok(line) => line?,
            Err(_) => return send(&mut writer, "421 4.4.2 Idle too long, closing").await,
        };
        let line = match line {
            Line::Eof => return Ok(()),
            Line::TooLong => {
                send(&mut writer, "500 5.5.6 Line too long").await?;
                continue;
            }
            Line::Text(bytes) => bytes,
        };
        let Ok(line) = std::str::from_utf8(&line) else {
            send(&mut writer, "500 5.5.2 Command not recognized").await?;
            continue;
        };
        match session.command(line, shared) {
            Step::Reply(text) => send(&mut writer, &text).await?,
            Step::Close(text) => return send(&mut writer, &text).await,
            Step::Data => {
                send(&mut writer, "354 End data with <CR><LF>.<CR><LF>").await?;
                let Some(raw) = read_data(&mut reader).await? else {
                    return send(&mut writer, "552 5.3.4 Message size exceeds the limit").await;
                };
                let mail = received_mail(
                    session.from.take().unwrap_or_default(),
                    std::mem::take(&mut session.to),
                    &raw,
                );
                tracing::debug!(to = ?mail.to, subject = %mail.subject, "mail sink: received");
                let queued = shared.queued.fetch_add(1, Ordering::SeqCst) + 1;
                lock(&shared.mails).push(mail);
                shared.arrived.notify_waiters();
                send(&mut writer, &format!("250 2.0.0 OK queued as {queued}")).await?;
            }
        }
    }
}

/// The message after DATA up to the lone `.`, dot-unstuffed; `None` past [`MAX_MESSAGE`] (the
/// connection is then closed: what is left of the message is not read).
async fn read_data<R: AsyncBufRead + Unpin>(reader: &mut R) -> io::Result<Option<Vec<u8>>> {
    let mut raw = Vec::new();
    loop {
        // The line end counts against the limit too.
        let room = MAX_MESSAGE.saturating_sub(raw.len());
        let line = match tokio::time::timeout(IDLE, read_line(reader, room)).await {
            Ok(line) => line?,
            Err(_) => return Err(io::Error::new(io::ErrorKind::TimedOut, "idle in DATA")),
        };
        let line = match line {
            Line::Text(line) => line,
            Line::TooLong => return Ok(None),
            Line::Eof => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "closed in DATA",
                ));
            }
        };
        if line == b"." {
            return Ok(Some(raw));
        }
        // RFC 5321 4.5.2: the sender doubled a leading dot; one is taken off.
        let line = line.strip_prefix(b".").unwrap_or(&line);
        raw.extend_from_slice(line);
        raw.extend_from_slice(b"\r\n");
    }
}

fn received_mail(from: String, to: Vec<String>, raw: &[u8]) -> ReceivedMail {
    let address = |a: &mail_parser::Addr<'_>| MailAddress {
        name: a.name().map(str::to_owned),
        address: a.address().unwrap_or_default().to_owned(),
    };
    let parsed = MessageParser::default().parse(raw);
    let parsed = parsed.as_ref();
    ReceivedMail {
        from,
        to,
        raw: String::from_utf8_lossy(raw).into_owned(),
        subject: parsed
            .and_then(|m| m.subject())
            .unwrap_or_default()
            .to_owned(),
        body: parsed
            .and_then(|m| m.body_text(0))
            .map(|body| body.replace("\r\n", "\n"))
            .unwrap_or_default(),
        message_id: parsed
            .and_then(|m| m.header_raw(HeaderName::MessageId))
            .map(|id| id.trim().to_owned()),
        header_from: parsed
            .and_then(|m| m.from())
            .and_then(|a| a.first())
            .map(address),
        header_to: parsed
            .and_then(|m| m.to())
            .map(|a| a.iter().map(address).collect())
            .unwrap_or_default(),
        date: parsed.and_then(|m| m.date()).map(|d| d.to_timestamp()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session_after(lines: &[&str]) -> (Session, Shared, Vec<Step>) {
        let shared = Shared::default();
        let mut session = Session::default();
        let steps = lines.iter().map(|l| session.command(l, &shared)).collect();
        (session, shared, steps)
    }

    fn codes(steps: &[Step]) -> Vec<String> {
        steps
            .iter()
            .map(|s| match s {
                Step::Reply(t) | Step::Close(t) => t.get(..3).unwrap_or(t).to_owned(),
                Step::Data => "354".to_owned(),
            })
            .collect()
    }

    #[test]
    fn commands_out_of_order_or_malformed_are_answered_as_a_server_does() {
        let (_, _, steps) = session_after(&[
            "MAIL FROM:<a@example.com>",
            "RCPT TO:<b@example.com>",
            "DATA",
            "FROB",
            "",
            "EHLO",
            "EHLO client.example.com",
            "RCPT TO:<b@example.com>",
            "MAIL FROM:a@example.com",
            "MAIL FROM:<a@example.com> FOO=BAR",
            "MAIL FROM:<a@example.com> SIZE=99999999999",
            "MAIL FROM:<a@example.com> BODY=8BITMIME SMTPUTF8",
            "MAIL FROM:<a@example.com>",
            "DATA",
            "RCPT TO:<nobody>",
            "RCPT TO:<b@example.com> NOTIFY=NEVER",
            "RCPT TO:<b@example.com>",
            "DATA now",
            "RSET x",
            "VRFY b",
            "NOOP",
            "RSET",
            "DATA",
            "QUIT",
        ]);
        assert_eq!(
            codes(&steps),
            [
                "503", "503", "503", "500", "500", "501", "250", "503", "501", "555", "552", "250",
                "503", "503", "501", "555", "250", "501", "501", "502", "250", "250", "503", "221"
            ]
        );
    }

    #[test]
    fn helo_allows_no_extensions_and_an_empty_sender_is_a_bounce() {
        let (session, _, steps) = session_after(&[
            "helo client",
            "mail from:<a@example.com> BODY=8BITMIME",
            "mail from:<>",
            "rcpt to: <b@example.com>",
        ]);
        assert_eq!(codes(&steps), ["250", "555", "250", "250"]);
        assert_eq!(session.from.as_deref(), Some(""));
        assert_eq!(session.to, ["b@example.com"]);
    }

    #[test]
    fn a_rejected_recipient_gets_550_and_the_others_are_kept() {
        let shared = Shared::default();
        lock(&shared.rejected).insert("gone@example.com".into());
        let mut session = Session::default();
        let mut codes_of = |line: &str| codes(&[session.command(line, &shared)]).remove(0);
        assert_eq!(codes_of("EHLO c"), "250");
        assert_eq!(codes_of("MAIL FROM:<a@example.com>"), "250");
        assert_eq!(codes_of("RCPT TO:<Gone@Example.com>"), "550");
        assert_eq!(codes_of("RCPT TO:<here@example.com>"), "250");
        assert_eq!(session.to, ["here@example.com"]);
    }

    #[test]
    fn recipients_are_bounded() {
        let (mut session, shared, _) = session_after(&["EHLO c", "MAIL FROM:<a@x.kr>"]);
        for i in 0..MAX_RECIPIENTS {
            assert_eq!(
                session.command(&format!("RCPT TO:<u{i}@x.kr>"), &shared),
                reply("250 2.1.5 OK")
            );
        }
        let step = session.command("RCPT TO:<one-more@x.kr>", &shared);
        assert_eq!(codes(&[step]), ["452"]);
    }

    #[tokio::test]
    async fn lines_are_bounded_and_read_to_their_end() {
        let input: &[u8] = b"short\r\nthis line is far too long\r\nbare lf\nlast";
        let mut reader = BufReader::with_capacity(4, input);
        assert_eq!(
            read_line(&mut reader, 10).await.ok(),
            Some(Line::Text(b"short".to_vec()))
        );
        assert_eq!(read_line(&mut reader, 10).await.ok(), Some(Line::TooLong));
        assert_eq!(
            read_line(&mut reader, 10).await.ok(),
            Some(Line::Text(b"bare lf".to_vec()))
        );
        assert_eq!(read_line(&mut reader, 10).await.ok(), Some(Line::Eof));
    }

    #[tokio::test]
    async fn data_is_dot_unstuffed_up_to_the_lone_dot() {
        let input: &[u8] = b"Subject: x\r\n\r\n..\r\n...dots\r\n.x\r\nend\r\n.\r\nQUIT\r\n";
        let mut reader = BufReader::new(input);
        let raw = read_data(&mut reader).await.ok().flatten();
        assert_eq!(
            raw.as_deref(),
            Some(&b"Subject: x\r\n\r\n.\r\n..dots\r\nx\r\nend\r\n"[..])
        );
        assert_eq!(
            read_line(&mut reader, 100).await.ok(),
            Some(Line::Text(b"QUIT".to_vec()))
        );
    }
}
