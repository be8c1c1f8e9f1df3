package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// doCtx posts a query with the env's token under ctx.
func (e *env) doCtx(ctx context.Context, query string, vars map[string]any) *result {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return e.serve(e.token, httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body)))
}

// TestCancelledWritesFailAlone: writes whose clients hang up mid-write
// (on SQLite, queued in the same group commit as others) fail alone. The
// well-behaved writers beside them all succeed, and every outcome is
// exact: a create that answered succeeded is stored, one that answered
// CANCELLED is not.
func TestCancelledWritesFailAlone(t *testing.T) {
	e := newEnv(t)
	const writers, each, cancellers = 16, 30, 4
	create := `mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`
	createMany := `mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`
	type outcome struct {
		name string
		code string
	}
	var mu sync.Mutex
	var polite, rude []outcome
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				name := fmt.Sprintf("polite-%d-%d", w, i)
				c := e.doCtx(context.Background(), create, map[string]any{"u": map[string]any{"username": name, "nickname": "n"}}).code()
				mu.Lock()
				polite = append(polite, outcome{name, c})
				mu.Unlock()
			}
		})
	}
	stop := make(chan struct{})
	for w := range cancellers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				// A batch, so that the write runs long enough to be
				// cut off in the middle of its statements.
				name := fmt.Sprintf("rude-%d-%d", w, i)
				batch := make([]map[string]any, 50)
				for j := range batch {
					batch[j] = map[string]any{"username": fmt.Sprintf("%s-%d", name, j), "nickname": "n"}
				}
				batch[0]["username"] = name
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rand.IntN(8000))*time.Microsecond)
				c := e.doCtx(ctx, createMany, map[string]any{"u": batch}).code()
				cancel()
				mu.Lock()
				rude = append(rude, outcome{name, c})
				mu.Unlock()
			}
		})
	}
	// Let the cancellers run until the polite writers are done.
	go func() {
		for {
			mu.Lock()
			n := len(polite)
			mu.Unlock()
			if n == writers*each {
				close(stop)
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	wg.Wait()

	stored := map[string]bool{}
	var names []string
	if err := e.raw().Table("users").Pluck("username", &names).Error; err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		stored[n] = true
	}
	failed := 0
	for _, o := range polite {
		if o.code != "" || !stored[o.name] {
			failed++
			t.Errorf("well-behaved %s: code %q, stored %v", o.name, o.code, stored[o.name])
		}
	}
	cancelled := 0
	for _, o := range rude {
		switch {
		case o.code == "" && !stored[o.name]:
			t.Errorf("%s answered success but is not stored", o.name)
		case o.code == "CANCELLED" && stored[o.name]:
			t.Errorf("%s answered CANCELLED but is stored", o.name)
		case o.code != "" && o.code != "CANCELLED":
			t.Errorf("%s: code %q", o.name, o.code)
		}
		if o.code == "CANCELLED" {
			cancelled++
		}
	}
	t.Logf("%d of %d well-behaved creates failed beside %d cancelling ones (%d cancelled)", failed, len(polite), len(rude), cancelled)
	if cancelled == 0 {
		t.Error("no write was cancelled: the test did not test anything")
	}
}

// TestEndedBeforeExecution: a request whose context has ended before it
// runs (a client that hung up, a deadline already past) is answered
// CANCELLED on every route, never with a panic.
func TestEndedBeforeExecution(t *testing.T) {
	e := newEnv(t)
	e.do(`{ users { totalCount } }`, nil).ok(nil) // the pool's check is cached: the next requests reach execution
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	past, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	for _, c := range []struct {
		ctx   context.Context
		query string
	}{
		{ctx, `{ users { totalCount } }`},
		{ctx, `query { users { list { ...f } } } fragment f on User { id }`},
		{ctx, `mutation { createUser(userInfo: {username: "late"}) { id } }`},
		{past, `{ users { totalCount } }`},
	} {
		r := e.doCtx(c.ctx, c.query, nil)
		r.wantErr("CANCELLED", "")
		if r.Status != http.StatusOK {
			t.Errorf("%s: HTTP %d", c.query, r.Status)
		}
	}
	if n := e.rows("users"); n != 0 {
		t.Errorf("%d users created", n)
	}
}
