//! The wallet's ledger rules (R5.2–R5.4) as pure functions over plain data: no database, no
//! HTTP, no clock. Time is an argument (milliseconds since the Unix epoch), and so is the time
//! zone that draws day and month boundaries.
//!
//! # Money
//! - An amount is [`Krw`]: whole won in an `i64`, never a float, never negative. Signed
//!   figures (an account's balance, a change in a statement) are plain `i64`.
//! - Cash, prices and usage are supply values, VAT excluded. The VAT is a tenth rounded down
//!   to the won ([`vat`], 원 미만 절사), and every card payment charges the supply and its VAT
//!   ([`gross`]): paid cash bought, the amount due settled, a receivable paid. The monthly tax
//!   invoice states the month's consumption with the VAT of its total ([`invoice_for`]).
//!
//! # Double entry
//! Every movement is an [`Entry`] of [`Transfer`]s under an [`IdempotencyKey`]; a transfer moves
//! a positive amount from one [`Account`] to another, so debits equal credits by construction
//! and all balances together always sum to zero. An account's balance is what reached it minus
//! what left it. The wallet's own accounts give the customer's figures ([`Balances`]):
//! - paid cash = balance of [`Account::PaidCash`] ≥ 0;
//! - free cash of a grant = balance of [`Account::FreeCash`] ≥ 0, one account per grant,
//!   because each grant has its own expiry;
//! - amount due (card usage not charged yet, owed) = −balance of [`Account::AmountDue`] ≥ 0;
//! - receivable (settlements whose charge failed, owed) = −balance of [`Account::Receivable`]
//!   ≥ 0.
//!
//! The other accounts say where money came from or went: `Card` pays, `Promotion` grants free
//! cash, `Revenue` receives consumption paid by paid cash or card (what is invoiced), `FreeUsed`
//! consumption paid by free cash (given, not sold: never invoiced), `Expired` free cash that
//! expired, `Refund` paid cash and its VAT returned, `Vat` the VAT collected.
//!
//! # The rules the planners decide
//! - A usage consumes usable free cash first, the grant that expires soonest first (ties: the
//!   lower grant id), then paid cash, then, with a payment card, the rest accrues as the
//!   amount due ([`plan_usage`]). A grant is usable while `now < expires_at`: at its expiry
//!   instant it is not.
//! - A usage is refused whole, nothing consumed, while a receivable is unpaid (billed features
//!   stop, whatever the cash: [`check_billable`]) or, without a payment card, when usable cash
//!   does not cover it. A usage of zero plans nothing and is never refused: nothing is billed.
//! - The amount due is charged at the daily settlement, the next local midnight
//!   ([`next_daily_settlement`], Asia/Seoul by R5.2: [`seoul`]), or at once when it reaches
//!   the wallet's threshold ([`should_settle_now`], [`DEFAULT_SETTLEMENT_THRESHOLD`]). A charge
//!   that fails on every card ([`charge_order`]) turns the amount due into a receivable; after
//!   [`OVERDUE_NOTICE_DAYS`] local days ([`overdue_days`]) an e-mail says so.
//! - A refund returns unused paid cash only, with the VAT of the refunded amount; free cash is
//!   never refunded ([`plan_refund`]).
//! - A grant whose expiry is not given is taken as expired: free cash is not spent on an
//!   unknown expiry ([`Balances::from_transfers`]).
//! - A wallet holds one payment card and two backup cards; only usable cards hold a slot
//!   ([`check_slots`]). A person registers at most ten cards ([`check_person_cards`]).
//!
//! - A refund's VAT is that of the refunded amount, rounded down; it equals the VAT collected
//!   whenever cash is bought and refunded in tens of won.
//!
//! # Idempotency and the reference ledger
//! [`Ledger`] applies the planners in memory under idempotency keys, as the store does in a
//! transaction. A key seen before answers its earlier entry and changes nothing, whatever the
//! operation's figures (a retry may carry a recomputed amount; the first one stands). The same
//! key for a different kind of entry is refused with [`BillingError::KeyReused`], also changing
//! nothing: that is two movements sharing a key, not a retry, and the kind is what a store can
//! compare. A refusal records nothing and leaves its key free; so does an operation that would
//! move no money ([`BillingError::NothingToRecord`]: nothing due to settle, nothing expired).
//! The property tests prove the rules on it.
//!
//! [`statement`] gives a period's opening figures, each entry with its effect on them, and the
//! closing figures, exactly; its consumption is what [`invoice_for`] invoices.

mod balances;
mod business_number;
mod calendar;
mod cards;
mod error;
mod ids;
mod ledger;
mod money;
mod plan;
mod reference;
mod statement;

pub use balances::{Balances, CardStanding, Grant};
pub use business_number::BusinessNumber;
pub use calendar::{
    OVERDUE_NOTICE_DAYS, month_bounds, next_daily_settlement, next_month_start, overdue_days,
    previous_month, seoul,
};
pub use cards::{
    CardSlot, MAX_BACKUP_CARDS, MAX_CARDS_PER_PERSON, MAX_PAYMENT_CARDS, WalletCard, charge_order,
    check_person_cards, check_slots,
};
pub use error::BillingError;
pub use ids::{CardId, GrantId, IdempotencyKey, MAX_IDEMPOTENCY_KEY_BYTES};
pub use ledger::{Account, Entry, EntryKind, Transfer, account_balances, audit, balance_of};
pub use money::{Krw, gross, vat};
pub use plan::{
    DEFAULT_SETTLEMENT_THRESHOLD, check_billable, plan_cash_charge, plan_expiry, plan_grant,
    plan_receivable_paid, plan_refund, plan_settled, plan_settlement_failed, plan_usage,
    should_settle_now,
};
pub use reference::{Ledger, Operation};
pub use statement::{Invoice, Statement, StatementLine, invoice_for, statement};

#[cfg(all(test, feature = "openapi"))]
mod openapi_tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use utoipa::ToSchema;

    use super::*;

    /// Every `$ref` in the documents of the API's types names a schema they bring along.
    #[test]
    fn schemas_are_complete() {
        let mut schemas = Vec::new();
        for (name, schema) in [
            (
                Statement::name(),
                <Statement as utoipa::PartialSchema>::schema(),
            ),
            (Entry::name(), <Entry as utoipa::PartialSchema>::schema()),
            (
                WalletCard::name(),
                <WalletCard as utoipa::PartialSchema>::schema(),
            ),
            (
                BusinessNumber::name(),
                <BusinessNumber as utoipa::PartialSchema>::schema(),
            ),
        ] {
            schemas.push((name.into_owned(), schema));
        }
        Statement::schemas(&mut schemas);
        Entry::schemas(&mut schemas);
        WalletCard::schemas(&mut schemas);
        let components: BTreeMap<String, serde_json::Value> = schemas
            .into_iter()
            .map(|(n, s)| (n, serde_json::to_value(s).unwrap()))
            .collect();
        for name in [
            "Account",
            "Krw",
            "IdempotencyKey",
            "EntryKind",
            "Grant",
            "CardId",
        ] {
            assert!(components.contains_key(name), "{name} missing");
        }
        let text = serde_json::to_string(&components).unwrap();
        for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = part.split('"').next().unwrap();
            assert!(
                components.contains_key(name),
                "{name} is referenced but missing"
            );
        }
        assert!(components["Account"].to_string().contains("\"code\""));
        assert_eq!(components["Krw"]["minimum"], 0);
    }
}
