//! The bot's channels and the plugins set up on them (R6.1, R6.2).

use sangdam_core::SiteId;
use sangdam_core::plugin::{ChannelSlot, Plugin};
use serde::Serialize;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::col;

/// The bot's channels and what Kakao's console says of its app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BotChannels {
    /// The development channel's id (`@shop_dev`); none: unlinked.
    pub development_channel: Option<String>,
    pub operating_channel: Option<String>,
    pub business_channel_linked: bool,
    pub personal_info_review: bool,
    pub sync_terms_review: bool,
    pub channels_same_app: bool,
    pub updated_at: i64,
}

/// A plugin set up on a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PluginRecord {
    pub plugin: Plugin,
    /// The channel it was set up on.
    pub slot: ChannelSlot,
    pub enabled_at: i64,
    /// When it stopped working (its channel unlinked), and why.
    pub broken_at: Option<i64>,
    pub broken_reason: Option<String>,
}

impl Store {
    pub async fn bot_channels(&self, site: SiteId) -> Result<BotChannels, StoreError> {
        let row = sqlx::query("SELECT * FROM bot_channels WHERE site_id = $1")
            .bind(site.get())
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(BotChannels::default());
        };
        let flag = |name: &str| col::<i64>(&row, name).map(|v| v != 0);
        Ok(BotChannels {
            development_channel: col(&row, "development_channel")?,
            operating_channel: col(&row, "operating_channel")?,
            business_channel_linked: flag("business_channel_linked")?,
            personal_info_review: flag("personal_info_review")?,
            sync_terms_review: flag("sync_terms_review")?,
            channels_same_app: flag("channels_same_app")?,
            updated_at: col(&row, "updated_at")?,
        })
    }

    /// Saves the bot's channels; when the development channel goes, the plugins set up on it
    /// are marked broken with `reason`, in the same transaction. Answers those plugins.
    pub async fn save_bot_channels(
        &self,
        site: SiteId,
        c: &BotChannels,
        reason: &str,
        now: i64,
    ) -> Result<Vec<Plugin>, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let before: Option<Option<String>> =
            sqlx::query_scalar("SELECT development_channel FROM bot_channels WHERE site_id = $1")
                .bind(site.get())
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO bot_channels (site_id, development_channel, operating_channel, \
             business_channel_linked, personal_info_review, sync_terms_review, \
             channels_same_app, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (site_id) DO UPDATE SET \
             development_channel = excluded.development_channel, \
             operating_channel = excluded.operating_channel, \
             business_channel_linked = excluded.business_channel_linked, \
             personal_info_review = excluded.personal_info_review, \
             sync_terms_review = excluded.sync_terms_review, \
             channels_same_app = excluded.channels_same_app, updated_at = excluded.updated_at",
        )
        .bind(site.get())
        .bind(c.development_channel.as_deref())
        .bind(c.operating_channel.as_deref())
        .bind(i64::from(c.business_channel_linked))
        .bind(i64::from(c.personal_info_review))
        .bind(i64::from(c.sync_terms_review))
        .bind(i64::from(c.channels_same_app))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let unlinked = before.flatten().is_some() && c.development_channel.is_none();
        let mut broken = Vec::new();
        if unlinked {
            let names: Vec<String> = sqlx::query_scalar(
                "UPDATE site_plugins SET broken_at = $1, broken_reason = $2 \
                 WHERE site_id = $3 AND slot = $4 AND broken_at IS NULL RETURNING plugin",
            )
            .bind(now)
            .bind(reason)
            .bind(site.get())
            .bind(ChannelSlot::Development.as_str())
            .fetch_all(&mut *tx)
            .await?;
            broken = names.iter().filter_map(|n| Plugin::parse(n)).collect();
        }
        tx.commit().await?;
        broken.sort();
        Ok(broken)
    }

    pub async fn site_plugins(&self, site: SiteId) -> Result<Vec<PluginRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM site_plugins WHERE site_id = $1 ORDER BY plugin")
            .bind(site.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let plugin: String = col(row, "plugin")?;
                let slot: String = col(row, "slot")?;
                Ok(PluginRecord {
                    plugin: Plugin::parse(&plugin)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown plugin {plugin:?}")))?,
                    slot: ChannelSlot::parse(&slot)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown slot {slot:?}")))?,
                    enabled_at: col(row, "enabled_at")?,
                    broken_at: col(row, "broken_at")?,
                    broken_reason: col(row, "broken_reason")?,
                })
            })
            .collect()
    }

    /// Sets a plugin up on `slot` (again, when it was: its breakage is forgotten).
    pub async fn enable_plugin(
        &self,
        site: SiteId,
        plugin: Plugin,
        slot: ChannelSlot,
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO site_plugins (site_id, plugin, slot, enabled_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (site_id, plugin) DO UPDATE SET slot = excluded.slot, \
             enabled_at = excluded.enabled_at, broken_at = NULL, broken_reason = NULL",
        )
        .bind(site.get())
        .bind(plugin.as_str())
        .bind(slot.as_str())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes a plugin off; whether it was set up.
    pub async fn disable_plugin(&self, site: SiteId, plugin: Plugin) -> Result<bool, StoreError> {
        let _w = self.write_guard().await;
        let n = sqlx::query("DELETE FROM site_plugins WHERE site_id = $1 AND plugin = $2")
            .bind(site.get())
            .bind(plugin.as_str())
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(n > 0)
    }
}
