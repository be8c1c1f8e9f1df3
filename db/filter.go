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
	sets    []*gorm.DB                // subqueries selecting user_id
}

// page returns the pool's users meeting the filter, for a sorted page: the
// sort index is walked and each user tested against the sets.
func (f userFilter) page(q *gorm.DB, poolID string) *gorm.DB {
	q = f.columns(q.Where("pool_id = ?", poolID))
	for _, set := range f.sets {
		q = q.Where("id IN (?)", set)
	}
	return q
}

// count returns a query to count the filter's users. With sets, the first
// set drives it: the count reads that set's index and looks up each of its
// users, rather than testing every user of the pool. (CROSS JOIN fixes
// that order on SQLite; PostgreSQL chooses by its statistics.)
func (f userFilter) count(q *gorm.DB, dialect, poolID string) *gorm.DB {
	if len(f.sets) == 0 {
		return f.page(q, poolID).Model(&model.User{})
	}
	join := "JOIN"
	if dialect == "sqlite" {
		join = "CROSS JOIN"
	}
	q = q.Table("(?) AS d", f.sets[0]).Joins(join+" users ON users.id = d.user_id").Where("users.pool_id = ?", poolID)
	q = f.columns(q)
	for _, set := range f.sets[1:] {
		q = q.Where("users.id IN (?)", set)
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
	var sets []*gorm.DB
	if len(f.IdentityProviders) > 0 {
		sets = append(sets, sub().Table("identities").Distinct("user_id").Where("pool_id = ? AND provider IN ?", poolID, f.IdentityProviders))
	}
	if f.Group != nil {
		sets = append(sets, sub().Table("group_members m").Select("m.user_id").
			Joins("JOIN groups g ON g.id = m.group_id").Where("g.pool_id = ? AND g.code = ?", poolID, *f.Group))
	}
	if f.Role != nil {
		ns := model.DefaultNamespace
		if f.Role.Namespace != nil {
			ns = *f.Role.Namespace
		}
		sets = append(sets, sub().Table("role_members m").Select("m.user_id").
			Joins("JOIN roles r ON r.id = m.role_id").Where("r.pool_id = ? AND r.namespace = ? AND r.code = ?", poolID, ns, f.Role.Code))
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
			set := sub().Model(&model.UserUdfValue{}).Select("user_id").Where("definition_id = ?", def.ID)
			if eq != nil {
				set = set.Where(col+" = ?", eq)
			}
			if gte != nil {
				set = set.Where(col+" >= ?", gte)
			}
			if lte != nil {
				set = set.Where(col+" <= ?", lte)
			}
			sets = append(sets, set)
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
