package graph_test

import (
	"context"
	"fmt"
	"testing"

	"usergraph/internal/password"
)

type batchResult struct {
	Index    int
	User     *struct{ ID, Email string }
	Password *string
	Error    *struct {
		Code    string
		Field   *string
		Message string
	}
}

const createUsers = `mutation($u: [CreateUserInput!]!, $o: BatchWriteOptions) { createUsers(users: $u, options: $o) {
	index user { id email } password error { code field message } } }`

const updateUsers = `mutation($u: [UpdateUsersItem!]!, $o: UpdateUsersOptions) { updateUsers(users: $u, options: $o) {
	index user { id email } password error { code field message } } }`

func TestCreateUsersAtomic(t *testing.T) {
	e := newEnv(t)
	e.createUser(map[string]any{"email": "taken@example.com"})
	users := []map[string]any{{"email": "a@example.com"}, {"email": "b@example.com"}, {"email": "A@example.com"}}
	r := e.do(createUsers, map[string]any{"u": users})
	r.wantErr("ALREADY_EXISTS", "users.2.email")
	if r.Errors[0].Extensions["index"] != 2.0 {
		t.Errorf("index = %v", r.Errors[0].Extensions["index"])
	}
	e.do(createUsers, map[string]any{"u": []map[string]any{{"email": "c@example.com"}, {"email": "taken@example.com"}}}).wantErr("ALREADY_EXISTS", "users.1.email")
	e.do(createUsers, map[string]any{"u": []map[string]any{{"email": "d@example.com"}, {"email": "bad"}}}).wantErr("INVALID_INPUT", "users.1.email")
	if n := e.userCount(); n != 1 {
		t.Fatalf("failed atomic batches wrote %d users", n-1)
	}
	var out struct{ CreateUsers []batchResult }
	e.do(createUsers, map[string]any{"u": users[:2]}).ok(&out)
	if len(out.CreateUsers) != 2 || out.CreateUsers[1].User == nil || out.CreateUsers[1].User.Email != "b@example.com" || out.CreateUsers[1].Index != 1 {
		t.Errorf("results %+v", out.CreateUsers)
	}
	tooMany := make([]map[string]any, 1001)
	for i := range tooMany {
		tooMany[i] = map[string]any{"username": fmt.Sprint(i)}
	}
	e.do(createUsers, map[string]any{"u": tooMany}).wantErr("INVALID_INPUT", "users")
}

func TestCreateUsersPerItem(t *testing.T) {
	e := newEnv(t)
	users := []map[string]any{
		{"email": "a@example.com"},
		{"email": "A@example.com"}, // a duplicate within the batch
		{"email": "nope"},          // invalid
		{"email": "c@example.com", "password": "given-password"},
	}
	var out struct{ CreateUsers []batchResult }
	e.do(createUsers, map[string]any{"u": users, "o": map[string]any{"atomic": false, "autoGeneratePassword": true, "resetPasswordOnNextLogin": true}}).ok(&out)
	res := out.CreateUsers
	if len(res) != 4 {
		t.Fatalf("results %+v", res)
	}
	if res[0].User == nil || res[0].Error != nil || res[0].Password == nil || len(*res[0].Password) < 20 {
		t.Errorf("item 0: %+v", res[0])
	}
	if res[1].User != nil || res[1].Error == nil || res[1].Error.Code != "ALREADY_EXISTS" || *res[1].Error.Field != "email" || res[1].Password != nil {
		t.Errorf("item 1: %+v", res[1])
	}
	if res[2].User != nil || res[2].Error == nil || res[2].Error.Code != "INVALID_INPUT" || *res[2].Error.Field != "email" {
		t.Errorf("item 2: %+v", res[2])
	}
	if res[3].User == nil || res[3].Password != nil {
		t.Errorf("item 3 (own password): %+v", res[3])
	}
	if n := e.userCount(); n != 2 {
		t.Errorf("%d users written, want 2", n)
	}
	// The generated password is the one stored, and it is never readable again.
	var hash string
	var reset bool
	row := e.raw().Raw("SELECT password_hash, reset_password_on_next_login FROM users WHERE id = ?", res[0].User.ID).Row()
	if err := row.Scan(&hash, &reset); err != nil {
		t.Fatal(err)
	}
	if err := password.NewHasher().Verify(context.Background(), hash, *res[0].Password); err != nil || !reset {
		t.Errorf("generated password does not verify (%v) or reset flag %v", err, reset)
	}
}

func TestUpdateUsers(t *testing.T) {
	e := newEnv(t)
	a := e.createUser(map[string]any{"username": "a", "email": "a@example.com"})
	e.createUser(map[string]any{"username": "b", "email": "b@example.com"})
	var out struct{ UpdateUsers []batchResult }
	e.do(updateUsers, map[string]any{"u": []map[string]any{
		{"userId": a, "input": map[string]any{"nickname": "A", "status": "Suspended"}},
	}}).ok(&out)
	e.do(updateUsers, map[string]any{"o": map[string]any{"userIdType": "EMAIL"}, "u": []map[string]any{
		{"userId": "B@example.com", "input": map[string]any{"nickname": "B", "password": "new-password"}},
	}}).ok(&out)
	if out.UpdateUsers[0].User == nil {
		t.Fatalf("by email: %+v", out.UpdateUsers)
	}
	// Atomic: an unknown user, a bad status value, a duplicate → nothing written.
	e.do(updateUsers, map[string]any{"o": map[string]any{"userIdType": "USERNAME"}, "u": []map[string]any{
		{"userId": "a", "input": map[string]any{"nickname": "changed"}},
		{"userId": "ghost", "input": map[string]any{"nickname": "x"}},
	}}).wantErr("NOT_FOUND", "users.1.userId")
	e.do(updateUsers, map[string]any{"u": []map[string]any{
		{"userId": a, "input": map[string]any{"status": "Bogus"}},
	}}).wantErr("INVALID_INPUT", "users.0.input.status")
	e.do(updateUsers, map[string]any{"o": map[string]any{"userIdType": "USERNAME"}, "u": []map[string]any{
		{"userId": "a", "input": map[string]any{"email": "same@example.com"}},
		{"userId": "b", "input": map[string]any{"email": "same@example.com"}},
	}}).wantErr("ALREADY_EXISTS", "users.1.input.email")
	e.do(updateUsers, map[string]any{"o": map[string]any{"userIdType": "EMAIL"}, "u": []map[string]any{
		{"userId": "not-an-email", "input": map[string]any{"nickname": "x"}},
	}}).wantErr("INVALID_INPUT", "users.0.userId")
	var check struct {
		A struct {
			Nickname string
			Status   string
			Email    string
		}
	}
	e.do(`query($a: ID!) { a: user(id: $a) { nickname status email } }`, map[string]any{"a": a}).ok(&check)
	if check.A.Nickname != "A" || check.A.Status != "Suspended" || check.A.Email != "a@example.com" {
		t.Errorf("after failed batches: %+v", check.A)
	}
	// Per item: the good are written, the bad reported.
	e.do(updateUsers, map[string]any{"o": map[string]any{"atomic": false, "userIdType": "USERNAME"}, "u": []map[string]any{
		{"userId": "a", "input": map[string]any{"email": "same@example.com"}},
		{"userId": "b", "input": map[string]any{"email": "same@example.com"}},
		{"userId": "ghost", "input": map[string]any{"nickname": "x"}},
	}}).ok(&out)
	res := out.UpdateUsers
	if res[0].User == nil || res[0].User.Email != "same@example.com" ||
		res[1].Error == nil || res[1].Error.Code != "ALREADY_EXISTS" || *res[1].Error.Field != "input.email" ||
		res[2].Error == nil || res[2].Error.Code != "NOT_FOUND" {
		t.Errorf("per-item results: %+v %+v %+v", res[0], res[1].Error, res[2].Error)
	}
}
