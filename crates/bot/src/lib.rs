//! The chatbot's scenario engine (R4.1–R4.4): a bot's blocks, how an utterance picks a block
//! or a knowledge-base answer, the fallback, and when the customer is handed to a human.
//!
//! Pure: no database, no clock, no network. The caller keeps a consultation's [`Memory`]
//! between turns, asks [`Brain::step`] what to do with each [`Input`], carries out the
//! [`Action`] (stores the answer, calls a skill server, moves the consultation to the queue)
//! and stores the new memory.
//!
//! Responses are Kakao i Open Builder skill templates ([`protocol::kakao::SkillTemplate`]),
//! checked on save against every limit Open Builder has; [`naver`] turns them into TalkTalk
//! messages, and [`summary`] into the plain text an agent and the reports read.

mod engine;
pub mod event;
pub mod naver;
mod scenario;
mod summary;

pub use engine::{Action, Brain, Candidate, HandoffReason, Input, Memory, Source, Step};
pub use scenario::{
    Block, BlockKind, BlockPlugin, BotSettings, KnowledgeEntry, Problem, ScenarioError,
    block_targets, limits, trim_within, validate_block, validate_entry, validate_settings,
};
pub use summary::{for_kakao, summary};

#[cfg(test)]
mod tests;
