package graph_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestCursorPaging: users, searchUsers, archivedUsers and auditLog page
// by cursor (first/after, pageInfo) as well as by number, refuse a cursor
// that is not theirs, and cost the same statements deep as shallow.
func TestCursorPaging(t *testing.T) {
	e := newEnv(t)
	for i := range 7 {
		e.createUser(map[string]any{"username": fmt.Sprintf("user%d", i), "email": fmt.Sprintf("user%d@example.com", i)})
	}
	type page struct {
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
		List []struct{ Username string }
	}
	walk := func(field, args string) []string {
		t.Helper()
		var names []string
		var after *string
		for range 10 {
			var out map[string]page
			e.do(fmt.Sprintf(`query($a: String) { %s(%s first: 3, after: $a) { pageInfo { hasNextPage endCursor } list { username } } }`, field, args),
				map[string]any{"a": after}).ok(&out)
			p := out[field]
			for _, u := range p.List {
				names = append(names, u.Username)
			}
			if !p.PageInfo.HasNextPage {
				return names
			}
			after = p.PageInfo.EndCursor
		}
		t.Fatalf("%s: the walk does not end", field)
		return nil
	}
	byName := `sortBy: {field: USERNAME, order: ASC},`
	if got := strings.Join(walk("users", byName), ","); got != "user0,user1,user2,user3,user4,user5,user6" {
		t.Errorf("users by cursor: %s", got)
	}
	if got := strings.Join(walk("searchUsers", `query: "example", `+byName), ","); got != "user0,user1,user2,user3,user4,user5,user6" {
		t.Errorf("searchUsers by cursor: %s", got)
	}
	if got := walk("users", ""); len(got) != 7 || got[0] != "user6" {
		t.Errorf("users newest first by cursor: %v", got)
	}

	var first struct{ Users page }
	e.do(`{ users(first: 2) { pageInfo { hasNextPage endCursor } list { username } } }`, nil).ok(&first)
	cursor := *first.Users.PageInfo.EndCursor
	e.do(`query($a: String) { users(after: $a, sortBy: {field: USERNAME, order: ASC}) { totalCount } }`, map[string]any{"a": cursor}).wantErr("INVALID_INPUT", "after")
	e.do(`query($a: String) { users(after: $a, page: 2) { totalCount } }`, map[string]any{"a": cursor}).wantErr("INVALID_INPUT", "after")
	e.do(`{ users(after: "bm90IGEgY3Vyc29y") { totalCount } }`, nil).wantErr("INVALID_INPUT", "after")
	e.do(`{ users(first: 1000) { totalCount } }`, nil).wantErr("INVALID_INPUT", "first")
	e.do(`query($a: String) { auditLog(after: $a) { totalCount } }`, map[string]any{"a": cursor}).wantErr("INVALID_INPUT", "after")

	// The audit log pages by cursor too: 7 creations and the pool's.
	var audit []string
	var after *string
	for range 10 {
		var out struct {
			AuditLog struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
				List []struct{ ID string }
			}
		}
		e.do(`query($a: String) { auditLog(first: 3, after: $a) { pageInfo { hasNextPage endCursor } list { id } } }`, map[string]any{"a": after}).ok(&out)
		for _, r := range out.AuditLog.List {
			audit = append(audit, r.ID)
		}
		if !out.AuditLog.PageInfo.HasNextPage {
			break
		}
		after = out.AuditLog.PageInfo.EndCursor
	}
	if len(audit) != 8 {
		t.Errorf("auditLog by cursor: %d records, want 8", len(audit))
	}

	// A deep cursor page costs what the first does.
	statements := func(vars map[string]any) int64 {
		e.stmts.Reset()
		e.do(`query($a: String) { users(first: 2, after: $a) { pageInfo { endCursor } list { username } } }`, vars).ok(nil)
		return e.stmts.Count()
	}
	if shallow, deep := statements(nil), statements(map[string]any{"a": cursor}); shallow != deep || deep != 1 {
		t.Errorf("statements: %d for the first page, %d after a cursor; want 1 each", shallow, deep)
	}
	// Member lists page by number; pageInfo says whether more follow.
	e.do(`mutation { createGroup(code: "g") { code } }`, nil).ok(nil)
	var g struct {
		Groups struct{ List []struct{ Users page } }
	}
	e.do(`{ groups { list { users(limit: 1) { pageInfo { hasNextPage endCursor } } } } }`, nil).ok(&g)
	if p := g.Groups.List[0].Users.PageInfo; p.HasNextPage || p.EndCursor != nil {
		t.Errorf("an empty group's pageInfo: %+v", p)
	}
}

// TestCursorPagingEveryListing: groups, roles, namespaces and resources
// page by cursor too, each walk listing what one page does; a nested list
// (a user's groups) has pageInfo but no cursor.
func TestCursorPagingEveryListing(t *testing.T) {
	e := newEnv(t)
	for i := range 5 {
		e.do(fmt.Sprintf(`mutation { createGroup(code: "g%d") { code } createRole(code: "r%d") { code } createNamespace(code: "n%d") { code }
			createResource(namespace: "default", code: "res%d", type: DATA) { code } }`, i, i, i, i), nil).ok(nil)
	}
	for _, c := range []struct{ field, args string }{{"groups", ""}, {"roles", ""}, {"namespaces", ""}, {"resources", `namespace: "default",`}} {
		var all map[string]struct{ List []struct{ Code string } }
		e.do(fmt.Sprintf(`{ %s(%s limit: 100) { list { code } } }`, c.field, c.args), nil).ok(&all)
		var want []string
		for _, x := range all[c.field].List {
			want = append(want, x.Code)
		}
		var got []string
		var after *string
		for range 10 {
			var out map[string]struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
				List []struct{ Code string }
			}
			e.do(fmt.Sprintf(`query($a: String) { %s(%s first: 2, after: $a) { pageInfo { hasNextPage endCursor } list { code } } }`, c.field, c.args), map[string]any{"a": after}).ok(&out)
			for _, x := range out[c.field].List {
				got = append(got, x.Code)
			}
			if !out[c.field].PageInfo.HasNextPage {
				break
			}
			after = out[c.field].PageInfo.EndCursor
		}
		if strings.Join(got, ",") != strings.Join(want, ",") || len(want) < 5 {
			t.Errorf("%s by cursor: %v, one page: %v", c.field, got, want)
		}
		if after != nil {
			e.do(`query($a: String) { users(after: $a) { totalCount } }`, map[string]any{"a": *after}).wantErr("INVALID_INPUT", "after")
		}
	}
}
