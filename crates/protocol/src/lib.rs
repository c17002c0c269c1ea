//! The wire protocols of the messengers Sangdam connects to (see `docs/PROTOCOLS.md`).
//!
//! - [`kakao`]: the Kakao i Open Builder skill protocol — [`kakao::SkillRequest`] parsed
//!   leniently (unknown keys ignored, both spellings of duplicated keys accepted, mistyped
//!   values tolerated), [`kakao::SkillResponse`] built and checked against every documented
//!   limit before it is sent.
//! - [`naver`]: the Naver TalkTalk chatbot API — webhook [`naver::Event`]s (an unknown event is
//!   kept, never an error), outbound [`naver::SendEvent`]s and handover bodies, and
//!   [`naver::NaverClient`], which sends them with a rate limit and retries.
//! - [`pay`]: the payment gateway the wallet charges cards through, [`pay::PaymentGateway`],
//!   spoken to Toss Payments' billing API by [`pay::TossPayments`].
//!
//! This crate owns the shapes and limits of those protocols and nothing else: it knows no
//! customer, room or database. A channel adapter in the server turns what it parses into
//! Sangdam's own types.

pub mod kakao;
mod lenient;
mod limit;
#[cfg(feature = "testing")]
mod local_peer;
pub mod naver;
pub mod pay;

pub use limit::{LimitError, LimitKind};
