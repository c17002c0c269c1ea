//! A reference ledger in memory: the planners applied under idempotency keys, as the store and
//! the application apply them in a transaction. The property tests check the rules on it, and
//! the application's tests can use it as an oracle for what a wallet should hold.

use std::collections::{BTreeMap, HashMap};

use crate::balances::{Balances, CardStanding};
use crate::error::BillingError;
use crate::ids::{GrantId, IdempotencyKey};
use crate::ledger::{Account, Entry, EntryKind, Transfer};
use crate::money::Krw;
use crate::plan::{
    plan_cash_charge, plan_expiry, plan_grant, plan_receivable_paid, plan_refund, plan_settled,
    plan_settlement_failed, plan_usage,
};
use crate::statement::{Statement, statement};

/// A movement asked of the ledger. Card charges are outside: `ChargeCash`, `Settle` and
/// `PayReceivable` record a charge that succeeded, `SettleFailed` one that failed on every
/// card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Paid cash bought by card (`supply`, VAT excluded).
    ChargeCash { supply: Krw },
    /// Free cash granted under a new grant id, usable until `expires_at`.
    Grant {
        grant: GrantId,
        amount: Krw,
        expires_at: i64,
    },
    /// A billed feature used.
    Use { amount: Krw },
    /// The whole amount due charged.
    Settle,
    /// The whole amount due failed to charge: it becomes a receivable.
    SettleFailed,
    /// The whole receivable charged.
    PayReceivable,
    /// Every grant expired at `now` expires.
    Expire,
    /// Unused paid cash returned (`None`: all of it).
    Refund { requested: Option<Krw> },
}

impl Operation {
    /// The kind of entry the operation records.
    pub const fn kind(&self) -> EntryKind {
        match self {
            Operation::ChargeCash { .. } => EntryKind::CashCharged,
            Operation::Grant { .. } => EntryKind::FreeGranted,
            Operation::Use { .. } => EntryKind::Usage,
            Operation::Settle => EntryKind::Settled,
            Operation::SettleFailed => EntryKind::SettlementFailed,
            Operation::PayReceivable => EntryKind::ReceivablePaid,
            Operation::Expire => EntryKind::FreeExpired,
            Operation::Refund { .. } => EntryKind::Refunded,
        }
    }
}

/// One wallet's ledger.
///
/// Idempotency: a key recorded before answers its earlier entry and changes nothing, whatever
/// the operation's figures or time (a retry may carry a recomputed amount; the first one
/// stands). A key recorded for a different kind of entry is refused with
/// [`BillingError::KeyReused`], also changing nothing: that is a key scheme mixing two
/// movements, not a retry, and the kind is what a store keeps to compare. A refusal records
/// nothing, so its key stays free; so does an operation that would move no money
/// ([`BillingError::NothingToRecord`]).
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    entries: Vec<Entry>,
    keys: HashMap<IdempotencyKey, usize>,
    expiries: HashMap<GrantId, i64>,
    totals: BTreeMap<Account, i64>,
    card: CardStanding,
}

impl Ledger {
    pub fn new(card: CardStanding) -> Ledger {
        Ledger {
            card,
            ..Ledger::default()
        }
    }

    pub fn card(&self) -> CardStanding {
        self.card
    }

    /// A payment card registered or removed.
    pub fn set_card(&mut self, card: CardStanding) {
        self.card = card;
    }

    /// Applies `op` at `now` under `key` (see the type's documentation for replays). It plans
    /// on everything recorded, whatever the times of earlier entries.
    pub fn apply(
        &mut self,
        key: IdempotencyKey,
        op: Operation,
        now: i64,
    ) -> Result<&Entry, BillingError> {
        if let Some(&i) = self.keys.get(&key) {
            let earlier = &self.entries[i];
            return if earlier.kind == op.kind() {
                Ok(earlier)
            } else {
                Err(BillingError::KeyReused {
                    key,
                    earlier: earlier.kind,
                })
            };
        }
        let b = self.current();
        let transfers = match op {
            Operation::ChargeCash { supply } => plan_cash_charge(supply),
            Operation::Grant { grant, amount, .. } => {
                if self.expiries.contains_key(&grant) {
                    return Err(BillingError::GrantExists(grant));
                }
                plan_grant(grant, amount)
            }
            Operation::Use { amount } => plan_usage(&b, amount, now, self.card)?,
            Operation::Settle => plan_settled(b.due),
            Operation::SettleFailed => plan_settlement_failed(b.due),
            Operation::PayReceivable => plan_receivable_paid(b.receivable),
            Operation::Expire => plan_expiry(&b, now),
            Operation::Refund { requested } => plan_refund(&b, requested)?,
        };
        if transfers.is_empty() {
            return Err(BillingError::NothingToRecord { kind: op.kind() });
        }
        let totals = self.totals_after(&transfers)?;
        self.totals = totals;
        if let Operation::Grant {
            grant, expires_at, ..
        } = op
        {
            self.expiries.insert(grant, expires_at);
        }
        let i = self.entries.len();
        self.keys.insert(key.clone(), i);
        self.entries.push(Entry {
            key,
            kind: op.kind(),
            at: now,
            transfers,
        });
        Ok(&self.entries[i])
    }

    /// The account sums with `transfers` added, refused when one leaves the `i64` range.
    fn totals_after(&self, transfers: &[Transfer]) -> Result<BTreeMap<Account, i64>, BillingError> {
        let mut totals = self.totals.clone();
        for t in transfers {
            for (account, amount) in t.postings() {
                let sum = totals.entry(account).or_default();
                *sum = sum.checked_add(amount).ok_or(BillingError::Overflow)?;
            }
        }
        Ok(totals)
    }

    /// The figures of everything recorded.
    fn current(&self) -> Balances {
        Balances::from_account_balances(self.totals.iter().map(|(a, b)| (*a, *b)), &self.expiries)
    }

    /// The wallet's figures as they stood at `now`: the entries recorded at or before it
    /// (`i64::MAX` for all of them).
    pub fn balances(&self, now: i64) -> Balances {
        let transfers = self
            .entries
            .iter()
            .filter(|e| e.at <= now)
            .flat_map(|e| &e.transfers);
        Balances::from_transfers(transfers, &self.expiries)
    }

    /// Every account's balance, everything recorded.
    pub fn account_balances(&self) -> &BTreeMap<Account, i64> {
        &self.totals
    }

    /// The entries in the order they were recorded.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry recorded under `key`.
    pub fn entry(&self, key: &IdempotencyKey) -> Option<&Entry> {
        self.keys.get(key).map(|&i| &self.entries[i])
    }

    /// Every transfer recorded.
    pub fn transfers(&self) -> impl Iterator<Item = &Transfer> {
        self.entries.iter().flat_map(|e| &e.transfers)
    }

    /// Each grant's expiry.
    pub fn expiries(&self) -> &HashMap<GrantId, i64> {
        &self.expiries
    }

    /// The statement of `[from, to)`.
    pub fn statement(&self, from: i64, to: i64) -> Statement {
        statement(&self.entries, &self.expiries, from, to)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn key(k: &str) -> IdempotencyKey {
        IdempotencyKey::parse(k).unwrap()
    }

    const CARD: CardStanding = CardStanding {
        has_payment_card: true,
    };

    #[test]
    fn a_replayed_key_answers_the_first_entry() {
        let mut ledger = Ledger::new(CARD);
        ledger
            .apply(
                key("c1"),
                Operation::ChargeCash {
                    supply: Krw::won(1_000),
                },
                0,
            )
            .unwrap();
        let first = ledger.entries().to_vec();
        // A retry with another amount changes nothing and answers the first entry.
        let again = ledger
            .apply(
                key("c1"),
                Operation::ChargeCash {
                    supply: Krw::won(5_000),
                },
                10,
            )
            .unwrap()
            .clone();
        assert_eq!(again, first[0]);
        assert_eq!(ledger.entries(), first.as_slice());
        assert_eq!(ledger.balances(i64::MAX).paid, Krw::won(1_000));
        // Another kind under the same key is refused, and changes nothing either.
        assert_eq!(
            ledger.apply(
                key("c1"),
                Operation::Use {
                    amount: Krw::won(1)
                },
                20
            ),
            Err(BillingError::KeyReused {
                key: key("c1"),
                earlier: EntryKind::CashCharged
            })
        );
        assert_eq!(ledger.entries(), first.as_slice());
    }

    #[test]
    fn a_refusal_leaves_its_key_free() {
        let mut ledger = Ledger::default();
        let op = Operation::Use {
            amount: Krw::won(15),
        };
        assert!(matches!(
            ledger.apply(key("u1"), op, 0),
            Err(BillingError::InsufficientFunds { .. })
        ));
        assert!(ledger.entries().is_empty());
        ledger
            .apply(
                key("c1"),
                Operation::ChargeCash {
                    supply: Krw::won(15),
                },
                1,
            )
            .unwrap();
        let entry = ledger.apply(key("u1"), op, 2).unwrap();
        assert_eq!(entry.kind, EntryKind::Usage);
        assert_eq!(ledger.balances(2).paid, Krw::ZERO);
    }

    #[test]
    fn nothing_to_move_records_nothing() {
        let mut ledger = Ledger::new(CARD);
        for op in [
            Operation::Settle,
            Operation::SettleFailed,
            Operation::PayReceivable,
            Operation::Expire,
            Operation::Use { amount: Krw::ZERO },
            Operation::ChargeCash { supply: Krw::ZERO },
        ] {
            assert_eq!(
                ledger.apply(key("k"), op, 0),
                Err(BillingError::NothingToRecord { kind: op.kind() })
            );
        }
        assert_eq!(
            ledger.apply(key("k"), Operation::Refund { requested: None }, 0),
            Err(BillingError::NothingToRefund)
        );
        assert!(ledger.entries().is_empty());
    }

    #[test]
    fn a_wallet_through_a_month() {
        let mut ledger = Ledger::new(CARD);
        let g = GrantId::new(1);
        let ops = [
            Operation::Grant {
                grant: g,
                amount: Krw::won(100),
                expires_at: 1_000,
            },
            Operation::ChargeCash {
                supply: Krw::won(10_000),
            },
            Operation::Use {
                amount: Krw::won(10_050),
            },
            Operation::Use {
                amount: Krw::won(200),
            },
            Operation::SettleFailed,
        ];
        for (i, op) in ops.into_iter().enumerate() {
            ledger.apply(key(&format!("k{i}")), op, i as i64).unwrap();
        }
        let b = ledger.balances(i64::MAX);
        assert_eq!(b.paid, Krw::ZERO);
        assert_eq!(b.free_total(), Krw::ZERO);
        assert_eq!(b.due, Krw::ZERO);
        assert_eq!(b.receivable, Krw::won(150));
        // Billed features stop until the receivable is paid.
        assert_eq!(
            ledger.apply(
                key("u"),
                Operation::Use {
                    amount: Krw::won(1)
                },
                10
            ),
            Err(BillingError::ReceivableOutstanding {
                receivable: Krw::won(150)
            })
        );
        ledger
            .apply(key("pay"), Operation::PayReceivable, 11)
            .unwrap();
        ledger
            .apply(
                key("u"),
                Operation::Use {
                    amount: Krw::won(1),
                },
                12,
            )
            .unwrap();
        assert_eq!(ledger.balances(i64::MAX).due, Krw::won(1));
        // The card paid 10,000 + 1,000 VAT and 150 + 15 VAT.
        assert_eq!(ledger.account_balances()[&Account::Card], -11_165);
        assert_eq!(ledger.account_balances()[&Account::Revenue], 10_151);
        // As it stood before the failure.
        assert_eq!(ledger.balances(3).due, Krw::won(150));
        assert_eq!(ledger.statement(0, 100).consumed, Krw::won(10_151));
    }

    #[test]
    fn grants_expire_and_are_not_granted_twice() {
        let mut ledger = Ledger::default();
        let g = GrantId::new(3);
        let grant = Operation::Grant {
            grant: g,
            amount: Krw::won(50),
            expires_at: 100,
        };
        ledger.apply(key("g"), grant, 0).unwrap();
        assert_eq!(
            ledger.apply(key("g2"), grant, 0),
            Err(BillingError::GrantExists(g))
        );
        assert_eq!(
            ledger.apply(key("e"), Operation::Expire, 99),
            Err(BillingError::NothingToRecord {
                kind: EntryKind::FreeExpired
            })
        );
        ledger.apply(key("e"), Operation::Expire, 100).unwrap();
        assert_eq!(ledger.balances(100).free_total(), Krw::ZERO);
        assert_eq!(ledger.account_balances()[&Account::Expired], 50);
    }

    #[test]
    fn an_overflowing_movement_is_refused() {
        let mut ledger = Ledger::default();
        let half = Operation::ChargeCash {
            supply: Krw::new(i64::MAX / 2).unwrap(),
        };
        ledger.apply(key("a"), half, 0).unwrap();
        // The card's account would pass i64::MIN with the second charge's VAT.
        assert_eq!(ledger.apply(key("b"), half, 0), Err(BillingError::Overflow));
        assert_eq!(ledger.entries().len(), 1);
    }
}
