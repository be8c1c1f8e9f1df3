-- The change stream (issue 29): the audit trail is the outbox. Each audit
-- record gets its place in the stream, seq, in the statement that writes
-- it: SQLite has one writer, so the order writes commit in is the order
-- they take numbers from event_sequence, which only grows (pruning the
-- trail never gives a number out again). The insert numbers its rows
-- (SELECT last FROM event_sequence) + 1, + 2, … — an uncorrelated subquery
-- SQLite evaluates once per statement — and the trigger moves last on, so
-- numbering costs no statement of its own. Records written before this
-- version are numbered in audit order.
--
-- Webhooks are a pool's endpoints; webhook_deliveries is one event's
-- delivery to one endpoint, with its attempts.

-- +goose Up
ALTER TABLE audit_records ADD COLUMN seq INTEGER;
UPDATE audit_records SET seq = n.n FROM (SELECT id, row_number() OVER (ORDER BY at, id) AS n FROM audit_records) AS n WHERE audit_records.id = n.id;
CREATE UNIQUE INDEX ux_audit_seq ON audit_records (seq);
CREATE INDEX ix_audit_pool_seq ON audit_records (pool_id, seq);
CREATE TABLE event_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL);
INSERT INTO event_sequence (id, last) SELECT 1, coalesce(max(seq), 0) FROM audit_records;
-- +goose StatementBegin
CREATE TRIGGER audit_records_seq AFTER INSERT ON audit_records WHEN NEW.seq IS NOT NULL BEGIN
    UPDATE event_sequence SET last = NEW.seq WHERE id = 1 AND NEW.seq > last;
END;
-- +goose StatementEnd

CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    description TEXT NOT NULL,
    enabled NUMERIC NOT NULL,
    disabled_reason TEXT NOT NULL,
    secret TEXT NOT NULL,
    previous_secret TEXT NOT NULL,
    previous_secret_until DATETIME,
    cursor INTEGER NOT NULL,
    failing_since DATETIME,
    last_success_at DATETIME,
    last_failure_at DATETIME,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX ix_webhooks_pool ON webhooks (pool_id, created_at, id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at DATETIME,
    lease_until DATETIME,
    first_attempt_at DATETIME,
    last_attempt_at DATETIME,
    last_status INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    last_latency_ms INTEGER NOT NULL,
    log TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    delivered_at DATETIME
);
CREATE UNIQUE INDEX ux_deliveries_event ON webhook_deliveries (webhook_id, seq);
CREATE INDEX ix_deliveries_list ON webhook_deliveries (webhook_id, id);
CREATE INDEX ix_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX ix_deliveries_object ON webhook_deliveries (webhook_id, object_id, seq) WHERE state = 'PENDING';
CREATE INDEX ix_deliveries_created ON webhook_deliveries (created_at);

-- +goose Down
DROP TRIGGER audit_records_seq;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE event_sequence;
DROP INDEX ix_audit_pool_seq;
DROP INDEX ux_audit_seq;
ALTER TABLE audit_records DROP COLUMN seq;
