//! Chat-URL parameters: everything a customer brings to a consultation.
//!
//! A business publishes a chat URL per channel; customers arrive through it carrying parameters
//! (who they are, where they came from). This crate owns the grammar of those URLs for the four
//! channels and nothing else: it is pure (no I/O, no async, no clock).
//!
//! - [`parse`] reads a chat URL into an [`Inflow`]: the accepted fixed [`Fields`], the custom
//!   slot values, unknown parameters kept as `extra`, and a structured [`Warning`] for every
//!   problem. Nothing is silently dropped.
//! - [`build`] writes the URL a site publishes, with values or placeholders, quoted and encoded
//!   so that parsing it gives back exactly the values given.
//! - [`Template`] is the consultation-info URL template (`[site_uid]`, `[room_id]`, …), and
//!   [`TitleTemplate`] the title message a consultation opens with.
//! - [`chat_button_snippet`] is the web chat v2 button source an integrator pastes into a page.

mod build;
mod channel;
mod contact;
mod decode;
mod fields;
mod param;
mod parse;
mod settings;
mod snippet;
mod syntax;
mod template;
mod warning;

pub use build::{BuildError, Param, ParamValue, build, placeholder_params};
pub use channel::{Channel, UnknownChannel};
pub use contact::{MAX_EMAIL_CHARS, is_email, is_phone};
pub use fields::{Custom, Fields, Inflow};
pub use param::{Field, Slot, UnknownSlot};
pub use parse::{parse, parse_pairs, parse_params};
pub use settings::{DEFAULT_SENTINELS, Settings, SlotSetting};
pub use snippet::{SnippetComments, SnippetOptions, chat_button_snippet};
pub use template::{Segment, Template, TemplateError, TitleTemplate, Var, segments};
pub use warning::{Warning, WarningCode};
