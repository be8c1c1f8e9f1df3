// Command usergraph is a self-hosted user directory and authorization server
// with a GraphQL API. This file is the composition root: configuration →
// db.Open → db.Migrate → graph handler → http.Server, plus the admin
// subcommands. `usergraph help` lists them.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"usergraph/db"
	"usergraph/graph"
	"usergraph/internal/auth"
	"usergraph/internal/authing"
	"usergraph/internal/gcpace"
	"usergraph/internal/metrics"
	"usergraph/internal/password"
	"usergraph/internal/ratelog"
	"usergraph/internal/transfer"
	"usergraph/model"
)

// config is every setting. Each is a flag with an environment variable
// behind it (envNames); a command registers only the flags it uses.
type config struct {
	addr, metricsAddr      string
	drainDelay             time.Duration
	dsn                    string
	logLevel, logFormat    string
	corsOrigins            string
	signingKey             string
	tokenTTL, userTokenTTL time.Duration
	sdkTokenTTL            time.Duration
	maxOpenConns           int
	maxIdleConns           int
	connLifetime           time.Duration
	limits                 graph.Limits
	throttle               graph.Throttle
	pool                   string
	keyName, keyScopes     string
	keyExpires             time.Duration
	auditRetention         time.Duration
	gcHeapTargetMiB        int
	in                     string
	dryRun                 bool
}

// envNames maps each flag to the environment variable that sets it when
// the flag is not given. A value the flag would refuse is an error at
// start, naming the variable.
var envNames = map[string]string{
	"addr": "USERGRAPH_ADDR", "metrics-addr": "USERGRAPH_METRICS_ADDR", "db": "DATABASE_URL",
	"log-level": "USERGRAPH_LOG_LEVEL", "log-format": "USERGRAPH_LOG_FORMAT", "cors-origins": "USERGRAPH_CORS_ORIGINS",
	"signing-key": "USERGRAPH_SIGNING_KEY", "token-ttl": "USERGRAPH_TOKEN_TTL", "user-token-ttl": "USERGRAPH_USER_TOKEN_TTL",
	"sdk-token-ttl":     "USERGRAPH_SDK_TOKEN_TTL",
	"db-max-open-conns": "USERGRAPH_DB_MAX_OPEN_CONNS", "db-max-idle-conns": "USERGRAPH_DB_MAX_IDLE_CONNS",
	"db-conn-max-lifetime": "USERGRAPH_DB_CONN_MAX_LIFETIME", "max-complexity": "USERGRAPH_MAX_COMPLEXITY",
	"max-depth": "USERGRAPH_MAX_DEPTH", "max-rows": "USERGRAPH_MAX_ROWS", "max-body-bytes": "USERGRAPH_MAX_BODY_BYTES",
	"request-timeout": "USERGRAPH_REQUEST_TIMEOUT", "auth-failure-burst": "USERGRAPH_AUTH_FAILURE_BURST", "drain-delay": "USERGRAPH_DRAIN_DELAY",
	"auth-failure-refill": "USERGRAPH_AUTH_FAILURE_REFILL", "audit-retention": "USERGRAPH_AUDIT_RETENTION",
	"gc-heap-target-mib": "USERGRAPH_GC_HEAP_TARGET_MIB",
}

// dbFlags are the flags of every command that opens the database.
func dbFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.dsn, "db", "usergraph.db", "SQLite file or postgres:// URL")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.logFormat, "log-format", "text", "text or json")
	fs.IntVar(&c.maxOpenConns, "db-max-open-conns", 0, "database connections: SQLite readers or the PostgreSQL pool; 0 picks a default")
	fs.IntVar(&c.maxIdleConns, "db-max-idle-conns", 0, "idle PostgreSQL connections kept; 0 means as many as -db-max-open-conns")
	fs.DurationVar(&c.connLifetime, "db-conn-max-lifetime", 30*time.Minute, "how long a PostgreSQL connection is reused")
}

// tokenFlags are the flags of the commands that mint tokens.
func tokenFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.signingKey, "signing-key", "", "token signing key, at least 32 bytes; default: generated once and kept in the database")
	fs.DurationVar(&c.tokenTTL, "token-ttl", time.Hour, "admin token lifetime")
	fs.DurationVar(&c.userTokenTTL, "user-token-ttl", auth.DefaultUserTokenTTL, "user token lifetime, for refreshToken")
}

// serveFlags are the server's own flags.
func serveFlags(fs *flag.FlagSet, c *config) {
	d, t := graph.DefaultLimits, graph.DefaultThrottle
	fs.StringVar(&c.addr, "addr", ":8080", "listen address")
	fs.StringVar(&c.metricsAddr, "metrics-addr", "", "serve /metrics on this address instead of the main one")
	fs.StringVar(&c.corsOrigins, "cors-origins", "", "comma-separated browser origins allowed to call the API; none by default")
	fs.DurationVar(&c.sdkTokenTTL, "sdk-token-ttl", authing.DefaultTokenTTL, "lifetime of admin tokens from the Authing-compatible API's accessToken (above 1h, or the SDKs fetch one before every call)")
	fs.DurationVar(&c.drainDelay, "drain-delay", 0, "on SIGTERM, fail /readyz and keep serving this long before closing, so a load balancer stops sending requests")
	fs.IntVar(&c.limits.MaxComplexity, "max-complexity", d.MaxComplexity, "largest cost one operation may have")
	fs.IntVar(&c.limits.MaxDepth, "max-depth", d.MaxDepth, "deepest nesting of fields one operation may have")
	fs.Int64Var(&c.limits.MaxRows, "max-rows", d.MaxRows, "most rows one operation may read")
	fs.Int64Var(&c.limits.MaxBodyBytes, "max-body-bytes", d.MaxBodyBytes, "largest request body accepted")
	fs.DurationVar(&c.limits.RequestTimeout, "request-timeout", d.RequestTimeout, "longest a request may run; a write past it rolls back")
	fs.IntVar(&c.throttle.PerClient, "auth-failure-burst", t.PerClient, "failed accessToken attempts one client address may make at once")
	fs.DurationVar(&c.throttle.ClientEvery, "auth-failure-refill", t.ClientEvery, "after the burst, one more failed attempt per this interval")
	fs.DurationVar(&c.auditRetention, "audit-retention", 0, "how long audit records are kept, e.g. 2160h for 90 days; 0 keeps them for good")
	fs.IntVar(&c.gcHeapTargetMiB, "gc-heap-target-mib", defaultGCHeapTargetMiB, "heap size in MiB a small live heap may grow to between garbage collections (never collected more often than Go's default would); 0, or GOGC or GOMEMLIMIT in the environment, leaves the collector to Go")
}

// defaultGCHeapTargetMiB is where the collector paces a small heap to
// (gcpace). With ../shared/bench at 10,000 users, 24–40 MiB served a user
// by id 25–30% faster than Go's default pacing, and 16 MiB ~20%. 32 MiB
// left the process 111 MiB resident after the query set, 24 MiB 109 (the
// limit that backs the target makes the runtime return freed memory).
const defaultGCHeapTargetMiB = 24

// command is a subcommand: its name and arguments, one line saying what it
// does, its flags, and what it runs.
type command struct {
	name, args, summary string
	flags               []func(*flag.FlagSet, *config)
	run                 func(ctx context.Context, c *config, args []string, stdout, stderr io.Writer) error
}

// commands are the subcommands, in the order help lists them.
var commands = []command{
	{"serve", "", "run the server (the default when no command is given)", []func(*flag.FlagSet, *config){dbFlags, tokenFlags, serveFlags}, serveCmd},
	{"token", "", "print a fresh admin token for the default pool (or -pool ID)", []func(*flag.FlagSet, *config){dbFlags, tokenFlags, poolFlag}, tokenCmd},
	{"pool create", "NAME", "create a user pool; print its id, name and secret (shown once) as JSON", []func(*flag.FlagSet, *config){dbFlags}, poolCreateCmd},
	{"pool list", "", "list the user pools, one JSON object a line", []func(*flag.FlagSet, *config){dbFlags}, poolListCmd},
	{"pool rotate-secret", "ID", "give a pool a new secret (printed once); its old admin tokens stop working", []func(*flag.FlagSet, *config){dbFlags}, rotateSecretCmd},
	{"apikey create", "", "create an API key (-pool, -name, -scopes, -expires); print it once as JSON", []func(*flag.FlagSet, *config){dbFlags, poolFlag, apiKeyFlags}, apiKeyCreateCmd},
	{"apikey list", "", "list a pool's API keys (-pool), one JSON object a line; never the keys", []func(*flag.FlagSet, *config){dbFlags, poolFlag}, apiKeyListCmd},
	{"apikey revoke", "ID", "revoke an API key of a pool (-pool)", []func(*flag.FlagSet, *config){dbFlags, poolFlag}, apiKeyRevokeCmd},
	{"export", "", "write a pool (-pool) as NDJSON to stdout: definitions, then every user with password hash, memberships and custom data", []func(*flag.FlagSet, *config){dbFlags, poolFlag}, exportCmd},
	{"import", "", "read NDJSON (stdin, or -in FILE) into a pool (-pool): every line is checked before any is written; progress on stderr; -dry-run only checks", []func(*flag.FlagSet, *config){dbFlags, poolFlag, inFlag}, importCmd},
	{"migrate", "", "apply the database schema's pending migrations (serve does it at start); -dry-run lists them", []func(*flag.FlagSet, *config){dbFlags, dryRunFlag}, migrateCmd},
	{"schema", "", "print the GraphQL schema (SDL)", nil, schemaCmd},
	{"version", "", "print the version, VCS revision and Go version", nil, versionCmd},
	{"help", "[COMMAND]", "list the commands, or show one command's flags", nil, nil},
}

func apiKeyFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.keyName, "name", "", "the key's name, unique in the pool")
	fs.StringVar(&c.keyScopes, "scopes", "", "comma-separated scopes, e.g. users:read,groups:*")
	fs.DurationVar(&c.keyExpires, "expires", 0, "how long the key works; 0 for no expiry")
}

func inFlag(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.in, "in", "-", "the NDJSON file to read; - for stdin")
	fs.BoolVar(&c.dryRun, "dry-run", false, "check every line and print what the import would create or refuse, as JSON; write nothing")
}

func dryRunFlag(fs *flag.FlagSet, c *config) {
	fs.BoolVar(&c.dryRun, "dry-run", false, "list the migrations that would run, and run none")
}

// migrateCmd applies the pending migrations, or lists them (-dry-run),
// one file name a line.
func migrateCmd(ctx context.Context, c *config, _ []string, stdout, stderr io.Writer) error {
	log, _, err := newLogger(c, stderr)
	if err != nil {
		return err
	}
	if path, ok := db.SQLiteFile(c.dsn); ok && c.dryRun {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no database at %s (a dry run creates none): every migration would run", path)
		}
	}
	d, err := db.Open(ctx, c.dsn, db.Options{Logger: log})
	if err != nil {
		return err
	}
	defer d.Close()
	pending, err := db.PendingMigrations(ctx, d)
	if err != nil {
		return err
	}
	for _, name := range pending {
		fmt.Fprintln(stdout, name)
	}
	if c.dryRun {
		if len(pending) == 0 {
			fmt.Fprintln(stderr, "the schema is up to date: nothing would run")
		}
		return nil
	}
	if err := db.Migrate(ctx, d); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "applied %d migrations\n", len(pending))
	return nil
}

func poolFlag(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.pool, "pool", "", "user pool id (default: the default pool)")
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "usergraph:", err)
		os.Exit(1)
	}
}

// run runs the command args name. Help is not an error: `-h`, `help` and
// `COMMAND -h` print to stdout and return nil.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			if len(args) > 1 && args[0] == "help" {
				return run(ctx, append(args[1:len(args):len(args)], "-h"), stdout, stderr)
			}
			usage(stdout)
			return nil
		case "-version", "--version":
			return versionCmd(ctx, nil, nil, stdout, stderr)
		}
	}
	cmd, rest, err := findCommand(args)
	if err != nil {
		return err
	}
	var c config
	fs := flag.NewFlagSet("usergraph "+cmd.name, flag.ContinueOnError)
	// The flag package would print its error and the whole usage to
	// stderr, and -h's usage there too: help goes once to stdout, and an
	// error once, by main, with a pointer to the help.
	fs.SetOutput(io.Discard)
	for _, f := range cmd.flags {
		f(fs, &c)
	}
	pos, err := parseInterleaved(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		commandUsage(stdout, cmd, fs)
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w (see usergraph %s -h)", err, cmd.name)
	}
	given := map[string]bool{} // the flags the command line gave, before the environment fills others
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if err := applyEnv(fs); err != nil {
		return err
	}
	if err := checkFlags(fs, &c, given); err != nil {
		return err
	}
	warnUnknownEnv(stderr)
	if want := len(strings.Fields(cmd.args)); strings.HasPrefix(cmd.args, "[") {
		if len(pos) > want {
			return fmt.Errorf("usage: usergraph %s %s", cmd.name, cmd.args)
		}
	} else if len(pos) != want {
		return fmt.Errorf("usage: usergraph %s %s", cmd.name, cmd.args)
	}
	if cmd.name != "serve" {
		ctx = db.WithActor(ctx, model.CLIActor, cmd.name) // what a command changes is audited as the CLI's
	}
	return cmd.run(ctx, &c, pos, stdout, stderr)
}

// findCommand finds the command args start with (two words for pool
// commands); no command, or flags first, is serve.
func findCommand(args []string) (command, []string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return commands[0], args, nil
	}
	var group []string // the commands args[0] begins, when it names a group (pool, apikey)
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name && c.run != nil {
			return c, args[len(words):], nil
		}
		if len(words) > 1 && words[0] == args[0] {
			group = append(group, words[1])
		}
	}
	if len(group) > 0 {
		return command{}, nil, fmt.Errorf("usage: usergraph %s %s: see usergraph help", args[0], strings.Join(group, "|"))
	}
	return command{}, nil, fmt.Errorf("unknown command %q: see usergraph help", strings.Join(args[:min(2, len(args))], " "))
}

// flagRules are the values each flag refuses, beyond its type: a limit of
// 0 or below would otherwise fall back to the default unseen (or turn a
// bound off), so nonsense is refused at start, naming the flag.
var flagRules = map[string]func(c *config) string{
	"max-complexity":       func(c *config) string { return atLeast1(int64(c.limits.MaxComplexity)) },
	"max-depth":            func(c *config) string { return atLeast1(int64(c.limits.MaxDepth)) },
	"max-rows":             func(c *config) string { return atLeast1(c.limits.MaxRows) },
	"max-body-bytes":       func(c *config) string { return atLeast1(c.limits.MaxBodyBytes) },
	"auth-failure-burst":   func(c *config) string { return atLeast1(int64(c.throttle.PerClient)) },
	"request-timeout":      func(c *config) string { return positive(c.limits.RequestTimeout) },
	"auth-failure-refill":  func(c *config) string { return positive(c.throttle.ClientEvery) },
	"token-ttl":            func(c *config) string { return positive(c.tokenTTL) },
	"user-token-ttl":       func(c *config) string { return positive(c.userTokenTTL) },
	"sdk-token-ttl":        func(c *config) string { return positive(c.sdkTokenTTL) },
	"audit-retention":      func(c *config) string { return notNegative(int64(c.auditRetention)) },
	"drain-delay":          func(c *config) string { return notNegative(int64(c.drainDelay)) },
	"db-conn-max-lifetime": func(c *config) string { return notNegative(int64(c.connLifetime)) },
	"db-max-open-conns":    func(c *config) string { return notNegative(int64(c.maxOpenConns)) },
	"db-max-idle-conns":    func(c *config) string { return notNegative(int64(c.maxIdleConns)) },
	"gc-heap-target-mib":   func(c *config) string { return notNegative(int64(c.gcHeapTargetMiB)) },
	"expires":              func(c *config) string { return notNegative(int64(c.keyExpires)) },
	"cors-origins":         func(c *config) string { return badOrigins(c.corsOrigins) },
}

func atLeast1(n int64) string {
	if n < 1 {
		return "must be at least 1"
	}
	return ""
}

func positive(d time.Duration) string {
	if d <= 0 {
		return "must be a positive duration, such as 30s or 1h"
	}
	return ""
}

func notNegative(n int64) string {
	if n < 0 {
		return "must not be negative"
	}
	return ""
}

// badOrigins checks -cors-origins: "*", or origins as browsers send them
// (http or https, a host, an optional port, nothing after).
func badOrigins(list string) string {
	for _, o := range strings.Split(list, ",") {
		if o = strings.TrimSpace(o); o == "" || o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Sprintf("%q is not an origin: give scheme://host[:port], such as https://admin.example.com, or *", o)
		}
	}
	return ""
}

// checkFlags applies flagRules to the command's flags, naming the flag (and
// the environment variable, when the value came from it).
func checkFlags(fs *flag.FlagSet, c *config, given map[string]bool) error {
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		rule, ok := flagRules[f.Name]
		if !ok {
			return
		}
		if msg := rule(c); msg != "" {
			from := "-" + f.Name
			if env, ok := envNames[f.Name]; ok && !given[f.Name] {
				if _, set := os.LookupEnv(env); set {
					from = env
				}
			}
			errs = append(errs, fmt.Errorf("%s %s: %s", from, f.Value, msg))
		}
	})
	return errors.Join(errs...)
}

// otherEnv are USERGRAPH_ variables that are not the server's but are
// expected beside it: the TypeScript client's, the tests' and the
// benchmarks'.
var otherEnv = []string{"USERGRAPH_URL", "USERGRAPH_POOL_ID", "USERGRAPH_SECRET", "USERGRAPH_TOKEN", "USERGRAPH_TEST_", "USERGRAPH_BENCH_", "USERGRAPH_COOKBOOK_"}

// warnUnknownEnv warns, in one line, of USERGRAPH_ variables the server
// does not know: a misspelt one (USERGRAPH_ADRR) would otherwise leave its
// setting at the default unseen.
func warnUnknownEnv(stderr io.Writer) {
	known := map[string]bool{}
	for _, v := range envNames {
		known[v] = true
	}
	var unknown []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "USERGRAPH_") || known[name] ||
			slices.ContainsFunc(otherEnv, func(p string) bool { return name == p || (strings.HasSuffix(p, "_") && strings.HasPrefix(name, p)) }) {
			continue
		}
		unknown = append(unknown, name)
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		fmt.Fprintf(stderr, "usergraph: warning: ignoring unknown environment variables %s (see usergraph help for the known ones)\n", strings.Join(unknown, ", "))
	}
}

// parseInterleaved parses flags that may come before or after positional
// arguments (usergraph pool create NAME -db x.db) and returns the
// positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
}

// applyEnv sets each flag not given on the command line from its
// environment variable, refusing a value the flag would refuse.
func applyEnv(fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name, ok := envNames[f.Name]
		if !ok || given[f.Name] {
			return
		}
		if v, set := os.LookupEnv(name); set {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %v", name, v, unwrapFlagErr(err)))
			}
		}
	})
	return errors.Join(errs...)
}

// unwrapFlagErr drops the flag package's "parse error" wording.
func unwrapFlagErr(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}

// usage lists the commands, one line each.
func usage(w io.Writer) {
	fmt.Fprintln(w, "usergraph: a user directory and authorization server with a GraphQL API.")
	fmt.Fprintln(w, "\nUsage: usergraph [COMMAND] [FLAGS]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-28s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	fmt.Fprintln(w, "\nRun 'usergraph COMMAND -h' for a command's flags; every flag can also be set by the environment variable named beside it.")
}

// commandUsage shows one command and its own flags, with their variables.
func commandUsage(w io.Writer, cmd command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: usergraph %s\n\n%s.\n", strings.Join(strings.Fields(cmd.name+" "+cmd.args+" [FLAGS]"), " "), cmd.summary)
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		if n == 0 {
			fmt.Fprintln(w, "\nFlags:")
		}
		n++
		def := ""
		if f.DefValue != "" && f.DefValue != "0" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		env := ""
		if e, ok := envNames[f.Name]; ok {
			env = " [" + e + "]"
		}
		fmt.Fprintf(w, "  -%-22s %s%s%s\n", f.Name, f.Usage, def, env)
	})
}

// newLogger is the server's log, rate-limited per message, and, when
// access is set, the access log, which is not (every request gets its
// line; a line holds no request content).
func newLogger(c *config, w io.Writer) (log, access *slog.Logger, err error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, nil, fmt.Errorf("-log-level %q: %w", c.logLevel, err)
	}
	opts := &slog.HandlerOptions{Level: l}
	var h slog.Handler
	switch c.logFormat {
	case "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, nil, fmt.Errorf("-log-format %q: text or json", c.logFormat)
	}
	// At most 20 lines of one message at once, then one a second: a flood
	// of refused requests or slow statements cannot fill the disk.
	return slog.New(ratelog.New(h, 20, time.Second)), slog.New(h), nil
}

// app is an opened, migrated database with its store and token signer.
type app struct {
	db     *db.DB
	store  *db.Store
	hasher *password.Hasher
	signer *auth.Signer
	log    *slog.Logger
}

// open connects, migrates and loads the signing key. When the database has
// no user pool yet it creates the default pool and writes its credentials to
// announce — the only time the secret is ever shown. Commands other than
// serve refuse a SQLite file that does not exist rather than make one (a
// token from a new database would be refused by the running server).
func open(ctx context.Context, c *config, announce, logw io.Writer, mustExist bool, m *metrics.Metrics) (*app, error) {
	log, _, err := newLogger(c, logw)
	if err != nil {
		return nil, err
	}
	if path, ok := db.SQLiteFile(c.dsn); ok && mustExist {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no database at %s: start the server there first, or name it with -db", path)
		}
	}
	opt := db.Options{MaxOpenConns: c.maxOpenConns, MaxIdleConns: c.maxIdleConns, ConnMaxLifetime: c.connLifetime, Logger: log}
	if m != nil {
		opt.Observe = m.Statement
	}
	d, err := db.Open(ctx, c.dsn, opt)
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
	return &app{db: d, store: store, hasher: hasher, log: log,
		signer: auth.NewSigner(key, c.tokenTTL).WithUserTTL(c.userTokenTTL)}, nil
}

// serveCmd runs the server until SIGINT or SIGTERM.
//
// /metrics is served on the main address unless -metrics-addr names
// another: one port is all a container needs, and the series hold no
// secret and no pool id; a separate address keeps them off a public
// listener when that matters.
func serveCmd(ctx context.Context, c *config, _ []string, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if c.gcHeapTargetMiB < 0 {
		return fmt.Errorf("-gc-heap-target-mib must be 0 or more, not %d", c.gcHeapTargetMiB)
	}
	pacer := gcpace.Start(uint64(c.gcHeapTargetMiB) << 20)
	defer pacer.Stop()
	gc := fmt.Sprintf("paced to a %d MiB heap", c.gcHeapTargetMiB)
	if pacer == nil {
		gc = "Go's own pacing"
	}
	m := metrics.New()
	a, err := open(ctx, c, stdout, stderr, false, m)
	if err != nil {
		return err
	}
	defer a.db.Close()
	_, access, _ := newLogger(c, stderr)
	a.hasher.ObserveWaits(m.HashWaited)
	m.Gauge("usergraph_password_hash_queue", "Password hashes waiting for a free core.", nil, func() float64 { return float64(a.hasher.Waiting()) })
	for _, state := range []string{"open", "in_use", "idle"} {
		m.Gauge("usergraph_db_connections", "Database connections by state.", map[string]string{"state": state}, func() float64 {
			open, inUse, idle := a.db.ConnStats()
			return float64(map[string]int{"open": open, "in_use": inUse, "idle": idle}[state])
		})
	}
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
	var shuttingDown atomic.Bool
	keys, err := authing.LoadKeys(ctx, a.store)
	if err != nil {
		return fmt.Errorf("loading the Authing password key: %w", err)
	}
	srv := &http.Server{
		Handler: graph.NewHandler(graph.Options{Store: a.store, Signer: a.signer, CORSOrigins: origins, Logger: a.log,
			Limits: limits, Throttle: c.throttle, Metrics: m, MetricsElsewhere: c.metricsAddr != "", AccessLog: access,
			ShuttingDown: &shuttingDown, Dialects: []graph.Dialect{&authing.Dialect{Keys: keys, TokenTTL: c.sdkTokenTTL}}}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      limits.RequestTimeout + writeGrace,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	// Bind first: a busy port is one clear error, and "listening" is only
	// said once it is true.
	l, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.addr, err)
	}
	servers := []*http.Server{srv}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(l) }()
	if c.metricsAddr != "" {
		ml, err := net.Listen("tcp", c.metricsAddr)
		if err != nil {
			l.Close()
			return fmt.Errorf("listen on %s for metrics: %w", c.metricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", graph.OnlyParams(m.Handler()))
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, msrv)
		go func() { errc <- msrv.Serve(ml) }()
	}
	if c.auditRetention > 0 {
		go pruneAudit(ctx, a.store, c.auditRetention, a.log)
	}
	go tidySearch(ctx, a.db, a.log)
	addr := l.Addr().String()
	a.log.Info("usergraph listening", "addr", addr, "playground", "http://localhost:"+addr[strings.LastIndex(addr, ":")+1:]+"/",
		"db", a.db.Engine(), "metrics", firstNonEmpty(c.metricsAddr, addr)+"/metrics", "gc", gc)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shuttingDown.Store(true) // /readyz fails from now on
	if c.drainDelay > 0 {
		a.log.Info("draining: /readyz fails; still serving", "for", c.drainDelay)
		time.Sleep(c.drainDelay)
	}
	a.log.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace(limits))
	defer cancel()
	var errs []error
	for _, s := range servers {
		errs = append(errs, s.Shutdown(shutdownCtx))
	}
	return errors.Join(errs...) // the deferred Close checkpoints and closes the database
}

// pruneAudit deletes audit records older than retention, now and then
// every tenth of it (at least every second, at most every hour), until ctx
// ends. The store deletes in small batches, each its own transaction, so
// writers never wait long; every replica may prune, harmlessly.
func pruneAudit(ctx context.Context, store *db.Store, retention time.Duration, log *slog.Logger) {
	every := min(max(retention/10, time.Second), time.Hour)
	for {
		n, err := store.PruneAudit(ctx, time.Now().Add(-retention), 500)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("audit pruning failed; will retry", "err", err)
		case n > 0:
			log.Info("pruned audit records", "deleted", n, "older than", retention)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// searchTidyEvery is how often the server merges the search indexes on
// SQLite, or samples which trigrams are common on PostgreSQL
// (db.TidySearch). A pass over a merged index costs one short transaction
// per table; over a fragmented one of a million users, about 3 s of the
// writer's time in steps of a few milliseconds. A sample reads about
// 10,000 users (0.3 s at a million).
const searchTidyEvery = time.Hour

// tidySearch merges the search indexes (or samples them) at start, so that
// a database loaded or grown by many writes is searched fast, and then
// every searchTidyEvery.
func tidySearch(ctx context.Context, d *db.DB, log *slog.Logger) {
	for {
		start := time.Now()
		steps, err := d.TidySearch(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("tidying the search index failed; will retry", "err", err)
		case steps > 0:
			log.Info("merged the search index", "steps", steps, "duration", time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(searchTidyEvery):
		}
	}
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

// tokenCmd prints a fresh admin token.
func tokenCmd(ctx context.Context, c *config, _ []string, stdout, stderr io.Writer) error {
	return withApp(ctx, c, stderr, true, func(a *app) error {
		p, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		t, err := a.signer.AdminToken(p.ID, p.SecretGeneration)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, t.Token)
		return err
	})
}

// poolOut is how pool commands print a pool: one JSON object, keys in this
// order.
type poolOut struct {
	UserPoolID string     `json:"userPoolId"`
	Name       string     `json:"name,omitempty"`
	IsDefault  *bool      `json:"isDefault,omitempty"`
	CreatedAt  *time.Time `json:"createdAt,omitempty"`
	Secret     string     `json:"secret,omitempty"`
}

func poolCreateCmd(ctx context.Context, c *config, args []string, stdout, stderr io.Writer) error {
	return withApp(ctx, c, stderr, false, func(a *app) error {
		p, secret, err := a.store.CreatePool(ctx, args[0])
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(poolOut{UserPoolID: p.ID, Name: p.Name, Secret: secret})
	})
}

func poolListCmd(ctx context.Context, c *config, _ []string, stdout, stderr io.Writer) error {
	return withApp(ctx, c, stderr, true, func(a *app) error {
		pools, err := a.store.ListPools(ctx)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		for _, p := range pools {
			if err := enc.Encode(poolOut{UserPoolID: p.ID, Name: p.Name, IsDefault: &p.IsDefault, CreatedAt: &p.CreatedAt}); err != nil {
				return err
			}
		}
		return nil
	})
}

// rotateSecretCmd gives a pool a new secret and prints it; admin tokens
// minted from the old one stop working (on running servers within
// seconds).
func rotateSecretCmd(ctx context.Context, c *config, args []string, stdout, stderr io.Writer) error {
	return withApp(ctx, c, stderr, true, func(a *app) error {
		secret, err := a.store.RotatePoolSecret(ctx, args[0])
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(poolOut{UserPoolID: args[0], Secret: secret})
	})
}

func schemaCmd(_ context.Context, _ *config, _ []string, stdout, _ io.Writer) error {
	_, err := io.WriteString(stdout, graph.SDL())
	return err
}

// versionCmd prints what the binary was built from, as the Go toolchain
// recorded it.
func versionCmd(_ context.Context, _ *config, _ []string, stdout, _ io.Writer) error {
	_, err := fmt.Fprintln(stdout, version())
	return err
}

// version describes the build: module version, VCS revision and time
// (when built from a checkout), and the Go version.
func version() string {
	v, rev, at, dirty := "(devel)", "unknown", "", ""
	goVersion := runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		goVersion = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = " " + s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = " (modified)"
				}
			}
		}
	}
	return fmt.Sprintf("usergraph %s, revision %s%s%s, %s %s/%s", v, rev, at, dirty, goVersion, runtime.GOOS, runtime.GOARCH)
}

// withApp opens the database (see open), runs f, and closes it.
func withApp(ctx context.Context, c *config, stderr io.Writer, mustExist bool, f func(a *app) error) error {
	a, err := open(ctx, c, stderr, stderr, mustExist, nil)
	if err != nil {
		return err
	}
	defer a.db.Close()
	return f(a)
}

// commandPool is the pool a command acts on: -pool, or the default pool.
func commandPool(ctx context.Context, a *app, c *config) (*model.UserPool, error) {
	if c.pool != "" {
		return a.store.Pool(ctx, c.pool)
	}
	p, err := a.store.DefaultPool(ctx)
	if err != nil {
		return nil, fmt.Errorf("no default pool: %w", err)
	}
	return p, nil
}

// apiKeyOut is how apikey commands print a key: one JSON object, keys in
// this order; the key itself only when just created.
type apiKeyOut struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	Key        string     `json:"key,omitempty"`
	CreatedAt  time.Time  `json:"createdAt"`
	ExpiresAt  *time.Time `json:"expiresAt"`
	LastUsedAt *time.Time `json:"lastUsedAt"`
	RevokedAt  *time.Time `json:"revokedAt"`
}

func keyOut(k *model.APIKey, key string) apiKeyOut {
	return apiKeyOut{ID: k.ID, Name: k.Name, Scopes: k.Scopes, Key: key, CreatedAt: k.CreatedAt,
		ExpiresAt: k.ExpiresAt, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt}
}

func apiKeyCreateCmd(ctx context.Context, c *config, _ []string, stdout, stderr io.Writer) error {
	return withApp(ctx, c, stderr, true, func(a *app) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		var expires *time.Time
		if c.keyExpires > 0 {
			t := time.Now().UTC().Add(c.keyExpires)
			expires = &t
		}
		var scopes []string
		for _, s := range strings.Split(c.keyScopes, ",") {
			if s = strings.TrimSpace(s); s != "" {
				scopes = append(scopes, s)
			}
		}
		k, key, err := a.store.CreateAPIKey(ctx, pool.ID, c.keyName, scopes, expires)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(keyOut(k, key))
	})
}

// exportCmd writes a pool as NDJSON (see package transfer).
func exportCmd(ctx context.Context, c *config, _ []string, stdout, stderr io.Writer) error {
	return withApp(ctx, c, stderr, true, func(a *app) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(stdout, 1<<16)
		n, err := transfer.Export(ctx, a.store, pool.ID, w)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "exported %d users\n", n)
		return w.Flush()
	})
}

// importCmd reads NDJSON into a pool (see package transfer). Bad lines are
// listed on stderr, one a line, and nothing is written.
func importCmd(ctx context.Context, c *config, _ []string, stdout, stderr io.Writer) error {
	var r io.Reader = os.Stdin
	if c.in != "-" {
		f, err := os.Open(c.in)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	return withApp(ctx, c, stderr, true, func(a *app) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		if c.dryRun {
			plan, err := transfer.DryRun(ctx, a.store, pool.ID, r)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(plan); err != nil {
				return err
			}
			if !plan.Accepted {
				return fmt.Errorf("the import would be refused: %d bad lines", len(plan.Refused))
			}
			return nil
		}
		rep, err := transfer.Import(ctx, a.store, pool.ID, r, func(done, total int, rate float64) {
			fmt.Fprintf(stderr, "imported %d of %d users (%.0f/s)\n", done, total, rate)
		})
		var bad *transfer.Invalid
		if errors.As(err, &bad) {
			for _, l := range bad.Lines {
				fmt.Fprintln(stderr, l)
			}
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %d users and %d definitions\n", rep.Users, rep.Definitions)
		// An import writes the search index in many parts; merge them now
		// rather than at the server's next pass (the users are in either way).
		if _, err := a.db.TidySearch(ctx); err != nil {
			fmt.Fprintf(stderr, "the search index is not merged yet (the server will do it): %v\n", err)
		}
		return nil
	})
}

func apiKeyListCmd(ctx context.Context, c *config, _ []string, stdout, stderr io.Writer) error {
	return withApp(ctx, c, stderr, true, func(a *app) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		keys, err := a.store.APIKeys(ctx, pool.ID)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		for _, k := range keys {
			if err := enc.Encode(keyOut(k, "")); err != nil {
				return err
			}
		}
		return nil
	})
}

func apiKeyRevokeCmd(ctx context.Context, c *config, args []string, stdout, stderr io.Writer) error {
	return withApp(ctx, c, stderr, true, func(a *app) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		k, err := a.store.RevokeAPIKey(ctx, pool.ID, args[0])
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(keyOut(k, ""))
	})
}
