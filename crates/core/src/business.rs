//! Business verification (R6.1): what a site submits about its business, the states a
//! submission goes through, whether the site counts as verified, and the requirements a
//! feature that needs a verified business checks, each named when it is missing.

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// Longest business name (상호) and representative (대표자) name.
pub const MAX_BUSINESS_NAME_CHARS: usize = 100;
pub const MAX_REPRESENTATIVE_CHARS: usize = 50;
/// Documents one submission carries (the registration certificate, and what else is asked).
pub const MIN_DOCUMENTS: usize = 1;
pub const MAX_DOCUMENTS: usize = 5;
/// Largest document.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;
/// Longest reason the operator gives for a rejection.
pub const MAX_REASON_CHARS: usize = 500;

/// Where a submission stands. Stored and sent by its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VerificationState {
    /// Submitted, waiting for the operator.
    Pending,
    Approved,
    /// Refused, with the operator's reason; the site may submit again.
    Rejected,
    /// Approved, then taken back by the operator, with a reason; the site may submit again.
    Revoked,
}

impl VerificationState {
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationState::Pending => "pending",
            VerificationState::Approved => "approved",
            VerificationState::Rejected => "rejected",
            VerificationState::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<VerificationState> {
        match s {
            "pending" => Some(VerificationState::Pending),
            "approved" => Some(VerificationState::Approved),
            "rejected" => Some(VerificationState::Rejected),
            "revoked" => Some(VerificationState::Revoked),
            _ => None,
        }
    }
}

/// The operator's decision: on a pending submission, approve or reject; on an approved one,
/// revoke (the business no longer counts as verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    /// With the reason the site's admin reads.
    Reject(String),
    /// With the reason the site's admin reads.
    Revoke(String),
}

impl Decision {
    /// A decision as a form gives it: `approve`, or `reject` or `revoke` with a reason of 1
    /// to [`MAX_REASON_CHARS`] characters (trimmed).
    pub fn parse(decision: &str, reason: Option<&str>) -> Result<Decision, CoreError> {
        let reason_for = |what: &str| {
            let reason = reason.map(str::trim).unwrap_or_default();
            if reason.is_empty() {
                return Err(CoreError::field(
                    "reason",
                    format!("say why it is {what}: the site's admin reads it"),
                ));
            }
            if reason.chars().count() > MAX_REASON_CHARS {
                return Err(CoreError::field(
                    "reason",
                    format!("a reason has at most {MAX_REASON_CHARS} characters"),
                ));
            }
            Ok(reason.to_owned())
        };
        match decision {
            "approve" => Ok(Decision::Approve),
            "reject" => Ok(Decision::Reject(reason_for("rejected")?)),
            "revoke" => Ok(Decision::Revoke(reason_for("revoked")?)),
            _ => Err(CoreError::field(
                "decision",
                "expected \"approve\", \"reject\" or \"revoke\"",
            )),
        }
    }

    /// The state the decision gives the submission.
    pub fn state(&self) -> VerificationState {
        match self {
            Decision::Approve => VerificationState::Approved,
            Decision::Reject(_) => VerificationState::Rejected,
            Decision::Revoke(_) => VerificationState::Revoked,
        }
    }

    /// The state the submission must be in for the decision.
    pub fn from(&self) -> VerificationState {
        match self {
            Decision::Approve | Decision::Reject(_) => VerificationState::Pending,
            Decision::Revoke(_) => VerificationState::Approved,
        }
    }

    /// The operator's reason, when the decision has one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Decision::Approve => None,
            Decision::Reject(r) | Decision::Revoke(r) => Some(r),
        }
    }
}

/// Whether the operator may take `decision` on a submission that is in `state`: approve or
/// reject a pending one, revoke an approved one.
pub fn may_decide(state: VerificationState, decision: &Decision) -> Result<(), CoreError> {
    if state == decision.from() {
        return Ok(());
    }
    Err(CoreError::AccountChangeRefused(match state {
        VerificationState::Pending => "this submission is not approved: approve or reject it",
        VerificationState::Approved => "this submission is approved already",
        VerificationState::Rejected => "this submission is rejected already",
        VerificationState::Revoked => "this submission's approval is revoked already",
    }))
}

/// Whether a site may submit now, given the states of its submissions (any order): not while
/// one waits for the operator.
pub fn may_submit(states: &[VerificationState]) -> Result<(), CoreError> {
    if states.contains(&VerificationState::Pending) {
        return Err(CoreError::AccountChangeRefused(
            "a submission is waiting for review; wait for its decision before submitting again",
        ));
    }
    Ok(())
}

/// Whether the site counts as verified, given its submissions' states oldest first: its latest
/// decided submission was approved. A new submission waiting for review (a changed name, say)
/// does not take away a verification already granted; a rejected one does.
pub fn is_verified(states_oldest_first: &[VerificationState]) -> bool {
    states_oldest_first
        .iter()
        .rev()
        .find(|s| **s != VerificationState::Pending)
        == Some(&VerificationState::Approved)
}

/// A business name or a representative's name: trimmed, 1 to `max` characters, no control
/// characters.
pub fn validate_name(field: &'static str, value: &str, max: usize) -> Result<String, CoreError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(CoreError::field(field, "required"));
    }
    if value.chars().count() > max {
        return Err(CoreError::field(field, format!("at most {max} characters")));
    }
    if value.chars().any(char::is_control) {
        return Err(CoreError::field(field, "contains a control character"));
    }
    Ok(value.to_owned())
}

/// The number of documents a submission carries must be 1 to [`MAX_DOCUMENTS`].
pub fn validate_document_count(n: usize) -> Result<(), CoreError> {
    if n < MIN_DOCUMENTS {
        return Err(CoreError::field(
            "documents",
            "attach the business registration certificate (PDF, JPEG or PNG)",
        ));
    }
    if n > MAX_DOCUMENTS {
        return Err(CoreError::field(
            "documents",
            format!("at most {MAX_DOCUMENTS} documents"),
        ));
    }
    Ok(())
}

/// What a feature may need of a site before it works (R5.1, R6.1). Each is named to the person
/// refused, with what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Requirement {
    /// The platform operator approved the site's business.
    BusinessVerified,
    /// The site has a wallet to bill.
    Wallet,
    /// The wallet owes nothing that failed to be charged.
    NoReceivable,
}

impl Requirement {
    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::BusinessVerified => "business_verified",
            Requirement::Wallet => "wallet",
            Requirement::NoReceivable => "no_receivable",
        }
    }

    /// What the refused person reads.
    pub fn explain(self) -> &'static str {
        match self {
            Requirement::BusinessVerified => {
                "the site's business is not verified: submit it on the admin page and wait for the platform operator's approval"
            }
            Requirement::Wallet => {
                "the site has no wallet: the site's admin makes one on the wallet page"
            }
            Requirement::NoReceivable => {
                "the wallet has an unpaid amount: billed features stop until it is paid on the wallet page"
            }
        }
    }
}

/// The first of `needed` that `met` does not hold, in the order given.
pub fn first_missing(
    needed: &[Requirement],
    met: impl Fn(Requirement) -> bool,
) -> Option<Requirement> {
    needed.iter().copied().find(|r| !met(*r))
}

#[cfg(test)]
mod tests {
    use super::VerificationState::{Approved, Pending, Rejected, Revoked};
    use super::*;

    #[test]
    fn states_round_trip_by_name() {
        for s in [Pending, Approved, Rejected, Revoked] {
            assert_eq!(VerificationState::parse(s.as_str()), Some(s));
        }
        assert_eq!(VerificationState::parse("Approved"), None);
    }

    #[test]
    fn verified_is_the_latest_decision() {
        assert!(!is_verified(&[]));
        assert!(!is_verified(&[Pending]));
        assert!(is_verified(&[Approved]));
        assert!(!is_verified(&[Rejected]));
        assert!(is_verified(&[Rejected, Approved]));
        // A resubmission waiting keeps the approval; a rejected one takes it away.
        assert!(is_verified(&[Approved, Pending]));
        assert!(!is_verified(&[Approved, Rejected]));
        assert!(!is_verified(&[Approved, Rejected, Pending]));
        // A revoked approval is no verification; a later approval is.
        assert!(!is_verified(&[Revoked]));
        assert!(!is_verified(&[Approved, Revoked]));
        assert!(!is_verified(&[Revoked, Pending]));
        assert!(is_verified(&[Revoked, Approved]));
    }

    #[test]
    fn one_submission_waits_at_a_time() {
        assert!(may_submit(&[]).is_ok());
        assert!(may_submit(&[Rejected, Approved]).is_ok());
        assert!(may_submit(&[Approved, Pending]).is_err());
    }

    #[test]
    fn a_pending_submission_is_decided_and_an_approved_one_revoked() {
        let reject = Decision::Reject("흐림".into());
        let revoke = Decision::Revoke("폐업".into());
        for d in [&Decision::Approve, &reject] {
            assert!(may_decide(Pending, d).is_ok());
            for s in [Approved, Rejected, Revoked] {
                assert!(may_decide(s, d).is_err(), "{s:?} {d:?}");
            }
        }
        assert!(may_decide(Approved, &revoke).is_ok());
        for s in [Pending, Rejected, Revoked] {
            assert!(may_decide(s, &revoke).is_err(), "{s:?}");
        }
        assert_eq!(revoke.state(), Revoked);
        assert_eq!(revoke.reason(), Some("폐업"));
        assert_eq!(Decision::Approve.reason(), None);
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        assert_eq!(Decision::parse("approve", None).unwrap(), Decision::Approve);
        assert_eq!(
            Decision::parse("reject", Some("  사업자등록증이 흐립니다 ")).unwrap(),
            Decision::Reject("사업자등록증이 흐립니다".into())
        );
        assert!(Decision::parse("reject", None).is_err());
        assert!(Decision::parse("reject", Some("   ")).is_err());
        let long = "가".repeat(MAX_REASON_CHARS + 1);
        assert!(Decision::parse("reject", Some(&long)).is_err());
        assert!(Decision::parse("reject", Some(&long[3..])).is_ok());
        assert_eq!(
            Decision::parse("revoke", Some(" 폐업 신고 ")).unwrap(),
            Decision::Revoke("폐업 신고".into())
        );
        assert!(Decision::parse("revoke", None).is_err());
        assert!(Decision::parse("cancel", Some("x")).is_err());
        assert!(Decision::parse("maybe", None).is_err());
        assert_eq!(Decision::Approve.state(), Approved);
        assert_eq!(Decision::Reject("x".into()).state(), Rejected);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            validate_name("name", " 상담 상사 ", 10).unwrap(),
            "상담 상사"
        );
        assert!(validate_name("name", "  ", 10).is_err());
        assert!(validate_name("name", &"가".repeat(11), 10).is_err());
        assert!(validate_name("name", &"가".repeat(10), 10).is_ok());
        assert!(validate_name("name", "a\u{0}b", 10).is_err());
    }

    #[test]
    fn one_to_five_documents() {
        assert!(validate_document_count(0).is_err());
        assert!(validate_document_count(1).is_ok());
        assert!(validate_document_count(MAX_DOCUMENTS).is_ok());
        assert!(validate_document_count(MAX_DOCUMENTS + 1).is_err());
    }

    #[test]
    fn the_first_missing_requirement_is_named() {
        let all = [
            Requirement::BusinessVerified,
            Requirement::Wallet,
            Requirement::NoReceivable,
        ];
        assert_eq!(first_missing(&all, |_| true), None);
        assert_eq!(
            first_missing(&all, |r| r != Requirement::Wallet),
            Some(Requirement::Wallet)
        );
        assert_eq!(
            first_missing(&all, |_| false),
            Some(Requirement::BusinessVerified)
        );
        for r in all {
            assert!(!r.explain().is_empty());
            assert!(!r.as_str().is_empty());
        }
    }
}
