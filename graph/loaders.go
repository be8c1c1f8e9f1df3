package graph

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/graph-gophers/dataloader/v7"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"usergraph/db"
	"usergraph/graph/exec"
	"usergraph/internal/tracing"
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
// Relation fields are batch resolvers: the planned executor (graph/plan)
// calls each once with every parent at one level of the answer, however
// they are spread over lists, so the keys reach the loader together and
// are fetched as one batch at once (no timing window to miss, however busy
// the machine). gqlgen's executor, which serves mutations, calls them once
// per sibling list; the loader's per-request cache then answers a key
// asked for twice.
//
// Groups and roles are read with only the columns the query selects of
// them (a page's codes cost a third of its whole rows), so their keys name
// the columns too.
type Loaders struct {
	s    *db.Store
	pool string

	identitiesByUserID  loader[string, []*model.Identity]
	groupsByUserID      loader[colKey, []*model.Group]
	groupsAboveUserID   loader[colKey, []*model.Group]    // the user's groups and every group above them
	rolesByUserID       loader[colKey, []*model.HeldRole] // every namespace, direct and through groups
	rolesByGroupID      loader[string, []*model.Role]
	childrenByGroupID   loader[string, []*model.Group]
	ancestorsByGroupID  loader[string, []*model.Group]  // the root first
	usersUnderGroupID   loader[pageKey, *exec.UserList] // members of the group and its descendants
	usersByGroupID      loader[pageKey, *exec.UserList]
	usersByRoleID       loader[pageKey, *exec.UserList]
	usersHoldingRoleID  loader[pageKey, *exec.UserList] // members, and members of groups that have it
	customDataByUserID  loader[string, model.CustomData]
	customDataByGroupID loader[string, model.CustomData]
	customDataByRoleID  loader[string, model.CustomData]
	grantsByUserID      loader[string, []model.ReachedGrant] // through the user, its roles and groups
	grantsByRoleID      loader[string, []model.ReachedGrant]
	grantsByGroupID     loader[string, []model.ReachedGrant]
	auditByObjectID     loader[pageKey, []*model.AuditRecord]
}

// pageKey asks for one page of one parent's members, reading the user
// columns the query selects (comma-joined; "" for all).
type pageKey struct {
	ParentID string
	Page     model.Page
	Cols     string
}

// colKey asks for one parent's related rows, reading the given columns
// (comma-joined; "" for all).
type colKey struct {
	ParentID string
	Cols     string
}

// colKeys are the keys of ids, each reading cols.
func colKeys(ids, cols []string) []colKey {
	joined := strings.Join(cols, ",")
	keys := make([]colKey, len(ids))
	for i, id := range ids {
		keys[i] = colKey{id, joined}
	}
	return keys
}

// pageReq is what one fetch of member pages serves: many parents, one
// page, one set of columns.
type pageReq struct {
	page model.Page
	cols string
}

func newLoaders(s *db.Store, poolID string) *Loaders {
	return &Loaders{s: s, pool: poolID,
		identitiesByUserID:  loader[string, []*model.Identity]{name: "identitiesByUserID", fetch: identitiesByUserID},
		groupsByUserID:      loader[colKey, []*model.Group]{name: "groupsByUserID", fetch: groupsByUserID},
		groupsAboveUserID:   loader[colKey, []*model.Group]{name: "groupsAboveUserID", fetch: groupsAboveUserID},
		rolesByUserID:       loader[colKey, []*model.HeldRole]{name: "rolesByUserID", fetch: rolesByUserID},
		rolesByGroupID:      loader[string, []*model.Role]{name: "rolesByGroupID", fetch: rolesByGroupID},
		childrenByGroupID:   loader[string, []*model.Group]{name: "childrenByGroupID", fetch: childrenByGroupID},
		ancestorsByGroupID:  loader[string, []*model.Group]{name: "ancestorsByGroupID", fetch: ancestorsByGroupID},
		usersUnderGroupID:   loader[pageKey, *exec.UserList]{name: "usersUnderGroupID", fetch: usersUnderGroupID},
		usersByGroupID:      loader[pageKey, *exec.UserList]{name: "usersByGroupID", fetch: usersByGroupID},
		usersByRoleID:       loader[pageKey, *exec.UserList]{name: "usersByRoleID", fetch: usersByRoleID},
		usersHoldingRoleID:  loader[pageKey, *exec.UserList]{name: "usersHoldingRoleID", fetch: usersHoldingRoleID},
		customDataByUserID:  loader[string, model.CustomData]{name: "customDataByUserID", fetch: customDataByUserID},
		customDataByGroupID: loader[string, model.CustomData]{name: "customDataByGroupID", fetch: customDataByGroupID},
		customDataByRoleID:  loader[string, model.CustomData]{name: "customDataByRoleID", fetch: customDataByRoleID},
		grantsByUserID:      loader[string, []model.ReachedGrant]{name: "grantsByUserID", fetch: grantsToUsers},
		grantsByRoleID:      loader[string, []model.ReachedGrant]{name: "grantsByRoleID", fetch: grantsToRoles},
		grantsByGroupID:     loader[string, []model.ReachedGrant]{name: "grantsByGroupID", fetch: grantsToGroups},
		auditByObjectID:     loader[pageKey, []*model.AuditRecord]{name: "auditByObjectID", fetch: auditByObjectID},
	}
}

// The loaders' fetches: package values, so that a request's loaders cost
// one allocation (the Loaders), not a closure each.
var (
	identitiesByUserID = func(ctx context.Context, s *db.Store, pool string, ids []string) (map[string][]*model.Identity, error) {
		return s.IdentitiesByUserIDs(ctx, pool, ids)
	}
	groupsByUserID = byColumns(func(ctx context.Context, s *db.Store, pool string, ids, cols []string) (map[string][]*model.Group, error) {
		return s.GroupsByUserIDs(ctx, pool, ids, cols...)
	})
	groupsAboveUserID = byColumns(func(ctx context.Context, s *db.Store, pool string, ids, cols []string) (map[string][]*model.Group, error) {
		return s.EffectiveGroupsByUserIDs(ctx, pool, ids, cols...)
	})
	rolesByUserID = byColumns(func(ctx context.Context, s *db.Store, pool string, ids, cols []string) (map[string][]*model.HeldRole, error) {
		return s.HeldRolesByUserIDs(ctx, pool, ids, cols...)
	})
	rolesByGroupID = func(ctx context.Context, s *db.Store, pool string, ids []string) (map[string][]*model.Role, error) {
		return s.RolesByGroupIDs(ctx, pool, ids)
	}
	childrenByGroupID = func(ctx context.Context, s *db.Store, pool string, ids []string) (map[string][]*model.Group, error) {
		return s.ChildrenByGroupIDs(ctx, pool, ids)
	}
	ancestorsByGroupID = func(ctx context.Context, s *db.Store, pool string, ids []string) (map[string][]*model.Group, error) {
		return s.AncestorsByGroupIDs(ctx, pool, ids)
	}
	usersUnderGroupID  = memberPages((*db.Store).DeepMembersByGroupIDs)
	usersByGroupID     = memberPages((*db.Store).MembersByGroupIDs)
	usersByRoleID      = memberPages((*db.Store).MembersByRoleIDs)
	usersHoldingRoleID = memberPages((*db.Store).DeepMembersByRoleIDs)
	customDataByUserID = func(ctx context.Context, s *db.Store, pool string, ids []string) (map[string]model.CustomData, error) {
		return s.CustomDataByUserIDs(ctx, pool, ids)
	}
	customDataByGroupID = func(ctx context.Context, s *db.Store, pool string, ids []string) (map[string]model.CustomData, error) {
		return s.CustomDataByGroupIDs(ctx, pool, ids)
	}
	customDataByRoleID = func(ctx context.Context, s *db.Store, pool string, ids []string) (map[string]model.CustomData, error) {
		return s.CustomDataByRoleIDs(ctx, pool, ids)
	}
	grantsToUsers   = grantsTo(model.TargetUser)
	grantsToRoles   = grantsTo(model.TargetRole)
	grantsToGroups  = grantsTo(model.TargetGroup)
	auditByObjectID = byPage(func(ctx context.Context, s *db.Store, pool string, ids []string, r pageReq) (map[string][]*model.AuditRecord, error) {
		return s.AuditLogsByObjectIDs(ctx, pool, ids, r.page)
	})
)

// grantsTo fetches the grants reaching users, roles or groups.
func grantsTo(kind model.TargetType) fetcher[string, []model.ReachedGrant] {
	return func(ctx context.Context, s *db.Store, pool string, ids []string) (map[string][]model.ReachedGrant, error) {
		return s.GrantsByTargetIDs(ctx, pool, kind, ids)
	}
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

// byPage makes a fetch of one page per parent from a fetch that serves
// many parents with one page request: keys are grouped by request, so a
// request costs one fetch per distinct page (one, unless aliases differ).
func byPage[V any](fetch func(context.Context, *db.Store, string, []string, pageReq) (map[string]V, error)) fetcher[pageKey, V] {
	return func(ctx context.Context, s *db.Store, pool string, keys []pageKey) (map[pageKey]V, error) {
		byReq := map[pageReq][]string{}
		for _, k := range keys {
			r := pageReq{k.Page, k.Cols}
			byReq[r] = append(byReq[r], k.ParentID)
		}
		out := make(map[pageKey]V, len(keys))
		for r, ids := range byReq {
			got, err := fetch(ctx, s, pool, ids, r)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				out[pageKey{id, r.page, r.cols}] = got[id]
			}
		}
		return out, nil
	}
}

// byColumns makes a fetch of related rows from a fetch that reads the
// given columns (nil: all) for many parents: keys are grouped by their
// columns, one fetch each (one, unless aliases select differently).
func byColumns[V any](fetch func(ctx context.Context, s *db.Store, pool string, ids, cols []string) (map[string]V, error)) fetcher[colKey, V] {
	return func(ctx context.Context, s *db.Store, pool string, keys []colKey) (map[colKey]V, error) {
		byCols := map[string][]string{}
		for _, k := range keys {
			byCols[k.Cols] = append(byCols[k.Cols], k.ParentID)
		}
		out := make(map[colKey]V, len(keys))
		for cols, ids := range byCols {
			var list []string
			if cols != "" {
				list = strings.Split(cols, ",")
			}
			got, err := fetch(ctx, s, pool, ids, list)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				out[colKey{id, cols}] = got[id]
			}
		}
		return out, nil
	}
}

// memberPages makes a fetch of member pages (and each parent's member
// count) from a store method that reads members.
func memberPages(fetch func(*db.Store, context.Context, string, []string, model.Page, []string) (map[string][]*model.User, map[string]int, error)) fetcher[pageKey, *exec.UserList] {
	return byPage(func(ctx context.Context, s *db.Store, pool string, ids []string, r pageReq) (map[string]*exec.UserList, error) {
		var cols []string
		if r.cols != "" {
			cols = strings.Split(r.cols, ",")
		}
		users, totals, err := fetch(s, ctx, pool, ids, r.page, cols)
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

// loader is a dataloader whose keys arrive as whole batches: a batch
// resolver hands it every parent of a level at once (loadAll). Its
// dataloader gives the per-request cache (a key is fetched once per
// request, however often it is asked for) and, for a key loaded on its
// own, the usual timed batch window. Keys handed over together skip the
// window: the ones not yet cached are fetched at once, in one call of
// fetch, and primed into the cache. A timed window would split them
// whenever the goroutine queuing them is descheduled for longer than the
// wait, and the page would cost two statements instead of one; and a
// Load per key costs a thunk, a channel and a trace per key.
//
// The dataloader is made on first use: a request uses few of its sixteen
// loaders, and making them all is work most requests would throw away.
type loader[K comparable, V any] struct {
	name  string // for its batches' spans
	fetch fetcher[K, V]
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

// batch is the dataloader's batch function: every key, in key order, with
// the fetched value or its zero value (an empty list) when fetch's map
// lacks it.
func (l *loader[K, V]) batch(ctx context.Context, keys []K) []*dataloader.Result[V] {
	ls := loaders(ctx)
	m, err := l.fetch(ctx, ls.s, ls.pool, keys)
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

// fetcher reads the values of many keys in one go, from the store, for a
// pool; a key the map lacks has the zero value (an empty list).
type fetcher[K comparable, V any] func(ctx context.Context, s *db.Store, pool string, keys []K) (map[K]V, error)

// loadAll loads one value per key through l, for a batch resolver that
// gets every parent of a level at once: the keys already cached are
// answered from the cache, the others cost one fetch and are cached. Two
// concurrent loads of the same new key both fetch it; the first value
// cached is kept.
func loadAll[K comparable, V any](ctx context.Context, l *loader[K, V], keys []K) ([]V, error) {
	dl := l.start()
	out := make([]V, len(keys))
	var missing []K
	pending := make(map[K]int, len(keys)) // a key not cached → its index in missing
	for i, k := range keys {
		if thunk, ok := l.cache.Get(ctx, k); ok {
			v, err := thunk()
			if err != nil {
				return nil, err
			}
			out[i] = v
		} else if _, ok := pending[k]; !ok {
			pending[k] = len(missing)
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	ls := loaders(ctx)
	// A span per batch when tracing is on (internal/tracing): which
	// loader, and how many keys; its statements' spans nest under it.
	ctx, span := tracing.Tracer().Start(ctx, "graphql.batch "+l.name,
		trace.WithAttributes(attribute.String("usergraph.loader", l.name), attribute.Int("usergraph.keys", len(missing))))
	fetched, err := l.fetch(ctx, ls.s, ls.pool, missing)
	span.End()
	if err != nil {
		return nil, err
	}
	for _, k := range missing {
		dl.Prime(ctx, k, fetched[k])
	}
	for i, k := range keys {
		if _, ok := pending[k]; ok {
			out[i] = fetched[k]
		}
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
	return loadPagesAt(ctx, l, parentIDs, page, limit, "list")
}

// loadPagesAt is loadPages for a list whose users are selected at path
// below the field (list.user for a MemberList).
func loadPagesAt(ctx context.Context, l *loader[pageKey, *exec.UserList], parentIDs []string, page, limit *int, path ...string) ([]*exec.UserList, error) {
	p, err := model.NewPage(page, limit)
	if err != nil {
		return nil, err
	}
	// Read only the columns the members' selected fields need: a page of
	// ids must not read whole user rows.
	cols := strings.Join(selectedColumns(ctx, userColumns, path...), ",")
	keys := make([]pageKey, len(parentIDs))
	for i, id := range parentIDs {
		keys[i] = pageKey{id, p, cols}
	}
	return loadAll(ctx, l, keys)
}

// selectedFields names the fields the query selects, under any alias or
// fragment, at the end of path below the field being resolved: with no
// path, of its own type; with path "list", of the elements of the
// UserList, GroupList or RoleList it returns.
func selectedFields(ctx context.Context, path ...string) []string {
	if sel := selectionOf(ctx, path); sel != nil {
		return sel.names
	}
	return nil
}

// selectedColumns is the columns of kind that selectedFields(ctx, path)
// need (nil: all of them): what a page, a user or a user's groups or
// roles read.
func selectedColumns(ctx context.Context, kind columnKind, path ...string) []string {
	sel := selectionOf(ctx, path)
	if sel == nil {
		return columnsOf[kind](nil)
	}
	sel.once[kind].Do(func() { sel.cols[kind] = columnsOf[kind](sel.names) })
	return sel.cols[kind]
}

// columnKind names the tables whose columns a selection reads.
type columnKind int

const (
	userColumns columnKind = iota
	groupColumns
	roleColumns
)

var columnsOf = [...]func([]string) []string{userColumns: model.UserColumns, groupColumns: model.GroupColumns, roleColumns: model.RoleColumns}

// selected is what a field selects at a path below it, and the columns
// that needs, worked out once per field of a document when no directive
// can change the selection (fragments and aliases cannot) (the columns when first asked for). Callers
// must not change the slices.
type selected struct {
	names []string
	once  [len(columnsOf)]sync.Once
	cols  [len(columnsOf)][]string
}

// selectionOf is the selection at path below the field being resolved
// (nil outside a field).
func selectionOf(ctx context.Context, path []string) *selected {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil {
		return nil
	}
	key := selectionKey{fc.Field.Field, strings.Join(path, ".")}
	if sel, ok := selectedOfField.Get(key); ok {
		return sel
	}
	op := graphql.GetOperationContext(ctx)
	at := []graphql.CollectedField{fc.Field}
	for _, hop := range path {
		var next []graphql.CollectedField
		for _, f := range at {
			for _, c := range graphql.CollectFields(op, f.Selections, []string{f.Definition.Type.Name()}) {
				if c.Name == hop {
					next = append(next, c)
				}
			}
		}
		at = next
	}
	sel := &selected{}
	for _, f := range at {
		for _, c := range graphql.CollectFields(op, f.Selections, []string{f.Definition.Type.Name()}) {
			sel.names = append(sel.names, c.Name)
		}
	}
	if !conditional(op.Doc, fc.Field.Selections, map[string]bool{}) {
		selectedOfField.Put(key, sel)
	}
	return sel
}

// selectionKey is a field of a document and a path below it.
type selectionKey struct {
	field *ast.Field
	path  string
}

// selectedOfField keeps selectionOf's answers.
var selectedOfField = newDocCache[selectionKey, *selected]()

// selectedUserColumns is the columns the User fields selected by the
// field being resolved read, when it returns a User, or nil (every
// column) when it does not: a field that looks a user up for another
// purpose reads it whole.
func selectedUserColumns(ctx context.Context) []string {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Definition == nil || fc.Field.Definition.Type.Name() != "User" {
		return nil
	}
	return selectedColumns(ctx, userColumns)
}

// conditional reports whether set, at any depth and through the fragments
// it spreads, carries a directive (@skip, @include) whose outcome can
// differ between requests; fragments and aliases alone are the same for
// every request, so what they select is kept.
func conditional(doc *ast.QueryDocument, set ast.SelectionSet, seen map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if len(s.Directives) > 0 || conditional(doc, s.SelectionSet, seen) {
				return true
			}
		case *ast.InlineFragment:
			if len(s.Directives) > 0 || conditional(doc, s.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if len(s.Directives) > 0 {
				return true
			}
			if !seen[s.Name] {
				seen[s.Name] = true
				def := doc.Fragments.ForName(s.Name)
				if def == nil || len(def.Directives) > 0 || conditional(doc, def.SelectionSet, seen) {
					return true
				}
			}
		}
	}
	return false
}
