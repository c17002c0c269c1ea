//! A site's consultation categories (R3.2): its tree, the admin's changes to it, and an
//! agent's classification of a consultation, each read, decided by
//! [`sangdam_core::category`] and written in one transaction. Nodes are never deleted.
//!
//! The inflow path reads the tree in its own transaction ([`tree_tx`]) when a consultation
//! opens or is joined (see `rooms.rs`), and a send-back into another category in its own
//! (see `distribution.rs`).

use sangdam_core::category::{self, Edit, Node, Tree};
use sangdam_core::{AgentId, CategoryId, ConsultationId, CoreError, SiteId};
use serde::Serialize;
use sqlx::Any;
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{ConsultationRecord, col};
use crate::rooms::Tx;

/// One change of a consultation's classification by an agent.
#[derive(Debug, Clone, Serialize)]
pub struct ClassificationRecord {
    pub id: i64,
    pub consultation_id: ConsultationId,
    /// Who changed it.
    pub agent_id: AgentId,
    pub category_id: Option<CategoryId>,
    pub division_id: Option<CategoryId>,
    pub sub_label: Option<String>,
    pub created_at: i64,
}

impl ClassificationRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(ClassificationRecord {
            id: col(row, "id")?,
            consultation_id: ConsultationId::new(col(row, "consultation_id")?),
            agent_id: AgentId::new(col(row, "agent_id")?),
            category_id: col::<Option<i64>>(row, "category_id")?.map(CategoryId::new),
            division_id: col::<Option<i64>>(row, "division_id")?.map(CategoryId::new),
            sub_label: col(row, "sub_label")?,
            created_at: col(row, "created_at")?,
        })
    }
}

fn node(row: &AnyRow) -> Result<Node, StoreError> {
    Ok(Node {
        id: CategoryId::new(col(row, "id")?),
        parent: col::<Option<i64>>(row, "parent_id")?.map(CategoryId::new),
        name: col(row, "name")?,
        position: col(row, "position")?,
        used: col::<i64>(row, "used")? != 0,
        is_default: col::<i64>(row, "is_default")? != 0,
    })
}

/// The site's whole tree, read through `db` (the pool, or a transaction).
async fn read_tree<'e>(
    db: impl sqlx::Executor<'e, Database = Any>,
    site: SiteId,
) -> Result<Tree, StoreError> {
    let rows = sqlx::query("SELECT * FROM categories WHERE site_id = $1")
        .bind(site.get())
        .fetch_all(db)
        .await?;
    Ok(Tree::new(rows.iter().map(node).collect::<Result<_, _>>()?))
}

/// The site's whole tree, read in `tx`.
pub(crate) async fn tree_tx(tx: &mut Tx<'_>, site: SiteId) -> Result<Tree, StoreError> {
    read_tree(&mut **tx, site).await
}

/// Records that `agent` gave consultation `c` the classification it now has.
pub(crate) async fn record_classification(
    tx: &mut Tx<'_>,
    c: &ConsultationRecord,
    agent: AgentId,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO classifications (site_id, consultation_id, agent_id, category_id, \
         division_id, sub_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(c.site_id.get())
    .bind(c.id.get())
    .bind(agent.get())
    .bind(c.category_id.map(CategoryId::get))
    .bind(c.division_id.map(CategoryId::get))
    .bind(c.sub_label.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Locks the site's tree for a change (see [`crate::dialect::lock_site`]) and reads it.
async fn locked_tree(store: &Store, tx: &mut Tx<'_>, site: SiteId) -> Result<Tree, StoreError> {
    sqlx::query(crate::dialect::lock_site(store.backend()))
        .bind(site.get())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("site"))?;
    tree_tx(tx, site).await
}

/// A name the unique index refused: another transaction gave a sibling the same name first.
fn name_taken(e: sqlx::Error) -> StoreError {
    StoreError::unique(
        e,
        "another one at the same level has this name; reload and try again",
    )
}

/// Writes changed nodes. Those giving up the default go first: the index that keeps one
/// default per site is checked statement by statement.
async fn save(tx: &mut Tx<'_>, mut changed: Vec<Node>, now: i64) -> Result<(), StoreError> {
    changed.sort_by_key(|n| n.is_default);
    for n in changed {
        sqlx::query(
            "UPDATE categories SET name = $1, position = $2, used = $3, is_default = $4, \
             updated_at = $5 WHERE id = $6",
        )
        .bind(n.name.as_str())
        .bind(n.position)
        .bind(i64::from(n.used))
        .bind(i64::from(n.is_default))
        .bind(now)
        .bind(n.id.get())
        .execute(&mut **tx)
        .await
        .map_err(name_taken)?;
    }
    Ok(())
}

impl Store {
    /// The site's tree, used and unused.
    pub async fn category_tree(&self, site: SiteId) -> Result<Tree, StoreError> {
        read_tree(&self.pool, site).await
    }

    /// Adds a category (`parent` none) or a division of `parent`, after its siblings, as the
    /// tree rules allow. Answers the new node.
    pub async fn add_category(
        &self,
        site: SiteId,
        parent: Option<CategoryId>,
        name: &str,
        now: i64,
    ) -> Result<Node, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let tree = locked_tree(self, &mut tx, site).await?;
        let new = category::plan_add(&tree, parent, name)?;
        let row = sqlx::query(
            "INSERT INTO categories (site_id, parent_id, name, position, used, is_default, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $6) RETURNING *",
        )
        .bind(site.get())
        .bind(new.parent.map(CategoryId::get))
        .bind(new.name.as_str())
        .bind(new.position)
        .bind(i64::from(new.used))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(name_taken)?;
        let added = node(&row)?;
        tx.commit().await?;
        Ok(added)
    }

    /// Renames, switches, or makes or unmakes the default, as the tree rules allow (a category
    /// switched off takes its divisions with it). Answers the tree as it now is.
    pub async fn edit_category(
        &self,
        site: SiteId,
        id: CategoryId,
        edit: &Edit,
        now: i64,
    ) -> Result<Tree, StoreError> {
        self.change_tree(site, id, now, |tree| category::plan_edit(tree, id, edit))
            .await
    }

    /// Moves a node to `position` among its siblings, renumbering them. Answers the tree as
    /// it now is.
    pub async fn move_category(
        &self,
        site: SiteId,
        id: CategoryId,
        position: i64,
        now: i64,
    ) -> Result<Tree, StoreError> {
        self.change_tree(site, id, now, |tree| {
            category::plan_move(tree, id, position)
        })
        .await
    }

    /// Changes node `id` of the site's tree as `plan` decides from the tree read under the
    /// site's lock, and answers the tree as it then is.
    async fn change_tree(
        &self,
        site: SiteId,
        id: CategoryId,
        now: i64,
        plan: impl FnOnce(&Tree) -> Result<Vec<Node>, CoreError>,
    ) -> Result<Tree, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let tree = locked_tree(self, &mut tx, site).await?;
        if tree.get(id).is_none() {
            return Err(StoreError::NotFound("category"));
        }
        let changed = plan(&tree)?;
        save(&mut tx, changed, now).await?;
        let tree = tree_tx(&mut tx, site).await?;
        tx.commit().await?;
        Ok(tree)
    }

    /// An agent sets a consultation's category, division and sub-label, as
    /// [`category::reclassify`] allows; the change is recorded with who made it.
    pub async fn classify_consultation(
        &self,
        id: ConsultationId,
        agent: AgentId,
        category: Option<CategoryId>,
        division: Option<CategoryId>,
        sub_label: Option<&str>,
        now: i64,
    ) -> Result<ConsultationRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT * FROM consultations WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("consultation"))?;
        let current = ConsultationRecord::from_row(&row)?;
        let tree = tree_tx(&mut tx, current.site_id).await?;
        let to = category::reclassify(
            &tree,
            (current.category_id, current.division_id),
            category,
            division,
            sub_label,
        )?;
        let row = sqlx::query(
            "UPDATE consultations SET category_id = $1, division_id = $2, sub_label = $3, \
             updated_at = $4 WHERE id = $5 RETURNING *",
        )
        .bind(to.category.map(CategoryId::get))
        .bind(to.division.map(CategoryId::get))
        .bind(to.sub_label.as_deref())
        .bind(now)
        .bind(id.get())
        .fetch_one(&mut *tx)
        .await?;
        let updated = ConsultationRecord::from_row(&row)?;
        record_classification(&mut tx, &updated, agent, now).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// The changes agents made to a consultation's classification, oldest first.
    pub async fn classifications_of(
        &self,
        consultation: ConsultationId,
    ) -> Result<Vec<ClassificationRecord>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM classifications WHERE consultation_id = $1 ORDER BY id")
                .bind(consultation.get())
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(ClassificationRecord::from_row).collect()
    }
}
