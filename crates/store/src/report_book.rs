//! What a long download's rows are shown with, read once: every room's customer (key and
//! profile fields) and the names of categories and agents.
//!
//! A report row joins its consultation to a room, a profile, two categories and an agent:
//! five lookups in other tables' B-trees, which on a million rows cost more than reading the
//! consultations themselves (on SQLite three times as long). A download that writes as fast
//! as it reads (CSV) reads the consultations alone and takes the rest from this book: the
//! site's rooms and profiles are read in their own order, a few tens of thousands at a time,
//! and packed in one byte buffer (about 100 bytes a customer).

use std::collections::HashMap;

use sangdam_core::SiteId;

use crate::db::Store;
use crate::dialect;
use crate::error::StoreError;
use crate::reports::ReportRow;

/// How many rooms or profiles one read brings.
const READ_ROWS: i64 = 50_000;

/// A site's customers and names, for filling rows read without them
/// ([`Store::report_rows_bare`]).
#[derive(Debug, Default)]
pub struct ReportBook {
    /// Every field, one after the other, each as its length plus one (LEB128, 0 for none)
    /// and its bytes.
    text: Vec<u8>,
    /// Profiles by id (ascending) and where their four fields (site's user id, name, phone,
    /// e-mail) start in `text`.
    profile_ids: Vec<i64>,
    profile_at: Vec<u32>,
    /// Rooms by id (ascending), where their customer key starts, and their profile's index.
    room_ids: Vec<i64>,
    room_at: Vec<u32>,
    room_profile: Vec<u32>,
    categories: HashMap<i64, String>,
    agents: HashMap<i64, String>,
}

impl ReportBook {
    /// Fills each row's customer and names as the joined query would have. Answers the
    /// positions of the rows whose room is not in the book (made after it was read), whose
    /// customer is left as it was.
    pub fn fill(&self, rows: &mut [ReportRow]) -> Result<Vec<usize>, StoreError> {
        let mut missing = Vec::new();
        for (i, row) in rows.iter_mut().enumerate() {
            row.category_name = row
                .category_id
                .and_then(|c| self.categories.get(&c.get()).cloned());
            row.division_name = row
                .division_id
                .and_then(|c| self.categories.get(&c.get()).cloned());
            row.agent_name = row
                .agent_id
                .and_then(|a| self.agents.get(&a.get()).cloned());
            let Ok(room) = self.room_ids.binary_search(&row.room_id.get()) else {
                missing.push(i);
                continue;
            };
            let mut at = self.room_at[room] as usize;
            row.customer_key = self.field(&mut at)?.unwrap_or_default();
            let mut at = self.profile_at[self.room_profile[room] as usize] as usize;
            row.site_uid = self.field(&mut at)?;
            row.name = self.field(&mut at)?;
            row.phone = self.field(&mut at)?;
            row.email = self.field(&mut at)?;
        }
        Ok(missing)
    }

    /// How many bytes the book holds (its buffers, not counting the names).
    pub fn bytes(&self) -> usize {
        self.text.capacity()
            + (self.profile_ids.capacity() + self.room_ids.capacity()) * 8
            + (self.profile_at.capacity() + self.room_at.capacity() + self.room_profile.capacity())
                * 4
    }

    fn push(&mut self, value: Option<&str>) -> Result<(), StoreError> {
        let mut n = match value {
            None => 0,
            Some(v) => v.len() as u64 + 1,
        };
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.text.push(byte);
                break;
            }
            self.text.push(byte | 0x80);
        }
        if let Some(v) = value {
            self.text.extend_from_slice(v.as_bytes());
        }
        if self.text.len() > u32::MAX as usize {
            return Err(StoreError::Corrupt(
                "a site's customers take more than 4 GiB".into(),
            ));
        }
        Ok(())
    }

    fn field(&self, at: &mut usize) -> Result<Option<String>, StoreError> {
        let broken = || StoreError::Corrupt("the report book is broken".into());
        let mut n: u64 = 0;
        let mut shift = 0;
        loop {
            let byte = *self.text.get(*at).ok_or_else(broken)?;
            *at += 1;
            n |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 63 {
                return Err(broken());
            }
        }
        if n == 0 {
            return Ok(None);
        }
        let len = usize::try_from(n - 1).map_err(|_| broken())?;
        let bytes = self.text.get(*at..*at + len).ok_or_else(broken)?;
        *at += len;
        let text = std::str::from_utf8(bytes).map_err(|_| broken())?;
        Ok(Some(text.to_owned()))
    }
}

/// A profile as the book reads it: id, site's user id, name, phone, e-mail.
type ProfileFields = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// How many rooms (customers on a channel) `site` has: what a [`ReportBook`] would hold.
    pub async fn room_count(&self, site: SiteId) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rooms WHERE site_id = $1")
            .bind(site.get())
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Reads `site`'s customers and names into a [`ReportBook`].
    pub async fn report_book(&self, site: SiteId) -> Result<ReportBook, StoreError> {
        let mut book = ReportBook {
            categories: self.category_names(site).await?.into_iter().collect(),
            agents: self
                .agent_names(site)
                .await?
                .into_iter()
                .map(|(id, name)| (id.get(), name))
                .collect(),
            ..ReportBook::default()
        };
        let backend = self.backend();
        let profiles = dialect::json_page_by_id(
            backend,
            &format!(
                "SELECT {} AS row, id FROM profiles WHERE site_id = $1 AND id > $2 \
                 ORDER BY id LIMIT $3",
                dialect::json_row(backend, &["id", "site_uid", "name", "phone", "email"], "")
            ),
        );
        let mut after = i64::MIN;
        loop {
            let text: Option<String> = sqlx::query_scalar(&profiles)
                .bind(site.get())
                .bind(after)
                .bind(READ_ROWS)
                .fetch_one(&self.pool)
                .await?;
            let read: Vec<ProfileFields> = match text {
                Some(t) => serde_json::from_str(&t)?,
                None => Vec::new(),
            };
            for (id, site_uid, name, phone, email) in &read {
                book.profile_ids.push(*id);
                book.profile_at.push(book.text.len() as u32);
                for v in [site_uid, name, phone, email] {
                    book.push(v.as_deref())?;
                }
            }
            match read.last() {
                Some(last) if read.len() as i64 == READ_ROWS => after = last.0,
                _ => break,
            }
        }
        // Both are read in id order, but a database may answer a page's array in its own.
        if !book.profile_ids.is_sorted() {
            return Err(StoreError::Corrupt(
                "the profiles did not come in id order".into(),
            ));
        }
        let rooms = dialect::json_page_by_id(
            backend,
            &format!(
                "SELECT {} AS row, id FROM rooms WHERE site_id = $1 AND id > $2 \
                 ORDER BY id LIMIT $3",
                dialect::json_row(backend, &["id", "profile_id", "customer_key"], "")
            ),
        );
        let mut after = i64::MIN;
        loop {
            let text: Option<String> = sqlx::query_scalar(&rooms)
                .bind(site.get())
                .bind(after)
                .bind(READ_ROWS)
                .fetch_one(&self.pool)
                .await?;
            let read: Vec<(i64, i64, String)> = match text {
                Some(t) => serde_json::from_str(&t)?,
                None => Vec::new(),
            };
            for (id, profile, key) in &read {
                // A customer who arrived since the profiles were read: left to the rows' own
                // read (see `report_rows_with`).
                let Ok(p) = book.profile_ids.binary_search(profile) else {
                    continue;
                };
                book.room_ids.push(*id);
                book.room_at.push(book.text.len() as u32);
                book.room_profile.push(p as u32);
                book.push(Some(key))?;
            }
            match read.last() {
                Some(last) if read.len() as i64 == READ_ROWS => after = last.0,
                _ => break,
            }
        }
        if !book.room_ids.is_sorted() {
            return Err(StoreError::Corrupt(
                "the rooms did not come in id order".into(),
            ));
        }
        book.text.shrink_to_fit();
        Ok(book)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_back_as_written_including_none_empty_and_long() {
        let long = "가".repeat(200);
        let values = [
            None,
            Some(""),
            Some("홍길동"),
            Some(long.as_str()),
            Some("a"),
        ];
        let mut book = ReportBook::default();
        for v in values {
            book.push(v).unwrap();
        }
        let mut at = 0;
        for v in values {
            assert_eq!(book.field(&mut at).unwrap().as_deref(), v);
        }
        assert_eq!(at, book.text.len());
        assert!(
            book.field(&mut at).is_err(),
            "reading past the end is an error"
        );
    }
}
