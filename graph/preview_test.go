package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"usergraph/model"
)

// access is every live user's authorizedResources: user → "ns/code" → actions.
type access map[string]map[string][]string

// accessNow reads authorizedResources of every live user.
func (w *world) accessNow(t *testing.T) access {
	t.Helper()
	var out struct {
		Users struct {
			List []struct {
				ID                  string
				AuthorizedResources struct {
					List []struct {
						Namespace, Code string
						Actions         []string
					}
				}
			}
		}
	}
	w.e.do(`{ users(limit: 100) { list { id authorizedResources { list { namespace code actions } } } } }`, nil).ok(&out)
	a := access{}
	for _, u := range out.Users.List {
		a[u.ID] = map[string][]string{}
		for _, r := range u.AuthorizedResources.List {
			a[u.ID][r.Namespace+"/"+r.Code] = r.Actions
		}
	}
	return a
}

// diff is what each user gains from before to after: user → "ns/code" → actions.
func diff(before, after access) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for u, entries := range after {
		for key, actions := range entries {
			for _, a := range actions {
				if !slices.Contains(before[u][key], a) {
					if out[u] == nil {
						out[u] = map[string][]string{}
					}
					out[u][key] = append(out[u][key], a)
				}
			}
		}
	}
	for _, entries := range out {
		for _, actions := range entries {
			sort.Strings(actions)
		}
	}
	return out
}

// previewSide is one list of a preview as user → "ns/code" → actions.
type previewSide struct {
	TotalCount      int
	TotalCountExact bool
	HasMore         bool
	List            []struct {
		User    struct{ ID string }
		Changes []struct {
			Namespace, Resource string
			Actions             []string
			Via                 []struct{ TargetType, Code string }
		}
	}
}

func (p previewSide) byUser(t *testing.T, what string) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for _, d := range p.List {
		out[d.User.ID] = map[string][]string{}
		for _, c := range d.Changes {
			if c.Via != nil && len(c.Via) == 0 {
				t.Errorf("%s: %s %s/%s with no via", what, d.User.ID, c.Namespace, c.Resource)
			}
			out[d.User.ID][c.Namespace+"/"+c.Resource] = c.Actions
		}
	}
	return out
}

// change is one random access change: its preview input and the mutation
// that makes it.
type change struct {
	preview  map[string]any
	mutation string
	vars     map[string]any
}

// randomChange makes a random change of a random kind on w.
func (w *world) randomChange() change {
	user := func() string { return w.users[1+w.r.IntN(len(w.users)-1)] }
	users := func() []string {
		var out []string
		for range 1 + w.r.IntN(3) {
			if u := user(); !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
		return out
	}
	role := func() string { return w.roles[w.r.IntN(len(w.roles))] }
	group := func() string { return w.groups[w.r.IntN(len(w.groups))] }
	switch w.r.IntN(9) {
	case 0, 1:
		kind, mutation := "authorize", "authorizeResource"
		if w.r.IntN(2) == 0 {
			kind, mutation = "revoke", "revokeResource"
		}
		var target map[string]any
		switch w.r.IntN(3) {
		case 0:
			target = map[string]any{"targetType": "USER", "targetIdentifier": user()}
		case 1:
			target = map[string]any{"targetType": "ROLE", "targetIdentifier": role()}
		default:
			target = map[string]any{"targetType": "GROUP", "targetIdentifier": group()}
		}
		target["actions"] = w.pick(worldActions, 1+w.r.IntN(2))
		code := worldCodes[w.r.IntN(len(worldCodes))]
		return change{map[string]any{kind: map[string]any{"namespace": "default", "resource": code, "opts": []any{target}}},
			`mutation($r: String!, $o: [AuthorizeResourceOpt!]!) { ` + mutation + `(namespace: "default", resource: $r, opts: $o) }`,
			map[string]any{"r": code, "o": []any{target}}}
	case 2, 3:
		kind, mutation := "addRoles", "addRoleMembers"
		if w.r.IntN(2) == 0 {
			kind, mutation = "removeRoles", "removeRoleMembers"
		}
		r, us := role(), users()
		return change{map[string]any{kind: map[string]any{"roles": []string{r}, "userIds": us}},
			`mutation($c: String!, $u: [ID!]!) { ` + mutation + `(code: $c, userIds: $u) { id } }`, map[string]any{"c": r, "u": us}}
	case 4, 5:
		kind := "addGroupMembers"
		if w.r.IntN(2) == 0 {
			kind = "removeGroupMembers"
		}
		g, us := group(), users()
		return change{map[string]any{kind: map[string]any{"group": g, "userIds": us}},
			`mutation($c: String!, $u: [ID!]!) { ` + kind + `(code: $c, userIds: $u) { id } }`, map[string]any{"c": g, "u": us}}
	case 6, 7:
		kind := "addGroupRoles"
		if w.r.IntN(2) == 0 {
			kind = "removeGroupRoles"
		}
		g, rs := group(), w.pick(w.roles, 1+w.r.IntN(2))
		return change{map[string]any{kind: map[string]any{"group": g, "roles": rs}},
			`mutation($c: String!, $r: [String!]!) { ` + kind + `(code: $c, roles: $r) { id } }`, map[string]any{"c": g, "r": rs}}
	default:
		g := group()
		var parent any
		if w.r.IntN(4) > 0 {
			parent = group()
		}
		return change{map[string]any{"moveGroup": map[string]any{"group": g, "parent": parent}},
			`mutation($c: String!, $p: String) { updateGroup(code: $c, input: {parent: $p}) { id } }`, map[string]any{"c": g, "p": parent}}
	}
}

// badChange is the i-th of 10 changes the mutations refuse.
func (w *world) badChange(i int) change {
	u := w.users[1]
	var root, leaf string // a group with a child, and a group below it
	for _, g := range w.groups {
		if p := w.parent[g]; p != "" {
			root, leaf = p, g
		}
	}
	grant := func(resource string, target map[string]any) change {
		return change{map[string]any{"authorize": map[string]any{"namespace": "default", "resource": resource, "opts": []any{target}}},
			`mutation($r: String!, $o: [AuthorizeResourceOpt!]!) { authorizeResource(namespace: "default", resource: $r, opts: $o) }`,
			map[string]any{"r": resource, "o": []any{target}}}
	}
	switch i {
	case 0:
		return grant("books", map[string]any{"targetType": "USER", "targetIdentifier": u, "actions": []string{"books:fly"}})
	case 1:
		return grant("nothing", map[string]any{"targetType": "USER", "targetIdentifier": u, "actions": []string{"books:read"}})
	case 2:
		return grant("books", map[string]any{"targetType": "ROLE", "targetIdentifier": "no-such-role", "actions": []string{"books:read"}})
	case 3:
		return grant("books:a b", map[string]any{"targetType": "GROUP", "targetIdentifier": w.groups[0], "actions": []string{"books:read"}})
	case 4:
		return change{map[string]any{"addRoles": map[string]any{"roles": []string{"no-such-role"}, "userIds": []string{u}}},
			`mutation($u: [ID!]!) { addRoleMembers(code: "no-such-role", userIds: $u) { id } }`, map[string]any{"u": []string{u}}}
	case 5:
		bad := "01a2504e-0000-7000-8000-000000000000"
		return change{map[string]any{"addGroupMembers": map[string]any{"group": w.groups[0], "userIds": []string{bad}}},
			`mutation($c: String!, $u: [ID!]!) { addGroupMembers(code: $c, userIds: $u) { id } }`, map[string]any{"c": w.groups[0], "u": []string{bad}}}
	case 6:
		return change{map[string]any{"addGroupRoles": map[string]any{"group": w.groups[0], "roles": []string{"no-such-role"}}},
			`mutation($c: String!) { addGroupRoles(code: $c, roles: ["no-such-role"]) { id } }`, map[string]any{"c": w.groups[0]}}
	case 7:
		return change{map[string]any{"removeGroupRoles": map[string]any{"group": "no-such-group", "roles": []string{w.roles[0]}}},
			`mutation($r: [String!]!) { removeGroupRoles(code: "no-such-group", roles: $r) { id } }`, map[string]any{"r": []string{w.roles[0]}}}
	case 8: // a cycle
		return change{map[string]any{"moveGroup": map[string]any{"group": root, "parent": leaf}},
			`mutation($c: String!, $p: String) { updateGroup(code: $c, input: {parent: $p}) { id } }`, map[string]any{"c": root, "p": leaf}}
	default:
		return change{map[string]any{"moveGroup": map[string]any{"group": w.groups[0], "parent": "no-such-group"}},
			`mutation($c: String!, $p: String) { updateGroup(code: $c, input: {parent: $p}) { id } }`, map[string]any{"c": w.groups[0], "p": "no-such-group"}}
	}
}

const previewQuery = `query($c: AccessChangeInput!) { previewAccessChange(change: $c, first: 100, exactCount: true) {
	gained { totalCount totalCountExact hasMore list { user { id } changes { namespace resource actions } } }
	lost { totalCount totalCountExact hasMore list { user { id } changes { namespace resource actions } } } } }`

// previewVia asks the first users of a preview with the ways.
const previewVia = `query($c: AccessChangeInput!) { previewAccessChange(change: $c, first: 5) {
	gained { list { user { id } changes { namespace resource actions via { targetType code } } } }
	lost { list { user { id } changes { namespace resource actions via { targetType code } } } } } }`

// TestPreviewIsTheChange: on random worlds, each random change's preview
// lists exactly the difference of every user's authorizedResources before
// and after the change is then made — gains and losses, with counts — and
// a change its mutation refuses is refused by its preview with the same
// code, on the preview's field for what the mutation's names.
func TestPreviewIsTheChange(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			e := newEnv(t)
			w := newWorld(t, e, 200+seed, 30)
			kinds, refusals, nonEmpty := map[string]int{}, 0, 0
			for i := range 70 {
				c := w.randomChange()
				if i >= 60 {
					c = w.badChange(i - 60)
				}
				for k := range c.preview {
					kinds[k]++
				}
				before := w.accessNow(t)
				r := e.do(previewQuery, map[string]any{"c": c.preview})
				var p struct {
					PreviewAccessChange struct{ Gained, Lost previewSide }
				}
				refused := r.code()
				if refused == "" {
					r.ok(&p)
					var v struct {
						PreviewAccessChange struct{ Gained, Lost previewSide }
					}
					e.do(previewVia, map[string]any{"c": c.preview}).ok(&v)
					v.PreviewAccessChange.Gained.byUser(t, "gained")
					v.PreviewAccessChange.Lost.byUser(t, "lost")
				}
				m := e.do(c.mutation, c.vars)
				if m.code() != refused {
					t.Fatalf("%v: the mutation says %q (%+v), the preview %q (%+v)", c.preview, m.code(), m.Errors, refused, r.Errors)
				}
				if refused != "" {
					refusals++
					// The preview names its input's fields (group, not code).
					for kind := range c.preview {
						if !strings.HasPrefix(r.field(), "change."+kind+".") {
							t.Errorf("%v: the preview's error is on %q, not on its change's field", c.preview, r.field())
						}
					}
					continue
				}
				after := w.accessNow(t)
				if len(diff(before, after))+len(diff(after, before)) > 0 {
					nonEmpty++
				}
				want := map[string]map[string]map[string][]string{"gained": diff(before, after), "lost": diff(after, before)}
				for name, side := range map[string]previewSide{"gained": p.PreviewAccessChange.Gained, "lost": p.PreviewAccessChange.Lost} {
					got := side.byUser(t, name)
					if !equalDiffs(got, want[name]) || side.TotalCount != len(want[name]) || !side.TotalCountExact || side.HasMore {
						g, _ := json.Marshal(got)
						wj, _ := json.Marshal(want[name])
						t.Errorf("%v: %s %d %s, want %d %s", c.preview, name, side.TotalCount, g, len(want[name]), wj)
					}
				}
			}
			if len(kinds) < 9 || refusals < 10 || nonEmpty < 10 {
				t.Errorf("too plain a run: kinds %v, %d refused, %d changing access", kinds, refusals, nonEmpty)
			}
		})
	}
}

func equalDiffs(a, b map[string]map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for u, entries := range a {
		if len(entries) != len(b[u]) {
			return false
		}
		for k, actions := range entries {
			if !slices.Equal(actions, b[u][k]) {
				return false
			}
		}
	}
	return true
}

// TestPreviewWritesNothingAndIsGuarded: a preview needs the scope of the
// change it previews (and users:read to name users), is refused with a
// client code for every malformed change, sees nothing of another pool,
// writes nothing (not even an audit record), is priced, and costs the
// same statements for 1 user as for 20.
func TestPreviewWritesNothingAndIsGuarded(t *testing.T) {
	e := newEnv(t)
	w := newWorld(t, e, 7, 60)
	e.do(`mutation { createRole(code: "fresh") { id } }`, nil).ok(nil)
	w.grant("ROLE:fresh", "books:2", []string{"books:write"})
	everyone := map[string]any{"addGroupRoles": map[string]any{"group": w.groups[0], "roles": []string{"fresh"}}}
	addRole := map[string]any{"addRoles": map[string]any{"roles": []string{w.roles[0]}, "userIds": w.users[1:4]}}
	const counts = `query($c: AccessChangeInput!) { previewAccessChange(change: $c) { gained { totalCount } lost { totalCount } } }`
	const named = `query($c: AccessChangeInput!) { previewAccessChange(change: $c) { gained { list { user { username } } } } }`

	audit := e.rows("audit_records")
	e.do(previewQuery, map[string]any{"c": everyone}).ok(nil)
	e.do(previewQuery, map[string]any{"c": addRole}).ok(nil)
	if n := e.rows("audit_records"); n != audit {
		t.Errorf("previews wrote %d audit records", n-audit)
	}

	_, reader := e.newKey("reader", "resources:read", "users:read")
	_, roles := e.newKey("roles", "resources:read", "roles:write")
	e.doAs(reader, counts, map[string]any{"c": addRole}).wantErr("FORBIDDEN", "change.addRoles")
	e.doAs(roles, counts, map[string]any{"c": addRole}).ok(nil)
	e.doAs(roles, named, map[string]any{"c": addRole}).wantErr("FORBIDDEN", "")
	e.doAs(roles, counts, map[string]any{"c": map[string]any{"moveGroup": map[string]any{"group": w.groups[1]}}}).wantErr("FORBIDDEN", "change.moveGroup")

	for _, c := range []struct {
		change map[string]any
		first  int
		code   string
		field  string
	}{
		{map[string]any{}, 10, "INVALID_INPUT", "change"},
		{map[string]any{"addRoles": addRole["addRoles"], "moveGroup": map[string]any{"group": w.groups[1]}}, 10, "INVALID_INPUT", "change"},
		{addRole, 0, "INVALID_INPUT", "first"},
		{addRole, 101, "INVALID_INPUT", "first"},
		{map[string]any{"addRoles": map[string]any{"roles": []string{}, "userIds": w.users[1:2]}}, 10, "INVALID_INPUT", "change.addRoles.roles"},
		{map[string]any{"addRoles": map[string]any{"roles": []string{w.roles[0]}, "userIds": []string{}}}, 10, "INVALID_INPUT", "change.addRoles.userIds"},
		{map[string]any{"addRoles": map[string]any{"roles": []string{w.roles[0]}, "userIds": slices.Repeat([]string{w.users[1]}, model.MaxBatch+1)}}, 10, "INVALID_INPUT", "change.addRoles.userIds"},
		{map[string]any{"addRoles": map[string]any{"roles": slices.Repeat([]string{w.roles[0]}, model.MaxBatch+1), "userIds": w.users[1:2]}}, 10, "INVALID_INPUT", "change.addRoles.roles"},
		{map[string]any{"addGroupMembers": map[string]any{"group": w.groups[0], "userIds": slices.Repeat([]string{w.users[1]}, model.MaxBatch+1)}}, 10, "INVALID_INPUT", "change.addGroupMembers.userIds"},
		{map[string]any{"revoke": map[string]any{"namespace": "default", "resource": "books", "opts": []any{}}}, 10, "INVALID_INPUT", "change.revoke.opts"},
		{map[string]any{"revoke": map[string]any{"namespace": "nope", "resource": "books", "opts": []any{map[string]any{"targetType": "USER", "targetIdentifier": w.users[1], "actions": []string{"books:read"}}}}}, 10, "NOT_FOUND", "change.revoke.namespace"},
		{map[string]any{"moveGroup": map[string]any{"group": w.groups[1], "parent": w.groups[1]}}, 10, "INVALID_INPUT", "change.moveGroup.parent"},
	} {
		e.do(`query($c: AccessChangeInput!, $f: Int) { previewAccessChange(change: $c, first: $f) { gained { totalCount } } }`,
			map[string]any{"c": c.change, "f": c.first}).wantErr(c.code, c.field)
	}
	// Another pool knows none of these users or roles.
	other := e.otherPoolToken()
	e.doAs(other, counts, map[string]any{"c": addRole}).wantErr("NOT_FOUND", "change.addRoles.roles.0")
	e.doAs(other, counts, map[string]any{"c": map[string]any{"addRoles": map[string]any{"roles": []string{"admin"}, "userIds": w.users[1:2]}}}).wantErr("NOT_FOUND", "change.addRoles.roles.0")

	e.do(`query($c: AccessChangeInput!) { previewAccessChange(change: $c, first: 100) { gained { list { user { groups { list { members(limit: 100) { list { user { id } } } } } } } } } }`,
		map[string]any{"c": everyone}).wantErr("COMPLEXITY_LIMIT_EXCEEDED", "")

	// Enough users on both sides for a page of 20 to be full.
	w.grant("GROUP:"+w.groups[0], "books:2", []string{"books:delete"})
	e.do(`mutation($c: String!, $u: [ID!]!) { addGroupMembers(code: $c, userIds: $u) { id } }`, map[string]any{"c": w.groups[0], "u": w.users[1:40]}).ok(nil)
	var sizes struct {
		A struct{ Gained struct{ TotalCount int } }
		B struct{ Lost struct{ TotalCount int } }
	}
	e.do(`query($a: AccessChangeInput!, $b: AccessChangeInput!) { a: previewAccessChange(change: $a) { gained { totalCount } } b: previewAccessChange(change: $b) { lost { totalCount } } }`,
		map[string]any{"a": everyone, "b": map[string]any{"removeGroupMembers": map[string]any{"group": w.groups[0], "userIds": w.users[1:40]}}}).ok(&sizes)
	if sizes.A.Gained.TotalCount < 20 || sizes.B.Lost.TotalCount < 20 {
		t.Fatalf("the previews counted are too small to fill a page: %+v", sizes)
	}
	q := `query($c: AccessChangeInput!, $n: Int!) { previewAccessChange(change: $c, first: $n) {
		gained { totalCount list { user { id username } changes { resource actions via { code viaGroup } } } }
		lost { totalCount list { user { id } changes { resource actions } } } } }`
	for _, c := range []map[string]any{everyone, {"removeGroupMembers": map[string]any{"group": w.groups[0], "userIds": w.users[1:40]}}} {
		stmts := map[int]int64{}
		for _, n := range []int{1, 20} {
			vars := map[string]any{"c": c, "n": n}
			e.do(q, vars).ok(nil)
			e.stmts.Reset()
			e.do(q, vars).ok(nil)
			stmts[n] = e.stmts.Count()
		}
		if stmts[1] != stmts[20] {
			t.Errorf("%v: %d statements for 1 user, %d for 20", c, stmts[1], stmts[20])
		}
	}
}
