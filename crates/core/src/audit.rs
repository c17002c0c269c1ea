//! What the audit log records (R8.2): the administrative actions of a site — settings saved,
//! secrets shown or replaced, accounts added, sessions ended, rooms linked and links undone —
//! each named by one [`AuditAction`], stored under its [`AuditAction::as_str`].
//!
//! The log says who, what and when; what changed is a JSON detail the use case writes (the new
//! settings, the room and profiles of a link), never a secret itself.

use serde::{Deserialize, Serialize};

/// One kind of administrative action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// The parameter and identity settings (`/site/settings`).
    SiteSettingsSaved,
    /// The site secret was shown.
    SiteSecretViewed,
    /// A new site secret was issued.
    SiteSecretRotated,
    /// A messenger channel's key was shown.
    ChannelKeyViewed,
    /// A messenger channel's key was replaced.
    ChannelKeyRotated,
    /// An account was added.
    AccountCreated,
    /// An account was renamed or given another role.
    AccountEdited,
    /// An account was deactivated (its sessions and tokens ended).
    AccountDeactivated,
    /// A deactivated account was let in again.
    AccountReactivated,
    /// The admin set a new password for an account.
    PasswordReset,
    /// Someone changed their own password.
    PasswordChanged,
    /// An account's limit, channels and categories.
    RoutingSaved,
    /// The site's distribution mode and timers.
    DistributionSaved,
    /// Business hours and holidays.
    HoursSaved,
    /// Holidays imported from an iCalendar file.
    HolidaysImported,
    /// The automatic messages.
    AutoMessagesSaved,
    /// The auto-close rules.
    AutoCloseSaved,
    /// A category was added, renamed, switched or moved.
    CategoriesChanged,
    /// A login session was ended (by its owner or by the admin).
    SessionEnded,
    /// A room was given an ID (its profile named, or the room moved to another profile).
    RoomLinked,
    /// A link was undone.
    LinkUndone,
    /// A customer profile was edited by hand.
    ProfileEdited,
    /// A verified mobile number was recorded.
    MobileVerified,
    /// A customer's grade (normal, VIP, blocked) was changed.
    CustomerGraded,
    /// The site's tag list was saved.
    SiteTagsSaved,
    /// A consultation's messages, files and inflows were deleted.
    ConsultationDeleted,
    /// The chatbot's settings were saved.
    BotSaved,
    /// The wallet's details, people or cards were changed, or paid cash refunded.
    WalletChanged,
    /// The site's business was submitted for verification.
    BusinessSubmitted,
    /// The platform operator approved or rejected the site's business.
    BusinessReviewed,
    /// The platform operator granted free cash to the site's wallet.
    CashGranted,
}

impl AuditAction {
    pub const ALL: [AuditAction; 31] = [
        AuditAction::SiteSettingsSaved,
        AuditAction::SiteSecretViewed,
        AuditAction::SiteSecretRotated,
        AuditAction::ChannelKeyViewed,
        AuditAction::ChannelKeyRotated,
        AuditAction::AccountCreated,
        AuditAction::AccountEdited,
        AuditAction::AccountDeactivated,
        AuditAction::AccountReactivated,
        AuditAction::PasswordReset,
        AuditAction::PasswordChanged,
        AuditAction::RoutingSaved,
        AuditAction::DistributionSaved,
        AuditAction::HoursSaved,
        AuditAction::HolidaysImported,
        AuditAction::AutoMessagesSaved,
        AuditAction::AutoCloseSaved,
        AuditAction::CategoriesChanged,
        AuditAction::SessionEnded,
        AuditAction::RoomLinked,
        AuditAction::LinkUndone,
        AuditAction::ProfileEdited,
        AuditAction::MobileVerified,
        AuditAction::CustomerGraded,
        AuditAction::SiteTagsSaved,
        AuditAction::ConsultationDeleted,
        AuditAction::BotSaved,
        AuditAction::WalletChanged,
        AuditAction::BusinessSubmitted,
        AuditAction::BusinessReviewed,
        AuditAction::CashGranted,
    ];

    /// The name stored and shown in the API (`site_settings_saved`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SiteSettingsSaved => "site_settings_saved",
            AuditAction::SiteSecretViewed => "site_secret_viewed",
            AuditAction::SiteSecretRotated => "site_secret_rotated",
            AuditAction::ChannelKeyViewed => "channel_key_viewed",
            AuditAction::ChannelKeyRotated => "channel_key_rotated",
            AuditAction::AccountCreated => "account_created",
            AuditAction::AccountEdited => "account_edited",
            AuditAction::AccountDeactivated => "account_deactivated",
            AuditAction::AccountReactivated => "account_reactivated",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::RoutingSaved => "routing_saved",
            AuditAction::DistributionSaved => "distribution_saved",
            AuditAction::HoursSaved => "hours_saved",
            AuditAction::HolidaysImported => "holidays_imported",
            AuditAction::AutoMessagesSaved => "auto_messages_saved",
            AuditAction::AutoCloseSaved => "auto_close_saved",
            AuditAction::CategoriesChanged => "categories_changed",
            AuditAction::SessionEnded => "session_ended",
            AuditAction::RoomLinked => "room_linked",
            AuditAction::LinkUndone => "link_undone",
            AuditAction::ProfileEdited => "profile_edited",
            AuditAction::MobileVerified => "mobile_verified",
            AuditAction::CustomerGraded => "customer_graded",
            AuditAction::SiteTagsSaved => "site_tags_saved",
            AuditAction::ConsultationDeleted => "consultation_deleted",
            AuditAction::BotSaved => "bot_saved",
            AuditAction::WalletChanged => "wallet_changed",
            AuditAction::BusinessSubmitted => "business_submitted",
            AuditAction::BusinessReviewed => "business_reviewed",
            AuditAction::CashGranted => "cash_granted",
        }
    }

    /// The action stored as `s`; `None` for a name no action has.
    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A browser's `User-Agent` as a person recognises it: "Chrome · Windows", "Safari · iOS",
/// "Whale · Android". Unknown parts read `?`; an empty header reads as empty.
pub fn device_label(user_agent: &str) -> String {
    let ua = user_agent.trim();
    if ua.is_empty() {
        return String::new();
    }
    // Order matters: Edge, Whale, Samsung Internet and Opera also say "Chrome" and "Safari";
    // Chrome says "Safari"; Chrome on iOS says "CriOS", Firefox on iOS "FxiOS".
    let browser = [
        ("Edg/", "Edge"),
        ("Edge/", "Edge"),
        ("Whale/", "Whale"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("OPR/", "Opera"),
        ("KAKAOTALK", "KakaoTalk"),
        ("NAVER(inapp", "NAVER app"),
        ("CriOS/", "Chrome"),
        ("FxiOS/", "Firefox"),
        ("Firefox/", "Firefox"),
        ("HeadlessChrome/", "Chrome (headless)"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .into_iter()
    .find(|(needle, _)| ua.contains(needle))
    .map_or("?", |(_, name)| name);
    let os = [
        ("Windows", "Windows"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(needle, _)| ua.contains(needle))
    .map_or("?", |(_, name)| name);
    format!("{browser} · {os}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_its_own_name_and_reads_back() {
        let mut names: Vec<_> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len());
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::Value::String(a.as_str().to_owned())
            );
            assert_eq!(a.to_string(), a.as_str());
        }
        for bad in ["", "Account_Created", "account-created", "everything"] {
            assert_eq!(AuditAction::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn devices_read_as_people_know_them() {
        let cases = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                "Chrome · Windows",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge · Windows",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                "Safari · macOS",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1",
                "Chrome · iOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
                "Samsung Internet · Android",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Whale/3.27.254.15 Safari/537.36",
                "Whale · Windows",
            ),
            (
                "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                "Firefox · Linux",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
                "Chrome (headless) · Linux",
            ),
            ("curl/8.5.0", "curl · ?"),
            ("something else", "? · ?"),
            ("", ""),
            ("   ", ""),
        ];
        for (ua, want) in cases {
            assert_eq!(device_label(ua), want, "{ua}");
        }
    }
}
