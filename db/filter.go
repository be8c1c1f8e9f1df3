package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"usergraph/model"
)

// userFilter is a filter made into SQL: conditions on the users table's
// own columns, and sets of user ids drawn from other tables (group and role
// members, identities, custom values) the users must belong to.
type userFilter struct {
	columns    func(q *gorm.DB) *gorm.DB // adds the column conditions to q
	hasColumns bool                      // whether there are any
	sets       []idSet
	// driver is the source the count (and a driven page) starts from: a
	// set's index, or columnsDrive for the users table's own indexes.
	driver int
	// driverSize is the driver's size when measured (see plan), counted to
	// sourceBound; -1 when not.
	driverSize int64
}

// columnsDrive is userFilter.driver when no set drives.
const columnsDrive = -1

// idSet is a set of users drawn from another table.
type idSet struct {
	build func() *gorm.DB // a fresh subquery selecting the users' ids as user_id
	col   string          // that column as the subquery names it, to correlate
}

// has tests each user against the set, by the set's index.
func (s idSet) has() *gorm.DB { return s.build().Where(s.col + " = users.id") }

// sourceBound is how far plan counts each source of a filter: enough to
// tell a small source, which is cheap to drive from, from a large one.
const sourceBound = 10_000

// plan chooses where the filter's count starts. With a set and nothing
// else, the set. With a choice (several sets, or sets and column
// conditions), one statement counts each source to sourceBound and the
// smallest drives: "archived members of a large group" starts from the few
// archived users, not from the group.
func (f *userFilter) plan(q *gorm.DB, poolID string) error {
	f.driver, f.driverSize = columnsDrive, -1
	switch {
	case len(f.sets) == 0:
		return nil
	case len(f.sets) == 1 && !f.hasColumns:
		f.driver = 0
		return nil
	}
	var sizes []string
	var args []any
	for _, set := range f.sets {
		sizes = append(sizes, "(SELECT count(*) FROM (?) AS s)")
		args = append(args, set.build().Limit(sourceBound+1))
	}
	if f.hasColumns {
		sizes = append(sizes, "(SELECT count(*) FROM (?) AS s)")
		args = append(args, f.columns(q.Session(&gorm.Session{NewDB: true}).Table("users").Select("1").Where("pool_id = ?", poolID)).Limit(sourceBound+1))
	}
	got := make([]int64, len(sizes))
	dest := make([]any, len(sizes))
	for i := range got {
		dest[i] = &got[i]
	}
	if err := q.Raw("SELECT "+strings.Join(sizes, ", "), args...).Row().Scan(dest...); err != nil {
		return translate(err)
	}
	for i, n := range got {
		if f.driverSize < 0 || n < f.driverSize {
			f.driver, f.driverSize = i, n
		}
	}
	if f.driver == len(f.sets) {
		f.driver = columnsDrive
	}
	return nil
}

// driveBelow is the size under which a set drives a filtered page: its
// users are looked up and sorted, rather than the sort index walked and
// each user tested until the page fills. Walking finds a page of n in
// about n × pool / matches steps; driving costs the set's size. That size
// is the number of matches when the set is the whole filter, or measured
// by plan; when it is unknown the set drives only when matches are very
// few (driveBelow/10), when walking would read most of the pool.
// PostgreSQL's scan search makes the same choice between sorting its
// matches and walking the creation index.
var driveBelow int64 = 5_000 // a variable so tests can see both plans

// page returns a query for the pool's users meeting the filter, driven from
// its driver set or walking the sort index (see driveBelow), given the
// number of matches from count.
func (f userFilter) page(q *gorm.DB, dialect, poolID string, matches int64) *gorm.DB {
	if f.driver != columnsDrive {
		size := f.driverSize
		if len(f.sets) == 1 && !f.hasColumns {
			size = matches
		}
		if matches < driveBelow/10 || size >= 0 && size < driveBelow {
			return f.driven(q, dialect, poolID)
		}
	}
	q = f.columns(q.Where("pool_id = ?", poolID))
	for _, set := range f.sets {
		q = q.Where("EXISTS (?)", set.has())
	}
	return q
}

// count returns a query to count the filter's users from its driver: the
// driver's index is read and each of its users looked up and tested,
// rather than every user of the pool.
func (f userFilter) count(q *gorm.DB, dialect, poolID string) *gorm.DB {
	switch {
	case f.driver == columnsDrive:
		q = f.columns(q.Where("pool_id = ?", poolID)).Model(&model.User{})
		for _, set := range f.sets {
			q = q.Where("EXISTS (?)", set.has())
		}
		return q
	case len(f.sets) == 1 && !f.hasColumns:
		// The set alone: its own index counts it (its users are the pool's).
		return q.Table("(?) AS d", f.sets[0].build())
	}
	return f.driven(q, dialect, poolID)
}

// driven returns the filter's users reached from its driver set. (CROSS
// JOIN fixes that order on SQLite; PostgreSQL chooses by its statistics.)
func (f userFilter) driven(q *gorm.DB, dialect, poolID string) *gorm.DB {
	join := "JOIN"
	if dialect == "sqlite" {
		join = "CROSS JOIN"
	}
	q = q.Table("(?) AS d", f.sets[f.driver].build()).Joins(join+" users ON users.id = d.user_id").Where("users.pool_id = ?", poolID)
	q = f.columns(q)
	for i, set := range f.sets {
		if i != f.driver {
			q = q.Where("EXISTS (?)", set.has())
		}
	}
	return q
}

// compileFilter turns a filter into SQL. Each condition is served by an
// index (userIndexes; identities (pool_id, provider); the member tables'
// keys; the custom value indexes (definition_id, typed value)), which
// TestFilterPlansUseIndexes checks on SQLite.
func (s *Store) compileFilter(ctx context.Context, poolID string, f *model.UserFilter) (userFilter, error) {
	if f == nil {
		return userFilter{columns: func(q *gorm.DB) *gorm.DB { return q }}, nil
	}
	if err := f.Validate(); err != nil {
		return userFilter{}, err
	}
	sub := func() *gorm.DB { return s.read(ctx).Session(&gorm.Session{NewDB: true}) }
	var sets []idSet
	if len(f.IdentityProviders) > 0 {
		sets = append(sets, idSet{func() *gorm.DB {
			return sub().Table("identities i").Distinct("i.user_id").Where("i.pool_id = ? AND i.provider IN ?", poolID, f.IdentityProviders)
		}, "i.user_id"})
	}
	if f.Group != nil {
		sets = append(sets, idSet{func() *gorm.DB {
			return sub().Table("group_members m").Select("m.user_id").
				Joins("JOIN groups g ON g.id = m.group_id").Where("g.pool_id = ? AND g.code = ?", poolID, *f.Group)
		}, "m.user_id"})
	}
	if f.Role != nil {
		ns := model.DefaultNamespace
		if f.Role.Namespace != nil {
			ns = *f.Role.Namespace
		}
		sets = append(sets, idSet{func() *gorm.DB {
			return sub().Table("role_members m").Select("m.user_id").
				Joins("JOIN roles r ON r.id = m.role_id").Where("r.pool_id = ? AND r.namespace = ? AND r.code = ?", poolID, ns, f.Role.Code)
		}, "m.user_id"})
	}
	if len(f.CustomData) > 0 {
		defs, err := userUdfDefs(sub(), poolID)
		if err != nil {
			return userFilter{}, err
		}
		for i, p := range f.CustomData {
			field := fmt.Sprintf("filter.customData.%d", i)
			def, ok := defs[p.Key]
			if !ok {
				return userFilter{}, model.Invalid(field+".key", "no custom field %q is defined for users", p.Key)
			}
			col, eq, gte, lte, err := p.Predicate(def, field)
			if err != nil {
				return userFilter{}, err
			}
			sets = append(sets, idSet{func() *gorm.DB {
				set := sub().Table("user_udf_values v").Select("v.user_id").Where("v.definition_id = ?", def.ID)
				if eq != nil {
					set = set.Where("v."+col+" = ?", eq)
				}
				if gte != nil {
					set = set.Where("v."+col+" >= ?", gte)
				}
				if lte != nil {
					set = set.Where("v."+col+" <= ?", lte)
				}
				return set
			}, "v.user_id"})
		}
	}
	var conds []condition
	add := func(sql string, args ...any) { conds = append(conds, condition{sql, args}) }
	if len(f.Status) > 0 {
		add("status IN ?", f.Status)
	}
	if f.Blocked != nil {
		if *f.Blocked { // IN, not <>, so the status index serves it
			add("status IN ?", model.BlockedStatuses())
		} else {
			add("status = ?", model.StatusActivated)
		}
	}
	if f.EmailVerified != nil {
		add("email_verified = ?", *f.EmailVerified)
	}
	if f.PhoneVerified != nil {
		add("phone_verified = ?", *f.PhoneVerified)
	}
	for _, r := range []struct {
		col   string
		times *model.TimeRange
	}{{"created_at", f.CreatedAt}, {"signed_up", f.SignedUp}} {
		if r.times != nil && r.times.From != nil {
			add(r.col+" >= ?", r.times.From.UTC())
		}
		if r.times != nil && r.times.To != nil {
			add(r.col+" <= ?", r.times.To.UTC())
		}
	}
	if f.RegisteredSince != nil {
		add("created_at >= ?", s.now().Add(-time.Duration(*f.RegisteredSince)*24*time.Hour))
	}
	if f.Hidden != nil {
		add("hidden = ?", *f.Hidden)
	}
	columns := func(q *gorm.DB) *gorm.DB {
		for _, c := range conds {
			q = q.Where(c.sql, c.args...)
		}
		return q
	}
	return userFilter{columns: columns, hasColumns: len(conds) > 0, sets: sets}, nil
}

// condition is one condition on the users table's columns.
type condition struct {
	sql  string
	args []any
}
