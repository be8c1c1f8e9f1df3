package graph_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/graph/exec"
)

// TestErrorFieldsAreArgumentPaths sends bad input through every kind of
// error path (schema coercion of a variable, a model rule, a uniqueness
// clash, a lookup, a batch item, a custom value, a filter) with variables
// named unlike their arguments, and checks each error's extensions.field is
// the argument path the client sent: it starts with an argument of the
// root field and walks that argument's input type.
func TestErrorFieldsAreArgumentPaths(t *testing.T) {
	e := newEnv(t)
	alice := e.createUser(map[string]any{"username": "alice", "email": "alice@example.com"})
	e.do(`mutation { setUdf(targetType: USER, key: "age", dataType: NUMBER) { key } createGroup(code: "staff") { code } }`, nil).ok(nil)
	e.do(`mutation { createNamespace(code: "app") { code } createResource(namespace: "app", code: "books", type: DATA, actions: [{name: "books:read"}]) { code } }`, nil).ok(nil)
	schema := exec.NewExecutableSchema(exec.Config{}).Schema()

	cases := []struct {
		name, query string
		vars        map[string]any
		code, field string
	}{
		{"enum in a variable", `mutation($x: CreateUserInput!) { createUser(userInfo: $x) { id } }`,
			map[string]any{"x": map[string]any{"username": "a", "gender": "X"}}, "INVALID_INPUT", "userInfo.gender"},
		{"model rule", `mutation($x: CreateUserInput!) { createUser(userInfo: $x) { id } }`,
			map[string]any{"x": map[string]any{"email": "not-an-email"}}, "INVALID_INPUT", "userInfo.email"},
		{"taken email", `mutation($x: CreateUserInput!) { createUser(userInfo: $x) { id } }`,
			map[string]any{"x": map[string]any{"email": "alice@example.com"}}, "ALREADY_EXISTS", "userInfo.email"},
		{"literal time", `mutation { createUser(userInfo: {username: "b", lastLogin: "yesterday"}) { id } }`,
			nil, "INVALID_INPUT", "userInfo.lastLogin"},
		{"unknown user to update", `mutation($who: ID!, $x: UpdateUserInput!) { updateUser(id: $who, input: $x) { id } }`,
			map[string]any{"who": "nobody", "x": map[string]any{"nickname": "n"}}, "NOT_FOUND", "id"},
		{"bad update", `mutation($who: ID!, $x: UpdateUserInput!) { updateUser(id: $who, input: $x) { id } }`,
			map[string]any{"who": alice, "x": map[string]any{"email": "nope"}}, "INVALID_INPUT", "input.email"},
		{"batch item", `mutation($list: [CreateUserInput!]!) { createUsers(users: $list) { index } }`,
			map[string]any{"list": []any{map[string]any{"username": "c"}, map[string]any{"email": "bad"}}}, "INVALID_INPUT", "users.1.email"},
		{"batch item enum", `mutation($list: [CreateUserInput!]!) { createUsers(users: $list) { index } }`,
			map[string]any{"list": []any{map[string]any{"username": "c"}, map[string]any{"username": "d", "status": "Gone"}}}, "INVALID_INPUT", "users.1.status"},
		{"batch update of an unknown user", `mutation($list: [UpdateUsersItem!]!) { updateUsers(users: $list) { index } }`,
			map[string]any{"list": []any{map[string]any{"userId": "nobody", "input": map[string]any{"nickname": "n"}}}}, "NOT_FOUND", "users.0.userId"},
		{"custom value", `mutation($who: ID!, $d: JSON!) { setUdfValue(userId: $who, data: $d) }`,
			map[string]any{"who": alice, "d": map[string]any{"age": "old"}}, "INVALID_INPUT", "data.age"},
		{"custom value batch", `mutation($in: [SetUdfValueBatchInput!]!) { setUdfValueBatch(input: $in) { userId } }`,
			map[string]any{"in": []any{map[string]any{"userId": alice, "data": map[string]any{"height": 1}}}}, "INVALID_INPUT", "input.0.data.height"},
		{"custom data of an unknown user", `query($who: ID!) { udfValue(userId: $who) }`,
			map[string]any{"who": "nobody"}, "NOT_FOUND", "userId"},
		{"delete an unknown user", `mutation($who: ID!) { deleteUser(id: $who) }`,
			map[string]any{"who": "nobody"}, "NOT_FOUND", "id"},
		{"check of an unknown user", `query($c: [ActionCheckInput!]!) { isActionAllowedBatch(checks: $c) }`,
			map[string]any{"c": []any{map[string]any{"userId": alice, "resource": "books", "action": "books:read", "namespace": "app"},
				map[string]any{"userId": "nobody", "resource": "books", "action": "books:read", "namespace": "app"}}}, "NOT_FOUND", "checks.1.userId"},
		{"group update", `mutation($x: UpdateGroupInput!) { updateGroup(code: "staff", input: $x) { code } }`,
			map[string]any{"x": map[string]any{"code": "bad code!"}}, "INVALID_INPUT", "input.code"},
		{"unknown group", `mutation($x: UpdateGroupInput!) { updateGroup(code: "ghost", input: $x) { code } }`,
			map[string]any{"x": map[string]any{"name": "G"}}, "NOT_FOUND", "code"},
		{"unknown group of a user", `mutation($who: ID!, $g: [String!]!) { addGroups(userId: $who, groups: $g) { totalCount } }`,
			map[string]any{"who": alice, "g": []string{"staff", "ghost"}}, "NOT_FOUND", "groups.1"},
		{"sort", `query($o: UserSortInput) { users(sortBy: $o) { totalCount } }`,
			map[string]any{"o": map[string]any{"field": "PASSWORD"}}, "INVALID_INPUT", "sortBy.field"},
		{"filter", `query($f: UserFilter) { users(filter: $f) { totalCount } }`,
			map[string]any{"f": map[string]any{"status": []string{"Gone"}}}, "INVALID_INPUT", "filter.status.0"},
		{"grant target", `mutation($o: [AuthorizeResourceOpt!]!) { authorizeResource(namespace: "app", resource: "books", opts: $o) }`,
			map[string]any{"o": []any{map[string]any{"targetType": "USER", "targetIdentifier": "nobody", "actions": []string{"books:read"}}}}, "NOT_FOUND", "opts.0.targetIdentifier"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(c.query, c.vars)
			if r.code() != c.code || r.field() != c.field {
				t.Fatalf("want %s on %q, got %+v", c.code, c.field, r.Errors)
			}
			doc, err := parseQuery(schema, c.query)
			if err != nil {
				t.Fatal(err)
			}
			if !isArgumentPath(schema, doc, c.field) {
				t.Errorf("%q is not an argument path of the operation", c.field)
			}
		})
	}
}

// isArgumentPath reports whether path starts with an argument of the
// operation's root field and walks that argument's type: an input field
// name under an input object, an index under a list, anything under JSON.
func isArgumentPath(schema *ast.Schema, op *ast.OperationDefinition, path string) bool {
	parts := strings.Split(path, ".")
	root := op.SelectionSet[0].(*ast.Field)
	arg := root.Definition.Arguments.ForName(parts[0])
	if arg == nil {
		return false
	}
	typ := arg.Type
	for _, p := range parts[1:] {
		switch {
		case typ.Elem != nil:
			if _, err := strconv.Atoi(p); err != nil {
				return false
			}
			typ = typ.Elem
		case typ.NamedType == "JSON":
			return true
		default:
			def := schema.Types[typ.NamedType]
			if def == nil || def.Kind != ast.InputObject || def.Fields.ForName(p) == nil {
				return false
			}
			typ = def.Fields.ForName(p).Type
		}
	}
	return true
}

// parseQuery parses and validates a query against the schema, and returns
// its one operation.
func parseQuery(schema *ast.Schema, query string) (*ast.OperationDefinition, error) {
	doc, err := gqlparser.LoadQueryWithRules(schema, query, nil)
	if err != nil {
		return nil, err
	}
	return doc.Operations[0], nil
}
