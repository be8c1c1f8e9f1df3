package graph_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

// world is a random pool of users, a group forest, roles, memberships,
// group roles and grants, built through the API, with the model of it the
// test keeps itself: what every access question should answer.
type world struct {
	e       *env
	r       *rand.Rand
	users   []string          // ids; archived[users[i]] for the archived one
	groups  []string          // codes
	parent  map[string]string // group → parent ("" for a root)
	members map[string][]string
	roles   []string
	holders map[string][]string // role → its direct holders
	gRoles  map[string][]string // group → its roles
	// grants[target][code] = actions; target is "USER:id", "ROLE:code" or "GROUP:code"
	grants   map[string]map[string][]string
	archived map[string]bool
}

var (
	worldCodes   = []string{"books", "books:*", "books:1", "books:2"}
	worldActions = []string{"books:read", "books:write", "books:delete", "books:*", "*"}
)

// newWorld builds a world from seed: n users, 8 groups in a forest at
// most 4 deep, 5 roles, and random memberships, group roles and grants.
func newWorld(t *testing.T, e *env, seed uint64, n int) *world {
	t.Helper()
	w := &world{e: e, r: rand.New(rand.NewPCG(seed, 7)), parent: map[string]string{}, members: map[string][]string{},
		holders: map[string][]string{}, gRoles: map[string][]string{}, grants: map[string]map[string][]string{}, archived: map[string]bool{}}
	e.do(`mutation { createResource(namespace: "default", code: "books", type: DATA, actions: [{name: "books:read"}, {name: "books:write"}, {name: "books:delete"}]) { code } }`, nil).ok(nil)
	var batch []map[string]any
	for i := range n {
		batch = append(batch, map[string]any{"username": fmt.Sprintf("u%03d", i)})
	}
	var created struct {
		CreateUsers []struct{ User struct{ ID string } }
	}
	e.do(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { user { id } } }`, map[string]any{"u": batch}).ok(&created)
	for _, u := range created.CreateUsers {
		w.users = append(w.users, u.User.ID)
	}
	for i := range 8 {
		code := fmt.Sprintf("g%d", i)
		parent := ""
		if i > 0 && w.r.IntN(3) > 0 {
			if p := w.groups[w.r.IntN(len(w.groups))]; w.depth(p) < 3 {
				parent = p
			}
		}
		e.do(`mutation($c: String!, $p: String) { createGroup(code: $c, parent: $p) { id } }`, map[string]any{"c": code, "p": nilIfEmpty(parent)}).ok(nil)
		w.groups, w.parent[code] = append(w.groups, code), parent
	}
	for i := range 5 {
		code := fmt.Sprintf("r%d", i)
		e.do(`mutation($c: String!) { createRole(code: $c) { id } }`, map[string]any{"c": code}).ok(nil)
		w.roles = append(w.roles, code)
	}
	for _, g := range w.groups {
		if us := w.some(w.users, 6); len(us) > 0 {
			e.do(`mutation($c: String!, $u: [ID!]!) { addGroupMembers(code: $c, userIds: $u) { id } }`, map[string]any{"c": g, "u": us}).ok(nil)
			w.members[g] = us
		}
		if rs := w.some(w.roles, 2); len(rs) > 0 {
			e.do(`mutation($c: String!, $r: [String!]!) { addGroupRoles(code: $c, roles: $r) { id } }`, map[string]any{"c": g, "r": rs}).ok(nil)
			w.gRoles[g] = rs
		}
	}
	for _, role := range w.roles {
		if us := w.some(w.users, 5); len(us) > 0 {
			e.do(`mutation($c: String!, $u: [ID!]!) { addRoleMembers(code: $c, userIds: $u) { id } }`, map[string]any{"c": role, "u": us}).ok(nil)
			w.holders[role] = us
		}
	}
	var targets []string
	for _, u := range w.some(w.users, 6) {
		targets = append(targets, "USER:"+u)
	}
	for _, r := range w.some(w.roles, 3) {
		targets = append(targets, "ROLE:"+r)
	}
	for _, g := range w.some(w.groups, 3) {
		targets = append(targets, "GROUP:"+g)
	}
	for _, target := range targets {
		for _, code := range w.pick(worldCodes, 1+w.r.IntN(2)) {
			actions := w.pick(worldActions[:3], 1+w.r.IntN(2))
			if w.r.IntN(6) == 0 { // a wildcard now and then
				actions = append(actions, worldActions[3+w.r.IntN(2)])
			}
			w.grant(target, code, actions)
		}
	}
	w.archived[w.users[0]] = true
	e.do(`mutation($ids: [ID!]!) { archiveUsers(ids: $ids) { id } }`, map[string]any{"ids": []string{w.users[0]}}).ok(nil)
	return w
}

// grant grants actions on code to target, through the API and in the model.
func (w *world) grant(target, code string, actions []string) {
	w.e.t.Helper()
	if len(actions) == 0 {
		return
	}
	typ, id, _ := strings.Cut(target, ":")
	w.e.do(`mutation($r: String!, $o: [AuthorizeResourceOpt!]!) { authorizeResource(namespace: "default", resource: $r, opts: $o) }`,
		map[string]any{"r": code, "o": []map[string]any{{"targetType": typ, "targetIdentifier": id, "actions": actions}}}).ok(nil)
	if w.grants[target] == nil {
		w.grants[target] = map[string][]string{}
	}
	for _, a := range actions {
		if !slices.Contains(w.grants[target][code], a) {
			w.grants[target][code] = append(w.grants[target][code], a)
		}
	}
}

// some is a random subset of xs of at most n.
func (w *world) some(xs []string, n int) []string { return w.pick(xs, w.r.IntN(n+1)) }

// pick is a random subset of xs of k (or all of xs, if fewer).
func (w *world) pick(xs []string, k int) []string {
	perm := w.r.Perm(len(xs))
	var out []string
	for _, i := range perm[:min(k, len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

func (w *world) depth(g string) int {
	d := 0
	for p := w.parent[g]; p != ""; p = w.parent[p] {
		d++
	}
	return d
}

// above is g and every group above it.
func (w *world) above(g string) []string {
	out := []string{g}
	for p := w.parent[g]; p != ""; p = w.parent[p] {
		out = append(out, p)
	}
	return out
}

// groupsOf is the groups a user is in: directly, or with every group above.
func (w *world) groupsOf(u string, effective bool) []string {
	var out []string
	for _, g := range w.groups {
		if slices.Contains(w.members[g], u) {
			if effective {
				out = append(out, w.above(g)...)
			} else {
				out = append(out, g)
			}
		}
	}
	return sortedSet(out)
}

// rolesOf is the roles a user holds: given to it, or through its groups too.
func (w *world) rolesOf(u string, effective bool) []string {
	var out []string
	for _, r := range w.roles {
		if slices.Contains(w.holders[r], u) {
			out = append(out, r)
		}
	}
	if effective {
		for _, g := range w.groupsOf(u, true) {
			out = append(out, w.gRoles[g]...)
		}
	}
	return sortedSet(out)
}

// allowed is the model's isActionAllowed.
func (w *world) allowed(u, resource, action string) bool {
	targets := []string{"USER:" + u}
	for _, r := range w.rolesOf(u, true) {
		targets = append(targets, "ROLE:"+r)
	}
	for _, g := range w.groupsOf(u, true) {
		targets = append(targets, "GROUP:"+g)
	}
	for _, t := range targets {
		for code, actions := range w.grants[t] {
			if !covers(code, resource) {
				continue
			}
			for _, a := range actions {
				if a == action || a == "*" || (strings.HasSuffix(a, ":*") && strings.HasPrefix(action, strings.TrimSuffix(a, "*"))) {
					return true
				}
			}
		}
	}
	return false
}

// covers is whether a grant on code covers resource (model.ResourceCovers,
// written again so the test does not check the code with itself).
func covers(code, resource string) bool {
	switch {
	case code == resource:
		return true
	case code == "books" || code == "books:*":
		return resource == "books" || strings.HasPrefix(resource, "books:")
	}
	return false
}

// live is the users that are not archived.
func (w *world) live() []string {
	return slices.DeleteFunc(slices.Clone(w.users), func(u string) bool { return w.archived[u] })
}

func sortedSet(xs []string) []string {
	out := slices.Clone(xs)
	sort.Strings(out)
	return slices.Compact(out)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// idPage is a page of users as ids, with its count.
type idPage struct {
	TotalCount int
	List       []struct{ ID string }
}

func (p idPage) ids() []string {
	var out []string
	for _, u := range p.List {
		out = append(out, u.ID)
	}
	return sortedSet(out)
}

// TestMembershipHasOneMeaning: for every group and role, direct and
// effective, the member lists, the users filter and each user's own
// groups and roles count the same users — the ones the test's model says.
func TestMembershipHasOneMeaning(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			e := newEnv(t)
			w := newWorld(t, e, seed, 30)
			var everyone struct {
				Users struct {
					List []struct {
						ID                            string
						DirectGroups, EffectiveGroups struct{ List []struct{ Code string } }
						DirectRoles, EffectiveRoles   struct{ List []struct{ Code string } }
						DefaultGroups, DefaultRoles   struct{ List []struct{ Code string } }
					}
				}
			}
			e.do(`{ users(limit: 50) { list { id
				directGroups: groups(membership: DIRECT) { list { code } } effectiveGroups: groups(membership: EFFECTIVE) { list { code } }
				directRoles: roles(membership: DIRECT) { list { code } } effectiveRoles: roles(membership: EFFECTIVE) { list { code } }
				defaultGroups: groups { list { code } } defaultRoles: roles { list { code } } } } }`, nil).ok(&everyone)
			codes := func(l struct{ List []struct{ Code string } }) []string {
				var out []string
				for _, x := range l.List {
					out = append(out, x.Code)
				}
				return sortedSet(out)
			}
			for _, u := range everyone.Users.List {
				for _, c := range []struct {
					name      string
					got, want []string
				}{
					{"direct groups", codes(u.DirectGroups), w.groupsOf(u.ID, false)},
					{"effective groups", codes(u.EffectiveGroups), w.groupsOf(u.ID, true)},
					{"default groups", codes(u.DefaultGroups), w.groupsOf(u.ID, false)},
					{"direct roles", codes(u.DirectRoles), w.rolesOf(u.ID, false)},
					{"effective roles", codes(u.EffectiveRoles), w.rolesOf(u.ID, true)},
					{"default roles", codes(u.DefaultRoles), w.rolesOf(u.ID, false)},
				} {
					if !slices.Equal(c.got, c.want) {
						t.Errorf("user %s %s: %v, want %v", u.ID, c.name, c.got, c.want)
					}
				}
			}
			differ := 0 // groups and roles whose effective members are not the direct ones
			for _, g := range w.groups {
				for _, u := range w.live() {
					if slices.Contains(w.groupsOf(u, true), g) != slices.Contains(w.groupsOf(u, false), g) {
						differ++
						break
					}
				}
			}
			for _, r := range w.roles {
				for _, u := range w.live() {
					if slices.Contains(w.rolesOf(u, true), r) != slices.Contains(w.rolesOf(u, false), r) {
						differ++
						break
					}
				}
			}
			if differ < 2 {
				t.Fatalf("seed %d makes a world where direct and effective hardly differ (%d)", seed, differ)
			}
			for _, m := range []string{"DIRECT", "EFFECTIVE"} {
				for _, g := range w.groups {
					var want []string
					for _, u := range w.live() {
						if slices.Contains(w.groupsOf(u, m == "EFFECTIVE"), g) {
							want = append(want, u)
						}
					}
					w.checkMembers(t, m, fmt.Sprintf(`group(code: %q)`, g), fmt.Sprintf(`{group: %q, membership: %s}`, g, m), sortedSet(want))
				}
				for _, r := range w.roles {
					var want []string
					for _, u := range w.live() {
						if slices.Contains(w.rolesOf(u, m == "EFFECTIVE"), r) {
							want = append(want, u)
						}
					}
					w.checkMembers(t, m, fmt.Sprintf(`role(code: %q)`, r), fmt.Sprintf(`{role: {code: %q}, membership: %s}`, r, m), sortedSet(want))
				}
			}
		})
	}
}

// checkMembers asks one group's or role's members every way there is.
func (w *world) checkMembers(t *testing.T, membership, object, filter string, want []string) {
	t.Helper()
	var out struct {
		Object *struct {
			Users   idPage
			Members struct {
				TotalCount int
				List       []struct {
					User   struct{ ID string }
					Direct bool
					Via    []struct {
						Group     string
						RoleGroup *string
					}
				}
			}
		}
		Filtered idPage
	}
	w.e.do(fmt.Sprintf(`{ object: %s { users(membership: %s, limit: 100) { totalCount list { id } }
		members(membership: %s, limit: 100) { totalCount list { user { id } direct via { group roleGroup } } } }
		filtered: users(filter: %s, limit: 100) { totalCount list { id } } }`, object, membership, membership, filter), nil).ok(&out)
	if out.Object == nil {
		t.Fatalf("%s: not found", object)
	}
	var members []string
	for _, m := range out.Object.Members.List {
		members = append(members, m.User.ID)
		if !m.Direct && len(m.Via) == 0 {
			t.Errorf("%s %s: member %s is neither direct nor via a group", object, membership, m.User.ID)
		}
		if membership == "DIRECT" && !m.Direct {
			t.Errorf("%s DIRECT: member %s is not direct", object, m.User.ID)
		}
		for _, v := range m.Via {
			if strings.HasPrefix(object, "role") && (v.RoleGroup == nil || !slices.Contains(w.above(v.Group), *v.RoleGroup)) {
				t.Errorf("%s: via %+v: the role's group must be the member's group or above it", object, v)
			}
		}
	}
	for name, got := range map[string]struct {
		n   int
		ids []string
	}{
		"users":    {out.Object.Users.TotalCount, out.Object.Users.ids()},
		"members":  {out.Object.Members.TotalCount, sortedSet(members)},
		"filtered": {out.Filtered.TotalCount, out.Filtered.ids()},
	} {
		if got.n != len(want) || !slices.Equal(got.ids, want) {
			t.Errorf("%s %s %s: %d %v, want %d %v", object, membership, name, got.n, got.ids, len(want), want)
		}
	}
}

// TestWhoCanIsIsActionAllowed: on random worlds, usersWhoCan lists exactly
// the users isActionAllowed allows (and the test's own model does), each
// with a way; users(filter: {can}) counts the same; combined with another
// filter it is the intersection.
func TestWhoCanIsIsActionAllowed(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			e := newEnv(t)
			w := newWorld(t, e, 100+seed, 40)
			live := w.live()
			answers := map[string]bool{} // the distinct answers
			defer func() {
				if len(answers) < 3 {
					t.Errorf("seed %d: %d distinct answers: the world is too plain", seed, len(answers))
				}
			}()
			for _, resource := range []string{"books", "books:1", "books:3"} {
				for _, action := range []string{"books:read", "books:write", "books:delete", "books:*"} {
					var checks []map[string]any
					for _, u := range live {
						checks = append(checks, map[string]any{"userId": u, "resource": resource, "action": action})
					}
					var allowed struct{ IsActionAllowedBatch []bool }
					e.do(`query($c: [ActionCheckInput!]!) { isActionAllowedBatch(checks: $c) }`, map[string]any{"c": checks}).ok(&allowed)
					var want []string
					for i, u := range live {
						if allowed.IsActionAllowedBatch[i] != w.allowed(u, resource, action) {
							t.Errorf("isActionAllowed(%s, %s, %s) = %v; the model says otherwise", u, resource, action, allowed.IsActionAllowedBatch[i])
						}
						if allowed.IsActionAllowedBatch[i] {
							want = append(want, u)
						}
					}
					want = sortedSet(want)
					answers[strings.Join(want, ",")] = true
					got, n := w.whoCan(t, resource, action)
					if n != len(want) || !slices.Equal(got, want) {
						t.Errorf("usersWhoCan(%s, %s): %d %v, want %d %v", resource, action, n, got, len(want), want)
					}
					var filtered struct {
						All, Group idPage
					}
					e.do(`query($r: String!, $a: String!, $g: String!) {
						all: users(filter: {can: {resource: $r, action: $a}}, limit: 100) { totalCount list { id } }
						group: users(filter: {can: {resource: $r, action: $a}, group: $g, membership: EFFECTIVE}, limit: 100) { totalCount list { id } } }`,
						map[string]any{"r": resource, "a": action, "g": w.groups[0]}).ok(&filtered)
					if !slices.Equal(filtered.All.ids(), want) || filtered.All.TotalCount != len(want) {
						t.Errorf("users(filter: {can: %s %s}): %v, want %v", resource, action, filtered.All.ids(), want)
					}
					var inGroup []string
					for _, u := range want {
						if slices.Contains(w.groupsOf(u, true), w.groups[0]) {
							inGroup = append(inGroup, u)
						}
					}
					if !slices.Equal(filtered.Group.ids(), sortedSet(inGroup)) || filtered.Group.TotalCount != len(inGroup) {
						t.Errorf("can %s %s in %s: %v, want %v", resource, action, w.groups[0], filtered.Group.ids(), inGroup)
					}
				}
			}
		})
	}
}

// whoCan pages through usersWhoCan by cursor, 7 at a time, and returns
// the ids and the total count; every entry must say how.
func (w *world) whoCan(t *testing.T, resource, action string) ([]string, int) {
	t.Helper()
	var ids []string
	var after any
	total := -1
	for range 100 {
		var out struct {
			UsersWhoCan struct {
				TotalCount      int
				TotalCountExact bool
				PageInfo        struct {
					HasNextPage bool
					EndCursor   *string
				}
				List []struct {
					User struct{ ID string }
					Via  []struct {
						TargetType string
						Code       string
						Actions    []string
					}
				}
			}
		}
		w.e.do(`query($r: String!, $a: String!, $after: String) { usersWhoCan(resource: $r, action: $a, first: 7, after: $after, exactCount: true) {
			totalCount totalCountExact pageInfo { hasNextPage endCursor } list { user { id } via { targetType code actions } } } }`,
			map[string]any{"r": resource, "a": action, "after": after}).ok(&out)
		p := out.UsersWhoCan
		if total >= 0 && p.TotalCount != total {
			t.Errorf("the count changed between pages: %d, %d", total, p.TotalCount)
		}
		total = p.TotalCount
		for _, x := range p.List {
			ids = append(ids, x.User.ID)
			if len(x.Via) == 0 {
				t.Errorf("usersWhoCan(%s, %s): %s with no via", resource, action, x.User.ID)
			}
		}
		if !p.PageInfo.HasNextPage {
			break
		}
		after = *p.PageInfo.EndCursor
	}
	if len(ids) != len(sortedSet(ids)) {
		t.Errorf("usersWhoCan(%s, %s) listed a user twice: %v", resource, action, ids)
	}
	return sortedSet(ids), total
}

// TestAccessQuestionsRefuseBadInput: every mistake a client can make
// asking who can gets a client code on its field, and another pool's
// resources are not found.
func TestAccessQuestionsRefuseBadInput(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { createResource(namespace: "default", code: "books", type: DATA, actions: [{name: "books:read"}]) { code } }`, nil).ok(nil)
	who := func(args string) *result {
		return e.do(`{ usersWhoCan(`+args+`) { totalCount list { user { id } via { code } } } }`, nil)
	}
	for args, want := range map[string][2]string{
		`resource: "no such", action: "books:read"`:                                                         {"INVALID_INPUT", "resource"},
		`resource: "books:a b", action: "books:read"`:                                                       {"INVALID_INPUT", "resource"},
		`resource: "books", action: ""`:                                                                     {"INVALID_INPUT", "action"},
		`resource: "books", action: "books read"`:                                                           {"INVALID_INPUT", "action"},
		`resource: "nothing", action: "books:read"`:                                                         {"NOT_FOUND", "resource"},
		`namespace: "nope", resource: "books", action: "books:read"`:                                        {"NOT_FOUND", "namespace"},
		`resource: "books", action: "books:read", limit: 101`:                                               {"INVALID_INPUT", "limit"},
		`resource: "books", action: "books:read", after: "nonsense"`:                                        {"INVALID_INPUT", "after"},
		`resource: "books", action: "books:read", query: "` + strings.Repeat("x", 300) + `"`:                {"INVALID_INPUT", "query"},
		`resource: "books", action: "books:read", filter: {can: {resource: "books", action: "books:read"}}`: {"INVALID_INPUT", "filter.can"},
		`resource: "books", action: "books:read", filter: {customData: [{key: "nope", eq: 1}]}`:             {"INVALID_INPUT", "filter.customData.0.key"},
	} {
		r := who(args)
		if r.code() != want[0] || r.field() != want[1] {
			t.Errorf("usersWhoCan(%s): %s on %q, want %s on %q", args, r.code(), r.field(), want[0], want[1])
		}
	}
	for filter, field := range map[string]string{
		`{can: {resource: "books", action: "books read"}}`:         "filter.can.action",
		`{can: {resource: "nothing", action: "x"}}`:                "filter.can.resource",
		`{can: {namespace: "no", resource: "books", action: "x"}}`: "filter.can.namespace",
	} {
		r := e.do(`{ users(filter: `+filter+`) { totalCount } }`, nil)
		if r.code() == "" || r.field() != field {
			t.Errorf("users(filter: %s): %s on %q, want an error on %q", filter, r.code(), r.field(), field)
		}
	}
	// Another pool has its own books; this one's are not found there.
	other := e.otherPoolToken()
	e.doAs(other, `{ usersWhoCan(resource: "books", action: "books:read") { totalCount } }`, nil).wantErr("NOT_FOUND", "resource")
	e.doAs(other, `{ users(filter: {can: {resource: "books", action: "books:read"}}) { totalCount } }`, nil).wantErr("NOT_FOUND", "filter.can.resource")
}

// TestAccessQuestionsAreScopedAndPriced: who can needs resources:read,
// and the users it names users:read too; resource grants likewise; a
// question asking for too much is refused before it runs.
func TestAccessQuestionsAreScopedAndPriced(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { createResource(namespace: "default", code: "books", type: DATA, actions: [{name: "books:read"}]) { code } }`, nil).ok(nil)
	u := e.createUser(map[string]any{"username": "ada"})
	e.do(`mutation($u: String!) { authorizeResource(namespace: "default", resource: "books", opts: [{targetType: USER, targetIdentifier: $u, actions: ["books:read"]}]) }`, map[string]any{"u": u}).ok(nil)
	_, users := e.newKey("users only", "users:read")
	_, resources := e.newKey("resources only", "resources:read")
	_, both := e.newKey("both", "users:read", "resources:read")
	const count = `{ usersWhoCan(resource: "books", action: "books:read") { totalCount list { via { code } } } }`
	const named = `{ usersWhoCan(resource: "books", action: "books:read") { list { user { username } } } }`
	const grants = `{ resource(namespace: "default", code: "books") { grants { totalCount list { targetType actions user { username } } } } }`
	e.doAs(users, count, nil).wantErr("FORBIDDEN", "")
	e.doAs(resources, count, nil).ok(nil)
	e.doAs(resources, named, nil).wantErr("FORBIDDEN", "")
	e.doAs(resources, grants, nil).wantErr("FORBIDDEN", "")
	var out struct {
		UsersWhoCan struct {
			List []struct{ User struct{ Username string } }
		}
	}
	e.doAs(both, named, nil).ok(&out)
	if len(out.UsersWhoCan.List) != 1 || out.UsersWhoCan.List[0].User.Username != "ada" {
		t.Errorf("usersWhoCan: %+v, want ada", out)
	}
	var g struct {
		Resource struct {
			Grants struct {
				TotalCount int
				List       []struct {
					TargetType string
					Actions    []string
					User       struct{ Username string }
				}
			}
		}
	}
	e.doAs(both, grants, nil).ok(&g)
	if l := g.Resource.Grants.List; g.Resource.Grants.TotalCount != 1 || len(l) != 1 || l[0].User.Username != "ada" || l[0].TargetType != "USER" {
		t.Errorf("grants: %+v", g)
	}
	for _, q := range []string{
		`{ usersWhoCan(resource: "books", action: "books:read", limit: 100) { list { user { groups { list { users(limit: 100) { list { id } } } } } } } }`,
		`{ resources(namespace: "default", limit: 100) { list { grants(limit: 100) { list { user { roles { list { members(limit: 100) { list { user { id } } } } } } } } } } }`,
		`{ groups(limit: 100) { list { members(limit: 100) { list { user { groups { list { members(limit: 100) { list { via { group } } } } } } } } } } }`,
	} {
		e.do(q, nil).wantErr("COMPLEXITY_LIMIT_EXCEEDED", "")
	}
}

// TestAccessQuestionsCostConstantStatements: a page of usersWhoCan (with
// how, and the users' groups) and a page of members cost the same
// statements for 1 user as for 50.
func TestAccessQuestionsCostConstantStatements(t *testing.T) {
	e := newEnv(t)
	w := newWorld(t, e, 9, 60)
	w.grant("GROUP:"+w.groups[0], "books", []string{"books:read"})
	w.grant("ROLE:"+w.roles[0], "books:*", []string{"*"})
	for _, q := range []string{
		`query($n: Int!) { usersWhoCan(resource: "books:1", action: "books:read", limit: $n) { totalCount pageInfo { endCursor } list { user { id username groups { list { code } } } via { targetType code viaGroup actions } } } }`,
		`query($n: Int!) { users(filter: {can: {resource: "books", action: "books:read"}, membership: EFFECTIVE}, limit: $n) { totalCount list { id } } }`,
		`query($n: Int!) { roles(limit: 5) { list { members(limit: $n) { totalCount list { user { id } direct via { group roleGroup } } } } } }`,
		`query($n: Int!) { groups(limit: 8) { list { members(limit: $n) { totalCount list { user { id } via { group } } } users(membership: EFFECTIVE, limit: $n) { totalCount } } } }`,
	} {
		counts := map[int]int64{}
		for _, n := range []int{1, 50} {
			e.do(q, map[string]any{"n": n}).ok(nil) // warm: the token's pool is looked up once
			e.stmts.Reset()
			e.do(q, map[string]any{"n": n}).ok(nil)
			counts[n] = e.stmts.Count()
		}
		if counts[1] != counts[50] {
			t.Errorf("%d statements for a page of 1, %d for 50:\n%s", counts[1], counts[50], q)
		}
	}
}

// TestAccessThroughTheDeepestTree: a grant to the root of a chain of
// groups as deep as the tree may be reaches a member of the last one,
// everywhere access is asked, and previews of taking it away say so.
func TestAccessThroughTheDeepestTree(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { createResource(namespace: "default", code: "books", type: DATA, actions: [{name: "books:read"}]) { code } }`, nil).ok(nil)
	var parent any
	for i := range 32 { // model.MaxGroupDepth levels below the root, 33 groups
		code := fmt.Sprintf("level%02d", i)
		e.do(`mutation($c: String!, $p: String) { createGroup(code: $c, parent: $p) { id } }`, map[string]any{"c": code, "p": parent}).ok(nil)
		parent = code
	}
	e.do(`mutation { createGroup(code: "level32", parent: "level31") { id } }`, nil).ok(nil)
	e.do(`mutation { createGroup(code: "level33", parent: "level32") { id } }`, nil).wantErr("INVALID_INPUT", "parent")
	ada := e.createUser(map[string]any{"username": "ada"})
	e.do(`mutation($u: [ID!]!) { addGroupMembers(code: "level32", userIds: $u) { id } }`, map[string]any{"u": []string{ada}}).ok(nil)
	e.do(`mutation { authorizeResource(namespace: "default", resource: "books", opts: [{targetType: GROUP, targetIdentifier: "level00", actions: ["books:read"]}]) }`, nil).ok(nil)
	e.do(`mutation { createRole(code: "reader") { id } addGroupRoles(code: "level00", roles: ["reader"]) { id } }`, nil).ok(nil)

	var out struct {
		UsersWhoCan struct {
			TotalCount int
			List       []struct {
				User struct{ ID string }
				Via  []struct{ TargetType, Code string }
			}
		}
		Role struct {
			Members struct {
				List []struct {
					Via []struct{ Group, RoleGroup string }
				}
			}
		}
		Group struct {
			Direct    struct{ TotalCount int }
			Effective struct{ TotalCount int }
		}
		Allowed bool
	}
	e.do(`query($u: ID!) {
		usersWhoCan(resource: "books:9", action: "books:read") { totalCount list { user { id } via { targetType code } } }
		role(code: "reader") { members { list { via { group roleGroup } } } }
		group(code: "level00") { direct: users { totalCount } effective: users(membership: EFFECTIVE) { totalCount } }
		allowed: isActionAllowed(userId: $u, resource: "books:9", action: "books:read") }`, map[string]any{"u": ada}).ok(&out)
	if out.UsersWhoCan.TotalCount != 1 || out.UsersWhoCan.List[0].User.ID != ada || out.UsersWhoCan.List[0].Via[0].Code != "level00" || !out.Allowed {
		t.Errorf("who can read books through 33 levels: %+v", out)
	}
	if m := out.Role.Members.List; len(m) != 1 || m[0].Via[0].Group != "level32" || m[0].Via[0].RoleGroup != "level00" {
		t.Errorf("reader's holder through the chain: %+v", m)
	}
	if out.Group.Direct.TotalCount != 0 || out.Group.Effective.TotalCount != 1 {
		t.Errorf("level00's members: %+v", out.Group)
	}
	for _, change := range []map[string]any{
		{"removeGroupMembers": map[string]any{"group": "level32", "userIds": []string{ada}}},
		{"moveGroup": map[string]any{"group": "level32", "parent": nil}},
		{"moveGroup": map[string]any{"group": "level16", "parent": nil}},
		{"revoke": map[string]any{"namespace": "default", "resource": "books", "opts": []any{map[string]any{"targetType": "GROUP", "targetIdentifier": "level00", "actions": []string{"books:read"}}}}},
	} {
		var p struct {
			PreviewAccessChange struct{ Lost previewSide }
		}
		e.do(`query($c: AccessChangeInput!) { previewAccessChange(change: $c) { lost { totalCount list { user { id } changes { namespace resource actions } } } } }`,
			map[string]any{"c": change}).ok(&p)
		if l := p.PreviewAccessChange.Lost; l.TotalCount != 1 || l.List[0].User.ID != ada || l.List[0].Changes[0].Resource != "books" {
			t.Errorf("%v: lost %+v", change, l)
		}
	}
	// Moving the chain's end to another place under the root keeps it.
	var keep struct {
		PreviewAccessChange struct{ Lost, Gained struct{ TotalCount int } }
	}
	e.do(`query { previewAccessChange(change: {moveGroup: {group: "level32", parent: "level05"}}) { lost { totalCount } gained { totalCount } } }`, nil).ok(&keep)
	if keep.PreviewAccessChange.Lost.TotalCount != 0 || keep.PreviewAccessChange.Gained.TotalCount != 0 {
		t.Errorf("a move under the same root changes nothing: %+v", keep)
	}
}

// TestMemberAndGrantPagesAreBoundedAndScoped: the member and grant pages
// refuse pages out of range and oversized limits on their own fields, an
// oversized who-can question is refused on its field, and another pool's
// token reaches none of this pool's roles, groups, resources or members.
func TestMemberAndGrantPagesAreBoundedAndScoped(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { createResource(namespace: "default", code: "books", type: DATA, actions: [{name: "books:read"}]) { code } }`, nil).ok(nil)
	e.do(`mutation { createRole(code: "editor") { id } }`, nil).ok(nil)
	e.do(`mutation { createGroup(code: "staff", name: "Staff") { id } }`, nil).ok(nil)
	u := e.createUser(map[string]any{"username": "ada"})
	e.do(`mutation($u: [ID!]!) { addRoleMembers(code: "editor", userIds: $u) { id } }`, map[string]any{"u": []string{u}}).ok(nil)
	e.do(`mutation($u: [ID!]!) { addGroupMembers(code: "staff", userIds: $u) { id } }`, map[string]any{"u": []string{u}}).ok(nil)
	e.do(`mutation($u: String!) { authorizeResource(namespace: "default", resource: "books", opts: [{targetType: USER, targetIdentifier: $u, actions: ["books:read"]}]) }`, map[string]any{"u": u}).ok(nil)

	pages := map[string]string{
		"role":     `{ role(code: "editor") { members(%s) { totalCount list { user { id } via { group } } } } }`,
		"group":    `{ group(code: "staff") { members(%s) { totalCount list { user { id } via { group } } } } }`,
		"resource": `{ resource(namespace: "default", code: "books") { grants(%s) { totalCount list { targetType user { id } } } } }`,
	}
	for what, q := range pages {
		for args, field := range map[string]string{`limit: 101`: "limit", `limit: 0`: "limit", `page: 0`: "page"} {
			if r := e.do(fmt.Sprintf(q, args), nil); r.code() != "INVALID_INPUT" || r.field() != field {
				t.Errorf("%s(%s): %s on %q, want INVALID_INPUT on %q", what, args, r.code(), r.field(), field)
			}
		}
	}
	for args, field := range map[string]string{
		`resource: "` + strings.Repeat("b", 200) + `", action: "books:read"`: "resource",
		`resource: "books", action: "` + strings.Repeat("a", 129) + `"`:      "action",
	} {
		e.do(`{ usersWhoCan(`+args+`) { totalCount } }`, nil).wantErr("INVALID_INPUT", field)
	}

	// This pool sees one member and one grant on each; another sees none.
	var mine struct {
		Role     struct{ Members struct{ TotalCount int } }
		Group    struct{ Members struct{ TotalCount int } }
		Resource struct{ Grants struct{ TotalCount int } }
	}
	const all = `{ role(code: "editor") { members { totalCount } } group(code: "staff") { members { totalCount } }
		resource(namespace: "default", code: "books") { grants { totalCount } } }`
	e.do(all, nil).ok(&mine)
	if mine.Role.Members.TotalCount != 1 || mine.Group.Members.TotalCount != 1 || mine.Resource.Grants.TotalCount != 1 {
		t.Fatalf("this pool: %+v, want one member and one grant each", mine)
	}
	other := e.otherPoolToken()
	var theirs struct{ Role, Group, Resource *struct{} }
	e.doAs(other, all, nil).ok(&theirs)
	if theirs.Role != nil || theirs.Group != nil || theirs.Resource != nil {
		t.Errorf("another pool sees this pool's role, group or resource: %+v", theirs)
	}
	var filtered struct{ Users struct{ TotalCount int } }
	e.doAs(other, `{ users(filter: {group: "staff", membership: EFFECTIVE}) { totalCount } }`, nil).ok(&filtered)
	if filtered.Users.TotalCount != 0 {
		t.Errorf("another pool counts %d members of this pool's group", filtered.Users.TotalCount)
	}
}
