//! The ledger's identifiers: grant and card ids (the store's row ids) and idempotency keys.
//!
//! `new` accepts any `i64` because the store hands the ids out and is trusted; the ledger only
//! carries them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::BillingError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            pub const fn new(id: i64) -> Self {
                $name(id)
            }

            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        /// A 64-bit integer id in the API's documents.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

id_type!(
    /// One grant of free cash; each grant has its own expiry and its own account.
    GrantId
);
id_type!(
    /// One registered card.
    CardId
);

/// The most bytes an [`IdempotencyKey`] holds.
pub const MAX_IDEMPOTENCY_KEY_BYTES: usize = 200;

/// What makes a movement happen once: the ledger records at most one entry per key, so a
/// retried request, job or payment callback finds the entry it already made.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A key of 1 to [`MAX_IDEMPOTENCY_KEY_BYTES`] bytes without control characters. It is
    /// taken as given (no trimming): two keys are the same only when they are equal.
    pub fn parse(key: &str) -> Result<IdempotencyKey, BillingError> {
        Self::check(key)?;
        Ok(IdempotencyKey(key.to_owned()))
    }

    fn check(key: &str) -> Result<(), BillingError> {
        let refuse = |why: String| Err(BillingError::InvalidIdempotencyKey(why));
        if key.is_empty() {
            return refuse("it is empty".into());
        }
        if key.len() > MAX_IDEMPOTENCY_KEY_BYTES {
            return refuse(format!(
                "it has {} bytes, at most {MAX_IDEMPOTENCY_KEY_BYTES} are allowed",
                key.len()
            ));
        }
        if key.chars().any(char::is_control) {
            return refuse("it contains a control character".into());
        }
        Ok(())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IdempotencyKey {
    type Error = BillingError;

    fn try_from(key: String) -> Result<Self, Self::Error> {
        Self::check(&key)?;
        Ok(IdempotencyKey(key))
    }
}

impl From<IdempotencyKey> for String {
    fn from(key: IdempotencyKey) -> String {
        key.0
    }
}

impl std::str::FromStr for IdempotencyKey {
    type Err = BillingError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for IdempotencyKey {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(MAX_IDEMPOTENCY_KEY_BYTES))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for IdempotencyKey {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(IdempotencyKey::parse("usage:42:7").is_ok());
        assert!(IdempotencyKey::parse("정산:2024-05-01").is_ok());
        assert!(IdempotencyKey::parse(" spaced ").is_ok());
        for bad in ["", "a\nb", "tab\there", "\u{7f}"] {
            assert!(
                matches!(
                    IdempotencyKey::parse(bad),
                    Err(BillingError::InvalidIdempotencyKey(_))
                ),
                "{bad:?}"
            );
        }
        let longest = "k".repeat(MAX_IDEMPOTENCY_KEY_BYTES);
        assert!(IdempotencyKey::parse(&longest).is_ok());
        assert!(IdempotencyKey::parse(&format!("{longest}k")).is_err());
        // Bytes, not characters: 67 Hangul syllables are 201 bytes.
        assert!(IdempotencyKey::parse(&"가".repeat(66)).is_ok());
        assert!(IdempotencyKey::parse(&"가".repeat(67)).is_err());
    }

    #[test]
    fn keys_and_ids_are_plain_in_json() {
        let key = IdempotencyKey::parse("charge:1").unwrap();
        assert_eq!(serde_json::to_string(&key).unwrap(), "\"charge:1\"");
        assert_eq!(
            serde_json::from_str::<IdempotencyKey>("\"charge:1\"").unwrap(),
            key
        );
        assert!(serde_json::from_str::<IdempotencyKey>("\"\"").is_err());
        assert_eq!(serde_json::to_string(&GrantId::new(7)).unwrap(), "7");
        assert_eq!(serde_json::from_str::<CardId>("9").unwrap(), CardId::new(9));
        assert_eq!(GrantId::new(7).get(), 7);
        assert_eq!(key.to_string(), "charge:1");
        assert_eq!("charge:1".parse::<IdempotencyKey>().unwrap(), key);
    }
}
