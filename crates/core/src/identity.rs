//! Who a customer is: verified site IDs (R2.8), the customer key that names their room per
//! channel (R2.1), and what an unverified customer may see.

use hmac::{Hmac, Mac};
use inflow::{Channel, Fields, Warning, WarningCode};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::CoreError;
use crate::ids::{ConsultationId, SiteId};
use crate::keys::{CustomerKey, VisitorKey};

type HmacSha256 = Hmac<Sha256>;

/// The HMAC state after the site_uid. `None` cannot happen (HMAC takes keys of any length: long
/// ones are hashed, short ones padded); the constructor is fallible only because the trait it
/// comes from also serves fixed-key MACs. Callers treat `None` as "not verified", never as a
/// default key.
fn mac(secret: &[u8], site_uid: &str) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(secret).ok()?;
    mac.update(site_uid.as_bytes());
    Some(mac)
}

/// The `site_uid_hash` a site's server puts next to `site_uid`: lowercase hex HMAC-SHA256 of the
/// site_uid's UTF-8 bytes under the site's secret.
pub fn site_uid_hash(secret: &[u8], site_uid: &str) -> String {
    mac(secret, site_uid)
        .map(|m| hex::encode(m.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `hash_hex` (hex, either case) is the HMAC of `site_uid` under `secret`.
///
/// The comparison is constant-time (`verify_slice`), so response timing does not let someone
/// find a valid hash byte by byte. An empty secret verifies nothing: anyone can compute an HMAC
/// under the empty key, so it would prove nothing about who made the URL.
pub fn verify_site_uid(secret: &[u8], site_uid: &str, hash_hex: &str) -> bool {
    if secret.is_empty() {
        return false;
    }
    match (hex::decode(hash_hex.trim()), mac(secret, site_uid)) {
        (Ok(tag), Some(mac)) => mac.verify_slice(&tag).is_ok(),
        _ => false,
    }
}

/// A site's rule for IDs that come without a valid hash.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityPolicy {
    /// Off (the seed's behaviour): an unverified site_uid is used and shown as unverified.
    /// On: an unverified site_uid is not used at all, reported `unverified`.
    pub require_verified_uid: bool,
}

/// Who an inflow says the customer is, after checking the claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The site_uid to link the customer by; `None` when there was none or it was refused.
    pub site_uid: Option<String>,
    /// Whether the site's server vouched for `site_uid` with a matching hash.
    pub verified: bool,
    /// To be added to the inflow's warnings.
    pub warnings: Vec<Warning>,
}

/// Checks an inflow's site_uid against its `site_uid_hash` and applies the site's policy (R2.8).
pub fn resolve_identity(fields: &Fields, secret: &[u8], policy: IdentityPolicy) -> Identity {
    let mut warnings = Vec::new();
    let hash = fields.site_uid_hash.as_deref();
    let Some(site_uid) = fields.site_uid.as_deref() else {
        if hash.is_some() {
            warnings.push(Warning::new(
                "site_uid_hash",
                WarningCode::Ignored,
                "a hash was given without a site_uid, so there was no ID to verify",
            ));
        }
        return Identity {
            site_uid: None,
            verified: false,
            warnings,
        };
    };
    if let Some(hash) = hash {
        if verify_site_uid(secret, site_uid, hash) {
            return Identity {
                site_uid: Some(site_uid.to_owned()),
                verified: true,
                warnings,
            };
        }
        let detail = if secret.is_empty() {
            "this site has no secret configured, so no ID can be verified"
        } else {
            "the hash does not match the site_uid under this site's secret; the ID is unverified"
        };
        warnings.push(Warning::new(
            "site_uid_hash",
            WarningCode::Unverified,
            detail,
        ));
    }
    if policy.require_verified_uid {
        warnings.push(Warning::new(
            "site_uid",
            WarningCode::Unverified,
            "this site accepts only verified IDs (site_uid with a matching site_uid_hash); the \
             ID was not used and the customer is treated as anonymous",
        ));
        return Identity {
            site_uid: None,
            verified: false,
            warnings,
        };
    }
    Identity {
        site_uid: Some(site_uid.to_owned()),
        verified: false,
        warnings,
    }
}

/// Why the ID of an unverified inflow is set aside (not linked, not used to find a room).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetAside {
    /// The ID has arrived verified on this site before: from then on only a verified inflow
    /// may speak as it, whatever the site's policy (R2.8).
    VerifiedBefore,
    /// A consultation of this ID is going on in another browser: an unverified browser never
    /// joins it (it would receive that conversation's replies).
    LiveElsewhere,
}

/// The identity of an inflow whose unverified ID is set aside: the customer goes on as if they
/// had given none (their own room, nothing linked), and the inflow records why, as an
/// `unverified` warning on `site_uid`. A verified identity is returned as it is.
pub fn set_aside(identity: Identity, why: SetAside) -> Identity {
    if identity.verified || identity.site_uid.is_none() {
        return identity;
    }
    let detail = match why {
        SetAside::VerifiedBefore => {
            "this ID arrived verified before; an unverified claim of it is not used (not linked \
             to its profile, no access to its room), and the customer is treated as anonymous"
        }
        SetAside::LiveElsewhere => {
            "a consultation of this ID is going on in another browser; this unverified browser \
             is kept apart from it and treated as anonymous"
        }
    };
    let mut warnings = identity.warnings;
    warnings.push(Warning::new("site_uid", WarningCode::Unverified, detail));
    Identity {
        site_uid: None,
        verified: false,
        warnings,
    }
}

/// Whether a chat window sees a message of its room (R2.8).
///
/// A window that may see the room's history (a verified ID, or a room of its own) sees every
/// message after `since`. A window that joined the room of an unverified ID sees only the
/// messages of the consultation it takes part in (`own`), after `since`: never what was
/// said before it came, nor another browser's conversation. `since` and `message_seq` are
/// numbers of the room's sequence.
pub fn visitor_sees(
    sees_history: bool,
    since: i64,
    own: Option<ConsultationId>,
    message_seq: i64,
    message_consultation: ConsultationId,
) -> bool {
    message_seq > since && (sees_history || own == Some(message_consultation))
}

/// Whether a chat window may take part in the room's open consultation `open`: one that sees
/// the room's history may; an unverified one only in the consultation it is already part of.
pub fn visitor_may_join(
    sees_history: bool,
    own: Option<ConsultationId>,
    open: ConsultationId,
) -> bool {
    sees_history || own == Some(open)
}

/// The platform's user behind an inflow, as the channel adapter knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelUser<'a> {
    /// A web chat browser, by the visitor key it keeps.
    Visitor(&'a VisitorKey),
    /// A KakaoTalk user, by the user key Kakao sends.
    Kakao(&'a str),
    /// A Naver TalkTalk user, by the user id Naver sends.
    Naver(&'a str),
}

impl ChannelUser<'_> {
    /// Which kind of user this is, for error messages.
    pub fn kind(self) -> &'static str {
        match self {
            ChannelUser::Visitor(_) => "visitor",
            ChannelUser::Kakao(_) => "kakao",
            ChannelUser::Naver(_) => "naver",
        }
    }
}

/// The customer key of an inflow (R2.1), which names the room (R2.2).
///
/// Web chat with a site_uid → `{site_id}_{site_uid}`, so one person is one room across
/// browsers and across web chat v1/v2; web chat without → the browser's visitor key. Kakao and
/// Naver → the platform's own user id, never derived from site_uid: a URL parameter anyone can
/// write must not move a messenger account into someone else's room (the site_uid still links
/// the profile, R2.3).
pub fn customer_key(
    site: SiteId,
    channel: Channel,
    site_uid: Option<&str>,
    user: ChannelUser<'_>,
) -> Result<CustomerKey, CoreError> {
    let mismatch = || CoreError::ChannelMismatch {
        channel,
        user: user.kind(),
    };
    match (channel, user) {
        (Channel::WebchatV1 | Channel::WebchatV2, ChannelUser::Visitor(visitor)) => {
            match site_uid {
                Some(uid) => {
                    if uid.trim().is_empty() {
                        return Err(CoreError::field(
                            "site_uid",
                            "an empty ID cannot name a customer",
                        ));
                    }
                    CustomerKey::parse(&format!("{site}_{uid}"))
                }
                // Never the credential itself: the customer key is shown to agents and can be
                // sent to an outside CRM in the consultation-info link.
                None => CustomerKey::parse(&visitor.public_id()),
            }
        }
        (Channel::Kakao, ChannelUser::Kakao(id)) | (Channel::Naver, ChannelUser::Naver(id)) => {
            if id.trim().is_empty() {
                return Err(CoreError::InvalidKey(format!(
                    "the {channel} user id is empty"
                )));
            }
            CustomerKey::parse(id)
        }
        _ => Err(mismatch()),
    }
}

/// Whether the chat window may show the customer earlier consultations' messages (R2.8).
///
/// Only for a verified ID, whatever the site's policy: with an unverified one, anybody could
/// type someone else's ID into a URL and read their history.
pub fn customer_may_see_history(verified: bool) -> bool {
    verified
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 test cases 1 and 2 for HMAC-SHA256, computed independently of this module.
    #[test]
    fn hmac_matches_rfc_4231() {
        let key1 = [0x0b; 20];
        assert_eq!(
            site_uid_hash(&key1, "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            site_uid_hash(b"Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(verify_site_uid(
            &key1,
            "Hi There",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ));
        assert!(verify_site_uid(
            b"Jefe",
            "what do ya want for nothing?",
            "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"
        ));
    }

    #[test]
    fn hash_is_over_utf8_bytes() {
        let h = site_uid_hash(b"secret", "홍길동");
        assert_eq!(h.len(), 64);
        assert!(
            h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert!(verify_site_uid(b"secret", "홍길동", &h));
        assert!(!verify_site_uid(b"secret", "홍길순", &h));
        assert!(!verify_site_uid(b"other", "홍길동", &h));
    }

    #[test]
    fn verification_refuses_malformed_hashes() {
        let h = site_uid_hash(b"k", "abc");
        for bad in [
            "",
            &h[..62],
            &h[..63],
            &format!("{h}00"),
            &format!("{}zz", &h[..62]),
            "not hex at all",
        ] {
            assert!(!verify_site_uid(b"k", "abc", bad), "{bad:?}");
        }
    }

    #[test]
    fn empty_secret_verifies_nothing() {
        let h = site_uid_hash(b"", "abc");
        assert!(!verify_site_uid(b"", "abc", &h));
    }

    const SECRET: &[u8] = b"site-7-secret";

    fn fields(uid: Option<&str>, hash: Option<String>) -> Fields {
        Fields {
            site_uid: uid.map(str::to_owned),
            site_uid_hash: hash,
            ..Fields::default()
        }
    }

    const LAX: IdentityPolicy = IdentityPolicy {
        require_verified_uid: false,
    };
    const STRICT: IdentityPolicy = IdentityPolicy {
        require_verified_uid: true,
    };

    fn codes(id: &Identity) -> Vec<(&str, WarningCode)> {
        id.warnings
            .iter()
            .map(|w| (w.param.as_str(), w.code))
            .collect()
    }

    #[test]
    fn no_site_uid_is_anonymous_without_warning() {
        for policy in [LAX, STRICT] {
            let id = resolve_identity(&fields(None, None), SECRET, policy);
            assert_eq!(
                id,
                Identity {
                    site_uid: None,
                    verified: false,
                    warnings: vec![]
                }
            );
        }
    }

    #[test]
    fn hash_without_site_uid_is_ignored_and_reported() {
        for policy in [LAX, STRICT] {
            let h = site_uid_hash(SECRET, "abc");
            let id = resolve_identity(&fields(None, Some(h)), SECRET, policy);
            assert_eq!(id.site_uid, None);
            assert!(!id.verified);
            assert_eq!(codes(&id), [("site_uid_hash", WarningCode::Ignored)]);
        }
    }

    #[test]
    fn matching_hash_verifies_under_either_policy() {
        for policy in [LAX, STRICT] {
            let h = site_uid_hash(SECRET, "member-42");
            let id = resolve_identity(&fields(Some("member-42"), Some(h)), SECRET, policy);
            assert_eq!(id.site_uid.as_deref(), Some("member-42"));
            assert!(id.verified);
            assert!(id.warnings.is_empty());
        }
    }

    #[test]
    fn wrong_hash_without_requirement_keeps_the_id_unverified() {
        let h = site_uid_hash(SECRET, "someone-else");
        let id = resolve_identity(&fields(Some("member-42"), Some(h)), SECRET, LAX);
        assert_eq!(id.site_uid.as_deref(), Some("member-42"));
        assert!(!id.verified);
        assert_eq!(codes(&id), [("site_uid_hash", WarningCode::Unverified)]);
        assert!(id.warnings[0].detail.contains("does not match"));
    }

    #[test]
    fn wrong_hash_with_requirement_drops_the_id() {
        let h = site_uid_hash(b"another site's secret", "member-42");
        let id = resolve_identity(&fields(Some("member-42"), Some(h)), SECRET, STRICT);
        assert_eq!(id.site_uid, None);
        assert!(!id.verified);
        assert_eq!(
            codes(&id),
            [
                ("site_uid_hash", WarningCode::Unverified),
                ("site_uid", WarningCode::Unverified)
            ]
        );
    }

    #[test]
    fn no_hash_without_requirement_keeps_the_id_silently() {
        let id = resolve_identity(&fields(Some("member-42"), None), SECRET, LAX);
        assert_eq!(id.site_uid.as_deref(), Some("member-42"));
        assert!(!id.verified);
        assert!(id.warnings.is_empty());
    }

    #[test]
    fn no_hash_with_requirement_drops_the_id() {
        let id = resolve_identity(&fields(Some("member-42"), None), SECRET, STRICT);
        assert_eq!(id.site_uid, None);
        assert!(!id.verified);
        assert_eq!(codes(&id), [("site_uid", WarningCode::Unverified)]);
    }

    #[test]
    fn uppercase_hash_verifies() {
        let h = site_uid_hash(SECRET, "abc").to_ascii_uppercase();
        let id = resolve_identity(&fields(Some("abc"), Some(h)), SECRET, STRICT);
        assert!(id.verified);
    }

    #[test]
    fn site_without_secret_verifies_nobody_and_says_why() {
        let h = site_uid_hash(b"", "abc");
        let id = resolve_identity(&fields(Some("abc"), Some(h)), b"", LAX);
        assert!(!id.verified);
        assert_eq!(id.site_uid.as_deref(), Some("abc"));
        assert!(id.warnings[0].detail.contains("no secret"));
    }

    fn visitor() -> VisitorKey {
        VisitorKey::from_random([7; 24])
    }

    fn key(
        channel: Channel,
        uid: Option<&str>,
        user: ChannelUser<'_>,
    ) -> Result<String, CoreError> {
        customer_key(SiteId::new(12), channel, uid, user).map(CustomerKey::into_string)
    }

    #[test]
    fn webchat_with_site_uid_is_site_prefixed() {
        let v = visitor();
        for ch in [Channel::WebchatV1, Channel::WebchatV2] {
            assert_eq!(
                key(ch, Some("member-42"), ChannelUser::Visitor(&v)),
                Ok("12_member-42".to_owned())
            );
            assert_eq!(
                key(ch, Some("홍길동"), ChannelUser::Visitor(&v)),
                Ok("12_홍길동".to_owned())
            );
        }
    }

    #[test]
    fn webchat_v1_and_v2_share_the_room_of_one_id() {
        let a = VisitorKey::from_random([1; 24]);
        let b = VisitorKey::from_random([2; 24]);
        assert_eq!(
            key(Channel::WebchatV1, Some("u"), ChannelUser::Visitor(&a)),
            key(Channel::WebchatV2, Some("u"), ChannelUser::Visitor(&b))
        );
    }

    #[test]
    fn webchat_without_site_uid_is_the_visitors_public_id_never_its_key() {
        let v = visitor();
        for ch in [Channel::WebchatV1, Channel::WebchatV2] {
            let k = key(ch, None, ChannelUser::Visitor(&v)).unwrap();
            assert_eq!(k, v.public_id());
            assert_ne!(k, v.as_str());
        }
    }

    #[test]
    fn longest_site_uid_fits_a_customer_key() {
        let v = visitor();
        let uid = "가".repeat(255);
        let k = customer_key(
            SiteId::new(i64::MAX),
            Channel::WebchatV2,
            Some(&uid),
            ChannelUser::Visitor(&v),
        );
        assert!(k.is_ok());
    }

    #[test]
    fn blank_site_uid_is_refused() {
        let v = visitor();
        let err = key(Channel::WebchatV2, Some(" "), ChannelUser::Visitor(&v)).err();
        assert_eq!(err.as_ref().map(CoreError::code), Some("invalid_field"));
    }

    #[test]
    fn messengers_use_their_own_ids_never_site_uid() {
        for uid in [None, Some("member-42")] {
            assert_eq!(
                key(Channel::Kakao, uid, ChannelUser::Kakao("kakaoUserKey9")),
                Ok("kakaoUserKey9".to_owned())
            );
            assert_eq!(
                key(Channel::Naver, uid, ChannelUser::Naver("naver-user-1")),
                Ok("naver-user-1".to_owned())
            );
        }
    }

    #[test]
    fn empty_platform_ids_are_refused() {
        for (ch, user) in [
            (Channel::Kakao, ChannelUser::Kakao("")),
            (Channel::Kakao, ChannelUser::Kakao("  ")),
            (Channel::Naver, ChannelUser::Naver("")),
        ] {
            let err = key(ch, None, user).err();
            assert_eq!(err.as_ref().map(CoreError::code), Some("invalid_key"));
        }
        let err = key(Channel::Kakao, None, ChannelUser::Kakao("a\nb")).err();
        assert_eq!(err.as_ref().map(CoreError::code), Some("invalid_key"));
    }

    #[test]
    fn every_mismatched_channel_and_user_is_refused() {
        let v = visitor();
        let users = [
            ChannelUser::Visitor(&v),
            ChannelUser::Kakao("k"),
            ChannelUser::Naver("n"),
        ];
        for ch in Channel::ALL {
            for user in users {
                let fits = matches!(
                    (ch, user),
                    (
                        Channel::WebchatV1 | Channel::WebchatV2,
                        ChannelUser::Visitor(_)
                    ) | (Channel::Kakao, ChannelUser::Kakao(_))
                        | (Channel::Naver, ChannelUser::Naver(_))
                );
                let got = key(ch, Some("u"), user);
                if fits {
                    assert!(got.is_ok(), "{ch} {user:?}");
                } else {
                    assert_eq!(
                        got,
                        Err(CoreError::ChannelMismatch {
                            channel: ch,
                            user: user.kind()
                        }),
                        "{ch} {user:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn only_verified_customers_see_history() {
        assert!(customer_may_see_history(true));
        assert!(!customer_may_see_history(false));
    }

    fn claimed(verified: bool) -> Identity {
        Identity {
            site_uid: Some("member03".into()),
            verified,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn an_unverified_claim_is_set_aside_with_its_reason() {
        for why in [SetAside::VerifiedBefore, SetAside::LiveElsewhere] {
            let out = set_aside(claimed(false), why);
            assert_eq!(out.site_uid, None);
            assert!(!out.verified);
            assert_eq!(out.warnings.len(), 1);
            assert_eq!(out.warnings[0].param, "site_uid");
            assert_eq!(out.warnings[0].code, WarningCode::Unverified);
        }
        assert_ne!(
            set_aside(claimed(false), SetAside::VerifiedBefore).warnings[0].detail,
            set_aside(claimed(false), SetAside::LiveElsewhere).warnings[0].detail
        );
        // A verified ID, or none, is never set aside.
        assert_eq!(
            set_aside(claimed(true), SetAside::VerifiedBefore),
            claimed(true)
        );
        let none = Identity {
            site_uid: None,
            verified: false,
            warnings: Vec::new(),
        };
        assert_eq!(set_aside(none.clone(), SetAside::LiveElsewhere), none);
    }

    #[test]
    fn what_a_chat_window_sees() {
        let (mine, other) = (ConsultationId::new(7), ConsultationId::new(8));
        // (sees_history, since, own, message id, message's consultation) → seen
        let cases = [
            (true, 0, None, 1, other, true),
            (true, 5, None, 5, other, false),
            (true, 5, None, 6, other, true),
            (false, 0, None, 1, mine, false),
            (false, 0, Some(mine), 1, mine, true),
            (false, 0, Some(mine), 2, other, false),
            (false, 9, Some(mine), 9, mine, false),
            (false, 9, Some(mine), 10, mine, true),
        ];
        for (history, since, own, id, of, want) in cases {
            assert_eq!(
                visitor_sees(history, since, own, id, of),
                want,
                "{history} {since} {own:?} {id} {of:?}"
            );
        }
        assert!(visitor_may_join(true, None, other));
        assert!(visitor_may_join(false, Some(mine), mine));
        assert!(!visitor_may_join(false, Some(mine), other));
        assert!(!visitor_may_join(false, None, other));
    }
}
