package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/db"
	"usergraph/graph/exec"
	"usergraph/graph/scalar"
	"usergraph/internal/auth"
	"usergraph/internal/bounded"
	"usergraph/model"
)

// The lean path serves the API's hottest shape — a page of users (users)
// or one user (user), with stored fields and their groups and roles — by
// writing the answer directly, instead of through gqlgen's per-field
// machinery: a field context, closures and a marshaler for every field of
// every user, about 20,000 allocations for a page of 50 users with their
// groups and roles, which cost more than the page's SQL.
//
// It changes how the answer is written, not what it is: parsing,
// validation, the cost and depth limits and the operation's checks have
// run before it (it is an AroundOperations middleware), root-field
// authorization is requireAdmin's own check, the page or user comes from
// the same resolver, its roles and groups from the same store reads the
// loaders make (reading only the selected columns) shaped by the same
// functions as the batch resolvers' answers, and scalars are written by
// the same marshalers.
// Anything it does not know — another field, an argument, a directive, a
// fragment, an error — makes it hand the operation to gqlgen untouched
// (reads have no side effects, so nothing is done twice).
// TestLeanPathAnswersAsGqlgen compares the two on every field it writes.
func leanOperations(r *Resolver, respond graphql.ResponseMiddleware) graphql.OperationMiddleware {
	plans := newDocCache[docKey, leanPlan]()
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		rc := graphql.GetOperationContext(ctx)
		plan := planLean(rc, plans)
		if !plan.ok {
			return next(ctx)
		}
		data, ok := r.leanServe(ctx, rc, plan)
		if !ok {
			return next(ctx)
		}
		sent := false
		return func(ctx context.Context) *graphql.Response {
			if sent {
				return nil
			}
			sent = true
			return respond(ctx, func(context.Context) *graphql.Response { return &graphql.Response{Data: data} })
		}
	}
}

// leanPlan is what the lean path works out from an operation's text
// alone, once per document (doccache.go): its root field, the fields under
// it, the User fields it writes, and whether it can serve it at all.
type leanPlan struct {
	ok         bool
	root       graphql.CollectedField
	rootFields []graphql.CollectedField // the fields of the users root's UserList
	userFields []graphql.CollectedField
}

// planLean returns the operation's lean plan, worked out on first sight.
func planLean(rc *graphql.OperationContext, plans *bounded.Map[docKey, leanPlan]) leanPlan {
	if p, ok := plans.Get(docKey{rc.Doc, rc.Operation}); ok && rc.Doc != nil {
		return p
	}
	var p leanPlan
	if root, ok := leanRoot(rc); ok {
		if fields, ok := leanUserFields(root); ok {
			p = leanPlan{ok: true, root: root, userFields: fields, rootFields: graphql.CollectFields(rc, root.Selections, nil)}
		}
	}
	if rc.Doc != nil {
		plans.Put(docKey{rc.Doc, rc.Operation}, p)
	}
	return p
}

// leanRoot is the operation's one root field when the lean path can serve
// the whole operation.
func leanRoot(rc *graphql.OperationContext) (graphql.CollectedField, bool) {
	if rc.Operation == nil || rc.Operation.Operation != ast.Query || len(rc.Operation.SelectionSet) != 1 || !plainSelections(rc.Operation.SelectionSet) {
		return graphql.CollectedField{}, false
	}
	f, ok := rc.Operation.SelectionSet[0].(*ast.Field)
	if !ok || (f.Name != "users" && f.Name != "user") {
		return graphql.CollectedField{}, false
	}
	return graphql.CollectedField{Field: f, Selections: f.SelectionSet}, true
}

// plainSelections reports whether set, at every depth, has only fields
// without directives: no fragments, no @skip or @include.
func plainSelections(set ast.SelectionSet) bool {
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok || len(f.Directives) > 0 || !plainSelections(f.SelectionSet) {
			return false
		}
	}
	return true
}

// leanServe runs the root field and writes the data object, or reports
// false for anything it does not serve.
func (r *Resolver) leanServe(ctx context.Context, rc *graphql.OperationContext, plan leanPlan) (json.RawMessage, bool) {
	root, userFields := plan.root, plan.userFields
	p := auth.PrincipalOf(ctx)
	if p == nil || missingScope(p.Scopes, root.Field) != "" {
		return nil, false // gqlgen's path reports why
	}
	args := root.ArgumentMap(rc.Variables)
	fctx := graphql.WithFieldContext(db.WithActor(ctx, p.Actor, root.Name),
		&graphql.FieldContext{Object: "Query", Field: root, Args: args, IsMethod: true, IsResolver: true})
	var users []*model.User
	var list *exec.UserList
	switch root.Name {
	case "user":
		id, ok := args["id"].(string)
		if !ok || len(args) != 1 {
			return nil, false
		}
		u, err := r.Query().User(fctx, id)
		if err != nil {
			return nil, false
		}
		if u != nil {
			users = []*model.User{u}
		}
	case "users":
		page, pok := leanInt(args, "page")
		limit, lok := leanInt(args, "limit")
		if !pok || !lok || !onlyPaging(args) {
			return nil, false
		}
		var err error
		if list, err = r.Query().Users(fctx, page, limit, nil, nil, nil, nil, nil, nil, nil, nil); err != nil {
			return nil, false
		}
		users = list.List
	}
	rel, ok := r.leanRelations(ctx, users, userFields)
	if !ok {
		return nil, false
	}
	var b bytes.Buffer
	b.WriteString(`{"`)
	b.WriteString(root.Alias)
	b.WriteString(`":`)
	if root.Name == "user" {
		if len(users) == 0 {
			b.WriteString("null")
		} else {
			writeUser(&b, users[0], 0, userFields, rel)
		}
	} else {
		b.WriteByte('{')
		for i, f := range plan.rootFields {
			if i > 0 {
				b.WriteByte(',')
			}
			writeKey(&b, f.Alias)
			switch f.Name {
			case "totalCount":
				graphql.MarshalInt(list.TotalCount).MarshalGQL(&b)
			case "__typename":
				graphql.MarshalString("UserList").MarshalGQL(&b)
			case "list":
				b.WriteByte('[')
				for j, u := range users {
					if j > 0 {
						b.WriteByte(',')
					}
					writeUser(&b, u, j, userFields, rel)
				}
				b.WriteByte(']')
			}
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.Bytes(), true
}

// leanUserFields is the User selection of the root field (under list for
// users), when the lean path can write every field of it.
func leanUserFields(root graphql.CollectedField) ([]graphql.CollectedField, bool) {
	set := root.Selections
	if root.Name == "users" {
		var list *graphql.CollectedField
		for _, f := range graphql.CollectFields(&graphql.OperationContext{}, root.Selections, nil) {
			if len(f.Arguments) > 0 {
				return nil, false
			}
			switch f.Name {
			case "list":
				if list != nil {
					return nil, false // two lists under different aliases
				}
				list = &f
			case "totalCount", "__typename":
			default:
				return nil, false // pageInfo, totalCountExact
			}
		}
		if list == nil {
			return nil, false
		}
		set = list.Selections
	}
	out := graphql.CollectFields(&graphql.OperationContext{}, set, nil)
	for _, f := range out {
		if len(f.Arguments) > 0 {
			return nil, false
		}
		switch f.Name {
		case "roles", "groups":
			if !leanListShape(f, f.Name) {
				return nil, false
			}
		case "__typename":
		default:
			if userWriters[f.Name] == nil {
				return nil, false
			}
		}
	}
	return out, true
}

// leanListShape reports whether a user's roles or groups selection is
// totalCount and list items of stored fields only.
func leanListShape(f graphql.CollectedField, kind string) bool {
	known := func(name string) bool { return roleWriters[name] != nil }
	if kind == "groups" {
		known = func(name string) bool { return groupWriters[name] != nil }
	}
	for _, sel := range f.Selections {
		g := sel.(*ast.Field)
		if len(g.Arguments) > 0 {
			return false
		}
		switch g.Name {
		case "totalCount", "__typename":
		case "list":
			for _, item := range g.SelectionSet {
				h := item.(*ast.Field)
				if len(h.Arguments) > 0 || (h.Name != "__typename" && !known(h.Name)) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// relations are the roles and groups of a page's users, and how to write
// them: plans[k] for user field k when it is roles or groups.
type relations struct {
	roles  []*exec.RoleList
	groups []*exec.GroupList
	plans  []nestedPlan
}

// nestedPlan is a roles or groups selection, collected once per request:
// its fields, and the fields of its list's items.
type nestedPlan struct {
	fields, items []graphql.CollectedField
}

// leanRelations loads the roles and groups the selection reads: one
// statement each, as the batch resolvers' loaders make, but reading only
// the columns the whole selection asks for (the loaders, shared by every
// field of a request, read whole rows), shaped by the same functions as
// the batch resolvers' answers.
func (r *Resolver) leanRelations(ctx context.Context, users []*model.User, fields []graphql.CollectedField) (relations, bool) {
	var rel relations
	var roleFields, groupFields []string
	for k, f := range fields {
		if f.Name == "roles" || f.Name == "groups" {
			if rel.plans == nil { // only for a selection with relations
				rel.plans = make([]nestedPlan, len(fields))
			}
			p := nestedPlan{fields: graphql.CollectFields(&graphql.OperationContext{}, f.Selections, nil)}
			for _, sel := range p.fields {
				if sel.Name == "list" {
					if p.items != nil {
						return rel, false // two lists under different aliases
					}
					p.items = graphql.CollectFields(&graphql.OperationContext{}, sel.Selections, nil)
				}
			}
			rel.plans[k] = p
			for _, item := range p.items {
				if f.Name == "roles" {
					roleFields = append(roleFields, item.Name)
				} else {
					groupFields = append(groupFields, item.Name)
				}
			}
		}
	}
	ids, pool := userIDs(users), poolID(ctx)
	for _, f := range fields {
		switch {
		case f.Name == "roles" && rel.roles == nil:
			// RolesIn and the order need the namespace and code.
			held, err := r.Store.HeldRolesByUserIDs(ctx, pool, ids, model.RoleColumns(append(roleFields, "namespace", "code"))...)
			if err != nil {
				return rel, false
			}
			rel.roles = heldRoleLists(inKeyOrder(held, ids), nil, nil)
		case f.Name == "groups" && rel.groups == nil:
			groups, err := r.Store.GroupsByUserIDs(ctx, pool, ids, model.GroupColumns(append(groupFields, "code"))...)
			if err != nil {
				return rel, false
			}
			rel.groups = groupLists(inKeyOrder(groups, ids))
		}
	}
	return rel, true
}

// inKeyOrder is m's value for each key, in keys' order (the zero value
// for a key m lacks), as a loader answers a batch.
func inKeyOrder[V any](m map[string]V, keys []string) []V {
	out := make([]V, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// writeUser writes user i of the page with the selected fields.
func writeUser(b *bytes.Buffer, u *model.User, i int, fields []graphql.CollectedField, rel relations) {
	b.WriteByte('{')
	for k, f := range fields {
		if k > 0 {
			b.WriteByte(',')
		}
		writeKey(b, f.Alias)
		switch f.Name {
		case "__typename":
			graphql.MarshalString("User").MarshalGQL(b)
		case "roles":
			l := rel.roles[i]
			writeNested(b, rel.plans[k], l.TotalCount, len(l.List), "RoleList", "Role", func(j int, name string) { roleWriters[name](b, l.List[j]) })
		case "groups":
			l := rel.groups[i]
			writeNested(b, rel.plans[k], l.TotalCount, len(l.List), "GroupList", "Group", func(j int, name string) { groupWriters[name](b, l.List[j]) })
		default:
			userWriters[f.Name](b, u)
		}
	}
	b.WriteByte('}')
}

// writeNested writes a user's roles or groups: totalCount and the list's
// items, each field by item(j, name).
func writeNested(b *bytes.Buffer, plan nestedPlan, total, n int, listType, itemType string, item func(j int, name string)) {
	b.WriteByte('{')
	for k, sel := range plan.fields {
		if k > 0 {
			b.WriteByte(',')
		}
		writeKey(b, sel.Alias)
		switch sel.Name {
		case "totalCount":
			graphql.MarshalInt(total).MarshalGQL(b)
		case "__typename":
			graphql.MarshalString(listType).MarshalGQL(b)
		case "list":
			fields := plan.items
			b.WriteByte('[')
			for j := 0; j < n; j++ {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteByte('{')
				for m, h := range fields {
					if m > 0 {
						b.WriteByte(',')
					}
					writeKey(b, h.Alias)
					if h.Name == "__typename" {
						graphql.MarshalString(itemType).MarshalGQL(b)
					} else {
						item(j, h.Name)
					}
				}
				b.WriteByte('}')
			}
			b.WriteByte(']')
		}
	}
	b.WriteByte('}')
}

// writeKey writes an object key and its colon.
//
// A key is a field's alias or name, which GraphQL's grammar limits to
// /[_A-Za-z][_0-9A-Za-z]*/ (the parser refuses anything else): nothing in
// it needs escaping in JSON.
func writeKey(b *bytes.Buffer, key string) {
	b.WriteByte('"')
	b.WriteString(key)
	b.WriteString(`":`)
}

// leanInt reads an optional Int argument: (nil, true) when absent.
func leanInt(args map[string]any, name string) (*int, bool) {
	v, ok := args[name]
	if !ok || v == nil {
		return nil, true
	}
	n, err := graphql.UnmarshalInt(v)
	if err != nil {
		return nil, false
	}
	return &n, true
}

// onlyPaging reports whether a users listing's arguments are page and
// limit alone (the others absent, or at their false defaults).
func onlyPaging(args map[string]any) bool {
	for k, v := range args {
		switch k {
		case "page", "limit":
		case "exactCount", "showHidden":
			if v != false {
				return false
			}
		default:
			if v != nil {
				return false
			}
		}
	}
	return true
}

// writer writes one field of an object of type T.
type writer[T any] func(b *bytes.Buffer, obj *T)

// The writers of the stored fields of users, roles and groups, by GraphQL
// field name: the struct fields whose JSON name the schema's type has and
// gqlgen resolves from the struct itself (relation fields have resolvers,
// and are left out), plus the computed blocked and isDeleted.
var (
	leanSchema   = exec.NewExecutableSchema(exec.Config{}).Schema()
	userWriters  = storedWriters[model.User]("User", "identities", "groups", "roles", "heldRoles", "customData", "authorizedResources", "auditLog")
	roleWriters  = storedWriters[model.Role]("Role", "customData", "users", "authorizedResources")
	groupWriters = storedWriters[model.Group]("Group", "parent", "children", "ancestors", "roles", "customData", "users", "authorizedResources")
)

func init() {
	userWriters["blocked"] = func(b *bytes.Buffer, u *model.User) { graphql.MarshalBoolean(u.Blocked()).MarshalGQL(b) }
	userWriters["isDeleted"] = func(b *bytes.Buffer, u *model.User) { graphql.MarshalBoolean(u.IsDeleted()).MarshalGQL(b) }
}

// storedWriters builds the writers of T's stored fields that the schema's
// type typeName has, leaving out those with resolvers.
func storedWriters[T any](typeName string, resolved ...string) map[string]writer[T] {
	def := leanSchema.Types[typeName]
	out := map[string]writer[T]{}
	t := reflect.TypeFor[T]()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name := strings.Split(sf.Tag.Get("json"), ",")[0]
		fd := def.Fields.ForName(name)
		if name == "" || name == "-" || fd == nil || slices.Contains(resolved, name) {
			continue
		}
		if w := fieldWriter[T](i, sf.Type, fd.Type.NonNull); w != nil {
			out[name] = w
		}
	}
	return out
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	timePtrType = reflect.TypeFor[*time.Time]()
	stringsType = reflect.TypeFor[[]string]()
)

// fieldWriter writes struct field i of type ft with the marshaler gqlgen
// uses for it (strings and string enums as strings, Time as scalar.Time;
// a nil list as [] where the list is non-null, as gqlgen writes it). A nil
// pointer of a non-null field has no writer: gqlgen would answer an error
// there, which only its path can.
func fieldWriter[T any](i int, ft reflect.Type, nonNull bool) writer[T] {
	field := func(obj *T) reflect.Value { return reflect.ValueOf(obj).Elem().Field(i) }
	switch {
	case ft == timeType:
		return func(b *bytes.Buffer, obj *T) { scalar.MarshalTime(field(obj).Interface().(time.Time)).MarshalGQL(b) }
	case ft == timePtrType && !nonNull:
		return func(b *bytes.Buffer, obj *T) {
			if t := field(obj).Interface().(*time.Time); t != nil {
				scalar.MarshalTime(*t).MarshalGQL(b)
			} else {
				b.WriteString("null")
			}
		}
	case ft == stringsType:
		return func(b *bytes.Buffer, obj *T) {
			v := field(obj).Interface().([]string)
			if v == nil && !nonNull {
				b.WriteString("null")
				return
			}
			b.WriteByte('[')
			for k, s := range v {
				if k > 0 {
					b.WriteByte(',')
				}
				graphql.MarshalString(s).MarshalGQL(b)
			}
			b.WriteByte(']')
		}
	case ft.Kind() == reflect.String:
		return func(b *bytes.Buffer, obj *T) { graphql.MarshalString(field(obj).String()).MarshalGQL(b) }
	case ft.Kind() == reflect.Bool:
		return func(b *bytes.Buffer, obj *T) { graphql.MarshalBoolean(field(obj).Bool()).MarshalGQL(b) }
	case ft.Kind() == reflect.Int:
		return func(b *bytes.Buffer, obj *T) { graphql.MarshalInt(int(field(obj).Int())).MarshalGQL(b) }
	case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.String && !nonNull:
		return func(b *bytes.Buffer, obj *T) {
			if v := field(obj); !v.IsNil() {
				graphql.MarshalString(v.Elem().String()).MarshalGQL(b)
			} else {
				b.WriteString("null")
			}
		}
	}
	return nil
}
