package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/model"
)

// setting is a server-wide key/value row; it holds what every replica must
// share, such as the token signing key.
type setting struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value []byte `gorm:"not null"`
}

// schemaVersion names the schema Migrate builds; Ready compares it with
// what the database holds, so a server is not ready on a database an older
// (or newer) binary migrated. Change it with every schema change.
const (
	schemaVersion        = "2026-11-30.member-state"
	schemaVersionSetting = "schema_version"
)

// models lists every table, parents before children.
var models = []any{
	&setting{},
	&model.UserPool{},
	&model.APIKey{},
	&model.User{},
	&model.Identity{},
	&model.Group{},
	&model.GroupMember{},
	&model.Namespace{},
	&model.Role{},
	&model.RoleMember{},
	&model.GroupRole{},
	&model.GroupClosure{},
	&model.UdfDefinition{},
	&model.UserUdfValue{},
	&model.GroupUdfValue{},
	&model.RoleUdfValue{},
	&model.Resource{},
	&model.Grant{},
	&model.AuditRecord{},
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
// indexes. Declared here, not in struct tags, so the set is seen at once.
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

// filterIndex names the index of userIndexes that serves a filter on col:
// the one whose columns begin with it, after pool_id.
func filterIndex(col string) string {
	for _, ix := range userIndexes {
		if strings.HasPrefix(ix.columns, "pool_id, "+col+",") || ix.columns == "pool_id, "+col {
			return ix.name
		}
	}
	panic("no index serves a filter on " + col) // a programming error, caught by any test
}

// retiredIndexes were replaced and are dropped: the status and hidden ones
// had lost their filter column, the verified ones now end with the default
// order, and the sort ones now end with status (userIndexes replaced them).
// The memberships' user_id indexes became (user_id, pool_id, parent)
// ones, which answer a page's groups and roles without the rows.
var retiredIndexes = []string{"ix_users_status", "ix_users_hidden", "ix_users_email_verified", "ix_users_phone_verified",
	"ix_users_created", "ix_users_updated", "ix_users_last_login", "ix_users_username_sort",
	"idx_group_members_user_id", "idx_role_members_user_id"}

// migrateUserIndexes creates userIndexes and drops retiredIndexes.
func migrateUserIndexes(tx *gorm.DB) error {
	for _, name := range retiredIndexes {
		if err := tx.Exec("DROP INDEX IF EXISTS " + name).Error; err != nil {
			return err
		}
	}
	for _, ix := range userIndexes {
		if err := tx.Exec(fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON users (%s)", ix.name, ix.columns)).Error; err != nil {
			return err
		}
	}
	return nil
}

// Migrate creates or updates the schema: tables, indexes and constraints,
// the same on SQLite and PostgreSQL. It is safe to run on every start and
// from several replicas at once on PostgreSQL (guarded by an advisory lock).
func Migrate(ctx context.Context, d *DB) error {
	err := d.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := d.eng.lockMigrations(tx); err != nil {
			return err
		}
		hadMemberState := hasMemberState(tx)
		if err := tx.AutoMigrate(models...); err != nil {
			return err
		}
		if err := migrateUserIndexes(tx); err != nil {
			return err
		}
		// Groups made before the group tree are roots: each its own
		// closure row.
		if err := tx.Exec(`INSERT INTO group_closures (ancestor_id, descendant_id, pool_id, depth)
			SELECT id, id, pool_id, 0 FROM groups g WHERE NOT EXISTS (SELECT 1 FROM group_closures c WHERE c.descendant_id = g.id)`).Error; err != nil {
			return err
		}
		// Pools created before namespaces existed get their default one.
		var pools []model.UserPool
		if err := tx.Find(&pools).Error; err != nil {
			return err
		}
		for _, p := range pools {
			if err := ensureDefaultNamespace(tx, p.ID, time.Now().UTC()); err != nil {
				return err
			}
		}
		if err := d.eng.migrateSearch(tx); err != nil {
			return err
		}
		if err := d.eng.migrateListingVersions(tx); err != nil {
			return err
		}
		if err := migrateMemberState(tx, d.eng, hadMemberState); err != nil {
			return err
		}
		v := setting{Key: schemaVersionSetting, Value: []byte(schemaVersion)}
		return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&v).Error
	})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
