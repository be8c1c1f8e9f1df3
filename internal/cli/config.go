package cli

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"usergraph/graph"
	"usergraph/internal/auth"
	"usergraph/internal/authing"
	"usergraph/internal/events"
	"usergraph/internal/ratelog"
	"usergraph/internal/reqid"
	"usergraph/internal/webhook"
)

// Config is every setting. Each is a flag with an environment variable
// behind it (envNames); a command registers only the flags it uses.
type Config struct {
	// ConfigFile is the YAML file setting flags (configfile.go).
	ConfigFile string
	// TraceEndpoint is where spans go over OTLP/HTTP (internal/tracing).
	TraceEndpoint string
	// Introspection is -introspection (graph.Limits.NoIntrospection's
	// opposite).
	Introspection bool
	// flags is the command's flag set, after parsing (for config).
	flags                  *flag.FlagSet
	Addr, MetricsAddr      string
	DrainDelay             time.Duration
	DSN                    string
	LogLevel, LogFormat    string
	CORSOrigins            string
	SigningKey             string
	TokenTTL, UserTokenTTL time.Duration
	SDKTokenTTL            time.Duration
	MaxOpenConns           int
	MaxIdleConns           int
	ConnLifetime           time.Duration
	Limits                 graph.Limits
	Throttle               auth.Throttle
	Pool                   string
	KeyName, KeyScopes     string
	KeyExpires             time.Duration
	AuditRetention         time.Duration
	GCHeapTargetMiB        int
	ReadExecutor           string
	Stream                 events.Limits
	Webhooks               webhook.Options
	WebhookAllow           string
	OperatorIssuerAllow    string
	// Operator sign-in (setOperatorSignIn's CLI twin): the provider and its rules.
	Issuer, Audience, ScopesClaim string
	Rules                         []string
	WebhookLogRetention           time.Duration
	In                            string
	DryRun                        bool
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
	"gc-heap-target-mib": "USERGRAPH_GC_HEAP_TARGET_MIB", "read-executor": "USERGRAPH_READ_EXECUTOR",
	"max-subscriptions-per-pool": "USERGRAPH_MAX_SUBSCRIPTIONS_PER_POOL", "max-subscriptions-per-credential": "USERGRAPH_MAX_SUBSCRIPTIONS_PER_CREDENTIAL",
	"max-stream-connections-per-pool": "USERGRAPH_MAX_STREAM_CONNECTIONS_PER_POOL", "max-stream-connections-per-credential": "USERGRAPH_MAX_STREAM_CONNECTIONS_PER_CREDENTIAL",
	"subscription-buffer": "USERGRAPH_SUBSCRIPTION_BUFFER", "subscription-send-timeout": "USERGRAPH_SUBSCRIPTION_SEND_TIMEOUT",
	"webhook-allow": "USERGRAPH_WEBHOOK_ALLOW", "operator-issuer-allow": "USERGRAPH_OPERATOR_ISSUER_ALLOW", "webhook-timeout": "USERGRAPH_WEBHOOK_TIMEOUT", "webhook-retry-base": "USERGRAPH_WEBHOOK_RETRY_BASE",
	"webhook-retry-max": "USERGRAPH_WEBHOOK_RETRY_MAX", "webhook-retry-window": "USERGRAPH_WEBHOOK_RETRY_WINDOW",
	"webhook-disable-after": "USERGRAPH_WEBHOOK_DISABLE_AFTER", "webhook-workers": "USERGRAPH_WEBHOOK_WORKERS",
	"webhook-log-retention": "USERGRAPH_WEBHOOK_LOG_RETENTION", "introspection": "USERGRAPH_INTROSPECTION",
	"max-batch": "USERGRAPH_MAX_BATCH", "config": "USERGRAPH_CONFIG", "trace-endpoint": "USERGRAPH_TRACE_ENDPOINT",
}

// dbFlags are the flags of every command that opens the database.
func dbFlags(fs *flag.FlagSet, c *Config) {
	configFlag(fs, c)
	fs.StringVar(&c.DSN, "db", "usergraph.db", "SQLite file or postgres:// URL")
	fs.StringVar(&c.LogLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.LogFormat, "log-format", "text", "text or json")
	fs.IntVar(&c.MaxOpenConns, "db-max-open-conns", 0, "database connections: SQLite readers or the PostgreSQL pool; 0 picks a default")
	fs.IntVar(&c.MaxIdleConns, "db-max-idle-conns", 0, "idle PostgreSQL connections kept; 0 means as many as -db-max-open-conns")
	fs.DurationVar(&c.ConnLifetime, "db-conn-max-lifetime", 30*time.Minute, "how long a PostgreSQL connection is reused")
}

// tokenFlags are the flags of the commands that mint tokens.
func tokenFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.SigningKey, "signing-key", "", "token signing key, at least 32 bytes; default: generated once and kept in the database")
	fs.DurationVar(&c.TokenTTL, "token-ttl", time.Hour, "admin token lifetime")
	fs.DurationVar(&c.UserTokenTTL, "user-token-ttl", auth.DefaultUserTokenTTL, "user token lifetime, for refreshToken")
}

// serveFlags are the server's own flags.
func serveFlags(fs *flag.FlagSet, c *Config) {
	d, t := graph.DefaultLimits, auth.DefaultThrottle
	fs.StringVar(&c.Addr, "addr", ":8080", "listen address")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", "", "serve /metrics on this address instead of the main one")
	fs.StringVar(&c.CORSOrigins, "cors-origins", "", "comma-separated browser origins allowed to call the API; none by default")
	fs.DurationVar(&c.SDKTokenTTL, "sdk-token-ttl", authing.DefaultTokenTTL, "lifetime of admin tokens from the Authing-compatible API's accessToken (above 1h, or the SDKs fetch one before every call)")
	fs.DurationVar(&c.DrainDelay, "drain-delay", 0, "on SIGTERM, fail /readyz and keep serving this long before closing, so a load balancer stops sending requests")
	fs.IntVar(&c.Limits.MaxComplexity, "max-complexity", d.MaxComplexity, "largest cost one operation may have")
	fs.IntVar(&c.Limits.MaxDepth, "max-depth", d.MaxDepth, "deepest nesting of fields one operation may have")
	fs.Int64Var(&c.Limits.MaxRows, "max-rows", d.MaxRows, "most rows one operation may read")
	fs.Int64Var(&c.Limits.MaxBodyBytes, "max-body-bytes", d.MaxBodyBytes, "largest request body accepted")
	fs.DurationVar(&c.Limits.RequestTimeout, "request-timeout", d.RequestTimeout, "longest a request may run; a write past it rolls back")
	fs.StringVar(&c.TraceEndpoint, "trace-endpoint", "", "send OpenTelemetry spans over OTLP/HTTP to this URL, e.g. http://collector:4318 (OTEL_EXPORTER_OTLP_ENDPOINT works too); off when neither is set")
	fs.IntVar(&c.Limits.MaxBatch, "max-batch", d.MaxBatch, "most operations one batch (a POST of a JSON array) may hold; together they must cost no more than -max-complexity")
	fs.BoolVar(&c.Introspection, "introspection", true, "answer __schema and __type (false for production servers that do not publish their schema)")
	fs.IntVar(&c.Throttle.PerClient, "auth-failure-burst", t.PerClient, "failed accessToken attempts one client address may make at once")
	fs.DurationVar(&c.Throttle.ClientEvery, "auth-failure-refill", t.ClientEvery, "after the burst, one more failed attempt per this interval")
	fs.DurationVar(&c.AuditRetention, "audit-retention", 0, "how long audit records are kept, e.g. 2160h for 90 days; 0 keeps them for good")
	sd := events.DefaultLimits
	fs.IntVar(&c.Stream.SubscriptionsPerPool, "max-subscriptions-per-pool", sd.SubscriptionsPerPool, "live subscriptions one pool may hold on this server")
	fs.IntVar(&c.Stream.SubscriptionsPerCredential, "max-subscriptions-per-credential", sd.SubscriptionsPerCredential, "live subscriptions one credential (API key, or the pool secret's tokens) may hold on this server")
	fs.IntVar(&c.Stream.ConnectionsPerPool, "max-stream-connections-per-pool", sd.ConnectionsPerPool, "WebSocket and SSE connections one pool may hold on this server")
	fs.IntVar(&c.Stream.ConnectionsPerCredential, "max-stream-connections-per-credential", sd.ConnectionsPerCredential, "WebSocket and SSE connections one credential may hold on this server")
	fs.IntVar(&c.Stream.Buffer, "subscription-buffer", sd.Buffer, "events a subscriber may be sent and not yet have read")
	fs.DurationVar(&c.Stream.SendTimeout, "subscription-send-timeout", sd.SendTimeout, "how long a subscriber's buffer may stay full before it is ended with SLOW_CONSUMER (and an SSE write may take)")
	fs.StringVar(&c.WebhookAllow, "webhook-allow", "", "comma-separated hosts and address ranges (10.1.0.0/16) webhooks may be delivered to besides public addresses, for on-premise receivers")
	operatorAllowFlag(fs, c)
	fs.DurationVar(&c.Webhooks.Timeout, "webhook-timeout", 10*time.Second, "longest a webhook delivery attempt may take")
	fs.DurationVar(&c.Webhooks.RetryBase, "webhook-retry-base", 5*time.Second, "delay before a failed delivery's first retry; it doubles with each failure")
	fs.DurationVar(&c.Webhooks.RetryMax, "webhook-retry-max", 2*time.Hour, "longest delay between retries")
	fs.DurationVar(&c.Webhooks.RetryWindow, "webhook-retry-window", 26*time.Hour, "how long after its first attempt a failing delivery is retried before it is given up")
	fs.DurationVar(&c.Webhooks.DisableAfter, "webhook-disable-after", 72*time.Hour, "disable an endpoint whose every attempt has failed for this long")
	fs.IntVar(&c.Webhooks.Workers, "webhook-workers", 16, "webhook delivery attempts made at once by this server")
	fs.DurationVar(&c.WebhookLogRetention, "webhook-log-retention", 7*24*time.Hour, "how long finished deliveries (delivered, or given up) stay in an endpoint's delivery log")
	fs.StringVar(&c.ReadExecutor, "read-executor", "planned", "what serves queries: planned (graph/plan), or gqlgen, its generic executor, slower, for comparing the two")
	fs.IntVar(&c.GCHeapTargetMiB, "gc-heap-target-mib", defaultGCHeapTargetMiB, "heap size in MiB a small live heap may grow to between garbage collections (never collected more often than Go's default would); 0, or GOGC or GOMEMLIMIT in the environment, leaves the collector to Go")
}

// defaultGCHeapTargetMiB is where the collector paces a small heap to
// (gcpace): the smallest target that served reads as fast as larger ones,
// so the process stays small (docs/performance.md has the runs).
const defaultGCHeapTargetMiB = 24

func apiKeyFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.KeyName, "name", "", "the key's name, unique in the pool")
	fs.StringVar(&c.KeyScopes, "scopes", "", "comma-separated scopes, e.g. users:read,groups:*")
	fs.DurationVar(&c.KeyExpires, "expires", 0, "how long the key works; 0 for no expiry")
}

// operatorAllowFlag is the egress allow list of operator identity
// providers: the server's, and the sign-in commands', which ask the
// provider for its discovery document as the server does.
func operatorAllowFlag(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.OperatorIssuerAllow, "operator-issuer-allow", "", "comma-separated hosts and address ranges (10.1.0.0/16) an operator sign-in's identity provider may be at besides public addresses, for an on-premise provider")
}

// signInFlags are the flags of `operator-sign-in set`.
func signInFlags(fs *flag.FlagSet, c *Config) {
	operatorAllowFlag(fs, c)
	fs.StringVar(&c.Issuer, "issuer", "", "the provider's issuer URL, exactly as its tokens' iss claim has it")
	fs.StringVar(&c.Audience, "audience", "", "the audience tokens must be issued for (the console's client id at the provider)")
	fs.StringVar(&c.ScopesClaim, "scopes-claim", "groups", "the claim the rules match: a name, or a dotted path (realm_access.roles)")
	fs.Func("rule", "VALUE=SCOPES: operators whose claim holds VALUE get SCOPES (comma-separated); repeat for each value, e.g. -rule 'usergraph-admins=*' -rule 'helpdesk=users:read,users:write'", func(v string) error {
		if !strings.Contains(v, "=") {
			return fmt.Errorf("want VALUE=SCOPES, e.g. helpdesk=users:read,users:write")
		}
		c.Rules = append(c.Rules, v)
		return nil
	})
}

func inFlag(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.In, "in", "-", "the NDJSON file to read; - for stdin")
	fs.BoolVar(&c.DryRun, "dry-run", false, "check every line and print what the import would create or refuse, as JSON; write nothing")
}

func dryRunFlag(fs *flag.FlagSet, c *Config) {
	fs.BoolVar(&c.DryRun, "dry-run", false, "list the migrations that would run, and run none")
}

func poolFlag(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.Pool, "pool", "", "user pool id (default: the default pool)")
}

// newLogger is the server's log, rate-limited per message, and, when
// access is set, the access log, which is not (every request gets its
// line; a line holds no request content).
func NewLogger(c *Config, w io.Writer) (log, access *slog.Logger, err error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, nil, fmt.Errorf("-log-level %q: %w", c.LogLevel, err)
	}
	opts := &slog.HandlerOptions{Level: l}
	var h slog.Handler
	switch c.LogFormat {
	case "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, nil, fmt.Errorf("-log-format %q: text or json", c.LogFormat)
	}
	// At most 20 lines of one message at once, then one a second: a flood
	// of refused requests or slow statements cannot fill the disk.
	// Lines logged under a request carry its id (reqid); the access
	// line names it itself.
	return slog.New(reqid.Handler(ratelog.New(h, 20, time.Second))), slog.New(h), nil
}
