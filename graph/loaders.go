package graph

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/graph-gophers/dataloader/v7"
	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/db"
	"usergraph/graph/exec"
	"usergraph/model"
)

// loaderWait is how long a loader gathers keys that were not handed to it
// as a whole batch (see loader.fill) before it runs their batch.
const loaderWait = 2 * time.Millisecond

// Loaders batch the relation fields of one request, so a nested list costs
// one statement per relation rather than one per parent. They are made per
// request, bound to the request's pool, and dropped with it: nothing is
// cached across requests (replicas must see each other's writes at once).
//
// Relation fields are gqlgen batch resolvers too, and both are needed.
// A batch resolver receives every parent of one list at once, so a page's
// keys reach the loader together and are fetched as one batch at once (no
// timing window to miss, however busy the machine). But gqlgen calls it
// once per sibling list: the users of each of ten groups are ten lists, and
// each asks for its users' groups separately. The loader answers those
// calls from its per-request cache (prefetchMembers fills it with every
// member of every list first), so a nested page still costs one statement
// per relation.
type Loaders struct {
	identitiesByUserID  *loader[string, []*model.Identity]
	groupsByUserID      *loader[string, []*model.Group]
	rolesByUserID       *loader[string, []*model.HeldRole] // every namespace, direct and through groups
	rolesByGroupID      *loader[string, []*model.Role]
	childrenByGroupID   *loader[string, []*model.Group]
	ancestorsByGroupID  *loader[string, []*model.Group]  // the root first
	usersUnderGroupID   *loader[pageKey, *exec.UserList] // members of the group and its descendants
	usersByGroupID      *loader[pageKey, *exec.UserList]
	usersByRoleID       *loader[pageKey, *exec.UserList]
	customDataByUserID  *loader[string, model.CustomData]
	customDataByGroupID *loader[string, model.CustomData]
	customDataByRoleID  *loader[string, model.CustomData]
	grantsByUserID      *loader[string, []model.ReachedGrant] // through the user, its roles and groups
	grantsByRoleID      *loader[string, []model.ReachedGrant]
	grantsByGroupID     *loader[string, []model.ReachedGrant]
	auditByObjectID     *loader[pageKey, []*model.AuditRecord]
}

// pageKey asks for one page of one parent's members, reading the user
// columns the query selects (comma-joined; "" for all).
type pageKey struct {
	ParentID string
	Page     model.Page
	Cols     string
}

// pageReq is what one fetch of member pages serves: many parents, one
// page, one set of columns.
type pageReq struct {
	page model.Page
	cols string
}

func newLoaders(s *db.Store, poolID string) *Loaders {
	return &Loaders{
		identitiesByUserID: mapLoader(func(ctx context.Context, ids []string) (map[string][]*model.Identity, error) {
			return s.IdentitiesByUserIDs(ctx, poolID, ids)
		}),
		groupsByUserID: mapLoader(func(ctx context.Context, ids []string) (map[string][]*model.Group, error) {
			return s.GroupsByUserIDs(ctx, poolID, ids)
		}),
		rolesByUserID: mapLoader(func(ctx context.Context, ids []string) (map[string][]*model.HeldRole, error) {
			return s.HeldRolesByUserIDs(ctx, poolID, ids)
		}),
		rolesByGroupID: mapLoader(func(ctx context.Context, ids []string) (map[string][]*model.Role, error) {
			return s.RolesByGroupIDs(ctx, poolID, ids)
		}),
		childrenByGroupID: mapLoader(func(ctx context.Context, ids []string) (map[string][]*model.Group, error) {
			return s.ChildrenByGroupIDs(ctx, poolID, ids)
		}),
		ancestorsByGroupID: mapLoader(func(ctx context.Context, ids []string) (map[string][]*model.Group, error) {
			return s.AncestorsByGroupIDs(ctx, poolID, ids)
		}),
		usersUnderGroupID: memberPageLoader(func(ctx context.Context, ids []string, p model.Page, cols []string) (map[string][]*model.User, map[string]int, error) {
			return s.DeepMembersByGroupIDs(ctx, poolID, ids, p, cols)
		}),
		customDataByUserID: mapLoader(func(ctx context.Context, ids []string) (map[string]model.CustomData, error) {
			return s.CustomDataByUserIDs(ctx, poolID, ids)
		}),
		customDataByGroupID: mapLoader(func(ctx context.Context, ids []string) (map[string]model.CustomData, error) {
			return s.CustomDataByGroupIDs(ctx, poolID, ids)
		}),
		customDataByRoleID: mapLoader(func(ctx context.Context, ids []string) (map[string]model.CustomData, error) {
			return s.CustomDataByRoleIDs(ctx, poolID, ids)
		}),
		grantsByUserID:  grantLoader(s, poolID, model.TargetUser),
		grantsByRoleID:  grantLoader(s, poolID, model.TargetRole),
		grantsByGroupID: grantLoader(s, poolID, model.TargetGroup),
		usersByGroupID: memberPageLoader(func(ctx context.Context, ids []string, p model.Page, cols []string) (map[string][]*model.User, map[string]int, error) {
			return s.MembersByGroupIDs(ctx, poolID, ids, p, cols)
		}),
		usersByRoleID: memberPageLoader(func(ctx context.Context, ids []string, p model.Page, cols []string) (map[string][]*model.User, map[string]int, error) {
			return s.MembersByRoleIDs(ctx, poolID, ids, p, cols)
		}),
		auditByObjectID: pageLoader(func(ctx context.Context, ids []string, r pageReq) (map[string][]*model.AuditRecord, error) {
			return s.AuditLogsByObjectIDs(ctx, poolID, ids, r.page)
		}),
	}
}

// grantLoader loads the grants reaching users, roles or groups.
func grantLoader(s *db.Store, poolID string, kind model.TargetType) *loader[string, []model.ReachedGrant] {
	return mapLoader(func(ctx context.Context, ids []string) (map[string][]model.ReachedGrant, error) {
		return s.GrantsByTargetIDs(ctx, poolID, kind, ids)
	})
}

// authorizedLists loads the grants reaching each subject and merges them
// into its authorized resources, filtered by namespace and type.
func authorizedLists(ctx context.Context, l *loader[string, []model.ReachedGrant], ids []string, ns *string, typ *model.ResourceType) ([]*exec.AuthorizedResourceList, error) {
	reached, err := loadAll(ctx, l, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*exec.AuthorizedResourceList, len(reached))
	for i, rg := range reached {
		list := model.MergeGrants(rg, deref(ns), derefType(typ))
		out[i] = &exec.AuthorizedResourceList{TotalCount: len(list), List: cut(list, model.MaxNestedList)}
	}
	return out, nil
}

// pageLoader makes a loader of one page per parent from a fetch that
// serves many parents with one page request: keys are grouped by request,
// so a request costs one fetch per distinct page (one, unless aliases
// differ).
func pageLoader[V any](fetch func(context.Context, []string, pageReq) (map[string]V, error)) *loader[pageKey, V] {
	return mapLoader(func(ctx context.Context, keys []pageKey) (map[pageKey]V, error) {
		byReq := map[pageReq][]string{}
		for _, k := range keys {
			r := pageReq{k.Page, k.Cols}
			byReq[r] = append(byReq[r], k.ParentID)
		}
		out := make(map[pageKey]V, len(keys))
		for r, ids := range byReq {
			got, err := fetch(ctx, ids, r)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				out[pageKey{id, r.page, r.cols}] = got[id]
			}
		}
		return out, nil
	})
}

// memberPageLoader makes a loader of member pages (and each parent's
// member count) from a fetch of members.
func memberPageLoader(fetch func(context.Context, []string, model.Page, []string) (map[string][]*model.User, map[string]int, error)) *loader[pageKey, *exec.UserList] {
	return pageLoader(func(ctx context.Context, ids []string, r pageReq) (map[string]*exec.UserList, error) {
		var cols []string
		if r.cols != "" {
			cols = strings.Split(r.cols, ",")
		}
		users, totals, err := fetch(ctx, ids, r.page, cols)
		if err != nil {
			return nil, err
		}
		out := make(map[string]*exec.UserList, len(ids))
		for _, id := range ids {
			// Member lists page by number: whether more follow is known
			// from the exact count; they have no cursor.
			more := r.page.Offset()+len(users[id]) < totals[id]
			out[id] = &exec.UserList{TotalCount: totals[id], TotalCountExact: true, List: users[id], PageInfo: &model.PageInfo{HasNextPage: more}}
		}
		return out, nil
	})
}

// loaders returns the request's loaders.
func loaders(ctx context.Context) *Loaders {
	l, _ := ctx.Value(loadersKey).(*Loaders)
	return l
}

// loader is a dataloader whose keys mostly arrive as whole batches. Its
// dataloader gives the per-request cache (a key is fetched once per
// request) and, for a key loaded on its own, the usual timed batch window.
// Keys handed over together (loadAll, fill) skip the window: the ones not
// yet cached are fetched at once, in one call of the same batch function,
// and put in the cache. A timed window would split them whenever the
// goroutine queuing them is descheduled for longer than the wait, and the
// page would cost two statements instead of one.
//
// The dataloader is made on first use: a request uses few of its sixteen
// loaders, and making them all is work most requests would throw away.
type loader[K comparable, V any] struct {
	batch dataloader.BatchFunc[K, V]
	once  sync.Once
	dl    *dataloader.Loader[K, V]
	cache *dataloader.InMemoryCache[K, V]
}

// start makes the dataloader and its cache, once, and returns it.
func (l *loader[K, V]) start() *dataloader.Loader[K, V] {
	l.once.Do(func() {
		l.cache = dataloader.NewCache[K, V]()
		l.dl = dataloader.NewBatchedLoader(l.batch,
			dataloader.WithCache[K, V](l.cache),
			dataloader.WithWait[K, V](loaderWait),
			dataloader.WithBatchCapacity[K, V](model.MaxLimit*10),
		)
	})
	return l.dl
}

// mapLoader makes a loader from a fetch that returns a map keyed like its
// input: the batch function answers every key, in key order, with the
// fetched value or its zero value (an empty list) when the map lacks it.
func mapLoader[K comparable, V any](fetch func(context.Context, []K) (map[K]V, error)) *loader[K, V] {
	batch := func(ctx context.Context, keys []K) []*dataloader.Result[V] {
		m, err := fetch(ctx, keys)
		out := make([]*dataloader.Result[V], len(keys))
		for i, k := range keys {
			if err != nil {
				out[i] = &dataloader.Result[V]{Error: err}
			} else {
				out[i] = &dataloader.Result[V]{Data: m[k]}
			}
		}
		return out
	}
	return &loader[K, V]{batch: batch}
}

// fill fetches, in one batch, the keys not yet in the cache, and caches
// their values. Two concurrent fills of the same new key both fetch it;
// the first value cached is kept.
func (l *loader[K, V]) fill(ctx context.Context, keys []K) error {
	dl := l.start()
	var missing []K
	seen := make(map[K]bool, len(keys))
	for _, k := range keys {
		if _, ok := l.cache.Get(ctx, k); !ok && !seen[k] {
			seen[k] = true
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	results := l.batch(ctx, missing)
	for i, k := range missing {
		if results[i].Error != nil {
			return results[i].Error
		}
		dl.Prime(ctx, k, results[i].Data)
	}
	return nil
}

// loadAll loads one value per key through l, for a batch resolver that gets
// every sibling parent at once: the keys not yet cached cost one fetch.
func loadAll[K comparable, V any](ctx context.Context, l *loader[K, V], keys []K) ([]V, error) {
	if err := l.fill(ctx, keys); err != nil {
		return nil, err
	}
	out := make([]V, len(keys))
	for i, k := range keys {
		v, err := l.start().Load(ctx, k)()
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// customDataLists loads the custom data of each record through l, an
// empty object for a record without any.
func customDataLists(ctx context.Context, l *loader[string, model.CustomData], ids []string) ([]any, error) {
	data, err := loadAll(ctx, l, ids)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(data))
	for i, d := range data {
		if d == nil {
			d = model.CustomData{}
		}
		out[i] = d
	}
	return out, nil
}

// groupIDs lists the ids of groups, in order.
func groupIDs(groups []*model.Group) []string {
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	return ids
}

// userIDs lists the ids of users, in order.
func userIDs(users []*model.User) []string {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	return ids
}

// loadPages loads one page of members for each parent through l.
func loadPages(ctx context.Context, l *loader[pageKey, *exec.UserList], parentIDs []string, page, limit *int) ([]*exec.UserList, error) {
	p, err := model.NewPage(page, limit)
	if err != nil {
		return nil, err
	}
	// Read only the columns the members' selected fields need: a page of
	// ids must not read whole user rows.
	cols := strings.Join(model.UserColumns(listedUserFields(ctx)), ",")
	keys := make([]pageKey, len(parentIDs))
	for i, id := range parentIDs {
		keys[i] = pageKey{id, p, cols}
	}
	pages, err := loadAll(ctx, l, keys)
	if err == nil {
		prefetchMembers(ctx, pages)
	}
	return pages, err
}

// prefetchMembers fills the loaders that the members' selected relation
// fields will use, each in one batch over the members of every parent.
//
// gqlgen calls a batch resolver once per sibling list, and it walks the
// lists of several parents (the users of each group) one after another, so
// without this each group's users would load their groups in a statement of
// their own. Filling the loaders with every member at once makes the later
// per-list loads hit the loader's cache: one statement per relation. The
// relations are fetched concurrently, as sibling fields would be; a failed
// fill is left for the field's own resolver to fetch again and report.
func prefetchMembers(ctx context.Context, pages []*exec.UserList) {
	var users []*model.User
	for _, p := range pages {
		users = append(users, p.List...)
	}
	if len(users) == 0 {
		return
	}
	ids := userIDs(users)
	l := loaders(ctx)
	fills := map[string]func(){} // by relation: roles and heldRoles share one
	for _, sel := range listedUserSelections(ctx) {
		switch sel.Name {
		case "identities":
			fills[sel.Name] = func() { _ = l.identitiesByUserID.fill(ctx, ids) }
		case "groups":
			fills[sel.Name] = func() { _ = l.groupsByUserID.fill(ctx, ids) }
		case "roles", "heldRoles":
			fills["roles"] = func() { _ = l.rolesByUserID.fill(ctx, ids) }
		case "customData":
			fills[sel.Name] = func() { _ = l.customDataByUserID.fill(ctx, ids) }
		case "authorizedResources":
			fills[sel.Name] = func() { _ = l.grantsByUserID.fill(ctx, ids) }
		case "auditLog":
			args := sel.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
			p, err := model.NewPage(intArg(args["page"]), intArg(args["limit"]))
			if err != nil {
				continue // the field's own resolver reports it
			}
			keys := make([]pageKey, len(ids))
			for i, id := range ids {
				keys[i] = pageKey{ParentID: id, Page: p}
			}
			fills[fmt.Sprint(sel.Name, p)] = func() { _ = l.auditByObjectID.fill(ctx, keys) }
		}
	}
	var wg sync.WaitGroup
	for _, fill := range fills {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fill()
		}()
	}
	wg.Wait()
}

// intArg is an Int argument's value as ArgumentMap gives it (nil: absent).
func intArg(v any) *int {
	switch n := v.(type) {
	case int64:
		i := int(n)
		return &i
	case int:
		return &n
	}
	return nil
}

// listedUserFields names the User fields the query selects under `list` of
// the exec.UserList field being resolved.
func listedUserFields(ctx context.Context) []string {
	return fieldNames(listedUserSelections(ctx))
}

// fieldNames is the names of the collected fields.
func fieldNames(sels []graphql.CollectedField) []string {
	names := make([]string, len(sels))
	for i, f := range sels {
		names[i] = f.Name
	}
	return names
}

// selectedUserColumns is the columns the User fields selected by the
// field being resolved read, when it returns a User, or nil (every
// column) when it does not: a field that looks a user up for another
// purpose reads it whole. Worked out once per field of a document when no
// directive can change the selection.
func selectedUserColumns(ctx context.Context) []string {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil || fc.Field.Definition.Type.Name() != "User" {
		return nil
	}
	if cols, ok := userColumnsOfField.Get(fc.Field.Field); ok {
		return cols
	}
	cols := model.UserColumns(fieldNames(graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, []string{"User"})))
	if plainSelections(fc.Field.Selections) {
		userColumnsOfField.Put(fc.Field.Field, cols)
	}
	return cols
}

// userColumnsOfField keeps selectedUserColumns' answers.
var userColumnsOfField = newDocCache[*ast.Field, []string]()

// listedUserSelections is the User fields the query selects under `list`
// of the exec.UserList field being resolved, with their arguments.
func listedUserSelections(ctx context.Context) []graphql.CollectedField {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	var out []graphql.CollectedField
	for _, list := range graphql.CollectFields(op, fc.Field.Selections, []string{"exec.UserList"}) {
		if list.Name == "list" {
			out = append(out, graphql.CollectFields(op, list.Selections, []string{"User"})...)
		}
	}
	return out
}
