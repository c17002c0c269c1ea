-- The platform operator (the person who runs the installation, above every site), their
-- login sessions, the sites' business verification submissions with their documents, and
-- the prices the operator sets (a price here wins over the server's configured one).

CREATE TABLE operators (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    login           TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    password_hash   TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);

-- `token_hash`: the SHA-256 of the cookie's token (the token itself is never stored).
CREATE TABLE operator_sessions (
    token_hash      TEXT    PRIMARY KEY,
    operator_id     INTEGER NOT NULL REFERENCES operators(id),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);

-- One row per submission; the site's state is read from its latest ones. `state` pending,
-- approved or rejected; `reason` the operator's, for a rejection.
CREATE TABLE business_verifications (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id             INTEGER NOT NULL REFERENCES sites(id),
    business_number     TEXT    NOT NULL,
    business_name       TEXT    NOT NULL,
    representative      TEXT    NOT NULL,
    state               TEXT    NOT NULL,
    reason              TEXT,
    submitted_by        INTEGER REFERENCES agents(id),
    submitted_at        INTEGER NOT NULL,
    reviewed_by         INTEGER REFERENCES operators(id),
    reviewed_at         INTEGER
);
CREATE INDEX business_verifications_site ON business_verifications (site_id, id);
CREATE INDEX business_verifications_state ON business_verifications (state, id);

-- The documents of a submission: their bytes live in the file storage under `storage_key`.
CREATE TABLE verification_documents (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    verification_id     INTEGER NOT NULL REFERENCES business_verifications(id),
    name                TEXT    NOT NULL,
    content_type        TEXT    NOT NULL,
    size                INTEGER NOT NULL,
    storage_key         TEXT    NOT NULL
);
CREATE INDEX verification_documents_of ON verification_documents (verification_id, id);

-- KRW (VAT excluded) of one unit of a usage kind, as the operator set it.
CREATE TABLE platform_prices (
    kind            TEXT    PRIMARY KEY,
    krw             INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    updated_by      INTEGER REFERENCES operators(id)
);
