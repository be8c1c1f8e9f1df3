// Command usergraph is a self-hosted user directory and authorization server
// with a GraphQL API. This file is the composition root: configuration →
// db.Open → db.Migrate → graph handler → http.Server, and graceful
// shutdown; the other subcommands and the flags are internal/cli's.
// `usergraph help` lists them.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"usergraph/db"
	"usergraph/graph"
	"usergraph/internal/auth"
	"usergraph/internal/authing"
	"usergraph/internal/authingv3"
	"usergraph/internal/buildinfo"
	"usergraph/internal/cli"
	"usergraph/internal/events"
	"usergraph/internal/gcpace"
	"usergraph/internal/httpapi"
	"usergraph/internal/metrics"
	"usergraph/internal/operator"
	"usergraph/internal/password"
	"usergraph/internal/tracing"
	"usergraph/internal/upkeep"
	"usergraph/internal/webhook"
)

// commands are usergraph's subcommands: serve, here, and the rest in
// internal/cli, which open the database with open.
var commands = cli.Commands(serveCmd, func(ctx context.Context, c *cli.Config, announce, logw io.Writer, mustExist bool) (*cli.App, error) {
	return open(ctx, c, announce, logw, mustExist, nil)
})

// run runs the command args name (see cli.Run).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return cli.Run(ctx, commands, args, stdout, stderr)
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "usergraph:", err)
		os.Exit(1)
	}
}

// open connects, migrates and loads the signing key. When the database has
// no user pool yet it creates the default pool and writes its credentials to
// announce — the only time the secret is ever shown. Commands other than
// serve refuse a SQLite file that does not exist rather than make one (a
// token from a new database would be refused by the running server).
func open(ctx context.Context, c *cli.Config, announce, logw io.Writer, mustExist bool, m *metrics.Metrics) (*cli.App, error) {
	log, _, err := cli.NewLogger(c, logw)
	if err != nil {
		return nil, err
	}
	if path, ok := db.SQLiteFile(c.DSN); ok && mustExist {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no database at %s: start the server there first, or name it with -db", path)
		}
	}
	opt := db.Options{MaxOpenConns: c.MaxOpenConns, MaxIdleConns: c.MaxIdleConns, ConnMaxLifetime: c.ConnLifetime, Logger: log}
	if m != nil {
		opt.Observe = m.Statement
	}
	d, err := db.Open(ctx, c.DSN, opt)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, d); err != nil {
		d.Close()
		return nil, err
	}
	hasher := password.NewHasher()
	store := db.NewStore(d, hasher)
	p, secret, err := store.EnsureDefaultPool(ctx)
	if err != nil {
		d.Close()
		return nil, err
	}
	if secret != "" {
		fmt.Fprintf(announce, "Created the default user pool. Its secret is shown only this once:\n  userPoolId: %s\n  secret:     %s\n", p.ID, secret)
	}
	key := []byte(c.SigningKey)
	if len(key) == 0 {
		if key, err = store.SigningKey(ctx); err != nil {
			d.Close()
			return nil, err
		}
	} else if len(key) < 32 {
		d.Close()
		return nil, errors.New("the signing key must be at least 32 bytes")
	}
	return &cli.App{DB: d, Store: store, Hasher: hasher, Log: log,
		Signer: auth.NewSigner(key, c.TokenTTL).WithUserTTL(c.UserTokenTTL)}, nil
}

// serveCmd runs the server until SIGINT or SIGTERM.
//
// /metrics is served on the main address unless -metrics-addr names
// another: one port is all a container needs, and the series hold no
// secret and no pool id; a separate address keeps them off a public
// listener when that matters.
func serveCmd(ctx context.Context, c *cli.Config, _ []string, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	pacer := gcpace.Start(uint64(c.GCHeapTargetMiB) << 20)
	defer pacer.Stop()
	gc := fmt.Sprintf("paced to a %d MiB heap", c.GCHeapTargetMiB)
	if pacer == nil {
		gc = "Go's own pacing"
	}
	m := metrics.New()
	// Tracing, when an OTLP endpoint is configured, before the database
	// opens (its statements' spans go to the provider set here).
	if tracing.Configured(c.TraceEndpoint) {
		shutdown, err := tracing.Setup(ctx, c.TraceEndpoint, buildinfo.Get().Version)
		if err != nil {
			return fmt.Errorf("-trace-endpoint: %w", err)
		}
		defer func() {
			flush, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_ = shutdown(flush)
		}()
	}
	a, err := open(ctx, c, stdout, stderr, false, m)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	_, access, _ := cli.NewLogger(c, stderr)
	a.Hasher.ObserveWaits(m.HashWaited)
	m.Gauge("usergraph_password_hash_queue", "Password hashes waiting for a free core.", nil, func() float64 { return float64(a.Hasher.Waiting()) })
	for _, state := range []string{"open", "in_use", "idle"} {
		m.Gauge("usergraph_db_connections", "Database connections by state.", map[string]string{"state": state}, func() float64 {
			open, inUse, idle := a.DB.ConnStats()
			return float64(map[string]int{"open": open, "in_use": inUse, "idle": idle}[state])
		})
	}
	var origins []string
	for _, o := range strings.Split(c.CORSOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	// A request runs for at most RequestTimeout (its context's deadline
	// reaches the database, so a write that cannot answer rolls back).
	// Writing the answer may take a little longer, and shutdown waits for
	// the longest request allowed: a batch never commits after its
	// response (and its one-time passwords) was lost.
	limits := c.Limits
	limits.NoIntrospection = !c.Introspection
	var shuttingDown atomic.Bool
	keys, err := authing.LoadKeys(ctx, a.Store)
	if err != nil {
		return fmt.Errorf("loading the Authing password key: %w", err)
	}
	// The change stream: the hub follows it for subscriptions and wakes
	// the webhook dispatcher; both run on every replica.
	hub := events.New(a.Store, events.Options{Limits: c.Stream, Observe: m.Events, Log: a.Log})
	whOpt := c.Webhooks
	whOpt.Allow, whOpt.Observe, whOpt.Log = strings.Split(c.WebhookAllow, ","), m.WebhookAttempt, a.Log
	hooks, err := webhook.New(a.Store, hub, whOpt)
	if err != nil {
		return err
	}
	m.Gauge("usergraph_webhook_pending_deliveries", "Webhook deliveries waiting for an attempt, every replica's.", nil, func() float64 {
		n, _ := a.Store.PendingDeliveries(context.Background())
		return float64(n)
	})
	m.Gauge("usergraph_event_head", "The last event of the change stream.", nil, func() float64 {
		n, _ := a.Store.LastEventSeq(context.Background())
		return float64(n)
	})
	operators, err := operator.New(a.Store, operator.Options{Allow: strings.Split(c.OperatorIssuerAllow, ","), Log: a.Log})
	if err != nil {
		return err
	}
	go hub.Run(ctx)
	go hooks.Run(ctx)
	go upkeep.PruneDeliveries(ctx, a.Store, c.WebhookLogRetention, a.Log)
	srv := &http.Server{
		Handler: httpapi.NewHandler(httpapi.Options{Store: a.Store, Signer: a.Signer, CORSOrigins: origins, Logger: a.Log,
			Limits: limits, Throttle: c.Throttle, Metrics: m, MetricsElsewhere: c.MetricsAddr != "", AccessLog: access,
			ShuttingDown: &shuttingDown, GqlgenReads: c.ReadExecutor == "gqlgen", Events: hub, Webhooks: hooks, Operators: operators, Dialects: []httpapi.Dialect{&authing.Dialect{Keys: keys, TokenTTL: c.SDKTokenTTL}, &authingv3.Dialect{}}}),
		ConnContext:       httpapi.ConnContext,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      limits.RequestTimeout + writeGrace,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	// Bind first: a busy port is one clear error, and "listening" is only
	// said once it is true.
	l, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	servers := []*http.Server{srv}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(l) }()
	if c.MetricsAddr != "" {
		ml, err := net.Listen("tcp", c.MetricsAddr)
		if err != nil {
			l.Close()
			return fmt.Errorf("listen on %s for metrics: %w", c.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", httpapi.OnlyParams(m.Handler()))
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, msrv)
		go func() { errc <- msrv.Serve(ml) }()
	}
	if c.AuditRetention > 0 {
		go upkeep.PruneAudit(ctx, a.Store, c.AuditRetention, a.Log)
	}
	go upkeep.TidySearch(ctx, a.DB, a.Log)
	addr := l.Addr().String()
	a.Log.Info("usergraph listening", "addr", addr, "playground", "http://localhost:"+addr[strings.LastIndex(addr, ":")+1:]+"/",
		"db", a.DB.Engine(), "metrics", firstNonEmpty(c.MetricsAddr, addr)+"/metrics", "gc", gc)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shuttingDown.Store(true) // /readyz fails from now on
	if c.DrainDelay > 0 {
		a.Log.Info("draining: /readyz fails; still serving", "for", c.DrainDelay)
		time.Sleep(c.DrainDelay)
	}
	a.Log.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace(limits))
	defer cancel()
	var errs []error
	for _, s := range servers {
		errs = append(errs, s.Shutdown(shutdownCtx))
	}
	return errors.Join(errs...) // the deferred Close checkpoints and closes the database
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// writeGrace is how long past its deadline a request may take to write its
// answer.
const writeGrace = 10 * time.Second

// shutdownGrace is how long shutdown waits for requests in flight: at
// least as long as the longest request allowed, and its answer.
func shutdownGrace(l graph.Limits) time.Duration { return l.RequestTimeout + writeGrace }
