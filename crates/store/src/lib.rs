//! Persistence for Sangdam: one storage layer over SQLite (the default, one file, zero set-up)
//! and PostgreSQL (production, several server instances).
//!
//! Both backends run the same SQL through sqlx's `Any` driver: the schemas mirror each other
//! column for column (times are milliseconds since the epoch, flags are 0/1, JSON is text), and
//! queries use `$n` placeholders, which both understand. Each backend has its own migrations.
//!
//! The store carries out decisions made by `sangdam_core`; it does not make them. Every write
//! that matters runs in one transaction. On SQLite, writers take an in-process lock first, so
//! concurrent writers queue in Rust rather than failing with `SQLITE_BUSY`. Messages, the bulk of
//! all writes, go through one writer task that commits whatever has queued up in one transaction.

mod accounts;
mod agent_tools;
mod audit;
mod backup;
mod bot;
mod categories;
mod channel_keys;
mod consultations;
mod db;
mod deletion;
mod dialect;
mod distribution;
mod emails;
mod error;
mod event_api;
mod exports;
mod files;
mod groups;
mod hours;
mod jobs;
mod ledger;
mod links;
mod messages;
mod pg_copy;
mod platform;
mod plugins;
mod profiles;
mod read_marks;
mod records;
mod report_stream;
mod reports;
mod rooms;
mod search;
mod seed;
mod sessions;
mod site_settings;
mod sites;
#[cfg(feature = "testing")]
pub mod testing;
mod timers;
mod visitors;
mod wallet;
mod writer;

pub use accounts::{AccountEdit, Deactivated};
pub use agent_tools::{CannedRecord, MemoRecord};
pub use audit::{AuditFilter, AuditRecord, NewAudit};
pub use backup::{BackupReport, postgres_backup_refused};
pub use bot::{BlockRecord, BlockText, BotRecord, EntryRecord, EntryText};
pub use categories::ClassificationRecord;
pub use channel_keys::ChannelKeyRecord;
pub use db::{Backend, COPY_CONNECTIONS, Store};
pub use deletion::Deleted;
pub use distribution::{
    AgentLoadRecord, AssignedBy, DistributionSettings, PresenceChange, QueueEntry, RoutingChange,
    TimelineEntry, TransferRecord,
};
pub use emails::{EmailRecord, MAIL_MAX_ATTEMPTS, MAIL_SEND, NewEmail};
pub use error::StoreError;
pub use event_api::{
    DeliveryRecord, DeliveryUpdate, EventApiSettings, EventTaskRecord, NewEventTask,
};
pub use exports::{ExportRecord, ExportState, NewExport};
pub use files::{FileRecord, NewFile};
pub use groups::GroupRecord;
pub use hours::AutoMessageSpecs;
pub use jobs::{JobRecord, JobState, NewJob};
pub use ledger::{
    EntryFilter, LedgerEntryRecord, LedgerProblem, LedgerView, NewEntry, PaymentEffect, UsageDetail,
};
pub use platform::{
    DocumentRecord, NewVerification, OperatorRecord, SiteOverview, VerificationRecord,
};
pub use plugins::{BotChannels, PluginRecord};
pub use read_marks::Reader;
pub use records::*;
pub use report_stream::{RowChunks, STREAM_CHUNK_ROWS, SpentRows};
pub use reports::{ReportCursor, ReportRow};
pub use rooms::{Consult, InflowRequest, InflowResult, PendingInflow, VisitorConsultation};
pub use search::{CustomerHit, IndexProgress, MessageHit, ParameterHit, SearchScope};
pub use seed::{
    SeedAgent, SeedBatch, SeedCategory, SeedConsultation, SeedIds, SeedMessage, SeedProfile,
    SeedRoom, SeedStart,
};
pub use sessions::{NewSession, SESSION_SEEN_EVERY_MS, SessionOf, SessionRecord};
pub use site_settings::{ChannelUrls, SiteSettings};
pub use timers::{AUTO_CLOSE, IdleActivity, IdleTimer, TIMER_MAX_ATTEMPTS};
pub use visitors::Joined;
pub use wallet::{
    CardRecord, GrantRecord, InvoiceRecord, NewCard, NewInvoice, NewPayment, PaymentRecord,
    WalletCardRecord, WalletId, WalletRecord, WalletText,
};
pub use writer::{MAX_BATCH, MessageHook, NewMessage, Outbound, Target, Written};
