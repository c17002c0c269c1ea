//! The one error type of the crate: every rule that refuses something says why here.
//!
//! Each variant has a stable snake_case [`BillingError::code`] that the HTTP layer puts in
//! `{"error": {"code", …}}` (and a UI can translate), and a `Display` sentence for a person.

use crate::cards::{MAX_BACKUP_CARDS, MAX_PAYMENT_CARDS};
use crate::ids::{GrantId, IdempotencyKey};
use crate::ledger::EntryKind;
use crate::money::Krw;

/// Why a ledger rule refused its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillingError {
    /// An amount of money below zero.
    #[error("an amount of money cannot be negative ({0})")]
    NegativeAmount(i64),
    /// An idempotency key that breaks its format; the string says how.
    #[error("invalid idempotency key: {0}")]
    InvalidIdempotencyKey(String),
    /// An account code (and grant) the ledger does not have; the string says which.
    #[error("invalid account: {0}")]
    InvalidAccount(String),
    /// An entry kind code the ledger does not have.
    #[error("{0:?} is not a kind of ledger entry")]
    UnknownEntryKind(String),
    /// Billed features stop while a failed settlement is unpaid (R5.2).
    #[error(
        "{receivable} KRW from a failed card payment is unpaid: pay it before using billed features"
    )]
    ReceivableOutstanding { receivable: Krw },
    /// A usage larger than the wallet's cash, with no payment card to take the rest.
    #[error("{needed} KRW is needed but the wallet holds {available} KRW and has no payment card")]
    InsufficientFunds { available: Krw, needed: Krw },
    /// A refund of a wallet that holds no paid cash.
    #[error("there is no unused paid cash to refund")]
    NothingToRefund,
    /// A refund larger than the unused paid cash.
    #[error("{requested} KRW cannot be refunded: only {paid} KRW of paid cash is unused")]
    RefundOverBalance { paid: Krw, requested: Krw },
    /// A second payment card in one wallet (R5.3).
    #[error("a wallet has at most {MAX_PAYMENT_CARDS} payment card")]
    TooManyPaymentCards,
    /// More backup cards than a wallet holds (R5.3).
    #[error("a wallet has at most {MAX_BACKUP_CARDS} backup cards")]
    TooManyBackupCards,
    /// More cards than one person may register (R5.3).
    #[error("a person registers at most {max} cards")]
    TooManyCards { max: usize },
    /// A business registration number that is not one; the string says why.
    #[error("invalid business registration number: {0}")]
    InvalidBusinessNumber(String),
    /// A month that is not a calendar month jiff can place.
    #[error("{year}-{month} is not a month")]
    InvalidMonth { year: i16, month: i8 },
    /// A known idempotency key given for a different kind of movement than it recorded.
    #[error("the idempotency key {key} already recorded a {earlier} entry")]
    KeyReused {
        key: IdempotencyKey,
        earlier: EntryKind,
    },
    /// An operation that moves no money (nothing due to settle, nothing to expire, an amount
    /// of zero): no entry is recorded and its key stays unused.
    #[error("nothing to record: the {kind} would move no money")]
    NothingToRecord { kind: EntryKind },
    /// A grant id the ledger has already granted under.
    #[error("grant {0} has been granted already")]
    GrantExists(GrantId),
    /// A movement that would take a balance past the range of a 64-bit integer.
    #[error("the amount is too large for the ledger")]
    Overflow,
    /// A ledger whose balances break a rule the planners keep (a customer's cash below zero,
    /// an amount owed below zero, balances that do not sum to zero): the records were changed
    /// outside these rules. The string says what is wrong.
    #[error("the ledger is inconsistent: {0}")]
    LedgerInconsistent(String),
}

impl BillingError {
    /// The stable snake_case code of the error kind, for API responses.
    pub fn code(&self) -> &'static str {
        match self {
            BillingError::NegativeAmount(_) => "negative_amount",
            BillingError::InvalidIdempotencyKey(_) => "invalid_idempotency_key",
            BillingError::InvalidAccount(_) => "invalid_account",
            BillingError::UnknownEntryKind(_) => "unknown_entry_kind",
            BillingError::ReceivableOutstanding { .. } => "receivable_outstanding",
            BillingError::InsufficientFunds { .. } => "insufficient_funds",
            BillingError::NothingToRefund => "nothing_to_refund",
            BillingError::RefundOverBalance { .. } => "refund_over_balance",
            BillingError::TooManyPaymentCards => "too_many_payment_cards",
            BillingError::TooManyBackupCards => "too_many_backup_cards",
            BillingError::TooManyCards { .. } => "too_many_cards",
            BillingError::InvalidBusinessNumber(_) => "invalid_business_number",
            BillingError::InvalidMonth { .. } => "invalid_month",
            BillingError::KeyReused { .. } => "idempotency_key_reused",
            BillingError::NothingToRecord { .. } => "nothing_to_record",
            BillingError::GrantExists(_) => "grant_exists",
            BillingError::Overflow => "amount_overflow",
            BillingError::LedgerInconsistent(_) => "ledger_inconsistent",
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn every_error_has_a_distinct_code_and_a_sentence() {
        let key = IdempotencyKey::parse("k").unwrap();
        let all = [
            BillingError::NegativeAmount(-1),
            BillingError::InvalidIdempotencyKey("empty".into()),
            BillingError::InvalidAccount("x".into()),
            BillingError::UnknownEntryKind("x".into()),
            BillingError::ReceivableOutstanding {
                receivable: Krw::won(1),
            },
            BillingError::InsufficientFunds {
                available: Krw::won(1),
                needed: Krw::won(2),
            },
            BillingError::NothingToRefund,
            BillingError::RefundOverBalance {
                paid: Krw::won(1),
                requested: Krw::won(2),
            },
            BillingError::TooManyPaymentCards,
            BillingError::TooManyBackupCards,
            BillingError::TooManyCards { max: 10 },
            BillingError::InvalidBusinessNumber("x".into()),
            BillingError::InvalidMonth {
                year: 2024,
                month: 13,
            },
            BillingError::KeyReused {
                key,
                earlier: EntryKind::Usage,
            },
            BillingError::NothingToRecord {
                kind: EntryKind::Settled,
            },
            BillingError::GrantExists(GrantId::new(1)),
            BillingError::Overflow,
            BillingError::LedgerInconsistent("paid holds -1".into()),
        ];
        let mut codes: Vec<&str> = all.iter().map(BillingError::code).collect();
        for (e, code) in all.iter().zip(&codes) {
            assert!(!e.to_string().is_empty());
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
        }
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), before, "two variants share a code");
    }

    #[test]
    fn a_refusal_reads_with_its_figures() {
        let e = BillingError::InsufficientFunds {
            available: Krw::won(1_000),
            needed: Krw::won(12_345),
        };
        assert_eq!(
            e.to_string(),
            "12,345 KRW is needed but the wallet holds 1,000 KRW and has no payment card"
        );
    }
}
