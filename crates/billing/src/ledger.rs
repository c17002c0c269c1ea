//! The double-entry records: accounts, transfers between them, entries under an idempotency
//! key, and an account's balance as the sum of what reached it minus what left it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::BillingError;
use crate::ids::{GrantId, IdempotencyKey};
use crate::money::Krw;

/// Where money is. The first four are the wallet's own figures; the others are counter
/// accounts that say where money came from or went (their balances are of any sign).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "AccountRepr", into = "AccountRepr")]
pub enum Account {
    /// Paid cash the customer bought: balance ≥ 0.
    PaidCash,
    /// The unspent part of one grant of free cash: balance ≥ 0.
    FreeCash(GrantId),
    /// Card usage not yet charged, owed: balance ≤ 0, the amount due is its negation.
    AmountDue,
    /// Settlements whose charge failed, owed: balance ≤ 0, the receivable is its negation.
    Receivable,
    /// Money from card payments (paid cash bought, settlements, receivables paid).
    Card,
    /// Consumption paid by paid cash or by card: what is invoiced.
    Revenue,
    /// The source of free cash.
    Promotion,
    /// Consumption paid by free cash (not invoiced).
    FreeUsed,
    /// Free cash that expired unused.
    Expired,
    /// Paid cash (and its VAT) returned to the customer.
    Refund,
    /// VAT collected with card payments (less what refunds returned).
    Vat,
}

impl Account {
    /// Every account code, in declaration order.
    pub const CODES: [&'static str; 11] = [
        "paid",
        "free",
        "due",
        "receivable",
        "card",
        "revenue",
        "promotion",
        "free_used",
        "expired",
        "refund",
        "vat",
    ];

    /// The stable code the store keeps (with [`Account::grant`] in a second column).
    pub const fn code(&self) -> &'static str {
        match self {
            Account::PaidCash => "paid",
            Account::FreeCash(_) => "free",
            Account::AmountDue => "due",
            Account::Receivable => "receivable",
            Account::Card => "card",
            Account::Revenue => "revenue",
            Account::Promotion => "promotion",
            Account::FreeUsed => "free_used",
            Account::Expired => "expired",
            Account::Refund => "refund",
            Account::Vat => "vat",
        }
    }

    /// The grant of a free-cash account; `None` for every other account.
    pub const fn grant(&self) -> Option<GrantId> {
        match self {
            Account::FreeCash(grant) => Some(*grant),
            _ => None,
        }
    }

    /// The account of a stored code and grant: `free` needs a grant, every other code refuses
    /// one.
    pub fn from_parts(code: &str, grant: Option<GrantId>) -> Result<Account, BillingError> {
        let account = match code {
            "paid" => Account::PaidCash,
            "free" => {
                return grant.map(Account::FreeCash).ok_or_else(|| {
                    BillingError::InvalidAccount("free cash needs its grant id".into())
                });
            }
            "due" => Account::AmountDue,
            "receivable" => Account::Receivable,
            "card" => Account::Card,
            "revenue" => Account::Revenue,
            "promotion" => Account::Promotion,
            "free_used" => Account::FreeUsed,
            "expired" => Account::Expired,
            "refund" => Account::Refund,
            "vat" => Account::Vat,
            other => {
                return Err(BillingError::InvalidAccount(format!(
                    "{other:?} is not an account"
                )));
            }
        };
        match grant {
            None => Ok(account),
            Some(g) => Err(BillingError::InvalidAccount(format!(
                "{code} has no grant, but grant {g} was given"
            ))),
        }
    }

    /// Which way the account may lean: `Some(true)` for the customer's cash (never below
    /// zero), `Some(false)` for what the customer owes (never above zero), `None` for counter
    /// accounts.
    const fn holds_cash(&self) -> Option<bool> {
        match self {
            Account::PaidCash | Account::FreeCash(_) => Some(true),
            Account::AmountDue | Account::Receivable => Some(false),
            _ => None,
        }
    }
}

/// `paid`, `due`, … and `free:7` for a grant's account.
impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.grant() {
            Some(grant) => write!(f, "{}:{grant}", self.code()),
            None => f.write_str(self.code()),
        }
    }
}

/// An account in JSON: `{"code": "free", "grant": 7}`, `{"code": "paid"}` (the store's two
/// columns).
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
struct AccountRepr {
    /// `paid`, `free`, `due`, `receivable`, `card`, `revenue`, `promotion`, `free_used`,
    /// `expired`, `refund` or `vat`.
    code: String,
    /// The grant of free cash (`free` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grant: Option<GrantId>,
}

impl TryFrom<AccountRepr> for Account {
    type Error = BillingError;

    fn try_from(repr: AccountRepr) -> Result<Self, Self::Error> {
        Account::from_parts(&repr.code, repr.grant)
    }
}

impl From<Account> for AccountRepr {
    fn from(account: Account) -> Self {
        AccountRepr {
            code: account.code().to_owned(),
            grant: account.grant(),
        }
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Account {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <AccountRepr as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Account {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <AccountRepr as utoipa::ToSchema>::schemas(schemas);
    }
}

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Paid cash bought by card.
    CashCharged,
    /// Free cash granted.
    FreeGranted,
    /// A billed feature used (free cash, paid cash, then the card's amount due).
    Usage,
    /// The amount due charged by card.
    Settled,
    /// The amount due whose charge failed became a receivable.
    SettlementFailed,
    /// The receivable charged by card.
    ReceivablePaid,
    /// Free cash whose grant expired.
    FreeExpired,
    /// Unused paid cash returned.
    Refunded,
}

impl EntryKind {
    pub const ALL: [EntryKind; 8] = [
        EntryKind::CashCharged,
        EntryKind::FreeGranted,
        EntryKind::Usage,
        EntryKind::Settled,
        EntryKind::SettlementFailed,
        EntryKind::ReceivablePaid,
        EntryKind::FreeExpired,
        EntryKind::Refunded,
    ];

    /// The stable snake_case code (the serde form too).
    pub const fn code(self) -> &'static str {
        match self {
            EntryKind::CashCharged => "cash_charged",
            EntryKind::FreeGranted => "free_granted",
            EntryKind::Usage => "usage",
            EntryKind::Settled => "settled",
            EntryKind::SettlementFailed => "settlement_failed",
            EntryKind::ReceivablePaid => "receivable_paid",
            EntryKind::FreeExpired => "free_expired",
            EntryKind::Refunded => "refunded",
        }
    }

    pub fn parse(code: &str) -> Result<EntryKind, BillingError> {
        EntryKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| BillingError::UnknownEntryKind(code.to_owned()))
    }
}

impl std::str::FromStr for EntryKind {
    type Err = BillingError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EntryKind::parse(s)
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// `amount` moved from one account to another. The planners build transfers only through
/// [`Transfer::new`], so the amount is above zero and the accounts differ; the fields are
/// public for the store, which reads them back from its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Transfer {
    pub from: Account,
    pub to: Account,
    pub amount: Krw,
}

impl Transfer {
    /// A transfer of a positive amount between two accounts; `None` for a zero amount or an
    /// account to itself, which move nothing.
    pub fn new(from: Account, to: Account, amount: Krw) -> Option<Transfer> {
        (!amount.is_zero() && from != to).then_some(Transfer { from, to, amount })
    }

    /// The transfer as two signed postings, `from` first: `(from, -amount)`, `(to, amount)`.
    pub fn postings(&self) -> [(Account, i64); 2] {
        [
            (self.from, -self.amount.get()),
            (self.to, self.amount.get()),
        ]
    }
}

/// Appends the transfer unless it moves nothing.
pub(crate) fn push(plan: &mut Vec<Transfer>, from: Account, to: Account, amount: Krw) {
    plan.extend(Transfer::new(from, to, amount));
}

/// One recorded movement: its transfers happen together, once per key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    pub key: IdempotencyKey,
    pub kind: EntryKind,
    /// When it was recorded, in milliseconds since the Unix epoch.
    pub at: i64,
    pub transfers: Vec<Transfer>,
}

/// Sums with room to spare, so that no order of transfers overflows on the way.
fn sums<'a>(transfers: impl IntoIterator<Item = &'a Transfer>) -> BTreeMap<Account, i128> {
    let mut sums: BTreeMap<Account, i128> = BTreeMap::new();
    for t in transfers {
        for (account, amount) in t.postings() {
            *sums.entry(account).or_default() += i128::from(amount);
        }
    }
    sums
}

fn saturate(sum: i128) -> i64 {
    i64::try_from(sum).unwrap_or(if sum < 0 { i64::MIN } else { i64::MAX })
}

/// The balance of every account the transfers touch: what reached it minus what left it.
/// A balance past the range of `i64` (beyond any real ledger) saturates.
pub fn account_balances<'a>(
    transfers: impl IntoIterator<Item = &'a Transfer>,
) -> BTreeMap<Account, i64> {
    sums(transfers)
        .into_iter()
        .map(|(account, sum)| (account, saturate(sum)))
        .collect()
}

/// The balance of one account.
pub fn balance_of<'a>(transfers: impl IntoIterator<Item = &'a Transfer>, account: Account) -> i64 {
    let sum: i128 = transfers
        .into_iter()
        .map(|t| {
            let amount = i128::from(t.amount.get());
            match (t.from == account, t.to == account) {
                (true, false) => -amount,
                (false, true) => amount,
                _ => 0,
            }
        })
        .sum();
    saturate(sum)
}

/// Checks account balances (the store's kept sums, or [`account_balances`]) against what the
/// planners guarantee: they sum to zero, the customer's cash is not below zero and what the
/// customer owes is not below zero.
pub fn audit(balances: &BTreeMap<Account, i64>) -> Result<(), BillingError> {
    let total: i128 = balances.values().map(|b| i128::from(*b)).sum();
    if total != 0 {
        return Err(BillingError::LedgerInconsistent(format!(
            "the balances sum to {total}, not 0"
        )));
    }
    for (account, balance) in balances {
        match account.holds_cash() {
            Some(true) if *balance < 0 => {
                return Err(BillingError::LedgerInconsistent(format!(
                    "{account} holds {balance}, below zero"
                )));
            }
            Some(false) if *balance > 0 => {
                return Err(BillingError::LedgerInconsistent(format!(
                    "{account} holds {balance}: the customer would be owed by it"
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn all_accounts() -> Vec<Account> {
        vec![
            Account::PaidCash,
            Account::FreeCash(GrantId::new(7)),
            Account::AmountDue,
            Account::Receivable,
            Account::Card,
            Account::Revenue,
            Account::Promotion,
            Account::FreeUsed,
            Account::Expired,
            Account::Refund,
            Account::Vat,
        ]
    }

    #[test]
    fn accounts_round_trip_through_their_parts() {
        let accounts = all_accounts();
        let codes: Vec<&str> = accounts.iter().map(Account::code).collect();
        assert_eq!(codes, Account::CODES);
        for account in accounts {
            assert_eq!(
                Account::from_parts(account.code(), account.grant()),
                Ok(account)
            );
            let json = serde_json::to_string(&account).unwrap();
            assert_eq!(serde_json::from_str::<Account>(&json).unwrap(), account);
        }
        assert_eq!(
            serde_json::to_string(&Account::FreeCash(GrantId::new(7))).unwrap(),
            r#"{"code":"free","grant":7}"#
        );
        assert_eq!(
            serde_json::to_string(&Account::PaidCash).unwrap(),
            r#"{"code":"paid"}"#
        );
        assert_eq!(Account::FreeCash(GrantId::new(7)).to_string(), "free:7");
        assert_eq!(Account::Vat.to_string(), "vat");
    }

    #[test]
    fn parts_that_name_no_account_are_refused() {
        let refused = |code: &str, grant: Option<i64>| {
            matches!(
                Account::from_parts(code, grant.map(GrantId::new)),
                Err(BillingError::InvalidAccount(_))
            )
        };
        assert!(refused("free", None));
        assert!(refused("paid", Some(1)));
        assert!(refused("cash", None));
        assert!(refused("", None));
        assert!(refused("PAID", None));
        assert!(serde_json::from_str::<Account>(r#"{"code":"free"}"#).is_err());
    }

    #[test]
    fn entry_kinds_round_trip() {
        for kind in EntryKind::ALL {
            assert_eq!(EntryKind::parse(kind.code()), Ok(kind));
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.code())
            );
            assert_eq!(kind.to_string(), kind.code());
        }
        assert_eq!(
            EntryKind::parse("charged"),
            Err(BillingError::UnknownEntryKind("charged".into()))
        );
    }

    #[test]
    fn a_transfer_that_moves_nothing_is_not_made() {
        assert_eq!(
            Transfer::new(Account::Card, Account::PaidCash, Krw::ZERO),
            None
        );
        assert_eq!(
            Transfer::new(Account::PaidCash, Account::PaidCash, Krw::won(5)),
            None
        );
        let t = Transfer::new(Account::Card, Account::PaidCash, Krw::won(5)).unwrap();
        assert_eq!(t.postings(), [(Account::Card, -5), (Account::PaidCash, 5)]);
    }

    #[test]
    fn balances_are_sums_and_sum_to_zero() {
        let grant = Account::FreeCash(GrantId::new(1));
        let transfers = [
            Transfer::new(Account::Card, Account::PaidCash, Krw::won(1_000)).unwrap(),
            Transfer::new(Account::Card, Account::Vat, Krw::won(100)).unwrap(),
            Transfer::new(Account::Promotion, grant, Krw::won(50)).unwrap(),
            Transfer::new(grant, Account::FreeUsed, Krw::won(30)).unwrap(),
            Transfer::new(Account::PaidCash, Account::Revenue, Krw::won(200)).unwrap(),
        ];
        let balances = account_balances(&transfers);
        assert_eq!(balances[&Account::PaidCash], 800);
        assert_eq!(balances[&grant], 20);
        assert_eq!(balances[&Account::Card], -1_100);
        assert_eq!(balance_of(&transfers, Account::PaidCash), 800);
        assert_eq!(balance_of(&transfers, Account::Refund), 0);
        assert_eq!(balances.values().sum::<i64>(), 0);
        assert_eq!(audit(&balances), Ok(()));
    }

    #[test]
    fn audit_finds_what_the_planners_never_make() {
        let mut overdrawn = BTreeMap::new();
        overdrawn.insert(Account::PaidCash, -5);
        overdrawn.insert(Account::Revenue, 5);
        assert!(audit(&overdrawn).is_err());
        let mut owed_to_customer = BTreeMap::new();
        owed_to_customer.insert(Account::AmountDue, 5);
        owed_to_customer.insert(Account::Card, -5);
        assert!(audit(&owed_to_customer).is_err());
        let mut unbalanced = BTreeMap::new();
        unbalanced.insert(Account::PaidCash, 5);
        assert!(audit(&unbalanced).is_err());
    }

    #[test]
    fn huge_balances_saturate_instead_of_wrapping() {
        let t = Transfer::new(Account::Card, Account::PaidCash, Krw::MAX).unwrap();
        let balances = account_balances([&t, &t]);
        assert_eq!(balances[&Account::PaidCash], i64::MAX);
        assert_eq!(balances[&Account::Card], i64::MIN);
    }
}
