-- The change stream (issue 29): the audit trail is the outbox. Each audit
-- record gets its place in the stream, seq, once its transaction
-- committed: replicas write concurrently, and a number taken inside a
-- transaction could commit after a reader went past it. A sequencer (one
-- at a time, by the lock on event_sequence's row) numbers the committed
-- records nobody numbered yet in the order they were inserted (ins): a
-- write that waited for another's row lock inserts after it committed, so
-- changes to one object keep their order. event_sequence only grows
-- (pruning never gives a number out again). Records written before this
-- version are numbered in audit order.
--
-- Webhooks are a pool's endpoints; webhook_deliveries is one event's
-- delivery to one endpoint, with its attempts.

-- +goose Up
ALTER TABLE audit_records ADD COLUMN seq bigint;
ALTER TABLE audit_records ADD COLUMN ins bigserial;
UPDATE audit_records SET seq = n.n FROM (SELECT id, row_number() OVER (ORDER BY at, id) AS n FROM audit_records) AS n WHERE audit_records.id = n.id;
CREATE UNIQUE INDEX ux_audit_seq ON audit_records (seq);
CREATE INDEX ix_audit_pool_seq ON audit_records (pool_id, seq);
CREATE INDEX ix_audit_unsequenced ON audit_records (ins) WHERE seq IS NULL;
CREATE TABLE event_sequence (id integer PRIMARY KEY CHECK (id = 1), last bigint NOT NULL);
INSERT INTO event_sequence (id, last) SELECT 1, coalesce(max(seq), 0) FROM audit_records;

CREATE TABLE webhooks (
    id character varying(36) PRIMARY KEY,
    pool_id character varying(36) NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    url text NOT NULL,
    events text NOT NULL,
    description text NOT NULL,
    enabled boolean NOT NULL,
    disabled_reason text NOT NULL,
    secret text NOT NULL,
    previous_secret text NOT NULL,
    previous_secret_until timestamp with time zone,
    cursor bigint NOT NULL,
    failing_since timestamp with time zone,
    last_success_at timestamp with time zone,
    last_failure_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE INDEX ix_webhooks_pool ON webhooks (pool_id, created_at, id);

CREATE TABLE webhook_deliveries (
    id character varying(36) PRIMARY KEY,
    pool_id character varying(36) NOT NULL,
    webhook_id character varying(36) NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id character varying(36) NOT NULL,
    seq bigint NOT NULL,
    event_type text NOT NULL,
    object_id character varying(36) NOT NULL,
    state character varying(16) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone,
    lease_until timestamp with time zone,
    first_attempt_at timestamp with time zone,
    last_attempt_at timestamp with time zone,
    last_status integer NOT NULL,
    last_error text NOT NULL,
    last_latency_ms integer NOT NULL,
    log text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone
);
CREATE UNIQUE INDEX ux_deliveries_event ON webhook_deliveries (webhook_id, seq);
CREATE INDEX ix_deliveries_list ON webhook_deliveries (webhook_id, id);
CREATE INDEX ix_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX ix_deliveries_object ON webhook_deliveries (webhook_id, object_id, seq) WHERE state = 'PENDING';
CREATE INDEX ix_deliveries_created ON webhook_deliveries (created_at);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE event_sequence;
ALTER TABLE audit_records DROP COLUMN ins;
ALTER TABLE audit_records DROP COLUMN seq;
