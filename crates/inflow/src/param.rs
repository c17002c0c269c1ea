//! The parameter vocabulary: fixed fields, custom slots, and how names map onto them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::channel::Channel;

/// A fixed parameter a chat URL may set (R1.1), under its canonical name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    SiteUid,
    Name,
    Phone,
    Email,
    UserParameter,
    CategoryId,
    DivisionId,
    BotStart,
    /// HMAC-SHA256 of the site_uid under the site's secret, proving the ID (R2.8).
    SiteUidHash,
}

impl Field {
    /// Every settable field, in canonical order.
    pub const ALL: [Field; 9] = [
        Field::SiteUid,
        Field::Name,
        Field::Phone,
        Field::Email,
        Field::UserParameter,
        Field::CategoryId,
        Field::DivisionId,
        Field::BotStart,
        Field::SiteUidHash,
    ];

    /// The canonical parameter name.
    pub fn name(self) -> &'static str {
        match self {
            Field::SiteUid => "site_uid",
            Field::Name => "cus_extra_username",
            Field::Phone => "cus_extra_phone",
            Field::Email => "cus_extra_email",
            Field::UserParameter => "user_parameter",
            Field::CategoryId => "category_id",
            Field::DivisionId => "division_id",
            Field::BotStart => "bot_start",
            Field::SiteUidHash => "site_uid_hash",
        }
    }

    /// Maximum length in Unicode characters, for string fields.
    pub fn max_chars(self) -> Option<usize> {
        match self {
            Field::SiteUid => Some(255),
            Field::Name | Field::Phone | Field::Email => Some(100),
            Field::UserParameter => Some(200),
            Field::CategoryId | Field::DivisionId | Field::BotStart | Field::SiteUidHash => None,
        }
    }

    /// The label of the placeholder a chat-URL template shows for this field (`{고객ID}`), as
    /// on the help page integrators copy from.
    pub fn placeholder_label(self) -> &'static str {
        match self {
            Field::SiteUid => "고객ID",
            Field::Name => "고객이름",
            Field::Phone => "전화번호",
            Field::Email => "이메일",
            Field::UserParameter => "사용자변수",
            Field::CategoryId => "상담분류번호",
            Field::DivisionId => "상담중분류번호",
            Field::BotStart => "챗봇시작",
            Field::SiteUidHash => "ID서명",
        }
    }

    /// Whether the channel's URL syntax spells this field differently when building (v2 writes
    /// `categoryID`). Parsing accepts every spelling on every channel.
    pub(crate) fn spelling(self, channel: Channel) -> &'static str {
        match (self, channel) {
            (Field::CategoryId, Channel::WebchatV2) => "categoryID",
            (Field::DivisionId, Channel::WebchatV2) => "divisionID",
            _ => self.name(),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Field {
    type Err = ();

    /// Canonical names and aliases (`cus_extra_tel_phone`, `categoryID`, …).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "site_uid" => Field::SiteUid,
            "cus_extra_username" => Field::Name,
            "cus_extra_phone" | "cus_extra_tel_phone" => Field::Phone,
            "cus_extra_email" => Field::Email,
            "user_parameter" => Field::UserParameter,
            "category_id" | "categoryID" | "categoryId" => Field::CategoryId,
            "division_id" | "divisionID" | "divisionId" => Field::DivisionId,
            "bot_start" => Field::BotStart,
            "site_uid_hash" => Field::SiteUidHash,
            _ => return Err(()),
        })
    }
}

/// A custom parameter slot, `parameter1` … `parameter10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot(u8);

/// A name that is not `parameter1` … `parameter10`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a custom parameter slot (parameter1 … parameter10)")]
pub struct UnknownSlot(pub String);

impl Slot {
    pub const COUNT: usize = 10;

    /// Slot number `n` (1-based).
    pub fn new(n: u8) -> Option<Slot> {
        (1..=Self::COUNT as u8).contains(&n).then_some(Slot(n))
    }

    /// Every slot in order.
    pub fn all() -> impl Iterator<Item = Slot> {
        (1..=Self::COUNT as u8).map(Slot)
    }

    /// The 1-based slot number.
    pub fn number(self) -> u8 {
        self.0
    }

    /// Index into a 10-element array.
    pub(crate) fn index(self) -> usize {
        usize::from(self.0 - 1)
    }

    /// The parameter name, `parameterN`.
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 10] = [
            "parameter1",
            "parameter2",
            "parameter3",
            "parameter4",
            "parameter5",
            "parameter6",
            "parameter7",
            "parameter8",
            "parameter9",
            "parameter10",
        ];
        NAMES[self.index()]
    }

    /// Longest value a custom slot keeps (R1.2); longer values are cut.
    pub const MAX_CHARS: usize = 20;
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Slot {
    type Err = UnknownSlot;

    /// Exactly `parameter1` … `parameter10` (no leading zeros, lower case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || UnknownSlot(s.to_owned());
        let digits = s.strip_prefix("parameter").ok_or_else(err)?;
        if digits.is_empty()
            || digits.len() > 2
            || digits.starts_with('0')
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(err());
        }
        let n: u8 = digits.parse().map_err(|_| err())?;
        Slot::new(n).ok_or_else(err)
    }
}

impl Serialize for Slot {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Slot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What a parameter name means on a given channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Known {
    Field(Field),
    /// `category_name` / `division_name`: output only.
    ReadOnly,
    Custom(Slot),
    /// v1's `is_login` (`misspelled` for the help page's `in_login`).
    IsLogin {
        misspelled: bool,
    },
    /// v1's `uid`.
    Uid,
    /// v2's `params` list.
    Params,
    /// Anything else: kept as extra.
    Extra,
}

pub(crate) fn classify(name: &str, channel: Channel) -> Known {
    if let Ok(field) = name.parse::<Field>() {
        return Known::Field(field);
    }
    if name.starts_with("parameter")
        && let Ok(slot) = name.parse::<Slot>()
    {
        return Known::Custom(slot);
    }
    match (name, channel) {
        ("category_name" | "division_name", _) => Known::ReadOnly,
        ("is_login", Channel::WebchatV1) => Known::IsLogin { misspelled: false },
        ("in_login", Channel::WebchatV1) => Known::IsLogin { misspelled: true },
        ("uid", Channel::WebchatV1) => Known::Uid,
        ("params", Channel::WebchatV2) => Known::Params,
        _ => Known::Extra,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_parse_exactly() {
        assert_eq!("parameter1".parse::<Slot>().map(Slot::number), Ok(1));
        assert_eq!("parameter10".parse::<Slot>().map(Slot::number), Ok(10));
        for bad in [
            "parameter0",
            "parameter11",
            "parameter01",
            "parameter",
            "Parameter1",
            "parameter1a",
            "parameter+1",
            "parameter٣",
        ] {
            assert!(bad.parse::<Slot>().is_err(), "{bad}");
        }
        let names: Vec<_> = Slot::all().map(Slot::name).collect();
        assert_eq!(names.len(), 10);
        assert_eq!(names[9], "parameter10");
    }

    #[test]
    fn aliases_map_to_canonical_fields() {
        assert_eq!("cus_extra_tel_phone".parse(), Ok(Field::Phone));
        assert_eq!("categoryID".parse(), Ok(Field::CategoryId));
        assert_eq!("divisionID".parse(), Ok(Field::DivisionId));
        for f in Field::ALL {
            assert_eq!(f.name().parse(), Ok(f));
        }
    }

    #[test]
    fn channel_specific_names() {
        assert_eq!(classify("uid", Channel::WebchatV1), Known::Uid);
        assert_eq!(classify("uid", Channel::Kakao), Known::Extra);
        assert_eq!(classify("params", Channel::WebchatV2), Known::Params);
        assert_eq!(classify("params", Channel::Naver), Known::Extra);
        assert_eq!(
            classify("in_login", Channel::WebchatV1),
            Known::IsLogin { misspelled: true }
        );
        assert_eq!(classify("category_name", Channel::Kakao), Known::ReadOnly);
        assert_eq!(classify("partner_id", Channel::WebchatV2), Known::Extra);
        assert_eq!(classify("siteId", Channel::WebchatV2), Known::Extra);
    }
}
