//! The wallet's double-entry ledger as stored: entries (one movement each, under a key unique
//! in its wallet), their postings (two a transfer, summing to zero), and the per-account sums
//! kept beside them in the same transaction.
//!
//! A movement is decided inside the transaction that records it: [`Store::post`] locks the
//! wallet, reads its balances and which of the caller's keys are already recorded, and hands
//! them to the caller's decision (the `billing` crate's rules); what the decision answers is
//! written before the lock is let go. So two usages racing for a wallet's last won are decided
//! one after the other, and a replayed key is seen as one.

use std::collections::{HashMap, HashSet};

use billing::{Account, Balances, EntryKind, GrantId, IdempotencyKey, Krw, Transfer};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Backend, Store};
use crate::dialect;
use crate::error::StoreError;
use crate::records::col;
use crate::rooms::Tx;
use crate::wallet::{GrantRecord, WalletId, WalletRecord};

/// What a usage entry was for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageDetail {
    /// What was used (`event_message`, …).
    pub kind: String,
    pub quantity: i64,
    pub unit_price: Krw,
    /// The caller's reference (a task and recipient).
    pub reference: Option<String>,
}

/// A movement about to be recorded.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub key: IdempotencyKey,
    pub kind: EntryKind,
    /// The movement's size as people read it (a usage's price, a charge's supply).
    pub amount: Krw,
    pub transfers: Vec<Transfer>,
    pub usage: Option<UsageDetail>,
    pub payment_id: Option<i64>,
}

/// A recorded movement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerEntryRecord {
    pub id: i64,
    pub wallet_id: WalletId,
    pub key: String,
    pub kind: EntryKind,
    pub amount: Krw,
    pub usage: Option<UsageDetail>,
    pub payment_id: Option<i64>,
    pub at: i64,
}

/// What the entries of a [`Store::post`] record of a payment, written in the same
/// transaction.
#[derive(Debug, Clone, Copy)]
pub enum PaymentEffect<'a> {
    /// The gateway charged it: the payment is done, with the gateway's key.
    Done { payment: i64, payment_key: &'a str },
    /// `gross` of it was refunded through the gateway.
    Refunded { payment: i64, gross: Krw },
}

/// What a decision is made from.
#[derive(Debug)]
pub struct LedgerView<'a> {
    pub wallet: &'a WalletRecord,
    pub balances: &'a Balances,
    /// The wallet has a card to charge (payment or backup).
    pub has_card: bool,
    /// The entries already recorded under any of the keys the caller named.
    pub recorded: &'a HashMap<String, LedgerEntryRecord>,
}

/// Entries of a wallet a page asks for.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub kind: Option<EntryKind>,
    pub usage_kind: Option<String>,
    /// Entries with a smaller id than this (the next page).
    pub before: Option<i64>,
    pub limit: i64,
}

/// A place where the kept sums disagree with the postings, or an entry that does not balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerProblem {
    pub wallet_id: WalletId,
    pub what: String,
}

impl LedgerEntryRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let kind: String = col(row, "kind")?;
        let usage_kind: Option<String> = col(row, "usage_kind")?;
        let usage = match usage_kind {
            Some(kind) => Some(UsageDetail {
                kind,
                quantity: col::<Option<i64>>(row, "quantity")?.unwrap_or(0),
                unit_price: Krw::new(col::<Option<i64>>(row, "unit_price")?.unwrap_or(0))
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                reference: col(row, "reference")?,
            }),
            None => None,
        };
        Ok(LedgerEntryRecord {
            id: col(row, "id")?,
            wallet_id: col(row, "wallet_id")?,
            key: col(row, "idempotency_key")?,
            kind: EntryKind::parse(&kind)
                .map_err(|e| StoreError::Corrupt(format!("entry kind {kind:?}: {e}")))?,
            amount: Krw::new(col(row, "amount")?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            usage,
            payment_id: col(row, "payment_id")?,
            at: col(row, "at")?,
        })
    }
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// The wallet's balances from the kept sums, with each grant's expiry.
async fn balances_tx(tx: &mut Tx<'_>, wallet: WalletId) -> Result<Balances, StoreError> {
    let rows = sqlx::query(
        "SELECT b.account, b.grant_id, b.balance, g.expires_at FROM ledger_balances b \
         LEFT JOIN cash_grants g ON g.id = b.grant_id WHERE b.wallet_id = $1",
    )
    .bind(wallet)
    .fetch_all(&mut **tx)
    .await?;
    let mut balances = Vec::with_capacity(rows.len());
    let mut expiries = HashMap::new();
    for r in &rows {
        let code: String = col(r, "account")?;
        let grant: i64 = col(r, "grant_id")?;
        let grant = (grant != 0).then(|| GrantId::new(grant));
        let account = Account::from_parts(&code, grant).map_err(corrupt)?;
        if let (Some(g), Some(at)) = (grant, col::<Option<i64>>(r, "expires_at")?) {
            expiries.insert(g, at);
        }
        balances.push((account, col::<i64>(r, "balance")?));
    }
    Ok(Balances::from_account_balances(balances, &expiries))
}

async fn has_card_tx(tx: &mut Tx<'_>, wallet: WalletId) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM wallet_cards w JOIN cards c ON c.id = w.card_id \
         WHERE w.wallet_id = $1 AND c.deleted_at IS NULL",
    )
    .bind(wallet)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

/// The entries recorded under `keys`.
async fn recorded_tx(
    tx: &mut Tx<'_>,
    backend: Backend,
    wallet: WalletId,
    keys: &[&str],
) -> Result<HashMap<String, LedgerEntryRecord>, StoreError> {
    let mut found = HashMap::new();
    if keys.is_empty() {
        return Ok(found);
    }
    let json = serde_json::to_string(keys)?;
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT * FROM ledger_entries WHERE wallet_id = $1 AND idempotency_key IN \
             (SELECT value FROM json_each($2))"
        }
        Backend::Postgres => {
            "SELECT * FROM ledger_entries WHERE wallet_id = $1 AND idempotency_key IN \
             (SELECT jsonb_array_elements_text($2::jsonb))"
        }
    };
    let rows = sqlx::query(sql)
        .bind(wallet)
        .bind(json)
        .fetch_all(&mut **tx)
        .await?;
    for r in &rows {
        let e = LedgerEntryRecord::from_row(r)?;
        found.insert(e.key.clone(), e);
    }
    Ok(found)
}

/// Writes `entries` (their postings and the kept sums) in `tx`.
async fn insert_entries_tx(
    tx: &mut Tx<'_>,
    backend: Backend,
    wallet: WalletId,
    entries: &[NewEntry],
    now: i64,
) -> Result<Vec<LedgerEntryRecord>, StoreError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            let u = e.usage.as_ref();
            serde_json::json!([
                e.key.as_str(),
                e.kind.code(),
                e.amount.get(),
                u.map(|u| u.kind.as_str()),
                u.map(|u| u.quantity),
                u.map(|u| u.unit_price.get()),
                u.and_then(|u| u.reference.as_deref()),
                e.payment_id,
                now,
            ])
        })
        .collect();
    let inserted = sqlx::query(dialect::insert_ledger_entries(backend))
        .bind(wallet)
        .bind(serde_json::to_string(&rows)?)
        .fetch_all(&mut **tx)
        .await
        .map_err(|e| StoreError::unique(e, "an entry with this key is already recorded"))?;
    let mut ids = HashMap::new();
    for r in &inserted {
        ids.insert(col::<String>(r, "idempotency_key")?, col::<i64>(r, "id")?);
    }
    let mut postings = Vec::new();
    let mut sums: HashMap<(&'static str, i64), i64> = HashMap::new();
    let mut records = Vec::with_capacity(entries.len());
    for e in entries {
        let id = *ids
            .get(e.key.as_str())
            .ok_or_else(|| StoreError::Corrupt("an inserted entry did not come back".into()))?;
        for t in &e.transfers {
            let amount = t.amount.get();
            for (account, signed) in [(&t.from, -amount), (&t.to, amount)] {
                let grant = account.grant().map(GrantId::get);
                postings.push(serde_json::json!([id, account.code(), grant, signed, now]));
                *sums
                    .entry((account.code(), grant.unwrap_or(0)))
                    .or_default() += signed;
            }
        }
        records.push(LedgerEntryRecord {
            id,
            wallet_id: wallet,
            key: e.key.as_str().to_owned(),
            kind: e.kind,
            amount: e.amount,
            usage: e.usage.clone(),
            payment_id: e.payment_id,
            at: now,
        });
    }
    if !postings.is_empty() {
        sqlx::query(dialect::insert_ledger_postings(backend))
            .bind(wallet)
            .bind(serde_json::to_string(&postings)?)
            .execute(&mut **tx)
            .await?;
    }
    for ((account, grant), delta) in sums {
        if delta == 0 {
            continue;
        }
        sqlx::query(
            "INSERT INTO ledger_balances (wallet_id, account, grant_id, balance) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (wallet_id, account, grant_id) \
             DO UPDATE SET balance = ledger_balances.balance + excluded.balance",
        )
        .bind(wallet)
        .bind(account)
        .bind(grant)
        .bind(delta)
        .execute(&mut **tx)
        .await?;
    }
    Ok(records)
}

impl Store {
    /// Decides and records movements of `wallet` in one transaction (see the module's note):
    /// `decide` sees the wallet, its balances and the entries already recorded under `keys`,
    /// and answers the entries to write and what the caller wants back. `effect`: what these
    /// entries record of a payment (its success; a refund through it), written with them.
    pub async fn post<T>(
        &self,
        wallet: WalletId,
        keys: &[&str],
        effect: Option<PaymentEffect<'_>>,
        now: i64,
        decide: impl FnOnce(LedgerView<'_>) -> (Vec<NewEntry>, T),
    ) -> Result<(Vec<LedgerEntryRecord>, T), StoreError> {
        let _g = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(dialect::lock_wallet(self.backend()))
            .bind(wallet)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("wallet"))?;
        let record = WalletRecord::from_row(&row)?;
        let balances = balances_tx(&mut tx, wallet).await?;
        let has_card = has_card_tx(&mut tx, wallet).await?;
        let recorded = recorded_tx(&mut tx, self.backend(), wallet, keys).await?;
        let (entries, answer) = decide(LedgerView {
            wallet: &record,
            balances: &balances,
            has_card,
            recorded: &recorded,
        });
        let mut seen = HashSet::new();
        if entries
            .iter()
            .any(|e| recorded.contains_key(e.key.as_str()) || !seen.insert(e.key.as_str()))
        {
            return Err(StoreError::Conflict(
                "an entry with this key is already recorded".into(),
            ));
        }
        let written = insert_entries_tx(&mut tx, self.backend(), wallet, &entries, now).await?;
        match effect {
            Some(PaymentEffect::Done {
                payment,
                payment_key,
            }) => {
                sqlx::query(
                    "UPDATE payments SET state = 'done', payment_key = $2, refusal = NULL, \
                     message = NULL, updated_at = $3 WHERE id = $1 AND state = 'pending'",
                )
                .bind(payment)
                .bind(payment_key)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            // Only with the refund's entry: a replay records neither again.
            Some(PaymentEffect::Refunded { payment, gross }) if !written.is_empty() => {
                sqlx::query(
                    "UPDATE payments SET refunded = refunded + $2, updated_at = $3 WHERE id = $1",
                )
                .bind(payment)
                .bind(gross.get())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            _ => {}
        }
        tx.commit().await?;
        Ok((written, answer))
    }

    /// Grants free cash expiring at `expires_at`, once per `key`: the grant and its entry are
    /// one transaction. Answers the grant and whether it is new.
    pub async fn grant_cash(
        &self,
        wallet: WalletId,
        amount: Krw,
        expires_at: i64,
        reason: &str,
        key: &IdempotencyKey,
        now: i64,
    ) -> Result<(GrantRecord, bool), StoreError> {
        let _g = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        sqlx::query(dialect::lock_wallet(self.backend()))
            .bind(wallet)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("wallet"))?;
        let known = recorded_tx(&mut tx, self.backend(), wallet, &[key.as_str()]).await?;
        if let Some(entry) = known.get(key.as_str()) {
            let grant: Option<i64> = sqlx::query_scalar(
                "SELECT grant_id FROM ledger_postings WHERE entry_id = $1 AND grant_id IS NOT NULL",
            )
            .bind(entry.id)
            .fetch_optional(&mut *tx)
            .await?;
            let grant = grant.ok_or_else(|| corrupt("a grant entry without its grant"))?;
            let row = sqlx::query("SELECT * FROM cash_grants WHERE id = $1")
                .bind(grant)
                .fetch_one(&mut *tx)
                .await?;
            return Ok((GrantRecord::from_row(&row)?, false));
        }
        let row = sqlx::query(
            "INSERT INTO cash_grants (wallet_id, amount, expires_at, reason, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING *",
        )
        .bind(wallet)
        .bind(amount.get())
        .bind(expires_at)
        .bind(reason)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let grant = GrantRecord::from_row(&row)?;
        let entry = NewEntry {
            key: key.clone(),
            kind: EntryKind::FreeGranted,
            amount,
            transfers: billing::plan_grant(grant.id, amount),
            usage: None,
            payment_id: None,
        };
        insert_entries_tx(&mut tx, self.backend(), wallet, &[entry], now).await?;
        tx.commit().await?;
        Ok((grant, true))
    }

    /// The wallet's balances now (from the kept sums).
    pub async fn balances(&self, wallet: WalletId) -> Result<Balances, StoreError> {
        let mut tx = self.pool.begin().await?;
        let b = balances_tx(&mut tx, wallet).await?;
        tx.commit().await?;
        Ok(b)
    }

    /// A page of the wallet's entries, newest first.
    pub async fn ledger_entries(
        &self,
        wallet: WalletId,
        f: &EntryFilter,
    ) -> Result<Vec<LedgerEntryRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM ledger_entries WHERE wallet_id = $1 \
             AND ($2 IS NULL OR at >= $2) AND ($3 IS NULL OR at < $3) \
             AND ($4 IS NULL OR kind = $4) AND ($5 IS NULL OR usage_kind = $5) \
             AND ($6 IS NULL OR id < $6) ORDER BY id DESC LIMIT $7",
        )
        .bind(wallet)
        .bind(f.from)
        .bind(f.to)
        .bind(f.kind.map(EntryKind::code))
        .bind(f.usage_kind.as_deref())
        .bind(f.before)
        .bind(f.limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(LedgerEntryRecord::from_row).collect()
    }

    /// The entries of `[from, to)` with their transfers, oldest first (statements).
    pub async fn ledger_between(
        &self,
        wallet: WalletId,
        from: i64,
        to: i64,
    ) -> Result<Vec<billing::Entry>, StoreError> {
        let entries = sqlx::query(
            "SELECT * FROM ledger_entries WHERE wallet_id = $1 AND at >= $2 AND at < $3 ORDER BY id",
        )
        .bind(wallet)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        self.with_transfers(wallet, &entries, Some((from, to)))
            .await
    }

    /// Every entry of the wallet with its transfers, oldest first.
    pub async fn ledger_all(&self, wallet: WalletId) -> Result<Vec<billing::Entry>, StoreError> {
        let entries = sqlx::query("SELECT * FROM ledger_entries WHERE wallet_id = $1 ORDER BY id")
            .bind(wallet)
            .fetch_all(&self.pool)
            .await?;
        self.with_transfers(wallet, &entries, None).await
    }

    async fn with_transfers(
        &self,
        wallet: WalletId,
        entries: &[AnyRow],
        period: Option<(i64, i64)>,
    ) -> Result<Vec<billing::Entry>, StoreError> {
        let (from, to) = period.unwrap_or((i64::MIN, i64::MAX));
        let postings = sqlx::query(
            "SELECT entry_id, account, grant_id, amount FROM ledger_postings \
             WHERE wallet_id = $1 AND at >= $2 AND at < $3 ORDER BY id",
        )
        .bind(wallet)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        // Postings were written two a transfer, the negative one first.
        let mut transfers: HashMap<i64, Vec<Transfer>> = HashMap::new();
        let mut pending: Option<(i64, Account, i64)> = None;
        for p in &postings {
            let entry: i64 = col(p, "entry_id")?;
            let code: String = col(p, "account")?;
            let grant: Option<i64> = col(p, "grant_id")?;
            let amount: i64 = col(p, "amount")?;
            let account = Account::from_parts(&code, grant.map(GrantId::new)).map_err(corrupt)?;
            match pending.take() {
                None if amount < 0 => pending = Some((entry, account, amount)),
                Some((e, from_account, out)) if e == entry && out == -amount => {
                    let amount = Krw::new(amount).map_err(corrupt)?;
                    transfers.entry(entry).or_default().extend(Transfer::new(
                        from_account,
                        account,
                        amount,
                    ));
                }
                _ => return Err(corrupt("postings that do not pair into transfers")),
            }
        }
        if pending.is_some() {
            return Err(corrupt("a posting without its other half"));
        }
        entries
            .iter()
            .map(|r| {
                let e = LedgerEntryRecord::from_row(r)?;
                Ok(billing::Entry {
                    key: IdempotencyKey::parse(&e.key).map_err(corrupt)?,
                    kind: e.kind,
                    at: e.at,
                    transfers: transfers.remove(&e.id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// What was consumed from paid cash and the card in `[from, to)`: the month's invoice.
    pub async fn revenue_between(
        &self,
        wallet: WalletId,
        from: i64,
        to: i64,
    ) -> Result<Krw, StoreError> {
        let sum: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(amount) AS BIGINT) FROM ledger_postings WHERE wallet_id = $1 AND account = 'revenue' \
             AND at >= $2 AND at < $3",
        )
        .bind(wallet)
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        Krw::new(sum.unwrap_or(0)).map_err(corrupt)
    }

    /// Every disagreement between the kept sums and the postings, and every entry whose
    /// postings do not sum to zero (none, unless something wrote around the store).
    pub async fn check_ledger(&self) -> Result<Vec<LedgerProblem>, StoreError> {
        let mut problems = Vec::new();
        let rows = sqlx::query(
            "SELECT w.wallet_id, w.account, w.grant_id, w.kept, w.summed FROM ( \
               SELECT COALESCE(b.wallet_id, s.wallet_id) AS wallet_id, \
                 COALESCE(b.account, s.account) AS account, \
                 COALESCE(b.grant_id, s.grant_id) AS grant_id, \
                 COALESCE(b.balance, 0) AS kept, COALESCE(s.total, 0) AS summed \
               FROM ledger_balances b FULL OUTER JOIN ( \
                 SELECT wallet_id, account, COALESCE(grant_id, 0) AS grant_id, CAST(SUM(amount) AS BIGINT) AS total \
                 FROM ledger_postings GROUP BY wallet_id, account, COALESCE(grant_id, 0)) s \
               ON s.wallet_id = b.wallet_id AND s.account = b.account AND s.grant_id = b.grant_id \
             ) w WHERE w.kept <> w.summed",
        )
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            problems.push(LedgerProblem {
                wallet_id: col(r, "wallet_id")?,
                what: format!(
                    "account {} (grant {}): kept {} but the postings sum to {}",
                    col::<String>(r, "account")?,
                    col::<i64>(r, "grant_id")?,
                    col::<i64>(r, "kept")?,
                    col::<i64>(r, "summed")?,
                ),
            });
        }
        let unbalanced = sqlx::query(
            "SELECT e.wallet_id, e.id FROM ledger_entries e JOIN ledger_postings p \
             ON p.entry_id = e.id GROUP BY e.wallet_id, e.id HAVING SUM(p.amount) <> 0",
        )
        .fetch_all(&self.pool)
        .await?;
        for r in &unbalanced {
            problems.push(LedgerProblem {
                wallet_id: col(r, "wallet_id")?,
                what: format!("entry {} does not balance", col::<i64>(r, "id")?),
            });
        }
        Ok(problems)
    }
}
