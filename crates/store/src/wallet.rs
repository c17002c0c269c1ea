//! The wallet's records (R5.2–R5.6): one wallet per site with its master and workers, the
//! cards people register (the gateway's billing keys, never card numbers), the cards a wallet
//! charges, free-cash grants, the payments asked of the gateway, and the monthly invoices.
//! The ledger itself is `ledger`'s; what a movement is and whether it is allowed is the
//! `billing` crate's.

use billing::{CardId, CardSlot, GrantId, Krw};
use sangdam_core::{AgentId, SiteId};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Backend, Store};
use crate::error::StoreError;
use crate::records::col;

/// A wallet's id.
pub type WalletId = i64;

/// A wallet as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WalletRecord {
    pub id: WalletId,
    pub site_id: SiteId,
    pub name: String,
    /// `business` or `personal` (no tax invoice).
    pub kind: String,
    pub business_number: Option<String>,
    pub business_name: Option<String>,
    pub representative: Option<String>,
    pub invoice_email: Option<String>,
    pub master_id: AgentId,
    /// Card usage is charged as soon as the amount due reaches this (KRW, VAT excluded).
    pub threshold: i64,
    /// When the oldest unpaid settlement failed (`None`: nothing is owed).
    pub receivable_since: Option<i64>,
    pub overdue_notice_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What a wallet is made with, or changed to.
#[derive(Debug, Clone)]
pub struct WalletText<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub business_number: Option<&'a str>,
    pub business_name: Option<&'a str>,
    pub representative: Option<&'a str>,
    pub invoice_email: Option<&'a str>,
    pub master_id: AgentId,
}

/// A registered card (its owner's), as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardRecord {
    pub id: CardId,
    pub agent_id: AgentId,
    #[serde(skip)]
    pub billing_key: String,
    #[serde(skip)]
    pub customer_key: String,
    pub card_company: String,
    pub masked_number: String,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

/// A card a wallet charges, with its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WalletCardRecord {
    pub card: CardRecord,
    pub slot: CardSlot,
    pub added_at: i64,
    /// The code of its last refusal (`None`: its last charge, if any, went through).
    pub last_refusal: Option<String>,
}

/// A free-cash grant as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantRecord {
    pub id: GrantId,
    pub wallet_id: WalletId,
    pub amount: Krw,
    pub expires_at: i64,
    pub reason: String,
    pub expiry_notice_at: Option<i64>,
    pub created_at: i64,
}

/// A charge asked of the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentRecord {
    pub id: i64,
    pub wallet_id: WalletId,
    pub card_id: CardId,
    /// `cash`, `settlement` or `receivable`.
    pub purpose: String,
    /// What the ledger records (VAT excluded).
    pub supply: Krw,
    /// What the card pays (VAT included).
    pub amount: Krw,
    pub order_id: String,
    #[serde(skip)]
    pub idempotency_key: String,
    /// `pending`, `done` or `refused`.
    pub state: String,
    #[serde(skip)]
    pub payment_key: Option<String>,
    pub refusal: Option<String>,
    pub message: Option<String>,
    /// Refunded so far (VAT included).
    pub refunded: i64,
    pub created_by: Option<AgentId>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A payment about to be asked of the gateway.
#[derive(Debug, Clone)]
pub struct NewPayment<'a> {
    pub wallet_id: WalletId,
    pub card_id: CardId,
    pub purpose: &'a str,
    pub supply: Krw,
    pub amount: Krw,
    pub order_id: &'a str,
    pub idempotency_key: &'a str,
    pub created_by: Option<AgentId>,
}

/// A monthly tax invoice as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceRecord {
    pub id: i64,
    pub wallet_id: WalletId,
    /// `YYYY-MM`.
    pub period: String,
    pub business_number: String,
    pub business_name: String,
    pub representative: String,
    pub email: String,
    pub supply: Krw,
    pub vat: Krw,
    pub total: Krw,
    pub issued_at: i64,
}

fn krw(row: &AnyRow, name: &str) -> Result<Krw, StoreError> {
    let v: i64 = col(row, name)?;
    Krw::new(v).map_err(|e| StoreError::Corrupt(format!("{name}: {e}")))
}

impl WalletRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(WalletRecord {
            id: col(row, "id")?,
            site_id: SiteId::new(col(row, "site_id")?),
            name: col(row, "name")?,
            kind: col(row, "kind")?,
            business_number: col(row, "business_number")?,
            business_name: col(row, "business_name")?,
            representative: col(row, "representative")?,
            invoice_email: col(row, "invoice_email")?,
            master_id: AgentId::new(col(row, "master_id")?),
            threshold: col(row, "threshold")?,
            receivable_since: col(row, "receivable_since")?,
            overdue_notice_at: col(row, "overdue_notice_at")?,
            created_at: col(row, "created_at")?,
            updated_at: col(row, "updated_at")?,
        })
    }
}

impl CardRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(CardRecord {
            id: CardId::new(col(row, "id")?),
            agent_id: AgentId::new(col(row, "agent_id")?),
            billing_key: col(row, "billing_key")?,
            customer_key: col(row, "customer_key")?,
            card_company: col(row, "card_company")?,
            masked_number: col(row, "masked_number")?,
            created_at: col(row, "created_at")?,
            deleted_at: col(row, "deleted_at")?,
        })
    }
}

impl GrantRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(GrantRecord {
            id: GrantId::new(col(row, "id")?),
            wallet_id: col(row, "wallet_id")?,
            amount: krw(row, "amount")?,
            expires_at: col(row, "expires_at")?,
            reason: col(row, "reason")?,
            expiry_notice_at: col(row, "expiry_notice_at")?,
            created_at: col(row, "created_at")?,
        })
    }
}

impl PaymentRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let created_by: Option<i64> = col(row, "created_by")?;
        Ok(PaymentRecord {
            id: col(row, "id")?,
            wallet_id: col(row, "wallet_id")?,
            card_id: CardId::new(col(row, "card_id")?),
            purpose: col(row, "purpose")?,
            supply: krw(row, "supply")?,
            amount: krw(row, "amount")?,
            order_id: col(row, "order_id")?,
            idempotency_key: col(row, "idempotency_key")?,
            state: col(row, "state")?,
            payment_key: col(row, "payment_key")?,
            refusal: col(row, "refusal")?,
            message: col(row, "message")?,
            refunded: col(row, "refunded")?,
            created_by: created_by.map(AgentId::new),
            created_at: col(row, "created_at")?,
            updated_at: col(row, "updated_at")?,
        })
    }
}

impl InvoiceRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(InvoiceRecord {
            id: col(row, "id")?,
            wallet_id: col(row, "wallet_id")?,
            period: col(row, "period")?,
            business_number: col(row, "business_number")?,
            business_name: col(row, "business_name")?,
            representative: col(row, "representative")?,
            email: col(row, "email")?,
            supply: krw(row, "supply")?,
            vat: krw(row, "vat")?,
            total: krw(row, "total")?,
            issued_at: col(row, "issued_at")?,
        })
    }
}

fn slot_of(code: &str) -> Result<CardSlot, StoreError> {
    match code {
        "payment" => Ok(CardSlot::Payment),
        "backup" => Ok(CardSlot::Backup),
        other => Err(StoreError::Corrupt(format!("unknown card slot {other:?}"))),
    }
}

fn slot_code(slot: CardSlot) -> &'static str {
    match slot {
        CardSlot::Payment => "payment",
        CardSlot::Backup => "backup",
    }
}

impl Store {
    /// Makes the site's wallet; a site has one (`Conflict` for a second).
    pub async fn create_wallet(
        &self,
        site: SiteId,
        w: &WalletText<'_>,
        threshold: Krw,
        now: i64,
    ) -> Result<WalletRecord, StoreError> {
        let _g = self.write_guard().await;
        let row = sqlx::query(
            "INSERT INTO wallets (site_id, name, kind, business_number, business_name, \
             representative, invoice_email, master_id, threshold, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING *",
        )
        .bind(site.get())
        .bind(w.name)
        .bind(w.kind)
        .bind(w.business_number)
        .bind(w.business_name)
        .bind(w.representative)
        .bind(w.invoice_email)
        .bind(w.master_id.get())
        .bind(threshold.get())
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| StoreError::unique(e, "this site already has a wallet"))?;
        WalletRecord::from_row(&row)
    }

    /// Changes the wallet's details and master.
    pub async fn update_wallet(
        &self,
        id: WalletId,
        w: &WalletText<'_>,
        now: i64,
    ) -> Result<WalletRecord, StoreError> {
        let _g = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE wallets SET name = $2, kind = $3, business_number = $4, business_name = $5, \
             representative = $6, invoice_email = $7, master_id = $8, updated_at = $9 \
             WHERE id = $1 RETURNING *",
        )
        .bind(id)
        .bind(w.name)
        .bind(w.kind)
        .bind(w.business_number)
        .bind(w.business_name)
        .bind(w.representative)
        .bind(w.invoice_email)
        .bind(w.master_id.get())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("wallet"))?;
        WalletRecord::from_row(&row)
    }

    /// Sets the amount due at which card usage is charged at once.
    pub async fn set_wallet_threshold(
        &self,
        id: WalletId,
        threshold: Krw,
        now: i64,
    ) -> Result<(), StoreError> {
        let _g = self.write_guard().await;
        let done = sqlx::query("UPDATE wallets SET threshold = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(threshold.get())
            .bind(now)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("wallet"));
        }
        Ok(())
    }

    /// The site's wallet, if it has one.
    pub async fn wallet_of_site(&self, site: SiteId) -> Result<Option<WalletRecord>, StoreError> {
        sqlx::query("SELECT * FROM wallets WHERE site_id = $1")
            .bind(site.get())
            .fetch_optional(&self.pool)
            .await?
            .map(|r| WalletRecord::from_row(&r))
            .transpose()
    }

    pub async fn wallet(&self, id: WalletId) -> Result<WalletRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM wallets WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("wallet"))?;
        WalletRecord::from_row(&row)
    }

    /// Every wallet (the scheduler's daily rounds).
    pub async fn wallets(&self) -> Result<Vec<WalletRecord>, StoreError> {
        sqlx::query("SELECT * FROM wallets ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(WalletRecord::from_row)
            .collect()
    }

    /// Records when the long-failing-payment notice went out (so it goes once per debt), or
    /// clears the debt's marks once nothing is owed.
    pub async fn mark_wallet_debt(
        &self,
        id: WalletId,
        receivable_since: Option<i64>,
        overdue_notice_at: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        let _g = self.write_guard().await;
        sqlx::query(
            "UPDATE wallets SET receivable_since = $2, overdue_notice_at = $3, updated_at = $4 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(receivable_since)
        .bind(overdue_notice_at)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The wallet's workers.
    pub async fn wallet_workers(&self, wallet: WalletId) -> Result<Vec<AgentId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT agent_id FROM wallet_members WHERE wallet_id = $1 ORDER BY added_at, agent_id",
        )
        .bind(wallet)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(AgentId::new).collect())
    }

    /// Makes `agent` a worker of the wallet (again: nothing changes).
    pub async fn add_wallet_worker(
        &self,
        wallet: WalletId,
        agent: AgentId,
        now: i64,
    ) -> Result<(), StoreError> {
        let _g = self.write_guard().await;
        sqlx::query(
            "INSERT INTO wallet_members (wallet_id, agent_id, added_at) VALUES ($1, $2, $3) \
             ON CONFLICT (wallet_id, agent_id) DO NOTHING",
        )
        .bind(wallet)
        .bind(agent.get())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn remove_wallet_worker(
        &self,
        wallet: WalletId,
        agent: AgentId,
    ) -> Result<bool, StoreError> {
        let _g = self.write_guard().await;
        let done = sqlx::query("DELETE FROM wallet_members WHERE wallet_id = $1 AND agent_id = $2")
            .bind(wallet)
            .bind(agent.get())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Where each person wants the wallet's notices, by account.
    pub async fn notice_emails(
        &self,
        wallet: WalletId,
    ) -> Result<Vec<(AgentId, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT agent_id, email FROM wallet_notice_emails WHERE wallet_id = $1 ORDER BY agent_id",
        )
        .bind(wallet)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((AgentId::new(col(r, "agent_id")?), col(r, "email")?)))
            .collect()
    }

    /// Sets (or with `None` clears) where `agent` wants the wallet's notices.
    pub async fn set_notice_email(
        &self,
        wallet: WalletId,
        agent: AgentId,
        email: Option<&str>,
    ) -> Result<(), StoreError> {
        let _g = self.write_guard().await;
        match email {
            Some(email) => {
                sqlx::query(
                    "INSERT INTO wallet_notice_emails (wallet_id, agent_id, email) VALUES ($1, $2, $3) \
                     ON CONFLICT (wallet_id, agent_id) DO UPDATE SET email = excluded.email",
                )
                .bind(wallet)
                .bind(agent.get())
                .bind(email)
                .execute(&self.pool)
                .await?;
            }
            None => {
                sqlx::query(
                    "DELETE FROM wallet_notice_emails WHERE wallet_id = $1 AND agent_id = $2",
                )
                .bind(wallet)
                .bind(agent.get())
                .execute(&self.pool)
                .await?;
            }
        }
        Ok(())
    }

    /// Registers a card of `agent`, refusing the one past `max` live cards (`Conflict`).
    pub async fn add_card(
        &self,
        agent: AgentId,
        card: &NewCard<'_>,
        max: usize,
        now: i64,
    ) -> Result<CardRecord, StoreError> {
        let _g = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        // The agent's row is the lock that keeps two registrations from both seeing room.
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT id FROM agents WHERE id = $1 FOR UPDATE")
                .bind(agent.get())
                .fetch_optional(&mut *tx)
                .await?;
        }
        let live: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM cards WHERE agent_id = $1 AND deleted_at IS NULL",
        )
        .bind(agent.get())
        .fetch_one(&mut *tx)
        .await?;
        if usize::try_from(live).unwrap_or(usize::MAX) >= max {
            return Err(StoreError::Conflict(format!(
                "a person registers at most {max} cards; remove one first"
            )));
        }
        let row = sqlx::query(
            "INSERT INTO cards (agent_id, billing_key, customer_key, card_company, masked_number, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
        )
        .bind(agent.get())
        .bind(card.billing_key)
        .bind(card.customer_key)
        .bind(card.card_company)
        .bind(card.masked_number)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        CardRecord::from_row(&row)
    }

    /// The agent's live cards, oldest first.
    pub async fn cards_of(&self, agent: AgentId) -> Result<Vec<CardRecord>, StoreError> {
        sqlx::query("SELECT * FROM cards WHERE agent_id = $1 AND deleted_at IS NULL ORDER BY id")
            .bind(agent.get())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(CardRecord::from_row)
            .collect()
    }

    pub async fn card(&self, id: CardId) -> Result<CardRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM cards WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("card"))?;
        CardRecord::from_row(&row)
    }

    /// Removes a card: it leaves every wallet that charged it.
    pub async fn delete_card(&self, id: CardId, now: i64) -> Result<(), StoreError> {
        let _g = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM wallet_cards WHERE card_id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE cards SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL")
            .bind(id.get())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The cards the wallet charges, in the order they were added.
    pub async fn wallet_cards(
        &self,
        wallet: WalletId,
    ) -> Result<Vec<WalletCardRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.*, w.slot, w.added_at, w.last_refusal FROM wallet_cards w \
             JOIN cards c ON c.id = w.card_id WHERE w.wallet_id = $1 AND c.deleted_at IS NULL \
             ORDER BY w.added_at, c.id",
        )
        .bind(wallet)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(WalletCardRecord {
                    card: CardRecord::from_row(r)?,
                    slot: slot_of(&col::<String>(r, "slot")?)?,
                    added_at: col(r, "added_at")?,
                    last_refusal: col(r, "last_refusal")?,
                })
            })
            .collect()
    }

    /// Puts `card` in the wallet's `slot`; a new payment card sends the old one back to the
    /// list of backups (`billing::check_slots` is asked with the result before it is kept).
    pub async fn set_wallet_card(
        &self,
        wallet: WalletId,
        card: CardId,
        slot: CardSlot,
        now: i64,
        check: impl FnOnce(&[billing::WalletCard]) -> Result<(), billing::BillingError>,
    ) -> Result<(), StoreError> {
        let _g = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        sqlx::query(crate::dialect::lock_wallet(self.backend()))
            .bind(wallet)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("wallet"))?;
        if slot == CardSlot::Payment {
            sqlx::query(
                "UPDATE wallet_cards SET slot = 'backup' WHERE wallet_id = $1 AND slot = 'payment'",
            )
            .bind(wallet)
            .execute(&mut *tx)
            .await?;
        }
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT added_at FROM wallet_cards WHERE wallet_id = $1 AND card_id = $2",
        )
        .bind(wallet)
        .bind(card.get())
        .fetch_optional(&mut *tx)
        .await?;
        match existing {
            Some(_) => {
                sqlx::query(
                    "UPDATE wallet_cards SET slot = $3 WHERE wallet_id = $1 AND card_id = $2",
                )
                .bind(wallet)
                .bind(card.get())
                .bind(slot_code(slot))
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO wallet_cards (wallet_id, card_id, slot, added_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(wallet)
                .bind(card.get())
                .bind(slot_code(slot))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        let rows = sqlx::query(
            "SELECT w.card_id, w.slot, w.added_at FROM wallet_cards w JOIN cards c \
             ON c.id = w.card_id WHERE w.wallet_id = $1 AND c.deleted_at IS NULL",
        )
        .bind(wallet)
        .fetch_all(&mut *tx)
        .await?;
        let cards = rows
            .iter()
            .map(|r| {
                Ok(billing::WalletCard {
                    id: CardId::new(col(r, "card_id")?),
                    slot: slot_of(&col::<String>(r, "slot")?)?,
                    added_at: col(r, "added_at")?,
                    usable: true,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        check(&cards).map_err(|e| StoreError::Conflict(e.to_string()))?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes `card` off the wallet.
    pub async fn remove_wallet_card(
        &self,
        wallet: WalletId,
        card: CardId,
    ) -> Result<bool, StoreError> {
        let _g = self.write_guard().await;
        let done = sqlx::query("DELETE FROM wallet_cards WHERE wallet_id = $1 AND card_id = $2")
            .bind(wallet)
            .bind(card.get())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Notes how the card's last charge went (`None`: it went through).
    pub async fn note_card_refusal(
        &self,
        wallet: WalletId,
        card: CardId,
        refusal: Option<&str>,
    ) -> Result<(), StoreError> {
        let _g = self.write_guard().await;
        sqlx::query(
            "UPDATE wallet_cards SET last_refusal = $3 WHERE wallet_id = $1 AND card_id = $2",
        )
        .bind(wallet)
        .bind(card.get())
        .bind(refusal)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A grant of free cash; its ledger entry is written with it by the caller's `post`.
    pub async fn grants(&self, wallet: WalletId) -> Result<Vec<GrantRecord>, StoreError> {
        sqlx::query("SELECT * FROM cash_grants WHERE wallet_id = $1 ORDER BY expires_at, id")
            .bind(wallet)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(GrantRecord::from_row)
            .collect()
    }

    /// Records that the grant's expiry notice went out.
    pub async fn mark_grant_notice(&self, grant: GrantId, now: i64) -> Result<(), StoreError> {
        let _g = self.write_guard().await;
        sqlx::query("UPDATE cash_grants SET expiry_notice_at = $2 WHERE id = $1")
            .bind(grant.get())
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Writes a payment before the gateway is asked (see the migration's note).
    pub async fn new_payment(
        &self,
        p: &NewPayment<'_>,
        now: i64,
    ) -> Result<PaymentRecord, StoreError> {
        let _g = self.write_guard().await;
        let row = sqlx::query(
            "INSERT INTO payments (wallet_id, card_id, purpose, supply, amount, order_id, \
             idempotency_key, state, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $9) RETURNING *",
        )
        .bind(p.wallet_id)
        .bind(p.card_id.get())
        .bind(p.purpose)
        .bind(p.supply.get())
        .bind(p.amount.get())
        .bind(p.order_id)
        .bind(p.idempotency_key)
        .bind(p.created_by.map(AgentId::get))
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| StoreError::unique(e, "this order was already asked for"))?;
        PaymentRecord::from_row(&row)
    }

    /// The wallet's payments still waiting for the gateway's answer, oldest first.
    pub async fn pending_payments(
        &self,
        wallet: WalletId,
    ) -> Result<Vec<PaymentRecord>, StoreError> {
        sqlx::query("SELECT * FROM payments WHERE wallet_id = $1 AND state = 'pending' ORDER BY id")
            .bind(wallet)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(PaymentRecord::from_row)
            .collect()
    }

    pub async fn payment(&self, id: i64) -> Result<PaymentRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM payments WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("payment"))?;
        PaymentRecord::from_row(&row)
    }

    /// The payment of an order id.
    pub async fn payment_by_order(&self, order_id: &str) -> Result<PaymentRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM payments WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("payment"))?;
        PaymentRecord::from_row(&row)
    }

    /// The wallet's payments, newest first.
    pub async fn payments(
        &self,
        wallet: WalletId,
        limit: i64,
    ) -> Result<Vec<PaymentRecord>, StoreError> {
        sqlx::query("SELECT * FROM payments WHERE wallet_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(wallet)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(PaymentRecord::from_row)
            .collect()
    }

    /// The card refused the payment.
    pub async fn payment_refused(
        &self,
        id: i64,
        refusal: &str,
        message: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let _g = self.write_guard().await;
        sqlx::query(
            "UPDATE payments SET state = 'refused', refusal = $2, message = $3, updated_at = $4 \
             WHERE id = $1 AND state = 'pending'",
        )
        .bind(id)
        .bind(refusal)
        .bind(message)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The latest completed cash purchase with something left to refund: where a refund goes.
    pub async fn latest_cash_payment(
        &self,
        wallet: WalletId,
    ) -> Result<Option<PaymentRecord>, StoreError> {
        sqlx::query(
            "SELECT * FROM payments WHERE wallet_id = $1 AND state = 'done' AND purpose = 'cash' \
             AND refunded < amount ORDER BY id DESC LIMIT 1",
        )
        .bind(wallet)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| PaymentRecord::from_row(&r))
        .transpose()
    }

    /// Keeps the month's invoice (once: a second one for the period answers the first).
    pub async fn issue_invoice(
        &self,
        inv: &NewInvoice<'_>,
        now: i64,
    ) -> Result<(InvoiceRecord, bool), StoreError> {
        let _g = self.write_guard().await;
        let inserted = sqlx::query(
            "INSERT INTO invoices (wallet_id, period, business_number, business_name, \
             representative, email, supply, vat, total, issued_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (wallet_id, period) DO NOTHING RETURNING *",
        )
        .bind(inv.wallet_id)
        .bind(inv.period)
        .bind(inv.business_number)
        .bind(inv.business_name)
        .bind(inv.representative)
        .bind(inv.email)
        .bind(inv.invoice.supply.get())
        .bind(inv.invoice.vat.get())
        .bind(inv.invoice.total.get())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = inserted {
            return Ok((InvoiceRecord::from_row(&row)?, true));
        }
        let row = sqlx::query("SELECT * FROM invoices WHERE wallet_id = $1 AND period = $2")
            .bind(inv.wallet_id)
            .bind(inv.period)
            .fetch_one(&self.pool)
            .await?;
        Ok((InvoiceRecord::from_row(&row)?, false))
    }

    pub async fn invoices(&self, wallet: WalletId) -> Result<Vec<InvoiceRecord>, StoreError> {
        sqlx::query("SELECT * FROM invoices WHERE wallet_id = $1 ORDER BY period DESC")
            .bind(wallet)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(InvoiceRecord::from_row)
            .collect()
    }

    pub async fn invoice(&self, id: i64) -> Result<InvoiceRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM invoices WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("invoice"))?;
        InvoiceRecord::from_row(&row)
    }
}

/// A card the gateway just issued a billing key for.
#[derive(Debug, Clone)]
pub struct NewCard<'a> {
    pub billing_key: &'a str,
    pub customer_key: &'a str,
    pub card_company: &'a str,
    pub masked_number: &'a str,
}

/// A month's invoice about to be kept.
#[derive(Debug, Clone)]
pub struct NewInvoice<'a> {
    pub wallet_id: WalletId,
    pub period: &'a str,
    pub business_number: &'a str,
    pub business_name: &'a str,
    pub representative: &'a str,
    pub email: &'a str,
    pub invoice: billing::Invoice,
}
