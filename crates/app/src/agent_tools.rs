//! The agents' tools on a customer (R3.6): memo versions, the flag, tags, the grade; the
//! site's tag list; canned replies, searched and filled in for a consultation.
//!
//! Who may: whoever reads a profile reads its memo, tags and grade; whoever may edit the
//! profile ([`Action::EditCustomer`]: the admin and managers, an agent while holding an open
//! consultation of the customer) changes them. The tag list is the admin's. Shared canned
//! replies are kept by the admin and managers and used by all; a personal one is its agent's
//! alone, and nobody else learns it exists.

use sangdam_core::canned::{self, Candidate, CannedScope, CannedValues, Rendered};
use sangdam_core::customer::{self, MAX_SITE_TAGS, MAX_TAGS};
use sangdam_core::{Action, AuditAction, ConsultationId, Grade, ProfileId, SiteId};
use serde_json::json;
use store::{AgentRecord, CannedRecord, MemoRecord, ProfileRecord};

use crate::Services;
use crate::access::{admin_only, manager_only};
use crate::error::AppError;

/// How many of a memo's versions a profile shows.
pub const MEMO_HISTORY: i64 = 50;
/// Most canned replies one search answers.
pub const MAX_CANNED_RESULTS: usize = 50;

/// What agents keep about a customer.
#[derive(Debug, Clone)]
pub struct CustomerNotes {
    /// The memo's versions, newest first (the first is the memo), at most [`MEMO_HISTORY`].
    pub memos: Vec<MemoRecord>,
    pub tags: Vec<String>,
}

/// A canned reply found for an agent, filled in when asked for a consultation.
#[derive(Debug, Clone)]
pub struct CannedFound {
    pub reply: CannedRecord,
    pub rendered: Option<Rendered>,
}

impl Services {
    /// The memo's versions and the tags of a profile the caller reads.
    pub async fn customer_notes(&self, p: &ProfileRecord) -> Result<CustomerNotes, AppError> {
        Ok(CustomerNotes {
            memos: self.store.memos(p.id, MEMO_HISTORY).await?,
            tags: self.store.tags(p.id).await?,
        })
    }

    /// Saves a new version of the memo (`""` clears it).
    pub async fn save_memo(
        &self,
        agent: &AgentRecord,
        id: ProfileId,
        body: &str,
    ) -> Result<MemoRecord, AppError> {
        let p = self.profile_for(agent, id, Action::EditCustomer).await?;
        let body = customer::normalize_memo(body)?;
        Ok(self.store.add_memo(&p, agent.id, &body, self.now()).await?)
    }

    /// Sets the grade and the flag (`None` keeps one). A change of grade is audited: blocking a
    /// customer is a decision others must be able to trace.
    pub async fn mark_customer(
        &self,
        agent: &AgentRecord,
        id: ProfileId,
        grade: Option<Grade>,
        flagged: Option<bool>,
    ) -> Result<ProfileRecord, AppError> {
        let p = self.profile_for(agent, id, Action::EditCustomer).await?;
        let marked = self
            .store
            .set_marks(p.id, grade, flagged, self.now())
            .await?;
        if marked.grade != p.grade {
            tracing::info!(profile = %id, agent = %agent.id, from = %p.grade, to = %marked.grade,
                "customer grade changed");
            self.audit(
                agent,
                AuditAction::CustomerGraded,
                format!("profile:{id}"),
                json!({ "from": p.grade.as_str(), "to": marked.grade.as_str() }),
            )
            .await;
        }
        Ok(marked)
    }

    /// Replaces the profile's tags: the site's or free ones, normalised, at most [`MAX_TAGS`].
    pub async fn set_customer_tags(
        &self,
        agent: &AgentRecord,
        id: ProfileId,
        tags: &[String],
    ) -> Result<Vec<String>, AppError> {
        let p = self.profile_for(agent, id, Action::EditCustomer).await?;
        let tags = customer::normalize_tags("tags", tags, MAX_TAGS)?;
        Ok(self.store.set_tags(p.id, &tags, self.now()).await?)
    }

    pub async fn site_tags(&self, site: SiteId) -> Result<Vec<String>, AppError> {
        Ok(self.store.site_tags(site).await?)
    }

    /// The admin saves the site's tag list.
    pub async fn save_site_tags(
        &self,
        admin: &AgentRecord,
        tags: &[String],
    ) -> Result<Vec<String>, AppError> {
        admin_only(admin, "keeps the tag list")?;
        let tags = customer::normalize_tags("tags", tags, MAX_SITE_TAGS)?;
        self.store.save_site_tags(admin.site_id, &tags).await?;
        self.audit(
            admin,
            AuditAction::SiteTagsSaved,
            "",
            json!({ "count": tags.len() }),
        )
        .await;
        Ok(tags)
    }

    /// The canned replies `agent` may use that match `query`, best first (core's
    /// [`canned::search`]); each filled in for `consultation` when one is given (which the
    /// caller must be able to read).
    pub async fn canned_replies(
        &self,
        agent: &AgentRecord,
        query: &str,
        consultation: Option<ConsultationId>,
    ) -> Result<Vec<CannedFound>, AppError> {
        let values = match consultation {
            Some(id) => {
                let c = self.consultation_for(agent, id, Action::Read).await?;
                let room = self.store.room(c.room_id).await?;
                let profile = self.store.profile(room.profile_id).await?;
                Some(profile.name)
            }
            None => None,
        };
        let all = self
            .store
            .canned_replies_for(agent.site_id, agent.id)
            .await?;
        let candidates: Vec<Candidate<'_>> = all
            .iter()
            .map(|r| Candidate {
                scope: r.scope(),
                shortcut: &r.shortcut,
                title: &r.title,
                body: &r.body,
            })
            .collect();
        let found = canned::search(query, &candidates, MAX_CANNED_RESULTS);
        Ok(found
            .into_iter()
            .map(|i| {
                let reply = all[i].clone();
                let rendered = values.as_ref().map(|customer_name| {
                    canned::render(
                        &reply.body,
                        &CannedValues {
                            customer_name: customer_name.as_deref(),
                            counselor_name: Some(&agent.display_name),
                        },
                    )
                });
                CannedFound { reply, rendered }
            })
            .collect())
    }

    /// Adds a canned reply: a personal one for oneself, a shared one when a manager or the
    /// admin.
    pub async fn add_canned_reply(
        &self,
        agent: &AgentRecord,
        scope: CannedScope,
        shortcut: &str,
        title: &str,
        body: &str,
    ) -> Result<CannedRecord, AppError> {
        let owner = match scope {
            CannedScope::Personal => Some(agent.id),
            CannedScope::Shared => {
                manager_only(agent, "keep the shared canned replies")?;
                None
            }
        };
        let text = canned::check(shortcut, title, body)?;
        Ok(self
            .store
            .insert_canned(agent.site_id, owner, &text, scope.limit(), self.now())
            .await?)
    }

    pub async fn edit_canned_reply(
        &self,
        agent: &AgentRecord,
        id: i64,
        shortcut: &str,
        title: &str,
        body: &str,
    ) -> Result<CannedRecord, AppError> {
        self.canned_to_change(agent, id).await?;
        let text = canned::check(shortcut, title, body)?;
        Ok(self.store.update_canned(id, &text, self.now()).await?)
    }

    pub async fn delete_canned_reply(&self, agent: &AgentRecord, id: i64) -> Result<(), AppError> {
        self.canned_to_change(agent, id).await?;
        Ok(self.store.delete_canned(id).await?)
    }

    /// A canned reply `agent` may change: their own, or a shared one when a manager or the
    /// admin. Another site's, or another agent's own, is absent.
    async fn canned_to_change(
        &self,
        agent: &AgentRecord,
        id: i64,
    ) -> Result<CannedRecord, AppError> {
        let reply = match self.store.canned_reply(id).await {
            Ok(r) if r.site_id == agent.site_id => r,
            Ok(_) => return Err(AppError::NotFound("canned reply")),
            Err(e) => return Err(e.into()),
        };
        match reply.owner_id {
            Some(owner) if owner == agent.id => Ok(reply),
            Some(_) => Err(AppError::NotFound("canned reply")),
            None => {
                manager_only(agent, "change the shared canned replies")?;
                Ok(reply)
            }
        }
    }
}
