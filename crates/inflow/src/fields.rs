//! The result of reading a chat URL.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::channel::Channel;
use crate::param::{Field, Slot};
use crate::warning::Warning;

/// The fixed parameters that were accepted, under their canonical names (aliases such as
/// `cus_extra_tel_phone`, `categoryID` and v1's `uid` land here too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_uid: Option<String>,
    #[serde(rename = "cus_extra_username", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "cus_extra_phone", skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(rename = "cus_extra_email", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_parameter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub division_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bot_start: Option<bool>,
    /// Lower-case hex HMAC-SHA256 of site_uid, checked against the site's secret by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_uid_hash: Option<String>,
}

impl Fields {
    /// A string field's value as text (numbers and booleans formatted), for building URLs and
    /// comparing.
    pub fn get(&self, field: Field) -> Option<String> {
        match field {
            Field::SiteUid => self.site_uid.clone(),
            Field::Name => self.name.clone(),
            Field::Phone => self.phone.clone(),
            Field::Email => self.email.clone(),
            Field::UserParameter => self.user_parameter.clone(),
            Field::CategoryId => self.category_id.map(|v| v.to_string()),
            Field::DivisionId => self.division_id.map(|v| v.to_string()),
            Field::BotStart => self.bot_start.map(|v| v.to_string()),
            Field::SiteUidHash => self.site_uid_hash.clone(),
        }
    }
}

/// Custom slot values of one inflow, `parameterN` → value.
pub type Custom = BTreeMap<Slot, String>;

/// One arrival's parameters, as read from its chat URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inflow {
    pub channel: Channel,
    pub fields: Fields,
    pub custom: Custom,
    /// Parameters Sangdam does not know (`partner_id`, `siteId`, …), kept verbatim.
    pub extra: BTreeMap<String, String>,
    pub warnings: Vec<Warning>,
}
