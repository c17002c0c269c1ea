//! A customer's profile as agents change it: their edits (name, phone, e-mail) and the
//! verified mobile number the site's server records.

use sangdam_core::{
    Action, CoreError, ProfileEdit, ProfileId, VerificationMethod, normalize_mobile,
};
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
        Ok(self.store.edit_profile(p.id, edit, self.now()).await?)
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
        Ok(self
            .store
            .set_mobile(p.id, &mobile, method.as_str(), self.now())
            .await?)
    }
}
