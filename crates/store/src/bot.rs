//! The chatbot's records: a site's bot settings, scenario blocks and knowledge-base entries,
//! what the bot remembers of a consultation, and the handoff to agents. The rules and the
//! shapes of what is stored as JSON are the `bot` crate's; the store keeps them as text and
//! bumps the bot's version with every change so the answering side rebuilds its matcher.

use sangdam_core::{ConsultationId, SiteId, Transition};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{ConsultationRecord, col};
use crate::rooms::Tx;

/// A site's bot: its settings (JSON) and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BotRecord {
    pub site_id: SiteId,
    pub settings: String,
    pub version: i64,
    pub updated_at: i64,
}

/// A block as stored; `definition` is JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockRecord {
    pub id: i64,
    pub site_id: SiteId,
    pub kind: String,
    pub name: String,
    pub definition: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A knowledge-base entry as stored; `questions` and `answer` are JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryRecord {
    pub id: i64,
    pub site_id: SiteId,
    pub category: String,
    pub enabled: bool,
    pub questions: String,
    pub answer: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A block's or an entry's content, as the caller checked it.
#[derive(Debug, Clone, Copy)]
pub struct BlockText<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub definition: &'a str,
}

#[derive(Debug, Clone, Copy)]
pub struct EntryText<'a> {
    pub category: &'a str,
    pub enabled: bool,
    pub questions: &'a str,
    pub answer: &'a str,
}

impl BotRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(BotRecord {
            site_id: SiteId::new(col(row, "site_id")?),
            settings: col(row, "settings")?,
            version: col(row, "version")?,
            updated_at: col(row, "updated_at")?,
        })
    }
}

impl BlockRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(BlockRecord {
            id: col(row, "id")?,
            site_id: SiteId::new(col(row, "site_id")?),
            kind: col(row, "kind")?,
            name: col(row, "name")?,
            definition: col(row, "definition")?,
            created_at: col(row, "created_at")?,
            updated_at: col(row, "updated_at")?,
        })
    }
}

impl EntryRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(EntryRecord {
            id: col(row, "id")?,
            site_id: SiteId::new(col(row, "site_id")?),
            category: col(row, "category")?,
            enabled: col::<i64>(row, "enabled")? != 0,
            questions: col(row, "questions")?,
            answer: col(row, "answer")?,
            created_at: col(row, "created_at")?,
            updated_at: col(row, "updated_at")?,
        })
    }
}

/// Moves the site's bot version on (inside the change's transaction).
async fn bump_tx(tx: &mut Tx<'_>, site: SiteId, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE bots SET version = version + 1, updated_at = $1 WHERE site_id = $2")
        .bind(now)
        .bind(site.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// The site's bot, if it was ever set up.
    pub async fn bot(&self, site: SiteId) -> Result<Option<BotRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM bots WHERE site_id = $1")
            .bind(site.get())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(BotRecord::from_row).transpose()
    }

    /// The site's bot version (0: none set up): cheap, asked on every bot turn.
    pub async fn bot_version(&self, site: SiteId) -> Result<i64, StoreError> {
        let v: Option<i64> = sqlx::query_scalar("SELECT version FROM bots WHERE site_id = $1")
            .bind(site.get())
            .fetch_optional(&self.pool)
            .await?;
        Ok(v.unwrap_or(0))
    }

    /// Sets up the site's bot with `settings` and its first blocks, unless it exists.
    pub async fn create_bot(
        &self,
        site: SiteId,
        settings: &str,
        blocks: &[BlockText<'_>],
        now: i64,
    ) -> Result<BotRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let existing = sqlx::query("SELECT * FROM bots WHERE site_id = $1")
            .bind(site.get())
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = existing {
            return BotRecord::from_row(&row);
        }
        let row = sqlx::query(
            "INSERT INTO bots (site_id, settings, version, updated_at) VALUES ($1, $2, 1, $3) \
             RETURNING *",
        )
        .bind(site.get())
        .bind(settings)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for b in blocks {
            insert_block_tx(&mut tx, site, b, now).await?;
        }
        tx.commit().await?;
        BotRecord::from_row(&row)
    }

    pub async fn save_bot_settings(
        &self,
        site: SiteId,
        settings: &str,
        now: i64,
    ) -> Result<BotRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE bots SET settings = $1, version = version + 1, updated_at = $2 \
             WHERE site_id = $3 RETURNING *",
        )
        .bind(settings)
        .bind(now)
        .bind(site.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("bot"))?;
        BotRecord::from_row(&row)
    }

    pub async fn bot_blocks(&self, site: SiteId) -> Result<Vec<BlockRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM bot_blocks WHERE site_id = $1 ORDER BY id")
            .bind(site.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(BlockRecord::from_row).collect()
    }

    pub async fn bot_block(&self, id: i64) -> Result<BlockRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM bot_blocks WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("block"))?;
        BlockRecord::from_row(&row)
    }

    /// Adds a block, unless the site has `limit` already.
    pub async fn insert_block(
        &self,
        site: SiteId,
        block: &BlockText<'_>,
        limit: usize,
        now: i64,
    ) -> Result<BlockRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bot_blocks WHERE site_id = $1")
            .bind(site.get())
            .fetch_one(&mut *tx)
            .await?;
        if usize::try_from(n).unwrap_or(usize::MAX) >= limit {
            return Err(StoreError::Conflict(format!(
                "a bot has at most {limit} blocks; delete one first"
            )));
        }
        let b = insert_block_tx(&mut tx, site, block, now).await?;
        bump_tx(&mut tx, site, now).await?;
        tx.commit().await?;
        Ok(b)
    }

    pub async fn update_block(
        &self,
        id: i64,
        block: &BlockText<'_>,
        now: i64,
    ) -> Result<BlockRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE bot_blocks SET name = $1, definition = $2, updated_at = $3 WHERE id = $4 \
             RETURNING *",
        )
        .bind(block.name)
        .bind(block.definition)
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("block"))?;
        let b = BlockRecord::from_row(&row)?;
        bump_tx(&mut tx, b.site_id, now).await?;
        tx.commit().await?;
        Ok(b)
    }

    pub async fn delete_block(&self, id: i64, now: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let site: i64 =
            sqlx::query_scalar("DELETE FROM bot_blocks WHERE id = $1 RETURNING site_id")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("block"))?;
        bump_tx(&mut tx, SiteId::new(site), now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn kb_entries(&self, site: SiteId) -> Result<Vec<EntryRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM kb_entries WHERE site_id = $1 ORDER BY id")
            .bind(site.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(EntryRecord::from_row).collect()
    }

    pub async fn kb_entry(&self, id: i64) -> Result<EntryRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM kb_entries WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("entry"))?;
        EntryRecord::from_row(&row)
    }

    /// Adds entries (one, or an import's) in one transaction, after deleting every entry of
    /// the site when `replace`; refused whole when the site would hold more than `limit`.
    pub async fn insert_entries(
        &self,
        site: SiteId,
        entries: &[EntryText<'_>],
        replace: bool,
        limit: usize,
        now: i64,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        if replace {
            sqlx::query("DELETE FROM kb_entries WHERE site_id = $1")
                .bind(site.get())
                .execute(&mut *tx)
                .await?;
        }
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kb_entries WHERE site_id = $1")
            .bind(site.get())
            .fetch_one(&mut *tx)
            .await?;
        let total = usize::try_from(n)
            .unwrap_or(usize::MAX)
            .saturating_add(entries.len());
        if total > limit {
            return Err(StoreError::Conflict(format!(
                "a knowledge base holds at most {limit} entries; this would make {total}"
            )));
        }
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            let row = sqlx::query(
                "INSERT INTO kb_entries (site_id, category, enabled, questions, answer, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *",
            )
            .bind(site.get())
            .bind(e.category)
            .bind(i64::from(e.enabled))
            .bind(e.questions)
            .bind(e.answer)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            out.push(EntryRecord::from_row(&row)?);
        }
        bump_tx(&mut tx, site, now).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn update_entry(
        &self,
        id: i64,
        e: &EntryText<'_>,
        now: i64,
    ) -> Result<EntryRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE kb_entries SET category = $1, enabled = $2, questions = $3, answer = $4, \
             updated_at = $5 WHERE id = $6 RETURNING *",
        )
        .bind(e.category)
        .bind(i64::from(e.enabled))
        .bind(e.questions)
        .bind(e.answer)
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("entry"))?;
        let r = EntryRecord::from_row(&row)?;
        bump_tx(&mut tx, r.site_id, now).await?;
        tx.commit().await?;
        Ok(r)
    }

    pub async fn delete_entry(&self, id: i64, now: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let site: i64 =
            sqlx::query_scalar("DELETE FROM kb_entries WHERE id = $1 RETURNING site_id")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("entry"))?;
        bump_tx(&mut tx, SiteId::new(site), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// What the bot remembers of a consultation (JSON), and why it was handed off (JSON).
    pub async fn bot_state(
        &self,
        id: ConsultationId,
    ) -> Result<(Option<String>, Option<String>), StoreError> {
        let row = sqlx::query("SELECT bot_memory, handoff FROM consultations WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("consultation"))?;
        Ok((col(&row, "bot_memory")?, col(&row, "handoff")?))
    }

    /// A consultation and what the bot remembers of it (JSON): the one read a bot turn makes.
    pub async fn consultation_with_memory(
        &self,
        id: ConsultationId,
    ) -> Result<(ConsultationRecord, Option<String>), StoreError> {
        let row = sqlx::query("SELECT * FROM consultations WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("consultation"))?;
        Ok((
            ConsultationRecord::from_row(&row)?,
            col(&row, "bot_memory")?,
        ))
    }

    /// The bot hands the consultation to agents: it waits in the queue from now, with
    /// `reason` (JSON) kept for the console, and a distribution pass runs. Answers the
    /// consultation and those the pass gave to agents; `Conflict` when it is no longer with
    /// the bot.
    pub async fn hand_to_agent(
        &self,
        id: ConsultationId,
        reason: &str,
        now: i64,
    ) -> Result<(ConsultationRecord, Vec<ConsultationRecord>), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT * FROM consultations WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("consultation"))?;
        let current = ConsultationRecord::from_row(&row)?;
        let next =
            sangdam_core::transition(current.state, Transition::HandToAgent).map_err(|_| {
                StoreError::Conflict("the consultation is no longer with the bot".into())
            })?;
        let row = sqlx::query(
            "UPDATE consultations SET state = $1, waiting_since = $2, updated_at = $2, \
             handoff = $3, bot_memory = NULL WHERE id = $4 AND state = $5 RETURNING *",
        )
        .bind(next.code())
        .bind(now)
        .bind(reason)
        .bind(id.get())
        .bind(current.state.code())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Conflict("the consultation changed meanwhile".into()))?;
        let c = ConsultationRecord::from_row(&row)?;
        let (c, given) = crate::distribution::place_opened(&mut tx, self.backend(), c, now).await?;
        tx.commit().await?;
        Ok((c, given))
    }
}

/// Whether a consultation opening now on `site` starts with the bot: the bot is on, and the
/// inflow asked for it (`bot_start=true`) or the bot answers every new consultation.
pub(crate) async fn bot_opens_tx(
    tx: &mut Tx<'_>,
    site: SiteId,
    bot_start: bool,
) -> Result<bool, StoreError> {
    #[derive(serde::Deserialize)]
    struct Switches {
        #[serde(default)]
        enabled: bool,
        #[serde(default)]
        bot_first: bool,
    }
    let settings: Option<String> =
        sqlx::query_scalar("SELECT settings FROM bots WHERE site_id = $1")
            .bind(site.get())
            .fetch_optional(&mut **tx)
            .await?;
    let Some(settings) = settings else {
        return Ok(false);
    };
    let s: Switches = serde_json::from_str(&settings)?;
    Ok(s.enabled && (bot_start || s.bot_first))
}

async fn insert_block_tx(
    tx: &mut Tx<'_>,
    site: SiteId,
    b: &BlockText<'_>,
    now: i64,
) -> Result<BlockRecord, StoreError> {
    let row = sqlx::query(
        "INSERT INTO bot_blocks (site_id, kind, name, definition, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING *",
    )
    .bind(site.get())
    .bind(b.kind)
    .bind(b.name)
    .bind(b.definition)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::unique(e, "the bot has a block of this kind already"))?;
    BlockRecord::from_row(&row)
}
