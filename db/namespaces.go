package db

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/model"
)

// namespaceByCode finds a namespace of the pool; an empty code means the
// default namespace. Unknown is NOT_FOUND on "namespace".
func namespaceByCode(tx *gorm.DB, poolID, code string) (*model.Namespace, error) {
	if code == "" {
		code = model.DefaultNamespace
	}
	var n model.Namespace
	err := tx.Where("pool_id = ? AND code = ?", poolID, code).Take(&n).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, model.NotFoundOf("namespace", "namespace", "no namespace %q in this user pool", code)
	}
	return &n, translate(err)
}

// createPool inserts a pool with its default namespace and search index.
func (d *DB) createPool(tx *gorm.DB, p *model.UserPool) error {
	if err := tx.Create(p).Error; err != nil {
		return err
	}
	recordDiff(tx, p.ID, model.AuditPool, p.ID, nil, p)
	recordChanges(tx, p.ID, model.AuditPool, p.ID, model.SecretChange("secret", false, true))
	if err := ensureDefaultNamespace(tx, p.ID, p.CreatedAt); err != nil {
		return err
	}
	return d.eng.CreateSearchIndex(tx, p.ID)
}

// ensureDefaultNamespace gives a pool its default namespace if it lacks one.
func ensureDefaultNamespace(tx *gorm.DB, poolID string, now time.Time) error {
	name := "Default"
	n := &model.Namespace{ID: newID(), PoolID: poolID, Code: model.DefaultNamespace, Name: &name, CreatedAt: now, UpdatedAt: now}
	return tx.Omit(clause.Associations).Clauses(clause.OnConflict{DoNothing: true}).Create(n).Error
}

// CreateNamespace creates a namespace; its code must be new in the pool and
// cannot change later.
func (s *Store) CreateNamespace(ctx context.Context, poolID, code string, in model.NamespaceInput) (*model.Namespace, error) {
	code, err := model.ValidCode("code", code)
	if err != nil {
		return nil, err
	}
	now := s.now()
	n := &model.Namespace{ID: newID(), PoolID: poolID, Code: code, CreatedAt: now, UpdatedAt: now}
	if _, err := in.Apply(n); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		recordDiff(tx, poolID, model.AuditNamespace, n.ID, nil, n)
		return tx.Omit(clause.Associations).Create(n).Error
	})
	if errors.Is(err, model.ErrAlreadyExists) {
		return nil, model.AlreadyExists("code", "this user pool already has a namespace with that code")
	}
	return n, err
}

// UpdateNamespace changes a namespace's name or description (its code is
// fixed: roles and resources are found by it). Errors of in are on
// "input.<field>".
func (s *Store) UpdateNamespace(ctx context.Context, poolID, code string, in model.NamespaceInput) (*model.Namespace, error) {
	var n *model.Namespace
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		if n, err = namespaceByCode(tx, poolID, code); err != nil {
			return err
		}
		before := model.Snapshot(n)
		changed, err := in.Apply(n)
		if err != nil {
			return model.WithPrefix(err, "input")
		}
		n.UpdatedAt = s.now()
		recordDiff(tx, poolID, model.AuditNamespace, n.ID, before, n)
		return tx.Model(n).Omit(clause.Associations).Select(append(changed, "UpdatedAt")).Updates(n).Error
	})
	return n, err
}

// DeleteNamespace deletes a namespace with its roles, resources and grants.
// The default namespace cannot be deleted.
func (s *Store) DeleteNamespace(ctx context.Context, poolID, code string) error {
	if code == model.DefaultNamespace {
		return model.Invalid("code", "the default namespace cannot be deleted")
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		n, err := namespaceByCode(tx, poolID, code)
		if err != nil {
			return err
		}
		recordDiff(tx, poolID, model.AuditNamespace, n.ID, n, nil)
		return tx.Delete(&model.Namespace{}, "id = ?", n.ID).Error
	})
}

// Namespace returns a namespace by code.
func (s *Store) Namespace(ctx context.Context, poolID, code string) (*model.Namespace, error) {
	return namespaceByCode(s.read(ctx), poolID, code)
}

// ListNamespaces returns a page of the pool's namespaces by code.
func (s *Store) ListNamespaces(ctx context.Context, poolID string, p model.Page) ([]*model.Namespace, int64, error) {
	return listPage[model.Namespace](s.read(ctx).Where("pool_id = ?", poolID), p, namespacesOrder)
}
