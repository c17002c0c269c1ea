//! A customer's profile as agents change it: their edits (name, phone, e-mail) and the
//! verified mobile number the site's server records.

use sangdam_core::{
    Action, AuditAction, CoreError, ProfileEdit, ProfileId, VerificationMethod, normalize_mobile,
};
use serde_json::{Value, json};
use store::{AgentRecord, ProfileRecord};

use crate::Services;
use crate::error::AppError;

impl Services {
    /// An agent edits a profile: the admin and managers any of their site's, an agent one of a
    /// customer whose open consultation they hold. An edit that names the mobile number
    /// (`names_mobile`) is refused, after the access check, so that the refusal tells nothing
    /// of a profile the caller may not see.
    pub async fn edit_profile(
        &self,
        agent: &AgentRecord,
        id: ProfileId,
        edit: &ProfileEdit,
        names_mobile: bool,
    ) -> Result<ProfileRecord, AppError> {
        let p = self.profile_for(agent, id, Action::EditCustomer).await?;
        if names_mobile {
            return Err(CoreError::MobileNotEditable.into());
        }
        let edited = self.store.edit_profile(p.id, edit, self.now()).await?;
        // Which fields changed, not their values: the log is no second copy of customer data.
        let fields: Vec<String> = match crate::audit::detail(edit) {
            Value::Object(parts) => parts
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k)
                .collect(),
            _ => Vec::new(),
        };
        self.audit(
            agent,
            AuditAction::ProfileEdited,
            format!("profile:{id}"),
            json!({ "fields": fields }),
        )
        .await;
        Ok(edited)
    }

    /// The site's server (the admin's credential) records a completed verification of the
    /// customer's mobile number: the only way one is ever set.
    pub async fn record_mobile_verification(
        &self,
        agent: &AgentRecord,
        id: ProfileId,
        mobile: &str,
        method: &str,
    ) -> Result<ProfileRecord, AppError> {
        let p = self
            .profile_for(agent, id, Action::RecordVerification)
            .await?;
        let method: VerificationMethod = method.parse()?;
        let mobile = normalize_mobile(mobile)?;
        let profile = self
            .store
            .set_mobile(p.id, &mobile, method.as_str(), self.now())
            .await?;
        self.audit(
            agent,
            AuditAction::MobileVerified,
            format!("profile:{id}"),
            json!({ "method": method.as_str() }),
        )
        .await;
        Ok(profile)
    }
}
