// Package graphtest starts one test's server: the real HTTP handler over a
// database of the test's own (dbtest: SQLite by default, PostgreSQL when a
// DSN is given), with the default pool, its secret and an admin token. The
// native API's tests and the Authing dialect's share it, each adding the
// helpers of its own wire format.
package graphtest

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"usergraph/db"
	"usergraph/internal/auth"
	"usergraph/internal/dbtest"
	"usergraph/internal/events"
	"usergraph/internal/httpapi"
	"usergraph/internal/password"
	"usergraph/internal/webhook"
)

// Server is one test's server.
type Server struct {
	T       testing.TB
	Handler http.Handler
	DB      *db.DB
	Store   *db.Store
	Signer  *auth.Signer
	// Statements counts the SQL statements the database runs.
	Statements *dbtest.Counter
	// Log holds what the server logged (debug level and up), for tests
	// that check what is, and is not, logged.
	Log    *Buffer
	PoolID string
	Secret string
	// Token is an admin token for the default pool.
	Token string
	// Hub and Webhooks follow the change stream and deliver webhooks
	// when the server was made by NewStreaming (nil otherwise).
	Hub      *events.Hub
	Webhooks *webhook.Service
}

// Streaming is what NewStreaming sets up beyond New.
type Streaming struct {
	Configure func(*httpapi.Options)
	Stream    events.Options
	Webhooks  webhook.Options
	// DSN, when set, opens that database (a replica of another server's),
	// not a fresh one.
	DSN string
}

// NewStreaming starts a server that follows the change stream and
// delivers webhooks, as `usergraph serve` does: its hub and dispatcher run
// until the test ends. (New's servers do not: their background reads
// would upset the tests that count statements.)
func NewStreaming(t testing.TB, st Streaming) *Server {
	t.Helper()
	var s *Server
	configure := func(o *httpapi.Options) {
		st.Stream.Log = o.Logger
		s.Hub = events.New(o.Store, st.Stream)
		st.Webhooks.Log = o.Logger
		w, err := webhook.New(o.Store, s.Hub, st.Webhooks)
		if err != nil {
			t.Fatal(err)
		}
		s.Webhooks, o.Events, o.Webhooks = w, s.Hub, w
		if st.Configure != nil {
			st.Configure(o)
		}
	}
	s = &Server{}
	*s = *newServer(t, st.DSN, configure, s)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.Hub.Run(ctx) }()
	go func() { defer wg.Done(); s.Webhooks.Run(ctx) }()
	t.Cleanup(func() { cancel(); wg.Wait() })
	return s
}

// New starts a server; configure, when given, changes its options before
// the handler is made (limits, dialects, CORS, …).
func New(t testing.TB, configure func(*httpapi.Options)) *Server {
	t.Helper()
	return newServer(t, "", configure, &Server{})
}

// newServer makes a server over a fresh database, or over dsn's; into
// holds what configure may have set.
func newServer(t testing.TB, dsn string, configure func(*httpapi.Options), into *Server) *Server {
	t.Helper()
	var d *db.DB
	var counter *dbtest.Counter
	if dsn == "" {
		d, counter = dbtest.Open(t)
	} else {
		d, counter = dbtest.OpenDSN(t, dsn)
	}
	store := db.NewStore(d, password.NewHasher())
	ctx := context.Background()
	p, secret, err := store.EnsureDefaultPool(ctx)
	if err == nil && p == nil { // a replica of a database another server made
		p, err = store.DefaultPool(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	key, err := store.SigningKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	signer := auth.NewSigner(key, time.Hour)
	// Tests log into Log; benchmarks log nothing, so that logging is not
	// what they measure.
	logs := &Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt := httpapi.Options{Store: store, Signer: signer, CORSOrigins: []string{"https://admin.example.com"},
		Logger: logger, AccessLog: logger, PoolCheckTTL: time.Hour}
	if _, bench := t.(*testing.B); bench {
		opt.Logger, opt.AccessLog = slog.New(slog.DiscardHandler), nil
	}
	// Endpoints can be managed (not delivered to: nothing runs the
	// dispatcher but NewStreaming's).
	if opt.Webhooks, err = webhook.New(store, nil, webhook.Options{}); err != nil {
		t.Fatal(err)
	}
	if configure != nil {
		configure(&opt)
	}
	tok, err := signer.AdminToken(p.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return &Server{T: t, Handler: httpapi.NewHandler(opt), DB: d, Store: store, Signer: signer, Statements: counter,
		Log: logs, PoolID: p.ID, Secret: secret, Token: tok.Token, Hub: into.Hub, Webhooks: into.Webhooks}
}

// Send serves one request and returns the recorded response.
func (s *Server) Send(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, req)
	return rec
}

// Buffer is a bytes.Buffer that concurrent requests can log into.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String is what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
