//! The e-mail outbox: each notice is rendered once and kept under a key that names it (the
//! invoice of a month, a failed payment, …), with a `mail.send` job enqueued in the same
//! transaction. Enqueueing the same notice again does nothing, so a use case that runs twice
//! (a job retried after a crash) never sends it twice; an SMTP outage only delays it.

use sangdam_core::SiteId;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::error::StoreError;
use crate::jobs::{NewJob, enqueue_on};
use crate::records::col;

/// The jobs that send one stored e-mail.
pub const MAIL_SEND: &str = "mail.send";
/// Attempts before an e-mail is given up: with the scheduler's backoff (doubling up to 10
/// minutes) about a day of SMTP outage.
pub const MAIL_MAX_ATTEMPTS: u32 = 150;

/// An e-mail as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmailRecord {
    pub id: i64,
    pub site_id: SiteId,
    pub notice_key: String,
    /// What the notice is about (`invoice_issued`, `payment_failed`, …).
    pub kind: String,
    pub to_address: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub body: String,
    /// `pending`, `sent` or `failed`.
    pub state: String,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
    pub created_at: i64,
}

/// An e-mail to keep and send.
#[derive(Debug, Clone)]
pub struct NewEmail<'a> {
    pub site_id: SiteId,
    pub notice_key: &'a str,
    pub kind: &'a str,
    pub to_address: &'a str,
    pub to_name: Option<&'a str>,
    pub subject: &'a str,
    pub body: &'a str,
}

impl EmailRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(EmailRecord {
            id: col(row, "id")?,
            site_id: SiteId::new(col(row, "site_id")?),
            notice_key: col(row, "notice_key")?,
            kind: col(row, "kind")?,
            to_address: col(row, "to_address")?,
            to_name: col(row, "to_name")?,
            subject: col(row, "subject")?,
            body: col(row, "body")?,
            state: col(row, "state")?,
            last_error: col(row, "last_error")?,
            sent_at: col(row, "sent_at")?,
            created_at: col(row, "created_at")?,
        })
    }
}

impl Store {
    /// Keeps the e-mails and enqueues their sending, in one transaction; an e-mail whose
    /// notice key is already kept is left as it is. Answers how many are new.
    pub async fn enqueue_emails(
        &self,
        emails: &[NewEmail<'_>],
        now: i64,
    ) -> Result<usize, StoreError> {
        let _g = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let mut new = 0;
        for e in emails {
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO emails (site_id, notice_key, kind, to_address, to_name, subject, \
                 body, state, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8) \
                 ON CONFLICT (notice_key) DO NOTHING RETURNING id",
            )
            .bind(e.site_id.get())
            .bind(e.notice_key)
            .bind(e.kind)
            .bind(e.to_address)
            .bind(e.to_name)
            .bind(e.subject)
            .bind(e.body)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = id else { continue };
            let payload = serde_json::json!({ "email_id": id }).to_string();
            let key = format!("mail:{id}");
            enqueue_on(
                &mut tx,
                &NewJob {
                    kind: MAIL_SEND,
                    payload: &payload,
                    queue: None,
                    idempotency_key: Some(&key),
                    due_at: now,
                    max_attempts: MAIL_MAX_ATTEMPTS,
                },
                now,
            )
            .await?;
            new += 1;
        }
        tx.commit().await?;
        Ok(new)
    }

    pub async fn email(&self, id: i64) -> Result<EmailRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM emails WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("email"))?;
        EmailRecord::from_row(&row)
    }

    /// Marks the e-mail sent (`true`) unless it already was.
    pub async fn email_sent(&self, id: i64, now: i64) -> Result<bool, StoreError> {
        let _g = self.write_guard().await;
        let done = sqlx::query(
            "UPDATE emails SET state = 'sent', sent_at = $2, last_error = NULL \
             WHERE id = $1 AND state <> 'sent'",
        )
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Notes why the last attempt failed; `given_up` marks it failed for good.
    pub async fn email_failed(
        &self,
        id: i64,
        error: &str,
        given_up: bool,
    ) -> Result<(), StoreError> {
        let _g = self.write_guard().await;
        sqlx::query(
            "UPDATE emails SET last_error = $2, state = CASE WHEN $3 = 1 THEN 'failed' ELSE state END \
             WHERE id = $1 AND state <> 'sent'",
        )
        .bind(id)
        .bind(error.chars().take(1000).collect::<String>())
        .bind(i64::from(given_up))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The site's e-mails, newest first.
    pub async fn emails_of_site(
        &self,
        site: SiteId,
        limit: i64,
    ) -> Result<Vec<EmailRecord>, StoreError> {
        sqlx::query("SELECT * FROM emails WHERE site_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(site.get())
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(EmailRecord::from_row)
            .collect()
    }
}
