package graph_test

import (
	"strings"
	"testing"
)

// TestGroupRoles: a role given to a group is held by every member — in
// User.roles and heldRoles, the role filter, authorizedResources (via the
// group) and isActionAllowed — and stops being held the moment the group
// loses the role or the user leaves the group.
func TestGroupRoles(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation {
		createNamespace(code: "app") { code }
		createResource(namespace: "app", code: "books", type: DATA, actions: [{name: "read"}, {name: "write"}]) { code }
		a: createRole(code: "editor", namespace: "app") { code }
		b: createRole(code: "viewer", namespace: "app") { code }
		createGroup(code: "staff") { code }
	}`, nil).ok(nil)
	e.do(`mutation { authorizeResource(namespace: "app", resource: "books", opts: [{targetType: ROLE, targetIdentifier: "editor", actions: ["write"]}]) }`, nil).ok(nil)
	ada := e.createUser(map[string]any{"username": "ada"})
	bob := e.createUser(map[string]any{"username": "bob"})
	e.do(`mutation($u: ID!) { addGroups(userId: $u, groups: ["staff"]) { totalCount } addRoles(userId: $u, roles: ["viewer"], namespace: "app") { totalCount } }`, map[string]any{"u": ada}).ok(nil)

	var g struct {
		AddGroupRoles struct {
			Roles struct{ List []struct{ Code string } }
		}
	}
	e.do(`mutation { addGroupRoles(code: "staff", roles: ["editor", "viewer"], namespace: "app") { roles { list { code } } } }`, nil).ok(&g)
	if len(g.AddGroupRoles.Roles.List) != 2 {
		t.Fatalf("the group's roles: %+v", g)
	}
	e.do(`mutation { addGroupRoles(code: "staff", roles: ["editor", "nope"], namespace: "app") { code } }`, nil).wantErr("NOT_FOUND", "roles.1")
	e.do(`mutation { addGroupRoles(code: "nope", roles: ["editor"], namespace: "app") { code } }`, nil).wantErr("NOT_FOUND", "code")

	type held struct {
		Role   struct{ Code string }
		Direct bool
		Groups []string
	}
	var u struct {
		User struct {
			All       struct{ List []struct{ Code string } }
			Direct    struct{ List []struct{ Code string } }
			HeldRoles []held
		}
	}
	e.do(`query($u: ID!) { user(id: $u) { all: roles(membership: EFFECTIVE) { list { code } } direct: roles { list { code } } heldRoles { role { code } direct groups } } }`, map[string]any{"u": ada}).ok(&u)
	if len(u.User.All.List) != 2 || len(u.User.Direct.List) != 1 || u.User.Direct.List[0].Code != "viewer" {
		t.Errorf("ada's roles: %+v", u.User)
	}
	got := map[string]held{}
	for _, h := range u.User.HeldRoles {
		got[h.Role.Code] = h
	}
	if h := got["editor"]; h.Direct || strings.Join(h.Groups, ",") != "staff" {
		t.Errorf("editor is held through staff only: %+v", h)
	}
	if h := got["viewer"]; !h.Direct || strings.Join(h.Groups, ",") != "staff" {
		t.Errorf("viewer is held directly and through staff: %+v", h)
	}

	holders := func() string {
		var out struct {
			Users struct{ List []struct{ Username string } }
		}
		e.do(`{ users(filter: {role: {code: "editor", namespace: "app"}, membership: EFFECTIVE}, sortBy: {field: USERNAME, order: ASC}) { list { username } } }`, nil).ok(&out)
		var names []string
		for _, u := range out.Users.List {
			names = append(names, u.Username)
		}
		return strings.Join(names, ",")
	}
	if h := holders(); h != "ada" {
		t.Errorf("holders of editor: %q, want ada (through staff)", h)
	}
	var authz struct {
		AuthorizedResources struct {
			List []struct {
				Code    string
				Actions []string
				Via     []struct {
					TargetType, Code string
					ViaGroup         *string
				}
			}
		}
	}
	e.do(`query($u: ID!) { authorizedResources(userId: $u, namespace: "app") { list { code actions via { targetType code viaGroup } } } }`, map[string]any{"u": ada}).ok(&authz)
	if l := authz.AuthorizedResources.List; len(l) != 1 || strings.Join(l[0].Actions, ",") != "write" || len(l[0].Via) != 1 ||
		l[0].Via[0].Code != "editor" || l[0].Via[0].ViaGroup == nil || *l[0].Via[0].ViaGroup != "staff" {
		t.Errorf("ada's resources: %+v", authz.AuthorizedResources.List)
	}
	var staff struct {
		Group struct {
			AuthorizedResources struct {
				List []struct {
					Code string
					Via  []struct{ TargetType, Code string }
				}
			}
		}
	}
	e.do(`{ group(code: "staff") { authorizedResources(namespace: "app") { list { code via { targetType code } } } } }`, nil).ok(&staff)
	if l := staff.Group.AuthorizedResources.List; len(l) != 1 || len(l[0].Via) != 1 || l[0].Via[0].TargetType != "ROLE" || l[0].Via[0].Code != "editor" {
		t.Errorf("staff's resources, through its editor role: %+v", l)
	}
	allowed := func(user string) bool {
		var out struct{ IsActionAllowed bool }
		e.do(`query($u: ID!) { isActionAllowed(userId: $u, namespace: "app", resource: "books", action: "write") }`, map[string]any{"u": user}).ok(&out)
		return out.IsActionAllowed
	}
	if !allowed(ada) || allowed(bob) {
		t.Error("isActionAllowed: ada may write through staff's editor role, bob may not")
	}

	// Revocation is immediate: the group loses the role, or the user the group.
	e.do(`mutation { removeGroupRoles(code: "staff", roles: ["editor"], namespace: "app") { code } }`, nil).ok(nil)
	if allowed(ada) || holders() != "" {
		t.Error("ada still holds editor after staff lost it")
	}
	e.do(`mutation { addGroupRoles(code: "staff", roles: ["editor"], namespace: "app") { code } }`, nil).ok(nil)
	e.do(`mutation($u: ID!) { removeGroups(userId: $u, groups: ["staff"]) { totalCount } }`, map[string]any{"u": ada}).ok(nil)
	if allowed(ada) || holders() != "" {
		t.Error("ada still holds editor after leaving staff")
	}
	rec := only(t, "addGroupRoles", must(e.audit(map[string]any{"operation": "addGroupRoles", "objectType": "GROUP", "until": "2100-01-01T00:00:00Z"}))[:1])
	if rec.change("roles") != `null -> "app/editor"` {
		t.Errorf("the audit of addGroupRoles: %+v", rec)
	}

	// A page of users with their roles costs the same statements with group
	// roles as without: one for the roles, whatever the page.
	e.stmts.Reset()
	e.do(`{ users { list { roles { list { code } } heldRoles { groups } } } }`, nil).ok(nil)
	if n := e.stmts.Count(); n != 2 {
		t.Errorf("users { roles heldRoles }: %d statements, want 2:\n%s", n, strings.Join(e.stmts.Statements(), "\n"))
	}
}
