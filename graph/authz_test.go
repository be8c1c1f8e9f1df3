package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// authzFixture: namespace "app" with DATA resource books (read, delete,
// update) and MENU resource settings; alice in role editor and group
// readers.
func authzFixture(t *testing.T) (*env, string) {
	e := newEnv(t)
	e.do(`mutation { createNamespace(code: "app", name: "App") { code } }`, nil).ok(nil)
	e.do(`mutation { createResource(namespace: "app", code: "books", type: DATA, actions: [{name: "books:read"}, {name: "books:delete"}, {name: "books:update"}]) { code } }`, nil).ok(nil)
	e.do(`mutation { createResource(namespace: "app", code: "settings", type: MENU, actions: [{name: "view"}]) { code } }`, nil).ok(nil)
	e.do(`mutation { createRole(code: "editor", namespace: "app") { code } createGroup(code: "readers") { code } }`, nil).ok(nil)
	alice := e.createUser(map[string]any{"username": "alice"})
	e.do(`mutation($u: ID!) { addRoles(userId: $u, roles: ["editor"], namespace: "app") { totalCount } addGroups(userId: $u, groups: ["readers"]) { totalCount } }`,
		map[string]any{"u": alice}).ok(nil)
	return e, alice
}

func (e *env) grant(resource string, opts ...map[string]any) *result {
	e.t.Helper()
	return e.do(`mutation($r: String!, $o: [AuthorizeResourceOpt!]!) { authorizeResource(namespace: "app", resource: $r, opts: $o) }`,
		map[string]any{"r": resource, "o": opts})
}

func opt(typ, id string, actions ...string) map[string]any {
	return map[string]any{"targetType": typ, "targetIdentifier": id, "actions": actions}
}

type authorized struct {
	TotalCount int
	List       []struct {
		Namespace, Code, Type string
		Actions               []string
		Via                   []struct {
			TargetType, Code string
			Actions          []string
		}
	}
}

func (a authorized) String() string {
	var parts []string
	for _, r := range a.List {
		var via []string
		for _, v := range r.Via {
			via = append(via, v.TargetType+":"+v.Code)
		}
		parts = append(parts, fmt.Sprintf("%s[%s]<-%s", r.Code, strings.Join(r.Actions, ","), strings.Join(via, ",")))
	}
	return strings.Join(parts, " ")
}

func TestAuthorizedResourcesInheritance(t *testing.T) {
	e, alice := authzFixture(t)
	e.grant("books:1", opt("USER", alice, "books:read")).ok(nil)
	e.grant("books:1", opt("ROLE", "editor", "books:update", "books:read")).ok(nil)
	e.grant("books:*", opt("GROUP", "readers", "books:read")).ok(nil)
	e.grant("settings", opt("GROUP", "readers", "view")).ok(nil)
	e.grant("books:1", opt("USER", alice, "books:read")).ok(nil) // idempotent

	var out struct{ AuthorizedResources authorized }
	q := `query($u: ID!, $t: ResourceType) { authorizedResources(userId: $u, namespace: "app", resourceType: $t) {
		totalCount list { namespace code type actions via { targetType code actions } } } }`
	e.do(q, map[string]any{"u": alice}).ok(&out)
	want := "books:*[books:read]<-GROUP:readers books:1[books:read,books:update]<-USER:" + alice + ",ROLE:editor settings[view]<-GROUP:readers"
	if got := out.AuthorizedResources.String(); got != want {
		t.Errorf("authorized:\n got %s\nwant %s", got, want)
	}
	e.do(q, map[string]any{"u": alice, "t": "MENU"}).ok(&out)
	if out.AuthorizedResources.TotalCount != 1 || out.AuthorizedResources.List[0].Code != "settings" {
		t.Errorf("MENU only: %s", out.AuthorizedResources)
	}

	// The same on User, Role and Group, batched.
	var nested struct {
		User  struct{ AuthorizedResources authorized }
		Role  struct{ AuthorizedResources authorized }
		Group struct{ AuthorizedResources authorized }
	}
	e.do(`query($u: ID!) { user(id: $u) { authorizedResources(namespace: "app", resourceType: DATA) { totalCount list { code actions via { targetType code } } } }
		role(code: "editor", namespace: "app") { authorizedResources { totalCount list { code actions via { targetType code } } } }
		group(code: "readers") { authorizedResources { totalCount list { code actions via { targetType code } } } } }`, map[string]any{"u": alice}).ok(&nested)
	if nested.User.AuthorizedResources.TotalCount != 2 || nested.Role.AuthorizedResources.String() != "books:1[books:read,books:update]<-ROLE:editor" ||
		nested.Group.AuthorizedResources.TotalCount != 2 {
		t.Errorf("nested: user %s | role %s | group %s", nested.User.AuthorizedResources, nested.Role.AuthorizedResources, nested.Group.AuthorizedResources)
	}

	// Revocation: the role loses update; the user loses its direct grant.
	e.do(`mutation { revokeResource(namespace: "app", resource: "books:1", opts: [{targetType: ROLE, targetIdentifier: "editor", actions: ["books:update"]}]) }`, nil).ok(nil)
	e.do(`mutation($u: String!) { revokeResource(namespace: "app", resource: "books:1", opts: [{targetType: USER, targetIdentifier: $u, actions: ["books:read"]}]) }`,
		map[string]any{"u": alice}).ok(nil)
	e.do(`mutation($u: String!) { revokeResource(namespace: "app", resource: "books:9", opts: [{targetType: USER, targetIdentifier: $u, actions: ["books:read"]}]) }`,
		map[string]any{"u": alice}).ok(nil) // never granted: a no-op
	e.do(q, map[string]any{"u": alice, "t": "DATA"}).ok(&out)
	if got := out.AuthorizedResources.String(); got != "books:*[books:read]<-GROUP:readers books:1[books:read]<-ROLE:editor" {
		t.Errorf("after revocation: %s", got)
	}
}

func TestIsActionAllowed(t *testing.T) {
	e, alice := authzFixture(t)
	bob := e.createUser(map[string]any{"username": "bob"})
	e.grant("books:*", opt("GROUP", "readers", "books:read")).ok(nil)
	e.grant("books:1", opt("ROLE", "editor", "books:*")).ok(nil)
	e.grant("settings", opt("USER", bob, "*")).ok(nil)
	cases := []struct {
		user, resource, action string
		want                   bool
	}{
		{alice, "books:7", "books:read", true},    // books:* through the group
		{alice, "books:7", "books:delete", false}, // not granted
		{alice, "books:1", "books:delete", true},  // books:* action through the role
		{alice, "books", "books:read", true},      // books:* covers the collection
		{alice, "settings", "view", false},        // nothing on settings
		{bob, "settings", "view", true},           // * covers every action
		{bob, "books:1", "books:read", false},     // bob is in no role or group
	}
	checks := make([]map[string]any, len(cases))
	for i, c := range cases {
		var out struct{ IsActionAllowed bool }
		e.do(`query($u: ID!, $r: String!, $a: String!) { isActionAllowed(userId: $u, resource: $r, action: $a, namespace: "app") }`,
			map[string]any{"u": c.user, "r": c.resource, "a": c.action}).ok(&out)
		if out.IsActionAllowed != c.want {
			t.Errorf("isActionAllowed(%s, %s, %s) = %v, want %v", c.user[:8], c.resource, c.action, out.IsActionAllowed, c.want)
		}
		checks[i] = map[string]any{"userId": c.user, "resource": c.resource, "action": c.action, "namespace": "app"}
	}
	var batch struct{ IsActionAllowedBatch []bool }
	e.do(`query($c: [ActionCheckInput!]!) { isActionAllowedBatch(checks: $c) }`, map[string]any{"c": checks}).ok(&batch)
	for i, c := range cases {
		if batch.IsActionAllowedBatch[i] != c.want {
			t.Errorf("batch check %d = %v, want %v", i, batch.IsActionAllowedBatch[i], c.want)
		}
	}
	e.do(`query($u: ID!) { isActionAllowed(userId: $u, resource: "books:1", action: "books:read", namespace: "nope") }`, map[string]any{"u": alice}).wantErr("NOT_FOUND", "namespace")
	e.do(`{ isActionAllowed(userId: "ghost", resource: "books:1", action: "books:read") }`, nil).wantErr("NOT_FOUND", "userId")
	e.do(`query($c: [ActionCheckInput!]!) { isActionAllowedBatch(checks: $c) }`, map[string]any{"c": []map[string]any{checks[0], {"userId": "ghost", "resource": "x", "action": "y"}}}).
		wantErr("NOT_FOUND", "checks.1.userId")
}

func TestGrantRulesAndBadInput(t *testing.T) {
	e, alice := authzFixture(t)
	e.grant("books:1", opt("USER", alice, "books:read"), opt("ROLE", "ghost", "books:read")).wantErr("NOT_FOUND", "opts.1.targetIdentifier")
	e.grant("books:1", opt("USER", alice, "books:read"), opt("GROUP", "ghost", "books:read")).wantErr("NOT_FOUND", "opts.1.targetIdentifier")
	e.grant("books:1", opt("USER", "ghost", "books:read")).wantErr("NOT_FOUND", "opts.0.targetIdentifier")
	e.grant("books:1", opt("USER", alice, "books:burn")).wantErr("INVALID_INPUT", "opts.0.actions.0")
	e.grant("movies:1", opt("USER", alice, "movies:read")).wantErr("NOT_FOUND", "resource")
	e.grant("bad code!", opt("USER", alice, "x")).wantErr("INVALID_INPUT", "resource")
	e.do(`mutation { authorizeResource(namespace: "nope", resource: "books", opts: [{targetType: GROUP, targetIdentifier: "readers", actions: ["*"]}]) }`, nil).wantErr("NOT_FOUND", "namespace")
	e.do(`mutation { authorizeResource(namespace: "app", resource: "books", resourceType: MENU, opts: [{targetType: GROUP, targetIdentifier: "readers", actions: ["*"]}]) }`, nil).wantErr("INVALID_INPUT", "resourceType")
	e.do(`mutation($t: ResourceType!) { createResource(namespace: "app", code: "x", type: $t) { code } }`, map[string]any{"t": "FILE"}).wantErr("INVALID_INPUT", "type")
	e.do(`mutation { createResource(namespace: "app", code: "books", type: API) { code } }`, nil).wantErr("ALREADY_EXISTS", "code")
	e.do(`mutation { createResource(namespace: "app", code: "a:b", type: API) { code } }`, nil).wantErr("INVALID_INPUT", "code")
	e.do(`mutation { createResource(namespace: "app", code: "dup", type: API, actions: [{name: "a"}, {name: "a"}]) { code } }`, nil).wantErr("INVALID_INPUT", "actions.1.name")
	var out struct{ AuthorizedResources authorized }
	e.do(`query($u: ID!) { authorizedResources(userId: $u) { totalCount list { code } } }`, map[string]any{"u": alice}).ok(&out)
	if out.AuthorizedResources.TotalCount != 0 {
		t.Errorf("rejected grants wrote: %s", out.AuthorizedResources)
	}
	e.do(`{ authorizedResources(userId: "ghost") { totalCount } }`, nil).wantErr("NOT_FOUND", "userId")
	e.do(`mutation { deleteNamespace(code: "default") }`, nil).wantErr("INVALID_INPUT", "code")
}

func TestNamespacesAndResources(t *testing.T) {
	e, _ := authzFixture(t)
	e.do(`mutation { createNamespace(code: "app") { code } }`, nil).wantErr("ALREADY_EXISTS", "code")
	e.do(`mutation { updateNamespace(code: "app", input: {name: null, description: "Main"}) { code name description } }`, nil).ok(nil)
	var ns struct {
		Namespace struct {
			Name        *string
			Description string
		}
		Namespaces struct{ TotalCount int }
	}
	e.do(`{ namespace(code: "app") { name description } namespaces { totalCount } }`, nil).ok(&ns)
	if ns.Namespace.Name != nil || ns.Namespace.Description != "Main" || ns.Namespaces.TotalCount != 2 {
		t.Errorf("namespaces: %+v", ns)
	}
	var res struct {
		Resources struct {
			TotalCount int
			List       []struct{ Code string }
		}
		Resource struct {
			Actions []struct{ Name string }
		}
	}
	e.do(`{ resources(namespace: "app", type: DATA, limit: 1) { totalCount list { code } } resource(namespace: "app", code: "books") { actions { name } } }`, nil).ok(&res)
	if res.Resources.TotalCount != 1 || res.Resources.List[0].Code != "books" || len(res.Resource.Actions) != 3 {
		t.Errorf("resources: %+v", res)
	}
	e.do(`mutation { updateResource(namespace: "app", code: "books", input: {description: "Books", actions: [{name: "books:read"}]}) { actions { name } } }`, nil).ok(nil)
	e.do(`mutation { updateResource(namespace: "app", code: "nope", input: {description: "x"}) { code } }`, nil).wantErr("NOT_FOUND", "code")
	e.do(`{ resources(namespace: "nope") { totalCount } }`, nil).wantErr("NOT_FOUND", "namespace")
}

func TestDeletingRemovesGrants(t *testing.T) {
	e, alice := authzFixture(t)
	bob := e.createUser(map[string]any{"username": "bob"})
	e.grant("books:1", opt("USER", alice, "books:read"), opt("USER", bob, "books:read"), opt("ROLE", "editor", "books:read"), opt("GROUP", "readers", "books:read")).ok(nil)
	e.grant("settings", opt("USER", bob, "view")).ok(nil)
	grants := func() (n int64) {
		e.raw().Table("grants").Count(&n)
		return n
	}
	if grants() != 5 {
		t.Fatalf("%d grants", grants())
	}
	for _, step := range []struct {
		q    string
		vars map[string]any
		left int64
	}{
		{`mutation($u: ID!) { deleteUser(id: $u) }`, map[string]any{"u": alice}, 4},
		{`mutation { deleteRoles(codes: ["editor"], namespace: "app") }`, nil, 3},
		{`mutation { deleteGroups(codes: ["readers"]) }`, nil, 2},
		{`mutation { deleteResource(namespace: "app", code: "settings") }`, nil, 1},
		{`mutation { deleteNamespace(code: "app") }`, nil, 0},
	} {
		e.do(step.q, step.vars).ok(nil)
		if n := grants(); n != step.left {
			t.Errorf("after %s: %d grants, want %d", step.q, n, step.left)
		}
	}
}

func TestAuthorizationIsPoolScoped(t *testing.T) {
	e, alice := authzFixture(t)
	e.grant("books:1", opt("USER", alice, "books:read")).ok(nil)
	p, _, _ := e.store.CreatePool(context.Background(), "other")
	tok, _ := e.signer.AdminToken(p.ID, 0)
	b := tok.Token
	e.doAs(b, `{ namespace(code: "app") { code } }`, nil).ok(nil)
	e.doAs(b, `query($u: ID!) { authorizedResources(userId: $u) { totalCount } }`, map[string]any{"u": alice}).wantErr("NOT_FOUND", "userId")
	e.doAs(b, `query($u: ID!) { isActionAllowed(userId: $u, resource: "books:1", action: "books:read", namespace: "app") }`, map[string]any{"u": alice}).wantErr("NOT_FOUND", "userId")
	e.doAs(b, `{ resources(namespace: "app") { totalCount } }`, nil).wantErr("NOT_FOUND", "namespace")
	e.doAs(b, `mutation($u: String!) { authorizeResource(namespace: "default", resource: "books", opts: [{targetType: USER, targetIdentifier: $u, actions: ["*"]}]) }`,
		map[string]any{"u": alice}).wantErr("NOT_FOUND", "resource")
}

// TestAuthorizationCostsConstantStatements: a user in 1 role and 1 group
// and a user in 20 roles and 20 groups cost the same statements.
func TestAuthorizationCostsConstantStatements(t *testing.T) {
	e, alice := authzFixture(t)
	bob := e.createUser(map[string]any{"username": "bob"})
	var roles, groups []string
	for i := range 20 {
		r, g := fmt.Sprintf("r%d", i), fmt.Sprintf("g%d", i)
		e.do(`mutation($r: String!, $g: String!) { createRole(code: $r, namespace: "app") { code } createGroup(code: $g) { code } }`, map[string]any{"r": r, "g": g}).ok(nil)
		e.grant(fmt.Sprintf("books:%d", i), opt("ROLE", r, "books:read"), opt("GROUP", g, "books:delete")).ok(nil)
		roles, groups = append(roles, r), append(groups, g)
	}
	e.do(`mutation($u: ID!, $r: [String!]!, $g: [String!]!) { addRoles(userId: $u, roles: $r, namespace: "app") { totalCount } addGroups(userId: $u, groups: $g) { totalCount } }`,
		map[string]any{"u": bob, "r": roles, "g": groups}).ok(nil)
	count := func(q string, vars map[string]any) int64 {
		e.stmts.Reset()
		e.do(q, vars).ok(nil)
		return e.stmts.Count()
	}
	for _, q := range []string{
		`query($u: ID!) { authorizedResources(userId: $u, namespace: "app") { totalCount list { code via { code } } } }`,
		`query($u: ID!) { isActionAllowed(userId: $u, resource: "books:3", action: "books:read", namespace: "app") }`,
		`query($u: ID!) { user(id: $u) { authorizedResources { totalCount } } }`,
	} {
		a, b := count(q, map[string]any{"u": alice}), count(q, map[string]any{"u": bob})
		if a != b || a > 3 {
			t.Errorf("%s: %d statements for 1 role+group, %d for 20+20", q[:40], a, b)
		}
	}
	var out struct{ AuthorizedResources struct{ TotalCount int } }
	e.do(`query($u: ID!) { authorizedResources(userId: $u, namespace: "app") { totalCount } }`, map[string]any{"u": bob}).ok(&out)
	if out.AuthorizedResources.TotalCount != 20 {
		t.Errorf("bob has %d resources, want 20", out.AuthorizedResources.TotalCount)
	}
}
