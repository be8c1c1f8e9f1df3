package db

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// The group tree: a group may have a parent (no cycles, at most
// model.MaxGroupDepth levels), and a member of a group holds the roles and
// grants of its ancestors too. group_closures holds every (ancestor,
// descendant) pair, kept in step in the transaction that creates or moves
// a group, so what a user inherits is one indexed join. User.groups and
// the group filter still mean direct membership; Group.users can include
// the members of descendants.

// placeGroup records a new group's place in the tree: itself, and below
// its parent's ancestors.
func placeGroup(tx *gorm.DB, g *model.Group) error {
	err := tx.Exec(`INSERT INTO group_closures (ancestor_id, descendant_id, pool_id, depth) VALUES (?, ?, ?, 0)`, g.ID, g.ID, g.PoolID).Error
	if err != nil || g.ParentID == nil {
		return err
	}
	return tx.Exec(`INSERT INTO group_closures (ancestor_id, descendant_id, pool_id, depth)
		SELECT ancestor_id, ?, pool_id, depth + 1 FROM group_closures WHERE descendant_id = ?`, g.ID, *g.ParentID).Error
}

// resolveParent finds the parent a GroupInput names (by code) for group g
// (nil: a root), refusing a cycle or a tree too deep; field names the
// parent argument. It returns whether the input sets the parent at all.
func resolveParent(tx *gorm.DB, g *model.Group, in model.GroupInput, field string) (parent *model.Group, set bool, err error) {
	code, set := in.Parent.ValueOK()
	if !set || code == nil {
		return nil, set, nil
	}
	if parent, err = groupKind.byCode(tx, g.PoolID, "", *code, field); err != nil {
		return nil, true, err
	}
	// A group under itself or under one of its descendants is a cycle.
	var n int64
	if err := tx.Table("group_closures").Where("ancestor_id = ? AND descendant_id = ?", g.ID, parent.ID).Count(&n).Error; err != nil {
		return nil, true, err
	}
	if n > 0 || parent.ID == g.ID {
		return nil, true, model.Invalid(field, "group %q is %q itself or below it: that would make a cycle", parent.Code, g.Code)
	}
	var depths struct{ Above, Below int }
	err = tx.Raw(`SELECT (SELECT COALESCE(MAX(depth), 0) FROM group_closures WHERE descendant_id = ?) AS above,
		(SELECT COALESCE(MAX(depth), 0) FROM group_closures WHERE ancestor_id = ?) AS below`, parent.ID, g.ID).Scan(&depths).Error
	if err != nil {
		return nil, true, err
	}
	if depths.Above+1+depths.Below > model.MaxGroupDepth {
		return nil, true, model.Invalid(field, "the group tree would be more than %d levels deep", model.MaxGroupDepth)
	}
	return parent, true, nil
}

// moveGroup moves g (with its subtree) under parent (nil: to the roots):
// the subtree's links to its old ancestors go, links to the new ones come.
func moveGroup(tx *gorm.DB, g *model.Group, parent *model.Group) error {
	err := tx.Exec(`DELETE FROM group_closures WHERE descendant_id IN (SELECT descendant_id FROM group_closures WHERE ancestor_id = ?)
		AND ancestor_id NOT IN (SELECT descendant_id FROM group_closures WHERE ancestor_id = ?)`, g.ID, g.ID).Error
	if err != nil || parent == nil {
		return err
	}
	return tx.Exec(`INSERT INTO group_closures (ancestor_id, descendant_id, pool_id, depth)
		SELECT a.ancestor_id, s.descendant_id, s.pool_id, a.depth + s.depth + 1 FROM group_closures a, group_closures s
		WHERE a.descendant_id = ? AND s.ancestor_id = ?`, parent.ID, g.ID).Error
}

// refuseParentsOfOthers refuses to delete groups that have children not
// deleted with them (INVALID_INPUT on codes.N): the children would lose
// the roles and grants they inherit without anyone deciding it. Delete or
// move the children first.
func refuseParentsOfOthers(tx *gorm.DB, poolID string, groups []*model.Group, asked []string) error {
	ids := groupKind.ids(groups)
	var parents []string
	err := tx.Model(&model.Group{}).Where("pool_id = ? AND parent_id IN ? AND id NOT IN ?", poolID, ids, ids).Distinct().Pluck("parent_id", &parents).Error
	if err != nil || len(parents) == 0 {
		return err
	}
	for i, code := range asked {
		for _, g := range groups {
			if g.Code == code && slices.Contains(parents, g.ID) {
				return model.Invalid(fmt.Sprintf("codes.%d", i), "group %q has child groups: delete or move them first", code)
			}
		}
	}
	return nil
}

// ChildrenByGroupIDs returns each group's children, by code, in one statement.
func (s *Store) ChildrenByGroupIDs(ctx context.Context, poolID string, ids []string) (map[string][]*model.Group, error) {
	var rows []*model.Group
	if err := s.read(ctx).Where("pool_id = ? AND parent_id IN ?", poolID, ids).Order("code, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	if err := query.Charge(ctx, len(rows)); err != nil {
		return nil, err
	}
	out := make(map[string][]*model.Group, len(ids))
	for _, g := range rows {
		out[*g.ParentID] = append(out[*g.ParentID], g)
	}
	return out, nil
}

// AncestorsByGroupIDs returns each group's ancestors, the root first and the
// parent last, in one statement.
func (s *Store) AncestorsByGroupIDs(ctx context.Context, poolID string, ids []string) (map[string][]*model.Group, error) {
	type row struct {
		model.Group  `gorm:"embedded"`
		DescendantID string
	}
	var rows []row
	err := s.read(ctx).Raw(`SELECT g.*, c.descendant_id FROM group_closures c JOIN groups g ON g.id = c.ancestor_id
		WHERE c.pool_id = ? AND c.descendant_id IN ? AND c.depth > 0 ORDER BY c.descendant_id, c.depth DESC`, poolID, ids).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	if err := query.Charge(ctx, len(rows)); err != nil {
		return nil, err
	}
	out := make(map[string][]*model.Group, len(ids))
	for i := range rows {
		out[rows[i].DescendantID] = append(out[rows[i].DescendantID], &rows[i].Group)
	}
	return out, nil
}

// Groups with children are not deleted (refuseParentsOfOthers); set here,
// as groupKind's initializer cannot name a function that names groupKind.
func init() { groupKind.beforeDelete = refuseParentsOfOthers }

// DeepMembersByGroupIDs is MembersByGroupIDs counting the members of each
// group's descendants too (a user in several of them once, by its first
// joining), archived users left out: two statements for any number of
// groups.
func (s *Store) DeepMembersByGroupIDs(ctx context.Context, poolID string, groupIDs []string, p model.Page, cols []string) (map[string][]*model.User, map[string]int, error) {
	var counts []parentCount
	err := s.read(ctx).Raw(`SELECT c.ancestor_id AS parent_id, COUNT(DISTINCT m.user_id) AS n FROM group_closures c
		JOIN group_members m ON m.group_id = c.descendant_id WHERE c.pool_id = ? AND c.ancestor_id IN ? AND m.user_status <> ?
		GROUP BY c.ancestor_id`, poolID, groupIDs, model.StatusArchived).Scan(&counts).Error
	if err != nil {
		return nil, nil, translate(err)
	}
	part := fmt.Sprintf(`SELECT * FROM (SELECT %s, MIN(c.ancestor_id) AS parent_id, MIN(m.created_at) AS member_since
		FROM group_closures c JOIN group_members m ON m.group_id = c.descendant_id JOIN users u ON u.id = m.user_id
		WHERE c.pool_id = ? AND c.ancestor_id = ? AND m.user_status <> ? GROUP BY u.id ORDER BY MIN(m.created_at), u.id LIMIT ? OFFSET ?) p%%d`,
		strings.Join(query.Qualified("u", cols), ", "))
	return memberPages(ctx, s.read(ctx), counts, p, part, func(id string) []any { return []any{poolID, id, model.StatusArchived, p.Limit, p.Offset()} })
}

// DeepMembersByRoleIDs is MembersByRoleIDs counting every holder of each
// role (model.MembershipEffective): its members, and the members of the
// groups that have it and of the groups under those — each user once, in
// the order it first became one — archived users left out. Two
// statements for any number of roles.
func (s *Store) DeepMembersByRoleIDs(ctx context.Context, poolID string, roleIDs []string, p model.Page, cols []string) (map[string][]*model.User, map[string]int, error) {
	const holders = `(SELECT m.role_id, m.user_id, m.created_at FROM role_members m WHERE m.pool_id = ? AND m.role_id %[1]s
		UNION ALL SELECT gro.role_id, gm.user_id, gm.created_at FROM group_roles gro JOIN group_closures c ON c.ancestor_id = gro.group_id
			JOIN group_members gm ON gm.group_id = c.descendant_id WHERE gro.pool_id = ? AND gro.role_id %[1]s) x`
	var counts []parentCount
	err := s.read(ctx).Raw(`SELECT x.role_id AS parent_id, COUNT(DISTINCT x.user_id) AS n FROM `+fmt.Sprintf(holders, "IN ?")+`
		JOIN users u ON u.id = x.user_id WHERE u.status <> ? GROUP BY x.role_id`, poolID, roleIDs, poolID, roleIDs, model.StatusArchived).Scan(&counts).Error
	if err != nil {
		return nil, nil, translate(err)
	}
	part := fmt.Sprintf(`SELECT * FROM (SELECT %s, MIN(x.role_id) AS parent_id, MIN(x.created_at) AS member_since FROM `+fmt.Sprintf(holders, "= ?")+`
		JOIN users u ON u.id = x.user_id WHERE u.status <> ? GROUP BY u.id ORDER BY MIN(x.created_at), u.id LIMIT ? OFFSET ?) p%%d`,
		strings.Join(query.Qualified("u", cols), ", "))
	return memberPages(ctx, s.read(ctx), counts, p, part, func(id string) []any {
		return []any{poolID, id, poolID, id, model.StatusArchived, p.Limit, p.Offset()}
	})
}
