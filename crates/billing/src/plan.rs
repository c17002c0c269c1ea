//! The planners: each turns the wallet's figures and a request into the transfers of one
//! entry, or refuses. They decide; the caller records the entry under its idempotency key.

use crate::balances::{Balances, CardStanding};
use crate::error::BillingError;
use crate::ids::GrantId;
use crate::ledger::{Account, Transfer, push};
use crate::money::{Krw, vat};

/// The amount due that is charged at once rather than at the next daily settlement (Kakao's
/// figure, R5.2); a wallet may set its own.
pub const DEFAULT_SETTLEMENT_THRESHOLD: Krw = Krw::won(500_000);

/// Whether billed features may be used at all: not while a receivable is unpaid (R5.2).
pub fn check_billable(b: &Balances) -> Result<(), BillingError> {
    if b.receivable.is_zero() {
        Ok(())
    } else {
        Err(BillingError::ReceivableOutstanding {
            receivable: b.receivable,
        })
    }
}

/// The transfers of a usage of `amount` at `now` (R5.2): usable free cash first, the grant that
/// expires soonest first (then the lower id), then paid cash, then, with a payment card, the
/// rest accrues as the amount due.
///
/// Refused whole, with nothing consumed, when a receivable is unpaid or, without a payment
/// card, when the cash does not cover it. A usage of zero plans nothing and is not refused:
/// nothing is billed.
pub fn plan_usage(
    b: &Balances,
    amount: Krw,
    now: i64,
    card: CardStanding,
) -> Result<Vec<Transfer>, BillingError> {
    if amount.is_zero() {
        return Ok(Vec::new());
    }
    check_billable(b)?;
    let available = b.spendable(now);
    if !card.has_payment_card && available < amount {
        return Err(BillingError::InsufficientFunds {
            available,
            needed: amount,
        });
    }
    let mut plan = Vec::new();
    let mut rest = amount;
    let mut usable: Vec<_> = b.grants.iter().filter(|g| g.usable_at(now)).collect();
    // `Balances` lists grants in this order already; sorting again keeps the rule true for
    // figures a caller built by hand.
    usable.sort_by_key(|g| (g.expires_at, g.id));
    for grant in usable {
        let take = rest.min(grant.remaining);
        push(
            &mut plan,
            Account::FreeCash(grant.id),
            Account::FreeUsed,
            take,
        );
        rest = rest.saturating_sub(take);
    }
    let take = rest.min(b.paid);
    push(&mut plan, Account::PaidCash, Account::Revenue, take);
    rest = rest.saturating_sub(take);
    push(&mut plan, Account::AmountDue, Account::Revenue, rest);
    Ok(plan)
}

/// Paid cash bought by card: the card pays `supply` and its VAT.
pub fn plan_cash_charge(supply: Krw) -> Vec<Transfer> {
    let mut plan = Vec::new();
    push(&mut plan, Account::Card, Account::PaidCash, supply);
    push(&mut plan, Account::Card, Account::Vat, vat(supply));
    plan
}

/// Free cash granted under its own account (its expiry is the caller's to keep).
pub fn plan_grant(grant: GrantId, amount: Krw) -> Vec<Transfer> {
    let mut plan = Vec::new();
    push(
        &mut plan,
        Account::Promotion,
        Account::FreeCash(grant),
        amount,
    );
    plan
}

/// Every grant with free cash left whose expiry is at or before `now` expires whole, the
/// earliest expiry first.
pub fn plan_expiry(b: &Balances, now: i64) -> Vec<Transfer> {
    let mut plan = Vec::new();
    let mut expired: Vec<_> = b.grants.iter().filter(|g| !g.usable_at(now)).collect();
    expired.sort_by_key(|g| (g.expires_at, g.id));
    for grant in expired {
        push(
            &mut plan,
            Account::FreeCash(grant.id),
            Account::Expired,
            grant.remaining,
        );
    }
    plan
}

/// The amount due charged by card, with its VAT: the amount due goes back to zero.
pub fn plan_settled(due: Krw) -> Vec<Transfer> {
    let mut plan = Vec::new();
    push(&mut plan, Account::Card, Account::AmountDue, due);
    push(&mut plan, Account::Card, Account::Vat, vat(due));
    plan
}

/// The charge of the amount due failed on every card: the amount due goes back to zero and
/// the receivable grows by it.
pub fn plan_settlement_failed(due: Krw) -> Vec<Transfer> {
    let mut plan = Vec::new();
    push(&mut plan, Account::Receivable, Account::AmountDue, due);
    plan
}

/// `amount` of the receivable charged by card, with its VAT.
pub fn plan_receivable_paid(amount: Krw) -> Vec<Transfer> {
    let mut plan = Vec::new();
    push(&mut plan, Account::Card, Account::Receivable, amount);
    push(&mut plan, Account::Card, Account::Vat, vat(amount));
    plan
}

/// Unused paid cash returned with its VAT (R5.2: paid cash only; free cash is never refunded):
/// `requested`, or all of it for `None`. A request of zero plans nothing.
///
/// The VAT returned is that of the refunded amount, rounded down like any VAT; it matches what
/// was collected whenever charges and refunds are in tens of won.
pub fn plan_refund(b: &Balances, requested: Option<Krw>) -> Result<Vec<Transfer>, BillingError> {
    if b.paid.is_zero() {
        return Err(BillingError::NothingToRefund);
    }
    let amount = requested.unwrap_or(b.paid);
    if amount > b.paid {
        return Err(BillingError::RefundOverBalance {
            paid: b.paid,
            requested: amount,
        });
    }
    let mut plan = Vec::new();
    push(&mut plan, Account::PaidCash, Account::Refund, amount);
    push(&mut plan, Account::Vat, Account::Refund, vat(amount));
    Ok(plan)
}

/// Whether the amount due is charged now rather than at the daily settlement: it has reached
/// the threshold. Nothing due is never charged, whatever the threshold.
pub fn should_settle_now(due: Krw, threshold: Krw) -> bool {
    !due.is_zero() && due >= threshold
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::balances::Grant;

    const CARD: CardStanding = CardStanding {
        has_payment_card: true,
    };
    const NO_CARD: CardStanding = CardStanding {
        has_payment_card: false,
    };

    fn grant(id: i64, remaining: u32, expires_at: i64) -> Grant {
        Grant {
            id: GrantId::new(id),
            remaining: Krw::won(remaining),
            expires_at,
        }
    }

    fn tr(from: Account, to: Account, won: u32) -> Transfer {
        Transfer {
            from,
            to,
            amount: Krw::won(won),
        }
    }

    fn free(id: i64) -> Account {
        Account::FreeCash(GrantId::new(id))
    }

    fn wallet() -> Balances {
        Balances {
            paid: Krw::won(100),
            grants: vec![grant(1, 30, 2_000), grant(2, 20, 1_000)],
            due: Krw::ZERO,
            receivable: Krw::ZERO,
        }
    }

    #[test]
    fn usage_takes_the_soonest_expiring_grant_first() {
        let plan = plan_usage(&wallet(), Krw::won(25), 0, NO_CARD).unwrap();
        assert_eq!(
            plan,
            [
                tr(free(2), Account::FreeUsed, 20),
                tr(free(1), Account::FreeUsed, 5)
            ]
        );
    }

    #[test]
    fn usage_then_takes_paid_cash_then_the_card() {
        let plan = plan_usage(&wallet(), Krw::won(200), 0, CARD).unwrap();
        assert_eq!(
            plan,
            [
                tr(free(2), Account::FreeUsed, 20),
                tr(free(1), Account::FreeUsed, 30),
                tr(Account::PaidCash, Account::Revenue, 100),
                tr(Account::AmountDue, Account::Revenue, 50),
            ]
        );
    }

    #[test]
    fn a_grant_expiring_exactly_now_is_not_used() {
        let plan = plan_usage(&wallet(), Krw::won(25), 1_000, NO_CARD).unwrap();
        assert_eq!(plan, [tr(free(1), Account::FreeUsed, 25)]);
        let plan = plan_usage(&wallet(), Krw::won(25), 999, NO_CARD).unwrap();
        assert_eq!(plan[0], tr(free(2), Account::FreeUsed, 20));
    }

    #[test]
    fn equal_expiries_use_the_lower_grant_id_first() {
        let b = Balances {
            grants: vec![grant(9, 10, 500), grant(3, 10, 500)],
            ..Balances::default()
        };
        let plan = plan_usage(&b, Krw::won(15), 0, NO_CARD).unwrap();
        assert_eq!(
            plan,
            [
                tr(free(3), Account::FreeUsed, 10),
                tr(free(9), Account::FreeUsed, 5)
            ]
        );
    }

    #[test]
    fn usage_of_exactly_the_cash_needs_no_card() {
        let plan = plan_usage(&wallet(), Krw::won(150), 0, NO_CARD).unwrap();
        assert_eq!(plan.len(), 3);
        assert!(plan.iter().all(|t| t.from != Account::AmountDue));
        let err = plan_usage(&wallet(), Krw::won(151), 0, NO_CARD).unwrap_err();
        assert_eq!(
            err,
            BillingError::InsufficientFunds {
                available: Krw::won(150),
                needed: Krw::won(151)
            }
        );
        // Expired free cash does not count as available.
        let err = plan_usage(&wallet(), Krw::won(150), 1_000, NO_CARD).unwrap_err();
        assert_eq!(
            err,
            BillingError::InsufficientFunds {
                available: Krw::won(130),
                needed: Krw::won(150)
            }
        );
    }

    #[test]
    fn paid_cash_before_the_card() {
        let b = Balances {
            paid: Krw::won(10),
            ..Balances::default()
        };
        let plan = plan_usage(&b, Krw::won(10), 0, CARD).unwrap();
        assert_eq!(plan, [tr(Account::PaidCash, Account::Revenue, 10)]);
        let plan = plan_usage(&Balances::default(), Krw::won(15), 0, CARD).unwrap();
        assert_eq!(plan, [tr(Account::AmountDue, Account::Revenue, 15)]);
    }

    #[test]
    fn a_receivable_stops_usage_whatever_the_cash() {
        let b = Balances {
            receivable: Krw::won(1),
            ..wallet()
        };
        let refused = BillingError::ReceivableOutstanding {
            receivable: Krw::won(1),
        };
        assert_eq!(plan_usage(&b, Krw::won(1), 0, CARD), Err(refused.clone()));
        assert_eq!(check_billable(&b), Err(refused));
        assert_eq!(check_billable(&wallet()), Ok(()));
    }

    #[test]
    fn a_usage_of_zero_plans_nothing() {
        assert_eq!(
            plan_usage(&Balances::default(), Krw::ZERO, 0, NO_CARD),
            Ok(vec![])
        );
    }

    #[test]
    fn a_cash_charge_collects_vat() {
        assert_eq!(
            plan_cash_charge(Krw::won(10_000)),
            [
                tr(Account::Card, Account::PaidCash, 10_000),
                tr(Account::Card, Account::Vat, 1_000)
            ]
        );
        // VAT of less than a won is dropped, and so is its transfer.
        assert_eq!(
            plan_cash_charge(Krw::won(9)),
            [tr(Account::Card, Account::PaidCash, 9)]
        );
        assert!(plan_cash_charge(Krw::ZERO).is_empty());
    }

    #[test]
    fn grants_and_expiries() {
        assert_eq!(
            plan_grant(GrantId::new(4), Krw::won(300)),
            [tr(Account::Promotion, free(4), 300)]
        );
        assert!(plan_grant(GrantId::new(4), Krw::ZERO).is_empty());
        let b = wallet();
        assert!(plan_expiry(&b, 999).is_empty());
        assert_eq!(plan_expiry(&b, 1_000), [tr(free(2), Account::Expired, 20)]);
        assert_eq!(
            plan_expiry(&b, 5_000),
            [
                tr(free(2), Account::Expired, 20),
                tr(free(1), Account::Expired, 30)
            ]
        );
    }

    #[test]
    fn settlements() {
        assert_eq!(
            plan_settled(Krw::won(15)),
            [
                tr(Account::Card, Account::AmountDue, 15),
                tr(Account::Card, Account::Vat, 1)
            ]
        );
        assert_eq!(
            plan_settlement_failed(Krw::won(15)),
            [tr(Account::Receivable, Account::AmountDue, 15)]
        );
        assert_eq!(
            plan_receivable_paid(Krw::won(15)),
            [
                tr(Account::Card, Account::Receivable, 15),
                tr(Account::Card, Account::Vat, 1)
            ]
        );
        assert!(plan_settled(Krw::ZERO).is_empty());
    }

    #[test]
    fn refunds_return_paid_cash_only() {
        let b = wallet();
        assert_eq!(
            plan_refund(&b, None).unwrap(),
            [
                tr(Account::PaidCash, Account::Refund, 100),
                tr(Account::Vat, Account::Refund, 10)
            ]
        );
        assert_eq!(
            plan_refund(&b, Some(Krw::won(15))).unwrap(),
            [
                tr(Account::PaidCash, Account::Refund, 15),
                tr(Account::Vat, Account::Refund, 1)
            ]
        );
        assert_eq!(plan_refund(&b, Some(Krw::won(100))), plan_refund(&b, None));
        assert_eq!(
            plan_refund(&b, Some(Krw::won(101))),
            Err(BillingError::RefundOverBalance {
                paid: Krw::won(100),
                requested: Krw::won(101)
            })
        );
        assert_eq!(plan_refund(&b, Some(Krw::ZERO)), Ok(vec![]));
        // Free cash alone is nothing to refund.
        let free_only = Balances {
            paid: Krw::ZERO,
            ..wallet()
        };
        assert_eq!(
            plan_refund(&free_only, None),
            Err(BillingError::NothingToRefund)
        );
    }

    #[test]
    fn settling_at_the_threshold() {
        let t = DEFAULT_SETTLEMENT_THRESHOLD;
        assert!(!should_settle_now(Krw::won(499_999), t));
        assert!(should_settle_now(Krw::won(500_000), t));
        assert!(should_settle_now(Krw::won(500_001), t));
        assert!(!should_settle_now(Krw::ZERO, Krw::ZERO));
        assert!(should_settle_now(Krw::won(1), Krw::ZERO));
    }
}
