//! Sangdam's domain rules as pure functions: the "functional core" of the design.
//!
//! A channel adapter turns a platform's request into an [`inflow::Inflow`]; this crate decides
//! what that means (who the customer is, which key their room has, what their profile becomes,
//! whether a consultation opens or is joined, how a room's ID change links profiles). It decides
//! and does not store: no I/O, no async, no clock, no randomness. Whatever needs those (the
//! current time, random bytes, the site's secret, what the database already holds) is an
//! argument, so every rule here is tested exhaustively with plain data.
//!
//! - ids and keys: typed database ids ([`SiteId`], …), [`CustomerKey`] and [`VisitorKey`],
//!   the [`platform`] a channel's keys belong to.
//! - identity: verified IDs (R2.8) and customer keys per channel (R2.1).
//! - profile: latest-wins profile updates, agent edits, verified mobile numbers (R2.3–R2.6).
//! - consultation: the state machine of one consultation (R3.1).
//! - distribution: who answers (R3.3): modes, presence, limits, the choice of an agent, the
//!   queue's estimate and notices, reclaim.
//! - account: staff [`Role`]s and what each sees; logins, display names and passwords.
//! - access: who may do what ([`access`]): each role's rules over consultations, rooms and
//!   profiles, by how the account stands to them ([`Relation`]).
//! - [`settings`]: what a site's parameter settings may hold (slots, sentinels, the
//!   consultation-info URL template, the messenger channels' URLs, the frame origins). Its
//!   names are generic (`check_slots`, `MAX_URL_CHARS`), so they are used through the module.
//! - channel_key: the key messenger platforms' requests carry, rotated with a grace period.
//! - throttle: failed logins counted per account and per address, with growing waits.
//! - link: planning a room's ID change, the link journal's decisions (R2.5).
//! - [`origin`]: web origins (`https://host[:port]`) as a site registers them.
//! - [`category`]: a site's category tree (R3.2), its changes, and how an inflow's ids classify
//!   a consultation. Its names are generic too (`Tree`, `plan_add`), used through the module.
//! - [`hours`]: business hours (R3.4): a site's calendar in its time zone, whether the desk is
//!   open at an instant, when it next opens, the next opening in words, holidays imported
//!   from an iCalendar file.
//! - [`auto_message`]: the automatic messages (R3.4, and the close, auto-close and rating
//!   ones): kinds, variables, defaults per language, checks and rendering.
//! - [`auto_close`]: auto-close (R3.5): the settings and the due times of a consultation.
//! - [`rating`]: satisfaction ratings (R3.8): scores, comments, the quick-reply labels.
//! - [`dashboard`]: the report dashboard's figures (R7.3): inflow per channel per day, waiting
//!   and first-response medians and 90th percentiles per local day, counts per category, agent
//!   and score.
//! - [`customer`]: what agents keep about a customer (R3.6): memo versions, tags, the grade
//!   (VIP, blocked).
//! - [`business`]: business verification (R6.1): its states, who counts as verified, and the
//!   requirements a billed or plugin feature names when one is missing.
//! - [`event_api`]: the Event API's recipients, the channel each is reached on, and a task's
//!   status (R5.1).
//! - [`plugin`]: the plugins' checklists (R6.1) and what unlinking the development channel
//!   breaks (R6.2).
//! - [`plugin_step`]: what a customer gives through a plugin in the chat: the profile form with
//!   its consent, a current location.
//! - [`canned`]: canned replies (R3.6): their checks, the search behind `/`, the variables.
//! - [`report`]: reports (R7): the consultation-history filter, its period in the site's zone,
//!   the counters, the columns, and the formula guard of downloads.

mod access;
mod account;
pub mod audit;
pub mod auto_close;
pub mod auto_message;
pub mod business;
pub mod canned;
pub mod category;
mod channel_key;
mod consultation;
pub mod customer;
pub mod dashboard;
mod distribution;
mod error;
pub mod event_api;
pub mod file;
pub mod hours;
mod identity;
mod ids;
mod keys;
mod link;
pub mod origin;
pub mod plugin;
pub mod plugin_step;
mod profile;
pub mod rating;
pub mod report;
pub mod search;
pub mod settings;
mod throttle;

pub use access::{Access, Action, Relation, access};
pub use account::{
    AccountChange, MAX_DISPLAY_NAME_CHARS, MAX_GROUP_NAME_CHARS, MAX_LOGIN_CHARS,
    MIN_PASSWORD_CHARS, Role, check_account_change, validate_display_name, validate_group_name,
    validate_login, validate_password,
};
pub use audit::{AuditAction, device_label};
pub use channel_key::{
    ChannelKeys, KeyCheck, MAX_GRACE_MS, MessengerPlatform, check_channel_key, grace_until,
};
pub use consultation::{
    ConsultationState, EndType, InflowOutcome, Transition, agent_follows, follows_in, on_inflow,
    transition,
};
pub use customer::Grade;
pub use distribution::{
    AgentLoad, Assignment, DEFAULT_MAX_OPEN, DEFAULT_OFFLINE_AFTER_MINUTES, DistributionMode,
    DistributionRules, ESTIMATE_WINDOW_MS, MAX_OFFLINE_AFTER_MINUTES, MAX_OPEN_LIMIT,
    MAX_QUEUE_LIMIT, MAX_RECLAIM_AFTER_MINUTES, MAX_TRANSFER_NOTE_CHARS, Presence, Queued,
    TRANSFER_REQUEST_MS, choose, effective_presence, estimated_wait_ms, may_take, plan, queue_full,
    queue_notice_due, reclaim_due, validate_max_open, validate_queue_limit,
};
pub use error::CoreError;
pub use identity::{
    ChannelUser, Identity, IdentityPolicy, SetAside, customer_key, customer_may_see_history,
    resolve_identity, set_aside, site_uid_hash, verify_site_uid, visitor_may_join, visitor_sees,
};
pub use ids::{
    AgentId, AuditId, CategoryId, ConsultationId, ExportId, FileId, GroupId, MessageId, OperatorId,
    ProfileId, RoomId, SessionId, SiteId, VerificationId,
};
pub use keys::{CustomerKey, VisitorKey, platform};
pub use link::{LinkPlan, plan_link, plan_link_with, validate_site_uid};
pub use profile::{
    ProfileData, ProfileEdit, VerificationMethod, apply_edit, apply_inflow, normalize_mobile,
};
pub use throttle::{Throttle, ThrottlePolicy};
