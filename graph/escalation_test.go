package graph_test

import (
	"testing"
)

// TestArchivingNeedsDeleteScope: moving a user into or out of Archived
// needs users:delete by every path — updateUser, updateUsers (atomic or
// per item) — as archiveUser and restoreUser do; users:write alone gets
// FORBIDDEN naming the scope, and nothing changes.
func TestArchivingNeedsDeleteScope(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "kept"})
	_, writer := e.newKey("writer", "users:read", "users:write")
	status := func() string {
		var out struct{ User struct{ Status string } }
		e.do(`query($id: ID!) { user(id: $id) { status } }`, map[string]any{"id": id}).ok(&out)
		return out.User.Status
	}
	update := `mutation($id: ID!, $s: UserStatus) { updateUser(id: $id, input: {status: $s}) { status } }`
	r := e.doAs(writer, update, map[string]any{"id": id, "s": "Archived"})
	r.wantErr("FORBIDDEN", "input.status")
	if r.Errors[0].Extensions["scope"] != "users:delete" {
		t.Errorf("FORBIDDEN names %v", r.Errors[0].Extensions)
	}
	e.doAs(writer, updateUsers, map[string]any{"u": []map[string]any{
		{"userId": id, "input": map[string]any{"status": "Archived"}}}}).wantErr("FORBIDDEN", "users.0.input.status")
	var perItem struct{ UpdateUsers []batchResult }
	e.doAs(writer, updateUsers, map[string]any{"o": map[string]any{"atomic": false}, "u": []map[string]any{
		{"userId": id, "input": map[string]any{"status": "Archived"}}}}).ok(&perItem)
	if perItem.UpdateUsers[0].Error == nil || perItem.UpdateUsers[0].Error.Code != "FORBIDDEN" {
		t.Errorf("per item: %+v", perItem.UpdateUsers)
	}
	if s := status(); s != "Activated" {
		t.Fatalf("users:write archived the user: %s", s)
	}
	// Other status changes stay users:write's.
	e.doAs(writer, update, map[string]any{"id": id, "s": "Suspended"}).ok(nil)

	// Out of Archived: the same.
	e.do(update, map[string]any{"id": id, "s": "Archived"}).ok(nil)
	e.doAs(writer, update, map[string]any{"id": id, "s": "Activated"}).wantErr("FORBIDDEN", "input.status")
	e.doAs(writer, `mutation($id: ID!) { updateUser(id: $id, input: {blocked: false}) { status } }`, map[string]any{"id": id}).
		wantErr("FORBIDDEN", "input.status")
	if s := status(); s != "Archived" {
		t.Fatalf("users:write restored the user: %s", s)
	}
	_, deleter := e.newKey("deleter", "users:write", "users:delete")
	e.doAs(deleter, update, map[string]any{"id": id, "s": "Activated"}).ok(nil)
}

// TestKeysCannotEscalate: a key can only mint keys within its own scopes,
// and rotating the pool secret (the master credential) needs "*".
func TestKeysCannotEscalate(t *testing.T) {
	e := newEnv(t)
	_, manager := e.newKey("manager", "keys:manage", "users:read")
	create := `mutation($s: [String!]!, $n: String! = "minted") { createApiKey(name: $n, scopes: $s) { key } }`
	for _, c := range []struct {
		scopes []string
		field  string
	}{{[]string{"*"}, "scopes.0"}, {[]string{"users:read", "users:write"}, "scopes.1"}, {[]string{"users:*"}, "scopes.0"}, {[]string{"keys:*"}, "scopes.0"}} {
		e.doAs(manager, create, map[string]any{"s": c.scopes}).wantErr("FORBIDDEN", c.field)
	}
	e.doAs(manager, create, map[string]any{"s": []string{"users:read", "keys:manage"}}).ok(nil)
	e.doAs(manager, `mutation { rotatePoolSecret { secret } }`, nil).wantErr("FORBIDDEN", "")
	e.doAs(e.token, `{ users { totalCount } }`, nil).ok(nil) // the secret was not rotated

	_, domain := e.newKey("users admin", "users:*", "keys:manage")
	e.doAs(domain, create, map[string]any{"s": []string{"users:delete", "users:*"}, "n": "minted 2"}).ok(nil)
	e.doAs(domain, create, map[string]any{"s": []string{"groups:read"}}).wantErr("FORBIDDEN", "scopes.0")
	_, all := e.newKey("all", "*")
	e.doAs(all, create, map[string]any{"s": []string{"*"}, "n": "minted 3"}).ok(nil)
	e.doAs(all, `mutation { rotatePoolSecret { secret } }`, nil).ok(nil)
}
