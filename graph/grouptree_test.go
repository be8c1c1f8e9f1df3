package graph_test

import (
	"strings"
	"testing"
)

// TestGroupTree: groups nest (no cycles, bounded depth); members of a
// group hold its ancestors' roles and grants; children, ancestors and
// members of descendants are listed; a group with children is not
// deleted; moving a group moves what its members inherit.
func TestGroupTree(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation {
		createNamespace(code: "app") { code }
		createResource(namespace: "app", code: "books", type: DATA, actions: [{name: "read"}, {name: "write"}]) { code }
		createRole(code: "reader", namespace: "app") { code }
		a: createGroup(code: "company") { code }
		b: createGroup(code: "eng", parent: "company") { code }
		c: createGroup(code: "backend", parent: "eng") { code }
		d: createGroup(code: "sales", parent: "company") { code }
	}`, nil).ok(nil)
	e.do(`mutation { authorizeResource(namespace: "app", resource: "books", opts: [{targetType: GROUP, targetIdentifier: "company", actions: ["read"]}]) }`, nil).ok(nil)
	e.do(`mutation { addGroupRoles(code: "eng", roles: ["reader"], namespace: "app") { code } }`, nil).ok(nil)
	ada := e.createUser(map[string]any{"username": "ada"})
	bob := e.createUser(map[string]any{"username": "bob"})
	e.do(`mutation($a: ID!, $b: ID!) { x: addGroups(userId: $a, groups: ["backend"]) { totalCount } y: addGroups(userId: $b, groups: ["sales", "eng"]) { totalCount } }`,
		map[string]any{"a": ada, "b": bob}).ok(nil)

	var g struct {
		Group struct {
			Parent    *struct{ Code string }
			Ancestors []struct{ Code string }
			Children  struct {
				TotalCount int
				List       []struct{ Code string }
			}
			Direct struct{ TotalCount int }
			Deep   struct {
				TotalCount int
				List       []struct{ Username string }
			}
		}
	}
	e.do(`{ group(code: "eng") { parent { code } ancestors { code } children { totalCount list { code } }
		direct: users { totalCount } deep: users(includeDescendants: true) { totalCount list { username } } } }`, nil).ok(&g)
	if g.Group.Parent == nil || g.Group.Parent.Code != "company" || len(g.Group.Ancestors) != 1 || g.Group.Children.TotalCount != 1 ||
		g.Group.Direct.TotalCount != 1 || g.Group.Deep.TotalCount != 2 {
		t.Errorf("eng: %+v", g.Group)
	}
	e.do(`{ group(code: "backend") { ancestors { code } } }`, nil).ok(&g)
	if codes := g.Group.Ancestors; len(codes) != 2 || codes[0].Code != "company" || codes[1].Code != "eng" {
		t.Errorf("backend's ancestors, root first: %+v", codes)
	}
	e.do(`{ group(code: "company") { deep: users(includeDescendants: true) { totalCount list { username } } } }`, nil).ok(&g)
	if g.Group.Deep.TotalCount != 2 || len(g.Group.Deep.List) != 2 { // bob is in two of its groups, counted once
		t.Errorf("everyone under company: %+v", g.Group.Deep)
	}

	// Inheritance: ada (in backend) holds eng's role and company's grant.
	var held struct {
		User struct {
			HeldRoles []struct {
				Role   struct{ Code string }
				Groups []string
			}
		}
	}
	e.do(`query($u: ID!) { user(id: $u) { heldRoles { role { code } groups } } }`, map[string]any{"u": ada}).ok(&held)
	if h := held.User.HeldRoles; len(h) != 1 || h[0].Role.Code != "reader" || strings.Join(h[0].Groups, ",") != "eng" {
		t.Errorf("ada's roles through the tree: %+v", h)
	}
	allowed := func(u string) bool {
		var out struct{ IsActionAllowed bool }
		e.do(`query($u: ID!) { isActionAllowed(userId: $u, namespace: "app", resource: "books", action: "read") }`, map[string]any{"u": u}).ok(&out)
		return out.IsActionAllowed
	}
	if !allowed(ada) || !allowed(bob) {
		t.Error("company's grant does not reach the members of its descendants")
	}
	var backend struct {
		Group struct {
			AuthorizedResources struct {
				List []struct{ Via []struct{ Code string } }
			}
		}
	}
	e.do(`{ group(code: "backend") { authorizedResources(namespace: "app") { list { via { code } } } } }`, nil).ok(&backend)
	if l := backend.Group.AuthorizedResources.List; len(l) != 1 || l[0].Via[0].Code != "company" {
		t.Errorf("backend's resources, from company above it: %+v", l)
	}
	// bob is in two groups under company: its grant reaches him once.
	var authz struct {
		AuthorizedResources struct {
			List []struct {
				Via []struct{ TargetType, Code string }
			}
		}
	}
	e.do(`query($u: ID!) { authorizedResources(userId: $u, namespace: "app") { list { via { targetType code } } } }`, map[string]any{"u": bob}).ok(&authz)
	if l := authz.AuthorizedResources.List; len(l) != 1 || len(l[0].Via) != 1 || l[0].Via[0].Code != "company" {
		t.Errorf("bob's resources, company's grant once: %+v", l)
	}

	// Cycles, unknown parents and deletions of parents are refused.
	e.do(`mutation { updateGroup(code: "company", input: {parent: "backend"}) { code } }`, nil).wantErr("INVALID_INPUT", "input.parent")
	e.do(`mutation { updateGroup(code: "eng", input: {parent: "eng"}) { code } }`, nil).wantErr("INVALID_INPUT", "input.parent")
	e.do(`mutation { updateGroup(code: "eng", input: {parent: "nope"}) { code } }`, nil).wantErr("NOT_FOUND", "input.parent")
	e.do(`mutation { createGroup(code: "x", parent: "nope") { code } }`, nil).wantErr("NOT_FOUND", "parent")
	e.do(`mutation { deleteGroups(codes: ["sales", "eng"]) }`, nil).wantErr("INVALID_INPUT", "codes.1")

	// Moving backend to a root takes company's grant and eng's role from ada.
	e.do(`mutation { updateGroup(code: "backend", input: {parent: null}) { parent { code } } }`, nil).ok(nil)
	if allowed(ada) {
		t.Error("ada still inherits company's grant after backend became a root")
	}
	e.do(`query($u: ID!) { user(id: $u) { heldRoles { role { code } groups } } }`, map[string]any{"u": ada}).ok(&held)
	if len(held.User.HeldRoles) != 0 {
		t.Errorf("ada's roles after the move: %+v", held.User.HeldRoles)
	}
	rec := only(t, "move", must(e.audit(map[string]any{"operation": "updateGroup", "objectType": "GROUP"})))
	if !strings.HasSuffix(rec.change("parentId"), "-> null") {
		t.Errorf("the move's audit: %+v", rec)
	}
	// A leaf goes; then its parent may.
	e.do(`mutation { deleteGroups(codes: ["backend", "sales"]) }`, nil).ok(nil)

	// The tree's depth is bounded.
	parent := "eng"
	for i := range 40 {
		code := "level" + strings.Repeat("x", i)
		r := e.do(`mutation($c: String!, $p: String) { createGroup(code: $c, parent: $p) { code } }`, map[string]any{"c": code, "p": parent})
		if r.code() != "" {
			if r.code() != "INVALID_INPUT" || r.field() != "parent" || i < 29 {
				t.Errorf("level %d: %+v", i, r.Errors)
			}
			break
		}
		parent = code
	}
	// A page of groups with their trees: constant statements.
	e.stmts.Reset()
	e.do(`{ groups(limit: 50) { list { code parent { code } ancestors { code } children { totalCount } users(includeDescendants: true) { totalCount } } } }`, nil).ok(nil)
	if n := e.stmts.Count(); n > 6 {
		t.Errorf("groups with their trees: %d statements, want at most 6:\n%s", n, strings.Join(e.stmts.Statements(), "\n"))
	}
}
