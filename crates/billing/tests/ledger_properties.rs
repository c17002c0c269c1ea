//! The ledger's invariants over random histories of a wallet: charges, grants with random
//! expiries, usages, settlements that succeed or fail, receivables paid, expiries, refunds,
//! cards registered and removed, time moving on, and retries of earlier keys.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use billing::{
    Account, Balances, BillingError, CardStanding, EntryKind, GrantId, IdempotencyKey, Krw, Ledger,
    Operation, Transfer, account_balances, audit, vat,
};
use proptest::prelude::*;

const HOUR: i64 = 3_600_000;
/// An arbitrary start, 2024-05-01T00:00:00Z.
const START: i64 = 1_714_521_600_000;

#[derive(Debug, Clone)]
enum Action {
    Charge(u32),
    /// Amount and expiry in hours from now (zero and below: expired at once).
    Grant(u32, i64),
    Use(u32),
    Settle,
    SettleFailed,
    PayReceivable,
    Expire,
    Refund(Option<u32>),
    Card(bool),
}

#[derive(Debug, Clone)]
struct Step {
    /// Hours the clock moves before the step: whole hours, so an expiry is often met exactly.
    advance: i64,
    action: Action,
    /// Retry under an earlier key (index into the keys used so far) instead of a new one.
    replay: Option<prop::sample::Index>,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0u32..3_000).prop_map(Action::Charge),
        3 => (0u32..1_000, -24i64..24 * 10).prop_map(|(a, h)| Action::Grant(a, h)),
        8 => (0u32..2_000).prop_map(Action::Use),
        2 => Just(Action::Settle),
        2 => Just(Action::SettleFailed),
        2 => Just(Action::PayReceivable),
        2 => Just(Action::Expire),
        1 => prop::option::of(0u32..2_000).prop_map(Action::Refund),
        1 => any::<bool>().prop_map(Action::Card),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        prop_oneof![3 => Just(0i64), 2 => 1i64..6, 1 => 6i64..72],
        action(),
        prop::option::weighted(0.2, any::<prop::sample::Index>()),
    )
        .prop_map(|(advance, action, replay)| Step {
            advance,
            action,
            replay,
        })
}

fn key(n: usize) -> IdempotencyKey {
    IdempotencyKey::parse(&format!("key-{n}")).unwrap()
}

fn card(has: bool) -> CardStanding {
    CardStanding {
        has_payment_card: has,
    }
}

/// The invariants every state of the ledger keeps.
fn check_state(ledger: &Ledger) -> Result<(), TestCaseError> {
    let sums = ledger.account_balances();
    prop_assert_eq!(sums.values().map(|b| i128::from(*b)).sum::<i128>(), 0);
    // The kept sums are the sums of the records.
    prop_assert_eq!(&account_balances(ledger.transfers()), sums);
    prop_assert_eq!(audit(sums), Ok(()));
    for (account, balance) in sums {
        match account {
            Account::PaidCash | Account::FreeCash(_) => prop_assert!(*balance >= 0, "{account}"),
            Account::AmountDue | Account::Receivable => prop_assert!(*balance <= 0, "{account}"),
            _ => {}
        }
    }
    for t in ledger.transfers() {
        prop_assert!(t.amount > Krw::ZERO);
        prop_assert!(t.from != t.to);
    }
    let b = ledger.balances(i64::MAX);
    prop_assert_eq!(
        b.paid.get(),
        sums.get(&Account::PaidCash).copied().unwrap_or(0)
    );
    prop_assert_eq!(
        b.due.get(),
        -sums.get(&Account::AmountDue).copied().unwrap_or(0)
    );
    Ok(())
}

/// A usage's transfers follow R5.2's order against the figures before it.
fn check_usage_order(
    before: &Balances,
    transfers: &[Transfer],
    amount: Krw,
    now: i64,
    has_card: bool,
) -> Result<(), TestCaseError> {
    let mut free_used: BTreeMap<GrantId, i64> = BTreeMap::new();
    let (mut paid_used, mut accrued) = (0i64, 0i64);
    for t in transfers {
        match (t.from, t.to) {
            (Account::FreeCash(g), Account::FreeUsed) => {
                *free_used.entry(g).or_default() += t.amount.get();
            }
            (Account::PaidCash, Account::Revenue) => paid_used += t.amount.get(),
            (Account::AmountDue, Account::Revenue) => accrued += t.amount.get(),
            other => prop_assert!(false, "a usage moved {:?}", other),
        }
    }
    let free_total: i64 = free_used.values().sum();
    prop_assert_eq!(free_total + paid_used + accrued, amount.get());

    let mut usable: Vec<_> = before
        .grants
        .iter()
        .filter(|g| now < g.expires_at)
        .collect();
    usable.sort_by_key(|g| (g.expires_at, g.id));
    for g in free_used.keys() {
        prop_assert!(
            usable.iter().any(|u| u.id == *g),
            "grant {} used while expired or empty",
            g
        );
    }
    // The soonest-expiring grant first: a grant is touched only when every grant before it is
    // spent.
    let mut earlier_spent = true;
    for g in &usable {
        let used = free_used.get(&g.id).copied().unwrap_or(0);
        prop_assert!(used <= g.remaining.get());
        if used > 0 {
            prop_assert!(
                earlier_spent,
                "grant {} used before an earlier one was spent",
                g.id
            );
        }
        earlier_spent &= used == g.remaining.get();
    }
    // No paid cash while usable free cash was left; no card while paid cash was left.
    if paid_used > 0 {
        prop_assert_eq!(free_total, before.free_available(now).get());
    }
    if accrued > 0 {
        prop_assert!(has_card, "accrued without a payment card");
        prop_assert_eq!(free_total, before.free_available(now).get());
        prop_assert_eq!(paid_used, before.paid.get());
    }
    if !has_card {
        prop_assert!(amount <= before.spendable(now));
    }
    Ok(())
}

fn operation(action: &Action, next_grant: &mut i64, now: i64) -> Option<Operation> {
    Some(match *action {
        Action::Charge(won) => Operation::ChargeCash {
            supply: Krw::won(won),
        },
        Action::Grant(won, hours) => {
            *next_grant += 1;
            Operation::Grant {
                grant: GrantId::new(*next_grant),
                amount: Krw::won(won),
                expires_at: now + hours * HOUR,
            }
        }
        Action::Use(won) => Operation::Use {
            amount: Krw::won(won),
        },
        Action::Settle => Operation::Settle,
        Action::SettleFailed => Operation::SettleFailed,
        Action::PayReceivable => Operation::PayReceivable,
        Action::Expire => Operation::Expire,
        Action::Refund(requested) => Operation::Refund {
            requested: requested.map(Krw::won),
        },
        Action::Card(_) => return None,
    })
}

fn run(steps: Vec<Step>, has_card: bool) -> Result<(), TestCaseError> {
    let mut ledger = Ledger::new(card(has_card));
    let mut now = START;
    let mut keys_used = 0usize;
    let mut next_grant = 0i64;
    let mut used_total = 0i64;

    for step in steps {
        now += step.advance * HOUR;
        if let Action::Card(has) = step.action {
            ledger.set_card(card(has));
            continue;
        }
        let Some(op) = operation(&step.action, &mut next_grant, now) else {
            continue;
        };
        let key = match step.replay {
            Some(i) if keys_used > 0 => key(i.index(keys_used)),
            _ => {
                keys_used += 1;
                key(keys_used - 1)
            }
        };
        let before = ledger.balances(i64::MAX);
        let entries_before = ledger.entries().to_vec();
        let sums_before = ledger.account_balances().clone();
        let earlier = ledger.entry(&key).cloned();
        let has_card = ledger.card().has_payment_card;

        let result = ledger.apply(key.clone(), op, now).cloned();
        check_state(&ledger)?;

        let unchanged = ledger.entries() == entries_before.as_slice()
            && *ledger.account_balances() == sums_before;
        if let Some(earlier) = earlier {
            // A retry changes nothing, and answers the first entry or says the key is taken.
            prop_assert!(unchanged, "a replayed key changed the ledger");
            if earlier.kind == op.kind() {
                prop_assert_eq!(result, Ok(earlier));
            } else {
                prop_assert_eq!(
                    result,
                    Err(BillingError::KeyReused {
                        key,
                        earlier: earlier.kind
                    })
                );
            }
            continue;
        }
        let entry = match result {
            Err(e) => {
                prop_assert!(unchanged, "a refusal ({}) changed the ledger", e.code());
                prop_assert!(ledger.entry(&key).is_none());
                if let Operation::Use { amount } = op {
                    match e {
                        BillingError::ReceivableOutstanding { receivable } => {
                            prop_assert_eq!(receivable, before.receivable);
                            prop_assert!(receivable > Krw::ZERO);
                        }
                        BillingError::InsufficientFunds { available, needed } => {
                            prop_assert!(!has_card);
                            prop_assert_eq!(before.receivable, Krw::ZERO);
                            prop_assert_eq!(available, before.spendable(now));
                            prop_assert_eq!(needed, amount);
                            prop_assert!(available < needed);
                        }
                        BillingError::NothingToRecord { .. } => {
                            prop_assert_eq!(amount, Krw::ZERO);
                        }
                        other => prop_assert!(false, "usage refused with {:?}", other),
                    }
                }
                continue;
            }
            Ok(entry) => entry,
        };
        prop_assert_eq!(entry.kind, op.kind());
        prop_assert_eq!(entry.at, now);
        prop_assert!(!entry.transfers.is_empty());
        let after = ledger.balances(i64::MAX);

        match op {
            Operation::Use { amount } => {
                // With a receivable outstanding every usage is refused.
                prop_assert_eq!(before.receivable, Krw::ZERO);
                check_usage_order(&before, &entry.transfers, amount, now, has_card)?;
                used_total += amount.get();
            }
            Operation::Expire => {
                for t in &entry.transfers {
                    let g = t.from.grant().expect("expiry from a grant");
                    let grant = before.grant(g).expect("a grant with cash");
                    prop_assert!(grant.expires_at <= now);
                    prop_assert_eq!(t.amount, grant.remaining);
                }
                prop_assert!(after.grants.iter().all(|g| now < g.expires_at));
            }
            Operation::Settle => {
                prop_assert_eq!(after.due, Krw::ZERO);
                prop_assert_eq!(after.receivable, before.receivable);
                let vat_of = |sums: &BTreeMap<Account, i64>| sums.get(&Account::Vat).copied();
                let vat_added = vat_of(ledger.account_balances()).unwrap_or(0)
                    - vat_of(&sums_before).unwrap_or(0);
                prop_assert_eq!(vat_added, vat(before.due).get());
            }
            Operation::SettleFailed => {
                prop_assert_eq!(after.due, Krw::ZERO);
                prop_assert_eq!(
                    after.receivable.get(),
                    before.receivable.get() + before.due.get()
                );
            }
            Operation::PayReceivable => {
                prop_assert_eq!(after.receivable, Krw::ZERO);
                prop_assert_eq!(after.due, before.due);
            }
            Operation::Refund { requested } => {
                let refunded = requested.unwrap_or(before.paid);
                prop_assert_eq!(after.paid.get(), before.paid.get() - refunded.get());
                // Free cash is never refunded.
                prop_assert_eq!(after.grants.clone(), before.grants.clone());
            }
            Operation::ChargeCash { supply } => {
                prop_assert_eq!(after.paid.get(), before.paid.get() + supply.get());
            }
            Operation::Grant { grant, amount, .. } => {
                prop_assert_eq!(after.grant(grant).map(|g| g.remaining), Some(amount));
            }
        }
    }

    // All consumption is either invoiced (Revenue) or given (FreeUsed).
    let sums = ledger.account_balances();
    let consumed = sums.get(&Account::Revenue).copied().unwrap_or(0)
        + sums.get(&Account::FreeUsed).copied().unwrap_or(0);
    prop_assert_eq!(consumed, used_total);
    check_statements(&ledger, now)?;
    Ok(())
}

/// A statement is exact: opening figures plus its lines are the closing figures, and periods
/// that meet add up.
fn check_statements(ledger: &Ledger, end: i64) -> Result<(), TestCaseError> {
    let mid = START + (end - START) / 2;
    let whole = ledger.statement(START, end + 1);
    let first = ledger.statement(START, mid);
    let second = ledger.statement(mid, end + 1);
    for s in [&whole, &first, &second] {
        let sum = |f: fn(&billing::StatementLine) -> i64| s.lines.iter().map(f).sum::<i64>();
        prop_assert_eq!(s.closing.paid.get() - s.opening.paid.get(), sum(|l| l.paid));
        prop_assert_eq!(
            s.closing.free_total().get() - s.opening.free_total().get(),
            sum(|l| l.free)
        );
        prop_assert_eq!(s.closing.due.get() - s.opening.due.get(), sum(|l| l.due));
        prop_assert_eq!(
            s.closing.receivable.get() - s.opening.receivable.get(),
            sum(|l| l.receivable)
        );
    }
    prop_assert_eq!(first.closing.clone(), second.opening.clone());
    prop_assert_eq!(first.lines.len() + second.lines.len(), whole.lines.len());
    prop_assert_eq!(
        first.consumed.get() + second.consumed.get(),
        whole.consumed.get()
    );
    prop_assert_eq!(
        whole.consumed.get(),
        ledger
            .account_balances()
            .get(&Account::Revenue)
            .copied()
            .unwrap_or(0)
    );
    prop_assert_eq!(whole.opening.clone(), Balances::default());
    prop_assert_eq!(whole.closing.clone(), ledger.balances(i64::MAX));
    let usages = ledger
        .entries()
        .iter()
        .filter(|e| e.kind == EntryKind::Usage)
        .count();
    prop_assert_eq!(
        whole
            .lines
            .iter()
            .filter(|l| l.kind == EntryKind::Usage)
            .count(),
        usages
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_histories_keep_the_ledger_rules(
        steps in prop::collection::vec(step(), 1..80),
        has_card in any::<bool>(),
    ) {
        run(steps, has_card)?;
    }

    /// Usage planned directly on random figures, including hand-built grant lists in any
    /// order: the consumption order holds and nothing is overdrawn.
    #[test]
    fn any_usage_follows_the_order(
        paid in 0u32..1_000,
        grants in prop::collection::vec((1i64..20, 0u32..500, -5i64..5), 0..6),
        amount in 0u32..3_000,
        now in -2i64..3,
        has_card in any::<bool>(),
        receivable in prop_oneof![3 => Just(0u32), 1 => 1u32..100],
    ) {
        let mut seen = std::collections::HashSet::new();
        let grants: Vec<billing::Grant> = grants
            .into_iter()
            .filter(|(id, remaining, _)| *remaining > 0 && seen.insert(*id))
            .map(|(id, remaining, expires_at)| billing::Grant {
                id: GrantId::new(id),
                remaining: Krw::won(remaining),
                expires_at,
            })
            .collect();
        let b = Balances {
            paid: Krw::won(paid),
            grants,
            due: Krw::ZERO,
            receivable: Krw::won(receivable),
        };
        let amount = Krw::won(amount);
        match billing::plan_usage(&b, amount, now, card(has_card)) {
            Ok(plan) => {
                prop_assert!(amount.is_zero() || b.receivable.is_zero());
                check_usage_order(&b, &plan, amount, now, has_card)?;
            }
            Err(BillingError::ReceivableOutstanding { .. }) => {
                prop_assert!(b.receivable > Krw::ZERO && amount > Krw::ZERO);
            }
            Err(BillingError::InsufficientFunds { available, needed }) => {
                prop_assert!(!has_card && b.receivable.is_zero());
                prop_assert!(available < needed);
            }
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }
}
