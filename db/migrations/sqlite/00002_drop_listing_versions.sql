-- Page anchors are gone (issue 28): they served a deep page of the plain
-- listing from the sort key of the row before it, trusted while the pool's
-- listing version held; that version could repeat after writes in another
-- pool, and a page was then shifted. Offset pages read what OFFSET reads;
-- cursor paging (first/after) is the fast way through deep pages. The
-- triggers that bumped the versions cost every user delete and move a
-- write, for nothing now.

-- +goose Up
DROP TRIGGER IF EXISTS users_listing_delete;
DROP TRIGGER IF EXISTS users_listing_update;
DROP TRIGGER IF EXISTS users_listing_update_to;
DROP TABLE IF EXISTS listing_versions;

-- +goose Down
CREATE TABLE listing_versions (pool_id TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;
-- +goose StatementBegin
CREATE TRIGGER users_listing_delete AFTER DELETE ON users BEGIN
			INSERT INTO listing_versions (pool_id, version) VALUES (OLD.pool_id, 1)
				ON CONFLICT (pool_id) DO UPDATE SET version = version + 1;
		END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_listing_update AFTER UPDATE OF status, created_at, id, pool_id ON users WHEN OLD.status IS NOT NEW.status OR OLD.created_at IS NOT NEW.created_at OR OLD.id IS NOT NEW.id OR OLD.pool_id IS NOT NEW.pool_id BEGIN
			INSERT INTO listing_versions (pool_id, version) VALUES (OLD.pool_id, 1)
				ON CONFLICT (pool_id) DO UPDATE SET version = version + 1;
		END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_listing_update_to AFTER UPDATE OF pool_id ON users WHEN OLD.pool_id IS NOT NEW.pool_id BEGIN
			INSERT INTO listing_versions (pool_id, version) VALUES (NEW.pool_id, 1)
				ON CONFLICT (pool_id) DO UPDATE SET version = version + 1;
		END;
-- +goose StatementEnd
