//! The customer profile agents see (고객정보): how inflows and agents change it (R2.3, R2.4),
//! and the verified mobile number nobody can type in (R2.6).

use std::fmt;
use std::str::FromStr;

use inflow::{Custom, Fields};
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// The editable part of a profile. The store keeps it per (site, site_uid), or per room when no
/// ID is known (R2.3), together with the verified mobile, which is not here on purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileData {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The latest value of every custom slot any inflow brought ("extra info", R1.2); each
    /// consultation keeps its own inflow's values separately.
    pub custom: Custom,
}

/// The profile after an inflow (R2.4): each non-empty value the inflow brought replaces the
/// stored one; an absent or empty value never erases anything, so a later inflow that carries
/// only the site_uid still shows what earlier ones stored.
pub fn apply_inflow(profile: &ProfileData, fields: &Fields, custom: &Custom) -> ProfileData {
    fn latest(stored: &Option<String>, incoming: &Option<String>) -> Option<String> {
        match incoming {
            Some(v) if !v.trim().is_empty() => Some(v.clone()),
            _ => stored.clone(),
        }
    }
    let mut merged = profile.custom.clone();
    for (slot, value) in custom {
        if !value.trim().is_empty() {
            merged.insert(*slot, value.clone());
        }
    }
    ProfileData {
        name: latest(&profile.name, &fields.name),
        phone: latest(&profile.phone, &fields.phone),
        email: latest(&profile.email, &fields.email),
        custom: merged,
    }
}

/// An agent's (or the profile bot's) change to a profile. `None` leaves a field as it is;
/// `Some("")` (or only spaces) clears it. There is no mobile here: see [`CoreError::MobileNotEditable`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileEdit {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// Longest name, phone and email, in characters (R1.1, the same limit a chat URL has).
const MAX_FIELD_CHARS: usize = 100;

/// The profile after an edit, or the first field the edit gets wrong (and nothing changed).
///
/// Values are trimmed: a person typing into a form means no leading or trailing spaces. Unlike
/// the parser, an edit that is too long is refused, not cut: the person is there to fix it.
pub fn apply_edit(profile: &ProfileData, edit: &ProfileEdit) -> Result<ProfileData, CoreError> {
    Ok(ProfileData {
        name: edited("name", &profile.name, edit.name.as_deref(), |_| Ok(()))?,
        phone: edited("phone", &profile.phone, edit.phone.as_deref(), |v| {
            if inflow::is_phone(v) {
                Ok(())
            } else {
                Err(
                    "expected a phone number: digits with spaces, hyphens, dots or parentheses, \
                     an optional leading +"
                        .to_owned(),
                )
            }
        })?,
        email: edited("email", &profile.email, edit.email.as_deref(), |v| {
            if inflow::is_email(v) {
                Ok(())
            } else {
                Err(
                    "expected one address of the form local@domain (no spaces, quotes or \
                     angle brackets)"
                        .to_owned(),
                )
            }
        })?,
        custom: profile.custom.clone(),
    })
}

fn edited(
    field: &'static str,
    stored: &Option<String>,
    edit: Option<&str>,
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<Option<String>, CoreError> {
    let Some(raw) = edit else {
        return Ok(stored.clone());
    };
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let chars = value.chars().count();
    if chars > MAX_FIELD_CHARS {
        return Err(CoreError::field(
            field,
            format!("at most {MAX_FIELD_CHARS} characters, this has {chars}"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(CoreError::field(
            field,
            "cannot contain line breaks or other control characters",
        ));
    }
    check(value).map_err(|reason| CoreError::field(field, reason))?;
    Ok(Some(value.to_owned()))
}

/// How a mobile number was verified; the verification API records it with the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VerificationMethod {
    /// A code sent by SMS and typed back.
    Sms,
    /// Kakao Sync (Kakao's login with consent to share the phone number).
    KakaoSync,
    /// Any other verification the site vouches for.
    Other,
}

impl VerificationMethod {
    pub const ALL: [VerificationMethod; 3] = [
        VerificationMethod::Sms,
        VerificationMethod::KakaoSync,
        VerificationMethod::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VerificationMethod::Sms => "sms",
            VerificationMethod::KakaoSync => "kakao_sync",
            VerificationMethod::Other => "other",
        }
    }
}

impl fmt::Display for VerificationMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for VerificationMethod {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        VerificationMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                CoreError::field(
                    "method",
                    format!(
                        "{s:?} is not a verification method: expected sms, kakao_sync or other"
                    ),
                )
            })
    }
}

/// A Korean mobile number in its stored form, eleven (or ten) digits starting `01`.
///
/// Accepts the ways people write it: `010-1234-5678`, `010 1234 5678`, `+82 10-1234-5678`
/// and `+82 010-1234-5678` (the trunk 0 kept after the country code, a common slip). Mobile
/// prefixes are 010, 011, 016, 017, 018 and 019, followed by 7 or 8 digits.
pub fn normalize_mobile(raw: &str) -> Result<String, CoreError> {
    let invalid = |why: &str| {
        CoreError::field(
            "mobile",
            format!("{raw:?} is not a Korean mobile number ({why})"),
        )
    };
    let compact: String = raw.chars().filter(|c| *c != '-' && *c != ' ').collect();
    let national = match compact.strip_prefix("+82") {
        Some(rest) => format!("0{}", rest.strip_prefix('0').unwrap_or(rest)),
        None => compact,
    };
    if national.is_empty() || !national.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            "only digits, spaces, '-' and a leading +82 are allowed",
        ));
    }
    let b = national.as_bytes();
    let prefix_ok = b.len() >= 3 && b[0] == b'0' && b[1] == b'1' && b"016789".contains(&b[2]);
    if !prefix_ok {
        return Err(invalid("it must start with 010, 011, 016, 017, 018 or 019"));
    }
    if !(10..=11).contains(&b.len()) {
        return Err(invalid("it must have 10 or 11 digits"));
    }
    Ok(national)
}

#[cfg(test)]
mod tests {
    use inflow::Slot;
    use proptest::prelude::*;

    use super::*;

    fn slot(n: u8) -> Slot {
        Slot::new(n).unwrap_or_else(|| panic!("slot {n}"))
    }

    fn stored() -> ProfileData {
        ProfileData {
            name: Some("홍길동".into()),
            phone: Some("02-123-4567".into()),
            email: Some("hong@example.com".into()),
            custom: [
                (slot(1), "네이버광고".to_owned()),
                (slot(2), "A".to_owned()),
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn latest_non_empty_values_win() {
        let fields = Fields {
            name: Some("김철수".into()),
            email: Some("kim@example.kr".into()),
            ..Fields::default()
        };
        let custom: Custom = [
            (slot(1), "카카오광고".to_owned()),
            (slot(3), "신규".to_owned()),
        ]
        .into_iter()
        .collect();
        let p = apply_inflow(&stored(), &fields, &custom);
        assert_eq!(p.name.as_deref(), Some("김철수"));
        assert_eq!(p.phone.as_deref(), Some("02-123-4567"), "absent phone kept");
        assert_eq!(p.email.as_deref(), Some("kim@example.kr"));
        assert_eq!(
            p.custom.get(&slot(1)).map(String::as_str),
            Some("카카오광고")
        );
        assert_eq!(
            p.custom.get(&slot(2)).map(String::as_str),
            Some("A"),
            "kept"
        );
        assert_eq!(
            p.custom.get(&slot(3)).map(String::as_str),
            Some("신규"),
            "added"
        );
    }

    #[test]
    fn absent_or_empty_never_erases() {
        let only_uid = Fields {
            site_uid: Some("member-42".into()),
            ..Fields::default()
        };
        assert_eq!(apply_inflow(&stored(), &only_uid, &Custom::new()), stored());
        let empties = Fields {
            name: Some(String::new()),
            phone: Some("  ".into()),
            email: Some(String::new()),
            ..Fields::default()
        };
        let custom: Custom = [(slot(1), String::new()), (slot(2), " ".to_owned())]
            .into_iter()
            .collect();
        assert_eq!(apply_inflow(&stored(), &empties, &custom), stored());
    }

    #[test]
    fn first_inflow_fills_an_empty_profile() {
        let fields = Fields {
            name: Some("이영희".into()),
            phone: Some("010-0000-0000".into()),
            ..Fields::default()
        };
        let p = apply_inflow(&ProfileData::default(), &fields, &Custom::new());
        assert_eq!(p.name.as_deref(), Some("이영희"));
        assert_eq!(p.phone.as_deref(), Some("010-0000-0000"));
        assert_eq!(p.email, None);
    }

    #[test]
    fn successive_inflows_show_the_latest() {
        let mut p = ProfileData::default();
        for name in ["가", "나", "다"] {
            let f = Fields {
                name: Some(name.into()),
                ..Fields::default()
            };
            p = apply_inflow(&p, &f, &Custom::new());
        }
        assert_eq!(p.name.as_deref(), Some("다"));
    }

    #[test]
    fn edit_none_leaves_some_empty_clears_value_sets() {
        let edit = ProfileEdit {
            name: Some("  김철수 ".into()),
            phone: Some(String::new()),
            email: None,
        };
        let p = apply_edit(&stored(), &edit);
        assert_eq!(
            p,
            Ok(ProfileData {
                name: Some("김철수".into()),
                phone: None,
                email: Some("hong@example.com".into()),
                custom: stored().custom,
            })
        );
        assert_eq!(apply_edit(&stored(), &ProfileEdit::default()), Ok(stored()));
        let clear_all = ProfileEdit {
            name: Some(" ".into()),
            phone: Some(String::new()),
            email: Some(String::new()),
        };
        let cleared = apply_edit(&stored(), &clear_all);
        assert_eq!(
            cleared.map(|p| (p.name, p.phone, p.email)),
            Ok((None, None, None))
        );
    }

    fn field_error(edit: ProfileEdit) -> Option<&'static str> {
        match apply_edit(&stored(), &edit) {
            Err(CoreError::InvalidField { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn edits_are_limited_to_100_characters() {
        let ok = ProfileEdit {
            name: Some("가".repeat(100)),
            phone: Some("1".repeat(20)),
            ..ProfileEdit::default()
        };
        assert!(apply_edit(&stored(), &ok).is_ok());
        // A phone is also a phone: digits and separators, 3 to 20 digits.
        for bad in ["abc<script>", "1".repeat(21).as_str(), "12"] {
            let phone = ProfileEdit {
                phone: Some(bad.to_owned()),
                ..ProfileEdit::default()
            };
            assert_eq!(field_error(phone), Some("phone"), "{bad}");
        }
        let name = ProfileEdit {
            name: Some("가".repeat(101)),
            ..ProfileEdit::default()
        };
        assert_eq!(field_error(name), Some("name"));
        let phone = ProfileEdit {
            phone: Some("1".repeat(101)),
            ..ProfileEdit::default()
        };
        assert_eq!(field_error(phone), Some("phone"));
        let email = ProfileEdit {
            email: Some(format!("{}@example.com", "a".repeat(90))),
            ..ProfileEdit::default()
        };
        assert_eq!(field_error(email), Some("email"));
    }

    #[test]
    fn edited_email_must_be_one_address() {
        for ok in ["a@b", "hong.gildong@example.co.kr", "홍@예시.한국"] {
            let e = ProfileEdit {
                email: Some(ok.into()),
                ..ProfileEdit::default()
            };
            assert!(apply_edit(&stored(), &e).is_ok(), "{ok}");
        }
        for bad in [
            "no-at",
            "@example.com",
            "a@",
            "a@b@c",
            "a b@c",
            "a@b,c@d",
            "a@b;c",
        ] {
            let e = ProfileEdit {
                email: Some(bad.into()),
                ..ProfileEdit::default()
            };
            assert_eq!(field_error(e), Some("email"), "{bad}");
        }
    }

    #[test]
    fn edits_refuse_control_characters_and_change_nothing() {
        let e = ProfileEdit {
            name: Some("새이름".into()),
            phone: Some("02\n123".into()),
            ..ProfileEdit::default()
        };
        let err = apply_edit(&stored(), &e);
        assert!(matches!(
            err,
            Err(CoreError::InvalidField { field: "phone", .. })
        ));
        assert!(err.is_err_and(|e| e.to_string().starts_with("phone: ")));
    }

    #[test]
    fn verification_methods_by_name() {
        for m in VerificationMethod::ALL {
            assert_eq!(m.as_str().parse(), Ok(m));
            let json = serde_json::to_string(&m).ok();
            assert_eq!(json, Some(format!("\"{m}\"")));
        }
        assert_eq!("kakao_sync".parse(), Ok(VerificationMethod::KakaoSync));
        assert!("KakaoSync".parse::<VerificationMethod>().is_err());
        assert!("".parse::<VerificationMethod>().is_err());
    }

    #[test]
    fn mobile_numbers_in_their_usual_spellings() {
        for (raw, want) in [
            ("01012345678", "01012345678"),
            ("010-1234-5678", "01012345678"),
            ("010 1234 5678", "01012345678"),
            (" 010-1234-5678 ", "01012345678"),
            ("+82 10-1234-5678", "01012345678"),
            ("+821012345678", "01012345678"),
            ("+82-10-1234-5678", "01012345678"),
            ("+82 010-1234-5678", "01012345678"),
            ("011-123-4567", "0111234567"),
            ("016-1234-5678", "01612345678"),
            ("017-123-4567", "0171234567"),
            ("018-1234-5678", "01812345678"),
            ("019-123-4567", "0191234567"),
            ("010-123-4567", "0101234567"),
        ] {
            assert_eq!(normalize_mobile(raw), Ok(want.to_owned()), "{raw}");
        }
    }

    #[test]
    fn non_mobile_numbers_are_refused() {
        for raw in [
            "",
            "   ",
            "---",
            "02-123-4567",
            "031-123-4567",
            "012-1234-5678",
            "015-1234-5678",
            "010-123-456",
            "010-1234-56789",
            "010-12345-67890",
            "1012345678",
            "010.1234.5678",
            "(010) 1234-5678",
            "010-1234-567８",
            "+1 010-1234-5678",
            "82-10-1234-5678",
            "+82",
            "010-abcd-5678",
        ] {
            let err = normalize_mobile(raw);
            assert!(
                matches!(
                    err,
                    Err(CoreError::InvalidField {
                        field: "mobile",
                        ..
                    })
                ),
                "{raw:?} gave {err:?}"
            );
        }
    }

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof![
            Just(String::new()),
            Just(" ".to_owned()),
            "[가-힣a-z ]{0,6}"
        ])
    }

    fn any_custom() -> impl Strategy<Value = Custom> {
        proptest::collection::btree_map((1u8..=10).prop_map(slot), "[가-힣a-z ]{0,4}", 0..4)
    }

    proptest! {
        /// Whatever an inflow carries, a stored value is only ever replaced by a non-empty one.
        #[test]
        fn inflows_never_erase(
            (name, phone, email) in (opt_text(), opt_text(), opt_text()),
            (n2, p2, e2) in (opt_text(), opt_text(), opt_text()),
            stored_custom in any_custom(),
            custom in any_custom(),
        ) {
            let before = ProfileData { name, phone, email, custom: stored_custom };
            let fields = Fields { name: n2.clone(), phone: p2, email: e2, ..Fields::default() };
            let after = apply_inflow(&before, &fields, &custom);
            for (b, a) in [(&before.name, &after.name), (&before.phone, &after.phone), (&before.email, &after.email)] {
                if b.is_some() {
                    prop_assert!(a.as_deref().is_some_and(|v| !v.trim().is_empty() || Some(v) == b.as_deref()));
                }
            }
            match n2.as_deref() {
                Some(v) if !v.trim().is_empty() => prop_assert_eq!(after.name.as_deref(), Some(v)),
                _ => prop_assert_eq!(&after.name, &before.name),
            }
            for (slot, value) in &before.custom {
                prop_assert!(after.custom.contains_key(slot), "{} lost {}", slot, value);
            }
            for (slot, value) in &custom {
                if !value.trim().is_empty() {
                    prop_assert_eq!(after.custom.get(slot), Some(value));
                }
            }
        }
    }

    #[test]
    fn mobile_is_not_editable_error_exists_for_the_api() {
        assert_eq!(CoreError::MobileNotEditable.code(), "mobile_not_editable");
    }
}
