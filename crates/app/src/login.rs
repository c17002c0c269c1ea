//! Logging in: the password checked at the same cost whether or not the login exists, and
//! failures throttled per account and per address (core's [`Throttle`]).
//!
//! The counts live in this process: with several instances each counts its own attempts, so
//! an attacker spreading attempts over N instances gets N times the tries (still waits that
//! double).

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Mutex, OnceLock, PoisonError};

use sangdam_core::{AuditAction, Presence, SessionId, Throttle, ThrottlePolicy};
use store::{AgentRecord, PresenceChange};

use crate::Services;
use crate::error::{AppError, Denial};
use crate::events::Event;
use crate::secrets::{hash_password, verify_password};

/// Entries kept before the forgotten ones are swept out.
const SWEEP_AT: usize = 10_000;

/// Failed logins per account and per address.
#[derive(Debug)]
pub struct LoginGuard {
    account: ThrottlePolicy,
    address: ThrottlePolicy,
    accounts: Mutex<HashMap<String, Throttle>>,
    addresses: Mutex<HashMap<IpAddr, Throttle>>,
}

impl Default for LoginGuard {
    fn default() -> Self {
        LoginGuard::new(ThrottlePolicy::ACCOUNT, ThrottlePolicy::ADDRESS)
    }
}

fn check<K: Eq + Hash>(map: &Mutex<HashMap<K, Throttle>>, key: &K, now: i64) -> Result<(), i64> {
    let map = map.lock().unwrap_or_else(PoisonError::into_inner);
    map.get(key).map_or(Ok(()), |t| t.check(now))
}

fn record<K: Eq + Hash>(
    map: &Mutex<HashMap<K, Throttle>>,
    key: K,
    ok: bool,
    now: i64,
    policy: ThrottlePolicy,
) {
    let mut map = map.lock().unwrap_or_else(PoisonError::into_inner);
    if ok {
        map.remove(&key);
        return;
    }
    if map.len() >= SWEEP_AT {
        map.retain(|_, t| !t.is_forgotten(now, policy));
    }
    map.entry(key).or_default().fail(now, policy);
}

impl LoginGuard {
    pub fn new(account: ThrottlePolicy, address: ThrottlePolicy) -> Self {
        LoginGuard {
            account,
            address,
            accounts: Mutex::new(HashMap::new()),
            addresses: Mutex::new(HashMap::new()),
        }
    }
}

/// The key an account's failures are counted under: the login as typed, trimmed and in lower
/// case, whether or not an account has it (so a lockout tells nothing either).
fn account_key(login: &str) -> String {
    login.trim().to_lowercase()
}

/// A hash no password matches, checked for a login that does not exist, so that answering it
/// costs what a wrong password costs.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        hash_password(&crate::secrets::random_token()).unwrap_or_else(|e| {
            tracing::error!(error = %e, "no decoy password hash");
            String::new()
        })
    })
}

fn wait_message(what: &str, wait_ms: i64) -> AppError {
    let seconds = (wait_ms + 999) / 1000;
    AppError::Throttled {
        retry_after_secs: seconds,
        message: format!(
            "too many failed logins {what}; try again in {seconds} seconds (or have a new \
             password set: the site's admin sets agents' passwords)"
        ),
    }
}

impl Services {
    /// The account whose login and password these are, from `from`. Refused with
    /// [`AppError::Throttled`] while the account or the address waits after failed attempts
    /// (nothing is checked then), else with `Ok(None)` when they do not match.
    pub async fn log_in(
        &self,
        login: &str,
        password: &str,
        from: IpAddr,
    ) -> Result<Option<AgentRecord>, AppError> {
        let agent = self.store.agent_by_login(login.trim()).await?;
        let hash = agent.as_ref().map(|a| a.password_hash.clone());
        let matches = self
            .throttled_password_check(account_key(login), hash, password, from)
            .await?;
        let agent = agent.filter(|_| matches);
        match agent {
            // Said only to whoever knows the password: it tells nobody else the login exists.
            Some(a) if !a.is_active() => Err(AppError::Denied {
                code: Denial::AccountDeactivated,
                message: "this account is deactivated; ask the site's admin".into(),
            }),
            // Logging in is coming to work: an account left offline becomes available (the
            // console's presence still decides whether distribution counts it). One who chose
            // "away" stays away.
            Some(a) if a.status == Presence::Offline => {
                let change = PresenceChange {
                    status: Some(Presence::Online),
                    takes_consultations: None,
                };
                Ok(Some(self.set_presence(&a, change).await?))
            }
            other => Ok(other),
        }
    }

    /// Checks `password` against `hash` (a decoy of the same cost when there is no account)
    /// under the login throttles of `key` and `from`: refused while either is locked out, and
    /// the outcome counted. Whether it matched.
    pub(crate) async fn throttled_password_check(
        &self,
        key: String,
        hash: Option<String>,
        password: &str,
        from: IpAddr,
    ) -> Result<bool, AppError> {
        let guard = &self.logins;
        let now = self.now();
        check(&guard.addresses, &from, now).map_err(|w| wait_message("from this address", w))?;
        check(&guard.accounts, &key, now).map_err(|w| wait_message("for this login", w))?;
        let hash = hash.unwrap_or_else(|| decoy_hash().to_owned());
        let password = password.to_owned();
        // argon2 takes tens of milliseconds of CPU: off the async workers.
        let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| AppError::Internal(format!("checking a password: {e}")))?;
        let now = self.now();
        record(&guard.accounts, key, matches, now, guard.account);
        record(&guard.addresses, from, matches, now, guard.address);
        Ok(matches)
    }

    /// Someone changes their own password, giving the current one (wrong attempts count
    /// against the account like failed logins). Every other session of theirs ends; `keep`,
    /// the one they are using, stays.
    pub async fn change_own_password(
        &self,
        agent: &AgentRecord,
        keep: Option<SessionId>,
        current: &str,
        new: &str,
    ) -> Result<(), AppError> {
        let guard = &self.logins;
        let key = account_key(&agent.login);
        check(&guard.accounts, &key, self.now()).map_err(|w| wait_message("for this login", w))?;
        let new = sangdam_core::validate_password(new)
            .map_err(|e| match e {
                sangdam_core::CoreError::InvalidField { reason, .. } => {
                    sangdam_core::CoreError::InvalidField {
                        field: "new_password",
                        reason,
                    }
                }
                other => other,
            })?
            .to_owned();
        let (current, hash) = (current.to_owned(), agent.password_hash.clone());
        let hashed = tokio::task::spawn_blocking(move || {
            verify_password(&current, &hash).then(|| hash_password(&new))
        })
        .await
        .map_err(|e| AppError::Internal(format!("checking a password: {e}")))?;
        let ok = hashed.is_some();
        record(&guard.accounts, key, ok, self.now(), guard.account);
        let Some(hash) = hashed else {
            return Err(AppError::Denied {
                code: Denial::WrongPassword,
                message: "the current password is not right".into(),
            });
        };
        let hash = hash.map_err(AppError::Internal)?;
        self.store.set_agent_password(agent.id, &hash).await?;
        let ended = self.store.end_sessions_of_agent(agent.id, keep).await?;
        self.publish(ended.iter().map(|s| Event::SessionEnded {
            site_id: agent.site_id,
            agent_id: agent.id,
            session_id: *s,
        }));
        self.audit(
            agent,
            AuditAction::PasswordChanged,
            format!("agent:{}", agent.id),
            serde_json::json!({"sessions_ended": ended.len()}),
        )
        .await;
        Ok(())
    }
}
