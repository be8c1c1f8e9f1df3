package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"usergraph/db"
	"usergraph/db/dbtest"
	"usergraph/graph"
)

// syncBuffer is a bytes.Buffer safe for one writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSubcommands(t *testing.T) {
	dbPath := dbtest.DSN(t) // a SQLite file, or a PostgreSQL schema of its own
	runCmd := func(args ...string) (string, string) {
		t.Helper()
		var out, errw bytes.Buffer
		if err := run(context.Background(), append(args, "-db", dbPath), &out, &errw); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errw.String())
		}
		return out.String(), errw.String()
	}
	tok, announce := runCmd("token")
	if strings.Count(strings.TrimSpace(tok), ".") != 2 || strings.Contains(tok, " ") {
		t.Errorf("token printed %q, want a JWT alone", tok)
	}
	if !strings.Contains(announce, "secret:") {
		t.Errorf("first start did not print the default pool's secret: %q", announce)
	}
	_, again := runCmd("token")
	if strings.Contains(again, "secret") {
		t.Errorf("second start printed a secret again: %q", again)
	}

	out, _ := runCmd("pool", "create", "tenant-b")
	var p struct{ UserPoolID, Secret string }
	if err := json.Unmarshal([]byte(out), &p); err != nil || p.UserPoolID == "" || len(p.Secret) != 64 {
		t.Fatalf("pool create printed %q (%v)", out, err)
	}
	if tokB, _ := runCmd("token", "-pool", p.UserPoolID); tokB == tok {
		t.Error("token -pool gave the default pool's token")
	}
	var errw bytes.Buffer
	if err := run(context.Background(), []string{"token", "-pool", "nope", "-db", dbPath}, &bytes.Buffer{}, &errw); err == nil {
		t.Error("token for an unknown pool succeeded")
	}

	// Rotating a pool's secret prints a new one and revokes old tokens:
	// a token printed afterwards carries the new generation.
	out, _ = runCmd("pool", "rotate-secret", p.UserPoolID)
	var r struct{ UserPoolID, Secret string }
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.UserPoolID != p.UserPoolID || len(r.Secret) != 64 || r.Secret == p.Secret {
		t.Fatalf("pool rotate-secret printed %q (%v)", out, err)
	}
	if err := run(context.Background(), []string{"pool", "rotate-secret", "nope", "-db", dbPath}, &bytes.Buffer{}, &errw); err == nil {
		t.Error("rotating an unknown pool's secret succeeded")
	}
}

// TestTimeoutsAgree checks shutdown waits at least as long as the longest
// request may run, and the server lets that request write its answer.
func TestTimeoutsAgree(t *testing.T) {
	for _, d := range []time.Duration{time.Second, time.Minute, 5 * time.Minute} {
		l := graph.Limits{RequestTimeout: d}
		if shutdownGrace(l) < d || writeGrace <= 0 {
			t.Errorf("request timeout %v: shutdown waits %v", d, shutdownGrace(l))
		}
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dbPath := dbtest.DSN(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errw syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", addr, "-db", dbPath}, &out, &errw) }()

	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not become healthy: %v\n%s", err, errw.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "userPoolId:") {
		t.Errorf("first start did not announce the default pool: %q", out.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if db.IsPostgres(dbPath) {
		return
	}
	if _, err := os.Stat(dbPath + "-wal"); err == nil {
		if fi, _ := os.Stat(dbPath + "-wal"); fi.Size() > 0 {
			t.Errorf("the WAL was not checkpointed on shutdown (%d bytes)", fi.Size())
		}
	}
	if strings.Contains(errw.String(), "secret") {
		t.Errorf("the secret reached the logs: %s", errw.String())
	}
}

// TestSchemaFileIsCurrent keeps schema.graphql equal to `usergraph schema`,
// so every change to the public API shows in review. Regenerate it with
// go run -tags sqlite_fts5 . schema > schema.graphql
func TestSchemaFileIsCurrent(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"schema"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(file) {
		t.Error("schema.graphql is stale: run go run -tags sqlite_fts5 . schema > schema.graphql")
	}
	if !strings.Contains(out.String(), "type Query") || !strings.Contains(out.String(), "searchUsers") {
		t.Error("the SDL lacks the Query type")
	}
}
