package db

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"usergraph/model"
)

// applyFilter adds a filter's conditions to a users query. Each condition
// is served by an index: (pool_id, status), (pool_id, email_verified),
// (pool_id, phone_verified), (pool_id, created_at, id), (pool_id,
// signed_up), (pool_id, hidden), identities (pool_id, provider), the
// member tables' primary keys and the custom value indexes
// (definition_id, typed value).
func (s *Store) applyFilter(q *gorm.DB, poolID string, f *model.UserFilter) (*gorm.DB, error) {
	if f == nil {
		return q, nil
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if len(f.Status) > 0 {
		q = q.Where("status IN ?", f.Status)
	}
	if f.Blocked != nil {
		if *f.Blocked {
			q = q.Where("status <> ?", model.StatusActivated)
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
		q = q.Where("created_at >= ?", s.now().Add(-time.Duration(*f.RegisteredSince)*24*time.Hour))
	}
	if len(f.IdentityProviders) > 0 {
		q = q.Where("id IN (SELECT user_id FROM identities WHERE pool_id = ? AND provider IN ?)", poolID, f.IdentityProviders)
	}
	if f.Hidden != nil {
		q = q.Where("hidden = ?", *f.Hidden)
	}
	if f.Group != nil {
		q = q.Where("id IN (SELECT m.user_id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.pool_id = ? AND g.code = ?)", poolID, *f.Group)
	}
	if f.Role != nil {
		ns := model.DefaultNamespace
		if f.Role.Namespace != nil {
			ns = *f.Role.Namespace
		}
		q = q.Where("id IN (SELECT m.user_id FROM role_members m JOIN roles r ON r.id = m.role_id WHERE r.pool_id = ? AND r.namespace = ? AND r.code = ?)",
			poolID, ns, f.Role.Code)
	}
	if len(f.CustomData) > 0 {
		defs, err := userUdfDefs(s.db.R.Session(&gorm.Session{NewDB: true, Context: q.Statement.Context}), poolID)
		if err != nil {
			return nil, err
		}
		for i, p := range f.CustomData {
			field := fmt.Sprintf("filter.customData.%d", i)
			def, ok := defs[p.Key]
			if !ok {
				return nil, model.Invalid(field+".key", "no custom field %q is defined for users", p.Key)
			}
			col, eq, gte, lte, err := p.Predicate(def, field)
			if err != nil {
				return nil, err
			}
			sub := s.db.R.Session(&gorm.Session{NewDB: true}).Model(&model.UserUdfValue{}).Select("user_id").Where("definition_id = ?", def.ID)
			if eq != nil {
				sub = sub.Where(col+" = ?", eq)
			}
			if gte != nil {
				sub = sub.Where(col+" >= ?", gte)
			}
			if lte != nil {
				sub = sub.Where(col+" <= ?", lte)
			}
			q = q.Where("id IN (?)", sub)
		}
	}
	return q, nil
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
