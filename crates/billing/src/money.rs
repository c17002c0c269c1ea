//! Money: whole Korean won as a non-negative integer, and the VAT on a supply value.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::BillingError;

/// An amount of whole Korean won, never negative. Signed figures (an account's balance, a
/// change in a statement) are plain `i64`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(into = "i64", try_from = "i64")]
pub struct Krw(i64);

impl Krw {
    pub const ZERO: Krw = Krw(0);
    /// The largest amount the ledger holds.
    pub const MAX: Krw = Krw(i64::MAX);

    /// An amount of won; a negative one is refused.
    pub const fn new(won: i64) -> Result<Krw, BillingError> {
        if won < 0 {
            Err(BillingError::NegativeAmount(won))
        } else {
            Ok(Krw(won))
        }
    }

    /// An amount known not to be negative by its type (constants, prices, tests).
    pub const fn won(won: u32) -> Krw {
        Krw(won as i64)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `None` past [`Krw::MAX`].
    pub const fn checked_add(self, other: Krw) -> Option<Krw> {
        match self.0.checked_add(other.0) {
            Some(sum) => Some(Krw(sum)),
            None => None,
        }
    }

    /// `None` when `other` is larger (an amount does not go below zero).
    pub const fn checked_sub(self, other: Krw) -> Option<Krw> {
        if other.0 > self.0 {
            None
        } else {
            Some(Krw(self.0 - other.0))
        }
    }

    /// Zero when `other` is larger.
    pub const fn saturating_sub(self, other: Krw) -> Krw {
        if other.0 > self.0 {
            Krw::ZERO
        } else {
            Krw(self.0 - other.0)
        }
    }

    /// [`Krw::MAX`] past it.
    pub const fn saturating_add(self, other: Krw) -> Krw {
        Krw(self.0.saturating_add(other.0))
    }

    /// The amount of a signed figure that is not negative; zero for one that is.
    pub const fn clamp_from(figure: i64) -> Krw {
        if figure < 0 { Krw::ZERO } else { Krw(figure) }
    }
}

impl TryFrom<i64> for Krw {
    type Error = BillingError;

    fn try_from(won: i64) -> Result<Krw, BillingError> {
        Krw::new(won)
    }
}

impl From<Krw> for i64 {
    fn from(amount: Krw) -> i64 {
        amount.0
    }
}

impl From<u32> for Krw {
    fn from(won: u32) -> Krw {
        Krw::won(won)
    }
}

/// Digits grouped by thousands (`1,234,567`), as Korean receipts and screens show won.
impl fmt::Display for Krw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        f.pad(&out)
    }
}

/// A whole number of won, zero or more, in the API's documents.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Krw {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0))
            .description(Some(
                "Whole Korean won, VAT excluded unless the field says otherwise",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Krw {}

/// The VAT on a supply value: a tenth, rounded down to the won (원 미만 절사).
pub const fn vat(supply: Krw) -> Krw {
    Krw(supply.0 / 10)
}

/// What a card pays for `supply`: the supply value and its [`vat`]. Saturates at [`Krw::MAX`],
/// some nine quintillion won beyond any real payment.
pub const fn gross(supply: Krw) -> Krw {
    supply.saturating_add(vat(supply))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn negative_amounts_are_refused() {
        assert_eq!(Krw::new(-1), Err(BillingError::NegativeAmount(-1)));
        assert_eq!(Krw::new(0), Ok(Krw::ZERO));
        assert_eq!(Krw::new(i64::MAX).unwrap(), Krw::MAX);
        assert!(serde_json::from_str::<Krw>("-5").is_err());
        assert!(serde_json::from_str::<Krw>("1.5").is_err());
    }

    #[test]
    fn serde_is_a_plain_integer() {
        assert_eq!(serde_json::to_string(&Krw::won(1_500)).unwrap(), "1500");
        assert_eq!(
            serde_json::from_str::<Krw>("1500").unwrap(),
            Krw::won(1_500)
        );
    }

    #[test]
    fn arithmetic_never_goes_below_zero_or_wraps() {
        let a = Krw::won(10);
        assert_eq!(a.checked_sub(Krw::won(11)), None);
        assert_eq!(a.checked_sub(Krw::won(10)), Some(Krw::ZERO));
        assert_eq!(a.saturating_sub(Krw::won(11)), Krw::ZERO);
        assert_eq!(a.saturating_sub(Krw::won(3)), Krw::won(7));
        assert_eq!(a.checked_add(Krw::won(5)), Some(Krw::won(15)));
        assert_eq!(Krw::MAX.checked_add(Krw::won(1)), None);
        assert_eq!(Krw::MAX.saturating_add(Krw::won(1)), Krw::MAX);
        assert_eq!(Krw::clamp_from(-3), Krw::ZERO);
        assert_eq!(Krw::clamp_from(3), Krw::won(3));
    }

    #[test]
    fn display_groups_thousands() {
        let shown = |n: i64| Krw::new(n).unwrap().to_string();
        assert_eq!(shown(0), "0");
        assert_eq!(shown(999), "999");
        assert_eq!(shown(1_000), "1,000");
        assert_eq!(shown(15_000), "15,000");
        assert_eq!(shown(500_000), "500,000");
        assert_eq!(shown(1_234_567), "1,234,567");
        assert_eq!(shown(i64::MAX), "9,223,372,036,854,775,807");
        assert_eq!(format!("{:>7}", Krw::won(1_000)), "  1,000");
    }

    #[test]
    fn vat_is_a_tenth_rounded_down() {
        assert_eq!(vat(Krw::won(15)), Krw::won(1));
        assert_eq!(vat(Krw::won(9)), Krw::ZERO);
        assert_eq!(vat(Krw::won(10)), Krw::won(1));
        assert_eq!(vat(Krw::won(19)), Krw::won(1));
        assert_eq!(vat(Krw::won(10_000)), Krw::won(1_000));
        assert_eq!(gross(Krw::won(10_000)), Krw::won(11_000));
        assert_eq!(gross(Krw::won(15)), Krw::won(16));
        assert_eq!(gross(Krw::ZERO), Krw::ZERO);
        assert_eq!(gross(Krw::MAX), Krw::MAX);
    }
}
