//! Web chat: a browser opens a chat URL (an inflow), then reads and writes the room's
//! messages with the visitor credential it was given.

use inflow::{Channel, Fields, Warning};
use sangdam_core::{
    ChannelUser, ConsultationId, Identity, IdentityPolicy, RoomId, SetAside, SiteId, VisitorKey,
    customer_key, resolve_identity, set_aside, visitor_sees,
};
use serde::Serialize;
use store::{
    Consult, ConsultationRecord, InflowRequest, Joined, MessageRecord, NewMessage, Sender,
    SiteRecord, Target, VisitorConsultation, VisitorRecord,
};

use crate::Services;
use crate::error::{AppError, Refusal};
use crate::events::Event;
use crate::secrets::{random_bytes, token_hash};

/// Longest chat URL accepted (browsers cut at about this much anyway).
pub const MAX_URL_CHARS: usize = 8192;
/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;
/// Longest client message id.
pub const MAX_CLIENT_ID_CHARS: usize = 64;
/// Longest Referer or User-Agent kept with an inflow.
pub const MAX_HEADER_CHARS: usize = 500;

/// A browser opening a chat URL.
#[derive(Debug, Clone, Copy)]
pub struct OpenChat<'a> {
    pub site: SiteId,
    pub channel: Channel,
    pub url: &'a str,
    /// The credential the browser kept from an earlier visit, if any.
    pub visitor: Option<&'a str>,
    pub referrer: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    /// Open the consultation now (an explicit start) rather than with the first message.
    pub start: bool,
}

/// What the chat window needs to go on.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatSession {
    /// The browser's credential (new, or the one it brought).
    pub visitor: String,
    pub room_id: RoomId,
    /// The consultation the window joined; none until the customer's first message opens one
    /// (when nothing was going on).
    pub consultation_id: Option<ConsultationId>,
    pub customer_key: String,
    pub verified: bool,
    /// Whether this visitor sees earlier consultations' messages (R2.8).
    pub sees_history: bool,
    pub warnings: Vec<Warning>,
}

fn cut(s: Option<&str>) -> Option<&str> {
    s.map(|v| match v.char_indices().nth(MAX_HEADER_CHARS) {
        Some((at, _)) => &v[..at],
        None => v,
    })
}

/// A message body as stored: trimmed, not empty, within [`MAX_MESSAGE_CHARS`].
pub fn check_body(body: &str) -> Result<&str, AppError> {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Err(AppError::invalid(
            Refusal::EmptyMessage,
            "the message is empty",
        ));
    }
    if trimmed.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::invalid(
            Refusal::TooLong,
            format!("a message has at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    Ok(trimmed)
}

fn check_client_id(id: Option<&str>) -> Result<Option<&str>, AppError> {
    match id {
        Some(id) if id.is_empty() || id.chars().count() > MAX_CLIENT_ID_CHARS => {
            Err(AppError::invalid(
                Refusal::InvalidClientMsgId,
                format!("client_msg_id has 1 to {MAX_CLIENT_ID_CHARS} characters"),
            ))
        }
        other => Ok(other),
    }
}

impl Services {
    /// Who an inflow says the customer is, after the site's policy (R2.8) and one rule above
    /// it: an ID that has arrived verified on the site before is never used by an unverified
    /// inflow again, whatever the policy ([`SetAside::VerifiedBefore`]).
    pub(crate) async fn identity_of(
        &self,
        site: &SiteRecord,
        fields: &Fields,
    ) -> Result<Identity, AppError> {
        let identity = resolve_identity(
            fields,
            site.secret.as_bytes(),
            IdentityPolicy {
                require_verified_uid: site.require_verified_uid,
            },
        );
        if !identity.verified
            && let Some(uid) = identity.site_uid.as_deref()
            && self.store.uid_arrived_verified(site.id, uid).await?
        {
            return Ok(set_aside(identity, SetAside::VerifiedBefore));
        }
        Ok(identity)
    }

    /// A browser opens a chat URL: the inflow is parsed, the ID checked, the room found or
    /// made, and the browser given its credential. A consultation going on in the room is
    /// joined when the browser may take part in it; otherwise none is opened until the
    /// customer's first message ([`Services::customer_send`]) or an explicit start
    /// (`start`), so opening the page adds nothing to anyone's queue.
    ///
    /// An unverified ID (R2.8) shares its room with the ID's other arrivals, as agents expect,
    /// but its browser sees only the consultation it takes part in, and never joins one that
    /// another browser is holding: it is kept apart in a room of its own instead
    /// ([`SetAside::LiveElsewhere`]).
    pub async fn open_chat(&self, req: OpenChat<'_>) -> Result<ChatSession, AppError> {
        let site = self.store.site(req.site).await?;
        if !matches!(req.channel, Channel::WebchatV1 | Channel::WebchatV2) {
            return Err(AppError::invalid(
                Refusal::InvalidChannel,
                format!(
                    "web chat sessions are webchat_v1 or webchat_v2, not {:?}",
                    req.channel.as_str()
                ),
            ));
        }
        if req.url.chars().count() > MAX_URL_CHARS {
            return Err(AppError::invalid(
                Refusal::TooLong,
                format!("the chat URL is longer than {MAX_URL_CHARS} characters"),
            ));
        }
        let inflow = inflow::parse(req.channel, req.url, &site.settings);
        let mut identity = self.identity_of(&site, &inflow.fields).await?;

        // The browser's credential: reuse it when it is one of this site's, else issue a new
        // one.
        let mut existing: Option<VisitorRecord> = None;
        let mut key: Option<VisitorKey> = None;
        if let Some(given) = req.visitor.and_then(|v| VisitorKey::parse(v).ok())
            && let Some(v) = self.store.visitor(&token_hash(given.as_str())).await?
            && v.site_id == site.id
        {
            existing = Some(v);
            key = Some(given);
        }
        let key = key.unwrap_or_else(|| VisitorKey::from_random(random_bytes::<24>()));
        // The consultation this browser takes part in. Consultation ids are unique across
        // rooms, so comparing it with a room's open consultation needs no room check.
        let own = existing.as_ref().and_then(|v| v.consultation_id);

        // An unverified ID whose consultation is going on in another browser.
        if !identity.verified && identity.site_uid.is_some() {
            let shared = customer_key(
                site.id,
                req.channel,
                identity.site_uid.as_deref(),
                ChannelUser::Visitor(&key),
            )?;
            if let Some(room) = self
                .store
                .room_by_key(site.id, req.channel, &shared)
                .await?
                && let Some(open) = self.store.open_consultation(room.id).await?
                && own != Some(open.id)
            {
                identity = set_aside(identity, SetAside::LiveElsewhere);
            }
        }

        let ckey = customer_key(
            site.id,
            req.channel,
            identity.site_uid.as_deref(),
            ChannelUser::Visitor(&key),
        )?;
        // History privacy (R2.8): an ID nobody vouched for must not reveal earlier messages.
        // A room without an ID belongs to this browser alone, so its history is the visitor's
        // own.
        let sees_history = sangdam_core::customer_may_see_history(identity.verified)
            || identity.site_uid.is_none();
        let mut warnings = inflow.warnings.clone();
        warnings.extend(identity.warnings.iter().cloned());
        let now = self.now();
        let result = self
            .store
            .record_inflow(InflowRequest {
                site: site.id,
                channel: req.channel,
                customer_key: &ckey,
                identity: &identity,
                inflow: &inflow,
                warnings: &warnings,
                raw: req.url,
                referrer: cut(req.referrer),
                user_agent: cut(req.user_agent),
                consult: Consult::Window {
                    // A window the bot answers first opens its consultation at once: the
                    // welcome block greets the customer before they write.
                    start: req.start || self.bot_greets(site.id, &inflow).await,
                    sees_history,
                    own,
                },
                now,
            })
            .await?;
        let room = result.room.id;

        let since = if sees_history {
            0
        } else {
            match &existing {
                Some(v) if v.room_id == room && !v.verified => v.since_seq,
                _ => self.store.last_message_seq(room).await?,
            }
        };
        let joined = match (&result.consultation, &result.pending) {
            (Some(c), _) => Joined::Consultation(c.id),
            (None, Some(p)) => Joined::Pending(p),
            (None, None) => {
                return Err(AppError::Internal(
                    "an arrival with neither a consultation nor a pending inflow".into(),
                ));
            }
        };
        let key_hash = token_hash(key.as_str());
        match existing {
            Some(v) => {
                self.store
                    .update_visitor(v.id, room, sees_history, since, &joined, now)
                    .await?
            }
            None => {
                self.store
                    .create_visitor(site.id, &key_hash, room, sees_history, since, &joined, now)
                    .await?
            }
        };
        if let Some(c) = &result.consultation {
            self.publish(
                std::iter::once(c)
                    .chain(&result.also_given)
                    .map(Event::consultation),
            );
            if result.opened {
                self.send_title(c).await;
                self.after_opening(c.clone(), &result.also_given).await;
            }
        }
        Ok(ChatSession {
            visitor: key.as_str().to_owned(),
            room_id: room,
            consultation_id: result.consultation.map(|c| c.id),
            customer_key: ckey.as_str().to_owned(),
            verified: identity.verified,
            sees_history,
            warnings,
        })
    }

    /// The visitor a browser's credential belongs to, on `site`.
    /// The customer rates a consultation their window took part in (R3.8): once, after it
    /// ended with an agent, within the rating window. A consultation the window may not see
    /// is not found, like one that does not exist.
    pub async fn customer_rate(
        &self,
        v: &VisitorRecord,
        consultation: ConsultationId,
        score: i64,
        comment: Option<&str>,
    ) -> Result<store::ConsultationRecord, AppError> {
        let c = match self.store.consultation(consultation).await {
            Ok(c) => c,
            Err(store::StoreError::NotFound(_)) => {
                return Err(AppError::NotFound("consultation"));
            }
            Err(e) => return Err(e.into()),
        };
        if c.room_id != v.room_id || !(v.verified || v.consultation_id == Some(c.id)) {
            return Err(AppError::NotFound("consultation"));
        }
        let rating = sangdam_core::rating::Rating::new(score, comment)?;
        let rated = self.store.rate(c.id, &rating, self.now()).await?;
        self.publish([Event::consultation(&rated)]);
        Ok(rated)
    }

    pub async fn visitor(&self, site: SiteId, credential: &str) -> Result<VisitorRecord, AppError> {
        let key = VisitorKey::parse(credential).map_err(|_| AppError::Unauthorized)?;
        match self.store.visitor(&token_hash(key.as_str())).await? {
            Some(v) if v.site_id == site => Ok(v),
            _ => Err(AppError::Unauthorized),
        }
    }

    /// Whether the chat window of `v` sees `m` (R2.8; see [`sangdam_core::visitor_sees`]).
    pub fn visitor_sees(v: &VisitorRecord, m: &MessageRecord) -> bool {
        m.room_id == v.room_id
            && visitor_sees(
                v.verified,
                v.since_seq,
                v.consultation_id,
                m.seq,
                m.consultation_id,
            )
    }

    /// The room's messages a visitor may see, after `after` (at most `limit`).
    pub async fn visitor_messages(
        &self,
        v: &VisitorRecord,
        after: i64,
        limit: i64,
    ) -> Result<Vec<MessageRecord>, AppError> {
        let after = after.max(v.since_seq);
        if v.verified {
            return Ok(self.store.room_messages(v.room_id, after, limit).await?);
        }
        // A window of an unverified ID: its own consultation's messages only.
        match v.consultation_id {
            Some(c) => Ok(self
                .store
                .consultation_messages_after(c, after, limit)
                .await?
                .into_iter()
                .filter(|m| Self::visitor_sees(v, m))
                .collect()),
            None => Ok(Vec::new()),
        }
    }

    /// A customer writes in the chat window. Answers the stored message and whether this call
    /// stored it (`false`: a retry of one stored before, same `client_msg_id`). It goes live
    /// from the message writer.
    ///
    /// The window's first message opens its consultation (from the inflow it arrived with);
    /// `v` is then updated to the window's record as it now is. A window of an unverified ID
    /// writes only into its own consultation: another browser's conversation is refused with
    /// a conflict.
    pub async fn customer_send(
        &self,
        v: &mut VisitorRecord,
        body: &str,
        client_msg_id: Option<&str>,
    ) -> Result<(MessageRecord, bool), AppError> {
        let body = check_body(body)?;
        self.customer_write(v, body, client_msg_id, None, None)
            .await
    }

    /// A customer's tap on a bot's button in the chat window: `body` is the button's label
    /// (stored as their message), `input` what it asks of the bot (a block, the operator).
    pub async fn customer_taps(
        &self,
        v: &mut VisitorRecord,
        body: &str,
        client_msg_id: Option<&str>,
        input: crate::bot::BotInput<'_>,
    ) -> Result<(MessageRecord, bool), AppError> {
        let body = check_body(body)?;
        self.customer_write(v, body, client_msg_id, None, Some(input))
            .await
    }

    /// A customer's message (text, or a recorded file with its name as `body`) into the
    /// window's consultation, opening it when this is the window's first message.
    pub(crate) async fn customer_write(
        &self,
        v: &mut VisitorRecord,
        body: &str,
        client_msg_id: Option<&str>,
        file: Option<store::FileRef>,
        bot_input: Option<crate::bot::BotInput<'_>>,
    ) -> Result<(MessageRecord, bool), AppError> {
        let client_id = check_client_id(client_msg_id)?;
        // A file is no utterance: the bot does not answer it.
        let is_file = file.is_some();
        let mut target = Self::send_target(v);
        // A consultation this message opens, and those the inflow's pass gave: the desk meets
        // it once the customer's message is stored, so its answer follows what it answers.
        let mut just_opened: Option<(ConsultationRecord, Vec<ConsultationRecord>)> = None;
        if target.is_none() {
            match self
                .store
                .consultation_for_visitor(v.id, self.now())
                .await?
            {
                VisitorConsultation::Open {
                    consultation,
                    opened,
                    visitor,
                    also_given,
                } => {
                    // A blocked customer's consultation closed as it opened: their message is
                    // still recorded in it.
                    let closed_at_once = (opened && !consultation.state.is_open())
                        .then_some(Target::Consultation(consultation.id));
                    if opened {
                        self.publish(
                            std::iter::once(&consultation)
                                .chain(&also_given)
                                .map(Event::consultation),
                        );
                        // Before the customer's message: it heads the consultation.
                        self.send_title(&consultation).await;
                        just_opened = Some((consultation, also_given));
                    }
                    *v = visitor;
                    target = closed_at_once.or_else(|| Self::send_target(v));
                }
                VisitorConsultation::InUse => {
                    return Err(AppError::Conflict(
                        "a consultation of this ID is going on in another browser; open the \
                         chat again to start your own"
                            .into(),
                    ));
                }
                // The writer refuses it as written after the close.
                VisitorConsultation::Closed => target = Some(Target::OpenOfRoom),
            }
        }
        let now = self.now();
        let written = self
            .store
            .add_message(NewMessage {
                site: v.site_id,
                room: v.room_id,
                target: target.unwrap_or(Target::OpenOfRoom),
                sender: Sender::Customer,
                agent: None,
                body,
                client_msg_id: client_id,
                original_chars: None,
                outbound: None,
                idle: self.idle_timer(v.site_id, Sender::Customer, now).await,
                file,
                rich: None,
                bot_memory: None,
                now,
            })
            .await;
        if let Some((consultation, also_given)) = just_opened {
            self.after_opening(consultation, &also_given).await;
        }
        let (message, stored) = written?;
        if stored && !is_file {
            self.after_customer_message(
                v.site_id,
                message.consultation_id,
                bot_input.unwrap_or(crate::bot::BotInput::Text(body)),
            )
            .await;
        }
        Ok((message, stored))
    }

    /// Where a window's message goes without asking the store first: a window that sees the
    /// room's history writes into whichever consultation is open (the hot path); one of an
    /// unverified ID only into its own. `None`: its consultation must be opened (or found)
    /// first.
    fn send_target(v: &VisitorRecord) -> Option<Target> {
        if v.has_pending_inflow {
            return None;
        }
        match (v.verified, v.consultation_id) {
            (true, _) => Some(Target::OpenOfRoom),
            (false, Some(c)) => Some(Target::OpenConsultation(c)),
            (false, None) => None,
        }
    }
}
