package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"usergraph/internal/dbtest"
)

// The change stream's benchmarks, against a server in a process of its
// own (startChild) on loopback. They report figures, and assert nothing
// about speed: docs/performance.md has the runs.
//
//	go test -tags sqlite_fts5 -run '^$' -bench 'Webhook|IdleSubscriptions' -benchtime 1x .

// hookReceiver counts deliveries and notes when each event arrived.
type hookReceiver struct {
	mu      sync.Mutex
	arrived map[string]time.Time
	signal  chan struct{}
}

func newHookReceiver(b testing.TB) (*hookReceiver, string) {
	r := &hookReceiver{arrived: map[string]time.Time{}, signal: make(chan struct{}, 1<<16)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		r.mu.Lock()
		if _, seen := r.arrived[req.Header.Get("webhook-id")]; !seen {
			r.arrived[req.Header.Get("webhook-id")] = time.Now()
		}
		r.mu.Unlock()
		r.signal <- struct{}{}
		w.WriteHeader(http.StatusNoContent)
	}))
	b.Cleanup(srv.Close)
	return r, srv.URL
}

func (r *hookReceiver) count() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.arrived) }

// streamServer starts a server with loopback receivers allowed, and a
// webhook of every user.created event to r.
func streamServer(b testing.TB, extra ...string) (*child, string) {
	srv := startChild(b, dbtest.DSN(b), append([]string{"-webhook-allow", "127.0.0.0/8", "-log-level", "warn"}, extra...)...)
	poolID, secret := announced(b, srv.stdout.String())
	return srv, srv.adminToken(b, poolID, secret)
}

func (c *child) mustGQL(b testing.TB, token, query string, vars map[string]any, out any) {
	b.Helper()
	if code, err := c.gql(token, query, vars, out); code != "" || err != nil {
		b.Fatalf("%s: %s %v", query, code, err)
	}
}

// BenchmarkWebhookLatency: from a createUser's answer (its commit) to the
// receiver holding the event, one change at a time: p50 and p99 (0 when
// the event arrived before the answer did); and from sending the request,
// which bounds it from above.
func BenchmarkWebhookLatency(b *testing.B) {
	srv, token := streamServer(b)
	r, url := newHookReceiver(b)
	srv.mustGQL(b, token, `mutation($u: String!) { createWebhook(url: $u, events: ["user.created"]) { secret } }`, map[string]any{"u": url}, nil)
	const n = 300
	lat := make([]time.Duration, 0, n)
	sent := make([]time.Duration, 0, n)
	for i := range n {
		var out struct{ CreateUser struct{ ID string } }
		start := time.Now()
		srv.mustGQL(b, token, `mutation($n: String) { createUser(userInfo: {username: $n}) { id } }`, map[string]any{"n": fmt.Sprintf("lat%d", i)}, &out)
		committed := time.Now()
		for r.count() < i+1 {
			<-r.signal
		}
		r.mu.Lock()
		var at time.Time
		for _, t := range r.arrived {
			if t.After(at) {
				at = t
			}
		}
		r.mu.Unlock()
		lat = append(lat, max(at.Sub(committed), 0))
		sent = append(sent, at.Sub(start))
	}
	slices.Sort(lat)
	slices.Sort(sent)
	b.ReportMetric(float64(sent[n/2].Microseconds())/1000, "from-request-p50-ms")
	b.ReportMetric(float64(sent[n*99/100].Microseconds())/1000, "from-request-p99-ms")
	b.ReportMetric(float64(lat[n/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[n*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkWebhookThroughput: events delivered per second while
// createUsers(1000) batches commit.
func BenchmarkWebhookThroughput(b *testing.B) {
	srv, token := streamServer(b)
	r, url := newHookReceiver(b)
	srv.mustGQL(b, token, `mutation($u: String!) { createWebhook(url: $u, events: ["user.created"]) { secret } }`, map[string]any{"u": url}, nil)
	const batches, per = 10, 1000
	start := time.Now()
	for k := range batches {
		users := make([]map[string]any, per)
		for i := range users {
			users[i] = map[string]any{"username": fmt.Sprintf("tp%d-%d", k, i)}
		}
		srv.mustGQL(b, token, `mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`, map[string]any{"u": users}, nil)
	}
	committed := time.Since(start)
	deadline := time.Now().Add(5 * time.Minute)
	for r.count() < batches*per {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d delivered", r.count(), batches*per)
		}
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(start)
	b.ReportMetric(float64(batches*per)/took.Seconds(), "events/s")
	b.ReportMetric(float64(batches*per)/committed.Seconds(), "committed/s")
}

// BenchmarkIdleSubscriptions: the server's resident memory with 1,000
// idle subscriptions (one WebSocket each), against none.
func BenchmarkIdleSubscriptions(b *testing.B) {
	srv, token := streamServer(b, "-max-subscriptions-per-credential", "5000", "-max-stream-connections-per-credential", "5000",
		"-max-subscriptions-per-pool", "5000", "-max-stream-connections-per-pool", "5000")
	before := rssMiB(b, srv)
	const n = 1000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	conns := make([]*websocket.Conn, 0, n)
	for i := range n {
		c, _, err := websocket.Dial(ctx, "ws://"+srv.addr+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			b.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
		_ = c.Write(ctx, websocket.MessageText, []byte(`{"type":"connection_init","payload":{"Authorization":"Bearer `+token+`"}}`))
		if _, msg, err := c.Read(ctx); err != nil || !strings.Contains(string(msg), "connection_ack") {
			b.Fatalf("connection %d: %s %v", i, msg, err)
		}
		_ = c.Write(ctx, websocket.MessageText, []byte(`{"id":"1","type":"subscribe","payload":{"query":"subscription { changes { id type } }"}}`))
	}
	time.Sleep(2 * time.Second)
	runtime.GC()
	after := rssMiB(b, srv)
	b.ReportMetric(before, "rss-before-MiB")
	b.ReportMetric(after, "rss-1000-subs-MiB")
	b.ReportMetric((after-before)*1024/n, "KiB/subscription")
	for _, c := range conns {
		c.CloseNow()
	}
}

// rssMiB is the child's resident set size.
func rssMiB(b testing.TB, c *child) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
