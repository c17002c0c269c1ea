//! The two string identities a customer has: the customer key that names their room (R2.1) and
//! the visitor key a browser keeps for anonymous web chat; and the platform a key belongs to.
//!
//! Both keys are validated on construction and on deserialisation, so a value of either type is
//! always well-formed; on the wire they are plain strings.

use std::fmt;

use inflow::Channel;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// The per-channel identity of a customer (고객식별번호); a room exists per (site, customer key).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CustomerKey(String);

impl CustomerKey {
    /// Longest key, in characters: `{site_id}_{site_uid}` is at most 19 + 1 + 255 = 275, and
    /// the messengers' user keys are far shorter; the margin is for platforms changing theirs.
    pub const MAX_CHARS: usize = 300;

    /// A key as stored or as a platform sent it: not blank, at most [`Self::MAX_CHARS`]
    /// characters, no control characters (a key is shown in consoles and exports, where a
    /// newline or NUL would break the line or the file).
    pub fn parse(s: &str) -> Result<CustomerKey, CoreError> {
        if s.trim().is_empty() {
            return Err(CoreError::InvalidKey(
                "a customer key cannot be empty".into(),
            ));
        }
        if s.chars().nth(Self::MAX_CHARS).is_some() {
            return Err(CoreError::InvalidKey(format!(
                "a customer key has at most {} characters, this one has {}",
                Self::MAX_CHARS,
                s.chars().count()
            )));
        }
        if s.chars().any(char::is_control) {
            return Err(CoreError::InvalidKey(
                "a customer key cannot contain control characters".into(),
            ));
        }
        Ok(CustomerKey(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for CustomerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CustomerKey {
    type Error = CoreError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        CustomerKey::parse(&s)
    }
}

impl From<CustomerKey> for String {
    fn from(k: CustomerKey) -> String {
        k.0
    }
}

impl AsRef<str> for CustomerKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The platform whose namespace a channel's customer keys live in: a room is unique per (site,
/// platform, customer key). Both web chat generations are one platform, so a customer who comes
/// back through the other generation lands in the same room; a Kakao and a Naver user id that
/// happen to be equal are different people.
pub fn platform(channel: Channel) -> &'static str {
    match channel {
        Channel::WebchatV1 | Channel::WebchatV2 => "webchat",
        Channel::Kakao => "kakao",
        Channel::Naver => "naver",
    }
}

/// The credential a browser keeps for anonymous web chat: whoever presents it is that visitor,
/// so it must be unguessable. 32 characters of `[A-Za-z0-9]` (about 190 bits).
///
/// It has no `_`, so it can never equal a `{site_id}_{site_uid}` customer key: an anonymous
/// visitor can never land in a logged-in customer's room by choosing their key.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VisitorKey(String);

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

impl VisitorKey {
    pub const LEN: usize = 32;

    /// A key a browser presented: exactly [`Self::LEN`] ASCII letters and digits.
    pub fn parse(s: &str) -> Result<VisitorKey, CoreError> {
        if s.len() != Self::LEN || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(CoreError::InvalidKey(format!(
                "a visitor key is exactly {} letters and digits",
                Self::LEN
            )));
        }
        Ok(VisitorKey(s.to_owned()))
    }

    /// A new key from 24 random bytes (the caller owns the randomness; core has none).
    ///
    /// The bytes are read as one 192-bit number and written in base 62, lowest 32 digits: the
    /// key keeps log2(62^32) ≈ 190.5 of the 192 bits, where mapping bytes one by one onto 62
    /// characters would lose bits to collisions and bias.
    pub fn from_random(bytes: [u8; 24]) -> VisitorKey {
        let mut n = bytes;
        let mut key = [0u8; Self::LEN];
        for slot in key.iter_mut().rev() {
            // Long division of the big-endian number by 62, keeping the quotient for the next
            // digit. `rem * 256 + byte` < 62 * 256, so u16 never overflows.
            let mut rem: u16 = 0;
            for b in n.iter_mut() {
                let cur = rem * 256 + u16::from(*b);
                // cur / 62 < 256 because rem < 62.
                *b = u8::try_from(cur / 62).unwrap_or(u8::MAX);
                rem = cur % 62;
            }
            *slot = ALPHABET[usize::from(rem)];
        }
        VisitorKey(key.iter().map(|&b| char::from(b)).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What names this visitor where others can see it (the customer key of an anonymous
    /// visitor's room, shown to agents, returned by the API, usable in the consultation-info
    /// link): `v-` and 32 hex digits of a one-way hash of the key. The key, a credential,
    /// cannot be worked out from it; it has no `_`, so it never equals a
    /// `{site_id}_{site_uid}` key either.
    pub fn public_id(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("sangdam visitor {}", self.0).as_bytes());
        format!("v-{}", &hex::encode(digest)[..32])
    }
}

/// Never printed in full: the key is a credential, and debug output ends up in logs.
impl fmt::Debug for VisitorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VisitorKey({}…)", self.0.get(..4).unwrap_or_default())
    }
}

impl TryFrom<String> for VisitorKey {
    type Error = CoreError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        VisitorKey::parse(&s)
    }
}

impl From<VisitorKey> for String {
    fn from(k: VisitorKey) -> String {
        k.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn web_chat_generations_share_a_platform_messengers_have_their_own() {
        let platforms: Vec<_> = Channel::ALL.iter().map(|c| (*c, platform(*c))).collect();
        assert_eq!(
            platforms,
            [
                (Channel::Kakao, "kakao"),
                (Channel::WebchatV1, "webchat"),
                (Channel::WebchatV2, "webchat"),
                (Channel::Naver, "naver"),
            ]
        );
    }

    #[test]
    fn customer_keys_accept_platform_ids_and_korean() {
        for ok in ["1_abc", "abcDEF123", "7_홍길동", "x", " padded "] {
            assert_eq!(
                CustomerKey::parse(ok).map(|k| k.to_string()),
                Ok(ok.to_owned())
            );
        }
        let longest = "가".repeat(CustomerKey::MAX_CHARS);
        assert!(CustomerKey::parse(&longest).is_ok());
    }

    #[test]
    fn customer_keys_refuse_blank_long_and_control() {
        for bad in ["", "   ", "a\nb", "a\u{0}b", "\t", "a\u{7f}"] {
            let err = CustomerKey::parse(bad).err();
            assert_eq!(
                err.as_ref().map(CoreError::code),
                Some("invalid_key"),
                "{bad:?}"
            );
        }
        let too_long = "가".repeat(CustomerKey::MAX_CHARS + 1);
        assert!(CustomerKey::parse(&too_long).is_err());
    }

    #[test]
    fn customer_key_serde_is_a_validated_string() {
        let k = CustomerKey::parse("3_abc").ok();
        assert_eq!(
            k.as_ref()
                .and_then(|k| serde_json::to_string(k).ok())
                .as_deref(),
            Some("\"3_abc\"")
        );
        assert_eq!(serde_json::from_str::<CustomerKey>("\"3_abc\"").ok(), k);
        assert!(serde_json::from_str::<CustomerKey>("\"\"").is_err());
    }

    #[test]
    fn visitor_keys_are_exactly_32_alphanumerics() {
        let ok = "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF";
        assert_eq!(ok.len(), 32);
        assert_eq!(
            VisitorKey::parse(ok).map(|k| k.as_str().to_owned()),
            Ok(ok.to_owned())
        );
        for bad in [
            "",
            &ok[..31],
            &format!("{ok}x"),
            "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0e_",
            "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0e ",
            "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0é",
        ] {
            assert!(VisitorKey::parse(bad).is_err(), "{bad:?}");
        }
        assert!(serde_json::from_str::<VisitorKey>("\"short\"").is_err());
    }

    #[test]
    fn from_random_is_deterministic_base62() {
        assert_eq!(VisitorKey::from_random([0; 24]).as_str(), "0".repeat(32));
        // The public id is stable, of its own shape, and not the key.
        let key = VisitorKey::from_random([7; 24]);
        let id = key.public_id();
        assert_eq!(id, key.clone().public_id());
        assert!(id.starts_with("v-") && id.len() == 34 && !id.contains('_'));
        assert!(!id.contains(key.as_str()));
        assert_ne!(id, VisitorKey::from_random([8; 24]).public_id());
        // 1 → ...0001; 61 → ...000z; 62 → ...0010.
        let mut b = [0u8; 24];
        b[23] = 1;
        assert_eq!(
            VisitorKey::from_random(b).as_str(),
            format!("{}1", "0".repeat(31))
        );
        b[23] = 61;
        assert_eq!(
            VisitorKey::from_random(b).as_str(),
            format!("{}z", "0".repeat(31))
        );
        b[23] = 62;
        assert_eq!(
            VisitorKey::from_random(b).as_str(),
            format!("{}10", "0".repeat(30))
        );
        // 256 = 4 * 62 + 8.
        let mut b = [0u8; 24];
        b[22] = 1;
        assert_eq!(
            VisitorKey::from_random(b).as_str(),
            format!("{}48", "0".repeat(30))
        );
    }

    #[test]
    fn debug_does_not_reveal_the_key() {
        let k = VisitorKey::from_random([0xab; 24]);
        let shown = format!("{k:?}");
        assert!(!shown.contains(k.as_str()));
    }

    proptest! {
        #[test]
        fn from_random_always_parses_back(bytes in proptest::array::uniform24(any::<u8>())) {
            let k = VisitorKey::from_random(bytes);
            prop_assert_eq!(VisitorKey::parse(k.as_str()), Ok(k.clone()));
            prop_assert_eq!(VisitorKey::from_random(bytes), k);
        }

        #[test]
        fn different_low_bytes_give_different_keys(
            bytes in proptest::array::uniform24(any::<u8>()),
            flip in 1u8..=255,
        ) {
            // Distinct numbers below 62^32 (any number whose top byte is small) map to distinct
            // keys; flipping the last byte keeps the top byte.
            let mut a = bytes;
            a[0] = 0;
            let mut b = a;
            b[23] ^= flip;
            prop_assert_ne!(VisitorKey::from_random(a), VisitorKey::from_random(b));
        }
    }
}
