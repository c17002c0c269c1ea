//! What a customer gives through a plugin's step in the chat (R6.1): the profile form's
//! values with their consent, and a current location. Both are checked here, before anything
//! is stored, with errors that name the field.

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::profile::{ProfileData, ProfileEdit, apply_edit};

/// The profile form as the customer sends it: the values they typed and whether they agreed
/// to give them (the sign-up terms too, for the Kakao Sync form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub consent: bool,
}

/// The change the form makes to a profile (only the values given: an empty field erases
/// nothing), or the first thing the form gets wrong. Consent is required; at least one value
/// must be given; each value is checked as an agent's edit is (the phone lands in `phone`: a
/// number typed into a form is not a verified mobile, R2.6).
pub fn form_edit(form: &ProfileForm) -> Result<ProfileEdit, CoreError> {
    if !form.consent {
        return Err(CoreError::field(
            "consent",
            "the customer must agree to give these details",
        ));
    }
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let edit = ProfileEdit {
        name: given(&form.name),
        phone: given(&form.phone),
        email: given(&form.email),
    };
    if edit.name.is_none() && edit.phone.is_none() && edit.email.is_none() {
        return Err(CoreError::field(
            "name",
            "give at least a name, a phone number or an e-mail address",
        ));
    }
    apply_edit(&ProfileData::default(), &edit)?;
    Ok(edit)
}

/// A location a browser gave, in degrees (WGS 84) with its accuracy in metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
    /// The radius the browser is sure of, in metres (absent: not said).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<f64>,
}

impl Location {
    /// A location with its numbers in range, or the first that is not.
    pub fn new(
        latitude: f64,
        longitude: f64,
        accuracy: Option<f64>,
    ) -> Result<Location, CoreError> {
        if !latitude.is_finite() || !(-90.0..=90.0).contains(&latitude) {
            return Err(CoreError::field("latitude", "between -90 and 90 degrees"));
        }
        if !longitude.is_finite() || !(-180.0..=180.0).contains(&longitude) {
            return Err(CoreError::field(
                "longitude",
                "between -180 and 180 degrees",
            ));
        }
        if let Some(a) = accuracy
            && (!a.is_finite() || a < 0.0)
        {
            return Err(CoreError::field("accuracy", "zero or more metres"));
        }
        Ok(Location {
            latitude,
            longitude,
            accuracy,
        })
    }

    /// The location as an agent reads it in the conversation: the coordinates to five
    /// decimals (about a metre), the accuracy in whole metres, and a map link.
    pub fn text(&self) -> String {
        let accuracy = self
            .accuracy
            .map(|a| format!(" (±{} m)", a.round() as i64))
            .unwrap_or_default();
        format!(
            "현재 위치: {:.5}, {:.5}{accuracy}\nhttps://map.kakao.com/link/map/{:.5},{:.5}",
            self.latitude, self.longitude, self.latitude, self.longitude
        )
    }
}

/// The form's values as an agent reads them in the conversation (only what was given).
pub fn form_text(form: &ProfileForm) -> String {
    let mut lines = vec!["프로필 정보를 보냈습니다.".to_owned()];
    for (label, v) in [
        ("이름", &form.name),
        ("전화번호", &form.phone),
        ("이메일", &form.email),
    ] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            lines.push(format!("{label}: {v}"));
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn form(name: &str, phone: &str, email: &str, consent: bool) -> ProfileForm {
        let v = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        ProfileForm {
            name: v(name),
            phone: v(phone),
            email: v(email),
            consent,
        }
    }

    fn apply_form(p: &ProfileData, f: &ProfileForm) -> Result<ProfileData, CoreError> {
        apply_edit(p, &form_edit(f)?)
    }

    #[test]
    fn a_form_needs_consent_and_a_value() {
        let p = ProfileData::default();
        let e = apply_form(&p, &form("홍길동", "", "", false)).unwrap_err();
        assert_eq!(e.field_name(), Some("consent"));
        let e = apply_form(&p, &form(" ", "", "", true)).unwrap_err();
        assert_eq!(e.field_name(), Some("name"));
    }

    #[test]
    fn a_form_lands_in_name_phone_and_email_and_keeps_the_rest() {
        let p = ProfileData {
            name: Some("예전 이름".into()),
            email: Some("old@example.com".into()),
            ..ProfileData::default()
        };
        let after = apply_form(&p, &form(" 홍길동 ", "010-1234-5678", "", true)).unwrap();
        assert_eq!(after.name.as_deref(), Some("홍길동"));
        assert_eq!(after.phone.as_deref(), Some("010-1234-5678"));
        // Not given: kept, not erased.
        assert_eq!(after.email.as_deref(), Some("old@example.com"));
    }

    #[test]
    fn a_form_with_a_bad_value_names_it() {
        let p = ProfileData::default();
        let e = apply_form(&p, &form("홍길동", "전화 없음", "", true)).unwrap_err();
        assert_eq!(e.field_name(), Some("phone"));
        let e = apply_form(&p, &form("홍길동", "", "not an address", true)).unwrap_err();
        assert_eq!(e.field_name(), Some("email"));
    }

    #[test]
    fn a_location_is_in_range() {
        assert!(Location::new(37.5665, 126.978, Some(30.0)).is_ok());
        assert!(Location::new(-90.0, 180.0, None).is_ok());
        for (lat, lng, acc, field) in [
            (90.5, 0.0, None, "latitude"),
            (f64::NAN, 0.0, None, "latitude"),
            (0.0, -180.1, None, "longitude"),
            (0.0, f64::INFINITY, None, "longitude"),
            (0.0, 0.0, Some(-1.0), "accuracy"),
        ] {
            let e = Location::new(lat, lng, acc).unwrap_err();
            assert_eq!(e.field_name(), Some(field), "{lat} {lng} {acc:?}");
        }
    }

    #[test]
    fn what_the_agent_reads() {
        let l = Location::new(37.566_535, 126.977_969_2, Some(29.6)).unwrap();
        assert_eq!(
            l.text(),
            "현재 위치: 37.56654, 126.97797 (±30 m)\nhttps://map.kakao.com/link/map/37.56654,126.97797"
        );
        assert_eq!(
            form_text(&form("홍길동", "", "hong@example.com", true)),
            "프로필 정보를 보냈습니다.\n이름: 홍길동\n이메일: hong@example.com"
        );
    }
}
