package graph_test

import (
	"fmt"
	"testing"
)

// TestArchiveAndRestore: an archived user leaves listings and search but
// keeps its data and its identifiers, holds no token, and comes back whole
// when restored; archiving many is all or nothing.
func TestArchiveAndRestore(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { createGroup(code: "team") { code } }`, nil).ok(nil)
	ada := e.createUser(map[string]any{"username": "ada", "email": "ada@example.com"})
	bob := e.createUser(map[string]any{"username": "bobby", "email": "bobby@example.com"})
	e.do(`mutation($ids: [ID!]!) { addGroupMembers(code: "team", userIds: $ids) { code } }`, map[string]any{"ids": []string{ada, bob}}).ok(nil)
	token := e.refresh(bob)

	var archived struct {
		ArchiveUser struct {
			Status    string
			IsDeleted bool
		}
	}
	e.do(`mutation($id: ID!) { archiveUser(id: $id) { status isDeleted } }`, map[string]any{"id": bob}).ok(&archived)
	if archived.ArchiveUser.Status != "Archived" || !archived.ArchiveUser.IsDeleted {
		t.Errorf("archiveUser: %+v", archived.ArchiveUser)
	}
	listed := func(q string, vars map[string]any) (int, []string) {
		t.Helper()
		var out map[string]struct {
			TotalCount int
			List       []struct{ Username string }
		}
		e.do(q, vars).ok(&out)
		for _, l := range out {
			var names []string
			for _, u := range l.List {
				names = append(names, u.Username)
			}
			return l.TotalCount, names
		}
		return 0, nil
	}
	for q, want := range map[string]int{
		`{ users { totalCount list { username } } }`:                             1,
		`{ users(filter: {group: "team"}) { totalCount list { username } } }`:    1,
		`{ users(filter: {blocked: true}) { totalCount list { username } } }`:    0,
		`{ searchUsers(query: "bobby") { totalCount list { username } } }`:       0,
		`{ searchUsers(query: "b") { totalCount list { username } } }`:           0, // the short-query scan
		`{ searchUsers(query: "") { totalCount list { username } } }`:            1,
		`{ searchUsers(query: "example.com") { totalCount list { username } } }`: 1,
	} {
		n, names := listed(q, nil)
		if n != want || len(names) != want {
			t.Errorf("%s: totalCount %d, %v; want %d without the archived user", q, n, names, want)
		}
	}
	if n, names := listed(`{ archivedUsers { totalCount list { username } } }`, nil); n != 1 || names[0] != "bobby" {
		t.Errorf("archivedUsers: %d %v", n, names)
	}
	if n, _ := listed(`{ users(filter: {status: [Archived]}) { totalCount list { username } } }`, nil); n != 1 {
		t.Errorf("users with status Archived: %d", n)
	}

	// Its identifiers stay taken, it is still found by id, and it holds
	// no token: the old one is revoked, a new one refused.
	e.do(`mutation { createUser(userInfo: {username: "bobby"}) { id } }`, nil).wantErr("ALREADY_EXISTS", "userInfo.username")
	var found struct{ User struct{ Username string } }
	e.do(`query($id: ID!) { user(id: $id) { username } }`, map[string]any{"id": bob}).ok(&found)
	if found.User.Username != "bobby" {
		t.Errorf("user(id) of an archived user: %+v", found)
	}
	if st := e.check(token); st.Status {
		t.Errorf("a token of an archived user is valid: %+v", st)
	}
	e.do(`mutation($u: ID!) { refreshToken(userId: $u) { token } }`, map[string]any{"u": bob}).wantErr("INVALID_INPUT", "userId")

	// Restored: back everywhere, with its memberships; the old token
	// stays revoked.
	e.do(`mutation($id: ID!) { restoreUser(id: $id) { status } }`, map[string]any{"id": bob}).ok(nil)
	if n, _ := listed(`{ users(filter: {group: "team"}) { totalCount list { username } } }`, nil); n != 2 {
		t.Errorf("the group after restoring: %d members listed", n)
	}
	if n, _ := listed(`{ searchUsers(query: "bobby") { totalCount list { username } } }`, nil); n != 1 {
		t.Errorf("search after restoring: %d", n)
	}
	if st := e.check(token); st.Status || st.Code != "REVOKED" {
		t.Errorf("the token from before the archive, after the restore: %+v", st)
	}
	e.refresh(bob) // a new one is fine

	// Many at once: all or nothing.
	e.do(`mutation($ids: [ID!]!) { archiveUsers(ids: $ids) { id } }`, map[string]any{"ids": []string{ada, "0193a000-0000-7000-8000-00000000dead"}}).wantErr("NOT_FOUND", "ids.1")
	if n, _ := listed(`{ archivedUsers { totalCount list { username } } }`, nil); n != 0 {
		t.Errorf("a failed archiveUsers archived %d users", n)
	}
	e.do(`mutation($id: ID!) { archiveUser(id: $id) { id } }`, map[string]any{"id": "0193a000-0000-7000-8000-00000000dead"}).wantErr("NOT_FOUND", "id")
	var many struct{ ArchiveUsers []struct{ ID string } }
	e.do(`mutation($ids: [ID!]!) { archiveUsers(ids: $ids) { id } }`, map[string]any{"ids": []string{bob, ada}}).ok(&many)
	if len(many.ArchiveUsers) != 2 || many.ArchiveUsers[0].ID != bob {
		t.Errorf("archiveUsers: %+v", many)
	}
	// Abuse: too many ids at once, none, or a repeated one.
	many1001 := make([]string, 1001)
	for i := range many1001 {
		many1001[i] = fmt.Sprintf("0193a000-0000-7000-8000-%012d", i)
	}
	e.do(`mutation($ids: [ID!]!) { archiveUsers(ids: $ids) { id } }`, map[string]any{"ids": many1001}).wantErr("INVALID_INPUT", "ids")
	e.do(`mutation { restoreUsers(ids: []) { id } }`, nil).wantErr("INVALID_INPUT", "ids")
	var twice struct{ RestoreUsers []struct{ ID string } }
	e.do(`mutation($ids: [ID!]!) { restoreUsers(ids: $ids) { id } }`, map[string]any{"ids": []string{bob, bob}}).ok(&twice)
	if len(twice.RestoreUsers) != 1 {
		t.Errorf("restoring one user named twice: %+v", twice)
	}
	e.do(`mutation($ids: [ID!]!) { archiveUsers(ids: $ids) { id } }`, map[string]any{"ids": []string{bob}}).ok(nil)
	// Deleting an archived user deletes it for good.
	e.do(`mutation($id: ID!) { deleteUser(id: $id) }`, map[string]any{"id": ada}).ok(nil)
	if n, _ := listed(`{ archivedUsers { totalCount list { username } } }`, nil); n != 1 {
		t.Errorf("after deleting one of two archived users: %d", n)
	}
}
