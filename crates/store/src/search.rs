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
use sangdam_core::{AgentId, ConsultationId, ConsultationState, RoomId, SiteId};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::consultations::business_sql;
use crate::db::{Backend, Store};
use crate::error::StoreError;
use crate::records::col;

/// Whose view a search has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchScope<'a> {
    /// Everything of the site (the admin, a manager who leads no group).
    Site,
    /// What is the business of these accounts (an agent: themselves; a manager: their
    /// group): consultations they hold or held, and those waiting in the queue.
    Agents(&'a [AgentId]),
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
    pub state: ConsultationState,
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
    pub state: ConsultationState,
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

/// How many of the newest messages PostgreSQL reads in order before it asks the index.
const RECENT_WINDOW: i64 = 50_000;

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

impl Store {
    /// Indexes up to `batch` messages after the index's mark, with the new mark, in one
    /// transaction; how many it indexed (0: the index is complete). The messages are read
    /// and their bigrams made before the write lock is taken, so the message writer waits
    /// only for the inserts.
    pub async fn index_messages(&self, batch: i64) -> Result<usize, StoreError> {
        let done: i64 = col(
            &sqlx::query("SELECT done FROM search_index")
                .fetch_one(&self.pool)
                .await?,
            "done",
        )?;
        let rows = sqlx::query(
            "SELECT id, site_id, body FROM messages WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(done)
        .bind(batch)
        .fetch_all(&self.pool)
        .await?;
        let Some(last) = rows.last() else {
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
        let entries = serde_json::Value::Array(entries).to_string();
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        // The mark moves only from where it was read: another indexer (another instance on
        // the same PostgreSQL) that got there first has indexed these.
        let moved = sqlx::query("UPDATE search_index SET done = $1 WHERE done = $2")
            .bind(last)
            .bind(done)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if moved == 0 {
            tx.rollback().await?;
            return Ok(0);
        }
        sqlx::query(sql).bind(entries).execute(&mut *tx).await?;
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
        scope: SearchScope<'_>,
        limit: i64,
    ) -> Result<Vec<MessageHit>, StoreError> {
        let site_tok = site_token(site.get());
        let scope_sql = match scope {
            SearchScope::Site => String::new(),
            SearchScope::Agents(ours) => format!(" AND {}", business_sql("c", Some(ours))),
        };
        // The tokens are ASCII letters made here (never the query's text): safe in the SQL.
        let select = |index: &str, matches: &str, id: &str| {
            format!(
                "SELECT m.id AS message_id, m.consultation_id, m.room_id, m.sender, m.agent_id, \
                 m.body, m.created_at, c.channel, p.name AS customer_name \
                 FROM {index} JOIN consultations c ON c.id = m.consultation_id \
                 JOIN rooms r ON r.id = m.room_id JOIN profiles p ON p.id = r.profile_id \
                 WHERE {matches} AND m.site_id = $1{scope_sql} ORDER BY {id} DESC LIMIT $2"
            )
        };
        let statements = match self.backend() {
            // FTS5 walks the matches newest first and stops at the limit.
            Backend::Sqlite => vec![select(
                "message_search JOIN messages m ON m.id = message_search.rowid",
                &format!(
                    "message_search MATCH '{site_tok} \"{}\"'",
                    query.grams.join(" ")
                ),
                "message_search.rowid",
            )],
            // A GIN index finds every match but in no order: a common word's hundreds of
            // thousands would all be read and sorted. So the newest messages are tried first,
            // newest first (a common word's newest matches are among them); only when they
            // hold too few does the index answer, and then the matches are few.
            Backend::Postgres => {
                let matches = format!(
                    "s.grams @@ to_tsquery('simple', '{site_tok} & {}')",
                    query.grams.join(" <-> ")
                );
                vec![
                    select(
                        &format!(
                            "(SELECT message_id, grams FROM message_search \
                             ORDER BY message_id DESC LIMIT {RECENT_WINDOW}) s \
                             JOIN messages m ON m.id = s.message_id"
                        ),
                        &matches,
                        "s.message_id",
                    ),
                    select(
                        "message_search s JOIN messages m ON m.id = s.message_id",
                        &matches,
                        "s.message_id",
                    ),
                ]
            }
        };
        let mut rows = Vec::new();
        for sql in &statements {
            let q = sqlx::query(sql).bind(site.get()).bind(limit);
            rows = q.fetch_all(&self.pool).await?;
            if rows.len() as i64 >= limit {
                break;
            }
        }
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
        scope: SearchScope<'_>,
        limit: i64,
    ) -> Result<Vec<CustomerHit>, StoreError> {
        // Any case. SQLite's LIKE already ignores the case of Latin letters. PostgreSQL's
        // ILIKE folds every character of every row and took six times as long as LIKE over
        // the profiles of a million messages: so LIKE when the text has no letters that have
        // a case (Korean, digits), else `lower()` on both sides.
        let cased = text.chars().any(|c| c.is_lowercase() || c.is_uppercase());
        let (lower, pattern) = match (self.backend(), cased) {
            (Backend::Postgres, true) => ("lower", contains(&text.to_lowercase())),
            _ => ("", contains(text)),
        };
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        // A phone number typed with or without its dashes and spaces (mostly digits): also
        // compared digit for digit.
        let phone_digits = if digits.len() >= 2 && digits.len() * 2 >= text.chars().count() {
            contains(&digits)
        } else {
            String::new()
        };
        // The matching rooms first — the site's profiles and rooms read through once each
        // (`+site_id`: not by an index on the site, which would visit every row out of order)
        // — then, for those alone, their rows and latest consultations (`CROSS JOIN` keeps
        // SQLite from reading every room first; PostgreSQL plans it as any join).
        let sql = format!(
            "WITH hits AS MATERIALIZED ( \
               SELECT r.id FROM rooms r WHERE r.profile_id IN ( \
                 SELECT p.id FROM profiles p WHERE +p.site_id = $1 AND ( \
                   {lower}(p.name) LIKE $2 ESCAPE '\\' OR {lower}(p.phone) LIKE $2 ESCAPE '\\' \
                   OR {lower}(p.email) LIKE $2 ESCAPE '\\' OR {lower}(p.site_uid) LIKE $2 ESCAPE '\\' \
                   OR ($3 <> '' AND REPLACE(REPLACE(p.phone, '-', ''), ' ', '') LIKE $3 ESCAPE '\\'))) \
               UNION \
               SELECT r.id FROM rooms r WHERE +r.site_id = $1 \
                 AND {lower}(r.customer_key) LIKE $2 ESCAPE '\\') \
             SELECT r.id AS room_id, r.channel, r.customer_key, p.id AS profile_id, p.name, \
             p.phone, p.email, p.site_uid, c.id AS consultation_id, c.state, c.created_at \
             FROM hits CROSS JOIN rooms r CROSS JOIN profiles p CROSS JOIN consultations c \
             WHERE r.id = hits.id AND p.id = r.profile_id \
             AND c.id = (SELECT MAX(c2.id) FROM consultations c2 WHERE c2.room_id = r.id{inner}) \
             ORDER BY r.id DESC LIMIT $4",
            inner = match scope {
                SearchScope::Site => String::new(),
                SearchScope::Agents(ours) => format!(" AND {}", business_sql("c2", Some(ours))),
            },
        );
        let q = sqlx::query(&sql)
            .bind(site.get())
            .bind(pattern)
            .bind(phone_digits)
            .bind(limit);
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(customer_hit).collect()
    }

    /// Consultations of `site` one of whose custom parameters is exactly `value`, newest
    /// first, at most `limit`, within `scope`.
    pub async fn search_parameters(
        &self,
        site: SiteId,
        value: &str,
        scope: SearchScope<'_>,
        limit: i64,
    ) -> Result<Vec<ParameterHit>, StoreError> {
        let scope_sql = match scope {
            SearchScope::Site => String::new(),
            SearchScope::Agents(ours) => format!(
                " AND EXISTS (SELECT 1 FROM consultations c WHERE c.id = cp.consultation_id \
                 AND {})",
                business_sql("c", Some(ours))
            ),
        };
        // The newest matching ids from the parameters' primary key first (every slot named,
        // so each is one range of it), then their consultations, rooms and profiles.
        let sql = format!(
            "WITH top AS MATERIALIZED ( \
               SELECT cp.consultation_id, cp.slot, cp.value FROM consultation_params cp \
               WHERE cp.site_id = $1 AND cp.slot IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10) \
               AND cp.value = $2{scope_sql} ORDER BY cp.consultation_id DESC LIMIT $3) \
             SELECT c.id AS consultation_id, c.room_id, c.channel, top.slot, top.value, \
             p.name AS customer_name, c.state, c.created_at \
             FROM top CROSS JOIN consultations c CROSS JOIN rooms r CROSS JOIN profiles p \
             WHERE c.id = top.consultation_id AND r.id = c.room_id AND p.id = r.profile_id \
             ORDER BY c.id DESC"
        );
        let q = sqlx::query(&sql).bind(site.get()).bind(value).bind(limit);
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
                    state: state(row)?,
                    created_at: col(row, "created_at")?,
                })
            })
            .collect()
    }
}

fn state(row: &AnyRow) -> Result<ConsultationState, StoreError> {
    let code: i64 = col(row, "state")?;
    ConsultationState::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown consultation state {code}")))
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
        state: state(row)?,
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
