//! A month's tax invoice and a wallet's statement of a period (R5.4).
//!
//! The invoice covers consumption paid by paid cash or by card, the [`Account::Revenue`] a
//! period received: free cash is given, not sold, so it is not invoiced, and buying paid
//! cash is a prepayment, invoiced when it is consumed. The VAT is that of the period's total,
//! rounded down once.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::balances::Balances;
use crate::ids::{GrantId, IdempotencyKey};
use crate::ledger::{Account, Entry, EntryKind, Transfer};
use crate::money::{Krw, gross, vat};

/// What a tax invoice states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    /// The supply value: the consumption invoiced.
    pub supply: Krw,
    pub vat: Krw,
    /// Supply and VAT.
    pub total: Krw,
}

/// The invoice of `consumed`, the Revenue of the month (paid-cash and card consumption).
pub fn invoice_for(consumed: Krw) -> Invoice {
    Invoice {
        supply: consumed,
        vat: vat(consumed),
        total: gross(consumed),
    }
}

/// One entry of a statement and what it changed. Changes are signed: paid cash spent is
/// negative, a receivable that grew is positive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementLine {
    pub key: IdempotencyKey,
    pub kind: EntryKind,
    /// When it was recorded (ms since the Unix epoch).
    pub at: i64,
    /// Change of the paid cash.
    pub paid: i64,
    /// Change of the free cash, all grants together.
    pub free: i64,
    /// Change of the amount due.
    pub due: i64,
    /// Change of the receivable.
    pub receivable: i64,
    /// What a card paid in this entry, VAT included.
    pub card: Krw,
    /// Consumption this entry adds to the invoice.
    pub consumed: Krw,
}

/// A wallet's statement of `[from, to)`: the figures at `from`, each entry in the period with
/// its effect, and the figures at `to`. Exact: the opening figures plus the lines' changes are
/// the closing figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statement {
    pub from: i64,
    pub to: i64,
    pub opening: Balances,
    pub lines: Vec<StatementLine>,
    pub closing: Balances,
    /// The period's consumption paid by paid cash or card: what is invoiced.
    pub consumed: Krw,
    /// The period's consumption paid by free cash (not invoiced).
    pub free_used: Krw,
}

impl Statement {
    /// The tax invoice of the period.
    pub fn invoice(&self) -> Invoice {
        invoice_for(self.consumed)
    }
}

/// The change one entry makes to an account kind: money in minus money out.
fn change(transfers: &[Transfer], counts: impl Fn(&Account) -> bool) -> i64 {
    transfers
        .iter()
        .map(|t| match (counts(&t.from), counts(&t.to)) {
            (true, false) => -t.amount.get(),
            (false, true) => t.amount.get(),
            _ => 0,
        })
        .fold(0i64, i64::saturating_add)
}

fn line(entry: &Entry) -> StatementLine {
    let t = &entry.transfers;
    StatementLine {
        key: entry.key.clone(),
        kind: entry.kind,
        at: entry.at,
        paid: change(t, |a| *a == Account::PaidCash),
        free: change(t, |a| matches!(a, Account::FreeCash(_))),
        due: change(t, |a| *a == Account::AmountDue).saturating_neg(),
        receivable: change(t, |a| *a == Account::Receivable).saturating_neg(),
        card: Krw::clamp_from(change(t, |a| *a == Account::Card).saturating_neg()),
        consumed: Krw::clamp_from(change(t, |a| *a == Account::Revenue)),
    }
}

/// The statement of `entries` (one wallet's, in any order) for `[from, to)`, with `expiries`
/// for the grants (see [`Balances::from_transfers`]). Entries at the same instant keep the
/// order they were given in.
pub fn statement(
    entries: &[Entry],
    expiries: &HashMap<GrantId, i64>,
    from: i64,
    to: i64,
) -> Statement {
    let transfers_before = |end: i64| {
        entries
            .iter()
            .filter(move |e| e.at < end)
            .flat_map(|e| &e.transfers)
    };
    let mut period: Vec<&Entry> = entries
        .iter()
        .filter(|e| from <= e.at && e.at < to)
        .collect();
    period.sort_by_key(|e| e.at);
    let lines: Vec<StatementLine> = period.into_iter().map(line).collect();
    let consumed = lines
        .iter()
        .fold(Krw::ZERO, |sum, l| sum.saturating_add(l.consumed));
    let free_used = lines
        .iter()
        .filter(|l| l.kind == EntryKind::Usage)
        .fold(Krw::ZERO, |sum, l| {
            sum.saturating_add(Krw::clamp_from(l.free.saturating_neg()))
        });
    Statement {
        from,
        to,
        opening: Balances::from_transfers(transfers_before(from), expiries),
        lines,
        closing: Balances::from_transfers(transfers_before(to.max(from)), expiries),
        consumed,
        free_used,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::balances::CardStanding;
    use crate::plan::{plan_cash_charge, plan_grant, plan_settled, plan_usage};

    fn entry(key: &str, kind: EntryKind, at: i64, transfers: Vec<Transfer>) -> Entry {
        Entry {
            key: IdempotencyKey::parse(key).unwrap(),
            kind,
            at,
            transfers,
        }
    }

    #[test]
    fn invoices_carry_vat_rounded_down() {
        assert_eq!(
            invoice_for(Krw::won(1_234_567)),
            Invoice {
                supply: Krw::won(1_234_567),
                vat: Krw::won(123_456),
                total: Krw::won(1_358_023)
            }
        );
        assert_eq!(
            invoice_for(Krw::ZERO),
            Invoice {
                supply: Krw::ZERO,
                vat: Krw::ZERO,
                total: Krw::ZERO
            }
        );
    }

    #[test]
    fn a_month_of_a_wallet() {
        let g = GrantId::new(1);
        let expiries = HashMap::from([(g, 10_000)]);
        let card = CardStanding {
            has_payment_card: true,
        };
        let mut entries = vec![
            entry(
                "charge",
                EntryKind::CashCharged,
                10,
                plan_cash_charge(Krw::won(100)),
            ),
            entry(
                "grant",
                EntryKind::FreeGranted,
                20,
                plan_grant(g, Krw::won(50)),
            ),
        ];
        let b = Balances::from_transfers(entries.iter().flat_map(|e| &e.transfers), &expiries);
        // 200 = 50 free + 100 paid + 50 by card.
        let usage = plan_usage(&b, Krw::won(200), 1_000, card).unwrap();
        entries.push(entry("use", EntryKind::Usage, 1_000, usage));
        entries.push(entry(
            "settle",
            EntryKind::Settled,
            2_000,
            plan_settled(Krw::won(50)),
        ));

        let s = statement(&entries, &expiries, 500, 3_000);
        assert_eq!(s.opening.paid, Krw::won(100));
        assert_eq!(s.opening.free_total(), Krw::won(50));
        assert_eq!(s.lines.len(), 2);
        let use_line = &s.lines[0];
        assert_eq!(
            (
                use_line.paid,
                use_line.free,
                use_line.due,
                use_line.receivable
            ),
            (-100, -50, 50, 0)
        );
        assert_eq!(use_line.consumed, Krw::won(150));
        assert_eq!(use_line.card, Krw::ZERO);
        let settle_line = &s.lines[1];
        assert_eq!(settle_line.due, -50);
        assert_eq!(settle_line.card, Krw::won(55));
        assert_eq!(settle_line.consumed, Krw::ZERO);
        assert_eq!(s.closing, Balances::default());
        assert_eq!(s.consumed, Krw::won(150));
        assert_eq!(s.free_used, Krw::won(50));
        assert_eq!(s.invoice().total, Krw::won(165));

        // The period's end is exclusive, its start inclusive.
        let s = statement(&entries, &expiries, 1_000, 2_000);
        assert_eq!(s.lines.len(), 1);
        assert_eq!(s.closing.due, Krw::won(50));
    }

    #[test]
    fn lines_follow_time_whatever_the_given_order() {
        let entries = vec![
            entry(
                "b",
                EntryKind::CashCharged,
                20,
                plan_cash_charge(Krw::won(5)),
            ),
            entry(
                "a",
                EntryKind::CashCharged,
                10,
                plan_cash_charge(Krw::won(5)),
            ),
            entry(
                "c",
                EntryKind::CashCharged,
                20,
                plan_cash_charge(Krw::won(5)),
            ),
        ];
        let s = statement(&entries, &HashMap::new(), 0, 100);
        let keys: Vec<&str> = s.lines.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(s.closing.paid, Krw::won(15));
    }
}
