// Command usergraph is a self-hosted user directory and authorization server
// with a GraphQL API. This file is the composition root: configuration →
// db.Open → db.Migrate → graph handler → http.Server, plus the admin
// subcommands.
//
//	usergraph [flags]                 serve
//	usergraph token [-pool ID]        print a fresh admin token
//	usergraph pool create NAME        create a user pool, print its credentials
//	usergraph pool rotate-secret ID   give a pool a new secret; its old admin tokens stop working
//	usergraph schema                  print the GraphQL schema (SDL)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"usergraph/auth"
	"usergraph/db"
	"usergraph/graph"
	"usergraph/password"
	"usergraph/ratelog"
)

// config is every setting, each a flag with an environment fallback.
type config struct {
	addr         string
	dsn          string
	logLevel     string
	corsOrigins  string
	signingKey   string
	tokenTTL     time.Duration
	userTokenTTL time.Duration
	maxOpenConns int
	maxIdleConns int
	connLifetime time.Duration
	limits       graph.Limits
	throttle     graph.Throttle
}

// env returns the environment variable's value, or def when it is unset.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env(name, "")); err == nil {
		return d
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(env(name, "")); err == nil {
		return n
	}
	return def
}

// newFlagSet registers the shared settings on a flag set; the server and
// every subcommand take the same -db and friends.
func newFlagSet(name string, c *config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", env("USERGRAPH_ADDR", ":8080"), "listen address (USERGRAPH_ADDR)")
	fs.StringVar(&c.dsn, "db", env("DATABASE_URL", "usergraph.db"), "SQLite file or postgres:// URL (DATABASE_URL)")
	fs.StringVar(&c.logLevel, "log-level", env("USERGRAPH_LOG_LEVEL", "info"), "debug, info, warn or error (USERGRAPH_LOG_LEVEL)")
	fs.StringVar(&c.corsOrigins, "cors-origins", env("USERGRAPH_CORS_ORIGINS", ""), "comma-separated browser origins allowed to call the API (USERGRAPH_CORS_ORIGINS)")
	fs.StringVar(&c.signingKey, "signing-key", env("USERGRAPH_SIGNING_KEY", ""), "token signing key, at least 32 bytes; default: generated once and kept in the database (USERGRAPH_SIGNING_KEY)")
	fs.DurationVar(&c.tokenTTL, "token-ttl", envDuration("USERGRAPH_TOKEN_TTL", time.Hour), "admin token lifetime (USERGRAPH_TOKEN_TTL)")
	fs.DurationVar(&c.userTokenTTL, "user-token-ttl", envDuration("USERGRAPH_USER_TOKEN_TTL", auth.DefaultUserTokenTTL), "user token lifetime, for refreshToken (USERGRAPH_USER_TOKEN_TTL)")
	fs.IntVar(&c.maxOpenConns, "db-max-open-conns", envInt("USERGRAPH_DB_MAX_OPEN_CONNS", 0), "database connections: SQLite readers or the PostgreSQL pool; 0 picks a default (USERGRAPH_DB_MAX_OPEN_CONNS)")
	fs.IntVar(&c.maxIdleConns, "db-max-idle-conns", envInt("USERGRAPH_DB_MAX_IDLE_CONNS", 0), "idle PostgreSQL connections kept; 0 means as many as -db-max-open-conns (USERGRAPH_DB_MAX_IDLE_CONNS)")
	fs.DurationVar(&c.connLifetime, "db-conn-max-lifetime", envDuration("USERGRAPH_DB_CONN_MAX_LIFETIME", 30*time.Minute), "how long a PostgreSQL connection is reused (USERGRAPH_DB_CONN_MAX_LIFETIME)")
	d, t := graph.DefaultLimits, graph.DefaultThrottle
	fs.IntVar(&c.limits.MaxComplexity, "max-complexity", envInt("USERGRAPH_MAX_COMPLEXITY", d.MaxComplexity), "largest cost one operation may have (USERGRAPH_MAX_COMPLEXITY)")
	fs.IntVar(&c.limits.MaxDepth, "max-depth", envInt("USERGRAPH_MAX_DEPTH", d.MaxDepth), "deepest nesting of fields one operation may have (USERGRAPH_MAX_DEPTH)")
	fs.Int64Var(&c.limits.MaxRows, "max-rows", int64(envInt("USERGRAPH_MAX_ROWS", int(d.MaxRows))), "most rows one operation may read (USERGRAPH_MAX_ROWS)")
	fs.Int64Var(&c.limits.MaxBodyBytes, "max-body-bytes", int64(envInt("USERGRAPH_MAX_BODY_BYTES", int(d.MaxBodyBytes))), "largest request body accepted (USERGRAPH_MAX_BODY_BYTES)")
	fs.DurationVar(&c.limits.RequestTimeout, "request-timeout", envDuration("USERGRAPH_REQUEST_TIMEOUT", d.RequestTimeout), "longest a request may run; a write past it rolls back (USERGRAPH_REQUEST_TIMEOUT)")
	fs.IntVar(&c.throttle.PerClient, "auth-failure-burst", envInt("USERGRAPH_AUTH_FAILURE_BURST", t.PerClient), "failed accessToken attempts one client address may make at once (USERGRAPH_AUTH_FAILURE_BURST)")
	fs.DurationVar(&c.throttle.ClientEvery, "auth-failure-refill", envDuration("USERGRAPH_AUTH_FAILURE_REFILL", t.ClientEvery), "after the burst, one more failed attempt per this interval (USERGRAPH_AUTH_FAILURE_REFILL)")
	return fs
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "usergraph:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	fs := newFlagSet("usergraph "+cmd, &c)
	fs.SetOutput(stderr)
	pool := fs.String("pool", "", "user pool id (token; default: the default pool)")
	// Flags may come before or after positional arguments
	// (usergraph pool create NAME -db x.db).
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	log, err := newLogger(c.logLevel, stderr)
	if err != nil {
		return err
	}
	if cmd != "pool" && len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	switch cmd {
	case "schema":
		_, err := io.WriteString(stdout, graph.SDL())
		return err
	case "serve":
		return serve(ctx, c, log, stdout)
	case "token":
		return printToken(ctx, c, log, *pool, stdout, stderr)
	case "pool":
		switch {
		case len(pos) == 2 && pos[0] == "create":
			return createPool(ctx, c, log, pos[1], stdout)
		case len(pos) == 2 && pos[0] == "rotate-secret":
			return rotateSecret(ctx, c, log, pos[1], stdout)
		}
		return errors.New("usage: usergraph pool create NAME | usergraph pool rotate-secret ID")
	}
	return fmt.Errorf("unknown command %q (serve, token, pool create, schema)", cmd)
}

func newLogger(level string, w io.Writer) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	// At most 20 lines of one message at once, then one a second: a flood
	// of refused requests or slow statements cannot fill the disk.
	return slog.New(ratelog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}), 20, time.Second)), nil
}

// app is an opened, migrated database with its store and token signer.
type app struct {
	db     *db.DB
	store  *db.Store
	signer *auth.Signer
}

// open connects, migrates and loads the signing key. When the database has
// no user pool yet it creates the default pool and writes its credentials to
// announce — the only time the secret is ever shown.
func open(ctx context.Context, c config, log *slog.Logger, announce io.Writer) (*app, error) {
	d, err := db.Open(ctx, c.dsn, db.Options{MaxOpenConns: c.maxOpenConns, MaxIdleConns: c.maxIdleConns, ConnMaxLifetime: c.connLifetime, Logger: log})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, d); err != nil {
		d.Close()
		return nil, err
	}
	store := db.NewStore(d, password.NewHasher())
	p, secret, err := store.EnsureDefaultPool(ctx)
	if err != nil {
		d.Close()
		return nil, err
	}
	if secret != "" {
		fmt.Fprintf(announce, "Created the default user pool. Its secret is shown only this once:\n  userPoolId: %s\n  secret:     %s\n", p.ID, secret)
	}
	key := []byte(c.signingKey)
	if len(key) == 0 {
		if key, err = store.SigningKey(ctx); err != nil {
			d.Close()
			return nil, err
		}
	} else if len(key) < 32 {
		d.Close()
		return nil, errors.New("the signing key must be at least 32 bytes")
	}
	return &app{db: d, store: store, signer: auth.NewSigner(key, c.tokenTTL).WithUserTTL(c.userTokenTTL)}, nil
}

func serve(ctx context.Context, c config, log *slog.Logger, stdout io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := open(ctx, c, log, stdout)
	if err != nil {
		return err
	}
	defer a.db.Close()
	var origins []string
	for _, o := range strings.Split(c.corsOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	// A request runs for at most RequestTimeout (its context's deadline
	// reaches the database, so a write that cannot answer rolls back).
	// Writing the answer may take a little longer, and shutdown waits for
	// the longest request allowed: a batch never commits after its
	// response (and its one-time passwords) was lost.
	limits := c.limits
	srv := &http.Server{
		Addr:              c.addr,
		Handler:           graph.NewHandler(graph.Options{Store: a.store, Signer: a.signer, CORSOrigins: origins, Logger: log, Limits: limits, Throttle: c.throttle}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      limits.RequestTimeout + writeGrace,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("usergraph listening", "addr", c.addr, "playground", "http://localhost"+c.addr[strings.LastIndex(c.addr, ":"):]+"/", "db", a.db.Engine())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace(limits))
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	return nil // the deferred Close checkpoints and closes the database
}

// writeGrace is how long past its deadline a request may take to write its
// answer.
const writeGrace = 10 * time.Second

// shutdownGrace is how long shutdown waits for requests in flight: at
// least as long as the longest request allowed, and its answer.
func shutdownGrace(l graph.Limits) time.Duration { return l.RequestTimeout + writeGrace }

func printToken(ctx context.Context, c config, log *slog.Logger, poolID string, stdout, stderr io.Writer) error {
	a, err := open(ctx, c, log, stderr)
	if err != nil {
		return err
	}
	defer a.db.Close()
	if poolID == "" {
		p, err := a.store.DefaultPool(ctx)
		if err != nil {
			return fmt.Errorf("no default pool: %w", err)
		}
		poolID = p.ID
	}
	p, err := a.store.Pool(ctx, poolID)
	if err != nil {
		return err
	}
	t, err := a.signer.AdminToken(poolID, p.SecretGeneration)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, t.Token)
	return err
}

func createPool(ctx context.Context, c config, log *slog.Logger, name string, stdout io.Writer) error {
	a, err := open(ctx, c, log, os.Stderr)
	if err != nil {
		return err
	}
	defer a.db.Close()
	p, secret, err := a.store.CreatePool(ctx, name)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(map[string]string{"userPoolId": p.ID, "name": p.Name, "secret": secret})
}

// rotateSecret gives a pool a new secret and prints it; admin tokens minted
// from the old one stop working (on running servers within seconds).
func rotateSecret(ctx context.Context, c config, log *slog.Logger, poolID string, stdout io.Writer) error {
	a, err := open(ctx, c, log, os.Stderr)
	if err != nil {
		return err
	}
	defer a.db.Close()
	secret, err := a.store.RotatePoolSecret(ctx, poolID)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(map[string]string{"userPoolId": poolID, "secret": secret})
}
