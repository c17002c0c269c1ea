//! Profiles: what is known of a customer, edited by agents and verified mobile numbers.

use sangdam_core::{ProfileEdit, ProfileId, SiteId};

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{ConsultationRecord, ProfileRecord, RoomRecord};
use crate::rooms::*;

impl Store {
    pub async fn profile(&self, id: ProfileId) -> Result<ProfileRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM profiles WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("profile"))?;
        ProfileRecord::from_row(&row)
    }

    pub async fn profile_by_uid(
        &self,
        site: SiteId,
        uid: &str,
    ) -> Result<Option<ProfileRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM profiles WHERE site_id = $1 AND site_uid = $2")
            .bind(site.get())
            .bind(uid)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(ProfileRecord::from_row).transpose()
    }

    pub async fn rooms_of_profile(
        &self,
        profile: ProfileId,
    ) -> Result<Vec<RoomRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM rooms WHERE profile_id = $1 ORDER BY id")
            .bind(profile.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(RoomRecord::from_row).collect()
    }

    /// Every consultation of every room linked to the profile, newest first.
    pub async fn history_of_profile(
        &self,
        profile: ProfileId,
    ) -> Result<Vec<ConsultationRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT consultations.* FROM consultations \
             JOIN rooms ON rooms.id = consultations.room_id \
             WHERE rooms.profile_id = $1 ORDER BY consultations.id DESC",
        )
        .bind(profile.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(ConsultationRecord::from_row).collect()
    }

    /// An agent's edit of name, phone or e-mail (never the verified mobile).
    pub async fn edit_profile(
        &self,
        id: ProfileId,
        edit: &ProfileEdit,
        now: i64,
    ) -> Result<ProfileRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let profile = profile_tx(&mut tx, id).await?;
        let data = sangdam_core::apply_edit(&profile.data(), edit)?;
        save_profile_data(&mut tx, id, &data, now).await?;
        let profile = profile_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(profile)
    }

    /// Records a verified mobile number and how it was verified.
    pub async fn set_mobile(
        &self,
        id: ProfileId,
        mobile: &str,
        method: &str,
        now: i64,
    ) -> Result<ProfileRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE profiles SET mobile = $1, mobile_method = $2, mobile_verified_at = $3, \
             updated_at = $3 WHERE id = $4 RETURNING *",
        )
        .bind(mobile)
        .bind(method)
        .bind(now)
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("profile"))?;
        ProfileRecord::from_row(&row)
    }

    /// Deletes a mobile number recorded by `method` (the customer withdrew their consent).
    pub async fn clear_mobile(
        &self,
        id: ProfileId,
        method: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "UPDATE profiles SET mobile = NULL, mobile_method = NULL, mobile_verified_at = NULL, \
             updated_at = $1 WHERE id = $2 AND mobile_method = $3",
        )
        .bind(now)
        .bind(id.get())
        .bind(method)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
