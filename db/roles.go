package db

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"usergraph/model"
)

// Roles share their operations with groups through roleKind (parents.go);
// what is here is what only roles have: a namespace. An empty namespace
// argument means the default namespace.

// CreateRole creates a role in a namespace; its code must be new in the
// namespace.
func (s *Store) CreateRole(ctx context.Context, poolID, ns string, in model.RoleInput) (*model.Role, error) {
	if c, _ := in.Code.ValueOK(); c == nil {
		return nil, model.Invalid("code", "a role needs a code")
	}
	now := s.now()
	r := &model.Role{ID: newID(), PoolID: poolID, CreatedAt: now, UpdatedAt: now}
	if _, err := in.Apply(r); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		n, err := namespaceByCode(tx, poolID, ns)
		if err != nil {
			return err
		}
		r.NamespaceID, r.Namespace = n.ID, n.Code
		return roleKind.create(tx, poolID, r)
	})
	return r, roleKind.codeTaken(err, "code")
}

// UpdateRole changes the role with the given code in a namespace. An
// unknown role is NOT_FOUND on "code"; errors of in are on "input.<field>".
func (s *Store) UpdateRole(ctx context.Context, poolID, ns, code string, in model.RoleInput) (*model.Role, error) {
	return roleKind.update(ctx, s, poolID, ns, code, func(_ *gorm.DB, r *model.Role) ([]string, error) {
		changed, err := in.Apply(r)
		r.UpdatedAt = s.now()
		return append(changed, "UpdatedAt"), err
	})
}

// DeleteRoles deletes roles of a namespace by code, all or nothing; their
// memberships (and grants) go with them.
func (s *Store) DeleteRoles(ctx context.Context, poolID, ns string, codes []string) error {
	return roleKind.deleteByCodes(ctx, s, poolID, ns, codes)
}

// RoleByID returns the role of the pool with the given id, or NOT_FOUND
// (on field) when it has none.
func (s *Store) RoleByID(ctx context.Context, poolID, id, field string) (*model.Role, error) {
	var r model.Role
	err := s.read(ctx).Where("pool_id = ? AND id = ?", poolID, id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, model.NotFound(field, "no role with id %q", id)
	}
	return &r, translate(err)
}

// Role returns the role with the given code in a namespace.
func (s *Store) Role(ctx context.Context, poolID, ns, code string) (*model.Role, error) {
	return roleKind.byCode(s.read(ctx), poolID, ns, code, "code")
}

// ListRoles returns a page of a namespace's roles (every namespace's when
// ns is empty) whose custom data passes every condition (none: all),
// newest first, and their total.
func (s *Store) ListRoles(ctx context.Context, poolID, ns string, customData []*model.CustomDataPred, p model.Page) ([]*model.Role, int64, error) {
	q := s.read(ctx).Where("pool_id = ?", poolID)
	if ns != "" {
		if _, err := namespaceByCode(s.read(ctx), poolID, ns); err != nil {
			return nil, 0, err
		}
		q = q.Where("namespace = ?", ns)
	}
	q, err := roleKind.matching(q, s, poolID, customData, "customData")
	if err != nil {
		return nil, 0, err
	}
	return listPage[model.Role](q, p, rolesOrder)
}

// SetRoleCustomData merges data into a role's custom data and returns it
// after; errors are on "data.<key>".
func (s *Store) SetRoleCustomData(ctx context.Context, poolID, ns, code string, data any) (model.CustomData, error) {
	return roleKind.setCustomData(ctx, s, poolID, ns, code, data)
}

// RemoveRoleCustomData removes one key from a role's custom data.
func (s *Store) RemoveRoleCustomData(ctx context.Context, poolID, ns, code, key string) (model.CustomData, error) {
	return roleKind.removeCustomData(ctx, s, poolID, ns, code, key)
}

// CustomDataByRoleIDs returns each role's custom data, in one statement.
func (s *Store) CustomDataByRoleIDs(ctx context.Context, poolID string, ids []string) (map[string]model.CustomData, error) {
	return roleKind.customDataOf(ctx, s, poolID, ids)
}

// AddUserRoles gives a user roles (by code, in one namespace) and returns
// all the user's roles in that namespace. Every role must exist, or nothing
// changes.
func (s *Store) AddUserRoles(ctx context.Context, poolID, userID, ns string, codes []string) ([]*model.Role, error) {
	roles, err := roleKind.changeUser(ctx, s, poolID, userID, ns, codes, "roles", true)
	return model.RolesIn(roles, model.NamespaceOrDefault(ns)), err
}

// RemoveUserRoles takes roles from a user and returns the user's remaining
// roles in that namespace.
func (s *Store) RemoveUserRoles(ctx context.Context, poolID, userID, ns string, codes []string) ([]*model.Role, error) {
	roles, err := roleKind.changeUser(ctx, s, poolID, userID, ns, codes, "roles", false)
	return model.RolesIn(roles, model.NamespaceOrDefault(ns)), err
}

// AddRoleMembers gives a role to users; every user must exist, or nothing
// changes.
func (s *Store) AddRoleMembers(ctx context.Context, poolID, ns, code string, userIDs []string) (*model.Role, error) {
	return roleKind.changeMembers(ctx, s, poolID, ns, code, userIDs, true)
}

// RemoveRoleMembers takes a role from users.
func (s *Store) RemoveRoleMembers(ctx context.Context, poolID, ns, code string, userIDs []string) (*model.Role, error) {
	return roleKind.changeMembers(ctx, s, poolID, ns, code, userIDs, false)
}

// RolesByUserIDs returns each user's roles in every namespace, ordered by
// code, in one statement.
func (s *Store) RolesByUserIDs(ctx context.Context, poolID string, userIDs []string) (map[string][]*model.Role, error) {
	return ofUsers[model.Role](ctx, s.db.r, roleMembers, poolID, userIDs)
}

// MembersByRoleIDs returns a page of each role's members and each role's member
// count, in two statements for any number of roles.
func (s *Store) MembersByRoleIDs(ctx context.Context, poolID string, roleIDs []string, p model.Page, cols []string) (map[string][]*model.User, map[string]int, error) {
	return roleMembers.page(ctx, s.db.r, poolID, roleIDs, p, cols)
}
