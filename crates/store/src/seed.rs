//! Bulk writes of made-up consultations (`sangdam seed`): plain rows, decided elsewhere, inserted
//! as fast as the database takes them.
//!
//! Speed comes from three things: ids are chosen by the caller (from [`SeedStart`]'s maxima) so
//! no row waits for a `RETURNING`; rows go in multi-row `INSERT … VALUES (…), (…)` statements
//! as large as the bound-parameter limit allows; and a whole batch is one transaction. The
//! statements are the same on both backends; what differs (PostgreSQL's identity sequences,
//! which explicit ids do not advance) is in `dialect.rs`.
//!
//! Explicit ids assume nobody else inserts into these tables meanwhile: seed a database no
//! server is writing to.

use sangdam_core::SiteId;
use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

use crate::db::{Backend, Store};
use crate::error::StoreError;
use crate::records::{Sender, col};
use crate::rooms::Tx;

/// SQLite's limit of bound parameters per statement (PostgreSQL allows 65,535): one statement
/// holds as many rows as fit under it.
const MAX_PARAMETERS: usize = 32_766;

/// What seeding starts from: the largest id of every table it writes (0 when empty), and what
/// an earlier seeding of the site left that this one reuses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedStart {
    pub max_ids: SeedIds,
    /// The site's agents whose login matches the pattern asked for, `(id, login)`, by id.
    pub agents: Vec<(i64, String)>,
    /// The site's categories: `(id, parent id, used)`, by id.
    pub categories: Vec<(i64, Option<i64>, bool)>,
}

/// One id per table written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeedIds {
    pub agents: i64,
    pub categories: i64,
    pub profiles: i64,
    pub rooms: i64,
    pub consultations: i64,
    pub messages: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedAgent {
    pub id: i64,
    pub login: String,
    /// Stored as given: a value that is no PHC string can never verify a password.
    pub password_hash: String,
    pub display_name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedCategory {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub position: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedProfile {
    pub id: i64,
    pub site_uid: Option<String>,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRoom {
    pub id: i64,
    pub platform: &'static str,
    pub channel: &'static str,
    pub customer_key: String,
    pub profile_id: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedConsultation {
    pub id: i64,
    pub room_id: i64,
    pub channel: &'static str,
    pub state: i64,
    pub end_type: Option<&'static str>,
    pub agent_id: Option<i64>,
    pub closed_by: Option<i64>,
    pub category_id: Option<i64>,
    pub division_id: Option<i64>,
    pub user_parameter: Option<String>,
    /// `inflow::Custom` as JSON.
    pub custom: String,
    pub created_at: i64,
    pub assigned_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub updated_at: i64,
    pub waiting_since: Option<i64>,
    pub answered_at: Option<i64>,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub rated_at: Option<i64>,
    /// Set once closed: the messages it had then (what a close counts).
    pub message_count: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedMessage {
    pub id: i64,
    pub room_id: i64,
    /// Its number in the room (1, 2, 3… in the order of the room's messages).
    pub seq: i64,
    pub consultation_id: i64,
    pub sender: Sender,
    pub agent_id: Option<i64>,
    pub body: String,
    pub delivered_at: Option<i64>,
    pub created_at: i64,
}

/// Rows written in one transaction, parents before children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedBatch {
    pub agents: Vec<SeedAgent>,
    pub categories: Vec<SeedCategory>,
    pub profiles: Vec<SeedProfile>,
    pub rooms: Vec<SeedRoom>,
    pub consultations: Vec<SeedConsultation>,
    pub messages: Vec<SeedMessage>,
}

type AnyQuery<'q> = Query<'q, Any, AnyArguments<'q>>;

/// A row of one table: its columns (after `site_id`, which every seeded table has first) and
/// their values in that order.
trait SeedRow {
    const TABLE: &'static str;
    const COLUMNS: &'static [&'static str];
    fn bind<'q>(&'q self, q: AnyQuery<'q>) -> AnyQuery<'q>;
}

impl SeedRow for SeedAgent {
    const TABLE: &'static str = "agents";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "login",
        "password_hash",
        "display_name",
        "role",
        "created_at",
    ];
    fn bind<'q>(&'q self, q: AnyQuery<'q>) -> AnyQuery<'q> {
        q.bind(self.id)
            .bind(self.login.as_str())
            .bind(self.password_hash.as_str())
            .bind(self.display_name.as_str())
            .bind(sangdam_core::Role::Agent.as_str())
            .bind(self.created_at)
    }
}

impl SeedRow for SeedCategory {
    const TABLE: &'static str = "categories";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "parent_id",
        "name",
        "position",
        "created_at",
        "updated_at",
    ];
    fn bind<'q>(&'q self, q: AnyQuery<'q>) -> AnyQuery<'q> {
        q.bind(self.id)
            .bind(self.parent_id)
            .bind(self.name.as_str())
            .bind(self.position)
            .bind(self.created_at)
            .bind(self.created_at)
    }
}

impl SeedRow for SeedProfile {
    const TABLE: &'static str = "profiles";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "site_uid",
        "name",
        "phone",
        "email",
        "created_at",
        "updated_at",
    ];
    fn bind<'q>(&'q self, q: AnyQuery<'q>) -> AnyQuery<'q> {
        q.bind(self.id)
            .bind(self.site_uid.as_deref())
            .bind(self.name.as_str())
            .bind(self.phone.as_str())
            .bind(self.email.as_deref())
            .bind(self.created_at)
            .bind(self.created_at)
    }
}

impl SeedRow for SeedRoom {
    const TABLE: &'static str = "rooms";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "platform",
        "channel",
        "customer_key",
        "profile_id",
        "created_at",
    ];
    fn bind<'q>(&'q self, q: AnyQuery<'q>) -> AnyQuery<'q> {
        q.bind(self.id)
            .bind(self.platform)
            .bind(self.channel)
            .bind(self.customer_key.as_str())
            .bind(self.profile_id)
            .bind(self.created_at)
    }
}

impl SeedRow for SeedConsultation {
    const TABLE: &'static str = "consultations";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "room_id",
        "channel",
        "state",
        "end_type",
        "agent_id",
        "closed_by",
        "category_id",
        "division_id",
        "user_parameter",
        "custom",
        "created_at",
        "assigned_at",
        "first_response_at",
        "closed_at",
        "updated_at",
        "waiting_since",
        "answered_at",
        "rating",
        "rating_comment",
        "rated_at",
        "message_count",
    ];
    fn bind<'q>(&'q self, q: AnyQuery<'q>) -> AnyQuery<'q> {
        q.bind(self.id)
            .bind(self.room_id)
            .bind(self.channel)
            .bind(self.state)
            .bind(self.end_type)
            .bind(self.agent_id)
            .bind(self.closed_by)
            .bind(self.category_id)
            .bind(self.division_id)
            .bind(self.user_parameter.as_deref())
            .bind(self.custom.as_str())
            .bind(self.created_at)
            .bind(self.assigned_at)
            .bind(self.first_response_at)
            .bind(self.closed_at)
            .bind(self.updated_at)
            .bind(self.waiting_since)
            .bind(self.answered_at)
            .bind(self.rating)
            .bind(self.rating_comment.as_deref())
            .bind(self.rated_at)
            .bind(self.message_count)
    }
}

impl SeedRow for SeedMessage {
    const TABLE: &'static str = "messages";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "room_id",
        "consultation_id",
        "sender",
        "agent_id",
        "body",
        "delivered_at",
        "created_at",
        "seq",
    ];
    fn bind<'q>(&'q self, q: AnyQuery<'q>) -> AnyQuery<'q> {
        q.bind(self.id)
            .bind(self.room_id)
            .bind(self.consultation_id)
            .bind(self.sender.as_str())
            .bind(self.agent_id)
            .bind(self.body.as_str())
            .bind(self.delivered_at)
            .bind(self.created_at)
            .bind(self.seq)
    }
}

/// One custom parameter value of a seeded consultation (`consultation_params`).
struct SeedParam<'a> {
    slot: i64,
    value: &'a str,
    consultation_id: i64,
}

impl SeedRow for SeedParam<'_> {
    const TABLE: &'static str = "consultation_params";
    const COLUMNS: &'static [&'static str] = &["slot", "value", "consultation_id"];
    fn bind<'q>(&'q self, q: AnyQuery<'q>) -> AnyQuery<'q> {
        q.bind(self.slot)
            .bind(self.value)
            .bind(self.consultation_id)
    }
}

/// `INSERT INTO table (site_id, …) VALUES ($1, $2, …), …` for `rows` rows (placeholders as
/// [`crate::dialect::push_parameter`] writes them).
fn insert_sql<R: SeedRow>(backend: Backend, rows: usize) -> String {
    let width = R::COLUMNS.len() + 1;
    let mut sql = format!(
        "INSERT INTO {} (site_id, {}) VALUES ",
        R::TABLE,
        R::COLUMNS.join(", ")
    );
    sql.reserve(rows * (width * 7 + 3));
    let mut n = 1;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ",(" });
        for c in 0..width {
            if c > 0 {
                sql.push(',');
            }
            crate::dialect::push_parameter(backend, &mut sql, n);
            n += 1;
        }
        sql.push(')');
    }
    sql
}

/// As many rows as one statement can bind (the site and the row's columns, per row).
fn rows_per_statement<R: SeedRow>() -> usize {
    MAX_PARAMETERS / (R::COLUMNS.len() + 1)
}

/// Inserts `rows` in as few statements as the parameter limit allows.
async fn insert_all<R: SeedRow>(
    tx: &mut Tx<'_>,
    backend: Backend,
    site: SiteId,
    rows: &[R],
) -> Result<(), StoreError> {
    let per_statement = rows_per_statement::<R>();
    let mut full: Option<String> = None;
    for chunk in rows.chunks(per_statement) {
        let partial;
        let sql = if chunk.len() == per_statement {
            full.get_or_insert_with(|| insert_sql::<R>(backend, per_statement))
                .as_str()
        } else {
            partial = insert_sql::<R>(backend, chunk.len());
            partial.as_str()
        };
        let mut q = sqlx::query(sql);
        for row in chunk {
            q = row.bind(q.bind(site.get()));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

impl Store {
    /// What seeding `site` starts from, with the agents whose login is `LIKE agent_logins`.
    /// `NotFound("site")` when there is no such site.
    pub async fn seed_start(
        &self,
        site: SiteId,
        agent_logins: &str,
    ) -> Result<SeedStart, StoreError> {
        sqlx::query("SELECT id FROM sites WHERE id = $1")
            .bind(site.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("site"))?;
        let row = sqlx::query(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM agents) AS agents, \
             (SELECT COALESCE(MAX(id), 0) FROM categories) AS categories, \
             (SELECT COALESCE(MAX(id), 0) FROM profiles) AS profiles, \
             (SELECT COALESCE(MAX(id), 0) FROM rooms) AS rooms, \
             (SELECT COALESCE(MAX(id), 0) FROM consultations) AS consultations, \
             (SELECT COALESCE(MAX(id), 0) FROM messages) AS messages",
        )
        .fetch_one(&self.pool)
        .await?;
        let max_ids = SeedIds {
            agents: col(&row, "agents")?,
            categories: col(&row, "categories")?,
            profiles: col(&row, "profiles")?,
            rooms: col(&row, "rooms")?,
            consultations: col(&row, "consultations")?,
            messages: col(&row, "messages")?,
        };
        let agents = sqlx::query(
            "SELECT id, login FROM agents WHERE site_id = $1 AND login LIKE $2 ORDER BY id",
        )
        .bind(site.get())
        .bind(agent_logins)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((col(r, "id")?, col(r, "login")?)))
        .collect::<Result<_, StoreError>>()?;
        let categories = sqlx::query(
            "SELECT id, parent_id, used FROM categories WHERE site_id = $1 ORDER BY id",
        )
        .bind(site.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok((
                col(r, "id")?,
                col(r, "parent_id")?,
                col::<i64>(r, "used")? != 0,
            ))
        })
        .collect::<Result<_, StoreError>>()?;
        Ok(SeedStart {
            max_ids,
            agents,
            categories,
        })
    }

    /// Inserts `batch` into `site` in one transaction. Ids are the caller's (see the module
    /// doc); after the last batch, [`Store::seed_finish`].
    pub async fn seed_batch(&self, site: SiteId, batch: &SeedBatch) -> Result<(), StoreError> {
        {
            let backend = self.backend();
            let _w = self.write_guard().await;
            let mut tx = self.begin_write().await?;
            insert_all(&mut tx, backend, site, &batch.agents).await?;
            insert_all(&mut tx, backend, site, &batch.categories).await?;
            insert_all(&mut tx, backend, site, &batch.profiles).await?;
            insert_all(&mut tx, backend, site, &batch.rooms).await?;
            insert_all(&mut tx, backend, site, &batch.consultations).await?;
            let customs = batch
                .consultations
                .iter()
                .map(|c| Ok((c.id, serde_json::from_str::<inflow::Custom>(&c.custom)?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            let params: Vec<SeedParam<'_>> = customs
                .iter()
                .flat_map(|(id, custom)| {
                    custom.iter().map(|(slot, value)| SeedParam {
                        slot: i64::from(slot.number()),
                        value: value.as_str(),
                        consultation_id: *id,
                    })
                })
                .collect();
            insert_all(&mut tx, backend, site, &params).await?;
            insert_all(&mut tx, backend, site, &batch.messages).await?;
            if let (Some(sql), Some(first), Some(last)) = (
                crate::dialect::count_room_messages(backend),
                batch.rooms.iter().map(|r| r.id).min(),
                batch.rooms.iter().map(|r| r.id).max(),
            ) {
                sqlx::query(sql)
                    .bind(first)
                    .bind(last)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        if self.backend() == Backend::Sqlite {
            // The connections never checkpoint by themselves (`wal_autocheckpoint = 0`; the
            // server's checkpointer is not running here): without this the log would grow to
            // the size of everything seeded, and every read would search it.
            sqlx::query(crate::dialect::SQLITE_CHECKPOINT)
                .fetch_one(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// After the last [`Store::seed_batch`]: lets the database hand out ids after the ones
    /// seeded again, and (PostgreSQL) lays the consultations out in the order they were
    /// created, gives its planner the new rows' statistics and marks them visible, so the
    /// reports' indexes answer alone rather than after autovacuum's next round.
    ///
    /// A desk's own history is written in time order, but the seed writes each customer's
    /// consultations together: SQLite keeps a table in the order of its ids (which follow
    /// creation time) whatever the order of the inserts, PostgreSQL in the order of the
    /// inserts. Reading a million consultations newest first from a table in customer order
    /// fetched pages all over it (a download took 4.6 to 5.2 s instead of 3.3 to 3.7 s, see
    /// docs/PERFORMANCE.md). `CLUSTER` rewrites the table in creation order and holds it for
    /// the time (about 10 s a million rows): a seed is for a demonstration or a benchmark, not
    /// for a live desk's database.
    pub async fn seed_finish(&self) -> Result<(), StoreError> {
        if self.backend() == Backend::Postgres {
            sqlx::query("CLUSTER consultations USING consultations_created")
                .execute(&self.pool)
                .await?;
            sqlx::query(
                "VACUUM (ANALYZE) consultations, consultation_params, rooms, profiles, messages",
            )
            .execute(&self.pool)
            .await?;
        }
        for table in [
            "agents",
            "categories",
            "profiles",
            "rooms",
            "consultations",
            "messages",
        ] {
            if let Some(sql) = crate::dialect::reset_id_sequence(self.backend(), table) {
                let _w = self.write_guard().await;
                sqlx::query(&sql).fetch_all(&self.pool).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_bind_the_site_and_the_columns_of_every_row() {
        assert_eq!(
            insert_sql::<SeedRoom>(Backend::Postgres, 2),
            "INSERT INTO rooms (site_id, id, platform, channel, customer_key, profile_id, \
             created_at) VALUES ($1,$2,$3,$4,$5,$6,$7),($8,$9,$10,$11,$12,$13,$14)"
        );
        assert_eq!(
            insert_sql::<SeedRoom>(Backend::Sqlite, 2),
            "INSERT INTO rooms (site_id, id, platform, channel, customer_key, profile_id, \
             created_at) VALUES (?,?,?,?,?,?,?),(?,?,?,?,?,?,?)"
        );
    }

    /// The largest placeholder of a full statement of each table stays within SQLite's limit.
    #[test]
    fn full_statements_fit_the_parameter_limit() {
        fn highest<R: SeedRow>() -> usize {
            let sql = insert_sql::<R>(Backend::Postgres, rows_per_statement::<R>());
            sql.rsplit('$')
                .next()
                .and_then(|t| t.trim_end_matches(')').parse().ok())
                .unwrap_or(usize::MAX)
        }
        for n in [
            highest::<SeedAgent>(),
            highest::<SeedCategory>(),
            highest::<SeedProfile>(),
            highest::<SeedRoom>(),
            highest::<SeedConsultation>(),
            highest::<SeedMessage>(),
        ] {
            assert!(n <= MAX_PARAMETERS && n > MAX_PARAMETERS - 30, "{n}");
        }
    }
}
