//! The wallet's e-mail notices (R5.5): rendered from the catalogues (`mail-*` in
//! `locales/*/wallet.ftl`) for each of the wallet's people who gave an address, kept in the
//! e-mail outbox under a key naming the notice and the recipient (so the same notice is never
//! queued twice), and sent by `mail.send` jobs through the configured [`Mailer`].

use billing::Krw;
use i18n::{Arg, Lang};
use store::{EmailRecord, JobRecord, NewEmail, WalletRecord};

use crate::Services;
use crate::error::AppError;
use crate::mail::{Email, MailError};
use crate::scheduler::{JobError, Scheduler};

/// The language of the notices (the product's first language).
pub const NOTICE_LANG: Lang = Lang::Ko;

/// Something the wallet's people are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A usage was refused: not enough cash and no card, or a receivable outstanding.
    LowBalance,
    /// A channel that bills per message was connected.
    PaidChannelConnected {
        channel: String,
    },
    CashGranted {
        amount: Krw,
        expires_at: i64,
    },
    FreeCashExpiring {
        amount: Krw,
        expires_at: i64,
    },
    AutoPaymentSucceeded {
        amount: Krw,
    },
    AutoPaymentFailed {
        amount: Krw,
    },
    /// The receivable has been unpaid this many days.
    PaymentOverdue {
        amount: Krw,
        days: i64,
    },
    CashCharged {
        amount: Krw,
    },
    RefundCompleted {
        amount: Krw,
    },
    InvoiceIssued {
        period: String,
        supply: Krw,
        vat: Krw,
        total: Krw,
        /// The invoice address, which gets it too.
        to: String,
    },
}

impl Notice {
    /// The notice's name in the catalogue and the outbox.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::LowBalance => "low_balance",
            Notice::PaidChannelConnected { .. } => "paid_channel_connected",
            Notice::CashGranted { .. } => "cash_granted",
            Notice::FreeCashExpiring { .. } => "free_cash_expiring",
            Notice::AutoPaymentSucceeded { .. } => "auto_payment_succeeded",
            Notice::AutoPaymentFailed { .. } => "auto_payment_failed",
            Notice::PaymentOverdue { .. } => "payment_overdue",
            Notice::CashCharged { .. } => "cash_charged",
            Notice::RefundCompleted { .. } => "refund_completed",
            Notice::InvoiceIssued { .. } => "invoice_issued",
        }
    }

    /// Every kind (the catalogue holds a subject and a body of each, in each language).
    pub const KINDS: [&'static str; 10] = [
        "low_balance",
        "paid_channel_connected",
        "cash_granted",
        "free_cash_expiring",
        "auto_payment_succeeded",
        "auto_payment_failed",
        "payment_overdue",
        "cash_charged",
        "refund_completed",
        "invoice_issued",
    ];
}

/// An instant as the wallet's people read it: `2026-12-31 00:00` in the site's zone.
fn local_time(zone: &sangdam_core::hours::Zone, ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => zone.local(t).strftime("%Y-%m-%d %H:%M").to_string(),
        Err(_) => ms.to_string(),
    }
}

/// The subject and body of `notice` for `wallet` in `lang`.
pub fn render(
    lang: Lang,
    notice: &Notice,
    wallet: &WalletRecord,
    zone: &sangdam_core::hours::Zone,
) -> (String, String) {
    let mut args: Vec<(&str, Arg<'_>)> = vec![("wallet", wallet.name.as_str().into())];
    let owned: Vec<(&str, String)> = match notice {
        Notice::LowBalance => vec![],
        Notice::PaidChannelConnected { channel } => vec![("channel", channel.clone())],
        Notice::CashGranted { amount, expires_at }
        | Notice::FreeCashExpiring { amount, expires_at } => vec![
            ("amount", amount.to_string()),
            ("expires", local_time(zone, *expires_at)),
        ],
        Notice::AutoPaymentSucceeded { amount }
        | Notice::AutoPaymentFailed { amount }
        | Notice::CashCharged { amount }
        | Notice::RefundCompleted { amount } => vec![
            ("amount", amount.to_string()),
            ("gross", billing::gross(*amount).to_string()),
        ],
        Notice::PaymentOverdue { amount, days } => {
            vec![("amount", amount.to_string()), ("days", days.to_string())]
        }
        Notice::InvoiceIssued {
            period,
            supply,
            vat,
            total,
            to,
        } => vec![
            ("period", period.clone()),
            ("supply", supply.to_string()),
            ("vat", vat.to_string()),
            ("total", total.to_string()),
            ("to", to.clone()),
            (
                "business",
                wallet.business_number.clone().unwrap_or_default(),
            ),
        ],
    };
    for (k, v) in &owned {
        args.push((k, v.as_str().into()));
    }
    let kind = notice.kind().replace('_', "-");
    let subject = i18n::t_args(lang, &format!("mail-{kind}-subject"), &args);
    let body = format!(
        "{}\n\n{}",
        i18n::t_args(lang, &format!("mail-{kind}-body"), &args),
        i18n::t_args(lang, "mail-footer", &args)
    );
    (subject, body)
}

impl Services {
    /// Queues `notice` for every person of the wallet with a notice address (and the invoice
    /// address for an invoice), once per `key`.
    pub(crate) async fn notify(
        &self,
        wallet: &WalletRecord,
        notice: Notice,
        key: &str,
    ) -> Result<(), AppError> {
        let zone = self.wallet_zone(wallet).await?;
        let (subject, body) = render(NOTICE_LANG, &notice, wallet, &zone);
        let mut recipients: Vec<(String, Option<String>)> = self
            .wallet_people(wallet)
            .await?
            .into_iter()
            .filter_map(|p| p.notice_email.map(|e| (e, Some(p.name))))
            .collect();
        if let Notice::InvoiceIssued { to, .. } = &notice
            && !recipients.iter().any(|(e, _)| e == to)
        {
            recipients.push((to.clone(), None));
        }
        let keys: Vec<String> = recipients
            .iter()
            .map(|(address, _)| format!("wallet:{}:{key}:{}:{address}", wallet.id, notice.kind()))
            .collect();
        let emails: Vec<NewEmail<'_>> = recipients
            .iter()
            .zip(&keys)
            .map(|((address, name), notice_key)| NewEmail {
                site_id: wallet.site_id,
                notice_key,
                kind: notice.kind(),
                to_address: address,
                to_name: name.as_deref(),
                subject: &subject,
                body: &body,
            })
            .collect();
        if emails.is_empty() {
            tracing::info!(wallet = wallet.id, notice = notice.kind(), "nobody to tell");
            return Ok(());
        }
        if self.store.enqueue_emails(&emails, self.now()).await? > 0 {
            self.wake_jobs();
        }
        Ok(())
    }

    /// The site's e-mails, newest first (the wallet page's list of notices sent).
    pub async fn wallet_emails(
        &self,
        caller: &store::AgentRecord,
    ) -> Result<Vec<EmailRecord>, AppError> {
        self.wallet_for(caller).await?;
        Ok(self.store.emails_of_site(caller.site_id, 100).await?)
    }
}

#[derive(Debug, serde::Deserialize)]
struct MailPayload {
    email_id: i64,
}

/// Sends one stored e-mail; one already sent is not sent again.
async fn send_job(services: Services, job: JobRecord) -> Result<(), JobError> {
    let p: MailPayload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fail(format!("not a mail payload: {e}")))?;
    let store = &services.store;
    let email = store
        .email(p.email_id)
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?;
    if email.state == "sent" {
        return Ok(());
    }
    let Some(mailer) = services.mailer.clone() else {
        let why = "no SMTP server is configured (--smtp-url)";
        store
            .email_failed(email.id, why, true)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        return Err(JobError::Fail(why.into()));
    };
    let message = Email {
        to: email.to_address.clone(),
        to_name: email.to_name.clone(),
        subject: email.subject.clone(),
        body: email.body.clone(),
        message_id: format!(
            "<{}.{}@sangdam>",
            email.id,
            crate::wallet::short_hash(&email.notice_key)
        ),
    };
    match mailer.send(&message).await {
        Ok(_) => {
            store
                .email_sent(email.id, services.now())
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            Ok(())
        }
        Err(e @ MailError::Permanent(_)) => {
            let _ = store.email_failed(email.id, &e.to_string(), true).await;
            Err(JobError::Fail(e.to_string()))
        }
        Err(e @ MailError::Transient(_)) => {
            let last = job.attempts >= job.max_attempts;
            let _ = store.email_failed(email.id, &e.to_string(), last).await;
            Err(JobError::Retry(e.to_string()))
        }
    }
}

/// The scheduler with the e-mail sender.
pub fn with_handlers(scheduler: Scheduler) -> Scheduler {
    scheduler.handle(store::MAIL_SEND, send_job)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn wallet() -> WalletRecord {
        WalletRecord {
            id: 1,
            site_id: sangdam_core::SiteId::new(1),
            name: "테스트상점".into(),
            kind: "business".into(),
            business_number: Some("123-45-67891".into()),
            business_name: Some("(주)테스트상점".into()),
            representative: Some("홍길동".into()),
            invoice_email: Some("tax@shop.test".into()),
            master_id: sangdam_core::AgentId::new(1),
            threshold: 500_000,
            receivable_since: None,
            overdue_notice_at: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn every_notice() -> Vec<Notice> {
        let amount = Krw::won(1_500);
        vec![
            Notice::LowBalance,
            Notice::PaidChannelConnected {
                channel: "카카오톡".into(),
            },
            Notice::CashGranted {
                amount,
                expires_at: 1_767_571_200_000,
            },
            Notice::FreeCashExpiring {
                amount,
                expires_at: 1_767_571_200_000,
            },
            Notice::AutoPaymentSucceeded { amount },
            Notice::AutoPaymentFailed { amount },
            Notice::PaymentOverdue { amount, days: 5 },
            Notice::CashCharged { amount },
            Notice::RefundCompleted { amount },
            Notice::InvoiceIssued {
                period: "2026-01".into(),
                supply: amount,
                vat: billing::vat(amount),
                total: billing::gross(amount),
                to: "tax@shop.test".into(),
            },
        ]
    }

    #[test]
    fn every_notice_has_its_texts_in_both_languages_with_every_value_filled() {
        let notices = every_notice();
        let kinds: Vec<&str> = notices.iter().map(Notice::kind).collect();
        assert_eq!(kinds, Notice::KINDS, "one notice of each kind");
        let zone = sangdam_core::hours::Zone::default();
        for lang in [Lang::Ko, Lang::En] {
            for n in &notices {
                let kind = n.kind().replace('_', "-");
                for part in ["subject", "body"] {
                    let key = format!("mail-{kind}-{part}");
                    assert!(i18n::has(lang, &key), "{lang:?} lacks {key}");
                }
                let (subject, body) = render(lang, n, &wallet(), &zone);
                for text in [&subject, &body] {
                    assert!(!text.contains('{') && !text.contains("mail-"), "{text}");
                }
                assert!(!subject.contains('\n'), "a one-line subject: {subject:?}");
            }
        }
    }

    #[test]
    fn amounts_and_times_read_as_people_write_them() {
        let zone = sangdam_core::hours::Zone::default();
        let (subject, body) = render(
            Lang::Ko,
            &Notice::CashGranted {
                amount: Krw::won(30_000),
                // 2026-01-05 09:00 in Seoul.
                expires_at: 1_767_571_200_000,
            },
            &wallet(),
            &zone,
        );
        assert_eq!(
            subject,
            "[Sangdam] 「테스트상점」에 무상캐시 30,000원이 지급되었습니다"
        );
        assert!(body.contains("유효기간: 2026-01-05 09:00까지"), "{body}");
        let (_, body) = render(
            Lang::Ko,
            &Notice::AutoPaymentFailed {
                amount: Krw::won(1_500),
            },
            &wallet(),
            &zone,
        );
        assert!(body.contains("1,500원(부가세 포함 1,650원)"), "{body}");
    }
}
