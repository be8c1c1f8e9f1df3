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

// Who may do what, asked the other way round: which users a permission
// reaches (usersWhoCan, the users filter's can), by the same four ways
// reachedGrants follows from a user — a grant to the user, to one of its
// roles, to one of its groups or a group above it, and to a role such a
// group has — walked from the grants instead, so the database answers it
// with the users filter's sets, sorts and cursors, and nothing loads every
// holder into memory.

// access is a permission resolved against the pool: the grants that
// answer it are those on resourceID whose code is one of codes and whose
// actions contain one of actions (each quoted as the JSON array stores
// it, so a substring test finds exactly one element).
type access struct {
	resourceID string
	codes      []string
	actions    []string
	// roles are the roles granted it (R); groups every group whose
	// members are allowed (G: the groups granted it, or having a role of
	// R, and every group under those). Both small, read once.
	roles, groups []string
}

// resolveAccess finds the resource a permission names (field prefixes the
// error's field): NOT_FOUND on namespace or resource when there is none.
// One statement; a caller that needs the roles and groups it is granted
// to reads them with holders.
func resolveAccess(r *gorm.DB, eng engine, poolID string, p *model.Permission, field string) (access, error) {
	if err := p.Validate(field); err != nil {
		return access{}, err
	}
	base, _, _ := strings.Cut(p.Resource, ":")
	ns := p.NamespaceCode()
	var row struct {
		NamespaceID string
		ResourceID  *string
	}
	err := r.Raw(`SELECT n.id AS namespace_id, r.id AS resource_id FROM namespaces n
		LEFT JOIN resources r ON r.pool_id = n.pool_id AND r.namespace_id = n.id AND r.code = ?
		WHERE n.pool_id = ? AND n.code = ?`, base, poolID, ns).Scan(&row).Error
	switch {
	case err != nil:
		return access{}, translate(err)
	case row.NamespaceID == "":
		return access{}, model.NotFoundOf("namespace", prefixed(field, "namespace"), "no namespace %q in this user pool", ns)
	case row.ResourceID == nil:
		return access{}, model.NotFoundOf("resource", prefixed(field, "resource"), "no resource %q in namespace %q", base, ns)
	}
	a := access{resourceID: *row.ResourceID, codes: model.CoveringResources(p.Resource)}
	for _, x := range model.CoveringActions(p.Action) {
		a.actions = append(a.actions, `"`+x+`"`)
	}
	return a, nil
}

// holders reads a's roles and groups, in one statement.
func (a *access) holders(r *gorm.DB, eng engine) error {
	all, args := a.grants(eng, "")
	var rows []struct{ Kind, ID string }
	err := r.Raw(`WITH granted AS MATERIALIZED (SELECT g.role_id, g.group_id FROM grants g WHERE `+all+`)
		SELECT 'r' AS kind, role_id AS id FROM granted WHERE role_id IS NOT NULL
		UNION SELECT 'g', c.descendant_id FROM group_closures c WHERE c.ancestor_id IN (SELECT group_id FROM granted WHERE group_id IS NOT NULL)
			OR c.ancestor_id IN (SELECT gro.group_id FROM group_roles gro WHERE gro.role_id IN (SELECT role_id FROM granted WHERE role_id IS NOT NULL))`,
		args...).Scan(&rows).Error
	if err != nil {
		return translate(err)
	}
	for _, x := range rows {
		if x.Kind == "r" {
			a.roles = append(a.roles, x.ID)
		} else {
			a.groups = append(a.groups, x.ID)
		}
	}
	return nil
}

func prefixed(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

// grants is the condition on grants g that they answer a: served by
// ux_grants (resource_id, resource_code, target_key), and with target,
// the grants to that target key only ('USER:' || users.id, say).
func (a access) grants(eng engine, target string) (string, []any) {
	return a.grantsAs(eng, "g", target)
}

// grantsAs is grants on the grants table aliased t.
func (a access) grantsAs(eng engine, t, target string) (string, []any) {
	var acts []string
	args := []any{a.resourceID, a.codes}
	for _, x := range a.actions {
		acts = append(acts, eng.Contains(t+".actions", "?"))
		args = append(args, x)
	}
	sql := t + ".resource_id = ? AND " + t + ".resource_code IN ? AND (" + strings.Join(acts, " OR ") + ")"
	if target != "" {
		sql += " AND " + t + ".target_key = " + target
	}
	return sql, args
}

// set is the users a reaches, as a set of the users filter: the members
// of its groups (G), the members of its roles (R) and those granted it
// directly. Testing a user is up to three index seeks from the user (its
// groups, its roles, each checked against G or R; its direct grant);
// listing them is a UNION ALL of three index ranges, each user once, so
// the list streams: counting to a bound stops there, where a UNION would
// first sort every holder (100,000 for a large group). A way with nothing
// in it (no role granted, say) is left out.
func (a access) set(eng engine, sub func() *gorm.DB) query.IDSet {
	all, args := a.grants(eng, "")
	// Each way's users, each once (at its first role or group), with
	// the users an earlier way listed left out: groups first (usually
	// the most users, streamed with one seek each), then roles, then
	// direct grants.
	inGroups := func(user string) (string, []any) {
		return `EXISTS (SELECT 1 FROM ` + eng.Indexed("group_members", "m2", "ix_group_members_user") + ` WHERE m2.user_id = ` + user +
			` AND m2.group_id IN ?` + eng.PerRow() + `)`, []any{nonEmpty(a.groups)}
	}
	inRoles := func(user string) (string, []any) {
		return `EXISTS (SELECT 1 FROM ` + eng.Indexed("role_members", "r2", "ix_role_members_user") + ` WHERE r2.user_id = ` + user +
			` AND r2.role_id IN ?` + eng.PerRow() + `)`, []any{nonEmpty(a.roles)}
	}
	return query.IDSet{
		Build: func() *gorm.DB {
			var parts []string
			var qargs []any
			// A user in one group (or role) only needs no check of the others.
			if len(a.groups) > 0 {
				part := `SELECT m.user_id FROM group_members m WHERE m.group_id IN ?`
				qargs = append(qargs, a.groups)
				if len(a.groups) > 1 {
					part += ` AND NOT EXISTS (SELECT 1 FROM ` + eng.Indexed("group_members", "m2", "ix_group_members_user") +
						` WHERE m2.user_id = m.user_id AND m2.group_id IN ? AND m2.group_id < m.group_id` + eng.PerRow() + `)`
					qargs = append(qargs, a.groups)
				}
				parts = append(parts, part)
			}
			if len(a.roles) > 0 {
				part := `SELECT m.user_id FROM role_members m WHERE m.role_id IN ?`
				qargs = append(qargs, a.roles)
				if len(a.roles) > 1 {
					part += ` AND NOT EXISTS (SELECT 1 FROM ` + eng.Indexed("role_members", "r2", "ix_role_members_user") +
						` WHERE r2.user_id = m.user_id AND r2.role_id IN ? AND r2.role_id < m.role_id` + eng.PerRow() + `)`
					qargs = append(qargs, a.roles)
				}
				groups, gargs := inGroups("m.user_id")
				parts = append(parts, part+` AND NOT `+groups)
				qargs = append(qargs, gargs...)
			}
			first, firstArgs := a.grantsAs(eng, "g2", "g.target_key")
			groups, gargs := inGroups("g.user_id")
			roles, rargs := inRoles("g.user_id")
			parts = append(parts, `SELECT g.user_id FROM grants g WHERE `+all+` AND g.user_id IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM grants g2 WHERE `+first+` AND g2.id < g.id`+eng.PerRow()+`) AND NOT `+groups+` AND NOT `+roles)
			qargs = slices.Concat(qargs, args, firstArgs, gargs, rargs)
			return sub().Table("("+strings.Join(parts, " UNION ALL ")+") AS can", qargs...).Select("can.user_id")
		},
		Col: "can.user_id",
		Test: func() (string, []any) {
			// The likeliest way first: OR stops at the first that holds.
			var conds []string
			var targs []any
			if len(a.groups) > 0 {
				c, ca := inGroups("users.id")
				conds, targs = append(conds, c), append(targs, ca...)
			}
			if len(a.roles) > 0 {
				c, ca := inRoles("users.id")
				conds, targs = append(conds, c), append(targs, ca...)
			}
			own, oargs := a.grants(eng, "'USER:' || users.id")
			conds, targs = append(conds, `EXISTS (SELECT 1 FROM grants g WHERE `+own+eng.PerRow()+`)`), append(targs, oargs...)
			return "(" + strings.Join(conds, " OR ") + ")", targs
		},
	}
}

// nonEmpty is ids, or a list no id matches: IN needs an element.
func nonEmpty(ids []string) []string {
	if len(ids) == 0 {
		return []string{""}
	}
	return ids
}

// AccessVia says, for each of some users, every way a permission reaches
// it (model.GrantSource, with the actions of that grant): one statement
// for resolving the permission, one for the grants, whatever the number
// of users. Users it does not reach are absent.
func (s *Store) AccessVia(ctx context.Context, poolID string, p *model.Permission, userIDs []string) (map[string][]*model.GrantSource, error) {
	if len(userIDs) == 0 {
		return map[string][]*model.GrantSource{}, nil
	}
	r := s.read(ctx)
	a, err := resolveAccess(r, s.db.eng, poolID, p, "")
	if err != nil {
		return nil, err
	}
	only := r.Session(&gorm.Session{NewDB: true}).Table("resources").Select("id").Where("id = ?", a.resourceID)
	reached, err := reachedGrants(ctx, s.db.r, poolID, model.TargetUser, userIDs, only)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]*model.GrantSource, len(reached))
	for user, rgs := range reached {
		for _, rg := range rgs {
			if !model.ResourceCovers(rg.Grant.ResourceCode, p.Resource) || !model.ActionsCover(rg.Grant.Actions, p.Action) {
				continue
			}
			src := rg.Source
			src.Actions = rg.Grant.Actions
			out[user] = append(out[user], &src)
		}
	}
	return out, nil
}

// MemberPair is one (group or role, user) pair of a member page, to ask how.
type MemberPair struct{ ParentID, UserID string }

// RoleMembersVia says how each user holds each role, for the pairs of a
// page of role holders: directly, and through which groups (the group it
// was added to, and the one above it, or itself, that has the role). One
// statement for every pair.
func (s *Store) RoleMembersVia(ctx context.Context, poolID string, pairs []MemberPair) (map[MemberPair]*model.Member, error) {
	roles, users := splitPairs(pairs)
	type row struct {
		ParentID, UserID string
		Group, RoleGroup *string
	}
	var rows []row
	err := s.read(ctx).Raw(`SELECT m.role_id AS parent_id, m.user_id, NULL AS "group", NULL AS role_group FROM role_members m
			WHERE m.pool_id = ? AND m.role_id IN ? AND m.user_id IN ?
		UNION ALL SELECT gro.role_id, gm.user_id, mg.code, rg.code FROM group_roles gro
			JOIN group_closures c ON c.ancestor_id = gro.group_id JOIN group_members gm ON gm.group_id = c.descendant_id
			JOIN groups mg ON mg.id = gm.group_id JOIN groups rg ON rg.id = gro.group_id
			WHERE gro.pool_id = ? AND gro.role_id IN ? AND gm.user_id IN ?
		ORDER BY 1, 2, 3, 4`, poolID, roles, users, poolID, roles, users).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[MemberPair]*model.Member, len(pairs))
	for _, r := range rows {
		m := memberOf(out, MemberPair{r.ParentID, r.UserID})
		if r.Group == nil {
			m.Direct = true
		} else if len(m.Via) < model.MaxNestedList {
			m.Via = append(m.Via, &model.MembershipVia{Group: *r.Group, RoleGroup: r.RoleGroup})
		}
	}
	return out, query.Charge(ctx, len(rows))
}

// GroupMembersVia says how each user is a member of each group, for the
// pairs of a page of group members: directly, and through which groups
// under it. One statement for every pair.
func (s *Store) GroupMembersVia(ctx context.Context, poolID string, pairs []MemberPair) (map[MemberPair]*model.Member, error) {
	groups, users := splitPairs(pairs)
	type row struct {
		ParentID, UserID, Group string
		Depth                   int
	}
	var rows []row
	err := s.read(ctx).Raw(`SELECT c.ancestor_id AS parent_id, gm.user_id, mg.code AS "group", c.depth FROM group_closures c
		JOIN group_members gm ON gm.group_id = c.descendant_id JOIN groups mg ON mg.id = gm.group_id
		WHERE c.pool_id = ? AND c.ancestor_id IN ? AND gm.user_id IN ? ORDER BY 1, 2, 3`, poolID, groups, users).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[MemberPair]*model.Member, len(pairs))
	for _, r := range rows {
		m := memberOf(out, MemberPair{r.ParentID, r.UserID})
		if r.Depth == 0 {
			m.Direct = true
		} else if len(m.Via) < model.MaxNestedList {
			m.Via = append(m.Via, &model.MembershipVia{Group: r.Group})
		}
	}
	return out, query.Charge(ctx, len(rows))
}

func memberOf(out map[MemberPair]*model.Member, k MemberPair) *model.Member {
	m := out[k]
	if m == nil {
		m = &model.Member{Via: []*model.MembershipVia{}}
		out[k] = m
	}
	return m
}

// splitPairs is the distinct parent and user ids of pairs, for IN lists:
// a page repeats its parent's id once per member.
func splitPairs(pairs []MemberPair) (parents, users []string) {
	seenP, seenU := map[string]bool{}, map[string]bool{}
	for _, p := range pairs {
		if !seenP[p.ParentID] {
			seenP[p.ParentID] = true
			parents = append(parents, p.ParentID)
		}
		if !seenU[p.UserID] {
			seenU[p.UserID] = true
			users = append(users, p.UserID)
		}
	}
	return parents, users
}

// GrantsOnResources returns a page of each resource's grants (on it, its
// instances and code:*), oldest first, with each resource's grant count,
// the roles and groups they name read whole: four statements for any
// number of resources (counts, the pages, their roles, their groups).
func (s *Store) GrantsOnResources(ctx context.Context, poolID string, resourceIDs []string, p model.Page) (map[string][]*model.ResourceGrant, map[string]int, error) {
	r := s.read(ctx)
	var counts []parentCount
	if err := r.Raw(`SELECT resource_id AS parent_id, COUNT(*) AS n FROM grants WHERE pool_id = ? AND resource_id IN ? GROUP BY resource_id`,
		poolID, resourceIDs).Scan(&counts).Error; err != nil {
		return nil, nil, translate(err)
	}
	var parts []string
	var args []any
	total := make(map[string]int, len(counts))
	for _, c := range counts {
		total[c.ParentID] = c.N
		if c.N > p.Offset() {
			parts = append(parts, fmt.Sprintf(`SELECT * FROM (SELECT * FROM grants WHERE pool_id = ? AND resource_id = ?
				ORDER BY created_at, id LIMIT ? OFFSET ?) p%d`, len(parts)))
			args = append(args, poolID, c.ParentID, p.Limit, p.Offset())
		}
	}
	out := make(map[string][]*model.ResourceGrant, len(counts))
	if len(parts) == 0 {
		return out, total, nil
	}
	var grants []*model.Grant
	if err := r.Raw(strings.Join(parts, " UNION ALL ")+" ORDER BY resource_id, created_at, id", args...).Scan(&grants).Error; err != nil {
		return nil, nil, translate(err)
	}
	if err := query.Charge(ctx, len(grants)); err != nil {
		return nil, nil, err
	}
	var roleIDs, groupIDs []string
	for _, g := range grants {
		if g.RoleID != nil {
			roleIDs = append(roleIDs, *g.RoleID)
		}
		if g.GroupID != nil {
			groupIDs = append(groupIDs, *g.GroupID)
		}
	}
	roles, groups := map[string]*model.Role{}, map[string]*model.Group{}
	if err := byIDs(r, poolID, roleIDs, roles, func(x *model.Role) string { return x.ID }); err != nil {
		return nil, nil, err
	}
	if err := byIDs(r, poolID, groupIDs, groups, func(x *model.Group) string { return x.ID }); err != nil {
		return nil, nil, err
	}
	for _, g := range grants {
		rg := &model.ResourceGrant{ResourceID: g.ResourceID, Resource: g.ResourceCode, TargetType: g.TargetType, UserID: g.UserID,
			Actions: g.Actions, CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt}
		if g.RoleID != nil {
			rg.Role = roles[*g.RoleID]
		}
		if g.GroupID != nil {
			rg.Group = groups[*g.GroupID]
		}
		out[g.ResourceID] = append(out[g.ResourceID], rg)
	}
	return out, total, nil
}

// byIDs reads the pool's rows of T with these ids into out, by key: one
// statement, even for none, so a page costs the same statements whatever
// its grants name.
func byIDs[T any](r *gorm.DB, poolID string, ids []string, out map[string]*T, key func(*T) string) error {
	var rows []*T
	if err := r.Session(&gorm.Session{NewDB: true}).Where("pool_id = ? AND id IN ?", poolID, ids).Find(&rows).Error; err != nil {
		return translate(err)
	}
	for _, x := range rows {
		out[key(x)] = x
	}
	return query.Charge(r.Statement.Context, len(rows))
}

// UsersWithIDs returns the pool's users with these ids, by id, reading
// the columns cols (nil: all): one statement, even for none.
func (s *Store) UsersWithIDs(ctx context.Context, poolID string, ids []string, cols []string) (map[string]*model.User, error) {
	out := make(map[string]*model.User, len(ids))
	var rows []*model.User
	q := s.read(ctx).Where("pool_id = ? AND id IN ?", poolID, ids)
	if len(cols) > 0 {
		q = q.Select(cols)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, u := range rows {
		out[u.ID] = u
	}
	return out, query.Charge(ctx, len(rows))
}

// EffectiveGroupsByUserIDs returns each user's groups and every group
// above them (model.MembershipEffective), ordered by code: one statement.
func (s *Store) EffectiveGroupsByUserIDs(ctx context.Context, poolID string, userIDs []string, cols ...string) (map[string][]*model.Group, error) {
	out := make(map[string][]*model.Group, len(userIDs))
	var member string
	n := 0
	err := query.Rows(s.read(ctx).Raw(`SELECT `+selectList("p", cols)+`, x.user_id AS member_user_id FROM (
			SELECT DISTINCT m.user_id, c.ancestor_id FROM group_members m JOIN group_closures c ON c.descendant_id = m.group_id
			WHERE m.pool_id = ? AND m.user_id IN ?) x JOIN groups p ON p.id = x.ancestor_id ORDER BY p.code, p.id`, poolID, userIDs),
		func(*model.Group) []any { return []any{&member} },
		func(g *model.Group) { out[member] = append(out[member], g); n++ })
	if err != nil {
		return nil, translate(err)
	}
	return out, query.Charge(ctx, n)
}
