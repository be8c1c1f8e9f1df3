package db

import (
	"context"

	"gorm.io/gorm"

	"usergraph/model"
)

// Groups share their operations with roles through groupKind (parents.go);
// what is here is what only groups have.

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
	err := s.write(ctx, func(tx *gorm.DB) error {
		parent, _, err := resolveParent(tx, g, in, "parent")
		if err != nil {
			return err
		}
		if parent != nil {
			g.ParentID = &parent.ID
		}
		if err := groupKind.create(tx, poolID, g); err != nil {
			return err
		}
		return placeGroup(tx, g)
	})
	return g, groupKind.codeTaken(err, "code")
}

// UpdateGroup changes the group with the given code (including its code).
// An unknown group is NOT_FOUND on "code"; errors of in are on
// "input.<field>".
func (s *Store) UpdateGroup(ctx context.Context, poolID, code string, in model.GroupInput) (*model.Group, error) {
	return groupKind.update(ctx, s, poolID, "", code, func(tx *gorm.DB, g *model.Group) ([]string, error) {
		changed, err := in.Apply(g)
		if err != nil {
			return nil, err
		}
		parent, set, err := resolveParent(tx, g, in, "parent")
		if err != nil {
			return nil, err
		}
		if set {
			if err := moveGroup(tx, g, parent); err != nil {
				return nil, err
			}
			g.ParentID = nil
			if parent != nil {
				g.ParentID = &parent.ID
			}
			changed = append(changed, "ParentID")
		}
		g.UpdatedAt = s.now()
		return append(changed, "UpdatedAt"), nil
	})
}

// DeleteGroups deletes groups by code, all or nothing; their memberships
// (and grants) go with them.
func (s *Store) DeleteGroups(ctx context.Context, poolID string, codes []string) error {
	return groupKind.deleteByCodes(ctx, s, poolID, "", codes)
}

// Group returns the group with the given code.
func (s *Store) Group(ctx context.Context, poolID, code string) (*model.Group, error) {
	return groupKind.byCode(s.read(ctx), poolID, "", code, "code")
}

// ListGroups returns a page of the pool's groups whose custom data passes
// every condition (none: all), newest first, and their total.
func (s *Store) ListGroups(ctx context.Context, poolID string, customData []*model.CustomDataPred, p model.Page) ([]*model.Group, int64, error) {
	q, err := groupKind.matching(s.read(ctx).Where("pool_id = ?", poolID), s, poolID, customData, "customData")
	if err != nil {
		return nil, 0, err
	}
	return listPage[model.Group](q, p, groupsOrder)
}

// SetGroupCustomData merges data into a group's custom data and returns it
// after; errors are on "data.<key>".
func (s *Store) SetGroupCustomData(ctx context.Context, poolID, code string, data any) (model.CustomData, error) {
	return groupKind.setCustomData(ctx, s, poolID, "", code, data)
}

// RemoveGroupCustomData removes one key from a group's custom data.
func (s *Store) RemoveGroupCustomData(ctx context.Context, poolID, code, key string) (model.CustomData, error) {
	return groupKind.removeCustomData(ctx, s, poolID, "", code, key)
}

// CustomDataByGroupIDs returns each group's custom data, in one statement.
func (s *Store) CustomDataByGroupIDs(ctx context.Context, poolID string, ids []string) (map[string]model.CustomData, error) {
	return groupKind.customDataOf(ctx, s, poolID, ids)
}

// AddUserGroups makes a user a member of groups (by code) and returns all
// the user's groups. Every group must exist, or nothing changes.
func (s *Store) AddUserGroups(ctx context.Context, poolID, userID string, codes []string) ([]*model.Group, error) {
	return groupKind.changeUser(ctx, s, poolID, userID, "", codes, "groups", true)
}

// RemoveUserGroups ends a user's membership of groups and returns the
// user's remaining groups.
func (s *Store) RemoveUserGroups(ctx context.Context, poolID, userID string, codes []string) ([]*model.Group, error) {
	return groupKind.changeUser(ctx, s, poolID, userID, "", codes, "groups", false)
}

// AddGroupMembers adds users to a group; every user must exist, or nothing
// changes.
func (s *Store) AddGroupMembers(ctx context.Context, poolID, code string, userIDs []string) (*model.Group, error) {
	return groupKind.changeMembers(ctx, s, poolID, "", code, userIDs, true)
}

// RemoveGroupMembers removes users from a group.
func (s *Store) RemoveGroupMembers(ctx context.Context, poolID, code string, userIDs []string) (*model.Group, error) {
	return groupKind.changeMembers(ctx, s, poolID, "", code, userIDs, false)
}

// GroupsByUserIDs returns each user's groups, ordered by code, in one
// statement, reading the columns cols (model.GroupColumns; every column
// when none are given).
func (s *Store) GroupsByUserIDs(ctx context.Context, poolID string, userIDs []string, cols ...string) (map[string][]*model.Group, error) {
	return ofUsers[model.Group](ctx, s.db.r, groupMembers, poolID, userIDs, cols...)
}

// MembersByGroupIDs returns a page of each group's members and each group's
// member count, in two statements for any number of groups.
func (s *Store) MembersByGroupIDs(ctx context.Context, poolID string, groupIDs []string, p model.Page, cols []string) (map[string][]*model.User, map[string]int, error) {
	return groupMembers.page(ctx, s.db.r, poolID, groupIDs, p, cols)
}
