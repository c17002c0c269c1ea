//! The wallet's customer-facing figures, read from the ledger: paid cash, each grant's free
//! cash, the amount due and the receivable.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::ids::GrantId;
use crate::ledger::{Account, Transfer, account_balances};
use crate::money::Krw;

/// What is left of one grant of free cash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    pub id: GrantId,
    pub remaining: Krw,
    /// The first instant (ms since the Unix epoch) the grant can no longer be used.
    pub expires_at: i64,
}

impl Grant {
    /// A grant is usable while `now < expires_at`.
    pub const fn usable_at(&self, now: i64) -> bool {
        now < self.expires_at
    }
}

/// A wallet's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Balances {
    /// Unused paid cash.
    pub paid: Krw,
    /// Grants with free cash left, in the order usage consumes them: the soonest expiry first,
    /// then the lower id. An expired grant stays listed until its expiry is recorded.
    pub grants: Vec<Grant>,
    /// Card usage not yet charged (owed).
    pub due: Krw,
    /// Settlements whose charge failed (owed); billed features stop while it is above zero.
    pub receivable: Krw,
}

impl Balances {
    /// The figures of a ledger's transfers. `expiries` gives each grant's expiry; a grant
    /// missing from it is taken as expired already (`i64::MIN`), so free cash whose expiry is
    /// not known is never spent: a caller that loads only the unexpired grants' expiries gets
    /// the right answer. Grants with nothing left are left out.
    pub fn from_transfers<'a>(
        transfers: impl IntoIterator<Item = &'a Transfer>,
        expiries: &HashMap<GrantId, i64>,
    ) -> Balances {
        Balances::from_account_balances(account_balances(transfers), expiries)
    }

    /// The figures of account balances (sums the store keeps, or
    /// [`crate::account_balances`]). A balance on the wrong side of zero, which the planners
    /// never make ([`crate::audit`] finds it), counts as zero.
    pub fn from_account_balances(
        balances: impl IntoIterator<Item = (Account, i64)>,
        expiries: &HashMap<GrantId, i64>,
    ) -> Balances {
        let mut figures = Balances::default();
        for (account, balance) in balances {
            match account {
                Account::PaidCash => figures.paid = Krw::clamp_from(balance),
                Account::AmountDue => figures.due = Krw::clamp_from(balance.saturating_neg()),
                Account::Receivable => {
                    figures.receivable = Krw::clamp_from(balance.saturating_neg());
                }
                Account::FreeCash(id) if balance > 0 => figures.grants.push(Grant {
                    id,
                    remaining: Krw::clamp_from(balance),
                    expires_at: expiries.get(&id).copied().unwrap_or(i64::MIN),
                }),
                _ => {}
            }
        }
        figures.grants.sort_by_key(|g| (g.expires_at, g.id));
        figures
    }

    /// Free cash usable at `now` (grants with `now < expires_at`).
    pub fn free_available(&self, now: i64) -> Krw {
        self.grants
            .iter()
            .filter(|g| g.usable_at(now))
            .fold(Krw::ZERO, |sum, g| sum.saturating_add(g.remaining))
    }

    /// All free cash on the ledger, expired grants whose expiry is not recorded yet included.
    pub fn free_total(&self) -> Krw {
        self.grants
            .iter()
            .fold(Krw::ZERO, |sum, g| sum.saturating_add(g.remaining))
    }

    /// What a usage at `now` can take without a card: usable free cash and paid cash.
    pub fn spendable(&self, now: i64) -> Krw {
        self.free_available(now).saturating_add(self.paid)
    }

    /// The grant with this id, when it has free cash left.
    pub fn grant(&self, id: GrantId) -> Option<&Grant> {
        self.grants.iter().find(|g| g.id == id)
    }
}

/// What the wallet's cards allow a usage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardStanding {
    /// A usable payment card is registered: usage beyond the cash accrues as an amount due.
    pub has_payment_card: bool,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn t(from: Account, to: Account, won: u32) -> Transfer {
        Transfer::new(from, to, Krw::won(won)).unwrap()
    }

    #[test]
    fn figures_come_from_the_transfers() {
        let (g1, g2, g3) = (GrantId::new(1), GrantId::new(2), GrantId::new(3));
        let transfers = [
            t(Account::Card, Account::PaidCash, 1_000),
            t(Account::Promotion, Account::FreeCash(g1), 300),
            t(Account::Promotion, Account::FreeCash(g2), 200),
            t(Account::Promotion, Account::FreeCash(g3), 100),
            t(Account::FreeCash(g3), Account::FreeUsed, 100),
            t(Account::AmountDue, Account::Revenue, 70),
            t(Account::Receivable, Account::AmountDue, 20),
        ];
        let expiries = HashMap::from([(g1, 500), (g2, 100), (g3, 50)]);
        let b = Balances::from_transfers(&transfers, &expiries);
        assert_eq!(b.paid, Krw::won(1_000));
        assert_eq!(b.due, Krw::won(50));
        assert_eq!(b.receivable, Krw::won(20));
        // g3 is spent, so it is not listed; g2 expires first.
        assert_eq!(
            b.grants,
            vec![
                Grant {
                    id: g2,
                    remaining: Krw::won(200),
                    expires_at: 100
                },
                Grant {
                    id: g1,
                    remaining: Krw::won(300),
                    expires_at: 500
                },
            ]
        );
        assert_eq!(b.free_total(), Krw::won(500));
        assert_eq!(b.free_available(99), Krw::won(500));
        // A grant expiring exactly now is no longer usable.
        assert_eq!(b.free_available(100), Krw::won(300));
        assert_eq!(b.free_available(500), Krw::ZERO);
        assert_eq!(b.spendable(100), Krw::won(1_300));
        assert_eq!(b.grant(g1).map(|g| g.remaining), Some(Krw::won(300)));
        assert_eq!(b.grant(g3), None);
    }

    #[test]
    fn a_grant_of_unknown_expiry_is_not_spendable() {
        let g = GrantId::new(9);
        let transfers = [t(Account::Promotion, Account::FreeCash(g), 300)];
        let b = Balances::from_transfers(&transfers, &HashMap::new());
        assert_eq!(b.grants[0].expires_at, i64::MIN);
        assert_eq!(b.free_available(i64::MIN), Krw::ZERO);
        assert_eq!(b.free_total(), Krw::won(300));
    }

    #[test]
    fn equal_expiries_order_by_id() {
        let expiries = HashMap::from([(GrantId::new(5), 10), (GrantId::new(2), 10)]);
        let transfers = [
            t(Account::Promotion, Account::FreeCash(GrantId::new(5)), 1),
            t(Account::Promotion, Account::FreeCash(GrantId::new(2)), 1),
        ];
        let b = Balances::from_transfers(&transfers, &expiries);
        let ids: Vec<i64> = b.grants.iter().map(|g| g.id.get()).collect();
        assert_eq!(ids, [2, 5]);
    }

    #[test]
    fn stored_sums_give_the_same_figures() {
        let g = GrantId::new(1);
        let expiries = HashMap::from([(g, 10)]);
        let sums = [
            (Account::PaidCash, 40),
            (Account::FreeCash(g), 5),
            (Account::AmountDue, -7),
            (Account::Receivable, 0),
            (Account::Card, -38),
        ];
        let b = Balances::from_account_balances(sums, &expiries);
        assert_eq!(b.paid, Krw::won(40));
        assert_eq!(b.due, Krw::won(7));
        assert_eq!(b.receivable, Krw::ZERO);
        assert_eq!(b.free_total(), Krw::won(5));
    }
}
