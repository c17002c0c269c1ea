//! Search for agents: customers by name, phone, e-mail, ID and customer key, consultations by
//! a parameter's value, and messages by their text (Korean-aware, see
//! [`sangdam_core::search`]), each within what the caller's role may see: managers and the
//! admin the whole site, an agent the consultations they hold or held and the queue.
//!
//! The message index follows the messages: [`Services::run_search_indexer`] indexes what is
//! new (and, after an upgrade, what was there before) a batch at a time; until it has caught
//! up, an answer says how far it has come.

use std::time::Duration;

use sangdam_core::CoreError;
use sangdam_core::search::{MAX_QUERY_CHARS, MIN_QUERY_CHARS, QueryProblem, query};
use serde::Serialize;
use store::{AgentRecord, CustomerHit, IndexProgress, MessageHit, ParameterHit, SearchScope};
use tokio::sync::watch;

use crate::Services;
use crate::error::AppError;

/// Messages indexed per transaction while messages keep arriving: small, so the message
/// writer (SQLite has one writer at a time) never waits long for the index.
const BUSY_BATCH: i64 = 50;
/// After such a batch, the indexer rests this many times as long as the batch took: it works
/// at most a tenth of the time, so under a heavy load (thousands of messages a second) it falls
/// behind and catches up afterwards, rather than slowing the messages down.
const BUSY_REST: u32 = 9;
/// Messages indexed per transaction when the desk is quiet (fewer than [`QUIET_BELOW`] new
/// messages since the last batch): the backlog of an upgrade goes fast.
const QUIET_BATCH: i64 = 2_000;
const QUIET_BELOW: i64 = 100;
/// How often the indexer looks for new messages once it has caught up.
const INDEX_EVERY: Duration = Duration::from_millis(500);
/// What a search found, each kind newest first.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub customers: Vec<CustomerHit>,
    pub parameters: Vec<ParameterHit>,
    pub messages: Vec<MessageHit>,
    /// How much of the message text is searchable yet.
    pub index: IndexProgress,
}

impl Services {
    /// Searches the caller's site for `q`, at most `limit` of each kind.
    pub async fn search(
        &self,
        agent: &AgentRecord,
        q: &str,
        limit: u32,
    ) -> Result<SearchResults, AppError> {
        let parsed = query(q).map_err(|p| {
            AppError::Rule(CoreError::InvalidField {
                field: "q",
                reason: match p {
                    QueryProblem::TooShort => {
                        format!("a search needs at least {MIN_QUERY_CHARS} letters or digits")
                    }
                    QueryProblem::TooLong => {
                        format!("a search has at most {MAX_QUERY_CHARS} characters")
                    }
                },
            })
        })?;
        let business_of = self.business_of(agent).await?;
        let scope = match &business_of {
            None => SearchScope::Site,
            Some(ours) => SearchScope::Agents(ours),
        };
        let limit = i64::from(limit);
        let site = agent.site_id;
        let (customers, parameters, messages, index) = tokio::try_join!(
            self.store
                .search_customers(site, &parsed.text, scope, limit),
            self.store
                .search_parameters(site, &parsed.text, scope, limit),
            self.store.search_messages(site, &parsed, scope, limit),
            self.store.index_progress(),
        )?;
        Ok(SearchResults {
            customers,
            parameters,
            messages,
            index,
        })
    }

    /// Keeps the message index up with the messages until `stop`: a batch at a time while
    /// there is a backlog (resting between batches), then a look every half second.
    pub async fn run_search_indexer(self, mut stop: watch::Receiver<bool>) {
        let mut caught_up = false;
        // The newest message when the last batch was taken: how busy the desk is.
        let mut newest_before: Option<i64> = None;
        loop {
            if *stop.borrow() {
                return;
            }
            let newest = match self.store.index_progress().await {
                Ok(p) => Some(p.newest),
                Err(_) => None,
            };
            let quiet = match (newest_before, newest) {
                (Some(before), Some(now)) => now - before < QUIET_BELOW,
                _ => false,
            };
            newest_before = newest;
            let (batch, rest) = if quiet {
                (QUIET_BATCH, 1)
            } else {
                (BUSY_BATCH, BUSY_REST)
            };
            let started = tokio::time::Instant::now();
            let wait = match self.store.index_messages(batch).await {
                Ok(0) => {
                    if !caught_up {
                        tracing::info!("message search index is complete");
                        caught_up = true;
                    }
                    INDEX_EVERY
                }
                Ok(n) => {
                    if !caught_up {
                        tracing::debug!(indexed = n, "indexing messages for search");
                    }
                    (started.elapsed() * rest).max(Duration::from_millis(5))
                }
                Err(e) => {
                    tracing::warn!(error = %e, "indexing messages for search failed; trying again");
                    Duration::from_secs(5)
                }
            };
            tokio::select! {
                _ = stop.changed() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }
}
