package db

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/db/query"
	"usergraph/model"
)

// CreateUser validates in and creates a user in the pool. The password, if
// any, is hashed before the transaction opens, so the writer is never held
// while hashing. Field names in errors are relative to the input.
func (s *Store) CreateUser(ctx context.Context, poolID string, in *model.UserInput) (*model.User, error) {
	res, err := s.CreateUsers(ctx, poolID, []*model.UserInput{in}, BatchOptions{Atomic: true})
	if err != nil {
		return nil, withoutIndex(err)
	}
	return res[0].User, nil
}

// UpdateUser applies the fields set in in to a user of the pool. Only the
// changed columns are written, so concurrent updates of different fields do
// not overwrite each other. Errors are those of an UpdateUsers item: an
// unknown user is NOT_FOUND on "userId", errors of in are on
// "input.<field>".
func (s *Store) UpdateUser(ctx context.Context, poolID, id string, in *model.UserInput) (*model.User, error) {
	res, err := s.UpdateUsers(ctx, poolID, []UserUpdate{{Key: model.UserKey{Field: "id", Value: id}, Input: in}}, BatchOptions{Atomic: true})
	if err != nil {
		return nil, withoutIndex(err)
	}
	return res[0].User, nil
}

// replaceIdentities makes the user's identities those of in, when in sets
// them, and records the change. A user just created has none to replace.
func replaceIdentities(tx *gorm.DB, u *model.User, in *model.UserInput, now time.Time, created bool) error {
	ids, set := in.Identities.ValueOK()
	if !set {
		return nil
	}
	var before []*model.Identity
	if !created {
		if err := tx.Where("user_id = ?", u.ID).Order("created_at, id").Find(&before).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&model.Identity{}).Error; err != nil {
			return err
		}
	}
	rows := make([]*model.Identity, len(ids))
	for i, id := range ids {
		rows[i] = &model.Identity{ID: newID(), PoolID: u.PoolID, UserID: u.ID, Provider: id.Provider,
			Type: id.Type, UserIDInIdp: id.UserIDInIdp, ExtIdpID: id.ExtIdpID, CreatedAt: now}
	}
	if len(before) > 0 || len(rows) > 0 {
		recordChanges(tx, u.PoolID, model.AuditUser, u.ID, model.Change{Field: "identities", Before: listOrNil(before), After: listOrNil(rows)})
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Omit(clause.Associations).Create(&rows).Error
}

// listOrNil is a list for a change: nil when empty.
func listOrNil[T any](l []T) any {
	if len(l) == 0 {
		return nil
	}
	return l
}

// mergeCustomData applies in's custom data, when set, to the user: the
// same rules as setUdfValue, in the user's own transaction. A user just
// created has no other custom data, so its size is checked from the input
// alone; a changed user's is read back after the merge.
func mergeCustomData(tx *gorm.DB, u *model.User, in *model.UserInput, created bool) error {
	data, set := in.CustomData.ValueOK()
	if !set {
		return nil
	}
	if data == nil {
		return userValues.clear(tx, u.PoolID, u.ID)
	}
	defs, err := userValues.defs(tx, u.PoolID)
	if err != nil {
		return err
	}
	changes, err := model.CheckCustomData(data, defs)
	if err != nil {
		return model.WithPrefix(err, "customData")
	}
	if created {
		fresh := model.CustomData{}
		for _, c := range changes {
			if c.Value != nil {
				fresh[c.Def.Key] = c.Value.JSONValue()
			}
		}
		if err := model.CheckCustomDataSize("customData", fresh); err != nil {
			return err
		}
		return userValues.apply(tx, u.PoolID, u.ID, changes, nil)
	}
	before, err := userValues.of(tx, u.PoolID, []string{u.ID})
	if err != nil {
		return err
	}
	if err := userValues.apply(tx, u.PoolID, u.ID, changes, before[u.ID]); err != nil {
		return err
	}
	after, err := userValues.of(tx, u.PoolID, []string{u.ID})
	if err != nil {
		return err
	}
	return model.CheckCustomDataSize("customData", after[u.ID])
}

// User returns a user of the pool by id, reading only cols when given (the
// rest left zero): a profile read need not carry the password hash.
//
// Its statement is written as text: gorm's clause builder quoted and
// assembled the 45 columns of a whole profile on every call, a large share
// of a user-by-id request. The columns are the schema's (model.UserColumns),
// never a client's text.
func (s *Store) User(ctx context.Context, poolID, id string, cols ...string) (*model.User, error) {
	list := "*"
	if len(cols) > 0 {
		list = strings.Join(cols, ", ")
	}
	found, err := query.Find[model.User](s.read(ctx).Raw("SELECT "+list+" FROM users WHERE pool_id = ? AND id = ? LIMIT 1", poolID, id))
	if err == nil && len(found) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return nil, translate(userNotFound(err, "id", id))
	}
	return found[0], nil
}

// UsersByIDs returns the users of the pool among ids, in the order of ids;
// unknown ids are left out.
func (s *Store) UsersByIDs(ctx context.Context, poolID string, ids []string) ([]*model.User, error) {
	if len(ids) > model.MaxBatch {
		return nil, model.Invalid("ids", "at most %d ids", model.MaxBatch)
	}
	var found []*model.User
	if err := s.read(ctx).Where("pool_id = ? AND id IN ?", poolID, ids).Find(&found).Error; err != nil {
		return nil, translate(err)
	}
	byID := make(map[string]*model.User, len(found))
	for _, u := range found {
		byID[u.ID] = u
	}
	out := make([]*model.User, 0, len(found))
	for _, id := range ids {
		if u, ok := byID[id]; ok {
			out = append(out, u)
		}
	}
	return out, nil
}

// sortColumns maps a sort field to its column; each has a (pool_id, column)
// index, and id breaks ties so pages never overlap.
var sortColumns = map[model.UserSortField]string{
	model.SortCreatedAt: "created_at",
	model.SortUpdatedAt: "updated_at",
	model.SortLastLogin: "last_login",
	model.SortUsername:  "username",
}

// ListUsers returns one page of the pool's users that pass the filter (nil:
// all), in order, and their count (up to page.CountStop(), when bounded).
// cols names the columns to read (nil: all); the others are left zero.
func (s *Store) ListUsers(ctx context.Context, poolID string, page model.Page, sort model.UserSort, filter *model.UserFilter, cols []string) ([]*model.User, int64, error) {
	return s.FindUsers(ctx, poolID, nil, filter, sort, page, cols)
}

// FindUsers is ListUsers narrowed by a search (nil or empty: none): the
// search's matches are one more source for the planner, which sizes each
// source and drives from the smallest, so "bob among the suspended
// members of a large group" starts from whichever of the three is
// smallest, and any sort order serves.
func (s *Store) FindUsers(ctx context.Context, poolID string, search *model.UserSearch, filter *model.UserFilter, sort model.UserSort, page model.Page, cols []string) ([]*model.User, int64, error) {
	order, err := userOrdering(sort)
	if err != nil {
		return nil, 0, err
	}
	f, err := s.compileFilter(ctx, poolID, filter, search)
	if err != nil {
		return nil, 0, err
	}
	if err := f.plan(s.read(ctx), s.db.eng, poolID); err != nil {
		return nil, 0, err
	}
	// The count is skipped when nobody reads it and the page's plan does
	// not depend on it (only a filter on a set consults it).
	var total int64
	if !page.NoCount || len(f.sets) > 0 {
		if f.oneSet() && f.live {
			total, err = f.countLive(s.read(ctx), s.db.eng, poolID, page)
		} else {
			total, err = countRows(f.count(s.read(ctx), s.db.eng, poolID), page)
		}
		if err != nil {
			return nil, 0, err
		}
	}
	q := f.page(s.read(ctx), s.db.eng, poolID, total)
	if page.After != nil {
		cond, args := order.After(page.After, s.db.eng.NullsSmallest())
		q = q.Where(cond, args...)
	}
	if cols != nil && page.Next && !slices.Contains(cols, sortColumns[sort.Field]) {
		cols = append(slices.Clone(cols), sortColumns[sort.Field]) // the end cursor's value
	}
	if page.After == nil && page.Offset() >= deepOffset && s.db.eng.DeepPagesByID() {
		q, page = s.deepPage(ctx, q, order, page)
	}
	list, err := pageRows[model.User](q, page, order.SQL(), query.Qualified("users", cols)...)
	return list, total, err
}

// deepOffset is where deepPage starts to pay on SQLite: below it, walking
// the rows before the page costs less than reading the page's rows by id
// (measured over 40,000 users: 40 µs against 70 µs at offset 100, even
// at 2,000, 415 µs against 290 µs at 5,000).
var deepOffset = 2000 // a variable so tests can reach both plans

// deepPage turns q, a listing's query, into one that reads the same page
// for an offset of deepOffset or more: the ids of the page are found by
// the offset in a subquery that reads the order's index alone (SQLite
// reads the table row of every row an offset skips when the page needs
// columns the index lacks), and the page's rows are then joined by id,
// in the same statement, so from the same snapshot: exactly the rows
// OFFSET reads. The page returned reads q's page from the top.
func (s *Store) deepPage(ctx context.Context, q *gorm.DB, order query.Ordering, page model.Page) (*gorm.DB, model.Page) {
	ids := q.Select("users.id").Order(order.SQL()).Offset(page.Offset()).Limit(page.Fetch())
	return s.read(ctx).Table("(?) AS page", ids).Joins("JOIN users ON users.id = page.id"),
		model.Page{Page: 1, Limit: page.Limit, Next: page.Next}
}

// userOrdering is a user listing's order: the sort column, then id.
func userOrdering(sort model.UserSort) (query.Ordering, error) {
	col, ok := sortColumns[sort.Field]
	if !ok {
		return query.Ordering{}, model.Invalid("sortBy.field", "cannot sort by %q", sort.Field)
	}
	desc := sort.Order != model.SortAsc
	return query.Ordering{Name: fmt.Sprintf("users:%s:%s", sort.Field, map[bool]string{false: "ASC", true: "DESC"}[desc]), Cols: []query.OrderCol{
		{Col: "users." + col, Desc: desc, Time: col != "username", Nullable: col == "username" || col == "last_login"},
		{Col: "users.id", Desc: desc},
	}}, nil
}

// DecodeUserCursor reads a client's cursor for a user listing in the order
// sort (INVALID_INPUT on field otherwise).
func DecodeUserCursor(field, cursor string, sort model.UserSort) (*model.Cursor, error) {
	o, err := userOrdering(sort)
	if err != nil {
		return nil, err
	}
	return o.Decode(field, cursor)
}

// UserCursor is the position of u in a user listing in the order sort.
func UserCursor(u *model.User, sort model.UserSort) string {
	o, _ := userOrdering(sort)
	var v any
	switch sort.Field {
	case model.SortCreatedAt:
		v = u.CreatedAt
	case model.SortUpdatedAt:
		v = u.UpdatedAt
	case model.SortLastLogin:
		v = model.OrNil(u.LastLogin)
	case model.SortUsername:
		v = model.OrNil(u.Username)
	}
	return o.Cursor(v, u.ID).Encode()
}

// keyColumns maps a UserKey field to its uniquely indexed column.
var keyColumns = map[string]string{
	"username":   "username",
	"email":      "email",
	"phone":      "phone",
	"externalId": "external_id",
}

// FindUser returns the user of the pool with the given unique attribute, or
// a NOT_FOUND error.
func (s *Store) FindUser(ctx context.Context, poolID string, key model.UserKey) (*model.User, error) {
	col, ok := keyColumns[key.Field]
	if !ok {
		return nil, model.Invalid(key.Field, "cannot find users by %s", key.Field)
	}
	var u model.User
	err := s.read(ctx).Where("pool_id = ? AND "+col+" = ?", poolID, key.Value).Take(&u).Error
	if err != nil {
		return nil, translate(userNotFound(err, key.Field, key.Value))
	}
	return &u, nil
}

// UsersByKey returns the users of the pool whose unique attribute field
// ("id", "username", "email", "phone" or "externalId") is one of values,
// in one statement; values matching nobody are left out. Each value is
// checked and normalized as FindUser's (an email is lower-cased), and a bad
// one is INVALID_INPUT on values.<i>.
func (s *Store) UsersByKey(ctx context.Context, poolID, field string, values []string) ([]*model.User, error) {
	if len(values) > model.MaxBatch {
		return nil, model.Invalid("values", "give at most %d values", model.MaxBatch)
	}
	if field == "id" {
		return s.UsersByIDs(ctx, poolID, values)
	}
	col, ok := keyColumns[field]
	if !ok {
		return nil, model.Invalid("field", "cannot find users by %s", field)
	}
	keys := make([]string, len(values))
	for i, v := range values {
		k, err := model.NewUserKey(ptrIf(field == "username", v), ptrIf(field == "email", v), ptrIf(field == "phone", v), ptrIf(field == "externalId", v))
		if err != nil {
			var me *model.Error
			if errors.As(err, &me) {
				return nil, model.Invalid("values."+itoa(i), "%s", me.Message)
			}
			return nil, err
		}
		keys[i] = k.Value
	}
	var users []*model.User
	err := s.read(ctx).Where("pool_id = ? AND "+col+" IN ?", poolID, keys).Order("created_at, id").Find(&users).Error
	return users, translate(err)
}

// ptrIf is &v when cond holds, else nil.
func ptrIf(cond bool, v string) *string {
	if cond {
		return &v
	}
	return nil
}

// DeleteUsers deletes users of the pool, all or nothing: if any id is
// unknown, nothing is deleted. This is the one place users are deleted;
// everything that belongs to a user (identities, memberships, custom data,
// grants) goes with it through ON DELETE CASCADE foreign keys.
func (s *Store) DeleteUsers(ctx context.Context, poolID string, ids []string) error {
	if len(ids) == 0 {
		return model.Invalid("ids", "give at least one id")
	}
	if len(ids) > model.MaxBatch {
		return model.Invalid("ids", "at most %d ids", model.MaxBatch)
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		var users []*model.User
		if err := tx.Where("pool_id = ? AND id IN ?", poolID, ids).Find(&users).Error; err != nil {
			return err
		}
		have := make([]string, len(users))
		for i, u := range users {
			have[i] = u.ID
			recordDiff(tx, poolID, model.AuditUser, u.ID, u, nil)
			if u.PasswordHash != "" {
				recordChanges(tx, poolID, model.AuditUser, u.ID, model.SecretChange("password", true, false))
			}
		}
		if err := firstMissing(ids, have, "ids", "user", "this user pool"); err != nil {
			return err
		}
		if err := s.db.eng.DropFromSearch(tx, poolID, ids); err != nil {
			return err
		}
		return tx.Where("pool_id = ? AND id IN ?", poolID, ids).Delete(&model.User{}).Error
	})
}

// IdentitiesByUserIDs returns the identities of each of the pool's users
// among ids, in one statement.
func (s *Store) IdentitiesByUserIDs(ctx context.Context, poolID string, ids []string) (map[string][]*model.Identity, error) {
	var rows []*model.Identity
	err := s.read(ctx).Where("pool_id = ? AND user_id IN ?", poolID, ids).Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	if err := query.Charge(ctx, len(rows)); err != nil {
		return nil, err
	}
	out := make(map[string][]*model.Identity, len(ids))
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r)
	}
	return out, nil
}

// TakenIdentifiers returns which of values a user of the pool already
// holds as its field ("username", "email", "phone" or "externalId"), in a
// few indexed statements whatever their number: an import checks its
// lines against the pool before it writes any.
func (s *Store) TakenIdentifiers(ctx context.Context, poolID, field string, values []string) (map[string]bool, error) {
	col, ok := keyColumns[field]
	if !ok {
		return nil, model.Invalid("field", "users are not unique by %q", field)
	}
	taken := map[string]bool{}
	for chunk := range slices.Chunk(values, 500) {
		var held []string
		if err := s.read(ctx).Model(&model.User{}).Where("pool_id = ? AND "+col+" IN ?", poolID, chunk).Pluck(col, &held).Error; err != nil {
			return nil, translate(err)
		}
		for _, v := range held {
			taken[v] = true
		}
	}
	return taken, nil
}
