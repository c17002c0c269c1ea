//! The bot's channels and plugins (R6.1, R6.2), kept by the site's admin: each plugin's
//! checklist with what is met, setting a plugin up (refused naming the first item missing, and
//! recorded with the channel it was set up on), and unlinking the development channel, which
//! stops the plugins set up on it and says so, with what to redo.

use sangdam_core::AuditAction;
use sangdam_core::plugin::{self, BROKEN_BY_UNLINK, ChannelSlot, Check, Plugin, Setup};
use serde::{Deserialize, Serialize};
use store::{AgentRecord, BotChannels};

use crate::Services;
use crate::access::admin_only;
use crate::error::{AppError, Denial};

/// The bot's channels and the app's state as the admin saves them.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChannelsInput {
    /// The development channel's id (`@shop_dev`: letters, digits and `_ @ . -`); none or
    /// empty: unlinked.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9_@.-]{0,100}$"))]
    pub development_channel: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9_@.-]{0,100}$"))]
    pub operating_channel: Option<String>,
    /// The business channel is linked to the Kakao app.
    #[serde(default)]
    pub business_channel_linked: bool,
    /// Kakao's review of the personal information items passed.
    #[serde(default)]
    pub personal_info_review: bool,
    /// Kakao's review of the simple sign-up terms passed.
    #[serde(default)]
    pub sync_terms_review: bool,
    /// Both channels are linked to the same Kakao app.
    #[serde(default)]
    pub channels_same_app: bool,
}

/// One item of a checklist.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckView {
    pub check: Check,
    pub met: bool,
    /// What is missing and what to do, when it is.
    pub explain: &'static str,
}

/// A plugin as the admin sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PluginView {
    pub plugin: Plugin,
    pub enabled: bool,
    /// The channel it was set up on.
    pub slot: Option<ChannelSlot>,
    /// It was set up, and stopped working (its channel was unlinked).
    pub broken: bool,
    pub broken_reason: Option<String>,
    pub checklist: Vec<CheckView>,
    /// Whether it may be set up now (nothing of its checklist is missing, a channel linked).
    pub ready: bool,
}

/// The bot's channels and every plugin.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PluginsView {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub channels: BotChannels,
    pub plugins: Vec<PluginView>,
    /// The plugins this change stopped (the development channel was unlinked).
    pub broken_now: Vec<Plugin>,
}

/// Longest channel id.
const MAX_CHANNEL_CHARS: usize = 100;

fn channel_id(field: &str, v: Option<&str>) -> Result<Option<String>, AppError> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v)
            if v.chars().count() > MAX_CHANNEL_CHARS
                || !v
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | '.' | '-')) =>
        {
            Err(AppError::Fields(vec![(
                field.to_owned(),
                format!(
                    "a channel id has 1 to {MAX_CHANNEL_CHARS} letters, digits and _ @ . - (as @shop_dev)"
                ),
            )]))
        }
        Some(v) => Ok(Some(v.to_owned())),
    }
}

impl Services {
    async fn plugin_setup(
        &self,
        site: sangdam_core::SiteId,
        c: &BotChannels,
    ) -> Result<Setup, AppError> {
        Ok(Setup {
            business_verified: self.business_verified(site).await?,
            business_channel_linked: c.business_channel_linked,
            personal_info_review: c.personal_info_review,
            sync_terms_review: c.sync_terms_review,
            channels_same_app: c.channels_same_app,
        })
    }

    /// The bot's channels and every plugin with its checklist (the site's admin).
    pub async fn plugins_view(&self, admin: &AgentRecord) -> Result<PluginsView, AppError> {
        admin_only(admin, "keeps the bot's channels and plugins")?;
        self.plugins_of(admin.site_id, Vec::new()).await
    }

    async fn plugins_of(
        &self,
        site: sangdam_core::SiteId,
        broken_now: Vec<Plugin>,
    ) -> Result<PluginsView, AppError> {
        let channels = self.store.bot_channels(site).await?;
        let setup = self.plugin_setup(site, &channels).await?;
        let linked = plugin::setup_slot(
            channels.development_channel.is_some(),
            channels.operating_channel.is_some(),
        )
        .is_some();
        let records = self.store.site_plugins(site).await?;
        let plugins = Plugin::ALL
            .into_iter()
            .map(|p| {
                let record = records.iter().find(|r| r.plugin == p);
                let checklist: Vec<CheckView> = plugin::checklist(p, &setup)
                    .into_iter()
                    .map(|(check, met)| CheckView {
                        check,
                        met,
                        explain: check.explain(),
                    })
                    .collect();
                PluginView {
                    plugin: p,
                    enabled: record.is_some_and(|r| r.broken_at.is_none()),
                    slot: record.map(|r| r.slot),
                    broken: record.is_some_and(|r| r.broken_at.is_some()),
                    broken_reason: record.and_then(|r| r.broken_reason.clone()),
                    ready: linked && checklist.iter().all(|c| c.met),
                    checklist,
                }
            })
            .collect();
        Ok(PluginsView {
            channels,
            plugins,
            broken_now,
        })
    }

    /// The admin saves the bot's channels; unlinking the development channel stops the
    /// plugins set up on it (answered in `broken_now`).
    pub async fn save_bot_channels(
        &self,
        admin: &AgentRecord,
        input: &ChannelsInput,
    ) -> Result<PluginsView, AppError> {
        admin_only(admin, "keeps the bot's channels and plugins")?;
        let channels = BotChannels {
            development_channel: channel_id(
                "development_channel",
                input.development_channel.as_deref(),
            )?,
            operating_channel: channel_id("operating_channel", input.operating_channel.as_deref())?,
            business_channel_linked: input.business_channel_linked,
            personal_info_review: input.personal_info_review,
            sync_terms_review: input.sync_terms_review,
            channels_same_app: input.channels_same_app,
            updated_at: self.now(),
        };
        let broken = self
            .store
            .save_bot_channels(admin.site_id, &channels, BROKEN_BY_UNLINK, self.now())
            .await?;
        self.audit(
            admin,
            AuditAction::BotSaved,
            "bot_channels",
            serde_json::json!({
                "development_channel": channels.development_channel,
                "operating_channel": channels.operating_channel,
                "plugins_stopped": broken,
            }),
        )
        .await;
        self.plugins_of(admin.site_id, broken).await
    }

    /// The admin sets a plugin up, on the channel the bot is linked to now. Refused naming the
    /// first item of its checklist the site lacks.
    pub async fn enable_plugin(
        &self,
        admin: &AgentRecord,
        plugin: Plugin,
    ) -> Result<PluginsView, AppError> {
        admin_only(admin, "sets plugins up")?;
        let channels = self.store.bot_channels(admin.site_id).await?;
        let setup = self.plugin_setup(admin.site_id, &channels).await?;
        if let Some(first) = plugin::missing(plugin, &setup).first().copied() {
            return Err(AppError::Denied {
                code: Denial::PluginCheckMissing(first),
                message: format!(
                    "the {} plugin cannot be set up: {}",
                    plugin.as_str(),
                    first.explain()
                ),
            });
        }
        let Some(slot) = plugin::setup_slot(
            channels.development_channel.is_some(),
            channels.operating_channel.is_some(),
        ) else {
            return Err(AppError::Conflict(
                "link the bot to its development or operating channel first".into(),
            ));
        };
        self.store
            .enable_plugin(admin.site_id, plugin, slot, self.now())
            .await?;
        self.audit(
            admin,
            AuditAction::BotSaved,
            format!("plugin:{}", plugin.as_str()),
            serde_json::json!({ "enabled": true, "channel": slot }),
        )
        .await;
        self.plugins_of(admin.site_id, Vec::new()).await
    }

    /// The admin takes a plugin off.
    pub async fn disable_plugin(
        &self,
        admin: &AgentRecord,
        plugin: Plugin,
    ) -> Result<PluginsView, AppError> {
        admin_only(admin, "sets plugins up")?;
        if !self.store.disable_plugin(admin.site_id, plugin).await? {
            return Err(AppError::NotFound("plugin"));
        }
        self.audit(
            admin,
            AuditAction::BotSaved,
            format!("plugin:{}", plugin.as_str()),
            serde_json::json!({ "enabled": false }),
        )
        .await;
        self.plugins_of(admin.site_id, Vec::new()).await
    }
}
