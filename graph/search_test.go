package graph_test

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"usergraph/internal/httpapi"
)

func (e *env) usernames(q string, vars map[string]any) (int, []string) {
	e.t.Helper()
	var out map[string]struct {
		TotalCount int
		List       []struct{ Username string }
	}
	e.do(q, vars).ok(&out)
	for _, page := range out {
		var names []string
		for _, u := range page.List {
			names = append(names, u.Username)
		}
		slices.Sort(names)
		return page.TotalCount, names
	}
	return 0, nil
}

func TestSearchUsers(t *testing.T) {
	e := newEnv(t)
	e.createUser(map[string]any{"username": "alice", "email": "alice@acme.com", "company": "Acme Corp", "nickname": "Al"})
	e.createUser(map[string]any{"username": "bob", "email": "bob@other.org", "givenName": "Robert", "phone": "+15551234"})
	e.createUser(map[string]any{"username": "carol", "nickname": "ACME fan", "hidden": true})
	e.createUser(map[string]any{"username": "dave", "preferredUsername": `d"AND"(x)*`})
	search := `query($q: String!, $f: [String!], $h: Boolean, $l: Int, $p: Int) { searchUsers(query: $q, fields: $f, showHidden: $h, limit: $l, page: $p) { totalCount list { username } } }`
	cases := []struct {
		q      string
		fields []string
		hidden bool
		want   string
	}{
		{"acme", nil, false, "alice"},                 // email and company, any case
		{"ACME", nil, true, "alice,carol"},            // hidden only when asked
		{"acme", []string{"nickname"}, true, "carol"}, // narrowed to one field
		{"rob", nil, false, "bob"},                    // givenName
		{"1234", nil, false, "bob"},                   // a 4-digit substring of the phone
		{"al", nil, false, "alice"},                   // short: scanned, still right
		{"e", nil, false, "alice,bob,dave"},           // one letter
		{`"AND"(`, nil, false, "dave"},                // FTS syntax is literal
		{`AND`, nil, false, "dave"},
		{`x)*`, nil, false, "dave"},
		{"zzz", nil, false, ""},
	}
	for _, c := range cases {
		n, got := e.usernames(search, map[string]any{"q": c.q, "f": c.fields, "h": c.hidden})
		if strings.Join(got, ",") != c.want || n != len(got) {
			t.Errorf("search %q %v hidden=%v: %d %v, want %s", c.q, c.fields, c.hidden, n, got, c.want)
		}
	}
	// An empty query is the plain listing (without hidden users by default).
	if n, _ := e.usernames(search, map[string]any{"q": "  "}); n != 3 {
		t.Errorf("empty query listed %d users, want 3", n)
	}
	// Pages of a search.
	n, first := e.usernames(search, map[string]any{"q": "e", "l": 2, "p": 1})
	_, second := e.usernames(search, map[string]any{"q": "e", "l": 2, "p": 2})
	if n != 3 || len(first) != 2 || len(second) != 1 || slices.Contains(first, second[0]) {
		t.Errorf("pages: %d %v %v", n, first, second)
	}
	e.do(search, map[string]any{"q": "a", "f": []string{"password"}}).wantErr("INVALID_INPUT", "fields.0")
	e.do(search, map[string]any{"q": "a", "l": 101}).wantErr("INVALID_INPUT", "limit")
	e.do(search, map[string]any{"q": "a", "p": -1}).wantErr("INVALID_INPUT", "page")
	e.do(search, map[string]any{"q": strings.Repeat("x", 257)}).wantErr("INVALID_INPUT", "query")

	// The index follows updates and deletes.
	var u struct{ FindUser struct{ ID string } }
	e.do(`{ findUser(username: "bob") { id } }`, nil).ok(&u)
	e.do(`mutation($id: ID!) { updateUser(id: $id, input: {givenName: "Bobby"}) { id } }`, map[string]any{"id": u.FindUser.ID}).ok(nil)
	if n, _ := e.usernames(search, map[string]any{"q": "robert"}); n != 0 {
		t.Error("an updated value is still found")
	}
	if _, got := e.usernames(search, map[string]any{"q": "bobby"}); strings.Join(got, ",") != "bob" {
		t.Errorf("the new value is not found: %v", got)
	}
	e.do(`mutation($id: ID!) { deleteUser(id: $id) }`, map[string]any{"id": u.FindUser.ID}).ok(nil)
	if n, _ := e.usernames(search, map[string]any{"q": "bobby"}); n != 0 {
		t.Error("a deleted user is still found")
	}
}

func TestUserFilters(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { a: setUdf(targetType: USER, key: "age", dataType: NUMBER) { key } b: setUdf(targetType: USER, key: "joined", dataType: DATETIME) { key }
		c: setUdf(targetType: USER, key: "school", dataType: STRING) { key } createGroup(code: "eng") { code } createRole(code: "admin") { code } }`, nil).ok(nil)
	a := e.createUser(map[string]any{"username": "a", "emailVerified": true, "signedUp": "2020-01-01T00:00:00Z",
		"customData": map[string]any{"age": 20, "joined": "2021-05-01T00:00:00Z", "school": "MIT"},
		"identities": []map[string]any{{"provider": "github", "type": "primary", "userIdInIdp": "1"}}})
	b := e.createUser(map[string]any{"username": "b", "status": "Suspended", "signedUp": "2022-01-01T00:00:00Z",
		"customData": map[string]any{"age": 35, "joined": "2023-05-01T00:00:00Z", "school": "CMU"}})
	e.createUser(map[string]any{"username": "c", "hidden": true, "phoneVerified": true})
	e.do(`mutation($a: ID!, $b: ID!) { addGroups(userId: $a, groups: ["eng"]) { totalCount } addRoles(userId: $b, roles: ["admin"]) { totalCount } }`,
		map[string]any{"a": a, "b": b}).ok(nil)
	list := `query($f: UserFilter) { users(filter: $f, limit: 100) { totalCount list { username } } }`
	cases := []struct {
		filter map[string]any
		want   string
	}{
		{map[string]any{"status": []string{"Suspended", "Archived"}}, "b"},
		{map[string]any{"blocked": false}, "a,c"},
		{map[string]any{"emailVerified": true}, "a"},
		{map[string]any{"phoneVerified": true}, "c"},
		{map[string]any{"signedUp": map[string]any{"from": "2021-01-01"}}, "b"},
		{map[string]any{"signedUp": map[string]any{"to": "2021-01-01"}}, "a"},
		{map[string]any{"createdAt": map[string]any{"from": "2000-01-01"}}, "a,b,c"},
		{map[string]any{"registeredSince": 1}, "a,b,c"},
		{map[string]any{"identityProviders": []string{"github", "google"}}, "a"},
		{map[string]any{"hidden": true}, "c"},
		{map[string]any{"hidden": false}, "a,b"},
		{map[string]any{"group": "eng"}, "a"},
		{map[string]any{"role": map[string]any{"code": "admin"}}, "b"},
		{map[string]any{"customData": []map[string]any{{"key": "age", "gte": 30}}}, "b"},
		{map[string]any{"customData": []map[string]any{{"key": "age", "gte": 18, "lte": 25}}}, "a"},
		{map[string]any{"customData": []map[string]any{{"key": "joined", "lte": "2022-01-01T00:00:00Z"}}}, "a"},
		{map[string]any{"customData": []map[string]any{{"key": "school", "eq": "MIT"}}}, "a"},
		{map[string]any{"blocked": false, "hidden": false, "emailVerified": true, "group": "eng"}, "a"},
		{map[string]any{"group": "eng", "role": map[string]any{"code": "admin"}}, ""},
	}
	for _, c := range cases {
		n, got := e.usernames(list, map[string]any{"f": c.filter})
		if strings.Join(got, ",") != c.want || n != len(got) {
			t.Errorf("filter %v: %d %v, want %s", c.filter, n, got, c.want)
		}
	}
	bad := []struct {
		filter map[string]any
		field  string
	}{
		{map[string]any{"customData": []map[string]any{{"key": "nope", "eq": 1}}}, "filter.customData.0.key"},
		{map[string]any{"customData": []map[string]any{{"key": "school", "gte": "A"}}}, "filter.customData.0"},
		{map[string]any{"customData": []map[string]any{{"key": "age", "eq": "old"}}}, "filter.customData.0.eq"},
		{map[string]any{"customData": []map[string]any{{"key": "age"}}}, "filter.customData.0"},
		{map[string]any{"registeredSince": 0}, "filter.registeredSince"},
		{map[string]any{"createdAt": map[string]any{"from": "2022-01-01", "to": "2021-01-01"}}, "filter.createdAt"},
		{map[string]any{"status": []string{"Gone"}}, "filter.status.0"},
	}
	for _, c := range bad {
		e.do(list, map[string]any{"f": c.filter}).wantErr("INVALID_INPUT", c.field)
	}
	// Sorting by last login or username is stable and honours the order.
	_, names := e.usernames(`{ users(sortBy: {field: USERNAME, order: DESC}) { totalCount list { username } } }`, nil)
	if len(names) != 3 {
		t.Errorf("sorted list %v", names)
	}
	e.do(`{ users(sortBy: {field: LAST_LOGIN, order: ASC}) { totalCount } }`, nil).ok(nil)
	// An unknown sort field is refused like any bad input.
	e.do(`query($s: UserSortInput) { users(sortBy: $s) { totalCount } }`, map[string]any{"s": map[string]any{"field": "PASSWORD"}}).
		wantErr("INVALID_INPUT", "sortBy.field")
}

// TestCountStopsAtTheLimit: user listings and searches count up to the
// count limit (5 here, 10,000 by default) and then say the total is a lower
// bound; exactCount counts everything; a page past the limit still lists
// its users and counts as far as it.
func TestCountStopsAtTheLimit(t *testing.T) {
	e := newEnv(t)
	e.h = httpapi.NewHandler(httpapi.Options{Store: e.store, Signer: e.signer, CountLimit: 5, Logger: slog.New(slog.DiscardHandler)})
	for i := range 12 {
		e.createUser(map[string]any{"username": fmt.Sprintf("member%02d", i), "company": "Acme"})
	}
	e.createUser(map[string]any{"username": "loner"})
	type list struct {
		TotalCount      int
		TotalCountExact bool
		List            []struct{ Username string }
	}
	cases := []struct {
		name, query string
		vars        map[string]any
		total       int
		exact       bool
		listed      int
	}{
		{"listing, bounded", `query($p: Int, $l: Int, $x: Boolean) { r: users(page: $p, limit: $l, exactCount: $x) { totalCount totalCountExact list { username } } }`,
			map[string]any{"l": 2}, 5, false, 2},
		{"listing, exact", `query($p: Int, $l: Int, $x: Boolean) { r: users(page: $p, limit: $l, exactCount: $x) { totalCount totalCountExact list { username } } }`,
			map[string]any{"l": 2, "x": true}, 13, true, 2},
		{"listing, page past the limit", `query($p: Int, $l: Int, $x: Boolean) { r: users(page: $p, limit: $l, exactCount: $x) { totalCount totalCountExact list { username } } }`,
			map[string]any{"p": 4, "l": 3}, 12, false, 3},
		{"listing, last page", `query($p: Int, $l: Int, $x: Boolean) { r: users(page: $p, limit: $l, exactCount: $x) { totalCount totalCountExact list { username } } }`,
			map[string]any{"p": 5, "l": 3}, 13, true, 1},
		{"listing, under the limit", `{ r: users(filter: {status: [Suspended]}) { totalCount totalCountExact list { username } } }`,
			nil, 0, true, 0},
		{"search, bounded", `query($q: String!, $p: Int, $l: Int, $x: Boolean) { r: searchUsers(query: $q, page: $p, limit: $l, exactCount: $x) { totalCount totalCountExact list { username } } }`,
			map[string]any{"q": "member", "l": 2}, 5, false, 2},
		{"search, exact", `query($q: String!, $p: Int, $l: Int, $x: Boolean) { r: searchUsers(query: $q, page: $p, limit: $l, exactCount: $x) { totalCount totalCountExact list { username } } }`,
			map[string]any{"q": "member", "l": 2, "x": true}, 12, true, 2},
		{"search, page past the limit", `query($q: String!, $p: Int, $l: Int, $x: Boolean) { r: searchUsers(query: $q, page: $p, limit: $l, exactCount: $x) { totalCount totalCountExact list { username } } }`,
			map[string]any{"q": "member", "p": 4, "l": 3}, 12, true, 3},
		{"search, past the last page", `query($q: String!, $p: Int, $l: Int, $x: Boolean) { r: searchUsers(query: $q, page: $p, limit: $l, exactCount: $x) { totalCount totalCountExact list { username } } }`,
			map[string]any{"q": "member", "p": 9, "l": 3}, 12, true, 0},
		{"search, short query (scanned), bounded", `query($q: String!, $p: Int, $l: Int, $x: Boolean) { r: searchUsers(query: $q, page: $p, limit: $l, exactCount: $x) { totalCount totalCountExact list { username } } }`,
			map[string]any{"q": "me", "l": 2}, 5, false, 2},
		{"search, one hit", `query($q: String!) { r: searchUsers(query: $q) { totalCount totalCountExact list { username } } }`,
			map[string]any{"q": "loner"}, 1, true, 1},
	}
	for _, c := range cases {
		var out struct{ R list }
		e.do(c.query, c.vars).ok(&out)
		if out.R.TotalCount != c.total || out.R.TotalCountExact != c.exact || len(out.R.List) != c.listed {
			t.Errorf("%s: totalCount %d exact %v listed %d, want %d %v %d", c.name, out.R.TotalCount, out.R.TotalCountExact, len(out.R.List), c.total, c.exact, c.listed)
		}
	}
}

// TestSearchFilterSortTogether: the search box, filter chips and a sorted
// column in one request, through either field, at a constant number of
// statements whatever the page size.
func TestSearchFilterSortTogether(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { createGroup(code: "team") { code } }`, nil).ok(nil)
	var team []string
	for i, name := range []string{"bob-c", "bob-a", "bobby", "alice", "bob-b", "rob"} {
		status := "Activated"
		if i%2 == 1 {
			status = "Suspended"
		}
		id := e.createUser(map[string]any{"username": name, "email": name + "@example.com", "status": status})
		if name != "bob-b" {
			team = append(team, id)
		}
	}
	e.do(`mutation($ids: [ID!]!) { addGroupMembers(code: "team", userIds: $ids) { code } }`, map[string]any{"ids": team}).ok(nil)
	ordered := func(q string, vars map[string]any) []string {
		t.Helper()
		var out map[string]struct{ List []struct{ Username string } }
		e.do(q, vars).ok(&out)
		var names []string
		for _, l := range out {
			for _, u := range l.List {
				names = append(names, u.Username)
			}
		}
		return names
	}
	byName := map[string]any{"field": "USERNAME", "order": "ASC"}
	for _, c := range []struct {
		query  string
		filter map[string]any
		want   string
	}{
		{"bob", map[string]any{"status": []string{"Activated"}}, "bob-b,bob-c,bobby"}, // 3+ characters: the index
		{"bob", map[string]any{"group": "team"}, "bob-a,bob-c,bobby"},
		{"bob", map[string]any{"group": "team", "blocked": true}, "bob-a"},
		{"ob", map[string]any{"group": "team"}, "bob-a,bob-c,bobby,rob"}, // 2 characters: a scan
		{"zzz", map[string]any{"group": "team"}, ""},
	} {
		vars := map[string]any{"q": c.query, "f": c.filter, "s": byName}
		search := ordered(`query($q: String!, $f: UserFilter, $s: UserSortInput) { searchUsers(query: $q, filter: $f, sortBy: $s) { list { username } } }`, vars)
		users := ordered(`query($q: String, $f: UserFilter, $s: UserSortInput) { users(query: $q, filter: $f, sortBy: $s) { list { username } } }`, vars)
		if strings.Join(search, ",") != c.want || strings.Join(users, ",") != c.want {
			t.Errorf("%q %v: searchUsers %v, users %v; want %s", c.query, c.filter, search, users, c.want)
		}
	}
	// Newest first when no order is asked.
	if got := ordered(`{ searchUsers(query: "bob", filter: {group: "team"}) { list { username } } }`, nil); strings.Join(got, ",") != "bobby,bob-a,bob-c" {
		t.Errorf("default order: %v", got)
	}
	e.do(`{ users(query: "x", fields: ["planet"]) { totalCount } }`, nil).wantErr("INVALID_INPUT", "fields.0")

	count := func(limit int) int64 {
		e.stmts.Reset()
		e.do(`query($l: Int) { users(query: "bob", filter: {group: "team", blocked: false}, sortBy: {field: USERNAME, order: ASC}, limit: $l) { totalCount list { username } } }`,
			map[string]any{"l": limit}).ok(nil)
		return e.stmts.Count()
	}
	if small, large := count(1), count(100); small != large || large > 4 {
		t.Errorf("search + filter + sort: %d statements for a page of 1, %d for 100; want the same, at most 4", small, large)
	}
}
