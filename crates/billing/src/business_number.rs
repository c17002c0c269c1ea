//! The business registration number (사업자등록번호) a tax invoice is issued to (R5.4).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::BillingError;

/// Ten digits, `123-45-67890` when written, whose last digit checks the other nine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BusinessNumber([u8; 10]);

const WEIGHTS: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];

impl BusinessNumber {
    /// `1234567890` or `123-45-67890`, surrounding spaces ignored; the check digit must match.
    pub fn parse(s: &str) -> Result<BusinessNumber, BillingError> {
        let s = s.trim();
        let refuse = |why: &str| Err(BillingError::InvalidBusinessNumber(why.to_owned()));
        let compact: String = match s.len() {
            10 => s.to_owned(),
            12 if s.as_bytes()[3] == b'-' && s.as_bytes()[6] == b'-' => s.replacen('-', "", 2),
            _ => return refuse("expected 10 digits, as 1234567890 or 123-45-67890"),
        };
        let mut digits = [0u8; 10];
        for (slot, c) in digits.iter_mut().zip(compact.bytes()) {
            if !c.is_ascii_digit() {
                return refuse("expected 10 digits, as 1234567890 or 123-45-67890");
            }
            *slot = c - b'0';
        }
        if check_digit(&digits) != digits[9] {
            return refuse("the last digit does not check: a digit is mistyped");
        }
        Ok(BusinessNumber(digits))
    }

    /// The ten digits without hyphens.
    pub fn digits(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }
}

/// The National Tax Service's check digit: the first nine digits weighted 1,3,7,1,3,7,1,3,5,
/// plus the tens of the ninth digit times five.
fn check_digit(digits: &[u8; 10]) -> u8 {
    let weighted: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    let sum = weighted + u32::from(digits[8]) * 5 / 10;
    // `% 10` keeps it below ten, so it fits a digit.
    ((10 - sum % 10) % 10) as u8
}

impl fmt::Display for BusinessNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "{}-{}-{}", &d[..3], &d[3..5], &d[5..])
    }
}

impl std::str::FromStr for BusinessNumber {
    type Err = BillingError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BusinessNumber::parse(s)
    }
}

impl TryFrom<String> for BusinessNumber {
    type Error = BillingError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        BusinessNumber::parse(&s)
    }
}

impl From<BusinessNumber> for String {
    fn from(n: BusinessNumber) -> String {
        n.to_string()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for BusinessNumber {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^\d{3}-?\d{2}-?\d{5}$"))
            .description(Some(
                "A business registration number (사업자등록번호); answers are written 123-45-67890",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for BusinessNumber {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    // Check digits computed by hand from the rule: 1+6+21+4+15+42+7+24+45 = 165, plus
    // 9*5/10 = 4, 169 → (10 - 9) % 10 = 1; and 1+0+7+8+3+0+0+0+0 = 19, 19 → 1.
    const VALID: [&str; 2] = ["1234567891", "1018100001"];

    #[test]
    fn both_spellings_are_read() {
        for n in VALID {
            let plain = BusinessNumber::parse(n).unwrap();
            let hyphened = format!("{}-{}-{}", &n[..3], &n[3..5], &n[5..]);
            assert_eq!(BusinessNumber::parse(&hyphened).unwrap(), plain);
            assert_eq!(BusinessNumber::parse(&format!("  {n} ")).unwrap(), plain);
            assert_eq!(plain.to_string(), hyphened);
            assert_eq!(plain.digits(), n);
        }
    }

    #[test]
    fn any_one_changed_digit_is_caught() {
        for n in VALID {
            for at in 0..10 {
                for d in b'0'..=b'9' {
                    let mut changed = n.as_bytes().to_vec();
                    if changed[at] == d {
                        continue;
                    }
                    changed[at] = d;
                    let changed = String::from_utf8(changed).unwrap();
                    assert!(
                        matches!(
                            BusinessNumber::parse(&changed),
                            Err(BillingError::InvalidBusinessNumber(_))
                        ),
                        "{changed} passed"
                    );
                }
            }
        }
    }

    #[test]
    fn other_shapes_are_refused() {
        for bad in [
            "",
            "123456789",
            "12345678901",
            "123-4567891",
            "12-345-67891",
            "123 45 67891",
            "123-45-6789a",
            "１２３４５６７８９１",
            "+123456789",
            "123_45_67891",
        ] {
            assert!(BusinessNumber::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn json_is_the_written_form() {
        let n = BusinessNumber::parse("1234567891").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"123-45-67891\"");
        assert_eq!(
            serde_json::from_str::<BusinessNumber>("\"1234567891\"").unwrap(),
            n
        );
        assert!(serde_json::from_str::<BusinessNumber>("\"1234567890\"").is_err());
    }
}
