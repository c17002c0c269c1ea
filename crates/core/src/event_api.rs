//! The Event API's recipients and results (R5.1): who a request may name, on which channel each
//! is reached, and what a task says of them.

use serde::{Deserialize, Serialize};

/// Most recipients one request names.
pub const MAX_RECIPIENTS: usize = 100;
/// Longest recipient id.
pub const MAX_RECIPIENT_ID_CHARS: usize = 300;

/// How a request names a recipient (its `user[].type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RecipientKind {
    /// A KakaoTalk user by the bot's user key (the key Sangdam's Kakao rooms have).
    #[serde(rename = "botUserKey")]
    BotUserKey,
    /// A KakaoTalk user by the channel's user key.
    #[serde(rename = "plusfriendUserKey")]
    PlusfriendUserKey,
    /// A KakaoTalk user by the app's user id.
    #[serde(rename = "appUserId")]
    AppUserId,
    /// A Naver TalkTalk user by their user id.
    #[serde(rename = "talktalkUserId")]
    TalktalkUserId,
    /// A web chat customer by the site's member ID (`site_uid`).
    #[serde(rename = "siteUid")]
    SiteUid,
}

/// The channel a recipient is reached on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventChannel {
    Kakao,
    Naver,
    Webchat,
}

impl EventChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            EventChannel::Kakao => "kakao",
            EventChannel::Naver => "naver",
            EventChannel::Webchat => "webchat",
        }
    }

    pub fn parse(s: &str) -> Option<EventChannel> {
        [
            EventChannel::Kakao,
            EventChannel::Naver,
            EventChannel::Webchat,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

impl RecipientKind {
    pub const ALL: [RecipientKind; 5] = [
        RecipientKind::BotUserKey,
        RecipientKind::PlusfriendUserKey,
        RecipientKind::AppUserId,
        RecipientKind::TalktalkUserId,
        RecipientKind::SiteUid,
    ];

    /// The name a request gives (`botUserKey`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RecipientKind::BotUserKey => "botUserKey",
            RecipientKind::PlusfriendUserKey => "plusfriendUserKey",
            RecipientKind::AppUserId => "appUserId",
            RecipientKind::TalktalkUserId => "talktalkUserId",
            RecipientKind::SiteUid => "siteUid",
        }
    }

    pub fn parse(s: &str) -> Option<RecipientKind> {
        RecipientKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn channel(self) -> EventChannel {
        match self {
            RecipientKind::BotUserKey
            | RecipientKind::PlusfriendUserKey
            | RecipientKind::AppUserId => EventChannel::Kakao,
            RecipientKind::TalktalkUserId => EventChannel::Naver,
            RecipientKind::SiteUid => EventChannel::Webchat,
        }
    }
}

/// One recipient, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Recipient {
    pub kind: RecipientKind,
    pub id: String,
}

/// The recipients a request names, as (`type`, `id`), checked together: 1 to
/// [`MAX_RECIPIENTS`], each of a known type with an id of 1 to [`MAX_RECIPIENT_ID_CHARS`]
/// characters without control characters, none twice. Every problem is named by its path.
pub fn check_recipients(users: &[(&str, &str)]) -> Result<Vec<Recipient>, Vec<(String, String)>> {
    let mut problems = Vec::new();
    if users.is_empty() || users.len() > MAX_RECIPIENTS {
        problems.push((
            "user".to_owned(),
            format!("names 1 to {MAX_RECIPIENTS} recipients"),
        ));
        return Err(problems);
    }
    let mut out: Vec<Recipient> = Vec::with_capacity(users.len());
    for (i, (kind, id)) in users.iter().enumerate() {
        let Some(kind) = RecipientKind::parse(kind) else {
            problems.push((
                format!("user[{i}].type"),
                format!(
                    "{kind:?} is not a recipient type (botUserKey, plusfriendUserKey, appUserId, talktalkUserId, siteUid)"
                ),
            ));
            continue;
        };
        if id.trim().is_empty()
            || id.chars().count() > MAX_RECIPIENT_ID_CHARS
            || id.chars().any(char::is_control)
        {
            problems.push((
                format!("user[{i}].id"),
                format!(
                    "an id has 1 to {MAX_RECIPIENT_ID_CHARS} characters, none a control character"
                ),
            ));
            continue;
        }
        let r = Recipient {
            kind,
            id: (*id).to_owned(),
        };
        if out.contains(&r) {
            problems.push((format!("user[{i}]"), "names a recipient twice".to_owned()));
            continue;
        }
        out.push(r);
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Where one recipient's message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DeliveryState {
    Pending,
    Delivered,
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryState> {
        [
            DeliveryState::Pending,
            DeliveryState::Delivered,
            DeliveryState::Failed,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }
}

/// A task's status in Kakao's words: `PROCESSING` while a recipient waits, then `SUCCESS`
/// (`FAIL` when nobody got the message).
pub fn task_status(states: &[DeliveryState]) -> &'static str {
    if states.contains(&DeliveryState::Pending) {
        "PROCESSING"
    } else if !states.is_empty() && states.iter().all(|s| *s == DeliveryState::Failed) {
        "FAIL"
    } else {
        "SUCCESS"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_name_their_channel() {
        for k in RecipientKind::ALL {
            assert_eq!(RecipientKind::parse(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(RecipientKind::BotUserKey.channel(), EventChannel::Kakao);
        assert_eq!(RecipientKind::AppUserId.channel(), EventChannel::Kakao);
        assert_eq!(RecipientKind::TalktalkUserId.channel(), EventChannel::Naver);
        assert_eq!(RecipientKind::SiteUid.channel(), EventChannel::Webchat);
        for c in [
            EventChannel::Kakao,
            EventChannel::Naver,
            EventChannel::Webchat,
        ] {
            assert_eq!(EventChannel::parse(c.as_str()), Some(c));
        }
    }

    #[test]
    fn recipients_are_checked_together() {
        let ok = check_recipients(&[("botUserKey", "U1"), ("siteUid", "member-7")]).unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].kind, RecipientKind::SiteUid);
        assert!(check_recipients(&[]).is_err());
        let many: Vec<(&str, String)> = (0..=MAX_RECIPIENTS)
            .map(|i| ("botUserKey", format!("U{i}")))
            .collect();
        let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert!(check_recipients(&many).is_err());
        assert!(check_recipients(&many[..MAX_RECIPIENTS]).is_ok());
        let bad = check_recipients(&[
            ("email", "a@b"),
            ("botUserKey", " "),
            ("botUserKey", "U1"),
            ("botUserKey", "U1"),
            ("siteUid", "a\nb"),
        ])
        .unwrap_err();
        let paths: Vec<&str> = bad.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            ["user[0].type", "user[1].id", "user[3]", "user[4].id"]
        );
        // The same id on two channels is two recipients.
        assert!(check_recipients(&[("botUserKey", "X"), ("talktalkUserId", "X")]).is_ok());
    }

    #[test]
    fn a_task_is_processing_until_everyone_is_done() {
        use DeliveryState::{Delivered, Failed, Pending};
        assert_eq!(task_status(&[Pending, Delivered]), "PROCESSING");
        assert_eq!(task_status(&[Failed, Delivered]), "SUCCESS");
        assert_eq!(task_status(&[Failed, Failed]), "FAIL");
        assert_eq!(task_status(&[Delivered]), "SUCCESS");
        for s in [Pending, Delivered, Failed] {
            assert_eq!(DeliveryState::parse(s.as_str()), Some(s));
        }
    }
}
