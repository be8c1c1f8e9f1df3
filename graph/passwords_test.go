package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"golang.org/x/crypto/bcrypt"

	"usergraph/db"
	"usergraph/model"
)

// importUser creates a user whose password is an imported hash, as
// `usergraph import` does, and returns its id.
func (e *env) importUser(username, hash string) string {
	e.t.Helper()
	in := &model.UserInput{Username: graphql.OmittableOf(&username), PasswordHash: hash}
	res, err := e.store.CreateUsers(context.Background(), e.poolID, []*model.UserInput{in}, db.BatchOptions{Atomic: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return res[0].User.ID
}

func (e *env) verify(id, pw string) *result {
	e.t.Helper()
	return e.do(`mutation($id: ID!, $pw: String!) { verifyPassword(userId: $id, password: $pw) }`, map[string]any{"id": id, "pw": pw})
}

func (e *env) storedHash(id string) string {
	e.t.Helper()
	var h string
	e.raw().Raw("SELECT password_hash FROM users WHERE id = ?", id).Scan(&h)
	return h
}

// TestVerifyPassword: a password checks against its own hash or an
// imported bcrypt one; a successful check of a foreign hash rehashes it to
// argon2id (audited, redacted); failures are rate-limited per user.
func TestVerifyPassword(t *testing.T) {
	e := newEnv(t)
	var out struct{ VerifyPassword bool }
	own := e.createUser(map[string]any{"username": "own", "password": "correct-horse-battery"})
	if e.verify(own, "correct-horse-battery").ok(&out); !out.VerifyPassword {
		t.Error("the right password did not match")
	}
	if e.verify(own, "wrong").ok(&out); out.VerifyPassword {
		t.Error("a wrong password matched")
	}
	none := e.createUser(map[string]any{"username": "none"})
	if e.verify(none, "").ok(&out); out.VerifyPassword {
		t.Error("a user without a password matched the empty one")
	}
	e.verify("0193a000-0000-7000-8000-00000000dead", "x").wantErr("NOT_FOUND", "userId")

	bc, err := bcrypt.GenerateFromPassword([]byte("from-auth0"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	migrated := e.importUser("migrated", string(bc))
	if e.verify(migrated, "from-auth0").ok(&out); !out.VerifyPassword {
		t.Fatal("the bcrypt password did not match")
	}
	if h := e.storedHash(migrated); !strings.HasPrefix(h, "$argon2id$") {
		t.Errorf("after a successful check the hash is %.10s…, want argon2id", h)
	}
	if e.verify(migrated, "from-auth0").ok(&out); !out.VerifyPassword {
		t.Error("the rehashed password did not match")
	}
	rec := only(t, "rehash", must(e.audit(map[string]any{"objectId": migrated, "operation": "verifyPassword"})))
	if rec.change("password") != `"[redacted]" -> "[redacted]"` {
		t.Errorf("the rehash's record: %+v", rec)
	}
	if _, err := e.store.CreateUsers(context.Background(), e.poolID, []*model.UserInput{{Username: graphql.OmittableOf(ptr("junk")), PasswordHash: "$md5$x"}},
		db.BatchOptions{Atomic: true}); !isInvalid(err, "passwordHash") {
		t.Errorf("an unsupported hash: %v", err)
	}

	// Guessing one user's password is throttled like guessing a secret:
	// within 10 failures (some were spent above), every check is refused,
	// the right password too.
	limited := false
	for range 10 {
		if e.verify(own, "guess").code() == "RATE_LIMITED" {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("10 failed checks were not rate-limited")
	}
	r := e.verify(own, "correct-horse-battery")
	if r.code() != "RATE_LIMITED" || r.Errors[0].Extensions["retryAfter"] == nil {
		t.Errorf("the 11th check of one user: %+v", r.Errors)
	}

	_, reader := e.newKey("reader", "users:read")
	e.doAs(reader, `mutation($id: ID!) { verifyPassword(userId: $id, password: "x") }`, map[string]any{"id": none}).wantErr("FORBIDDEN", "")
}

func isInvalid(err error, field string) bool {
	me, ok := model.AsError(err)
	return ok && me.Code == model.CodeInvalidInput && me.Field == field
}
