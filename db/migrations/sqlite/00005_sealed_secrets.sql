-- Signed requests (issue 34): the Authing V3 API signs every request with
-- HMAC-SHA1 keyed by the access key's secret — a pool's secret or an API
-- key's — which a stored hash cannot check. Each secret set from this
-- version on is also kept sealed (AES-256-GCM under a server-wide key,
-- bound to its row). Secrets set before stay hash-only: rotating them
-- enables signed requests.

-- +goose Up
ALTER TABLE user_pools ADD COLUMN sealed_secret BLOB;
ALTER TABLE api_keys ADD COLUMN sealed_secret BLOB;

-- +goose Down
ALTER TABLE api_keys DROP COLUMN sealed_secret;
ALTER TABLE user_pools DROP COLUMN sealed_secret;
