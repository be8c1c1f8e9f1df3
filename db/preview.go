package db

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// A preview of an access change says, without writing, which users would
// gain and which would lose which actions on which resources.
//
// The change is first checked as its mutation checks it (the same
// functions: checkGrantChange, byCodes, requireUsers, resolveParent), then
// described as effects: a set of users (a subquery) who gain, or lose, a
// set of pairs through one way. A pair is an action on a resource code as
// granted — what authorizedResources merges per entry — so the preview is
// the difference of authorizedResources before and after the change.
//
// A user of a gaining effect gains the pairs it does not hold already by
// another way; a user of a losing effect loses the pairs it holds and
// would no longer hold once the change is made. The database answers both
// for every affected user, so a change reaching 100,000 users is counted
// where they are stored: first, who the pairs' grants go to — the roles,
// and every group whose members hold them — small tables read once; then
// each affected user is streamed and tested from the user, as
// reachedGrants follows the four ways (its own grant of each pair, its
// roles, its groups): before the change, and through the tables as the
// change would leave them — without the rows it removes (a grant's
// actions, a role or group membership, a group's role, the tree's links
// above a moved group). A count to the bound stops there; the first page
// walks the pool's users by id. Only a move both gains and loses; what
// its new ancestors bring counts as held after, so a pair brought both by
// an old and a new ancestor is neither.

// accessPair is one action on one resource code as granted.
type accessPair struct {
	resourceID, namespace, code, action string
	typ                                 model.ResourceType
}

// effect is users who gain (or lose) pairs through one way.
type effect struct {
	// users are the effect's users, archived users left out: Build
	// streams their ids (as user_id, each once), Test tests a row of
	// users.
	users query.IDSet
	// few says users are named by id (at most model.MaxBatch): their page
	// sorts them, where a large set's page walks the users by id.
	few   bool
	pairs []int // the pairs, by index in the plan
	via   map[int][]model.GrantSource
}

// edges names rows of a membership table the change removes: every pair
// of one of a and one of b.
type edges struct{ a, b any }

// accessPlan is a change described as effects on pairs.
type accessPlan struct {
	eng           engine
	sub           func() *gorm.DB // a fresh query on the reader
	poolID        string
	pairs         []accessPair
	index         map[accessPair]int
	gains, losses []*effect
	// What the change removes, for "held after": "<grant id>:<pair>"
	// for a revoke's actions, and membership rows.
	grantActions                          []string
	roleMembers, groupMembers, groupRoles *edges
	closure                               *edges // ancestors × the moved subtree
	gainedAfter                           map[int]bool
}

func newAccessPlan(eng engine, sub func() *gorm.DB, poolID string) *accessPlan {
	return &accessPlan{eng: eng, sub: sub, poolID: poolID, index: map[accessPair]int{}}
}

// pair returns p's index, adding it.
func (pl *accessPlan) pair(p accessPair) int {
	if k, ok := pl.index[p]; ok {
		return k
	}
	pl.pairs = append(pl.pairs, p)
	pl.index[p] = len(pl.pairs) - 1
	return len(pl.pairs) - 1
}

// add puts grant g's actions into e, reached the way src says.
func (pl *accessPlan) add(e *effect, g *model.Grant, actions []string, src model.GrantSource) {
	if e.via == nil {
		e.via = map[int][]model.GrantSource{}
	}
	src.Actions = actions
	for _, a := range actions {
		k := pl.pair(accessPair{g.ResourceID, g.Namespace, g.ResourceCode, a, g.ResourceType})
		if !slices.Contains(e.pairs, k) {
			e.pairs = append(e.pairs, k)
		}
		e.via[k] = append(e.via[k], src)
	}
}

// viaGrant is a grant loaded with the way it reaches the changed object.
type viaGrant struct {
	model.Grant   `gorm:"embedded"`
	RoleCode      *string
	RoleNamespace *string
	GroupCode     *string
}

// source is how g reaches a user through the changed object; viaGroup
// is the group through which a role's grant comes, if any.
func (g *viaGrant) source(viaGroup *string) model.GrantSource {
	if g.RoleID != nil {
		return model.GrantSource{TargetType: model.TargetRole, Code: deref(g.RoleCode), RoleNamespace: g.RoleNamespace, ViaGroup: viaGroup}
	}
	return model.GrantSource{TargetType: model.TargetGroup, Code: deref(g.GroupCode)}
}

// roleGrants loads the grants to some roles.
func roleGrants(r *gorm.DB, poolID string, roleIDs any) ([]*viaGrant, error) {
	var out []*viaGrant
	err := r.Raw(`SELECT g.*, r.code AS role_code, r.namespace AS role_namespace FROM grants g JOIN roles r ON r.id = g.role_id
		WHERE g.pool_id = ? AND g.role_id IN ? ORDER BY g.id`, poolID, roleIDs).Scan(&out).Error
	return out, translate(err)
}

// groupGrants loads the grants that members of some groups hold through
// them: to the groups, and to the roles the groups have (GroupCode then
// names the group that has the role).
func groupGrants(r *gorm.DB, poolID string, groupIDs func() any) ([]*viaGrant, error) {
	var out []*viaGrant
	err := r.Raw(`SELECT g.*, NULL AS role_code, NULL AS role_namespace, gr.code AS group_code FROM grants g JOIN groups gr ON gr.id = g.group_id
			WHERE g.pool_id = ? AND g.group_id IN (?)
		UNION ALL SELECT g.*, r.code, r.namespace, gr.code FROM group_roles gro JOIN grants g ON g.role_id = gro.role_id
			JOIN roles r ON r.id = gro.role_id JOIN groups gr ON gr.id = gro.group_id WHERE gro.pool_id = ? AND gro.group_id IN (?)`,
		poolID, groupIDs(), poolID, groupIDs()).Scan(&out).Error
	return out, translate(err)
}

// addThroughGroups puts grants loaded by groupGrants into e.
func (pl *accessPlan) addThroughGroups(e *effect, grants []*viaGrant) {
	for _, g := range grants {
		if g.RoleID != nil {
			pl.add(e, &g.Grant, g.Actions, g.source(g.GroupCode))
		} else {
			pl.add(e, &g.Grant, g.Actions, g.source(nil))
		}
	}
}

// The users of an effect, archived users left out.

// usersByID are users named by id.
func (pl *accessPlan) usersByID(ids []string) *effect {
	return &effect{few: true, users: query.IDSet{
		Build: func() *gorm.DB {
			return pl.sub().Table("users").Select("id AS user_id").Where("pool_id = ? AND id IN ? AND status <> ?", pl.poolID, ids, model.StatusArchived)
		},
		Test: func() (string, []any) { return "users.id IN ?", []any{ids} },
	}}
}

// groupMembersOf are the members of a group and of the groups under it.
func (pl *accessPlan) groupMembersOf(groupID string) *effect {
	under := func() *gorm.DB {
		return pl.sub().Table("group_closures").Select("descendant_id").Where("ancestor_id = ?", groupID)
	}
	return &effect{users: query.IDSet{
		Build: func() *gorm.DB {
			return membersOnce(pl.sub, pl.eng, under).Where("m.user_status <> ?", model.StatusArchived)
		},
		Test: func() (string, []any) {
			return "EXISTS (SELECT 1 FROM " + pl.eng.Indexed("group_members", "m", "ix_group_members_user") +
				" WHERE m.user_id = users.id AND m.group_id IN (?)" + pl.eng.PerRow() + ")", []any{under()}
		},
	}}
}

// roleHoldersOf are a role's holders: its members, and the members of
// the groups that have it and of the groups under those.
func (pl *accessPlan) roleHoldersOf(roleID string) *effect {
	groups := func() *gorm.DB {
		return pl.sub().Table("group_roles gro").Select("c.descendant_id").
			Joins("JOIN group_closures c ON c.ancestor_id = gro.group_id").Where("gro.role_id = ?", roleID)
	}
	return &effect{users: query.IDSet{
		Build: func() *gorm.DB {
			direct := pl.sub().Table("role_members rm").Select("rm.user_id").Joins("JOIN users u ON u.id = rm.user_id").
				Where("rm.role_id = ? AND u.status <> ?", roleID, model.StatusArchived)
			viaGroups := membersOnce(pl.sub, pl.eng, groups).Where("m.user_status <> ?", model.StatusArchived).
				Where("NOT EXISTS (SELECT 1 FROM role_members rm WHERE rm.role_id = ? AND rm.user_id = m.user_id)", roleID)
			return pl.sub().Table("(? UNION ALL ?) AS h", direct, viaGroups).Select("h.user_id")
		},
		Test: func() (string, []any) {
			return "(EXISTS (SELECT 1 FROM role_members rm WHERE rm.role_id = ? AND rm.user_id = users.id" + pl.eng.PerRow() + ") OR EXISTS (SELECT 1 FROM " +
					pl.eng.Indexed("group_members", "m", "ix_group_members_user") + " WHERE m.user_id = users.id AND m.group_id IN (?)" + pl.eng.PerRow() + "))",
				[]any{roleID, groups()}
		},
	}}
}

// PreviewAccessChange answers previewAccessChange: the users who would
// gain and who would lose actions, the first n of each (by id) with what
// and how, and their counts (to p.CountStop(), when bounded). Nothing is
// written. Errors are the change's mutation's, on "change.<kind>.<field>".
func (s *Store) PreviewAccessChange(ctx context.Context, poolID string, c *model.AccessChange, n int, p model.Page) (*model.AccessPreview, error) {
	kind, err := c.Kind("change")
	if err != nil {
		return nil, err
	}
	if n < 1 || n > model.MaxLimit {
		return nil, model.Invalid("first", "must be between 1 and %d", model.MaxLimit)
	}
	r := s.read(ctx)
	sub := func() *gorm.DB { return r.Session(&gorm.Session{NewDB: true}) }
	pl, err := planChange(r, newAccessPlan(s.db.eng, sub, poolID), c)
	if err != nil {
		if me, ok := model.AsError(err); ok {
			return nil, model.WithField(err, prefixed("change."+kind, me.Field))
		}
		return nil, err
	}
	out := &model.AccessPreview{Gained: model.AccessDiffPage{TotalCountExact: true, List: []*model.AccessDiff{}},
		Lost: model.AccessDiffPage{TotalCountExact: true, List: []*model.AccessDiff{}}}
	if len(pl.pairs) == 0 {
		return out, nil
	}
	return out, pl.answer(ctx, r, n, p, out)
}

// planChange checks a change and describes it as effects.
func planChange(r *gorm.DB, pl *accessPlan, c *model.AccessChange) (*accessPlan, error) {
	sub, poolID := pl.sub, pl.poolID
	switch {
	case c.Authorize != nil || c.Revoke != nil:
		gc, grant := c.Authorize, true
		if gc == nil {
			gc, grant = c.Revoke, false
		}
		return pl, pl.planGrants(r, gc, grant)
	case c.AddRoles != nil || c.RemoveRoles != nil:
		rc, add := c.AddRoles, true
		if rc == nil {
			rc, add = c.RemoveRoles, false
		}
		codes, err := model.ValidCodes("roles", rc.Roles)
		if err != nil {
			return nil, err
		}
		ids, err := model.ValidIDs("userIds", rc.UserIDs)
		if err != nil {
			return nil, err
		}
		roles, err := roleKind.byCodes(r, poolID, deref(rc.Namespace), codes, rc.Roles, "roles")
		if err != nil {
			return nil, err
		}
		if err := requireUsers(r, poolID, rc.UserIDs, "userIds"); err != nil {
			return nil, err
		}
		grants, err := roleGrants(r, poolID, roleKind.ids(roles))
		if err != nil {
			return nil, err
		}
		e := pl.usersByID(ids)
		for _, g := range grants {
			pl.add(e, &g.Grant, g.Actions, g.source(nil))
		}
		pl.put(e, add)
		if !add {
			pl.roleMembers = &edges{roleKind.ids(roles), ids}
		}
	case c.AddGroupMembers != nil || c.RemoveGroupMembers != nil:
		mc, add := c.AddGroupMembers, true
		if mc == nil {
			mc, add = c.RemoveGroupMembers, false
		}
		ids, err := model.ValidIDs("userIds", mc.UserIDs)
		if err != nil {
			return nil, err
		}
		g, err := groupKind.byCode(r, poolID, "", mc.Group, "group")
		if err != nil {
			return nil, err
		}
		if err := requireUsers(r, poolID, mc.UserIDs, "userIds"); err != nil {
			return nil, err
		}
		grants, err := groupGrants(r, poolID, func() any {
			return sub().Table("group_closures").Select("ancestor_id").Where("descendant_id = ?", g.ID)
		})
		if err != nil {
			return nil, err
		}
		e := pl.usersByID(ids)
		pl.addThroughGroups(e, grants)
		pl.put(e, add)
		if !add {
			pl.groupMembers = &edges{[]string{g.ID}, ids}
		}
	case c.AddGroupRoles != nil || c.RemoveGroupRoles != nil:
		gc, add := c.AddGroupRoles, true
		if gc == nil {
			gc, add = c.RemoveGroupRoles, false
		}
		codes, err := model.ValidCodes("roles", gc.Roles)
		if err != nil {
			return nil, err
		}
		g, err := groupKind.byCode(r, poolID, "", gc.Group, "group")
		if err != nil {
			return nil, err
		}
		roles, err := roleKind.byCodes(r, poolID, deref(gc.Namespace), codes, gc.Roles, "roles")
		if err != nil {
			return nil, err
		}
		grants, err := roleGrants(r, poolID, roleKind.ids(roles))
		if err != nil {
			return nil, err
		}
		e := pl.groupMembersOf(g.ID)
		for _, rg := range grants {
			pl.add(e, &rg.Grant, rg.Actions, rg.source(&g.Code))
		}
		pl.put(e, add)
		if !add {
			pl.groupRoles = &edges{[]string{g.ID}, roleKind.ids(roles)}
		}
	case c.MoveGroup != nil:
		return pl, pl.planMove(r, c.MoveGroup)
	}
	return pl, nil
}

// put files e as a gain or a loss.
func (pl *accessPlan) put(e *effect, gain bool) {
	if gain {
		pl.gains = append(pl.gains, e)
	} else {
		pl.losses = append(pl.losses, e)
	}
}

// planGrants describes a grant (or revoke): each target's users gain (or
// lose) the actions on the resource code, through that target.
func (pl *accessPlan) planGrants(r *gorm.DB, gc *model.GrantChange, grant bool) error {
	poolID := pl.poolID
	if err := checkGrantShape(gc.Resource, gc.Opts); err != nil {
		return err
	}
	c, err := checkGrantChange(r, poolID, gc.Namespace, gc.Resource, gc.ResourceType, gc.Opts)
	if err != nil {
		return err
	}
	existing := map[string]*model.Grant{}
	if !grant {
		keys := make([]string, len(c.targets))
		for i, t := range c.targets {
			keys[i] = t.grant.TargetKey
		}
		var found []*model.Grant
		if err := r.Where("resource_id = ? AND resource_code = ? AND target_key IN ?", c.resource.ID, gc.Resource, keys).Find(&found).Error; err != nil {
			return translate(err)
		}
		for _, g := range found {
			existing[g.TargetKey] = g
		}
	}
	// The users targeted directly with the same actions are one effect.
	type userTargets struct {
		e   *effect
		ids []string
	}
	byActions := map[string]*userTargets{}
	for i, t := range c.targets {
		g, actions := t.grant, t.actions
		if !grant {
			cur := existing[g.TargetKey]
			if cur == nil {
				continue // revoking what was never granted changes nothing
			}
			actions = slices.DeleteFunc(slices.Clone(actions), func(a string) bool { return !slices.Contains(cur.Actions, a) })
			g = cur
		}
		if len(actions) == 0 {
			continue
		}
		src := model.GrantSource{TargetType: g.TargetType, Code: gc.Opts[i].TargetIdentifier}
		var e *effect
		switch {
		case g.UserID != nil:
			key := strings.Join(actions, "\x00")
			ut := byActions[key]
			if ut == nil {
				ut = &userTargets{e: &effect{few: true}}
				byActions[key] = ut
				pl.put(ut.e, grant)
			}
			ut.ids = append(ut.ids, *g.UserID)
			e = ut.e
		case g.RoleID != nil:
			src.RoleNamespace = &c.resource.Namespace
			e = pl.roleHoldersOf(*g.RoleID)
			pl.put(e, grant)
		default:
			e = pl.groupMembersOf(*g.GroupID)
			pl.put(e, grant)
		}
		pl.add(e, g, actions, src)
		if !grant {
			for _, a := range actions {
				k := pl.index[accessPair{g.ResourceID, g.Namespace, g.ResourceCode, a, g.ResourceType}]
				pl.grantActions = append(pl.grantActions, g.ID+":"+strconv.Itoa(k))
			}
		}
	}
	for _, ut := range byActions {
		ut.e.users = pl.usersByID(ut.ids).users
	}
	return nil
}

// planMove describes a move: the moved subtree's members lose what the
// ancestors it leaves bring and gain what the new ones bring.
func (pl *accessPlan) planMove(r *gorm.DB, m *model.GroupMove) error {
	sub, poolID := pl.sub, pl.poolID
	g, err := groupKind.byCode(r, poolID, "", m.Group, "group")
	if err != nil {
		return err
	}
	parent, _, err := resolveParent(r, g, model.GroupInput{Parent: graphql.OmittableOf(m.Parent)}, "parent")
	if err != nil {
		return err
	}
	var above []struct {
		DescendantID, AncestorID string
	}
	ids := []string{g.ID}
	if parent != nil {
		ids = append(ids, parent.ID)
	}
	if err := r.Raw(`SELECT descendant_id, ancestor_id FROM group_closures WHERE descendant_id IN ?`, ids).Scan(&above).Error; err != nil {
		return translate(err)
	}
	var old, next []string
	for _, a := range above {
		switch {
		case a.DescendantID == g.ID && a.AncestorID != g.ID:
			old = append(old, a.AncestorID)
		case parent != nil && a.DescendantID == parent.ID:
			next = append(next, a.AncestorID)
		}
	}
	leaving := slices.DeleteFunc(slices.Clone(old), func(id string) bool { return slices.Contains(next, id) })
	joining := slices.DeleteFunc(slices.Clone(next), func(id string) bool { return slices.Contains(old, id) })
	gain, loss := pl.groupMembersOf(g.ID), pl.groupMembersOf(g.ID)
	for _, side := range []struct {
		groups []string
		e      *effect
	}{{joining, gain}, {leaving, loss}} {
		if len(side.groups) == 0 {
			continue
		}
		grants, err := groupGrants(r, poolID, func() any { return side.groups })
		if err != nil {
			return err
		}
		pl.addThroughGroups(side.e, grants)
	}
	pl.put(gain, true)
	pl.put(loss, false)
	pl.gainedAfter = map[int]bool{}
	for _, k := range gain.pairs {
		pl.gainedAfter[k] = true
	}
	loss.pairs = slices.DeleteFunc(loss.pairs, func(k int) bool { return pl.gainedAfter[k] })
	if len(leaving) > 0 {
		pl.closure = &edges{leaving, sub().Table("group_closures").Select("descendant_id").Where("ancestor_id = ?", g.ID)}
	}
	return nil
}

// with is the statement prefix the preview's statements share: the pairs
// (p); their grants before (gb) and after (ga) the change; and for each
// world (b before, a after), who they go to — users (uk_), roles (rk_)
// and every group whose members hold them (gk_: the groups granted, or
// having a role granted, and every group under those), all small.
// Materialized: SQLite would otherwise flatten them into every use and
// build an index of the pool's grants each time.
func (pl *accessPlan) with() (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("WITH p(k, rid, code, q) AS (VALUES ")
	for k, p := range pl.pairs {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?)")
		args = append(args, strconv.Itoa(k), p.resourceID, p.code, `"`+p.action+`"`)
	}
	b.WriteString("), gb AS MATERIALIZED (SELECT g.id, g.user_id, g.role_id, g.group_id, p.k FROM p JOIN grants g ON g.resource_id = p.rid AND g.resource_code = p.code AND ")
	b.WriteString(pl.eng.Contains("g.actions", "p.q"))
	b.WriteString(" WHERE g.pool_id = ?), ga AS MATERIALIZED (SELECT * FROM gb")
	args = append(args, pl.poolID)
	if len(pl.grantActions) > 0 {
		b.WriteString(" WHERE gb.id || ':' || gb.k NOT IN ?")
		args = append(args, pl.grantActions)
	}
	b.WriteString(")")
	for _, w := range []struct {
		name, grants string
		after        bool
	}{{"b", "gb", false}, {"a", "ga", true}} {
		not := func(cond string, e *edges) string {
			if !w.after || e == nil {
				return ""
			}
			args = append(args, e.a, e.b)
			return " AND NOT (" + cond + ")"
		}
		fmt.Fprintf(&b, `, rk_%[1]s AS MATERIALIZED (SELECT k, role_id FROM %[2]s WHERE role_id IS NOT NULL)`, w.name, w.grants)
		fmt.Fprintf(&b, `, gk_%[1]s AS MATERIALIZED (SELECT g.k, c.descendant_id AS group_id FROM %[2]s g
				JOIN group_closures c ON c.ancestor_id = g.group_id%[3]s
			UNION SELECT r.k, c.descendant_id FROM rk_%[1]s r JOIN group_roles gro ON gro.role_id = r.role_id%[4]s
				JOIN group_closures c ON c.ancestor_id = gro.group_id%[5]s)`, w.name, w.grants,
			not("c.ancestor_id IN (?) AND c.descendant_id IN (?)", pl.closure),
			not("gro.group_id IN ? AND gro.role_id IN ?", pl.groupRoles),
			not("c.ancestor_id IN (?) AND c.descendant_id IN (?)", pl.closure))
	}
	return b.String(), args
}

// held is the pairs users hold in world w (b or a): rows of (user_id, k),
// by a grant to the user, to one of its roles, or to one of its groups
// or a group above one. users is the condition on the user column (as
// "%s = x.user_id", or "%s IN ?" with its args), so each way starts from
// the user: its grant of each pair (ux_grants, by target key), its few
// roles and groups against the small rk_ and gk_ (scanned: an automatic
// index would be built again for every user). In the world after, what
// the change removes is left out.
func (pl *accessPlan) held(w string, users string, userArgs ...any) (string, []any) {
	var args []any
	not := func(cond string, e *edges) string {
		if w != "a" || e == nil {
			return ""
		}
		args = append(args, e.a, e.b)
		return " AND NOT (" + cond + ")"
	}
	on := func(col string) string {
		args = append(args, userArgs...)
		return fmt.Sprintf(users, col)
	}
	// Direct grants: the user's own grant of each pair, by its key
	// (resource, code, target key) — a seek per pair.
	ux := `SELECT u.id AS user_id, p.k FROM users u CROSS JOIN p WHERE ` + on("u.id") + ` AND EXISTS (SELECT 1 FROM grants g
		WHERE g.resource_id = p.rid AND g.resource_code = p.code AND g.target_key = 'USER:' || u.id AND ` + pl.eng.Contains("g.actions", "p.q")
	if w == "a" && len(pl.grantActions) > 0 {
		ux += " AND g.id || ':' || p.k NOT IN ?"
		args = append(args, pl.grantActions)
	}
	ux += pl.eng.PerRow() + ")"
	sql := ux + ` UNION ALL SELECT m.user_id, rk.k FROM ` + pl.eng.Indexed("role_members", "m", "ix_role_members_user") + ` JOIN rk_` + w + ` rk ON ` +
		pl.eng.NoIndex("rk.role_id") + ` = m.role_id WHERE ` + on("m.user_id") + not("m.role_id IN ? AND m.user_id IN ?", pl.roleMembers)
	sql += ` UNION ALL SELECT m.user_id, gk.k FROM ` + pl.eng.Indexed("group_members", "m", "ix_group_members_user") + ` JOIN gk_` + w + ` gk ON ` +
		pl.eng.NoIndex("gk.group_id") + ` = m.group_id WHERE ` + on("m.user_id") + not("m.group_id IN ? AND m.user_id IN ?", pl.groupMembers)
	return sql, args
}

// gainsBy is the condition that the user (a column) gains by e: it
// lacks one of e's pairs before (after, it has them all).
func (pl *accessPlan) gainsBy(e *effect, user string) (string, []any) {
	h, args := pl.held("b", "%s = "+user)
	ks := pl.keys(e)
	return `(SELECT COUNT(DISTINCT h.k) FROM (` + h + `) AS h WHERE h.k IN ?) < ?`, append(args, ks, len(ks))
}

// losesBy is the condition that the user loses by e: it holds one of
// e's pairs before and not after.
func (pl *accessPlan) losesBy(e *effect, user string) (string, []any) {
	before, bargs := pl.held("b", "%s = "+user)
	after, aargs := pl.held("a", "%s = "+user)
	return `EXISTS (SELECT h.k FROM (` + before + `) AS h WHERE h.k IN ? EXCEPT SELECT h2.k FROM (` + after + `) AS h2)`,
		slices.Concat(bargs, []any{pl.keys(e)}, aargs)
}

// side is the users affected one way (gains or loses): each effect's
// users streamed and tested, each user once.
func (pl *accessPlan) side(effects []*effect, test func(*effect, string) (string, []any)) (string, []any) {
	var parts []string
	var args []any
	for _, e := range effects {
		if len(e.pairs) == 0 {
			continue
		}
		cond, cargs := test(e, "x.user_id")
		parts = append(parts, "SELECT x.user_id FROM (?) AS x WHERE "+cond)
		args = append(append(args, e.users.Build()), cargs...)
	}
	return orNone(parts), args
}

// page is the first n+1 users affected one way, by id. Users named by id
// are few: they are sorted. A large set is not: the pool's users are
// walked by id, each tested for being one of an effect's users and
// affected, until the page is full — a tenth of the pool gaining fills a
// page of 10 in about 100 users.
func (pl *accessPlan) page(effects []*effect, test func(*effect, string) (string, []any), n int) (string, []any) {
	few := true
	for _, e := range effects {
		few = few && (e.few || len(e.pairs) == 0)
	}
	if few {
		sql, args := pl.side(effects, test)
		return "SELECT user_id FROM (" + sql + ") AS f ORDER BY user_id LIMIT ?", append(args, n+1)
	}
	var conds []string
	var args []any
	for _, e := range effects {
		if len(e.pairs) == 0 {
			continue
		}
		in, inArgs := e.users.Test()
		cond, cargs := test(e, "users.id")
		conds = append(conds, "("+in+" AND "+cond+")")
		args = slices.Concat(args, inArgs, cargs)
	}
	// By the primary key, in id order: SQLite would rather read the
	// pool by its status index and sort every match.
	return `SELECT users.id AS user_id FROM ` + pl.eng.Indexed("users", "users", "sqlite_autoindex_users_1") + `
		WHERE users.pool_id = ? AND users.status <> ? AND (` + strings.Join(conds, " OR ") + `)
		ORDER BY users.id LIMIT ?`, slices.Concat([]any{pl.poolID, model.StatusArchived}, args, []any{n + 1})
}

// keys are an effect's pairs as the statements name them.
func (pl *accessPlan) keys(e *effect) []string {
	ks := make([]string, len(e.pairs))
	for i, k := range e.pairs {
		ks[i] = strconv.Itoa(k)
	}
	return ks
}

func orNone(parts []string) string {
	if len(parts) == 0 {
		return "SELECT id AS user_id FROM users WHERE 1 = 0"
	}
	return strings.Join(parts, " UNION ")
}

// answer runs the preview's two statements: the count and the first page
// of each side; then what each user of those pages holds before and after
// the change, and which effects it is a user of.
func (pl *accessPlan) answer(ctx context.Context, r *gorm.DB, n int, p model.Page, out *model.AccessPreview) error {
	with, withArgs := pl.with()
	gained, gainedArgs := pl.side(pl.gains, pl.gainsBy)
	lost, lostArgs := pl.side(pl.losses, pl.losesBy)
	gainedPage, gainedPageArgs := pl.page(pl.gains, pl.gainsBy, n)
	lostPage, lostPageArgs := pl.page(pl.losses, pl.losesBy, n)
	count := func(side string) string {
		side = "SELECT user_id FROM (" + side + ") AS s"
		if stop := p.CountStop(); stop > 0 {
			side += " LIMIT " + strconv.FormatInt(stop, 10)
		}
		return "CAST((SELECT count(*) FROM (" + side + ") AS c) AS TEXT)"
	}
	var rows []struct{ Side, V string }
	err := r.Raw(with+` SELECT 'gc' AS side, `+count(gained)+` AS v UNION ALL SELECT 'lc', `+count(lost)+`
		UNION ALL SELECT 'g', user_id FROM (`+gainedPage+`) AS gp UNION ALL SELECT 'l', user_id FROM (`+lostPage+`) AS lp`,
		slices.Concat(withArgs, gainedArgs, lostArgs, gainedPageArgs, lostPageArgs)...).Scan(&rows).Error
	if err != nil {
		return translate(err)
	}
	counts := map[string]int64{}
	var ids []string
	for _, row := range rows {
		if row.Side == "gc" || row.Side == "lc" {
			counts[row.Side], _ = strconv.ParseInt(row.V, 10, 64)
		} else {
			ids = append(ids, row.V)
		}
	}
	// What each user of the pages holds before (b) and after (a), and
	// which effects it is a user of (g<i>, l<i>).
	before, bargs := pl.held("b", "%s IN ?", ids)
	after, aargs := pl.held("a", "%s IN ?", ids)
	parts := []string{"SELECT 'b' AS w, user_id, k FROM (" + before + ") AS hb", "SELECT 'a', user_id, k FROM (" + after + ") AS ha"}
	args := slices.Concat(bargs, aargs)
	for side, effects := range map[string][]*effect{"g": pl.gains, "l": pl.losses} {
		for i, e := range effects {
			if len(e.pairs) > 0 {
				in, inArgs := e.users.Test()
				parts = append(parts, fmt.Sprintf("SELECT '%s%d', users.id, '' FROM users WHERE users.id IN ? AND %s", side, i, in))
				args = slices.Concat(args, []any{ids}, inArgs)
			}
		}
	}
	with, withArgs = pl.with()
	var held []struct{ W, UserID, K string }
	if err := r.Raw(with+" "+strings.Join(parts, " UNION ALL "), slices.Concat(withArgs, args)...).Scan(&held).Error; err != nil {
		return translate(err)
	}
	if err := query.Charge(ctx, len(rows)+len(held)); err != nil {
		return err
	}
	holds := map[string]map[string]map[int]bool{"b": {}, "a": {}}
	in := map[string]bool{}
	for _, row := range held {
		switch row.W {
		case "b", "a":
			k, _ := strconv.Atoi(row.K)
			if holds[row.W][row.UserID] == nil {
				holds[row.W][row.UserID] = map[int]bool{}
			}
			holds[row.W][row.UserID][k] = true
		default:
			in[row.W+"/"+row.UserID] = true
		}
	}
	for _, side := range []struct {
		tag     string
		page    *model.AccessDiffPage
		effects []*effect
	}{{"g", &out.Gained, pl.gains}, {"l", &out.Lost, pl.losses}} {
		total, exact := p.Total(counts[side.tag+"c"])
		side.page.TotalCount, side.page.TotalCountExact = int(total), exact
		for _, row := range rows {
			if row.Side != side.tag {
				continue
			}
			if len(side.page.List) == n {
				side.page.HasMore = true
				break
			}
			side.page.List = append(side.page.List, pl.diffOf(row.V, side.tag, side.effects, holds, in))
		}
	}
	return nil
}

// diffOf is what user gains (tag g) or loses (l) by the effects it is a
// user of: the pairs it does not hold before (a gain), or holds before
// and not after (a loss), merged per resource entry, bounded.
func (pl *accessPlan) diffOf(user, tag string, effects []*effect, holds map[string]map[string]map[int]bool, in map[string]bool) *model.AccessDiff {
	d := &model.AccessDiff{UserID: user}
	for i, e := range effects {
		if !in[fmt.Sprintf("%s%d/%s", tag, i, user)] {
			continue
		}
		for _, k := range e.pairs {
			before, after := holds["b"][user][k], holds["a"][user][k]
			if (tag == "g" && !before) || (tag == "l" && before && !after) {
				d.Changes = addChange(d.Changes, pl.pairs[k], e.via[k])
			}
		}
	}
	slices.SortFunc(d.Changes, func(a, b *model.ActionChange) int {
		return cmp.Or(strings.Compare(a.Namespace, b.Namespace), strings.Compare(a.Resource, b.Resource))
	})
	// Bounded as every nested list is (model.MaxNestedList).
	d.Changes = d.Changes[:min(len(d.Changes), model.MaxNestedList)]
	for _, c := range d.Changes {
		c.Via = c.Via[:min(len(c.Via), model.MaxPreviewVia)]
	}
	return d
}

// addChange adds a pair's action, and the ways it comes, to the changes.
func addChange(changes []*model.ActionChange, p accessPair, via []model.GrantSource) []*model.ActionChange {
	i := slices.IndexFunc(changes, func(c *model.ActionChange) bool { return c.Namespace == p.namespace && c.Resource == p.code })
	if i < 0 {
		changes = append(changes, &model.ActionChange{Namespace: p.namespace, Resource: p.code, Type: p.typ, Actions: []string{}, Via: []*model.GrantSource{}})
		i = len(changes) - 1
	}
	c := changes[i]
	if !slices.Contains(c.Actions, p.action) {
		c.Actions = append(c.Actions, p.action)
		slices.Sort(c.Actions)
	}
	for _, v := range via {
		if !slices.ContainsFunc(c.Via, func(w *model.GrantSource) bool {
			return w.TargetType == v.TargetType && w.Code == v.Code && deref(w.ViaGroup) == deref(v.ViaGroup) && deref(w.RoleNamespace) == deref(v.RoleNamespace)
		}) {
			v := v
			c.Via = append(c.Via, &v)
		}
	}
	return changes
}
