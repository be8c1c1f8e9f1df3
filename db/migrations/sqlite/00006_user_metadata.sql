-- A user's metadata (issue 34): free-form JSON from the system that
-- manages the user, as the V3 documents' updateUser and updateUserBatch
-- carry it. Null when unset.

-- +goose Up
ALTER TABLE users ADD COLUMN metadata TEXT;

-- +goose Down
ALTER TABLE users DROP COLUMN metadata;
