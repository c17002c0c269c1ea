//! A site's business hours and automatic messages (R3.4), kept on its row as the JSON of
//! core's types: `hours` (NULL while never saved: open around the clock) and `auto_messages`
//! (NULL while never saved: every kind's default). What they mean is core's
//! ([`sangdam_core::hours`], [`sangdam_core::auto_message`]); the store keeps them and tells
//! a distribution pass whether the desk is open.

use std::collections::BTreeMap;

use sangdam_core::auto_message::{AutoMessageKind, AutoMessageSpec};
use sangdam_core::hours::{Hours, is_open_ms};
use sangdam_core::{CoreError, SiteId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::dialect;
use crate::error::StoreError;
use crate::records::col;

/// Every kind's message as a site saved it.
pub type AutoMessageSpecs = BTreeMap<AutoMessageKind, AutoMessageSpec>;

/// A site's setting kept on its row as JSON, NULL until first saved.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SiteJson {
    Hours,
    AutoMessages,
    AutoClose,
}

impl SiteJson {
    fn column(self) -> &'static str {
        match self {
            SiteJson::Hours => "hours",
            SiteJson::AutoMessages => "auto_messages",
            SiteJson::AutoClose => "auto_close",
        }
    }

    /// What it is called in an error.
    fn what(self) -> &'static str {
        match self {
            SiteJson::Hours => "business hours",
            SiteJson::AutoMessages => "automatic messages",
            SiteJson::AutoClose => "auto-close rules",
        }
    }

    /// The setting as stored (`None`: never saved); stored text that does not read is corrupt.
    fn decode<T: DeserializeOwned>(self, text: Option<String>) -> Result<Option<T>, StoreError> {
        text.map(|t| {
            serde_json::from_str::<T>(&t)
                .map_err(|e| StoreError::Corrupt(format!("the stored {}: {e}", self.what())))
        })
        .transpose()
    }
}

fn hours_of(text: Option<String>) -> Result<Option<Hours>, StoreError> {
    SiteJson::Hours.decode(text)
}

/// Whether the desk of the site whose row (with its `hours`) is `row` is open at `now`.
pub(crate) fn desk_open(row: &AnyRow, now: i64) -> Result<bool, StoreError> {
    Ok(hours_of(col(row, "hours")?)?.is_none_or(|h| is_open_ms(&h, now)))
}

impl Store {
    /// The site's business hours; `None` while it never saved any.
    pub async fn site_hours(&self, site: SiteId) -> Result<Option<Hours>, StoreError> {
        self.site_json(site, SiteJson::Hours).await
    }

    /// Saves the site's business hours (checked by core before they come here).
    pub async fn save_site_hours(&self, site: SiteId, hours: &Hours) -> Result<(), StoreError> {
        self.save_site_json(site, SiteJson::Hours, hours).await
    }

    /// A site's setting kept as JSON on its row; `None` while never saved.
    pub(crate) async fn site_json<T: DeserializeOwned>(
        &self,
        site: SiteId,
        which: SiteJson,
    ) -> Result<Option<T>, StoreError> {
        let column = which.column();
        let row = sqlx::query(&format!("SELECT {column} FROM sites WHERE id = $1"))
            .bind(site.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("site"))?;
        which.decode(col(&row, column)?)
    }

    /// Saves a site's setting kept as JSON on its row (checked by core before it comes here).
    pub(crate) async fn save_site_json<T: Serialize + Sync>(
        &self,
        site: SiteId,
        which: SiteJson,
        value: &T,
    ) -> Result<(), StoreError> {
        let text = serde_json::to_string(value)?;
        let _w = self.write_guard().await;
        let done = sqlx::query(&format!(
            "UPDATE sites SET {} = $1 WHERE id = $2",
            which.column()
        ))
        .bind(text)
        .bind(site.get())
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("site"));
        }
        Ok(())
    }

    /// Changes the site's hours by `change` (given the hours now, `None` if never saved) in one
    /// transaction under the site's lock, so a save meanwhile is not lost; answers what
    /// `change` answered. A refusal of `change` saves nothing.
    pub async fn change_site_hours<T: Send>(
        &self,
        site: SiteId,
        change: impl FnOnce(Option<Hours>) -> Result<(Hours, T), CoreError> + Send,
    ) -> Result<(Hours, T), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        // The lock's row carries the hours.
        let row = sqlx::query(dialect::lock_site(self.backend()))
            .bind(site.get())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("site"))?;
        let (hours, out) = change(hours_of(col(&row, "hours")?)?)?;
        sqlx::query("UPDATE sites SET hours = $1 WHERE id = $2")
            .bind(serde_json::to_string(&hours)?)
            .bind(site.get())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((hours, out))
    }

    /// The site's automatic messages as saved; `None` while it never saved any.
    pub async fn site_auto_messages(
        &self,
        site: SiteId,
    ) -> Result<Option<AutoMessageSpecs>, StoreError> {
        self.site_json(site, SiteJson::AutoMessages).await
    }

    /// Saves every kind's message (checked by core before they come here).
    pub async fn save_site_auto_messages(
        &self,
        site: SiteId,
        messages: &AutoMessageSpecs,
    ) -> Result<(), StoreError> {
        self.save_site_json(site, SiteJson::AutoMessages, messages)
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use sangdam_core::hours::{DaySchedule, HoursSpec};

    use super::*;

    fn spec() -> HoursSpec {
        HoursSpec {
            time_zone: "Asia/Seoul".into(),
            weekdays: DaySchedule::ranges(&[("09:00", "18:00")]).unwrap(),
            saturday: DaySchedule::Off,
            sunday: DaySchedule::Off,
            holidays: Vec::new(),
            accept_off_hours_into_queue: false,
        }
    }

    #[tokio::test]
    async fn hours_and_messages_round_trip_and_start_unset() {
        let dir = std::env::temp_dir().join(format!(
            "sangdam-hours-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::connect(dir.join("t.db").to_str().unwrap())
            .await
            .unwrap();
        let site = store
            .create_site("s", "secret", &inflow::Settings::default(), 1)
            .await
            .unwrap();
        assert_eq!(store.site_hours(site.id).await.unwrap(), None);
        assert_eq!(store.site_auto_messages(site.id).await.unwrap(), None);

        let hours = Hours::parse(spec()).unwrap();
        store.save_site_hours(site.id, &hours).await.unwrap();
        assert_eq!(
            store.site_hours(site.id).await.unwrap(),
            Some(hours.clone())
        );
        let (changed, was_set) = store
            .change_site_hours(site.id, |h| Ok((Hours::default(), h.is_some())))
            .await
            .unwrap();
        assert!(was_set);
        assert_eq!(store.site_hours(site.id).await.unwrap(), Some(changed));

        let mut specs = AutoMessageSpecs::new();
        specs.insert(
            AutoMessageKind::Greeting,
            AutoMessageSpec {
                enabled: false,
                text: "안녕하세요, [counselor_name]입니다.".into(),
            },
        );
        store
            .save_site_auto_messages(site.id, &specs)
            .await
            .unwrap();
        assert_eq!(
            store.site_auto_messages(site.id).await.unwrap(),
            Some(specs)
        );
        store.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
