package db

import (
	"context"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/model"
)

// CreateRole creates a role in a namespace (the default one when ns is
// empty); its code must be new in the namespace.
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
		return tx.Omit(clause.Associations).Create(r).Error
	})
	return r, roleExists(err)
}

func roleExists(err error) error {
	if errors.Is(err, model.ErrAlreadyExists) {
		return model.AlreadyExists("code", "this namespace already has a role with that code")
	}
	return err
}

// UpdateRole changes the role with the given code in a namespace.
func (s *Store) UpdateRole(ctx context.Context, poolID, ns, code string, in model.RoleInput) (*model.Role, error) {
	var r *model.Role
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		if r, err = roleByCode(tx, poolID, ns, code); err != nil {
			return err
		}
		changed, err := in.Apply(r)
		if err != nil {
			return err
		}
		r.UpdatedAt = s.now()
		return tx.Model(r).Omit(clause.Associations).Select(append(changed, "UpdatedAt")).Updates(r).Error
	})
	return r, roleExists(err)
}

// DeleteRoles deletes roles of a namespace by code, all or nothing; their
// memberships (and grants) go with them.
func (s *Store) DeleteRoles(ctx context.Context, poolID, ns string, codes []string) error {
	codes, err := model.ValidCodes("codes", codes)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		roles, err := rolesByCodes(tx, poolID, ns, codes, "codes")
		if err != nil {
			return err
		}
		return tx.Delete(&model.Role{}, "pool_id = ? AND id IN ?", poolID, roleIDs(roles)).Error
	})
}

// Role returns the role with the given code in a namespace.
func (s *Store) Role(ctx context.Context, poolID, ns, code string) (*model.Role, error) {
	return roleByCode(s.read(ctx), poolID, ns, code)
}

// ListRoles returns a page of a namespace's roles (every namespace's when
// ns is empty), newest first, and their total.
func (s *Store) ListRoles(ctx context.Context, poolID, ns string, p model.Page) ([]*model.Role, int64, error) {
	q := s.read(ctx).Where("pool_id = ?", poolID)
	if ns != "" {
		if _, err := namespaceByCode(s.read(ctx), poolID, ns); err != nil {
			return nil, 0, err
		}
		q = q.Where("namespace = ?", ns)
	}
	return listPage[model.Role](q, p, "created_at DESC, id DESC")
}

// AddUserRoles gives a user roles (by code, in one namespace) and returns
// all the user's roles in that namespace. Every role must exist, or nothing
// changes.
func (s *Store) AddUserRoles(ctx context.Context, poolID, userID, ns string, codes []string) ([]*model.Role, error) {
	return s.changeUserRoles(ctx, poolID, userID, ns, codes, true)
}

// RemoveUserRoles takes roles from a user and returns the user's remaining
// roles in that namespace.
func (s *Store) RemoveUserRoles(ctx context.Context, poolID, userID, ns string, codes []string) ([]*model.Role, error) {
	return s.changeUserRoles(ctx, poolID, userID, ns, codes, false)
}

func (s *Store) changeUserRoles(ctx context.Context, poolID, userID, ns string, codes []string, add bool) ([]*model.Role, error) {
	codes, err := model.ValidCodes("roles", codes)
	if err != nil {
		return nil, err
	}
	var out []*model.Role
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := requireUser(tx, poolID, userID); err != nil {
			return err
		}
		roles, err := rolesByCodes(tx, poolID, ns, codes, "roles")
		if err != nil {
			return err
		}
		if err := s.changeMembers(tx, roleMembers, poolID, roleIDs(roles), []string{userID}, add); err != nil {
			return err
		}
		m, err := ofUsers[model.Role](ctx, tx, roleMembers, "roles", poolID, []string{userID})
		out = model.RolesIn(m[userID], roles[0].Namespace)
		return err
	})
	return out, err
}

// AddRoleMembers gives a role to users; every user must exist, or nothing
// changes.
func (s *Store) AddRoleMembers(ctx context.Context, poolID, ns, code string, userIDs []string) (*model.Role, error) {
	return s.changeRoleMembers(ctx, poolID, ns, code, userIDs, true)
}

// RemoveRoleMembers takes a role from users.
func (s *Store) RemoveRoleMembers(ctx context.Context, poolID, ns, code string, userIDs []string) (*model.Role, error) {
	return s.changeRoleMembers(ctx, poolID, ns, code, userIDs, false)
}

func (s *Store) changeRoleMembers(ctx context.Context, poolID, ns, code string, userIDs []string, add bool) (*model.Role, error) {
	userIDs, err := model.ValidIDs("userIds", userIDs)
	if err != nil {
		return nil, err
	}
	var r *model.Role
	err = s.write(ctx, func(tx *gorm.DB) error {
		if r, err = roleByCode(tx, poolID, ns, code); err != nil {
			return err
		}
		if err := requireUsers(tx, poolID, userIDs, "userIds"); err != nil {
			return err
		}
		return s.changeMembers(tx, roleMembers, poolID, []string{r.ID}, userIDs, add)
	})
	return r, err
}

// RolesByUserIDs returns each user's roles in every namespace, ordered by
// code, in one statement.
func (s *Store) RolesByUserIDs(ctx context.Context, poolID string, userIDs []string) (map[string][]*model.Role, error) {
	return ofUsers[model.Role](ctx, s.db.r, roleMembers, "roles", poolID, userIDs)
}

// RoleMembers returns a page of each role's members and each role's member
// count, in two statements for any number of roles.
func (s *Store) RoleMembers(ctx context.Context, poolID string, roleIDs []string, p model.Page) (map[string][]*model.User, map[string]int, error) {
	return roleMembers.page(ctx, s.db.r, poolID, roleIDs, p)
}

// roleByCode finds a role; an unknown namespace or role is NOT_FOUND on
// "namespace" or "code".
func roleByCode(tx *gorm.DB, poolID, ns, code string) (*model.Role, error) {
	n, err := namespaceByCode(tx, poolID, ns)
	if err != nil {
		return nil, err
	}
	var r model.Role
	err = tx.Where("pool_id = ? AND namespace = ? AND code = ?", poolID, n.Code, code).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, model.NotFound("code", "no role %q in namespace %q", code, n.Code)
	}
	return &r, translate(err)
}

func rolesByCodes(tx *gorm.DB, poolID, ns string, codes []string, field string) ([]*model.Role, error) {
	n, err := namespaceByCode(tx, poolID, ns)
	if err != nil {
		return nil, err
	}
	var roles []*model.Role
	if err := tx.Where("pool_id = ? AND namespace = ? AND code IN ?", poolID, n.Code, codes).Find(&roles).Error; err != nil {
		return nil, err
	}
	found := make([]string, len(roles))
	for i, r := range roles {
		found[i] = r.Code
	}
	return roles, firstMissing(codes, found, field, "role")
}

func roleIDs(roles []*model.Role) []string {
	ids := make([]string, len(roles))
	for i, r := range roles {
		ids[i] = r.ID
	}
	return ids
}
