//! The store's one error type.

use sangdam_core::CoreError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist (or belongs to another site, which callers must not learn).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness rule was broken (e.g. a login already taken).
    #[error("{0}")]
    Conflict(String),
    /// A domain rule refused the change.
    #[error(transparent)]
    Rule(#[from] CoreError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The store cannot take writes right now (shutting down).
    #[error("{0}")]
    Unavailable(&'static str),
    /// The SQLite file could not be read directly (a download's rows).
    #[error("cannot read the database file: {0}")]
    File(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A backup was refused or could not be written (the target exists, the backend has its
    /// own tools, the file system said no).
    #[error("{0}")]
    Backup(String),
}

impl StoreError {
    /// Whether a unique index refused a write (on PostgreSQL: a concurrent transaction
    /// inserted the same key first).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(db)) if db.is_unique_violation())
    }

    /// Maps a unique-constraint violation to `Conflict` with a readable message.
    pub(crate) fn unique(e: sqlx::Error, what: impl Into<String>) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(what.into())
            }
            _ => StoreError::Database(e),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}
