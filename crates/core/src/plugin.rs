//! Plugins and the bot's channels (R6.1, R6.2): what each plugin needs before it may be set
//! up, named one by one when missing, and which plugins stop working when the development
//! channel they were set up on is unlinked.

use serde::{Deserialize, Serialize};

/// A plugin a bot's blocks use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Plugin {
    /// Asks for the customer's profile (name, phone, e-mail, consent).
    Profile,
    /// Kakao Sync: sign-up with the Kakao account.
    KakaoSync,
    /// Hands the customer to an agent.
    Consultation,
    /// The customer's current location (the browser's, with consent, on web chat).
    Location,
}

/// One item of a plugin's checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Check {
    /// The platform operator approved the site's business.
    BusinessVerified,
    /// The business channel is linked to the Kakao app.
    BusinessChannelLinked,
    /// Kakao's review of the "personal information items" passed.
    PersonalInfoReview,
    /// Kakao's review of the "simple sign-up terms" passed.
    SyncTermsReview,
    /// The development and operating channels are linked to the same Kakao app.
    ChannelsSameApp,
}

/// Which of the bot's channels a plugin was set up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ChannelSlot {
    Development,
    Operating,
}

/// What the site has of each check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Setup {
    pub business_verified: bool,
    pub business_channel_linked: bool,
    pub personal_info_review: bool,
    pub sync_terms_review: bool,
    pub channels_same_app: bool,
}

impl Plugin {
    pub const ALL: [Plugin; 4] = [
        Plugin::Profile,
        Plugin::KakaoSync,
        Plugin::Consultation,
        Plugin::Location,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Plugin::Profile => "profile",
            Plugin::KakaoSync => "kakao_sync",
            Plugin::Consultation => "consultation",
            Plugin::Location => "location",
        }
    }

    pub fn parse(s: &str) -> Option<Plugin> {
        Plugin::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// What the plugin needs, in the order it is checked: every plugin a verified business;
    /// the profile plugin the business channel linked to the app and Kakao's review of the
    /// personal information items; Kakao Sync also the sign-up terms' review and both channels
    /// linked to the same app.
    pub fn checklist(self) -> &'static [Check] {
        match self {
            Plugin::Profile => &[
                Check::BusinessVerified,
                Check::BusinessChannelLinked,
                Check::PersonalInfoReview,
            ],
            Plugin::KakaoSync => &[
                Check::BusinessVerified,
                Check::BusinessChannelLinked,
                Check::PersonalInfoReview,
                Check::SyncTermsReview,
                Check::ChannelsSameApp,
            ],
            Plugin::Consultation | Plugin::Location => &[Check::BusinessVerified],
        }
    }
}

impl Check {
    pub fn as_str(self) -> &'static str {
        match self {
            Check::BusinessVerified => "business_verified",
            Check::BusinessChannelLinked => "business_channel_linked",
            Check::PersonalInfoReview => "personal_info_review",
            Check::SyncTermsReview => "sync_terms_review",
            Check::ChannelsSameApp => "channels_same_app",
        }
    }

    /// What the person refused reads: what is missing and what to do.
    pub fn explain(self) -> &'static str {
        match self {
            Check::BusinessVerified => {
                "the site's business is not verified: submit it and wait for the platform operator's approval"
            }
            Check::BusinessChannelLinked => {
                "the business channel is not linked to the Kakao app: link it in Kakao's developer console"
            }
            Check::PersonalInfoReview => {
                "Kakao's review of the personal information items has not passed: apply for it in Kakao's developer console"
            }
            Check::SyncTermsReview => {
                "Kakao's review of the simple sign-up terms has not passed: apply for it in Kakao's developer console"
            }
            Check::ChannelsSameApp => {
                "the development and operating channels are not linked to the same Kakao app"
            }
        }
    }

    fn met(self, s: &Setup) -> bool {
        match self {
            Check::BusinessVerified => s.business_verified,
            Check::BusinessChannelLinked => s.business_channel_linked,
            Check::PersonalInfoReview => s.personal_info_review,
            Check::SyncTermsReview => s.sync_terms_review,
            Check::ChannelsSameApp => s.channels_same_app,
        }
    }
}

impl ChannelSlot {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelSlot::Development => "development",
            ChannelSlot::Operating => "operating",
        }
    }

    pub fn parse(s: &str) -> Option<ChannelSlot> {
        [ChannelSlot::Development, ChannelSlot::Operating]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// Each item of the plugin's checklist and whether the site meets it.
pub fn checklist(plugin: Plugin, setup: &Setup) -> Vec<(Check, bool)> {
    plugin
        .checklist()
        .iter()
        .map(|c| (*c, c.met(setup)))
        .collect()
}

/// What the plugin still needs, in checklist order.
pub fn missing(plugin: Plugin, setup: &Setup) -> Vec<Check> {
    checklist(plugin, setup)
        .into_iter()
        .filter(|(_, met)| !met)
        .map(|(c, _)| c)
        .collect()
}

/// The channel a plugin set up now is set up on: the operating channel when the bot has one
/// linked, else the development channel; none when neither is linked.
pub fn setup_slot(development_linked: bool, operating_linked: bool) -> Option<ChannelSlot> {
    if operating_linked {
        Some(ChannelSlot::Operating)
    } else if development_linked {
        Some(ChannelSlot::Development)
    } else {
        None
    }
}

/// What a plugin set up on the development channel says once that channel is unlinked.
pub const BROKEN_BY_UNLINK: &str = "it was set up while the bot was linked to the development channel, which was unlinked: link the development channel again, or set the plugin up again while the operating channel is linked";

/// The plugins that stop working when the development channel is unlinked: those set up on it.
pub fn broken_by_unlinking(enabled: &[(Plugin, ChannelSlot)]) -> Vec<Plugin> {
    enabled
        .iter()
        .filter(|(_, slot)| *slot == ChannelSlot::Development)
        .map(|(p, _)| *p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Plugin::ALL {
            assert_eq!(Plugin::parse(p.as_str()), Some(p));
        }
        for c in [ChannelSlot::Development, ChannelSlot::Operating] {
            assert_eq!(ChannelSlot::parse(c.as_str()), Some(c));
        }
        assert_eq!(Plugin::parse("Profile"), None);
    }

    #[test]
    fn each_plugin_names_what_it_lacks_in_order() {
        let none = Setup::default();
        assert_eq!(
            missing(Plugin::Profile, &none),
            [
                Check::BusinessVerified,
                Check::BusinessChannelLinked,
                Check::PersonalInfoReview
            ]
        );
        assert_eq!(
            missing(Plugin::Consultation, &none),
            [Check::BusinessVerified]
        );
        let verified = Setup {
            business_verified: true,
            ..Setup::default()
        };
        assert!(missing(Plugin::Consultation, &verified).is_empty());
        assert!(missing(Plugin::Location, &verified).is_empty());
        let profile_ready = Setup {
            business_channel_linked: true,
            personal_info_review: true,
            ..verified
        };
        assert!(missing(Plugin::Profile, &profile_ready).is_empty());
        assert_eq!(
            missing(Plugin::KakaoSync, &profile_ready),
            [Check::SyncTermsReview, Check::ChannelsSameApp]
        );
        let all = Setup {
            sync_terms_review: true,
            channels_same_app: true,
            ..profile_ready
        };
        for p in Plugin::ALL {
            assert!(missing(p, &all).is_empty(), "{p:?}");
            assert!(checklist(p, &all).iter().all(|(_, met)| *met));
        }
        for c in Plugin::KakaoSync.checklist() {
            assert!(!c.explain().is_empty());
        }
    }

    #[test]
    fn plugins_set_up_on_the_development_channel_break_when_it_goes() {
        assert_eq!(setup_slot(false, false), None);
        assert_eq!(setup_slot(true, false), Some(ChannelSlot::Development));
        assert_eq!(setup_slot(true, true), Some(ChannelSlot::Operating));
        assert_eq!(setup_slot(false, true), Some(ChannelSlot::Operating));
        let enabled = [
            (Plugin::Profile, ChannelSlot::Development),
            (Plugin::Consultation, ChannelSlot::Operating),
            (Plugin::KakaoSync, ChannelSlot::Development),
        ];
        assert_eq!(
            broken_by_unlinking(&enabled),
            [Plugin::Profile, Plugin::KakaoSync]
        );
        assert!(broken_by_unlinking(&[]).is_empty());
    }
}
