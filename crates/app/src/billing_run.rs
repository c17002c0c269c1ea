//! Money moving: usages billed against a wallet (R5.2's order), card charges asked of the
//! gateway and followed until they are known, the daily settlement with its backup cards and
//! receivables, free cash expiring, and the monthly tax invoice (R5.4).
//!
//! A charge is written as a pending payment before the gateway is asked, with an idempotency
//! key the gateway keeps; a job follows every pending payment. So a crash or a timeout after
//! the gateway charged is found and asked again with the same key, which answers the first
//! result: the card is charged once, and the ledger records it once (its entry's key is the
//! payment's).

use std::collections::HashSet;

use billing::{Balances, CardStanding, EntryKind, IdempotencyKey, Krw, Transfer};
use protocol::pay::{ChargeRequest, PayError};
use serde::{Deserialize, Serialize};
use store::{
    CardRecord, JobRecord, NewEntry, NewInvoice, NewJob, NewPayment, PaymentRecord, UsageDetail,
    WalletId, WalletRecord,
};

use crate::Services;
use crate::clock::Millis;
use crate::error::AppError;
use crate::notices::Notice;
use crate::scheduler::{JobError, Scheduler};

/// Follows one pending payment until the gateway's answer is known.
pub const PAYMENT_FOLLOW: &str = "wallet.payment";
/// The daily round of a wallet: expiries, their notices, the settlement, the invoice.
pub const WALLET_DAILY: &str = "wallet.daily";
/// A settlement asked for now (the amount due reached the threshold).
pub const WALLET_SETTLE: &str = "wallet.settle";
/// How long after asking the gateway a payment's follow-up first looks.
const FOLLOW_AFTER_MS: i64 = 60_000;
/// Most usages billed in one request.
pub const MAX_USAGES: usize = 1000;
/// Most units in one usage.
pub const MAX_QUANTITY: i64 = 100_000;

/// One billable event a feature reports.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageRequest {
    /// Unique per event in the wallet: the same key again bills nothing.
    pub key: String,
    /// What was used (`event_message`).
    pub kind: String,
    /// Units (1 when absent); a whole number (`3` or `3.0`).
    #[serde(default = "one", deserialize_with = "whole_quantity")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100000))]
    pub quantity: i64,
    /// The caller's reference (a task and recipient), kept with the usage.
    pub reference: Option<String>,
}

fn one() -> i64 {
    1
}

/// A whole number sent as a JSON number: JSON Schema's `integer` counts `3.0` as one too.
fn whole_quantity<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    n.as_i64()
        .or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() <= 1e15)
                .map(|f| f as i64)
        })
        .ok_or_else(|| serde::de::Error::custom(format!("{n} is not a whole number")))
}

/// How one usage went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum UsageOutcome {
    /// Billed now: from free cash, paid cash and the card (accrued as the amount due).
    Billed {
        key: String,
        entry_id: i64,
        amount: i64,
        free: i64,
        paid: i64,
        card: i64,
    },
    /// Billed before under this key: nothing changed.
    Replayed {
        key: String,
        entry_id: i64,
        amount: i64,
    },
    /// Not billed: `code` says why (`insufficient_funds`, `receivable_outstanding`).
    Refused {
        key: String,
        code: String,
        message: String,
    },
}

/// A usage checked before the wallet is locked.
struct Checked {
    key: IdempotencyKey,
    amount: Krw,
    usage: UsageDetail,
}

/// The figures after `transfers` (what the next usage of a batch is decided from).
fn apply(b: &mut Balances, transfers: &[Transfer]) {
    use billing::Account;
    for t in transfers {
        for (account, signed) in t.postings() {
            match account {
                Account::PaidCash => b.paid = Krw::clamp_from(b.paid.get() + signed),
                Account::AmountDue => b.due = Krw::clamp_from(b.due.get() - signed),
                Account::Receivable => {
                    b.receivable = Krw::clamp_from(b.receivable.get() - signed);
                }
                Account::FreeCash(id) => {
                    if let Some(g) = b.grants.iter_mut().find(|g| g.id == id) {
                        g.remaining = Krw::clamp_from(g.remaining.get() + signed);
                    }
                }
                _ => {}
            }
        }
    }
    b.grants.retain(|g| g.remaining > Krw::ZERO);
}

/// What a usage's transfers took from free cash, paid cash and the card.
fn split(transfers: &[Transfer]) -> (i64, i64, i64) {
    use billing::Account;
    let (mut free, mut paid, mut card) = (0, 0, 0);
    for t in transfers {
        match t.from {
            Account::FreeCash(_) => free += t.amount.get(),
            Account::PaidCash => paid += t.amount.get(),
            Account::AmountDue => card += t.amount.get(),
            _ => {}
        }
    }
    (free, paid, card)
}

fn bad(field: String, message: impl Into<String>) -> AppError {
    AppError::Fields(vec![(field, message.into())])
}

impl Services {
    /// Bills `usages` against the site's wallet in one transaction, each in turn: free cash,
    /// paid cash, then the card; a key billed before changes nothing. Answers each usage's
    /// outcome in order. The amount due reaching the threshold asks for a settlement now.
    pub async fn bill_usages(
        &self,
        site: sangdam_core::SiteId,
        usages: &[UsageRequest],
    ) -> Result<Vec<UsageOutcome>, AppError> {
        if usages.is_empty() || usages.len() > MAX_USAGES {
            return Err(bad(
                "usages".into(),
                format!("has 1 to {MAX_USAGES} usages"),
            ));
        }
        let wallet = self
            .store
            .wallet_of_site(site)
            .await?
            .ok_or(AppError::NotFound("wallet"))?;
        let prices = self.price_list().await?;
        let mut checked = Vec::with_capacity(usages.len());
        let mut problems = Vec::new();
        let mut seen = HashSet::new();
        for (i, u) in usages.iter().enumerate() {
            let at = |f: &str| format!("usages[{i}].{f}");
            let key = match IdempotencyKey::parse(&u.key) {
                Ok(k) if seen.insert(u.key.clone()) => Some(k),
                Ok(_) => {
                    problems.push((at("key"), "appears twice in the request".into()));
                    None
                }
                Err(e) => {
                    problems.push((at("key"), e.to_string()));
                    None
                }
            };
            let price = prices.get(&u.kind).copied();
            if price.is_none() {
                problems.push((at("kind"), format!("{:?} is not a billable usage", u.kind)));
            }
            if !(1..=MAX_QUANTITY).contains(&u.quantity) {
                problems.push((at("quantity"), format!("is 1 to {MAX_QUANTITY}")));
            }
            if u.reference
                .as_ref()
                .is_some_and(|r| r.chars().count() > 200)
            {
                problems.push((at("reference"), "has at most 200 characters".into()));
            }
            if let (Some(key), Some(price)) = (key, price) {
                let amount = Krw::clamp_from(price.get().saturating_mul(u.quantity));
                checked.push(Checked {
                    key,
                    amount,
                    usage: UsageDetail {
                        kind: u.kind.clone(),
                        quantity: u.quantity,
                        unit_price: price,
                        reference: u.reference.clone(),
                    },
                });
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Fields(problems));
        }
        let keys: Vec<&str> = checked.iter().map(|c| c.key.as_str()).collect();
        let now = self.now();
        let (written, (mut outcomes, due_after)) = self
            .store
            .post(wallet.id, &keys, None, now, |view| {
                let mut local = view.balances.clone();
                let card = CardStanding {
                    has_payment_card: view.has_card,
                };
                let mut entries = Vec::new();
                let mut outcomes = Vec::with_capacity(checked.len());
                for c in &checked {
                    if let Some(e) = view.recorded.get(c.key.as_str()) {
                        outcomes.push(UsageOutcome::Replayed {
                            key: e.key.clone(),
                            entry_id: e.id,
                            amount: e.amount.get(),
                        });
                        continue;
                    }
                    match billing::plan_usage(&local, c.amount, now, card) {
                        Ok(transfers) => {
                            apply(&mut local, &transfers);
                            let (free, paid, card) = split(&transfers);
                            outcomes.push(UsageOutcome::Billed {
                                key: c.key.as_str().to_owned(),
                                entry_id: 0,
                                amount: c.amount.get(),
                                free,
                                paid,
                                card,
                            });
                            entries.push(NewEntry {
                                key: c.key.clone(),
                                kind: EntryKind::Usage,
                                amount: c.amount,
                                transfers,
                                usage: Some(c.usage.clone()),
                                payment_id: None,
                            });
                        }
                        Err(e) => outcomes.push(UsageOutcome::Refused {
                            key: c.key.as_str().to_owned(),
                            code: e.code().to_owned(),
                            message: e.to_string(),
                        }),
                    }
                }
                (entries, (outcomes, local.due))
            })
            .await?;
        let ids: std::collections::HashMap<&str, i64> =
            written.iter().map(|e| (e.key.as_str(), e.id)).collect();
        let mut refused = false;
        for o in &mut outcomes {
            match o {
                UsageOutcome::Billed { key, entry_id, .. } => {
                    *entry_id = ids.get(key.as_str()).copied().unwrap_or(0);
                }
                UsageOutcome::Refused { .. } => refused = true,
                UsageOutcome::Replayed { .. } => {}
            }
        }
        metrics::counter!("sangdam_usages_billed_total").increment(written.len() as u64);
        if billing::should_settle_now(due_after, Krw::clamp_from(wallet.threshold)) {
            self.store
                .set_timer(
                    WALLET_SETTLE,
                    &format!("{WALLET_SETTLE}:{}", wallet.id),
                    &serde_json::json!({ "wallet_id": wallet.id }).to_string(),
                    now,
                    now,
                )
                .await?;
            self.wake_jobs();
        }
        if refused {
            let zone = self.wallet_zone(&wallet).await?;
            let day = zone
                .local(jiff::Timestamp::from_millisecond(now).unwrap_or_default())
                .date();
            self.notify(&wallet, Notice::LowBalance, &format!("low-balance:{day}"))
                .await?;
        }
        Ok(outcomes)
    }

    pub(crate) async fn wallet_zone(
        &self,
        wallet: &WalletRecord,
    ) -> Result<sangdam_core::hours::Zone, AppError> {
        Ok(self
            .hours_of_site(wallet.site_id)
            .await?
            .hours
            .zone()
            .clone())
    }

    /// Sets the wallet's daily round (at the next local midnight) if it is not set.
    pub(crate) async fn arm_wallet(&self, wallet: &WalletRecord) -> Result<(), AppError> {
        let zone = self.wallet_zone(wallet).await?;
        let now = self.now();
        self.store
            .set_timer(
                WALLET_DAILY,
                &format!("{WALLET_DAILY}:{}", wallet.id),
                &serde_json::json!({ "wallet_id": wallet.id }).to_string(),
                billing::next_daily_settlement(now, zone.time_zone()),
                now,
            )
            .await?;
        Ok(())
    }

    /// Every wallet's daily round set (at start: a timer lost with a database restored from
    /// before it was set is set again).
    pub async fn arm_all_wallets(&self) -> Result<usize, AppError> {
        let wallets = self.store.wallets().await?;
        for w in &wallets {
            self.arm_wallet(w).await?;
        }
        Ok(wallets.len())
    }

    /// Makes sure a job follows `payment` until its result is known.
    pub(crate) async fn ensure_payment_followed(
        &self,
        payment: &PaymentRecord,
    ) -> Result<(), AppError> {
        let key = format!("{PAYMENT_FOLLOW}:{}", payment.id);
        let payload = serde_json::json!({ "payment_id": payment.id }).to_string();
        self.store
            .enqueue(
                &NewJob {
                    kind: PAYMENT_FOLLOW,
                    payload: &payload,
                    queue: None,
                    idempotency_key: Some(&key),
                    due_at: self.now() + FOLLOW_AFTER_MS,
                    max_attempts: 200,
                },
                self.now(),
            )
            .await?;
        Ok(())
    }

    /// Asks the gateway for `payment` (again, with its own idempotency key) and records what
    /// it answers. A payment no longer pending is answered as it stands.
    pub(crate) async fn ask_gateway(
        &self,
        wallet: &WalletRecord,
        payment: &PaymentRecord,
        card: &CardRecord,
    ) -> Result<PaymentRecord, AppError> {
        if payment.state != "pending" {
            return Ok(payment.clone());
        }
        let gateway = self
            .payments
            .as_deref()
            .ok_or(AppError::PaymentsNotConfigured)?;
        let email = self
            .store
            .notice_emails(wallet.id)
            .await?
            .into_iter()
            .find(|(a, _)| *a == wallet.master_id)
            .map(|(_, e)| e);
        let answer = gateway
            .gateway
            .charge(&ChargeRequest {
                billing_key: card.billing_key.clone(),
                customer_key: card.customer_key.clone(),
                amount: payment.amount.get(),
                order_id: payment.order_id.clone(),
                order_name: self.billing.order_name.clone(),
                customer_email: email,
                idempotency_key: payment.idempotency_key.clone(),
            })
            .await;
        let now = self.now();
        match answer {
            Ok(charged) => {
                self.payment_succeeded(wallet, payment, &charged.payment_key)
                    .await?;
                self.store
                    .note_card_refusal(wallet.id, card.id, None)
                    .await?;
            }
            Err(PayError::Refused {
                reason,
                code,
                message,
            }) => {
                tracing::info!(wallet = wallet.id, payment = payment.id, %code, "card refused");
                self.store
                    .payment_refused(payment.id, reason.code(), &message, now)
                    .await?;
                self.store
                    .note_card_refusal(wallet.id, card.id, Some(reason.code()))
                    .await?;
            }
            Err(PayError::Rejected { code, message }) => {
                tracing::error!(wallet = wallet.id, payment = payment.id, %code, %message,
                    "the gateway rejected the request");
                self.store
                    .payment_refused(payment.id, "rejected", &message, now)
                    .await?;
            }
            Err(e @ (PayError::Timeout | PayError::Unavailable(_))) => {
                tracing::warn!(wallet = wallet.id, payment = payment.id, error = %e,
                    "no answer from the gateway; the payment stays pending");
            }
        }
        Ok(self.store.payment(payment.id).await?)
    }

    /// Records a charge the gateway made: its ledger entry (once, under the payment's key)
    /// and the payment done, in one transaction; then the notice.
    async fn payment_succeeded(
        &self,
        wallet: &WalletRecord,
        payment: &PaymentRecord,
        payment_key: &str,
    ) -> Result<(), AppError> {
        let key = IdempotencyKey::parse(&format!("payment:{}", payment.id))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let (kind, transfers) = match payment.purpose.as_str() {
            "cash" => (
                EntryKind::CashCharged,
                billing::plan_cash_charge(payment.supply),
            ),
            "settlement" => (EntryKind::Settled, billing::plan_settled(payment.supply)),
            "receivable" => (
                EntryKind::ReceivablePaid,
                billing::plan_receivable_paid(payment.supply),
            ),
            other => return Err(AppError::Internal(format!("payment purpose {other:?}"))),
        };
        let k = key.clone();
        let (written, ()) = self
            .store
            .post(
                wallet.id,
                &[key.as_str()],
                Some(store::PaymentEffect::Done {
                    payment: payment.id,
                    payment_key,
                }),
                self.now(),
                move |view| {
                    if view.recorded.contains_key(k.as_str()) {
                        return (Vec::new(), ());
                    }
                    let entry = NewEntry {
                        key: k,
                        kind,
                        amount: payment.supply,
                        transfers,
                        usage: None,
                        payment_id: Some(payment.id),
                    };
                    (vec![entry], ())
                },
            )
            .await?;
        if written.is_empty() {
            return Ok(());
        }
        let notice = match payment.purpose.as_str() {
            "cash" => Notice::CashCharged {
                amount: payment.supply,
            },
            _ => Notice::AutoPaymentSucceeded {
                amount: payment.supply,
            },
        };
        self.notify(wallet, notice, &format!("payment:{}", payment.id))
            .await?;
        if payment.purpose == "receivable" {
            let b = self.store.balances(wallet.id).await?;
            if b.receivable == Krw::ZERO {
                self.store
                    .mark_wallet_debt(wallet.id, None, None, self.now())
                    .await?;
            }
        }
        Ok(())
    }

    /// Charges `supply` for `purpose` through the wallet's cards in order until one pays.
    /// Answers `Ok(true)` once paid, `Ok(false)` when every card refused; an unanswered
    /// charge is an error to retry (its payment stays pending and is asked again first).
    async fn charge_cards(
        &self,
        wallet: &WalletRecord,
        purpose: &str,
        supply: Krw,
    ) -> Result<bool, AppError> {
        let cards = self.store.wallet_cards(wallet.id).await?;
        let order = billing::charge_order(&crate::wallet::wallet_cards(&cards));
        let now = self.now();
        for id in order {
            let Some(c) = cards.iter().find(|c| c.card.id == id) else {
                continue;
            };
            let order_id = format!("{purpose}-{}-{now}-{}", wallet.id, id.get());
            let payment = self
                .store
                .new_payment(
                    &NewPayment {
                        wallet_id: wallet.id,
                        card_id: id,
                        purpose,
                        supply,
                        amount: billing::gross(supply),
                        order_id: &order_id,
                        idempotency_key: &order_id,
                        created_by: None,
                    },
                    now,
                )
                .await?;
            let asked = self.ask_gateway(wallet, &payment, &c.card).await?;
            match asked.state.as_str() {
                "done" => return Ok(true),
                "refused" => continue,
                _ => {
                    return Err(AppError::Internal(format!(
                        "payment {} not answered yet; it is asked again",
                        asked.id
                    )));
                }
            }
        }
        Ok(false)
    }

    /// Asks again every payment of the wallet still waiting for the gateway. `false`: one is
    /// still unanswered.
    async fn follow_pending(&self, wallet: &WalletRecord) -> Result<bool, AppError> {
        for p in self.store.pending_payments(wallet.id).await? {
            let card = self.store.card(p.card_id).await?;
            let asked = self.ask_gateway(wallet, &p, &card).await?;
            if asked.state == "pending" {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The settlement: the amount due charged through the cards in order (when every card
    /// refuses, it becomes a receivable and billed features stop); a receivable retried;
    /// the long-failing notice after five days.
    pub async fn settle_wallet(&self, wallet: WalletId) -> Result<(), AppError> {
        let wallet = self.store.wallet(wallet).await?;
        if !self.follow_pending(&wallet).await? {
            return Err(AppError::Internal(
                "a payment is still unanswered by the gateway".into(),
            ));
        }
        let b = self.store.balances(wallet.id).await?;
        let mut failed_now = false;
        if b.due > Krw::ZERO {
            if !self.charge_cards(&wallet, "settlement", b.due).await? {
                failed_now = true;
                self.settlement_failed(&wallet, b.due).await?;
            }
        } else if b.receivable > Krw::ZERO && self.has_cards(&wallet).await? {
            self.charge_cards(&wallet, "receivable", b.receivable)
                .await?;
        }
        let wallet = self.store.wallet(wallet.id).await?;
        let b = self.store.balances(wallet.id).await?;
        if let Some(since) = wallet.receivable_since
            && b.receivable > Krw::ZERO
            && wallet.overdue_notice_at.is_none()
            && !failed_now
        {
            let zone = self.wallet_zone(&wallet).await?;
            let days = billing::overdue_days(since, self.now(), zone.time_zone());
            if days >= billing::OVERDUE_NOTICE_DAYS {
                self.notify(
                    &wallet,
                    Notice::PaymentOverdue {
                        amount: b.receivable,
                        days,
                    },
                    &format!("overdue:{since}"),
                )
                .await?;
                self.store
                    .mark_wallet_debt(wallet.id, Some(since), Some(self.now()), self.now())
                    .await?;
            }
        }
        Ok(())
    }

    async fn has_cards(&self, wallet: &WalletRecord) -> Result<bool, AppError> {
        Ok(!self.store.wallet_cards(wallet.id).await?.is_empty())
    }

    async fn settlement_failed(&self, wallet: &WalletRecord, due: Krw) -> Result<(), AppError> {
        let now = self.now();
        let key = IdempotencyKey::parse(&format!("settlement-failed:{now}"))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let k = key.clone();
        self.store
            .post(wallet.id, &[key.as_str()], None, now, move |view| {
                if view.recorded.contains_key(k.as_str()) || view.balances.due == Krw::ZERO {
                    return (Vec::new(), ());
                }
                let due = view.balances.due;
                let entry = NewEntry {
                    key: k,
                    kind: EntryKind::SettlementFailed,
                    amount: due,
                    transfers: billing::plan_settlement_failed(due),
                    usage: None,
                    payment_id: None,
                };
                (vec![entry], ())
            })
            .await?;
        if wallet.receivable_since.is_none() {
            self.store
                .mark_wallet_debt(wallet.id, Some(now), None, now)
                .await?;
        }
        self.notify(
            wallet,
            Notice::AutoPaymentFailed { amount: due },
            &format!("settlement-failed:{now}"),
        )
        .await
    }

    /// The daily round: expired free cash taken off, notices of grants about to expire, the
    /// settlement, and last month's invoice once the month is over.
    pub async fn wallet_daily(&self, wallet: WalletId) -> Result<(), AppError> {
        let record = self.store.wallet(wallet).await?;
        let now = self.now();
        // Expiry: what is left of each expired grant leaves the wallet.
        let key = IdempotencyKey::parse(&format!("expiry:{now}"))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let k = key.clone();
        self.store
            .post(record.id, &[key.as_str()], None, now, move |view| {
                let transfers = billing::plan_expiry(view.balances, now);
                if transfers.is_empty() || view.recorded.contains_key(k.as_str()) {
                    return (Vec::new(), ());
                }
                let amount = transfers
                    .iter()
                    .fold(Krw::ZERO, |s, t| s.saturating_add(t.amount));
                let entry = NewEntry {
                    key: k,
                    kind: EntryKind::FreeExpired,
                    amount,
                    transfers,
                    usage: None,
                    payment_id: None,
                };
                (vec![entry], ())
            })
            .await?;
        // Grants expiring soon are told once each.
        let soon = now + self.billing.expiry_notice_days * 86_400_000;
        let balances = self.store.balances(record.id).await?;
        for g in self.store.grants(record.id).await? {
            let left = balances.grant(g.id).map_or(Krw::ZERO, |l| l.remaining);
            if g.expiry_notice_at.is_none()
                && left > Krw::ZERO
                && g.expires_at > now
                && g.expires_at <= soon
            {
                self.notify(
                    &record,
                    Notice::FreeCashExpiring {
                        amount: left,
                        expires_at: g.expires_at,
                    },
                    &format!("expiring:{}", g.id.get()),
                )
                .await?;
                self.store.mark_grant_notice(g.id, now).await?;
            }
        }
        self.settle_wallet(record.id).await?;
        self.issue_last_invoice(&record).await
    }

    /// Last month's tax invoice of a business wallet, once, when something was consumed.
    async fn issue_last_invoice(&self, wallet: &WalletRecord) -> Result<(), AppError> {
        if wallet.kind != "business" {
            return Ok(());
        }
        let (Some(number), Some(name), Some(rep), Some(email)) = (
            wallet.business_number.as_deref(),
            wallet.business_name.as_deref(),
            wallet.representative.as_deref(),
            wallet.invoice_email.as_deref(),
        ) else {
            return Ok(());
        };
        let zone = self.wallet_zone(wallet).await?;
        let (year, month) = billing::previous_month(self.now(), zone.time_zone());
        let (from, to) = billing::month_bounds(year, month, zone.time_zone())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        if wallet.created_at >= to {
            return Ok(());
        }
        let consumed = self.store.revenue_between(wallet.id, from, to).await?;
        if consumed == Krw::ZERO {
            return Ok(());
        }
        let period = format!("{year:04}-{month:02}");
        let invoice = billing::invoice_for(consumed);
        let new = NewInvoice {
            wallet_id: wallet.id,
            period: &period,
            business_number: number,
            business_name: name,
            representative: rep,
            email,
            invoice,
        };
        self.invoice_issuer.issue(self, wallet, &new).await?;
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
struct WalletPayload {
    wallet_id: i64,
}

#[derive(Debug, Deserialize)]
struct PaymentPayload {
    payment_id: i64,
}

fn retry(e: AppError) -> JobError {
    JobError::Retry(e.to_string())
}

async fn daily_job(services: Services, job: JobRecord) -> Result<Option<Millis>, JobError> {
    let p: WalletPayload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fail(format!("not a wallet payload: {e}")))?;
    services.wallet_daily(p.wallet_id).await.map_err(retry)?;
    let wallet = services
        .store
        .wallet(p.wallet_id)
        .await
        .map_err(|e| retry(e.into()))?;
    let zone = services.wallet_zone(&wallet).await.map_err(retry)?;
    Ok(Some(billing::next_daily_settlement(
        services.now(),
        zone.time_zone(),
    )))
}

async fn settle_job(services: Services, job: JobRecord) -> Result<Option<Millis>, JobError> {
    let p: WalletPayload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fail(format!("not a wallet payload: {e}")))?;
    services.settle_wallet(p.wallet_id).await.map_err(retry)?;
    Ok(None)
}

async fn follow_job(services: Services, job: JobRecord) -> Result<(), JobError> {
    let p: PaymentPayload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fail(format!("not a payment payload: {e}")))?;
    let payment = services
        .store
        .payment(p.payment_id)
        .await
        .map_err(|e| retry(e.into()))?;
    if payment.state != "pending" {
        return Ok(());
    }
    let wallet = services
        .store
        .wallet(payment.wallet_id)
        .await
        .map_err(|e| retry(e.into()))?;
    let card = services
        .store
        .card(payment.card_id)
        .await
        .map_err(|e| retry(e.into()))?;
    let asked = services
        .ask_gateway(&wallet, &payment, &card)
        .await
        .map_err(retry)?;
    if asked.state == "pending" {
        return Err(JobError::Retry("the gateway has not answered yet".into()));
    }
    Ok(())
}

/// The scheduler with the wallet's handlers.
pub fn with_handlers(scheduler: Scheduler) -> Scheduler {
    scheduler
        .handle_timer(WALLET_DAILY, daily_job)
        .handle_timer(WALLET_SETTLE, settle_job)
        .handle(PAYMENT_FOLLOW, follow_job)
}
