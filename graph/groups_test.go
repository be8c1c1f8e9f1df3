package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"usergraph/model"
)

// codes lists the codes of a decoded { totalCount list { code } }.
type codeList struct {
	TotalCount int
	List       []struct{ Code string }
}

func (c codeList) String() string {
	var s []string
	for _, x := range c.List {
		s = append(s, x.Code)
	}
	return fmt.Sprintf("%d:%s", c.TotalCount, strings.Join(s, ","))
}

func TestGroupLifecycle(t *testing.T) {
	e := newEnv(t)
	var g struct {
		CreateGroup struct{ ID, Code, Name, Description string }
	}
	e.do(`mutation { createGroup(code: "eng", name: "Engineering", description: "Builders") { id code name description } }`, nil).ok(&g)
	if g.CreateGroup.Code != "eng" || g.CreateGroup.Name != "Engineering" {
		t.Errorf("created %+v", g.CreateGroup)
	}
	e.do(`mutation { createGroup(code: "eng") { id } }`, nil).wantErr("ALREADY_EXISTS", "code")
	e.do(`mutation { createGroup(code: "bad code!") { id } }`, nil).wantErr("INVALID_INPUT", "code")
	e.do(`mutation { createGroup(code: "x", name: "`+strings.Repeat("n", 256)+`") { id } }`, nil).wantErr("INVALID_INPUT", "name")
	e.do(`mutation { createGroup(code: "ops") { id } }`, nil).ok(nil)

	var u struct {
		UpdateGroup struct{ Code, Name, Description *string }
	}
	e.do(`mutation { updateGroup(code: "eng", input: {code: "engineering", description: null}) { code name description } }`, nil).ok(&u)
	if *u.UpdateGroup.Code != "engineering" || *u.UpdateGroup.Name != "Engineering" || u.UpdateGroup.Description != nil {
		t.Errorf("updated %+v", u.UpdateGroup)
	}
	e.do(`mutation { updateGroup(code: "engineering", input: {code: "ops"}) { code } }`, nil).wantErr("ALREADY_EXISTS", "input.code")
	e.do(`mutation { updateGroup(code: "engineering", input: {code: null}) { code } }`, nil).wantErr("INVALID_INPUT", "input.code")
	e.do(`mutation { updateGroup(code: "nope", input: {name: "x"}) { code } }`, nil).wantErr("NOT_FOUND", "code")

	var q struct {
		Group   *struct{ Code string }
		Missing *struct{ Code string }
		Groups  codeList
	}
	e.do(`{ group(code: "engineering") { code } missing: group(code: "eng") { code } groups(limit: 1) { totalCount list { code } } }`, nil).ok(&q)
	if q.Group == nil || q.Missing != nil || q.Groups.String() != "2:ops" {
		t.Errorf("reads: %+v", q)
	}
	e.do(`mutation { deleteGroups(codes: ["ops", "nope"]) }`, nil).wantErr("NOT_FOUND", "codes.1")
	e.do(`mutation { deleteGroups(codes: ["ops", "engineering"]) }`, nil).ok(nil)
	e.do(`{ groups { totalCount list { code } } }`, nil).ok(&q)
	if q.Groups.TotalCount != 0 {
		t.Errorf("groups left: %v", q.Groups)
	}
}

func TestGroupMembership(t *testing.T) {
	e := newEnv(t)
	alice := e.createUser(map[string]any{"username": "alice"})
	bob := e.createUser(map[string]any{"username": "bob"})
	for _, c := range []string{"a", "b", "c"} {
		e.do(`mutation($c: String!) { createGroup(code: $c) { id } }`, map[string]any{"c": c}).ok(nil)
	}
	add := `mutation($u: ID!, $g: [String!]!) { addGroups(userId: $u, groups: $g) { totalCount list { code } } }`
	remove := `mutation($u: ID!, $g: [String!]!) { removeGroups(userId: $u, groups: $g) { totalCount list { code } } }`
	var out struct{ AddGroups, RemoveGroups codeList }
	e.do(add, map[string]any{"u": alice, "g": []string{"c", "a"}}).ok(&out)
	if out.AddGroups.String() != "2:a,c" {
		t.Errorf("addGroups = %v", out.AddGroups)
	}
	e.do(add, map[string]any{"u": alice, "g": []string{"a"}}).ok(&out) // again: a no-op
	if out.AddGroups.String() != "2:a,c" {
		t.Errorf("adding twice = %v", out.AddGroups)
	}
	e.do(add, map[string]any{"u": alice, "g": []string{"b", "nope"}}).wantErr("NOT_FOUND", "groups.1")
	e.do(add, map[string]any{"u": "nobody", "g": []string{"b"}}).wantErr("NOT_FOUND", "userId")
	e.do(remove, map[string]any{"u": alice, "g": []string{"c", "b"}}).ok(&out) // b: absent, a no-op
	if out.RemoveGroups.String() != "1:a" {
		t.Errorf("removeGroups = %v", out.RemoveGroups)
	}

	members := `mutation($c: String!, $u: [ID!]!) { addGroupMembers(code: $c, userIds: $u) { code users { totalCount list { username } } } }`
	e.do(members, map[string]any{"c": "b", "u": []string{bob, "nobody"}}).wantErr("NOT_FOUND", "userIds.1")
	var g struct {
		AddGroupMembers struct {
			Users struct {
				TotalCount int
				List       []struct{ Username string }
			}
		}
	}
	e.do(members, map[string]any{"c": "b", "u": []string{bob}}).ok(nil)
	e.do(members, map[string]any{"c": "b", "u": []string{alice, bob}}).ok(&g)
	if g.AddGroupMembers.Users.TotalCount != 2 || g.AddGroupMembers.Users.List[0].Username != "bob" {
		t.Errorf("members of b = %+v (want bob first: in joining order)", g.AddGroupMembers.Users)
	}
	e.do(`mutation($u: [ID!]!) { removeGroupMembers(code: "b", userIds: $u) { code } }`, map[string]any{"u": []string{bob}}).ok(nil)
	e.do(`mutation($u: [ID!]!) { removeGroupMembers(code: "zzz", userIds: $u) { code } }`, map[string]any{"u": []string{bob}}).wantErr("NOT_FOUND", "code")

	var page struct {
		Group struct {
			Users struct {
				TotalCount int
				List       []struct{ Username string }
			}
		}
		User struct{ Groups codeList }
	}
	e.do(`query($id: ID!) { group(code: "b") { users(page: 1, limit: 1) { totalCount list { username } } } user(id: $id) { groups { totalCount list { code } } } }`,
		map[string]any{"id": alice}).ok(&page)
	if page.Group.Users.TotalCount != 1 || len(page.Group.Users.List) != 1 || page.User.Groups.String() != "2:a,b" {
		t.Errorf("after removal: %+v", page)
	}

	// Deleting a group or a user removes its memberships.
	e.do(`mutation { deleteGroups(codes: ["a"]) }`, nil).ok(nil)
	e.do(`mutation($id: ID!) { deleteUser(id: $id) }`, map[string]any{"id": alice}).ok(nil)
	if n := e.rows("group_members"); n != 0 {
		t.Errorf("%d memberships outlived their group or user", n)
	}
}

func TestRoles(t *testing.T) {
	e := newEnv(t)
	if _, err := e.store.CreateNamespace(context.Background(), e.poolID, "app2", model.NamespaceInput{}); err != nil {
		t.Fatal(err)
	}
	alice := e.createUser(map[string]any{"username": "alice"})
	e.do(`mutation { createRole(code: "admin", description: "All powers") { code namespace } }`, nil).ok(nil)
	e.do(`mutation { createRole(code: "viewer") { code } }`, nil).ok(nil)
	e.do(`mutation { createRole(code: "admin", namespace: "app2") { code } }`, nil).ok(nil) // same code, other namespace
	e.do(`mutation { createRole(code: "admin") { code } }`, nil).wantErr("ALREADY_EXISTS", "code")
	e.do(`mutation { createRole(code: "x", namespace: "nope") { code } }`, nil).wantErr("NOT_FOUND", "namespace")
	e.do(`mutation { updateRole(code: "viewer", input: {code: "reader", description: "Reads"}) { code } }`, nil).ok(nil)

	var r struct {
		Role    *struct{ Code, Namespace string }
		Missing *struct{ Code string }
		All     codeList
		App2    codeList
	}
	e.do(`{ role(code: "admin", namespace: "app2") { code namespace } missing: role(code: "viewer") { code }
		all: roles(limit: 10) { totalCount list { code } } app2: roles(namespace: "app2") { totalCount list { code } } }`, nil).ok(&r)
	if r.Role == nil || r.Role.Namespace != "app2" || r.Missing != nil || r.All.TotalCount != 3 || r.App2.String() != "1:admin" {
		t.Errorf("reads: %+v", r)
	}
	e.do(`{ role(code: "admin", namespace: "nope") { code } }`, nil).wantErr("NOT_FOUND", "namespace")

	var out struct{ AddRoles, RemoveRoles codeList }
	e.do(`mutation($u: ID!) { addRoles(userId: $u, roles: ["reader", "admin"]) { totalCount list { code } } }`, map[string]any{"u": alice}).ok(&out)
	if out.AddRoles.String() != "2:admin,reader" {
		t.Errorf("addRoles = %v", out.AddRoles)
	}
	e.do(`mutation($u: ID!) { addRoles(userId: $u, roles: ["admin"], namespace: "app2") { totalCount list { code } } }`, map[string]any{"u": alice}).ok(&out)
	if out.AddRoles.String() != "1:admin" {
		t.Errorf("addRoles in app2 = %v (only that namespace's roles)", out.AddRoles)
	}
	e.do(`mutation($u: ID!) { addRoles(userId: $u, roles: ["ghost"]) { totalCount } }`, map[string]any{"u": alice}).wantErr("NOT_FOUND", "roles.0")
	e.do(`mutation($u: ID!) { removeRoles(userId: $u, roles: ["reader"]) { totalCount list { code } } }`, map[string]any{"u": alice}).ok(&out)
	if out.RemoveRoles.String() != "1:admin" {
		t.Errorf("removeRoles = %v", out.RemoveRoles)
	}
	var u struct {
		User struct {
			All     codeList `json:"all"`
			Default codeList `json:"default"`
		}
	}
	e.do(`query($id: ID!) { user(id: $id) { all: roles { totalCount list { code } } default: roles(namespace: "default") { totalCount list { code } } } }`,
		map[string]any{"id": alice}).ok(&u)
	if u.User.All.TotalCount != 2 || u.User.Default.String() != "1:admin" {
		t.Errorf("User.roles = %v / %v", u.User.All, u.User.Default)
	}

	bob := e.createUser(map[string]any{"username": "bob"})
	var m struct {
		AddRoleMembers struct {
			Users struct{ TotalCount int }
		}
	}
	e.do(`mutation($u: [ID!]!) { addRoleMembers(code: "reader", userIds: $u) { users { totalCount } } }`, map[string]any{"u": []string{bob, alice}}).ok(&m)
	if m.AddRoleMembers.Users.TotalCount != 2 {
		t.Errorf("reader has %d members", m.AddRoleMembers.Users.TotalCount)
	}
	e.do(`mutation($u: [ID!]!) { removeRoleMembers(code: "reader", userIds: $u) { code } }`, map[string]any{"u": []string{bob, "ghost"}}).wantErr("NOT_FOUND", "userIds.1")
	e.do(`mutation { deleteRoles(codes: ["reader", "admin"]) }`, nil).ok(nil)
	var n int64
	e.raw().Table("role_members").Where("role_id IN (SELECT id FROM roles WHERE namespace = 'default')").Count(&n)
	if n != 0 {
		t.Errorf("%d memberships outlived their roles", n)
	}
}

func TestGroupsAndRolesArePoolScoped(t *testing.T) {
	e := newEnv(t)
	p, _, _ := e.store.CreatePool(context.Background(), "other")
	tok, _ := e.signer.AdminToken(p.ID, 0)
	e.do(`mutation { createGroup(code: "eng") { id } createRole(code: "admin") { id } }`, nil).ok(nil)
	alice := e.createUser(map[string]any{"username": "alice"})

	b := tok.Token
	var out struct {
		Group  *struct{ Code string }
		Role   *struct{ Code string }
		Groups struct{ TotalCount int }
	}
	e.doAs(b, `{ group(code: "eng") { code } role(code: "admin") { code } groups { totalCount } }`, nil).ok(&out)
	if out.Group != nil || out.Role != nil || out.Groups.TotalCount != 0 {
		t.Errorf("pool B sees pool A's groups or roles: %+v", out)
	}
	e.doAs(b, `mutation($u: [ID!]!) { addGroupMembers(code: "eng", userIds: $u) { code } }`, map[string]any{"u": []string{alice}}).wantErr("NOT_FOUND", "code")
	e.doAs(b, `mutation { createGroup(code: "eng") { id } }`, nil).ok(nil) // codes are unique per pool
	e.doAs(b, `mutation($u: [ID!]!) { addGroupMembers(code: "eng", userIds: $u) { code } }`, map[string]any{"u": []string{alice}}).wantErr("NOT_FOUND", "userIds.0")
	e.doAs(b, `mutation($u: ID!) { addRoles(userId: $u, roles: ["admin"]) { totalCount } }`, map[string]any{"u": alice}).wantErr("NOT_FOUND", "userId")
}

// TestNestedListsCostConstantStatements proves the loaders: the statements
// of a page with nested groups and roles do not grow with the page size.
func TestNestedListsCostConstantStatements(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i := range 4 {
		e.do(`mutation($c: String!) { createGroup(code: $c) { id } createRole(code: $c) { id } }`, map[string]any{"c": fmt.Sprintf("c%d", i)}).ok(nil)
	}
	for i := range 120 {
		id := e.createUser(map[string]any{"username": fmt.Sprintf("u%03d", i)})
		if _, err := e.store.AddUserGroups(ctx, e.poolID, id, []string{fmt.Sprintf("c%d", i%4), fmt.Sprintf("c%d", (i+1)%4)}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.AddUserRoles(ctx, e.poolID, id, "", []string{fmt.Sprintf("c%d", i%4), fmt.Sprintf("c%d", (i+2)%4)}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(query string, vars map[string]any) int64 {
		t.Helper()
		e.stmts.Reset()
		e.do(query, vars).ok(nil)
		if testing.Verbose() || t.Failed() {
			for _, s := range e.stmts.Statements() {
				t.Logf("  %.100s", s)
			}
		}
		return e.stmts.Count()
	}
	q := `query($n: Int) { users(limit: $n) { totalCount list { id groups { list { code } } roles { list { code } } identities { provider } } } }`
	n10, n100 := count(q, map[string]any{"n": 10}), count(q, map[string]any{"n": 100})
	// page, count, groups, roles, identities
	if n10 != 5 || n100 != 5 {
		t.Errorf("users with groups and roles: %d statements for 10 users, %d for 100; want 5 and 5", n10, n100)
	}
	q = `query($n: Int) { groups(limit: $n) { list { users(limit: 50) { totalCount list { id groups { list { code } } } } } }
		roles(limit: $n) { list { users { list { id } } } } }`
	g1, g4 := count(q, map[string]any{"n": 1}), count(q, map[string]any{"n": 4})
	// groups: count, page, members, member counts, members' groups; roles: count, page, members, member counts
	if g1 != 9 || g4 != 9 {
		t.Errorf("groups with members: %d statements for 1 group, %d for 4; want 9 and 9", g1, g4)
	}
	// Searches and filtered listings too: at most the search or listing's
	// own three statements (sizing a combined filter's sources, count,
	// page), then groups, roles and identities.
	for _, q := range []string{
		`query($n: Int) { searchUsers(query: "u0", limit: $n) { totalCount list { id groups { list { code } } roles { list { code } } identities { provider } } } }`,
		`query($n: Int) { searchUsers(query: "u00", limit: $n, exactCount: true) { totalCount list { id groups { list { code } } roles { list { code } } identities { provider } } } }`,
		`query($n: Int) { users(limit: $n, filter: {group: "c1", status: [Activated]}) { totalCount list { id groups { list { code } } roles { list { code } } identities { provider } } } }`,
		`query($n: Int) { users(limit: $n, filter: {role: {code: "c2"}}) { totalCount list { id groups { list { code } } roles { list { code } } identities { provider } } } }`,
	} {
		n10, n100 := count(q, map[string]any{"n": 10}), count(q, map[string]any{"n": 100})
		if n10 != n100 || n10 > 6 {
			t.Errorf("%.60s: %d statements for 10 users, %d for 100; want the same, at most 6", q, n10, n100)
		}
	}
}
