package db

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"usergraph/model"
)

// userFilter is a filter made into SQL: conditions on the users table's
// own columns, and sets of user ids drawn from other tables (group and role
// members, identities, custom values) the users must belong to.
type userFilter struct {
	columns func(q *gorm.DB) *gorm.DB // adds the column conditions to q
	sets    []idSet
}

// idSet is a set of users drawn from another table.
type idSet struct {
	build func() *gorm.DB // a fresh subquery selecting the users' ids as user_id
	col   string          // that column as the subquery names it, to correlate
}

// has tests each user against the set, by the set's index.
func (s idSet) has() *gorm.DB { return s.build().Where(s.col + " = users.id") }

// driveBelow is the size under which a set drives a filtered page: its
// users are looked up and sorted, rather than the sort index walked until
// the page fills. Walking finds a page of n in about n × pool / matches
// steps, so a set of 1,000 users in a pool of a million would cost 20,000
// steps for 20 of them; sorting a set costs its size.
var driveBelow int64 = 5_000 // a variable so tests can see both plans

// page returns a query for the pool's users meeting the filter. Given the
// number of matches (from count), it walks the sort index testing each user
// against the sets when matches are many, and drives from the first set
// when they are few (see driveBelow).
func (f userFilter) page(q *gorm.DB, dialect, poolID string, matches int64) *gorm.DB {
	if len(f.sets) > 0 && matches < driveBelow {
		return f.driven(q, dialect, poolID)
	}
	q = f.columns(q.Where("pool_id = ?", poolID))
	for _, set := range f.sets {
		q = q.Where("EXISTS (?)", set.has())
	}
	return q
}

// count returns a query to count the filter's users. With sets, the first
// set drives it: the count reads that set's index and looks up each of its
// users, rather than testing every user of the pool.
func (f userFilter) count(q *gorm.DB, dialect, poolID string) *gorm.DB {
	if len(f.sets) == 0 {
		return f.columns(q.Where("pool_id = ?", poolID)).Model(&model.User{})
	}
	return f.driven(q, dialect, poolID)
}

// driven returns the filter's users reached from its first set. (CROSS
// JOIN fixes that order on SQLite; PostgreSQL chooses by its statistics.)
func (f userFilter) driven(q *gorm.DB, dialect, poolID string) *gorm.DB {
	join := "JOIN"
	if dialect == "sqlite" {
		join = "CROSS JOIN"
	}
	q = q.Table("(?) AS d", f.sets[0].build()).Joins(join+" users ON users.id = d.user_id").Where("users.pool_id = ?", poolID)
	q = f.columns(q)
	for _, set := range f.sets[1:] {
		q = q.Where("EXISTS (?)", set.has())
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
	now := s.now()
	columns := func(q *gorm.DB) *gorm.DB {
		if len(f.Status) > 0 {
			q = q.Where("status IN ?", f.Status)
		}
		if f.Blocked != nil {
			if *f.Blocked { // IN, not <>, so the status index serves it
				q = q.Where("status IN ?", model.BlockedStatuses())
			} else {
				q = q.Where("status = ?", model.StatusActivated)
			}
		}
		if f.EmailVerified != nil {
			q = q.Where("email_verified = ?", *f.EmailVerified)
		}
		if f.PhoneVerified != nil {
			q = q.Where("phone_verified = ?", *f.PhoneVerified)
		}
		q = timeRange(q, "created_at", f.CreatedAt)
		q = timeRange(q, "signed_up", f.SignedUp)
		if f.RegisteredSince != nil {
			q = q.Where("created_at >= ?", now.Add(-time.Duration(*f.RegisteredSince)*24*time.Hour))
		}
		if f.Hidden != nil {
			q = q.Where("hidden = ?", *f.Hidden)
		}
		return q
	}
	return userFilter{columns: columns, sets: sets}, nil
}

func timeRange(q *gorm.DB, col string, r *model.TimeRange) *gorm.DB {
	if r == nil {
		return q
	}
	if r.From != nil {
		q = q.Where(col+" >= ?", r.From.UTC())
	}
	if r.To != nil {
		q = q.Where(col+" <= ?", r.To.UTC())
	}
	return q
}
