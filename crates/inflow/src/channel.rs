//! The four channels a chat URL can belong to.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A channel customers arrive through. Each writes parameters in its own syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Web chat, first generation: query style, the ID written `uid` behind `is_login=Y`.
    WebchatV1,
    /// Web chat, second generation: one `params` query parameter holding a comma list.
    WebchatV2,
    /// KakaoTalk channel: query style (`&`).
    Kakao,
    /// Naver TalkTalk: pairs after `|`.
    Naver,
}

impl Channel {
    /// Every channel, in the order they are shown to people.
    pub const ALL: [Channel; 4] = [
        Channel::Kakao,
        Channel::WebchatV1,
        Channel::WebchatV2,
        Channel::Naver,
    ];

    /// The stable name used in URLs, the API and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::WebchatV1 => "webchat_v1",
            Channel::WebchatV2 => "webchat_v2",
            Channel::Kakao => "kakao",
            Channel::Naver => "naver",
        }
    }

    /// Whether this is one of the two web chat generations (whose customer key derives from
    /// the site's own ID, unlike the messengers' opaque user ids).
    pub fn is_webchat(self) -> bool {
        matches!(self, Channel::WebchatV1 | Channel::WebchatV2)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A channel name that is not one of `kakao`, `webchat_v1`, `webchat_v2`, `naver`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown channel {0:?}: expected one of kakao, webchat_v1, webchat_v2, naver")]
pub struct UnknownChannel(pub String);

impl FromStr for Channel {
    type Err = UnknownChannel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownChannel(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>(), Ok(c));
            assert_eq!(c.to_string(), c.as_str());
        }
    }

    #[test]
    fn unknown_name_is_an_error_naming_it() {
        let err = "line".parse::<Channel>().unwrap_err();
        assert!(err.to_string().contains("\"line\""));
        assert!("Kakao".parse::<Channel>().is_err());
    }
}
