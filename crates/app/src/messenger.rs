//! Messenger users (KakaoTalk, Naver TalkTalk): their inflows, their messages, the notes their
//! platform's events leave in the room, and what Naver tells of them.

use inflow::{Channel, Inflow, Warning, parse_pairs};
use protocol::naver::{ProfileOptions, ProfileResult};
use sangdam_core::rating::{Rating, Score};
use sangdam_core::{ChannelUser, ProfileEdit, customer_key, normalize_mobile};
use store::{
    Consult, ConsultationRecord, InflowRequest, MessageRecord, NewMessage, RoomRecord, Sender,
    SiteRecord, Target,
};

use crate::Services;
use crate::error::AppError;
use crate::events::Event;
use crate::webchat::MAX_MESSAGE_CHARS;

/// Longest referrer kept with an inflow (as web chat's Referer header).
const MAX_REFERRER_CHARS: usize = 500;
/// Longest name taken from a platform's profile.
const MAX_NICKNAME_CHARS: usize = 100;
/// How a mobile number Naver verified is recorded.
const NAVER_PROFILE: &str = "naver_profile";

fn platform_user(channel: Channel, user: &str) -> Result<ChannelUser<'_>, AppError> {
    match channel {
        Channel::Kakao => Ok(ChannelUser::Kakao(user)),
        Channel::Naver => Ok(ChannelUser::Naver(user)),
        other => Err(AppError::Internal(format!(
            "{} is not a messenger channel",
            other.as_str()
        ))),
    }
}

/// A messenger user's arrival.
#[derive(Debug, Clone, Copy)]
pub struct MessengerInflow<'a> {
    pub site: &'a SiteRecord,
    pub channel: Channel,
    /// The platform's user key.
    pub user: &'a str,
    pub inflow: &'a Inflow,
    /// The request as received, kept with the inflow.
    pub raw: &'a str,
    /// The page the user came from, when the platform says (Naver's `options.referer`).
    pub referrer: Option<&'a str>,
}

impl Services {
    /// Records an inflow of a messenger user: the room of their key, linked to the ID the
    /// inflow carries, and the consultation opened (with the site's title message) or joined.
    pub async fn messenger_inflow(
        &self,
        req: MessengerInflow<'_>,
    ) -> Result<(RoomRecord, ConsultationRecord), AppError> {
        let site = req.site;
        let identity = self.identity_of(site, &req.inflow.fields).await?;
        let key = customer_key(
            site.id,
            req.channel,
            identity.site_uid.as_deref(),
            platform_user(req.channel, req.user)?,
        )?;
        let mut warnings: Vec<Warning> = req.inflow.warnings.clone();
        warnings.extend(identity.warnings.iter().cloned());
        // Cut like web chat's Referer header: a platform's field is input too.
        let referrer: Option<String> = req
            .referrer
            .map(|r| r.chars().take(MAX_REFERRER_CHARS).collect());
        let result = self
            .store
            .record_inflow(InflowRequest {
                site: site.id,
                channel: req.channel,
                customer_key: &key,
                identity: &identity,
                inflow: req.inflow,
                warnings: &warnings,
                raw: req.raw,
                referrer: referrer.as_deref(),
                user_agent: None,
                consult: Consult::OpenOrJoin,
                now: self.now(),
            })
            .await?;
        let consultation = result.consultation.ok_or_else(|| {
            AppError::Internal("a messenger arrival without its consultation".into())
        })?;
        self.publish(
            std::iter::once(&consultation)
                .chain(&result.also_given)
                .map(Event::consultation),
        );
        let consultation = if result.opened {
            self.send_title(&consultation).await;
            self.after_opening(consultation, &result.also_given).await
        } else {
            consultation
        };
        Ok((result.room, consultation))
    }

    /// A messenger customer's answer to the rating request of their last consultation
    /// (R3.8): a quick reply's code (`rating:4`), or a text that reads as a score (`4점`,
    /// `★★★★☆`). Answers the consultation rated, thanked on the channel; `None` when the
    /// message is no such answer (no score, nothing asked, already rated, too late, or a newer
    /// consultation started), to go into a consultation as any message does.
    pub async fn messenger_rating(
        &self,
        site: &SiteRecord,
        channel: Channel,
        user: &str,
        text: &str,
        code: Option<&str>,
    ) -> Result<Option<ConsultationRecord>, AppError> {
        let button = code
            .and_then(|c| c.strip_prefix(crate::outbox::RATING_CODE))
            .and_then(|n| n.parse::<i64>().ok())
            .and_then(|n| Score::new(n).ok());
        // A quick reply's exact label (what a Kakao button sends) is as sure as a button code.
        let label = sangdam_core::rating::quick_replies(crate::CUSTOMER_LANG)
            .into_iter()
            .find(|q| q.label == text.trim())
            .map(|q| q.score);
        let sure = button.or(label);
        let Some(score) = sure.or_else(|| Score::from_reply(text)) else {
            return Ok(None);
        };
        let key = customer_key(site.id, channel, None, platform_user(channel, user)?)?;
        let Some(room) = self.store.room_by_key(site.id, channel, &key).await? else {
            return Ok(None);
        };
        // A button answers the request it came with, also after a newer consultation started;
        // a typed score only the room's latest consultation.
        let asked = if sure.is_some() {
            self.store.last_rating_request(room.id).await?
        } else {
            self.store.awaiting_rating(room.id).await?
        };
        let Some(c) = asked else {
            return Ok(None);
        };
        let rating = Rating {
            score,
            comment: None,
        };
        let rated = match self.store.rate(c.id, &rating, self.now()).await {
            Ok(rated) => rated,
            // Rated meanwhile, or too late: an ordinary message.
            Err(store::StoreError::Rule(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        self.publish([Event::consultation(&rated)]);
        let thanks = i18n::t(crate::CUSTOMER_LANG, "channel-rating-thanks");
        if let Err(e) = self
            .write_to_customer(&rated, Sender::System, None, &thanks)
            .await
        {
            tracing::warn!(consultation = %rated.id, error = %e, "the thanks for a rating was not sent");
        }
        Ok(Some(rated))
    }

    /// The room and open consultation of a messenger user, opening one (an inflow without
    /// parameters) when there is none.
    pub async fn messenger_room(
        &self,
        site: &SiteRecord,
        channel: Channel,
        user: &str,
        raw: &str,
    ) -> Result<(RoomRecord, ConsultationRecord), AppError> {
        let key = customer_key(site.id, channel, None, platform_user(channel, user)?)?;
        if let Some(room) = self.store.room_by_key(site.id, channel, &key).await?
            && let Some(open) = self.store.open_consultation(room.id).await?
        {
            return Ok((room, open));
        }
        let empty = parse_pairs(channel, [], &site.settings);
        self.messenger_inflow(MessengerInflow {
            site,
            channel,
            user,
            inflow: &empty,
            raw,
            referrer: None,
        })
        .await
    }

    /// A messenger user's message (or a note of their platform's, `Sender::System`) in the
    /// consultation. Platforms allow longer texts than web chat, and a platform's message cannot
    /// be refused back to its sender the way the chat window's can: what is over
    /// [`MAX_MESSAGE_CHARS`] is cut, and the message records how long it was
    /// (`original_chars`), which the console shows the agent.
    pub async fn messenger_message(
        &self,
        room: &RoomRecord,
        consultation: &ConsultationRecord,
        sender: Sender,
        body: &str,
    ) -> Result<MessageRecord, AppError> {
        let chars = body.chars().count();
        let (body, original_chars): (String, Option<i64>) = if chars > MAX_MESSAGE_CHARS {
            (
                body.chars().take(MAX_MESSAGE_CHARS).collect(),
                i64::try_from(chars).ok(),
            )
        } else {
            (body.to_owned(), None)
        };
        let now = self.now();
        let (message, _) = self
            .store
            .add_message(NewMessage {
                site: room.site_id,
                room: room.id,
                target: Target::Consultation(consultation.id),
                sender,
                agent: None,
                body: &body,
                client_msg_id: None,
                original_chars,
                outbound: None,
                idle: self.idle_timer(room.site_id, sender, now).await,
                file: None,
                rich: None,
                bot_memory: None,
                now,
            })
            .await?;
        Ok(message)
    }

    /// A note in the open consultation of a messenger user's room, if there is one (events
    /// outside a consultation are not worth opening one for).
    pub async fn messenger_note(
        &self,
        site: &SiteRecord,
        channel: Channel,
        user: &str,
        note: &str,
    ) -> Result<(), AppError> {
        let key = customer_key(site.id, channel, None, platform_user(channel, user)?)?;
        if let Some(room) = self.store.room_by_key(site.id, channel, &key).await?
            && let Some(c) = self.store.open_consultation(room.id).await?
        {
            self.messenger_message(&room, &c, Sender::System, note)
                .await?;
        }
        Ok(())
    }

    /// Naver's member-information answer: a shared cellphone is a number Naver verified and
    /// the nickname names a customer who has no name yet; WITHDRAW deletes what an earlier
    /// answer stored.
    pub async fn naver_profile(
        &self,
        site: &SiteRecord,
        user: &str,
        options: &ProfileOptions,
    ) -> Result<(), AppError> {
        let key = customer_key(site.id, Channel::Naver, None, ChannelUser::Naver(user))?;
        let Some(room) = self
            .store
            .room_by_key(site.id, Channel::Naver, &key)
            .await?
        else {
            return Ok(());
        };
        let now = self.now();
        match options.result() {
            Some(ProfileResult::Success) => {
                if let Some(phone) = options.cellphone.as_deref()
                    && let Ok(mobile) = normalize_mobile(phone)
                {
                    self.store
                        .set_mobile(room.profile_id, &mobile, NAVER_PROFILE, now)
                        .await?;
                }
                if let Some(nickname) = options.nickname.as_deref().filter(|n| !n.trim().is_empty())
                {
                    let profile = self.store.profile(room.profile_id).await?;
                    if profile.name.is_none() {
                        let edit = ProfileEdit {
                            name: Some(nickname.chars().take(MAX_NICKNAME_CHARS).collect()),
                            ..Default::default()
                        };
                        self.store.edit_profile(room.profile_id, &edit, now).await?;
                    }
                }
            }
            Some(ProfileResult::Withdraw) => {
                self.store
                    .clear_mobile(room.profile_id, NAVER_PROFILE, now)
                    .await?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Agent replies (and the title message) waiting for a Kakao user, oldest first, as many as fit in `budget`
    /// outputs (`cost` says how many one takes); they count as delivered once taken.
    pub async fn kakao_replies(
        &self,
        room: &RoomRecord,
        budget: usize,
        cost: impl Fn(&MessageRecord) -> usize + Send,
    ) -> Result<Vec<MessageRecord>, AppError> {
        let now = self.now();
        let replies = self
            .store
            .take_undelivered_replies(room.id, now, budget, cost)
            .await?;
        let replies: Vec<MessageRecord> = replies
            .into_iter()
            .map(|m| MessageRecord {
                delivered_at: Some(now),
                delivered_via: Some("next_message".to_owned()),
                ..m
            })
            .collect();
        self.publish(Event::delivered(room.site_id, &replies, now));
        Ok(replies)
    }
}
