package db

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"usergraph/model"
)

// setting is a server-wide key/value row; it holds what every replica must
// share, such as the token signing key.
type setting struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value []byte `gorm:"not null"`
}

// models lists every table, parents before children.
var models = []any{
	&setting{},
	&model.UserPool{},
	&model.User{},
	&model.Identity{},
	&model.Group{},
	&model.GroupMember{},
	&model.Namespace{},
	&model.Role{},
	&model.RoleMember{},
	&model.UdfDefinition{},
	&model.UserUdfValue{},
	&model.Resource{},
	&model.Grant{},
}

// Migrate creates or updates the schema: tables, indexes and constraints,
// the same on SQLite and PostgreSQL. It is safe to run on every start and
// from several replicas at once on PostgreSQL (guarded by an advisory lock).
func Migrate(ctx context.Context, d *DB) error {
	err := d.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if d.Dialect == "postgres" {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7263541)").Error; err != nil {
				return err
			}
		}
		if err := tx.AutoMigrate(models...); err != nil {
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
		return d.migrateSearch(tx)
	})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
