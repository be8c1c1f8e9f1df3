package authing_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/internal/authing/exec"
)

// otherPoolCalls calls every root field of the SDKs' schema naming pool A's
// objects ({user}, {email}, {roleId} are replaced); TestEveryRootField-
// IsPoolScoped sends them with pool B's token. A field missing here fails
// that test, so a new field gets its abuse test with it.
var otherPoolCalls = map[string]string{
	"Query.accessToken":         `query { accessToken(userPoolId: "{pool}", secret: "not-this-pool's") { accessToken } }`,
	"Query.user":                `query { user(id: "{user}") { id email } }`,
	"Query.users":               `query { users(limit: 100) { totalCount list { id email } } }`,
	"Query.archivedUsers":       `query { archivedUsers(limit: 100) { list { id email } } }`,
	"Query.searchUser":          `query { searchUser(query: "a-only") { totalCount list { id email } } }`,
	"Query.findUser":            `query { findUser(email: "{email}") { id email } }`,
	"Query.isUserExists":        `query { isUserExists(email: "{email}") }`,
	"Query.group":               `query { group(code: "a-only-group") { code users { list { id } } } }`,
	"Query.groups":              `query { groups(userId: "{user}") { list { code } } }`,
	"Query.role":                `query { role(code: "a-only-role") { id code users { list { id } } } }`,
	"Query.roles":               `query { roles(limit: 100) { list { id code } } }`,
	"Query.udf":                 `query { udf(targetType: USER) { key } }`,
	"Query.udv":                 `query { udv(targetType: USER, targetId: "{user}") { key value } }`,
	"Query.udfValueBatch":       `query { udfValueBatch(targetType: USER, targetIds: ["{user}"]) { targetId data { key value } } }`,
	"Query.authorizedResources": `query { authorizedResources(targetType: USER, targetIdentifier: "{user}") { list { code actions } } }`,
	"Query.userBatch":           `query { userBatch(ids: ["{user}"]) { id email } }`,
	"Query.isAllowed":           `query { isAllowed(userId: "{user}", resource: "a-only-books", action: "a-only-books:read") }`,
	"Query.resource":            `query { resource(code: "a-only-books") { id code } }`,
	"Query.resources":           `query { resources(limit: 10) { list { id code } } }`,
	"Query.namespaces":          `query { namespaces(limit: 100) { list { id code } } }`,

	"Mutation.refreshToken":        `mutation { refreshToken(id: "{user}") { token } }`,
	"Mutation.createUser":          `mutation { createUser(userInfo: {email: "b-new@example.com"}) { id } }`,
	"Mutation.updateUser":          `mutation { updateUser(id: "{user}", input: {nickname: "taken"}) { id } }`,
	"Mutation.deleteUser":          `mutation { deleteUser(id: "{user}") { code } }`,
	"Mutation.deleteUsers":         `mutation { deleteUsers(ids: ["{user}"]) { code } }`,
	"Mutation.createGroup":         `mutation { createGroup(code: "b-group", name: "B") { code } }`,
	"Mutation.updateGroup":         `mutation { updateGroup(code: "a-only-group", name: "taken") { code } }`,
	"Mutation.deleteGroups":        `mutation { deleteGroups(codeList: ["a-only-group"]) { code } }`,
	"Mutation.addUserToGroup":      `mutation { addUserToGroup(userIds: ["{user}"], code: "b-group") { code } }`,
	"Mutation.removeUserFromGroup": `mutation { removeUserFromGroup(userIds: ["{user}"], code: "a-only-group") { code } }`,
	"Mutation.createRole":          `mutation { createRole(code: "b-role") { id } }`,
	"Mutation.updateRole":          `mutation { updateRole(code: "a-only-role", description: "taken") { id } }`,
	"Mutation.deleteRole":          `mutation { deleteRole(code: "a-only-role") { code } }`,
	"Mutation.deleteRoles":         `mutation { deleteRoles(codeList: ["a-only-role"]) { code } }`,
	"Mutation.assignRole":          `mutation { assignRole(roleCode: "b-role", userIds: ["{user}"]) { code } }`,
	"Mutation.revokeRole":          `mutation { revokeRole(roleCode: "a-only-role", userIds: ["{user}"]) { code } }`,
	"Mutation.setUdf":              `mutation { setUdf(targetType: USER, key: "bkey", dataType: STRING, label: "B") { key } }`,
	"Mutation.removeUdf":           `mutation { removeUdf(targetType: USER, key: "aonly") { code } }`,
	"Mutation.setUdvBatch":         `mutation { setUdvBatch(targetType: USER, targetId: "{user}", udvList: [{key: "bkey", value: "\"x\""}]) { key } }`,
	"Mutation.removeUdv":           `mutation { removeUdv(targetType: ROLE, targetId: "{roleId}", key: "level") { key } }`,
	"Mutation.setUdfValueBatch":    `mutation { setUdfValueBatch(targetType: USER, input: [{targetId: "{user}", key: "bkey", value: "\"x\""}]) { code } }`,
	"Mutation.authorizeResource":   `mutation { authorizeResource(resource: "a-only-books", opts: [{targetType: USER, targetIdentifier: "{user}", actions: ["*"]}]) { code } }`,
	"Mutation.allow":               `mutation { allow(resource: "a-only-books", action: "*", userId: "{user}") { code } }`,
	"Mutation.kickUsers":           `mutation { kickUsers(userIds: ["{user}"]) { code } }`,
	"Mutation.revokeResource":      `mutation { revokeResource(resource: "a-only-books", opts: [{targetType: ROLE, targetIdentifier: "a-only-role"}]) { code } }`,
	"Mutation.createResource":      `mutation { createResource(code: "b-books", type: DATA) { id } }`,
	"Mutation.deleteResource":      `mutation { deleteResource(code: "a-only-books") { code } }`,
	"Mutation.createNamespace":     `mutation { createNamespace(code: "b-ns") { id } }`,
}

// rootFields lists the schema's root fields as Type.field.
func rootFields() []string {
	s := exec.NewExecutableSchema(exec.Config{}).Schema()
	var out []string
	for _, root := range []*ast.Definition{s.Query, s.Mutation} {
		for _, f := range root.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				out = append(out, root.Name+"."+f.Name)
			}
		}
	}
	return out
}

// TestEveryRootFieldIsPoolScoped: with another pool's token, every root
// field naming this pool's user, group, role, resource, custom field and
// namespace finds none of them, reads none of their data, changes nothing
// of them, and fails with a client code where it fails.
func TestEveryRootFieldIsPoolScoped(t *testing.T) {
	for _, f := range rootFields() {
		if _, ok := otherPoolCalls[f]; !ok {
			t.Errorf("%s has no call in otherPoolCalls", f)
		}
	}
	e := newEnv(t)
	a := e.seedPoolA()
	otherID, theirs := e.otherPool()
	ownPool := e.poolID
	e.poolID = otherID // the pool header follows the token
	secrets := []string{a.user, a.email, a.roleID, "a-only-group", "a-only-role", "a-only-books", "a-ns", "aonly"}
	for _, f := range rootFields() {
		q := strings.NewReplacer("{user}", a.user, "{email}", a.email, "{roleId}", a.roleID, "{pool}", ownPool).Replace(otherPoolCalls[f])
		r := e.gql(theirs, q, nil)
		for _, s := range secrets {
			if strings.Contains(string(r.Data), s) {
				t.Errorf("%s: another pool's token read %q: %s", f, s, r.Data)
			}
		}
		for _, err := range r.Errors {
			if err.Message.Code >= 500 {
				t.Errorf("%s: %+v", f, err.Message)
			}
		}
	}
	e.poolID = ownPool
	e.wantPoolAIntact(a)
}

// poolA is what seedPoolA made.
type poolA struct{ user, email, roleID string }

// seedPoolA makes, in the env's pool, a user in a group and a role, a
// custom field and value on each, a namespace, and a resource granted to
// the role and to the user.
func (e *env) seedPoolA() poolA {
	e.t.Helper()
	a := poolA{email: "a-only@example.com"}
	a.user = e.createUser(map[string]any{"email": a.email, "nickname": "kept", "username": "a-only-user"})
	var role struct{ CreateRole struct{ ID string } }
	e.do(`mutation { createRole(code: "a-only-role") { id } }`, nil).ok(&role)
	a.roleID = role.CreateRole.ID
	for _, q := range []string{
		`mutation { createGroup(code: "a-only-group", name: "A") { code } }`,
		`mutation($ul: [String!]!) { addUserToGroup(userIds: $ul, code: "a-only-group") { code } }`,
		`mutation($ul: [String!]) { assignRole(roleCode: "a-only-role", userIds: $ul) { code } }`,
		`mutation { setUdf(targetType: USER, key: "aonly", dataType: NUMBER, label: "A") { key } }`,
		`mutation { setUdf(targetType: ROLE, key: "level", dataType: NUMBER, label: "Level") { key } }`,
		`mutation($u: String!) { setUdvBatch(targetType: USER, targetId: $u, udvList: [{key: "aonly", value: "7"}]) { key } }`,
		`mutation($r: String!) { setUdvBatch(targetType: ROLE, targetId: $r, udvList: [{key: "level", value: "3"}]) { key } }`,
		`mutation { createNamespace(code: "a-ns") { id } }`,
		`mutation { createResource(code: "a-only-books", type: DATA, actions: [{name: "a-only-books:read"}]) { id } }`,
		`mutation { authorizeResource(resource: "a-only-books", opts: [{targetType: ROLE, targetIdentifier: "a-only-role", actions: ["a-only-books:read"]}]) { code } }`,
	} {
		vars := map[string]any{}
		for name, v := range map[string]any{"u": a.user, "ul": []string{a.user}, "r": a.roleID} {
			if strings.Contains(q, "$"+name+":") {
				vars[name] = v
			}
		}
		e.do(q, vars).ok(nil)
	}
	return a
}

// wantPoolAIntact checks, with pool A's own token, that nothing of it changed.
func (e *env) wantPoolAIntact(a poolA) {
	e.t.Helper()
	var out struct {
		User *struct {
			Nickname string
			Groups   struct{ List []struct{ Code string } }
			Roles    struct{ List []struct{ Code string } }
		}
		Udv       []struct{ Key, Value string }
		RoleUdv   []struct{ Key, Value string }
		IsAllowed bool
		Resource  *struct{ Code string }
		Udf       []struct{ Key string }
	}
	e.do(`query($u: String!, $r: String!) {
		user(id: $u) { nickname groups { list { code } } roles { list { code } } }
		udv(targetType: USER, targetId: $u) { key value }
		roleUdv: udv(targetType: ROLE, targetId: $r) { key value }
		isAllowed(userId: $u, resource: "a-only-books", action: "a-only-books:read")
		resource(code: "a-only-books") { code }
		udf(targetType: USER) { key }
	}`, map[string]any{"u": a.user, "r": a.roleID}).ok(&out)
	got := fmt.Sprintf("%+v", out)
	if out.User == nil || out.User.Nickname != "kept" || len(out.User.Groups.List) != 1 || len(out.User.Roles.List) != 1 ||
		len(out.Udv) != 1 || out.Udv[0].Value != "7" || len(out.RoleUdv) != 1 || !out.IsAllowed || out.Resource == nil || len(out.Udf) != 1 {
		e.t.Fatalf("pool A changed: %s", got)
	}
	var ns struct {
		Namespaces struct{ List []struct{ Code string } }
	}
	e.do(`query { namespaces { list { code } } }`, nil).ok(&ns)
	if b, _ := json.Marshal(ns); !strings.Contains(string(b), "a-ns") {
		e.t.Fatalf("pool A lost its namespace: %s", b)
	}
}

// TestEveryRootFieldRefusesOversizedInput calls every root field with
// every argument oversized — strings of 2,000 characters, lists of 1,001
// items, numbers past every bound, every input field set so — and wants a
// client error for each (a 4xx code; never 500, never a success). The
// calls are made from the schema, so a new field is covered as it comes.
func TestEveryRootFieldRefusesOversizedInput(t *testing.T) {
	e := newEnv(t)
	a := e.seedPoolA()
	s := exec.NewExecutableSchema(exec.Config{}).Schema()
	// Lookups of one object by one key answer null for a key no object
	// can have, as the native API's do.
	lookups := map[string]bool{"user": true, "group": true}
	for _, root := range []*ast.Definition{s.Query, s.Mutation} {
		for _, f := range root.Fields {
			if strings.HasPrefix(f.Name, "__") || !hasBoundedArgument(f) {
				continue
			}
			var decls, args []string
			vars := map[string]any{}
			for _, a := range f.Arguments {
				decls = append(decls, "$"+a.Name+": "+a.Type.String())
				args = append(args, a.Name+": $"+a.Name)
				vars[a.Name] = oversized(s, a.Type, 2000)
			}
			sel := ""
			if def := s.Types[f.Type.Name()]; def.Kind == ast.Object {
				sel = " { __typename }"
			}
			op := map[*ast.Definition]string{s.Query: "query", s.Mutation: "mutation"}[root]
			q := fmt.Sprintf("%s(%s) { %s(%s)%s }", op, strings.Join(decls, ", "), f.Name, strings.Join(args, ", "), sel)
			r := e.gql(e.token, q, vars)
			switch {
			case len(r.Errors) == 0 && lookups[f.Name] && string(r.Data) == `{"`+f.Name+`":null}`:
			case len(r.Errors) == 0:
				t.Errorf("%s.%s accepted oversized input: %s", root.Name, f.Name, r.Data)
			case r.Errors[0].Message.Code < 400 || r.Errors[0].Message.Code >= 500:
				t.Errorf("%s.%s: %+v", root.Name, f.Name, r.Errors[0].Message)
			}
		}
	}
	e.wantPoolAIntact(a)
}

// hasBoundedArgument reports whether a field takes a string, a number or a
// list (an argument that can be oversized), not only enums and booleans.
func hasBoundedArgument(f *ast.FieldDefinition) bool {
	for _, a := range f.Arguments {
		if a.Type.Elem != nil || a.Type.NamedType == "String" || a.Type.NamedType == "Int" {
			return true
		}
	}
	return false
}

// oversized is a value of type t past every bound: a string of n
// characters, 1,001 list items (with shorter strings, to stay under the
// body limit), a number past every limit, every input field set.
func oversized(s *ast.Schema, t *ast.Type, n int) any {
	if t.Elem != nil {
		item := oversized(s, t.Elem, 100)
		out := make([]any, 1001)
		for i := range out {
			out[i] = item
		}
		return out
	}
	switch def := s.Types[t.NamedType]; {
	case t.NamedType == "String" || t.NamedType == "ID":
		return strings.Repeat("x", n)
	case t.NamedType == "Int":
		return 1_000_000
	case t.NamedType == "Boolean":
		return true
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		obj := map[string]any{}
		for _, f := range def.Fields {
			obj[f.Name] = oversized(s, f.Type, n)
		}
		return obj
	}
	panic("no oversized value for " + t.String())
}
