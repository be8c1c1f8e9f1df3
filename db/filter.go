package db

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// userFilter is a filter made into SQL: conditions on the users table's
// own columns, and sets of user ids drawn from other tables (group and role
// members, identities, custom values) the users must belong to.
type userFilter struct {
	conds []condition
	sets  []query.IDSet
	// The count (and a driven page) starts from one source: driverSet, a
	// set's position (-1: none), or else the users table, by driverIndex
	// as the engine's usersTable names it ("": the planner's choice).
	// driverSize is that source's
	// size when plan measured it (to query.DriveBelow), or -1.
	driverSet   int
	driverIndex string
	driverSize  int64
	// live leaves archived users out, as every listing does unless its
	// filter asks for the Archived status.
	live bool
}

// condition is one condition on the users table's columns, and the index
// that serves it.
type condition struct {
	sql   string
	args  []any
	index string
	// member is the same condition on a group membership's copy of the
	// user's column (m.user_status, m.user_hidden), "" when it has none.
	member string
}

// columns adds the column conditions (those served by index, or all when
// index is "") to q.
func (f userFilter) columns(q *gorm.DB, index string) *gorm.DB {
	for _, c := range f.conds {
		if index == "" || c.index == index {
			q = q.Where(c.sql, c.args...)
		}
	}
	return q
}

// indexes lists the users indexes the column conditions use, in order.
func (f userFilter) indexes() []string {
	var out []string
	for _, c := range f.conds {
		if !slices.Contains(out, c.index) {
			out = append(out, c.index)
		}
	}
	return out
}

// plan chooses where the filter's count starts. The sources are its sets
// and the users indexes its column conditions use. With one, that one.
// With a choice, one statement counts each source, each only as far as
// query.DriveBelow (enough to tell a source cheap to drive from), and the
// smallest drives: "archived members of a large group" starts from the few
// archived users, not from the group, and "archived and visible" from the
// status index, not the hidden one. When every source is large, the first
// set drives, or the planner chooses.
func (f *userFilter) plan(q *gorm.DB, eng engine, poolID string) error {
	f.driverSet, f.driverIndex, f.driverSize = -1, "", -1
	indexes := f.indexes()
	if len(f.sets)+len(indexes) <= 1 {
		if len(f.sets) == 1 {
			f.driverSet = 0
		}
		return nil
	}
	// Sized in two rounds: to a tenth of DriveBelow first, which finds a
	// small source (a selective search, a rare status) for a tenth of
	// the reading; only when every source is larger than that, to
	// DriveBelow. The outcome is the one-round measure's.
	var got []int64
	for _, limit := range []int{int(query.DriveBelow/10) + 1, int(query.DriveBelow) + 1} {
		var sizes []string
		var args []any
		for _, set := range f.sets {
			sizes = append(sizes, "(SELECT count(*) FROM (?) AS s)")
			args = append(args, set.Build().Limit(limit))
		}
		for _, ix := range indexes {
			sizes = append(sizes, "(SELECT count(*) FROM (?) AS s)")
			sub := eng.UsersTable(q.Session(&gorm.Session{NewDB: true}), ix).Select("1").Where("pool_id = ?", poolID)
			args = append(args, f.columns(sub, ix).Limit(limit))
		}
		got = make([]int64, len(sizes))
		dest := make([]any, len(sizes))
		for i := range got {
			dest[i] = &got[i]
		}
		if err := q.Raw("SELECT "+strings.Join(sizes, ", "), args...).Row().Scan(dest...); err != nil {
			return translate(err)
		}
		if slices.Min(got) < int64(limit) {
			break // one source is smaller than the round's limit: it is measured whole
		}
	}
	best := 0
	for i, n := range got {
		if n < got[best] {
			best = i
		}
	}
	if got[best] > query.DriveBelow { // all large: no measure to go by
		if len(f.sets) > 0 {
			f.driverSet = 0
		}
		return nil
	}
	f.driverSize = got[best]
	if best < len(f.sets) {
		f.driverSet = best
	} else {
		f.driverIndex = indexes[best-len(f.sets)]
	}
	return nil
}

// page returns a query for the pool's users meeting the filter, driven from
// its driver or walking the sort index (see query.DriveBelow), given the number
// of matches from count.
func (f userFilter) page(q *gorm.DB, eng engine, poolID string, matches int64) *gorm.DB {
	size := f.driverSize
	if len(f.sets) == 1 && len(f.conds) == 0 {
		size = matches
	}
	small := size >= 0 && size < query.DriveBelow
	if f.driverSet >= 0 && (small || matches < query.DriveBelow/10) {
		return f.driven(q, eng, poolID)
	}
	index := ""
	if f.driverSet < 0 && small {
		index = f.driverIndex
	}
	return f.tested(eng.UsersTable(q, index), poolID, -1)
}

// tested adds to q, a query on users, the pool, the column conditions and
// a test of each set but the one at position skip (the one q is driven
// from, if any).
func (f userFilter) tested(q *gorm.DB, poolID string, skip int) *gorm.DB {
	q = f.columns(q.Where("users.pool_id = ?", poolID), "")
	if f.live {
		q = q.Where("users.status <> ?", model.StatusArchived)
	}
	for i, set := range f.sets {
		if i != skip {
			q = set.Where(q)
		}
	}
	return q
}

// count returns a query to count the filter's users from its driver: the
// driver's index is read and each of its users tested, rather than every
// user of the pool.
func (f userFilter) count(q *gorm.DB, eng engine, poolID string) *gorm.DB {
	switch {
	case f.driverSet < 0:
		return f.tested(eng.UsersTable(q, f.driverIndex), poolID, -1)
	case len(f.sets) == 1 && len(f.conds) == 0 && !f.live:
		// The set alone: its own index counts it (its users are the pool's).
		return q.Table("(?) AS d", f.sets[0].Build())
	case len(f.conds) == 0 && !f.live && f.testedByID():
		// Only sets, each tested by the user's id alone: the driver's
		// users are tested without reading their rows (a set's users
		// are the pool's), which at a count's 10,000 is half its cost.
		q = q.Table("(SELECT d.user_id AS id FROM (?) AS d) AS users", f.sets[f.driverSet].Build())
		for i, set := range f.sets {
			if i != f.driverSet {
				q = set.Where(q)
			}
		}
		return q
	}
	return f.driven(q, eng, poolID)
}

// testedByID reports whether every set but the driver tests a user by its
// id alone.
func (f userFilter) testedByID() bool {
	for i, set := range f.sets {
		if i != f.driverSet && set.RowTest {
			return false
		}
	}
	return true
}

// countLive counts the users of a filter that is one set and nothing else,
// leaving archived users out. The set's own index counts it, as count
// does for a set — unless one of its users is archived, which is rare and
// cheap to tell (archived users are few, and found by the status index):
// then each user is read to test it. One statement either way.
func (f userFilter) countLive(q *gorm.DB, eng engine, poolID string, p model.Page) (int64, error) {
	set := f.sets[0]
	fresh := func() *gorm.DB { return q.Session(&gorm.Session{NewDB: true}) }
	archived := set.Where(fresh().Table("users").Select("1").Where("users.pool_id = ? AND users.status = ?", poolID, model.StatusArchived))
	whole := set.Build()
	live := f.driven(fresh(), eng, poolID).Select("1")
	if stop := p.CountStop(); stop > 0 {
		whole, live = whole.Limit(int(stop)), live.Limit(int(stop))
	}
	var n int64
	err := q.Raw(`SELECT CASE WHEN EXISTS (?) THEN (SELECT count(*) FROM (?) AS l) ELSE (SELECT count(*) FROM (?) AS w) END`,
		archived, live, whole).Row().Scan(&n)
	return n, translate(err)
}

// oneSet reports a filter that is one set and nothing else.
func (f userFilter) oneSet() bool { return len(f.sets) == 1 && len(f.conds) == 0 }

// driven returns the filter's users reached from its driver set, the set
// as the outer loop.
func (f userFilter) driven(q *gorm.DB, eng engine, poolID string) *gorm.DB {
	return f.tested(q.Table("(?) AS d", f.sets[f.driverSet].Build()).Joins(eng.DrivenJoin()+" users ON users.id = d.user_id"), poolID, f.driverSet)
}

// compileFilter turns a filter, and a search when one is given, into SQL.
// Each condition is served by an index (userIndexes; identities (pool_id,
// provider); the member tables' keys; the custom value indexes
// (definition_id, typed value)), which TestFilterPlansUseIndexes checks on
// SQLite; the search's matches are one more set, from its own index.
func (s *Store) compileFilter(ctx context.Context, poolID string, f *model.UserFilter, search *model.UserSearch) (userFilter, error) {
	if f == nil && (search == nil || search.Query == "") {
		return userFilter{driverSet: -1, driverSize: -1, live: true}, nil
	}
	if f == nil {
		f = &model.UserFilter{}
	}
	if err := f.Validate(); err != nil {
		return userFilter{}, err
	}
	sub := func() *gorm.DB { return s.read(ctx).Session(&gorm.Session{NewDB: true}) }
	var sets []query.IDSet
	if len(f.IdentityProviders) > 0 {
		sets = append(sets, query.IDSet{Build: func() *gorm.DB {
			return sub().Table("identities i").Distinct("i.user_id").Where("i.pool_id = ? AND i.provider IN ?", poolID, f.IdentityProviders)
		}, Col: "i.user_id"})
	}
	effective := f.Membership.IsEffective()
	group := -1 // the group set's position
	if f.Group != nil {
		group = len(sets)
		sets = append(sets, groupSet(sub, s.db.eng, poolID, *f.Group, effective))
	}
	if f.Role != nil {
		ns := model.DefaultNamespace
		if f.Role.Namespace != nil {
			ns = *f.Role.Namespace
		}
		sets = append(sets, roleSet(sub, poolID, ns, f.Role.Code, effective))
	}
	if f.Can != nil {
		r := s.read(ctx)
		a, err := resolveAccess(r, s.db.eng, poolID, f.Can, "filter.can")
		if err == nil {
			err = a.holders(r, s.db.eng)
		}
		if err != nil {
			return userFilter{}, err
		}
		sets = append(sets, a.set(s.db.eng, sub))
	}
	matches, err := userValues.matching(sub, poolID, f.CustomData, "filter.customData")
	if err != nil {
		return userFilter{}, err
	}
	for _, m := range matches {
		sets = append(sets, query.IDSet{Build: func() *gorm.DB { return m("") }, Col: "v.user_id",
			// One user's value by the key (user, definition): SQLite may
			// otherwise seek the condition's range (600,000 values for
			// "40 or older") for each user it tests.
			Test: func() (string, []any) {
				return "EXISTS (?" + s.db.eng.PerRow() + ")", []any{m(s.db.eng.Indexed("user_udf_values", "v", "sqlite_autoindex_user_udf_values_1")).Where("v.user_id = users.id")}
			}})
	}
	if search != nil && search.Query != "" {
		sets = append(sets, s.db.eng.MatchSet(sub, poolID, *search))
	}
	var conds []condition
	add := func(col, op string, args ...any) {
		c := condition{sql: col + op, args: args, index: filterIndex(col)}
		if m, ok := memberColumns[col]; ok {
			c.member = m + op
		}
		conds = append(conds, c)
	}
	if len(f.Status) > 0 {
		add("status", " IN ?", f.Status)
	}
	if f.Blocked != nil {
		if *f.Blocked { // IN, not <>, so the status index serves it
			add("status", " IN ?", model.BlockedStatuses())
		} else {
			add("status", " = ?", model.StatusActivated)
		}
	}
	if f.EmailVerified != nil {
		add("email_verified", " = ?", *f.EmailVerified)
	}
	if f.PhoneVerified != nil {
		add("phone_verified", " = ?", *f.PhoneVerified)
	}
	for _, r := range []struct {
		col   string
		times *model.TimeRange
	}{{"created_at", f.CreatedAt}, {"signed_up", f.SignedUp}} {
		if r.times != nil && r.times.From != nil {
			add(r.col, " >= ?", r.times.From.UTC())
		}
		if r.times != nil && r.times.To != nil {
			add(r.col, " <= ?", r.times.To.UTC())
		}
	}
	if f.RegisteredSince != nil {
		add("created_at", " >= ?", s.now().Add(-time.Duration(*f.RegisteredSince)*24*time.Hour))
	}
	if f.Hidden != nil {
		add("hidden", " = ?", *f.Hidden)
	}
	uf := userFilter{conds: conds, sets: sets, driverSet: -1, driverSize: -1, live: !slices.Contains(f.Status, model.StatusArchived)}
	if group >= 0 {
		uf.intoGroup(group)
	}
	return uf, nil
}

// memberColumns are the users columns a group membership copies, by the
// membership's name for them (model.GroupMember).
var memberColumns = map[string]string{"status": "m.user_status", "hidden": "m.user_hidden"}

// intoGroup moves the conditions a group membership answers itself — on
// the user's status and hidden flag, and leaving archived users out —
// from the users table into the group set at position group. The set
// then is the filter's users exactly, counted from the memberships'
// (group, status, hidden) index alone, and the page tests or reads fewer
// users (see model.GroupMember).
func (f *userFilter) intoGroup(group int) {
	var onMembers []condition
	kept := f.conds[:0:0]
	for _, c := range f.conds {
		if c.member != "" {
			onMembers = append(onMembers, c)
		} else {
			kept = append(kept, c)
		}
	}
	live := f.live
	build := f.sets[group].Build
	f.sets[group].Build = func() *gorm.DB {
		q := build()
		for _, c := range onMembers {
			q = q.Where(c.member, c.args...)
		}
		if live {
			q = q.Where("m.user_status <> ?", model.StatusArchived)
		}
		return q
	}
	f.conds, f.live = kept, false
}

// groupSet is the members of the group with this code: its own, or
// (effective) those of every group under it too, each user once.
func groupSet(sub func() *gorm.DB, eng engine, poolID, code string, effective bool) query.IDSet {
	if !effective {
		return query.IDSet{Build: func() *gorm.DB {
			return sub().Table("group_members m").Select("m.user_id").
				Joins("JOIN groups g ON g.id = m.group_id").Where("g.pool_id = ? AND g.code = ?", poolID, code)
		}, Col: "m.user_id"}
	}
	under := func() *gorm.DB {
		return sub().Table("group_closures c").Select("c.descendant_id").Joins("JOIN groups g ON g.id = c.ancestor_id").
			Where("g.pool_id = ? AND g.code = ?", poolID, code)
	}
	return query.IDSet{Build: func() *gorm.DB { return membersOnce(sub, eng, under) }, Col: "m.user_id"}
}

// membersOnce selects the members of some groups (groups makes a fresh
// subquery of their ids) as m.user_id, each user once — at the first of
// its groups by id — as a stream: a user in several of the groups is met,
// and passed over, by one index seek, where a DISTINCT would first sort
// every member (100,000 for a large department) before a count to a bound
// or a page could stop.
func membersOnce(sub func() *gorm.DB, eng engine, groups func() *gorm.DB) *gorm.DB {
	return sub().Table("group_members m").Select("m.user_id").
		Where("m.group_id IN (?) AND NOT EXISTS (SELECT 1 FROM "+eng.Indexed("group_members", "m2", "ix_group_members_user")+
			" WHERE m2.user_id = m.user_id AND m2.group_id IN (?) AND m2.group_id < m.group_id"+eng.PerRow()+")", groups(), groups())
}

// roleSet is the holders of a role: its members, or (effective) also the
// members of the groups that have it and of the groups under those.
func roleSet(sub func() *gorm.DB, poolID, ns, code string, effective bool) query.IDSet {
	direct := func() *gorm.DB {
		return sub().Table("role_members m").Select("m.user_id").
			Joins("JOIN roles r ON r.id = m.role_id").Where("r.pool_id = ? AND r.namespace = ? AND r.code = ?", poolID, ns, code)
	}
	if !effective {
		return query.IDSet{Build: direct, Col: "m.user_id"}
	}
	viaGroups := func() *gorm.DB {
		return sub().Table("group_roles gro").Select("gm.user_id").
			Joins("JOIN roles r ON r.id = gro.role_id").Joins("JOIN group_closures c ON c.ancestor_id = gro.group_id").
			Joins("JOIN group_members gm ON gm.group_id = c.descendant_id").
			Where("r.pool_id = ? AND r.namespace = ? AND r.code = ?", poolID, ns, code)
	}
	return query.IDSet{
		Build: func() *gorm.DB { return sub().Table("(? UNION ?) AS holders", direct(), viaGroups()).Select("user_id") },
		Col:   "user_id",
		Test: func() (string, []any) {
			return "(EXISTS (?) OR EXISTS (?))", []any{direct().Where("m.user_id = users.id"), viaGroups().Where("gm.user_id = users.id")}
		},
	}
}
