package db

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// Roles given to groups: every member of a group holds the group's roles,
// for as long as it is a member and the group has the role. Nothing is
// copied to the members: what a user holds is read through its groups each
// time, so removing a member, a group's role or the group takes effect at
// once. A role held through a group counts wherever a role does — User.
// roles, the users(filter: {role}) listing, authorizedResources (whose via
// names the group) and isActionAllowed — except Role.users, which lists
// the role's direct members.

// AddGroupRoles gives a group roles (by code, in one namespace; the
// default one when ns is empty). Every role must exist, or nothing
// changes; giving a role twice is a no-op. It returns the group.
func (s *Store) AddGroupRoles(ctx context.Context, poolID, groupCode, ns string, codes []string) (*model.Group, error) {
	return s.changeGroupRoles(ctx, poolID, groupCode, ns, codes, true)
}

// RemoveGroupRoles takes roles from a group; roles it does not have are
// ignored.
func (s *Store) RemoveGroupRoles(ctx context.Context, poolID, groupCode, ns string, codes []string) (*model.Group, error) {
	return s.changeGroupRoles(ctx, poolID, groupCode, ns, codes, false)
}

func (s *Store) changeGroupRoles(ctx context.Context, poolID, groupCode, ns string, asked []string, add bool) (*model.Group, error) {
	codes, err := model.ValidCodes("roles", asked)
	if err != nil {
		return nil, err
	}
	var g *model.Group
	err = s.write(ctx, func(tx *gorm.DB) error {
		if g, err = groupKind.byCode(tx, poolID, "", groupCode, "code"); err != nil {
			return err
		}
		roles, err := roleKind.byCodes(tx, poolID, ns, codes, asked, "roles")
		if err != nil {
			return err
		}
		changed, err := groupRoles.change(tx, poolID, roleKind.ids(roles), []string{g.ID}, s.now(), add)
		if err != nil {
			return err
		}
		byID := make(map[string]*model.Role, len(roles))
		for _, r := range roles {
			byID[r.ID] = r
		}
		for _, j := range changed {
			c := model.Change{Field: "roles"}
			if label := roleKind.label(byID[j.ParentID]); add {
				c.After = label
			} else {
				c.Before = label
			}
			recordChanges(tx, poolID, model.AuditGroup, g.ID, c)
		}
		return nil
	})
	return g, err
}

// RolesByGroupIDs returns each group's roles (every namespace), ordered by
// code, in one statement.
func (s *Store) RolesByGroupIDs(ctx context.Context, poolID string, groupIDs []string) (map[string][]*model.Role, error) {
	return ofUsers[model.Role](ctx, s.db.r, groupRoles, poolID, groupIDs)
}

// HeldRolesByUserIDs returns the roles each user holds, directly or
// through its groups and their ancestors (every namespace, ordered by
// code), saying how — the group that has the role — in one statement for
// any number of users, reading the role columns cols (model.RoleColumns;
// every column when none are given). A pool that gives no roles through
// groups skips the walk of its users' groups (one index seek says so):
// it was a third of the statement.
func (s *Store) HeldRolesByUserIDs(ctx context.Context, poolID string, userIDs []string, cols ...string) (map[string][]*model.HeldRole, error) {
	out := make(map[string][]*model.HeldRole, len(userIDs))
	held := map[[2]string]*model.HeldRole{}
	var member string
	var via *string
	n := 0
	err := query.Rows(s.read(ctx).Raw(`SELECT `+selectList("r", cols)+`, x.user_id AS member_user_id, x.via_group FROM (
			SELECT m.role_id, m.user_id, NULL AS via_group FROM role_members m WHERE m.pool_id = ? AND m.user_id IN ?
			UNION ALL SELECT gr.role_id, gm.user_id, g.code FROM group_members gm
				JOIN group_closures c ON c.descendant_id = gm.group_id JOIN group_roles gr ON gr.group_id = c.ancestor_id
				JOIN groups g ON g.id = c.ancestor_id
				WHERE EXISTS (SELECT 1 FROM group_roles WHERE pool_id = ?) AND gm.pool_id = ? AND gm.user_id IN ?
		) x JOIN roles r ON r.id = x.role_id ORDER BY r.code, r.id, x.via_group`, poolID, userIDs, poolID, poolID, userIDs),
		func(*model.Role) []any { return []any{&member, &via} },
		func(r *model.Role) {
			n++
			k := [2]string{member, r.ID}
			h := held[k]
			if h == nil {
				h = &model.HeldRole{Role: r, Groups: []string{}}
				held[k] = h
				out[member] = append(out[member], h)
			}
			switch {
			case via == nil:
				h.Direct = true
			case !slices.Contains(h.Groups, *via): // met through two groups under it
				h.Groups = append(h.Groups, *via)
			}
		})
	if err != nil {
		return nil, translate(err)
	}
	if err := query.Charge(ctx, n); err != nil {
		return nil, err
	}
	for _, h := range held {
		slices.Sort(h.Groups) // the engines sort NULLs apart differently
	}
	return out, nil
}
