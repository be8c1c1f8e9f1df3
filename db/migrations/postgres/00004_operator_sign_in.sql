-- Operator sign-in (issue 32): a pool may accept bearer tokens from an
-- OpenID Connect provider, each person with the scopes their claims map
-- to. One (issuer, audience) pair belongs to one pool, so a token names
-- its pool. The audit trail names such a person by issuer, subject and
-- email beside the actor id derived from the first two.

-- +goose Up
CREATE TABLE operator_sign_ins (
    pool_id character varying(36) PRIMARY KEY REFERENCES user_pools (id) ON DELETE CASCADE,
    issuer character varying(2048) NOT NULL,
    audience character varying(255) NOT NULL,
    scopes_claim character varying(255) NOT NULL,
    rules text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE UNIQUE INDEX ux_operator_sign_ins_issuer ON operator_sign_ins (issuer, audience);
ALTER TABLE audit_records ADD COLUMN actor_issuer character varying(2048) NOT NULL DEFAULT '';
ALTER TABLE audit_records ADD COLUMN actor_subject character varying(255) NOT NULL DEFAULT '';
ALTER TABLE audit_records ADD COLUMN actor_email character varying(255) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_records DROP COLUMN actor_email;
ALTER TABLE audit_records DROP COLUMN actor_subject;
ALTER TABLE audit_records DROP COLUMN actor_issuer;
DROP TABLE operator_sign_ins;
