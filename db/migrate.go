package db

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
)

// setting is a server-wide key/value row; it holds what every replica must
// share, such as the token signing key.
type setting struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value []byte `gorm:"not null"`
}

// userIndexes serve user listings, each named for what it serves. A sort
// index is (pool_id, sort column, id, status): id is the tie-breaker, so a
// sorted page is read straight from the index, with no sort step, and
// status lets a page skip archived users (every listing leaves them out)
// without reading their rows. A filter index
// is (pool_id, filter column, created_at, id): the filter's count reads a
// prefix of it, and the filter under the default order (newest first)
// reads its page from it too. Filters on group, role, identity provider and
// custom data go through the member, identity and value tables' own
// indexes. The migrations create them; listings name them (filterIndex),
// and TestModelsMatchTheMigrations checks each exists.
var userIndexes = []struct{ name, columns string }{
	{"ix_users_by_created", "pool_id, created_at, id, status"},
	{"ix_users_by_updated", "pool_id, updated_at, id, status"},
	{"ix_users_by_last_login", "pool_id, last_login, id, status"},
	{"ix_users_by_username", "pool_id, username, id, status"},
	{"ix_users_status_created", "pool_id, status, created_at, id"},
	{"ix_users_hidden_created", "pool_id, hidden, created_at, id"},
	{"ix_users_email_verified_created", "pool_id, email_verified, created_at, id"},
	{"ix_users_phone_verified_created", "pool_id, phone_verified, created_at, id"},
	{"ix_users_signed_up", "pool_id, signed_up"},
}

// filterIndex names the index of userIndexes that serves a filter on Col:
// the one whose columns begin with it, after pool_id.
func filterIndex(col string) string {
	for _, ix := range userIndexes {
		if strings.HasPrefix(ix.columns, "pool_id, "+col+",") || ix.columns == "pool_id, "+col {
			return ix.name
		}
	}
	panic("no index serves a filter on " + col) // a programming error, caught by any test
}

// The schema evolves by versioned migrations (package db/migrations,
// applied with pressly/goose): one SQL file per version per engine, each
// run once, in order, in its own transaction, and recorded in the
// goose_db_version table. Version 1 is the schema the last release before
// them left (its "schema_version" setting says 2026-11-30.member-state);
// a database that release wrote is adopted at version 1 without running
// it.

// legacySchema is the "schema_version" setting of a database the last
// AutoMigrate release wrote: version 1 of the migrations.
const (
	legacySchema        = "2026-11-30.member-state"
	legacySchemaSetting = "schema_version"
	versionTable        = "goose_db_version"
)

// migrations returns the migrations of d's engine, ready to run on its
// writer. On PostgreSQL a session advisory lock serializes replicas that
// start together; SQLite's single writer serializes them anyway.
func (d *DB) migrations() (*goose.Provider, error) {
	sqlDB, err := d.w.DB()
	if err != nil {
		return nil, err
	}
	fsys, dialect, err := d.eng.Migrations()
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if dialect == goose.DialectPostgres {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, sqlDB, fsys, opts...)
}

// Migrate brings the schema to this binary's version: it adopts a database
// the last AutoMigrate release wrote (see legacySchema), runs every
// migration not yet applied, then makes sure each pool has its search
// index (a SQLite build with FTS5 opening a database written without it).
// It is safe on every start and from several replicas at once.
func Migrate(ctx context.Context, d *DB) error {
	p, err := d.migrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := d.adoptLegacy(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := d.w.WithContext(ctx).Transaction(d.eng.EnsureSearch); err != nil {
		return fmt.Errorf("migrate: search indexes: %w", err)
	}
	return nil
}

// PendingMigrations lists the migrations Migrate would run now, by file
// name, in order (for `usergraph migrate -dry-run`). A database the last
// AutoMigrate release wrote counts as at version 1.
func PendingMigrations(ctx context.Context, d *DB) ([]string, error) {
	p, err := d.migrations()
	if err != nil {
		return nil, err
	}
	legacy, err := d.isLegacy(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	if !d.w.WithContext(ctx).Migrator().HasTable(versionTable) {
		// Nothing recorded yet: every migration is pending (asking goose
		// would create its table, and a dry run writes nothing).
		for _, src := range p.ListSources() {
			if !(legacy && src.Version == 1) {
				out = append(out, filepath.Base(src.Path))
			}
		}
		return out, nil
	}
	status, err := p.Status(ctx)
	if err != nil {
		return nil, err
	}
	for _, st := range status {
		if st.State == goose.StatePending && !(legacy && st.Source.Version == 1) {
			out = append(out, filepath.Base(st.Source.Path))
		}
	}
	return out, nil
}

// isLegacy reports whether d was written by the last AutoMigrate release
// and not yet adopted: it has the settings table but no migration
// recorded. Any other schema_version there is a release older still,
// which this binary cannot upgrade.
func (d *DB) isLegacy(ctx context.Context) (bool, error) {
	w := d.w.WithContext(ctx)
	if !w.Migrator().HasTable(&setting{}) {
		return false, nil
	}
	if w.Migrator().HasTable(versionTable) {
		var applied int64
		if err := w.Raw("SELECT COALESCE(MAX(version_id), 0) FROM " + versionTable).Scan(&applied).Error; err != nil || applied > 0 {
			return false, err
		}
	}
	var v setting
	if err := w.Where("key = ?", legacySchemaSetting).Take(&v).Error; err != nil {
		return false, fmt.Errorf("a database with tables but neither migrations nor a schema version: %w", err)
	}
	if string(v.Value) != legacySchema {
		return false, fmt.Errorf("the database's schema is %q, older than this binary can upgrade: open it once with a release of 2026-11-30 to 2026-12-07 first", v.Value)
	}
	return true, nil
}

// adoptLegacy records a legacy database (isLegacy) as at version 1, in
// goose's own version table through goose's store.
func (d *DB) adoptLegacy(ctx context.Context) error {
	legacy, err := d.isLegacy(ctx)
	if err != nil || !legacy {
		return err
	}
	_, dialect, err := d.eng.Migrations()
	if err != nil {
		return err
	}
	store, err := database.NewStore(dialect, versionTable)
	if err != nil {
		return err
	}
	sqlDB, err := d.w.DB()
	if err != nil {
		return err
	}
	hasTable := d.w.WithContext(ctx).Migrator().HasTable(versionTable) // before the transaction holds SQLite's one writer
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	versions := []int64{1}
	if !hasTable {
		if err := store.CreateVersionTable(ctx, tx); err != nil {
			return err
		}
		versions = []int64{0, 1} // goose's own first row, then ours
	}
	for _, v := range versions {
		if err := store.Insert(ctx, tx, database.InsertRequest{Version: v}); err != nil {
			return err
		}
	}
	return tx.Commit()
}
