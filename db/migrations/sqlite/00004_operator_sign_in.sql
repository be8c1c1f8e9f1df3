-- Operator sign-in (issue 32): a pool may accept bearer tokens from an
-- OpenID Connect provider, each person with the scopes their claims map
-- to. One (issuer, audience) pair belongs to one pool, so a token names
-- its pool. The audit trail names such a person by issuer, subject and
-- email beside the actor id derived from the first two.

-- +goose Up
CREATE TABLE operator_sign_ins (
    pool_id TEXT PRIMARY KEY REFERENCES user_pools (id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    audience TEXT NOT NULL,
    scopes_claim TEXT NOT NULL,
    rules TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_operator_sign_ins_issuer ON operator_sign_ins (issuer, audience);
ALTER TABLE audit_records ADD COLUMN actor_issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_records ADD COLUMN actor_subject TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_records ADD COLUMN actor_email TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_records DROP COLUMN actor_email;
ALTER TABLE audit_records DROP COLUMN actor_subject;
ALTER TABLE audit_records DROP COLUMN actor_issuer;
DROP TABLE operator_sign_ins;
