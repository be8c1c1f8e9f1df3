package graph_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"usergraph/db"
	"usergraph/internal/auth"
	"usergraph/internal/dbtest"
	"usergraph/internal/httpapi"
	"usergraph/internal/password"
)

// TestReplicasShareOneDatabase runs two server instances over one database
// (PostgreSQL when a DSN is given: the scale-out deployment) and shows that
// they behave as one: a write through one is read through the other at once,
// a unique constraint holds across them under concurrent creates, and a
// token revoked through one is refused by the other.
func TestReplicasShareOneDatabase(t *testing.T) {
	dsn := dbtest.DSN(t)
	replica := func() *env {
		d, err := db.Open(context.Background(), dsn, db.Options{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if err := db.Migrate(context.Background(), d); err != nil { // both run it, as replicas starting together would
			t.Fatal(err)
		}
		store := db.NewStore(d, password.NewHasher())
		p, _, err := store.EnsureDefaultPool(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if p == nil { // the other replica created it
			if p, err = store.DefaultPool(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		key, err := store.SigningKey(context.Background()) // shared through the database
		if err != nil {
			t.Fatal(err)
		}
		signer := auth.NewSigner(key, time.Hour)
		e := &env{t: t, store: store, signer: signer, stmts: &dbtest.Counter{}, poolID: p.ID}
		e.h = httpapi.NewHandler(httpapi.Options{Store: store, Signer: signer, Logger: slog.New(slog.DiscardHandler)})
		tok, _ := signer.AdminToken(p.ID, 0)
		e.token = tok.Token
		return e
	}
	a, b := replica(), replica()
	if a.poolID != b.poolID {
		t.Fatal("the replicas created two default pools")
	}
	// An admin token from one replica works on the other: the key is shared.
	b.doAs(a.token, `{ users { totalCount } }`, nil).ok(nil)

	id := a.createUser(map[string]any{"username": "alice", "nickname": "A"})
	var got struct{ User *struct{ Nickname string } }
	b.do(`query($id: ID!) { user(id: $id) { nickname } }`, map[string]any{"id": id}).ok(&got)
	if got.User == nil || got.User.Nickname != "A" {
		t.Fatalf("replica b does not see a's write: %+v", got.User)
	}
	b.do(`mutation($id: ID!) { updateUser(id: $id, input: {nickname: "B"}) { id } }`, map[string]any{"id": id}).ok(nil)
	a.do(`query($id: ID!) { user(id: $id) { nickname } }`, map[string]any{"id": id}).ok(&got)
	if got.User.Nickname != "B" {
		t.Errorf("replica a does not see b's write: %+v", got.User)
	}

	// Concurrent creates of one email through both replicas: exactly one wins.
	const n = 12
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := a
			if i%2 == 1 {
				e = b
			}
			r := e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`,
				map[string]any{"u": map[string]any{"email": "race@example.com", "username": fmt.Sprintf("r%d", i)}})
			codes[i] = r.code()
		}()
	}
	wg.Wait()
	oneWinner(t, codes)

	// A token revoked through one replica is refused by the other at once.
	tok := a.refresh(id)
	if st := b.check(tok); !st.Status {
		t.Fatalf("b refuses a's fresh token: %+v", st)
	}
	a.do(`mutation($id: ID!) { updateUser(id: $id, input: {tokenExpiredAt: "2000-01-01T00:00:00Z"}) { id } }`, map[string]any{"id": id}).ok(nil)
	if st := b.check(tok); st.Status || st.Code != "REVOKED" {
		t.Errorf("b accepts a token revoked through a: %+v", st)
	}
	b.do(`mutation($id: ID!) { updateUser(id: $id, input: {status: Suspended}) { id } }`, map[string]any{"id": id}).ok(nil)
	if st := a.check(b.refresh(id)); st.Status || st.Code != "USER_NOT_ACTIVE" {
		t.Errorf("a accepts the token of a user suspended through b: %+v", st)
	}
}
