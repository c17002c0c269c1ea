//! Search: message text through the bigram index ([`sangdam_core::search`]), customers by
//! their profile's fields and room's key, consultations by a parameter's value; each within a
//! site, and for an agent within what they may see (see [`SearchScope`]).
//!
//! The index is written behind the messages, not with them: [`Store::index_messages`] takes
//! the messages after the index's mark in id order, a batch per transaction together with the
//! new mark, so a crash loses nothing and doubles nothing, and the message writer's path does
//! not grow. Messages are written by one writer per process, in id order, which is what lets
//! one mark stand for "everything before it".

use sangdam_core::search::{Query, index_text, site_token};
use sangdam_core::{AgentId, ConsultationId, RoomId, SiteId};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Backend, Store};
use crate::error::StoreError;
use crate::records::col;

/// Whose view a search has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchScope {
    /// Everything of the site (managers and the admin).
    Site,
    /// An agent's: consultations they hold or held, and those waiting in the queue.
    Agent(AgentId),
}

/// A message whose text matched.
#[derive(Debug, Clone, Serialize)]
pub struct MessageHit {
    pub message_id: i64,
    pub consultation_id: ConsultationId,
    pub room_id: RoomId,
    pub channel: String,
    pub sender: String,
    pub agent_id: Option<AgentId>,
    pub body: String,
    pub created_at: i64,
    /// The customer's name, when their profile has one.
    pub customer_name: Option<String>,
}

/// A customer (a room and its profile) whose name, phone, e-mail, ID or customer key matched.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerHit {
    pub room_id: RoomId,
    pub profile_id: i64,
    pub channel: String,
    pub customer_key: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub site_uid: Option<String>,
    /// The room's latest consultation the caller may see.
    pub consultation_id: ConsultationId,
    pub state: i64,
    pub created_at: i64,
}

/// A consultation one of whose custom parameters has the value searched.
#[derive(Debug, Clone, Serialize)]
pub struct ParameterHit {
    pub consultation_id: ConsultationId,
    pub room_id: RoomId,
    pub channel: String,
    /// The custom slot (1–10).
    pub slot: i64,
    pub value: String,
    pub customer_name: Option<String>,
    pub state: i64,
    pub created_at: i64,
}

/// How much of the message text is indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IndexProgress {
    /// Messages up to this id are searchable.
    pub done: i64,
    /// The newest message's id.
    pub newest: i64,
}

/// `%text%` for `LIKE … ESCAPE '\'`, with the text's `%`, `_` and `\` taken literally.
fn contains(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// The condition an agent's view puts on consultation `c` (`$n` is the agent's id).
fn agent_condition(c: &str, n: usize) -> String {
    format!("({c}.agent_id = ${n} OR ({c}.state = 0 AND {c}.agent_id IS NULL))")
}

impl Store {
    /// Indexes up to `batch` messages after the index's mark, with the new mark, in one
    /// transaction; how many it indexed (0: the index is complete).
    pub async fn index_messages(&self, batch: i64) -> Result<usize, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let done: i64 = col(
            &sqlx::query("SELECT done FROM search_index")
                .fetch_one(&mut *tx)
                .await?,
            "done",
        )?;
        let rows = sqlx::query(
            "SELECT id, site_id, body FROM messages WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(done)
        .bind(batch)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = rows.last() else {
            tx.rollback().await?;
            return Ok(0);
        };
        let last: i64 = col(last, "id")?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in &rows {
            let site: i64 = col(row, "site_id")?;
            let body: String = col(row, "body")?;
            let grams = index_text(&body);
            let text = format!("{} {grams}", site_token(site));
            entries.push(serde_json::json!([col::<i64>(row, "id")?, text]));
        }
        let sql = match self.backend() {
            Backend::Sqlite => {
                "INSERT INTO message_search (rowid, grams) \
                 SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') \
                 FROM json_each($1)"
            }
            Backend::Postgres => {
                "INSERT INTO message_search (message_id, grams) \
                 SELECT (e->>0)::bigint, to_tsvector('simple', e->>1) \
                 FROM jsonb_array_elements($1::jsonb) e ON CONFLICT DO NOTHING"
            }
        };
        sqlx::query(sql)
            .bind(serde_json::Value::Array(entries).to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE search_index SET done = $1")
            .bind(last)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// How far the message index has come.
    pub async fn index_progress(&self) -> Result<IndexProgress, StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT done FROM search_index) AS done, \
             (SELECT COALESCE(MAX(id), 0) FROM messages) AS newest",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(IndexProgress {
            done: col(&row, "done")?,
            newest: col(&row, "newest")?,
        })
    }

    /// The newest messages of `site` whose text holds the query (as [`sangdam_core::search`]
    /// matches), at most `limit`, within `scope`.
    pub async fn search_messages(
        &self,
        site: SiteId,
        query: &Query,
        scope: SearchScope,
        limit: i64,
    ) -> Result<Vec<MessageHit>, StoreError> {
        let site_tok = site_token(site.get());
        let (index, matches, id) = match self.backend() {
            Backend::Sqlite => (
                "message_search JOIN messages m ON m.id = message_search.rowid",
                format!(
                    "message_search MATCH '{site_tok} \"{}\"'",
                    query.grams.join(" ")
                ),
                "message_search.rowid",
            ),
            Backend::Postgres => (
                "message_search s JOIN messages m ON m.id = s.message_id",
                format!(
                    "s.grams @@ to_tsquery('simple', '{site_tok} & {}')",
                    query.grams.join(" <-> ")
                ),
                "s.message_id",
            ),
        };
        let scope_sql = match scope {
            SearchScope::Site => String::new(),
            SearchScope::Agent(_) => format!(" AND {}", agent_condition("c", 3)),
        };
        // The tokens are ASCII letters made here (never the query's text): safe in the SQL.
        let sql = format!(
            "SELECT m.id AS message_id, m.consultation_id, m.room_id, m.sender, m.agent_id, \
             m.body, m.created_at, c.channel, p.name AS customer_name \
             FROM {index} JOIN consultations c ON c.id = m.consultation_id \
             JOIN rooms r ON r.id = m.room_id JOIN profiles p ON p.id = r.profile_id \
             WHERE {matches} AND m.site_id = $1{scope_sql} ORDER BY {id} DESC LIMIT $2"
        );
        let mut q = sqlx::query(&sql).bind(site.get()).bind(limit);
        if let SearchScope::Agent(a) = scope {
            q = q.bind(a.get());
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(MessageHit {
                    message_id: col(row, "message_id")?,
                    consultation_id: ConsultationId::new(col(row, "consultation_id")?),
                    room_id: RoomId::new(col(row, "room_id")?),
                    channel: col(row, "channel")?,
                    sender: col(row, "sender")?,
                    agent_id: col::<Option<i64>>(row, "agent_id")?.map(AgentId::new),
                    body: col(row, "body")?,
                    created_at: col(row, "created_at")?,
                    customer_name: col(row, "customer_name")?,
                })
            })
            .collect()
    }

    /// Customers of `site` whose name, phone (also without its dashes), e-mail, ID or
    /// customer key holds `text` (any case), newest room first, at most `limit`, within
    /// `scope`: each with the room's latest consultation the caller may see (a room with none
    /// the caller may see is left out).
    pub async fn search_customers(
        &self,
        site: SiteId,
        text: &str,
        scope: SearchScope,
        limit: i64,
    ) -> Result<Vec<CustomerHit>, StoreError> {
        let like = crate::dialect::like_any_case(self.backend());
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        // A phone number typed with or without its dashes and spaces (mostly digits): also
        // compared digit for digit.
        let phone_digits = if digits.len() >= 2 && digits.len() * 2 >= text.chars().count() {
            contains(&digits)
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT r.id AS room_id, r.channel, r.customer_key, p.id AS profile_id, p.name, \
             p.phone, p.email, p.site_uid, c.id AS consultation_id, c.state, c.created_at \
             FROM profiles p JOIN rooms r ON r.profile_id = p.id \
             JOIN consultations c ON c.id = (SELECT MAX(c2.id) FROM consultations c2 \
               WHERE c2.room_id = r.id{inner}) \
             WHERE p.site_id = $1 AND (p.name {like} $2 ESCAPE '\\' OR p.phone {like} $2 ESCAPE '\\' \
             OR p.email {like} $2 ESCAPE '\\' OR p.site_uid {like} $2 ESCAPE '\\' \
             OR r.customer_key {like} $2 ESCAPE '\\' \
             OR ($3 <> '' AND REPLACE(REPLACE(p.phone, '-', ''), ' ', '') LIKE $3 ESCAPE '\\')) \
             ORDER BY r.id DESC LIMIT $4",
            inner = match scope {
                SearchScope::Site => String::new(),
                SearchScope::Agent(_) => format!(" AND {}", agent_condition("c2", 5)),
            },
        );
        let mut q = sqlx::query(&sql)
            .bind(site.get())
            .bind(contains(text))
            .bind(phone_digits)
            .bind(limit);
        if let SearchScope::Agent(a) = scope {
            q = q.bind(a.get());
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(customer_hit).collect()
    }

    /// Consultations of `site` one of whose custom parameters is exactly `value`, newest
    /// first, at most `limit`, within `scope`.
    pub async fn search_parameters(
        &self,
        site: SiteId,
        value: &str,
        scope: SearchScope,
        limit: i64,
    ) -> Result<Vec<ParameterHit>, StoreError> {
        let scope_sql = match scope {
            SearchScope::Site => String::new(),
            SearchScope::Agent(_) => format!(" AND {}", agent_condition("c", 4)),
        };
        // Every slot named, so each is one range of the parameters' primary key.
        let sql = format!(
            "SELECT c.id AS consultation_id, c.room_id, c.channel, cp.slot, cp.value, \
             p.name AS customer_name, c.state, c.created_at \
             FROM consultation_params cp JOIN consultations c ON c.id = cp.consultation_id \
             JOIN rooms r ON r.id = c.room_id JOIN profiles p ON p.id = r.profile_id \
             WHERE cp.site_id = $1 AND cp.slot IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10) \
             AND cp.value = $2{scope_sql} ORDER BY c.id DESC LIMIT $3"
        );
        let mut q = sqlx::query(&sql).bind(site.get()).bind(value).bind(limit);
        if let SearchScope::Agent(a) = scope {
            q = q.bind(a.get());
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(ParameterHit {
                    consultation_id: ConsultationId::new(col(row, "consultation_id")?),
                    room_id: RoomId::new(col(row, "room_id")?),
                    channel: col(row, "channel")?,
                    slot: col(row, "slot")?,
                    value: col(row, "value")?,
                    customer_name: col(row, "customer_name")?,
                    state: col(row, "state")?,
                    created_at: col(row, "created_at")?,
                })
            })
            .collect()
    }
}

fn customer_hit(row: &AnyRow) -> Result<CustomerHit, StoreError> {
    Ok(CustomerHit {
        room_id: RoomId::new(col(row, "room_id")?),
        profile_id: col(row, "profile_id")?,
        channel: col(row, "channel")?,
        customer_key: col(row, "customer_key")?,
        name: col(row, "name")?,
        phone: col(row, "phone")?,
        email: col(row, "email")?,
        site_uid: col(row, "site_uid")?,
        consultation_id: ConsultationId::new(col(row, "consultation_id")?),
        state: col(row, "state")?,
        created_at: col(row, "created_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_takes_wildcards_literally() {
        assert_eq!(contains("김"), "%김%");
        assert_eq!(contains("10%_off\\"), "%10\\%\\_off\\\\%");
    }
}
