-- The reference app's tables: the same SQL on SQLite and PostgreSQL.
CREATE TABLE IF NOT EXISTS app_accounts (
    id         TEXT   NOT NULL PRIMARY KEY,
    email      TEXT   NOT NULL,
    first_name TEXT   NOT NULL,
    last_name  TEXT   NOT NULL,
    created    BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS app_sessions (
    token   TEXT   NOT NULL PRIMARY KEY,
    account TEXT   NOT NULL,
    csrf    TEXT   NOT NULL,
    created BIGINT NOT NULL,
    expires BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS app_files (
    id         TEXT   NOT NULL PRIMARY KEY,
    account    TEXT   NOT NULL,
    category   TEXT   NOT NULL,
    kind       TEXT   NOT NULL,
    name       TEXT   NOT NULL,
    media_type TEXT   NOT NULL,
    size       BIGINT NOT NULL,
    path       TEXT   NOT NULL,
    created    BIGINT NOT NULL,
    prompt     TEXT
);
CREATE INDEX IF NOT EXISTS app_files_by_account ON app_files (account, category);
CREATE TABLE IF NOT EXISTS app_invoices (
    id              TEXT   NOT NULL PRIMARY KEY,
    account         TEXT   NOT NULL,
    number          TEXT   NOT NULL,
    amount_cents    BIGINT NOT NULL,
    issued          BIGINT NOT NULL,
    billing_address TEXT   NOT NULL,
    card_last4      TEXT   NOT NULL
);
CREATE TABLE IF NOT EXISTS app_credits (
    id      TEXT   NOT NULL PRIMARY KEY,
    account TEXT   NOT NULL,
    time    BIGINT NOT NULL,
    delta   BIGINT NOT NULL,
    what    TEXT   NOT NULL
);
CREATE TABLE IF NOT EXISTS app_connections (
    id         TEXT   NOT NULL PRIMARY KEY,
    account    TEXT   NOT NULL,
    time       BIGINT NOT NULL,
    ip         TEXT   NOT NULL,
    user_agent TEXT   NOT NULL
);
CREATE TABLE IF NOT EXISTS app_voice (
    account TEXT   NOT NULL PRIMARY KEY,
    enabled BIGINT NOT NULL
);
