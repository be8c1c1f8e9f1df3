package graph

import (
	"context"
	"errors"
	"slices"

	"usergraph/db"
	"usergraph/graph/exec"
	"usergraph/model"

	"github.com/99designs/gqlgen/graphql"
)

// nullIfNotFound turns NOT_FOUND into a null result: single-object queries
// (user, findUser) answer an unknown key with null, not an error.
func nullIfNotFound[T any](v *T, err error) (*T, error) {
	if errors.Is(err, model.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// deref reads an optional string argument; absent is "".
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// derefType reads an optional resource type; absent is "" (any type).
func derefType(t *model.ResourceType) model.ResourceType {
	if t == nil {
		return ""
	}
	return *t
}

// cut keeps the first max items of an unpaged list. Unpaged lists are
// bounded so that what a query may cost is known before it runs; the
// list's totalCount still counts every item, so a client sees the cut.
func cut[T any](list []T, max int) []T {
	if len(list) > max {
		return list[:max]
	}
	return list
}

// groupList and roleList wrap a store's full list as a list page.
func groupList(list []*model.Group, err error) (*exec.GroupList, error) {
	if err != nil {
		return nil, err
	}
	return nestedGroups(list), nil
}

// nestedGroups and nestedRoles list a record's groups or roles, cut.
func nestedGroups(list []*model.Group) *exec.GroupList {
	l := new(exec.GroupList)
	fillNested(l, list, new(model.PageInfo))
	return l
}

func nestedRoles(list []*model.Role) *exec.RoleList {
	l := new(exec.RoleList)
	fillRoles(l, list, new(model.PageInfo))
	return l
}

// fillNested and fillRoles fill l with list, cut, and info with whether
// it was cut: the batch resolvers lay a level's lists out in one slice of
// each (two allocations a level rather than two a record).
func fillNested(l *exec.GroupList, list []*model.Group, info *model.PageInfo) {
	cutList := cut(list, model.MaxNestedList)
	info.HasNextPage = len(cutList) < len(list)
	*l = exec.GroupList{TotalCount: len(list), List: cutList, PageInfo: info}
}

func fillRoles(l *exec.RoleList, list []*model.Role, info *model.PageInfo) {
	cutList := cut(list, model.MaxNestedList)
	info.HasNextPage = len(cutList) < len(list)
	*l = exec.RoleList{TotalCount: len(list), List: cutList, PageInfo: info}
}

// groupLists is each user's groups as User.groups answers them.
func groupLists(groups [][]*model.Group) []*exec.GroupList {
	out := make([]*exec.GroupList, len(groups))
	lists, infos := make([]exec.GroupList, len(groups)), make([]model.PageInfo, len(groups))
	for i, g := range groups {
		fillNested(&lists[i], g, &infos[i])
		out[i] = &lists[i]
	}
	return out
}

// heldRoleLists is each user's roles as User.roles answers them: in
// namespace (every one when nil), only those held directly when direct.
func heldRoleLists(held [][]*model.HeldRole, namespace *string, direct *bool) []*exec.RoleList {
	onlyDirect := direct != nil && *direct
	out := make([]*exec.RoleList, len(held))
	lists, infos := make([]exec.RoleList, len(held)), make([]model.PageInfo, len(held))
	n := 0
	for _, hs := range held {
		n += len(hs)
	}
	all := make([]*model.Role, 0, n) // every user's roles, one after another
	for i, hs := range held {
		start := len(all)
		for _, h := range hs {
			if h.Direct || !onlyDirect {
				all = append(all, h.Role)
			}
		}
		rs := model.RolesIn(all[start:len(all):len(all)], deref(namespace))
		fillRoles(&lists[i], rs, &infos[i])
		out[i] = &lists[i]
	}
	return out
}

func roleList(list []*model.Role, err error) (*exec.RoleList, error) {
	if err != nil {
		return nil, err
	}
	return nestedRoles(list), nil
}

// batchOptions reads the options of a batch write; atomic defaults to true.
func batchOptions(atomic, reset, generate *bool) db.BatchOptions {
	return db.BatchOptions{
		Atomic:                   atomic == nil || *atomic,
		ResetPasswordOnNextLogin: reset != nil && *reset,
		AutoGeneratePassword:     generate != nil && *generate,
	}
}

// userKeyFields maps a userIdType to the attribute it names.
var userKeyFields = map[exec.UserIDType]string{
	exec.UserIDTypeID: "id", exec.UserIDTypeUsername: "username", exec.UserIDTypeEmail: "email",
	exec.UserIDTypePhone: "phone", exec.UserIDTypeExternalID: "externalId",
}

// userKey names a user by a userIdType, normalized as on write (an email is
// lower-cased). Errors name the item's userId.
func userKey(t exec.UserIDType, v string) (model.UserKey, error) {
	field := userKeyFields[t]
	if field == "id" {
		return model.UserKey{Field: "id", Value: v}, nil
	}
	args := map[string]*string{field: &v}
	key, err := model.NewUserKey(args["username"], args["email"], args["phone"], args["externalId"])
	if me, ok := model.AsError(err); ok {
		c := *me
		c.Field = "userId"
		return key, &c
	}
	return key, err
}

// batchResults maps a batch's outcomes to the API's results.
func batchResults(res []db.BatchResult) []*exec.BatchUserResult {
	out := make([]*exec.BatchUserResult, len(res))
	for i, r := range res {
		out[i] = &exec.BatchUserResult{Index: r.Index, User: r.User}
		if r.Password != "" {
			p := r.Password
			out[i].Password = &p
		}
		if r.Err != nil {
			out[i].Error = &exec.ItemError{Code: string(r.Err.Code), Message: r.Err.Message}
			if r.Err.Field != "" {
				f := r.Err.Field
				out[i].Error.Field = &f
			}
		}
	}
	return out
}

// listOf validates the paging arguments (decode reads the listing's
// cursors), fetches that page and wraps it with its total and pageInfo
// (cursor gives an item's position): the shape of every paginated list
// query but the user listings.
func listOf[T, L any](ctx context.Context, pg pageArgs, decode func(field, s string) (*model.Cursor, error), cursor func(*T) string,
	fetch func(model.Page) ([]*T, int64, error), wrap func(list []*T, total int, info *model.PageInfo) *L) (*L, error) {
	p, err := pg.resolve(ctx, decode)
	if err != nil {
		return nil, err
	}
	list, total, err := fetch(p)
	if err != nil {
		return nil, err
	}
	list, info := withPageInfo(p, list, cursor)
	return wrap(list, int(total), info), nil
}

// selectsCount reports whether the query reads the listing's count
// (totalCount or totalCountExact) under any alias or fragment.
func selectsCount(ctx context.Context) bool {
	return selectsField(ctx, "totalCount", "totalCountExact")
}

// selectsField reports whether the query reads any of the named fields of
// the field being resolved, under any alias or fragment (true when it
// cannot tell).
func selectsField(ctx context.Context, names ...string) bool {
	if graphql.GetFieldContext(ctx) == nil {
		return true
	}
	return slices.ContainsFunc(selectedFields(ctx), func(n string) bool { return slices.Contains(names, n) })
}

// userListing runs a listing of the pool's users. Unless exactCount, the
// count stops at countLimit matches and totalCount is then a lower bound.
func userListing(ctx context.Context, pg pageArgs, exactCount *bool, countLimit int64, sort model.UserSort, fetch func(model.Page) ([]*model.User, int64, error)) (*exec.UserList, error) {
	p, err := pg.resolve(ctx, func(field, s string) (*model.Cursor, error) { return db.DecodeUserCursor(field, s, sort) })
	if err != nil {
		return nil, err
	}
	p.NoCount = !selectsCount(ctx)
	if exactCount == nil || !*exactCount {
		p.CountTo = countLimit
	}
	list, read, err := fetch(p)
	if err != nil {
		return nil, err
	}
	total, exact := p.Total(read)
	list, info := withPageInfo(p, list, func(u *model.User) string { return db.UserCursor(u, sort) })
	return &exec.UserList{TotalCount: int(total), TotalCountExact: exact, List: list, PageInfo: info}, nil
}

// pageArgs are a listing's paging arguments: by number (page, limit) or by
// cursor (after, with first as the page size).
type pageArgs struct {
	page, limit, first *int
	after              *string
}

// resolve validates the arguments into a page; decode reads a cursor of the
// listing's order. Next is set when the query reads pageInfo.
func (a pageArgs) resolve(ctx context.Context, decode func(field, s string) (*model.Cursor, error)) (model.Page, error) {
	p, err := model.NewPage(a.page, firstOr(a.first, a.limit))
	if err != nil {
		if me, ok := model.AsError(err); ok && me.Field == "limit" && a.first != nil {
			err = model.WithField(err, "first")
		}
		return p, err
	}
	if a.after != nil {
		if p.Page != 1 {
			return p, model.Invalid("after", "page by cursor (after) or by number (page), not both")
		}
		if p.After, err = decode("after", *a.after); err != nil {
			return p, err
		}
	}
	p.Next = selectsField(ctx, "pageInfo")
	return p, nil
}

// withPageInfo trims the extra row a page read to tell whether another
// follows (Page.Next), and says so, with the cursor of the page's last
// item.
func withPageInfo[T any](p model.Page, list []*T, cursor func(*T) string) ([]*T, *model.PageInfo) {
	info := &model.PageInfo{}
	if !p.Next {
		return list, info
	}
	if len(list) > p.Limit {
		list, info.HasNextPage = list[:p.Limit], true
	}
	if len(list) > 0 {
		c := cursor(list[len(list)-1])
		info.EndCursor = &c
	}
	return list, info
}

// one is the only user of a one-id batch write, with the batch's "ids.0"
// errors named for the single call's "id".
func one(users []*model.User, err error) (*model.User, error) {
	if err != nil {
		return nil, args{rename: map[string]string{"ids.0": "id"}}.path(err)
	}
	return users[0], nil
}

// sortOrDefault is the order a listing asked for, or newest first.
func sortOrDefault(s *model.UserSort) model.UserSort {
	if s == nil {
		return model.DefaultUserSort
	}
	return *s
}
