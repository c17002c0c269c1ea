-- The wallet (the `billing` crate's rules): one wallet per site, its people, the cards people
-- register, the double-entry ledger (entries of balanced postings, each entry under a unique
-- idempotency key), free-cash grants, card payments attempted at the gateway, monthly tax
-- invoices, and the e-mail outbox the notices go through.

-- `kind` business or personal (a personal wallet gets no tax invoice). `master_id` the wallet
-- master. `receivable_since`: when the oldest unpaid settlement failed (null: nothing owed).
CREATE TABLE wallets (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id             INTEGER  NOT NULL UNIQUE REFERENCES sites(id),
    name                TEXT    NOT NULL,
    kind                TEXT    NOT NULL,
    business_number     TEXT,
    business_name       TEXT,
    representative      TEXT,
    invoice_email       TEXT,
    master_id           INTEGER  NOT NULL REFERENCES agents(id),
    threshold           INTEGER  NOT NULL,
    receivable_since    INTEGER,
    overdue_notice_at   INTEGER,
    created_at          INTEGER  NOT NULL,
    updated_at          INTEGER  NOT NULL
);

-- Wallet workers (the master and the site's admins, the chatbot masters, are not listed).
CREATE TABLE wallet_members (
    wallet_id   INTEGER NOT NULL REFERENCES wallets(id),
    agent_id    INTEGER NOT NULL REFERENCES agents(id),
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (wallet_id, agent_id)
);

-- Where each person of the wallet (the site's admins, the master, the workers) wants its
-- notices; a person without one gets none.
CREATE TABLE wallet_notice_emails (
    wallet_id   INTEGER NOT NULL REFERENCES wallets(id),
    agent_id    INTEGER NOT NULL REFERENCES agents(id),
    email       TEXT   NOT NULL,
    PRIMARY KEY (wallet_id, agent_id)
);

-- A person's cards (at most 10 live ones): the gateway's billing key, never the number.
CREATE TABLE cards (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id        INTEGER NOT NULL REFERENCES agents(id),
    billing_key     TEXT   NOT NULL,
    customer_key    TEXT   NOT NULL,
    card_company    TEXT   NOT NULL,
    masked_number   TEXT   NOT NULL,
    created_at      INTEGER NOT NULL,
    deleted_at      INTEGER
);
CREATE INDEX cards_agent ON cards (agent_id);

-- The cards a wallet charges: one `payment` card and up to two `backup`s, tried in the order
-- they were added. `state` ok or failing (its last charge was refused), with the refusal.
CREATE TABLE wallet_cards (
    wallet_id   INTEGER NOT NULL REFERENCES wallets(id),
    card_id     INTEGER NOT NULL REFERENCES cards(id),
    slot        TEXT   NOT NULL,
    added_at    INTEGER NOT NULL,
    last_refusal TEXT,
    PRIMARY KEY (wallet_id, card_id)
);
CREATE UNIQUE INDEX wallet_cards_one_payment ON wallet_cards (wallet_id) WHERE slot = 'payment';

-- Free cash, each grant with its expiry.
CREATE TABLE cash_grants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    wallet_id   INTEGER NOT NULL REFERENCES wallets(id),
    amount      INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    reason      TEXT   NOT NULL,
    expiry_notice_at INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX cash_grants_wallet ON cash_grants (wallet_id, expires_at);

-- One movement: `kind` as billing::EntryKind; a usage also says what was used (`usage_kind`,
-- `quantity`, `unit_price`, `reference`); `amount` the entry's size (its postings carry it).
CREATE TABLE ledger_entries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    wallet_id       INTEGER NOT NULL REFERENCES wallets(id),
    idempotency_key TEXT   NOT NULL,
    kind            TEXT   NOT NULL,
    amount          INTEGER NOT NULL,
    usage_kind      TEXT,
    quantity        INTEGER,
    unit_price      INTEGER,
    reference       TEXT,
    payment_id      INTEGER,
    at              INTEGER NOT NULL
);
CREATE UNIQUE INDEX ledger_entries_key ON ledger_entries (wallet_id, idempotency_key);
CREATE INDEX ledger_entries_wallet_at ON ledger_entries (wallet_id, at);

-- Two postings a transfer (one negative, one positive): an entry's postings sum to zero.
-- `account` a billing::Account code, `grant_id` set for free cash.
CREATE TABLE ledger_postings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id    INTEGER NOT NULL REFERENCES ledger_entries(id),
    wallet_id   INTEGER NOT NULL REFERENCES wallets(id),
    account     TEXT   NOT NULL,
    grant_id    INTEGER,
    amount      INTEGER NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX ledger_postings_wallet ON ledger_postings (wallet_id, account, at);
CREATE INDEX ledger_postings_entry ON ledger_postings (entry_id);

-- The sums of the postings per account, kept in the same transaction as the postings, so a
-- usage reads its balances without summing the wallet's history (`sangdam wallet check`
-- compares them with the sums).
CREATE TABLE ledger_balances (
    wallet_id   INTEGER NOT NULL REFERENCES wallets(id),
    account     TEXT   NOT NULL,
    grant_id    INTEGER NOT NULL DEFAULT 0,
    balance     INTEGER NOT NULL,
    PRIMARY KEY (wallet_id, account, grant_id)
);

-- A charge asked of the gateway. Written before the call with its order id and idempotency
-- key, so a crash after the call finds it and asks again with the same key (the gateway then
-- answers the first result rather than charging twice). `state` pending, done or refused.
-- `purpose` cash (paid cash bought), settlement or receivable; `supply` what the ledger
-- records, `amount` what the card pays (VAT included).
CREATE TABLE payments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    wallet_id       INTEGER NOT NULL REFERENCES wallets(id),
    card_id         INTEGER NOT NULL REFERENCES cards(id),
    purpose         TEXT   NOT NULL,
    supply          INTEGER NOT NULL,
    amount          INTEGER NOT NULL,
    order_id        TEXT   NOT NULL UNIQUE,
    idempotency_key TEXT   NOT NULL,
    state           TEXT   NOT NULL,
    payment_key     TEXT,
    refusal         TEXT,
    message         TEXT,
    refunded        INTEGER NOT NULL DEFAULT 0,
    created_by      INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX payments_wallet ON payments (wallet_id, id);

-- Monthly tax invoices (business wallets).
CREATE TABLE invoices (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    wallet_id       INTEGER NOT NULL REFERENCES wallets(id),
    period          TEXT   NOT NULL,
    business_number TEXT   NOT NULL,
    business_name   TEXT   NOT NULL,
    representative  TEXT   NOT NULL,
    email           TEXT   NOT NULL,
    supply          INTEGER NOT NULL,
    vat             INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    issued_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX invoices_period ON invoices (wallet_id, period);

-- The e-mail outbox: each notice rendered once, under a key that makes a second enqueue of
-- the same notice a no-op; sent by `mail.send` jobs. `state` pending, sent or failed.
CREATE TABLE emails (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    notice_key  TEXT   NOT NULL UNIQUE,
    kind        TEXT   NOT NULL,
    to_address  TEXT   NOT NULL,
    to_name     TEXT,
    subject     TEXT   NOT NULL,
    body        TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    last_error  TEXT,
    sent_at     INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX emails_site ON emails (site_id, id);
