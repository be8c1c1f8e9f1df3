package db

import (
	"context"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/model"
)

// CreateGroup creates a group; its code must be new in the pool.
func (s *Store) CreateGroup(ctx context.Context, poolID string, in model.GroupInput) (*model.Group, error) {
	now := s.now()
	g := &model.Group{ID: newID(), PoolID: poolID, CreatedAt: now, UpdatedAt: now}
	if c, _ := in.Code.ValueOK(); c == nil {
		return nil, model.Invalid("code", "a group needs a code")
	}
	if _, err := in.Apply(g); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(tx *gorm.DB) error { return tx.Omit(clause.Associations).Create(g).Error })
	return g, groupExists(err)
}

// groupExists words a unique violation on groups as "the code is taken".
func groupExists(err error) error {
	if errors.Is(err, model.ErrAlreadyExists) {
		return model.AlreadyExists("code", "this user pool already has a group with that code")
	}
	return err
}

// UpdateGroup changes the group with the given code (including its code).
func (s *Store) UpdateGroup(ctx context.Context, poolID, code string, in model.GroupInput) (*model.Group, error) {
	var g *model.Group
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		if g, err = groupByCode(tx, poolID, code, "code"); err != nil {
			return err
		}
		changed, err := in.Apply(g)
		if err != nil {
			return err
		}
		g.UpdatedAt = s.now()
		return tx.Model(g).Omit(clause.Associations).Select(append(changed, "UpdatedAt")).Updates(g).Error
	})
	return g, groupExists(err)
}

// DeleteGroups deletes groups by code, all or nothing; their memberships
// (and grants) go with them.
func (s *Store) DeleteGroups(ctx context.Context, poolID string, codes []string) error {
	codes, err := model.ValidCodes("codes", codes)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		groups, err := groupsByCodes(tx, poolID, codes, "codes")
		if err != nil {
			return err
		}
		return tx.Delete(&model.Group{}, "pool_id = ? AND id IN ?", poolID, groupIDs(groups)).Error
	})
}

// Group returns the group with the given code.
func (s *Store) Group(ctx context.Context, poolID, code string) (*model.Group, error) {
	return groupByCode(s.read(ctx), poolID, code, "code")
}

// ListGroups returns a page of the pool's groups, newest first, and their
// total.
func (s *Store) ListGroups(ctx context.Context, poolID string, p model.Page) ([]*model.Group, int64, error) {
	return listPage[model.Group](s.read(ctx).Where("pool_id = ?", poolID), p, "created_at DESC, id DESC")
}

// AddUserGroups makes a user a member of groups (by code) and returns all
// the user's groups. Every group must exist, or nothing changes.
func (s *Store) AddUserGroups(ctx context.Context, poolID, userID string, codes []string) ([]*model.Group, error) {
	return s.changeUserGroups(ctx, poolID, userID, codes, true)
}

// RemoveUserGroups ends a user's membership of groups and returns the
// user's remaining groups.
func (s *Store) RemoveUserGroups(ctx context.Context, poolID, userID string, codes []string) ([]*model.Group, error) {
	return s.changeUserGroups(ctx, poolID, userID, codes, false)
}

func (s *Store) changeUserGroups(ctx context.Context, poolID, userID string, codes []string, add bool) ([]*model.Group, error) {
	codes, err := model.ValidCodes("groups", codes)
	if err != nil {
		return nil, err
	}
	var out []*model.Group
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := requireUser(tx, poolID, userID); err != nil {
			return err
		}
		groups, err := groupsByCodes(tx, poolID, codes, "groups")
		if err != nil {
			return err
		}
		if err := s.changeMembers(tx, groupMembers, poolID, groupIDs(groups), []string{userID}, add); err != nil {
			return err
		}
		m, err := ofUsers[model.Group](ctx, tx, groupMembers, "groups", poolID, []string{userID})
		out = m[userID]
		return err
	})
	return out, err
}

// AddGroupMembers adds users to a group; every user must exist, or nothing
// changes.
func (s *Store) AddGroupMembers(ctx context.Context, poolID, code string, userIDs []string) (*model.Group, error) {
	return s.changeGroupMembers(ctx, poolID, code, userIDs, true)
}

// RemoveGroupMembers removes users from a group.
func (s *Store) RemoveGroupMembers(ctx context.Context, poolID, code string, userIDs []string) (*model.Group, error) {
	return s.changeGroupMembers(ctx, poolID, code, userIDs, false)
}

func (s *Store) changeGroupMembers(ctx context.Context, poolID, code string, userIDs []string, add bool) (*model.Group, error) {
	userIDs, err := model.ValidIDs("userIds", userIDs)
	if err != nil {
		return nil, err
	}
	var g *model.Group
	err = s.write(ctx, func(tx *gorm.DB) error {
		if g, err = groupByCode(tx, poolID, code, "code"); err != nil {
			return err
		}
		if err := requireUsers(tx, poolID, userIDs, "userIds"); err != nil {
			return err
		}
		return s.changeMembers(tx, groupMembers, poolID, []string{g.ID}, userIDs, add)
	})
	return g, err
}

// changeMembers adds or removes the memberships of users in parents.
func (s *Store) changeMembers(tx *gorm.DB, m membership, poolID string, parentIDs, userIDs []string, add bool) error {
	if add {
		return m.add(tx, poolID, parentIDs, userIDs, s.now())
	}
	return m.remove(tx, poolID, parentIDs, userIDs)
}

// GroupsByUserIDs returns each user's groups, ordered by code, in one
// statement.
func (s *Store) GroupsByUserIDs(ctx context.Context, poolID string, userIDs []string) (map[string][]*model.Group, error) {
	return ofUsers[model.Group](ctx, s.db.r, groupMembers, "groups", poolID, userIDs)
}

// GroupMembers returns a page of each group's members and each group's
// member count, in two statements for any number of groups.
func (s *Store) GroupMembers(ctx context.Context, poolID string, groupIDs []string, p model.Page) (map[string][]*model.User, map[string]int, error) {
	return groupMembers.page(ctx, s.db.r, poolID, groupIDs, p)
}

func groupByCode(tx *gorm.DB, poolID, code, field string) (*model.Group, error) {
	var g model.Group
	err := tx.Where("pool_id = ? AND code = ?", poolID, code).Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, model.NotFound(field, "no group %q in this user pool", code)
	}
	return &g, translate(err)
}

// groupsByCodes returns the groups with the given codes, failing with
// NOT_FOUND (field.N) on the first unknown one.
func groupsByCodes(tx *gorm.DB, poolID string, codes []string, field string) ([]*model.Group, error) {
	var groups []*model.Group
	if err := tx.Where("pool_id = ? AND code IN ?", poolID, codes).Find(&groups).Error; err != nil {
		return nil, err
	}
	found := make([]string, len(groups))
	for i, g := range groups {
		found[i] = g.Code
	}
	return groups, firstMissing(codes, found, field, "group")
}

func groupIDs(groups []*model.Group) []string {
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	return ids
}

// requireUser fails with NOT_FOUND on userId unless the user is in the pool.
func requireUser(tx *gorm.DB, poolID, userID string) error {
	var n int64
	if err := tx.Model(&model.User{}).Where("pool_id = ? AND id = ?", poolID, userID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return model.NotFound("userId", "no user %q in this user pool", userID)
	}
	return nil
}

// listPage counts the rows q selects (up to p.CountStop(), when bounded)
// and returns one page of them in order, reading only cols when given.
func listPage[T any](q *gorm.DB, p model.Page, order string, cols ...string) ([]*T, int64, error) {
	q = q.Session(&gorm.Session{}) // reusable for both statements
	total, err := countRows(q.Model(new(T)), p)
	if err != nil {
		return nil, 0, err
	}
	list, err := pageRows[T](q, p, order, cols...)
	return list, total, err
}

// pageRows returns one page of the rows q selects, in order, reading only
// cols when given.
func pageRows[T any](q *gorm.DB, p model.Page, order string, cols ...string) ([]*T, error) {
	if len(cols) > 0 {
		q = q.Select(cols)
	}
	var list []*T
	err := q.Order(order).Offset(p.Offset()).Limit(p.Limit).Find(&list).Error
	return list, translate(err)
}

// countRows counts the rows q matches, stopping at p.CountStop() when it
// is bounded: the inner LIMIT ends the index walk there.
func countRows(q *gorm.DB, p model.Page) (int64, error) {
	var n int64
	var err error
	if stop := p.CountStop(); stop > 0 {
		sub := q.Select("1").Limit(int(stop))
		err = q.Session(&gorm.Session{NewDB: true}).Table("(?) AS matches", sub).Count(&n).Error
	} else {
		err = q.Count(&n).Error
	}
	return n, translate(err)
}
