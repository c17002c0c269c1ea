//! The keys messenger platforms' requests carry, per site and platform.

use sangdam_core::{MessengerPlatform, SiteId};
use serde::Serialize;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::col;

/// A site's key for one platform.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelKeyRecord {
    pub site_id: SiteId,
    pub platform: MessengerPlatform,
    pub key: String,
    /// The key before the last rotation, with the time (ms) it stops being accepted.
    pub previous: Option<(String, i64)>,
    pub rotated_at: i64,
}

impl ChannelKeyRecord {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, StoreError> {
        let platform: String = col(row, "platform")?;
        let previous_key: Option<String> = col(row, "previous_key")?;
        let previous_until: Option<i64> = col(row, "previous_until")?;
        Ok(ChannelKeyRecord {
            site_id: SiteId::new(col(row, "site_id")?),
            platform: MessengerPlatform::parse(&platform)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown platform {platform:?}")))?,
            key: col(row, "channel_key")?,
            previous: previous_key.zip(previous_until),
            rotated_at: col(row, "rotated_at")?,
        })
    }

    pub fn keys(&self) -> sangdam_core::ChannelKeys<'_> {
        sangdam_core::ChannelKeys {
            current: &self.key,
            previous: self
                .previous
                .as_ref()
                .map(|(k, until)| (k.as_str(), *until)),
        }
    }
}

impl Store {
    pub async fn channel_key(
        &self,
        site: SiteId,
        platform: MessengerPlatform,
    ) -> Result<Option<ChannelKeyRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM channel_keys WHERE site_id = $1 AND platform = $2")
            .bind(site.get())
            .bind(platform.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(ChannelKeyRecord::from_row).transpose()
    }

    /// The site's key for `platform`, stored as `key` if it had none (a site made before keys
    /// existed). Whichever was stored first wins.
    pub async fn ensure_channel_key(
        &self,
        site: SiteId,
        platform: MessengerPlatform,
        key: &str,
        now: i64,
    ) -> Result<ChannelKeyRecord, StoreError> {
        if let Some(found) = self.channel_key(site, platform).await? {
            return Ok(found);
        }
        {
            let _w = self.write_guard().await;
            self.insert_channel_key(site, platform, key, now).await?;
        }
        self.channel_key(site, platform)
            .await?
            .ok_or(StoreError::NotFound("channel key"))
    }

    /// Makes `key` the site's key for `platform`; the one it replaces stays accepted until
    /// `previous_until` (`None`: at once no longer).
    pub async fn rotate_channel_key(
        &self,
        site: SiteId,
        platform: MessengerPlatform,
        key: &str,
        previous_until: Option<i64>,
        now: i64,
    ) -> Result<ChannelKeyRecord, StoreError> {
        {
            let _w = self.write_guard().await;
            let changed = sqlx::query(
                "UPDATE channel_keys SET previous_key = CASE WHEN $6 = 1 THEN channel_key \
                 ELSE NULL END, previous_until = $1, channel_key = $2, rotated_at = $3 \
                 WHERE site_id = $4 AND platform = $5",
            )
            .bind(previous_until)
            .bind(key)
            .bind(now)
            .bind(site.get())
            .bind(platform.as_str())
            .bind(i64::from(previous_until.is_some()))
            .execute(&self.pool)
            .await?
            .rows_affected();
            if changed == 0 {
                self.insert_channel_key(site, platform, key, now).await?;
            }
        }
        self.channel_key(site, platform)
            .await?
            .ok_or(StoreError::NotFound("channel key"))
    }

    /// Stores `key` for a site that has none for `platform` (a key stored meanwhile stays).
    async fn insert_channel_key(
        &self,
        site: SiteId,
        platform: MessengerPlatform,
        key: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO channel_keys (site_id, platform, channel_key, rotated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(site.get())
        .bind(platform.as_str())
        .bind(key)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
