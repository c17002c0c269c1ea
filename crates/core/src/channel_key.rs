//! The key a messenger platform's requests must carry (Kakao skill requests, Naver TalkTalk
//! webhooks): the site's channel key for that platform, pasted by the site's admin into Open
//! Builder or TalkTalk's partner center as part of the URL. Without it anyone who knows a
//! user's key could speak as that user and take the replies queued for them.
//!
//! A key is rotated with a grace period: the previous key keeps working until the time the
//! admin chose, so the platform's setting can be changed without losing requests.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The messenger platforms whose requests carry a channel key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MessengerPlatform {
    Kakao,
    Naver,
}

impl MessengerPlatform {
    pub const ALL: [MessengerPlatform; 2] = [MessengerPlatform::Kakao, MessengerPlatform::Naver];

    pub fn as_str(self) -> &'static str {
        match self {
            MessengerPlatform::Kakao => "kakao",
            MessengerPlatform::Naver => "naver",
        }
    }

    pub fn parse(s: &str) -> Option<MessengerPlatform> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// Longest grace period of a rotated key: a week.
pub const MAX_GRACE_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// A site's keys for one platform as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelKeys<'a> {
    pub current: &'a str,
    /// The key before the last rotation and until when (ms) it is still accepted.
    pub previous: Option<(&'a str, i64)>,
}

/// What a request's key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCheck {
    /// The current key.
    Current,
    /// The previous key, within its grace period.
    Previous,
    /// No key was given.
    Missing,
    /// A key that is not (or no longer) the site's.
    Wrong,
}

impl KeyCheck {
    pub fn accepted(self) -> bool {
        matches!(self, KeyCheck::Current | KeyCheck::Previous)
    }
}

/// Equal in time independent of where the two differ (and of their lengths): both sides are
/// hashed first, so the comparison is over two 32-byte digests.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.ct_eq(&b).into()
}

/// Checks `given` against the keys at `now`. Both keys are always compared, so the time taken
/// does not tell which one (if any) matched. An empty stored key accepts nothing.
pub fn check_channel_key(keys: ChannelKeys<'_>, given: Option<&str>, now: i64) -> KeyCheck {
    let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) else {
        return KeyCheck::Missing;
    };
    let current = same(given, keys.current) && !keys.current.is_empty();
    let previous = keys
        .previous
        .is_some_and(|(key, until)| same(given, key) && !key.is_empty() && now < until);
    if current {
        KeyCheck::Current
    } else if previous {
        KeyCheck::Previous
    } else {
        KeyCheck::Wrong
    }
}

/// Until when the previous key stays valid after a rotation at `now` with `grace_ms` of grace
/// (clamped to 0 ..= [`MAX_GRACE_MS`]); `None` when there is no grace at all.
pub fn grace_until(now: i64, grace_ms: i64) -> Option<i64> {
    let grace = grace_ms.clamp(0, MAX_GRACE_MS);
    (grace > 0).then(|| now.saturating_add(grace))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_000_000;

    #[test]
    fn keys_are_checked_by_value_and_grace() {
        let only = ChannelKeys {
            current: "k-new",
            previous: None,
        };
        let rotated = ChannelKeys {
            current: "k-new",
            previous: Some(("k-old", NOW + 10)),
        };
        let cases: [(ChannelKeys<'_>, Option<&str>, i64, KeyCheck); 12] = [
            (only, Some("k-new"), NOW, KeyCheck::Current),
            (only, Some(" k-new "), NOW, KeyCheck::Current),
            (only, Some("k-ne"), NOW, KeyCheck::Wrong),
            (only, Some("k-new2"), NOW, KeyCheck::Wrong),
            (only, Some("k-old"), NOW, KeyCheck::Wrong),
            (only, None, NOW, KeyCheck::Missing),
            (only, Some("  "), NOW, KeyCheck::Missing),
            (rotated, Some("k-new"), NOW + 100, KeyCheck::Current),
            (rotated, Some("k-old"), NOW, KeyCheck::Previous),
            (rotated, Some("k-old"), NOW + 9, KeyCheck::Previous),
            (rotated, Some("k-old"), NOW + 10, KeyCheck::Wrong),
            (rotated, Some("other"), NOW, KeyCheck::Wrong),
        ];
        for (keys, given, now, want) in cases {
            assert_eq!(
                check_channel_key(keys, given, now),
                want,
                "{given:?} at {now}"
            );
        }
    }

    #[test]
    fn an_empty_stored_key_accepts_nothing() {
        let empty = ChannelKeys {
            current: "",
            previous: Some(("", NOW + 10)),
        };
        assert_eq!(check_channel_key(empty, Some("x"), NOW), KeyCheck::Wrong);
        assert!(!check_channel_key(empty, Some("x"), NOW).accepted());
    }

    #[test]
    fn grace_is_clamped() {
        assert_eq!(grace_until(NOW, 0), None);
        assert_eq!(grace_until(NOW, -5), None);
        assert_eq!(grace_until(NOW, 60_000), Some(NOW + 60_000));
        assert_eq!(grace_until(NOW, i64::MAX), Some(NOW + MAX_GRACE_MS));
    }

    #[test]
    fn platforms_round_trip() {
        for p in MessengerPlatform::ALL {
            assert_eq!(MessengerPlatform::parse(p.as_str()), Some(p));
        }
        assert_eq!(MessengerPlatform::parse("webchat"), None);
    }
}
