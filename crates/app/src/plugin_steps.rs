//! The plugins' own steps in a conversation (R6.1): a bot block that uses the profile, Kakao
//! Sync or location plugin draws a form (or a location request) under its answer in the web
//! chat window, and what the customer sends lands in their profile or in the conversation; on
//! KakaoTalk, Open Builder's plugins ask, and their results arrive in the skill request.
//!
//! A plugin is used only while it is set up, has not stopped (its development channel
//! unlinked) and the site's business is still verified: a block naming a plugin cannot be
//! saved otherwise, and a plugin that stops later is left out of answers (and refused when a
//! window sends its form) until it is set up again.

use bot::BlockPlugin;
use inflow::Channel;
use protocol::kakao::{PROFILE_PARAM, PluginProfile, SYNC_PARAM, SkillRequest};
use sangdam_core::plugin::Plugin;
use sangdam_core::plugin_step::{Location, ProfileForm, form_edit, form_text};
use sangdam_core::{
    ConsultationId, MessageId, ProfileEdit, SiteId, VerificationMethod, normalize_mobile,
};
use store::{ConsultationRecord, MessageRecord, RoomRecord, Sender, VisitorRecord};

use crate::Services;
use crate::error::AppError;

/// The site's plugin behind a block's plugin step.
pub fn site_plugin(p: BlockPlugin) -> Plugin {
    match p {
        BlockPlugin::Profile => Plugin::Profile,
        BlockPlugin::KakaoSync => Plugin::KakaoSync,
        BlockPlugin::Location => Plugin::Location,
    }
}

/// Longest nickname taken from a plugin's result as a name.
const MAX_NICKNAME_CHARS: usize = 100;

impl Services {
    /// Why `plugin` cannot be used now (`None`: it can): not set up, stopped, or the site's
    /// business no longer verified.
    pub(crate) async fn plugin_unusable(
        &self,
        site: SiteId,
        plugin: Plugin,
    ) -> Result<Option<String>, AppError> {
        let records = self.store.site_plugins(site).await?;
        let Some(record) = records.iter().find(|r| r.plugin == plugin) else {
            return Ok(Some(format!(
                "the {} plugin is not set up: set it up on the business page first",
                plugin.as_str()
            )));
        };
        if record.broken_at.is_some() {
            return Ok(Some(format!(
                "the {} plugin stopped working ({}): set it up again on the business page",
                plugin.as_str(),
                record
                    .broken_reason
                    .as_deref()
                    .unwrap_or("its channel was unlinked")
            )));
        }
        if !self.business_verified(site).await? {
            return Ok(Some(format!(
                "the {} plugin needs a verified business, and the site's is not verified now",
                plugin.as_str()
            )));
        }
        Ok(None)
    }

    /// A block may name a plugin only while it can be used (refused naming why, on the
    /// block's `plugin` field).
    pub(crate) async fn plugin_ready_for_block(
        &self,
        site: SiteId,
        plugin: BlockPlugin,
    ) -> Result<(), AppError> {
        match self.plugin_unusable(site, site_plugin(plugin)).await? {
            None => Ok(()),
            Some(why) => Err(AppError::Fields(vec![("plugin".into(), why)])),
        }
    }

    /// The plugin step a block's answer carries in consultation `c`: in the web chat window
    /// only (KakaoTalk's plugins are Open Builder's own; TalkTalk has none of these), and only
    /// while the plugin can be used.
    pub(crate) async fn plugin_step(
        &self,
        c: &ConsultationRecord,
        plugin: BlockPlugin,
    ) -> Option<BlockPlugin> {
        if !matches!(c.channel, Channel::WebchatV1 | Channel::WebchatV2) {
            return None;
        }
        match self.plugin_unusable(c.site_id, site_plugin(plugin)).await {
            Ok(None) => Some(plugin),
            Ok(Some(why)) => {
                tracing::warn!(consultation = %c.id, reason = %why,
                    "a block's plugin step was left out");
                None
            }
            Err(e) => {
                tracing::warn!(consultation = %c.id, error = %e,
                    "could not tell whether a block's plugin can be used");
                None
            }
        }
    }

    /// The bot message of the window's room that asked through `wanted`, in a consultation
    /// still open, with its plugin still usable.
    async fn asking_message(
        &self,
        v: &VisitorRecord,
        message: MessageId,
        wanted: &[BlockPlugin],
    ) -> Result<(MessageRecord, ConsultationRecord, BlockPlugin), AppError> {
        let m = match self.store.message(message).await {
            Ok(m) if m.room_id == v.room_id && Self::visitor_sees(v, &m) => m,
            Ok(_) | Err(store::StoreError::NotFound(_)) => {
                return Err(AppError::NotFound("message"));
            }
            Err(e) => return Err(e.into()),
        };
        let asked = m
            .rich
            .as_ref()
            .and_then(|r| r.get("plugin"))
            .and_then(|p| p.as_str())
            .and_then(BlockPlugin::parse)
            .filter(|p| m.sender == Sender::Bot && wanted.contains(p))
            .ok_or_else(|| {
                AppError::Conflict(format!(
                    "message {message} asks for no {}",
                    wanted
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ))
            })?;
        let c = self.store.consultation(m.consultation_id).await?;
        if !c.state.is_open() {
            return Err(AppError::Conflict(
                "this consultation has ended: open the chat again".into(),
            ));
        }
        if let Some(why) = self.plugin_unusable(v.site_id, site_plugin(asked)).await? {
            return Err(AppError::Conflict(why));
        }
        Ok((m, c, asked))
    }

    /// The customer sends the profile form a bot message (`message`) drew: the values land in
    /// their profile (the phone as `phone`, never as the verified mobile), and the conversation
    /// shows what they sent. Refused, changing nothing, without consent or with a bad value.
    pub async fn customer_profile_form(
        &self,
        v: &VisitorRecord,
        message: MessageId,
        form: &ProfileForm,
    ) -> Result<MessageRecord, AppError> {
        let (_, c, _) = self
            .asking_message(v, message, &[BlockPlugin::Profile, BlockPlugin::KakaoSync])
            .await?;
        let edit = form_edit(form)?;
        let room = self.store.room(v.room_id).await?;
        self.store
            .edit_profile(room.profile_id, &edit, self.now())
            .await?;
        self.plugin_answered(&c, &form_text(form)).await
    }

    /// The customer shares their location, as a bot message (`message`) asked: it is written
    /// into the conversation for the agent, with a map link.
    pub async fn customer_location(
        &self,
        v: &VisitorRecord,
        message: MessageId,
        location: Location,
    ) -> Result<MessageRecord, AppError> {
        let (_, c, _) = self
            .asking_message(v, message, &[BlockPlugin::Location])
            .await?;
        self.plugin_answered(&c, &location.text()).await
    }

    /// What the customer sent through a plugin, as their message, and the bot's thanks while
    /// it holds the consultation (what they sent is no utterance for it to answer).
    async fn plugin_answered(
        &self,
        c: &ConsultationRecord,
        text: &str,
    ) -> Result<MessageRecord, AppError> {
        let m = self
            .write_to_customer(c, Sender::Customer, None, text)
            .await?;
        let now = self.store.consultation(c.id).await?;
        if now.state.with_bot() {
            let thanks = i18n::t(crate::CUSTOMER_LANG, "bot-plugin-received");
            self.write_to_customer(&now, Sender::Bot, None, &thanks)
                .await?;
        }
        Ok(m)
    }

    /// What Open Builder's profile and Kakao Sync plugins gave in a skill request, into the
    /// profile of the Kakao user's room: the nickname as the name when there is none yet, the
    /// e-mail, and the phone number as `phone` from the profile plugin, as the verified mobile
    /// (`kakao_sync`) from Kakao Sync, whose sign-up is Kakao's verification of it. Ignored,
    /// and logged, while the plugin cannot be used; a value that does not fit is left out.
    pub async fn kakao_plugin_results(
        &self,
        room: &RoomRecord,
        consultation: ConsultationId,
        request: &SkillRequest,
    ) -> Result<(), AppError> {
        for (param, plugin) in [
            (PROFILE_PARAM, Plugin::Profile),
            (SYNC_PARAM, Plugin::KakaoSync),
        ] {
            let Some(given) = request.plugin_profile(param) else {
                continue;
            };
            if let Some(why) = self.plugin_unusable(room.site_id, plugin).await? {
                tracing::warn!(%consultation, reason = %why,
                    "a Kakao plugin's result was not stored");
                continue;
            }
            self.store_plugin_profile(room, plugin, &given).await?;
        }
        Ok(())
    }

    async fn store_plugin_profile(
        &self,
        room: &RoomRecord,
        plugin: Plugin,
        given: &PluginProfile,
    ) -> Result<(), AppError> {
        let now = self.now();
        let profile = self.store.profile(room.profile_id).await?;
        let fits = |field: &str, v: Option<String>| {
            let edit = match field {
                "name" => ProfileEdit {
                    name: v.clone(),
                    ..Default::default()
                },
                "phone" => ProfileEdit {
                    phone: v.clone(),
                    ..Default::default()
                },
                _ => ProfileEdit {
                    email: v.clone(),
                    ..Default::default()
                },
            };
            sangdam_core::apply_edit(&Default::default(), &edit)
                .is_ok()
                .then_some(v)
                .flatten()
        };
        let mut edit = ProfileEdit {
            name: if profile.name.is_none() {
                fits(
                    "name",
                    given
                        .nickname
                        .as_ref()
                        .map(|n| n.chars().take(MAX_NICKNAME_CHARS).collect()),
                )
            } else {
                None
            },
            email: fits("email", given.email.clone()),
            phone: None,
        };
        match plugin {
            Plugin::KakaoSync => {
                if let Some(mobile) = given
                    .phone_number
                    .as_deref()
                    .and_then(|p| normalize_mobile(p).ok())
                {
                    self.store
                        .set_mobile(
                            room.profile_id,
                            &mobile,
                            VerificationMethod::KakaoSync.as_str(),
                            now,
                        )
                        .await?;
                }
            }
            _ => edit.phone = fits("phone", given.phone_number.clone()),
        }
        if edit != ProfileEdit::default() {
            self.store.edit_profile(room.profile_id, &edit, now).await?;
        }
        Ok(())
    }
}
