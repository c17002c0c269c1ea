//! Real exchanges over TCP between [`SmtpMailer`] and [`MailSink`]: what a recipient reads is
//! decoded by the sink's own MIME parser, independent of lettre's encoder.

// The helpers below are test code too (clippy does not see it under a two-part `cfg`).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::sink::{MailAddress, MailSink};
use super::*;
use crate::clock::TestClock;

const WAIT: Duration = Duration::from_secs(5);

fn mailer(sink: &MailSink) -> SmtpMailer {
    let settings = SmtpSettings::parse(&sink.url(), "상담 센터 <no-reply@sangdam.example>")
        .unwrap()
        .with_timeout(Duration::from_secs(5));
    SmtpMailer::new(settings)
}

fn email(to: &str, n: u32) -> Email {
    Email {
        to: to.to_owned(),
        to_name: None,
        subject: format!("알림 {n}"),
        body: format!("본문 {n}\n"),
        message_id: format!("<wallet-{n}@sangdam>"),
    }
}

#[tokio::test]
async fn korean_subject_body_and_names_arrive_as_written() {
    let sink = MailSink::start();
    let clock = TestClock::at(1_767_225_600_123); // 2026-01-01T00:00:00.123Z
    let mailer = mailer(&sink).with_clock(Arc::new(clock));
    let body = "홍길동 고객님, 안녕하세요.\n\n충전하신 10,000원이 지갑에 들어왔습니다.\n\
                잔액: 25,000원 — 감사합니다!\n\
                A very long line that goes on and on past the seventy-six characters a \
                quoted-printable or base64 line may hold, to see it rejoined: 가나다라마바사아자차카타파하.\n";
    let sent = mailer
        .send(&Email {
            to: "gildong@example.co.kr".into(),
            to_name: Some("홍길동 (\"길동\")".into()),
            subject: "[상담] 지갑 충전 완료 안내 — 영수증 번호 2026-0001 (잔액 확인 부탁드립니다)"
                .into(),
            body: body.into(),
            message_id: "<wallet-topup-42@sangdam>".into(),
        })
        .await
        .unwrap();
    assert!(sent.response.starts_with("250 "), "{}", sent.response);

    let mails = sink.wait_for(1, WAIT).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(
        mail.subject,
        "[상담] 지갑 충전 완료 안내 — 영수증 번호 2026-0001 (잔액 확인 부탁드립니다)"
    );
    assert_eq!(mail.body, body);
    assert_eq!(
        mail.message_id.as_deref(),
        Some("<wallet-topup-42@sangdam>")
    );
    assert_eq!(
        mail.header_to,
        [MailAddress {
            name: Some("홍길동 (\"길동\")".into()),
            address: "gildong@example.co.kr".into()
        }]
    );
    assert_eq!(
        mail.header_from,
        Some(MailAddress {
            name: Some("상담 센터".into()),
            address: "no-reply@sangdam.example".into()
        })
    );
    assert_eq!(mail.from, "no-reply@sangdam.example");
    assert_eq!(mail.to, ["gildong@example.co.kr"]);
    assert_eq!(mail.date, Some(1_767_225_600));
    // What travels is 7-bit (encoded words, an encoded body), as any relay takes it.
    assert!(mail.raw.is_ascii(), "{}", mail.raw);
    let headers = mail.raw.to_ascii_lowercase();
    assert!(
        headers.contains("content-type: text/plain; charset=utf-8"),
        "{}",
        mail.raw
    );
}

#[tokio::test]
async fn two_recipients_get_two_messages() {
    let sink = MailSink::start();
    let mailer = mailer(&sink);
    let mut first = email("a@example.com", 1);
    first.to_name = Some("김철수".into());
    mailer.send(&first).await.unwrap();
    mailer.send(&email("b@example.com", 2)).await.unwrap();

    let mails = sink.wait_for(2, WAIT).await;
    let seen: Vec<_> = mails
        .iter()
        .map(|m| {
            (
                m.to.clone(),
                m.subject.as_str(),
                m.body.as_str(),
                m.message_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                vec!["a@example.com".to_owned()],
                "알림 1",
                "본문 1\n",
                Some("<wallet-1@sangdam>")
            ),
            (
                vec!["b@example.com".to_owned()],
                "알림 2",
                "본문 2\n",
                Some("<wallet-2@sangdam>")
            ),
        ]
    );
    assert_eq!(mails[0].header_to[0].name.as_deref(), Some("김철수"));
    assert_eq!(mails[1].header_to[0].name, None);
}

#[tokio::test]
async fn a_relay_that_is_down_is_transient_and_its_return_delivers() {
    let sink = MailSink::start();
    let mailer = mailer(&sink);
    let mail = email("a@example.com", 7);

    sink.set_down(true);
    match mailer.send(&mail).await {
        Err(MailError::Transient(why)) => assert!(why.contains("421"), "{why}"),
        other => panic!("expected a transient failure, got {other:?}"),
    }
    assert!(sink.received().is_empty());

    sink.set_down(false);
    mailer.send(&mail).await.unwrap();
    let mails = sink.wait_for(1, WAIT).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].message_id.as_deref(), Some("<wallet-7@sangdam>"));
}

#[tokio::test]
async fn no_server_listening_is_transient() {
    // A port that was just free: nothing listens there now.
    let port = MailSink::start().addr().port();
    let settings = SmtpSettings::parse(&format!("smtp://127.0.0.1:{port}"), "a@example.com")
        .unwrap()
        .with_timeout(Duration::from_secs(5));
    let result = SmtpMailer::new(settings)
        .send(&email("a@example.com", 1))
        .await;
    assert!(matches!(result, Err(MailError::Transient(_))), "{result:?}");
}

#[tokio::test]
async fn a_relay_that_stalls_is_cut_by_the_timeout_as_transient() {
    // Accepts the connection and never greets.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let held = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    });
    let settings = SmtpSettings::parse(&format!("smtp://{addr}"), "a@example.com")
        .unwrap()
        .with_timeout(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let result = SmtpMailer::new(settings)
        .send(&email("a@example.com", 1))
        .await;
    assert!(matches!(result, Err(MailError::Transient(_))), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    held.abort();
}

#[tokio::test]
async fn a_refused_recipient_is_permanent() {
    let sink = MailSink::start();
    sink.reject_rcpt("gone@example.com");
    let mailer = mailer(&sink);
    match mailer.send(&email("gone@example.com", 1)).await {
        Err(MailError::Permanent(why)) => assert!(why.contains("550"), "{why}"),
        other => panic!("expected a permanent failure, got {other:?}"),
    }
    // The connection after a refusal is a fresh one: the next e-mail goes.
    mailer.send(&email("here@example.com", 2)).await.unwrap();
    let mails = sink.wait_for(1, WAIT).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, ["here@example.com"]);
}

#[tokio::test]
async fn an_e_mail_that_cannot_be_written_is_permanent_and_nothing_is_sent() {
    let sink = MailSink::start();
    let mailer = mailer(&sink);
    let mut bad_address = email("not an address", 1);
    assert!(matches!(
        mailer.send(&bad_address).await,
        Err(MailError::Permanent(_))
    ));
    bad_address.to = "a@example.com".into();
    bad_address.message_id = "<a@b>\r\nBcc: spy@example.com".into();
    assert!(matches!(
        mailer.send(&bad_address).await,
        Err(MailError::Permanent(_))
    ));
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn line_breaks_in_a_subject_or_a_name_add_no_header() {
    let sink = MailSink::start();
    let mailer = mailer(&sink);
    let mut mail = email("a@example.com", 1);
    mail.subject = "잔액 안내\r\nBcc: spy@example.com".into();
    mail.to_name = Some("홍길동\nBcc: spy@example.com".into());
    mailer.send(&mail).await.unwrap();
    let mails = sink.wait_for(1, WAIT).await;
    assert_eq!(mails[0].subject, "잔액 안내 Bcc: spy@example.com");
    assert!(
        !mails[0].raw.to_ascii_lowercase().contains("\nbcc:"),
        "{}",
        mails[0].raw
    );
    assert_eq!(mails[0].to, ["a@example.com"]);
}

#[tokio::test]
async fn a_body_line_of_a_single_dot_survives() {
    let sink = MailSink::start();
    let mailer = mailer(&sink);
    // ASCII, so that it travels as written (7bit) and the dots reach the wire as dots.
    let body = "Receipt below\n.\n..\n.hidden\nend\n.";
    let mut mail = email("a@example.com", 1);
    mail.body = body.into();
    mailer.send(&mail).await.unwrap();
    let mails = sink.wait_for(1, WAIT).await;
    assert!(
        mails[0].raw.contains("\r\n.\r\n..\r\n.hidden\r\n"),
        "{}",
        mails[0].raw
    );
    assert_eq!(mails[0].body.trim_end_matches('\n'), body);
}

#[tokio::test]
async fn starttls_or_tls_against_a_plain_relay_fails_as_transient() {
    let sink = MailSink::start();
    let port = sink.addr().port();
    for url in [
        format!("smtp+starttls://u:p@127.0.0.1:{port}"),
        format!("smtps://u:p@127.0.0.1:{port}"),
    ] {
        let settings = SmtpSettings::parse(&url, "a@example.com")
            .unwrap()
            .with_timeout(Duration::from_secs(5));
        let result = SmtpMailer::new(settings)
            .send(&email("a@example.com", 1))
            .await;
        assert!(
            matches!(result, Err(MailError::Transient(_))),
            "{url}: {result:?}"
        );
    }
    assert!(sink.received().is_empty());
}

/// Speaks SMTP to the sink by hand: what a client other than lettre may send.
struct Client {
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
}

impl Client {
    async fn connect(sink: &MailSink) -> (Client, String) {
        let (reader, writer) = TcpStream::connect(sink.addr()).await.unwrap().into_split();
        let mut client = Client {
            reader: BufReader::new(reader),
            writer,
        };
        let greeting = client.reply().await;
        (client, greeting)
    }

    /// The reply, its lines joined with `\n`.
    async fn reply(&mut self) -> String {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line).await.unwrap() == 0 {
                break;
            }
            let line = line.trim_end().to_owned();
            let last = line.as_bytes().get(3) != Some(&b'-');
            lines.push(line);
            if last {
                break;
            }
        }
        lines.join("\n")
    }

    /// Sends `line` (CRLF added) and checks the reply's code; returns the reply.
    async fn expect(&mut self, line: &str, code: &str) -> String {
        self.writer
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .unwrap();
        let reply = self.reply().await;
        assert!(reply.starts_with(code), "{line:?} → {reply}");
        reply
    }
}

#[tokio::test]
async fn the_sink_speaks_smtp_to_any_client() {
    let sink = MailSink::start();
    let (mut c, greeting) = Client::connect(&sink).await;
    assert!(greeting.starts_with("220 "), "{greeting}");
    let ehlo = c.expect("EHLO tester", "250").await;
    for extension in ["8BITMIME", "SMTPUTF8", "SIZE 10485760"] {
        assert!(ehlo.contains(extension), "{ehlo}");
    }
    // What it does not do, it does not offer.
    assert!(
        !ehlo.contains("PIPELINING") && !ehlo.contains("STARTTLS"),
        "{ehlo}"
    );
    c.expect("DATA", "503").await;
    c.expect("MAIL FROM:<a@example.com> BODY=8BITMIME", "250")
        .await;
    c.expect("RCPT TO:<b@example.com>", "250").await;
    c.expect("RCPT TO:<c@example.com>", "250").await;
    c.expect(&format!("NOOP {}", "x".repeat(2000)), "500").await;
    c.expect("DATA", "354").await;
    let data = "Subject: =?UTF-8?B?7JWI64WV?=\r\nMessage-ID: <m1@x>\r\n\
                Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
                첫 줄\r\n..\r\n마지막\r\n.";
    c.expect(data, "250").await;
    // A second transaction on the same connection; RSET drops it half-made.
    c.expect("MAIL FROM:<>", "250").await;
    c.expect("RSET", "250").await;
    c.expect("RCPT TO:<b@example.com>", "503").await;
    c.expect("QUIT", "221").await;

    let mails = sink.wait_for(1, WAIT).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].from, "a@example.com");
    assert_eq!(mails[0].to, ["b@example.com", "c@example.com"]);
    assert_eq!(mails[0].subject, "안녕");
    assert_eq!(mails[0].body, "첫 줄\n.\n마지막\n");
    assert_eq!(mails[0].message_id.as_deref(), Some("<m1@x>"));
}

#[tokio::test]
async fn a_message_over_the_limit_is_refused_and_not_kept() {
    let sink = MailSink::start();
    let (mut c, _) = Client::connect(&sink).await;
    c.expect("HELO tester", "250").await;
    c.expect("MAIL FROM:<a@example.com>", "250").await;
    c.expect("RCPT TO:<b@example.com>", "250").await;
    c.expect("DATA", "354").await;
    let line = format!("{}\r\n", "x".repeat(998));
    let lines = sink::MAX_MESSAGE / line.len() + 1;
    for _ in 0..lines {
        // The sink may close before the last line is written.
        if c.writer.write_all(line.as_bytes()).await.is_err() {
            break;
        }
    }
    // The refusal comes before the end of the data, and the connection closes.
    let reply = c.reply().await;
    assert!(reply.starts_with("552"), "{reply}");
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn a_sink_that_is_down_refuses_at_the_greeting() {
    let sink = MailSink::start();
    sink.set_down(true);
    let (_, greeting) = Client::connect(&sink).await;
    assert!(greeting.starts_with("421 "), "{greeting}");
    sink.set_down(false);
    let (_, greeting) = Client::connect(&sink).await;
    assert!(greeting.starts_with("220 "), "{greeting}");
}

#[tokio::test]
async fn waiting_for_more_than_arrives_returns_what_came() {
    let sink = MailSink::start();
    let started = std::time::Instant::now();
    assert!(
        sink.wait_for(1, Duration::from_millis(100))
            .await
            .is_empty()
    );
    assert!(started.elapsed() >= Duration::from_millis(100));
}
