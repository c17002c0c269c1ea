//! The platform operator (the person who runs the installation, above every site) and the
//! business verification they review (R6.1).
//!
//! Operators are made by the command line and log in on their own page with their own cookie;
//! they list sites, approve or reject the businesses sites submit, grant free cash and set
//! prices. A site's admin submits the business (registration number with its check digit,
//! name, representative, documents) and reads the state and the operator's reason. Features
//! that need a verified business ask [`Services::require`], which names the first requirement
//! missing.

use std::collections::HashMap;
use std::net::IpAddr;

use billing::{BusinessNumber, Krw};
use sangdam_core::business::{
    self, Decision, MAX_BUSINESS_NAME_CHARS, MAX_DOCUMENT_BYTES, MAX_REPRESENTATIVE_CHARS,
    Requirement, VerificationState,
};
use sangdam_core::file::{self, FileKind, FileRefusal, FileRules};
use sangdam_core::{AuditAction, CoreError, SiteId, VerificationId};
use serde::Serialize;
use store::{
    AgentRecord, DocumentRecord, NewAudit, NewVerification, OperatorRecord, SiteOverview,
    VerificationRecord,
};

use crate::Services;
use crate::access::admin_only;
use crate::audit::detail;
use crate::error::{AppError, Denial};
use crate::files::{content_key, storage_error};
use crate::secrets::{hash_password, random_token, token_hash};
use crate::sessions::SESSION_MS;

/// A document as uploaded: its name and bytes.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a site's admin submits.
#[derive(Debug, Clone)]
pub struct Submission {
    pub business_number: String,
    pub business_name: String,
    pub representative: String,
    pub documents: Vec<Document>,
}

/// A submission with its documents, as the site's admin and the operator see it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerificationView {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub verification: VerificationRecord,
    /// `123-45-67890`.
    pub business_number: String,
    /// The site's name (for the operator's list).
    pub site_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub documents: Vec<DocumentRecord>,
}

/// Where a site's business stands.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessStatus {
    /// Whether features that need a verified business work.
    pub verified: bool,
    /// Whether a submission waits for the operator (no other may be made meanwhile).
    pub pending: bool,
    /// Its submissions, newest first.
    pub submissions: Vec<VerificationView>,
}

/// A site in the operator's list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteRow {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub site: SiteOverview,
    /// The state of its latest submission (none: never submitted).
    pub verification: Option<VerificationState>,
    pub verified: bool,
    /// The approved submission the verification rests on (the one a revocation names), while
    /// the site is verified.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub approved: Option<VerificationId>,
}

/// A price of the installation as the operator sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceView {
    pub kind: String,
    /// KRW of one unit, VAT excluded.
    pub krw: i64,
    /// Whether the operator set it (else it is the server's configured one).
    pub set_by_operator: bool,
}

/// The rules a document is checked against: a PDF or an image, at most 10 MB.
fn document_rules() -> Result<FileRules, AppError> {
    Ok(FileRules::new(
        MAX_DOCUMENT_BYTES as u64,
        &[FileKind::Pdf, FileKind::Image],
    )?)
}

fn field(name: &str, message: impl Into<String>) -> AppError {
    AppError::Fields(vec![(name.to_owned(), message.into())])
}

/// Most submissions the operator's list shows at once.
pub const MAX_LISTED: i64 = 500;

impl Services {
    /// Adds a platform operator; returns it with its generated password.
    pub async fn create_operator(
        &self,
        login: &str,
        name: &str,
    ) -> Result<(OperatorRecord, String), AppError> {
        let login = sangdam_core::validate_login(login.trim())?;
        let name = sangdam_core::validate_display_name(name.trim())?;
        let password = random_token();
        let hash = hash_password(&password).map_err(AppError::Internal)?;
        let operator = self
            .store
            .create_operator(login, name, &hash, self.now())
            .await?
            .ok_or_else(|| {
                AppError::Conflict(format!("an operator's login is {login:?} already"))
            })?;
        Ok((operator, password))
    }

    /// An operator logs in: the operator and the new session's token (for the cookie), or
    /// `None` when the login and password do not match. Failures are throttled like agents'.
    pub async fn operator_log_in(
        &self,
        login: &str,
        password: &str,
        from: IpAddr,
    ) -> Result<Option<(OperatorRecord, String)>, AppError> {
        let operator = self.store.operator_by_login(login.trim()).await?;
        let hash = operator.as_ref().map(|o| o.password_hash.clone());
        let key = format!("operator:{}", login.trim().to_lowercase());
        if !self
            .throttled_password_check(key, hash, password, from)
            .await?
        {
            return Ok(None);
        }
        let Some(operator) = operator else {
            return Ok(None);
        };
        let token = random_token();
        let now = self.now();
        self.store
            .create_operator_session(operator.id, &token_hash(&token), now, now + SESSION_MS)
            .await?;
        Ok(Some((operator, token)))
    }

    /// The operator whose session cookie carries `token`.
    pub async fn operator_session(&self, token: &str) -> Result<Option<OperatorRecord>, AppError> {
        Ok(self
            .store
            .operator_for_session(&token_hash(token), self.now())
            .await?)
    }

    pub async fn operator_log_out(&self, token: &str) -> Result<(), AppError> {
        Ok(self.store.end_operator_session(&token_hash(token)).await?)
    }

    /// The site's admin submits its business. Refused while another submission waits.
    pub async fn submit_business(
        &self,
        agent: &AgentRecord,
        s: Submission,
    ) -> Result<VerificationView, AppError> {
        admin_only(agent, "submits the business for verification")?;
        let mut problems = Vec::new();
        let number = BusinessNumber::parse(&s.business_number)
            .map_err(|e| problems.push(("business_number".to_owned(), e.to_string())))
            .ok();
        let name =
            business::validate_name("business_name", &s.business_name, MAX_BUSINESS_NAME_CHARS)
                .map_err(|e| problems.push(("business_name".to_owned(), reason_of(e))))
                .ok();
        let representative = business::validate_name(
            "representative",
            &s.representative,
            MAX_REPRESENTATIVE_CHARS,
        )
        .map_err(|e| problems.push(("representative".to_owned(), reason_of(e))))
        .ok();
        if let Err(e) = business::validate_document_count(s.documents.len()) {
            problems.push(("documents".to_owned(), reason_of(e)));
        }
        let rules = document_rules()?;
        let mut accepted = Vec::new();
        for (i, d) in s.documents.iter().enumerate() {
            match file::check_upload(&rules, &d.name, &d.bytes) {
                Ok(a) => accepted.push((a, d)),
                Err(r) => problems.push((format!("documents[{i}]"), document_refusal(&d.name, r))),
            }
        }
        let (Some(number), Some(name), Some(representative), true) =
            (number, name, representative, problems.is_empty())
        else {
            return Err(AppError::Fields(problems));
        };
        let states: Vec<VerificationState> = self
            .store
            .verifications_of_site(agent.site_id)
            .await?
            .iter()
            .map(|v| v.state)
            .collect();
        business::may_submit(&states).map_err(|e| AppError::Conflict(reason_of(e)))?;

        let storage = self.file_storage()?;
        let mut documents = Vec::new();
        for (a, d) in accepted {
            let key = content_key(&d.bytes);
            storage.put(&key, &d.bytes).await.map_err(storage_error)?;
            documents.push((
                a.name,
                a.sniffed.media_type.to_owned(),
                i64::try_from(a.size).unwrap_or(i64::MAX),
                key,
            ));
        }
        let record = self
            .store
            .submit_verification(NewVerification {
                site: agent.site_id,
                business_number: &number.digits(),
                business_name: &name,
                representative: &representative,
                submitted_by: agent.id,
                now: self.now(),
                documents,
            })
            .await?
            .ok_or_else(|| {
                AppError::Conflict(
                    "a submission is waiting for review; wait for its decision before submitting again"
                        .into(),
                )
            })?;
        self.audit(
            agent,
            AuditAction::BusinessSubmitted,
            format!("verification:{}", record.id),
            serde_json::json!({
                "business_number": number.to_string(),
                "business_name": name,
                "representative": representative,
            }),
        )
        .await;
        self.verification_view(record).await
    }

    async fn verification_view(&self, v: VerificationRecord) -> Result<VerificationView, AppError> {
        let documents = self.store.verification_documents(v.id).await?;
        let site_name = self.store.site(v.site_id).await?.name;
        Ok(VerificationView {
            business_number: BusinessNumber::parse(&v.business_number)
                .map_or_else(|_| v.business_number.clone(), |n| n.to_string()),
            site_name,
            documents,
            verification: v,
        })
    }

    /// Where the site's business stands (what its admin's page shows).
    pub async fn business_status(&self, site: SiteId) -> Result<BusinessStatus, AppError> {
        let all = self.store.verifications_of_site(site).await?;
        let states: Vec<VerificationState> = all.iter().map(|v| v.state).collect();
        let mut submissions = Vec::with_capacity(all.len());
        for v in all.into_iter().rev() {
            submissions.push(self.verification_view(v).await?);
        }
        Ok(BusinessStatus {
            verified: business::is_verified(&states),
            pending: states.contains(&VerificationState::Pending),
            submissions,
        })
    }

    /// Whether the site's business is verified now (its submissions' states only: what a
    /// billed or plugin feature asks on every use).
    pub async fn business_verified(&self, site: SiteId) -> Result<bool, AppError> {
        let states: Vec<VerificationState> = self
            .store
            .verifications_of_site(site)
            .await?
            .iter()
            .map(|v| v.state)
            .collect();
        Ok(business::is_verified(&states))
    }

    /// Refused with the first of `needed` the site does not meet, named and explained.
    pub async fn require(&self, site: SiteId, needed: &[Requirement]) -> Result<(), AppError> {
        let mut met = HashMap::new();
        for r in needed {
            let ok = match r {
                Requirement::BusinessVerified => self.business_verified(site).await?,
                Requirement::Wallet => self.store.wallet_of_site(site).await?.is_some(),
                Requirement::NoReceivable => self
                    .store
                    .wallet_of_site(site)
                    .await?
                    // Without a wallet nothing is owed (the wallet is its own requirement).
                    .is_none_or(|w| w.receivable_since.is_none()),
            };
            met.insert(*r, ok);
        }
        match business::first_missing(needed, |r| met.get(&r).copied().unwrap_or(false)) {
            None => Ok(()),
            Some(missing) => Err(AppError::Denied {
                code: Denial::RequirementMissing(missing),
                message: missing.explain().to_owned(),
            }),
        }
    }

    /// A document of a submission: its record and bytes, for the site's admin (own site) or
    /// the operator (`site` none).
    pub async fn verification_document(
        &self,
        site: Option<SiteId>,
        verification: VerificationId,
        document: i64,
    ) -> Result<(DocumentRecord, Vec<u8>), AppError> {
        let v = self
            .store
            .verification(verification)
            .await?
            .filter(|v| site.is_none_or(|s| s == v.site_id))
            .ok_or(AppError::NotFound("submission"))?;
        let doc = self
            .store
            .verification_documents(v.id)
            .await?
            .into_iter()
            .find(|d| d.id == document)
            .ok_or(AppError::NotFound("document"))?;
        let bytes = self
            .file_storage()?
            .get(&doc.storage_key)
            .await
            .map_err(storage_error)?
            .ok_or(AppError::NotFound("document"))?;
        Ok((doc, bytes))
    }

    /// Every site, with its verification state (the operator's list).
    pub async fn operator_sites(&self) -> Result<Vec<SiteRow>, AppError> {
        let sites = self.store.site_overviews().await?;
        let mut rows = Vec::with_capacity(sites.len());
        for site in sites {
            let all = self.store.verifications_of_site(site.id).await?;
            let states: Vec<VerificationState> = all.iter().map(|v| v.state).collect();
            let verified = business::is_verified(&states);
            rows.push(SiteRow {
                verification: states.last().copied(),
                verified,
                approved: all
                    .iter()
                    .rev()
                    .find(|v| v.state == VerificationState::Approved)
                    .filter(|_| verified)
                    .map(|v| v.id),
                site,
            });
        }
        Ok(rows)
    }

    /// Submissions in `state` (all when `None`), newest first.
    pub async fn operator_verifications(
        &self,
        state: Option<VerificationState>,
    ) -> Result<Vec<VerificationView>, AppError> {
        let mut views = Vec::new();
        for v in self.store.verifications(state, MAX_LISTED).await? {
            views.push(self.verification_view(v).await?);
        }
        Ok(views)
    }

    /// The operator approves or rejects a pending submission; the site's audit log records it.
    pub async fn decide_business(
        &self,
        operator: &OperatorRecord,
        id: VerificationId,
        decision: Decision,
    ) -> Result<VerificationView, AppError> {
        let v = self
            .store
            .verification(id)
            .await?
            .ok_or(AppError::NotFound("submission"))?;
        business::may_decide(v.state, &decision).map_err(|e| AppError::Conflict(reason_of(e)))?;
        let decided = self
            .store
            .decide_verification(
                id,
                decision.from(),
                decision.state(),
                decision.reason(),
                operator.id,
                self.now(),
            )
            .await?
            .ok_or_else(|| AppError::Conflict("this submission was decided meanwhile".into()))?;
        self.operator_audit(
            operator,
            decided.site_id,
            AuditAction::BusinessReviewed,
            format!("verification:{id}"),
            serde_json::json!({ "state": decided.state, "reason": decided.reason }),
        )
        .await;
        self.verification_view(decided).await
    }

    /// The operator grants free cash to a site's wallet (once per `key`); the site's audit log
    /// records it.
    pub async fn operator_grant(
        &self,
        operator: &OperatorRecord,
        site: SiteId,
        amount: Krw,
        days: u32,
        reason: &str,
        key: &str,
    ) -> Result<(store::GrantRecord, bool), AppError> {
        if !(1..=3650).contains(&days) {
            return Err(field("days", "is 1 to 3650"));
        }
        let expires_at = self.now() + i64::from(days) * 86_400_000;
        let (grant, new) = self
            .grant_cash(site, amount, expires_at, reason, &format!("operator:{key}"))
            .await?;
        if new {
            self.operator_audit(
                operator,
                site,
                AuditAction::CashGranted,
                format!("grant:{}", grant.id.get()),
                detail(&serde_json::json!({
                    "amount": amount.get(), "expires_at": expires_at, "reason": reason.trim(),
                })),
            )
            .await;
        }
        Ok((grant, new))
    }

    /// The installation's prices: the operator's where set, else the configured ones.
    pub async fn prices(&self) -> Result<Vec<PriceView>, AppError> {
        let set: HashMap<String, i64> = self.store.platform_prices().await?.into_iter().collect();
        let mut kinds: Vec<&String> = self.billing.prices.keys().chain(set.keys()).collect();
        kinds.sort();
        kinds.dedup();
        Ok(kinds
            .into_iter()
            .map(|kind| match set.get(kind) {
                Some(krw) => PriceView {
                    kind: kind.clone(),
                    krw: *krw,
                    set_by_operator: true,
                },
                None => PriceView {
                    kind: kind.clone(),
                    krw: self.billing.prices.get(kind).map_or(0, |k| k.get()),
                    set_by_operator: false,
                },
            })
            .collect())
    }

    /// The price of one unit of each priced usage kind now.
    pub async fn price_list(&self) -> Result<HashMap<String, Krw>, AppError> {
        let mut prices = self.billing.prices.clone();
        for (kind, krw) in self.store.platform_prices().await? {
            if let Ok(krw) = Krw::new(krw) {
                prices.insert(kind, krw);
            }
        }
        Ok(prices)
    }

    /// The operator sets the price of a priced usage kind (0 to 1,000,000 KRW).
    pub async fn set_price(
        &self,
        operator: &OperatorRecord,
        kind: &str,
        krw: i64,
    ) -> Result<Vec<PriceView>, AppError> {
        if !self.prices().await?.iter().any(|p| p.kind == kind) {
            return Err(AppError::NotFound("usage kind"));
        }
        if !(0..=1_000_000).contains(&krw) {
            return Err(field("krw", "is 0 to 1,000,000"));
        }
        self.store
            .set_platform_price(kind, krw, operator.id, self.now())
            .await?;
        tracing::info!(operator = %operator.login, kind, krw, "price set");
        self.prices().await
    }

    async fn operator_audit(
        &self,
        operator: &OperatorRecord,
        site: SiteId,
        action: AuditAction,
        target: String,
        detail: serde_json::Value,
    ) {
        // No account of the site: the operator's name, and the detail says who they are.
        let mut detail = detail;
        if let Some(map) = detail.as_object_mut() {
            map.insert(
                "platform_operator".into(),
                serde_json::json!(operator.login),
            );
        }
        let entry = NewAudit {
            site,
            at: self.now(),
            actor: None,
            actor_name: Some(&operator.name),
            action,
            target,
            detail,
        };
        if let Err(e) = self.store.record_audit(&entry).await {
            tracing::error!(error = %e, action = %action, site = %site,
                "could not write an audit log entry");
        }
    }
}

/// What a rule's refusal says, without the field name its message may start with.
fn reason_of(e: CoreError) -> String {
    match e {
        CoreError::InvalidField { reason, .. } => reason,
        other => other.to_string(),
    }
}

fn document_refusal(name: &str, r: FileRefusal) -> String {
    match r {
        FileRefusal::UnknownType | FileRefusal::NotAllowed { .. } => {
            format!("{name}: a document is a PDF, JPEG or PNG")
        }
        other => format!("{name}: {other}"),
    }
}
