// Package httpapi is usergraph's HTTP face: the handler and its routes
// (/graphql, the playground, export and import, health, readiness,
// metrics), the GraphQL transport, the request pipeline every API request
// takes (deadline, row budget, body bound, authentication, loaders,
// metrics and access log), and the Dialect API through which another API
// (internal/authing) is served over the same resolvers and rules.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/rs/cors"

	"usergraph/db"
	"usergraph/graph"
	"usergraph/internal/auth"
	"usergraph/internal/console"
	"usergraph/internal/events"
	"usergraph/internal/httpapi/playground"
	"usergraph/internal/metrics"
	"usergraph/internal/operator"
	"usergraph/internal/webhook"
)

// Options is what NewHandler needs.
type Options struct {
	Store  *db.Store
	Signer *auth.Signer
	// CORSOrigins are the browser origins allowed to call the API. Empty
	// allows none: no CORS header is sent. "*" allows any origin (never
	// with credentials), and only when given explicitly.
	CORSOrigins []string
	Logger      *slog.Logger
	// CountLimit is how far user listings count unless asked for an exact
	// count; 0 means model.CountLimit.
	CountLimit int64
	// Limits bound what one request may cost; zero fields take
	// DefaultLimits.
	Limits graph.Limits
	// Throttle bounds failed accessToken attempts; zero fields take
	// DefaultThrottle.
	Throttle auth.Throttle
	// PoolCheckTTL is how long this process trusts its last look at a
	// pool's secret generation (see poolCheck); 0 means 2 seconds.
	PoolCheckTTL time.Duration
	// Metrics, when set, counts requests (and is served at /metrics unless
	// MetricsElsewhere).
	Metrics          *metrics.Metrics
	MetricsElsewhere bool
	// AccessLog, when set, gets one line per API request.
	AccessLog *slog.Logger
	// ShuttingDown, when set and true, makes /readyz fail, so a load
	// balancer stops sending requests while in-flight ones finish.
	ShuttingDown *atomic.Bool
	// MaxImportBytes bounds a POST /import body; 0 means 1 GiB (about 4
	// million users as an export writes them).
	MaxImportBytes int64
	// Dialects are further APIs over the same resolvers and request
	// pipeline, such as the Authing-compatible one (internal/authing); each
	// mounts its own routes.
	Dialects []Dialect
	// GqlgenReads serves queries with gqlgen's executor instead of the
	// planned one (graph.Config.GqlgenReads).
	GqlgenReads bool
	// Events, when set, serves subscriptions (WebSocket and SSE on
	// /graphql); its Run must be running. Webhooks, when set, manages and
	// pings endpoints; its Run delivers.
	Events   *events.Hub
	Webhooks *webhook.Service
	// Operators checks operator tokens (graph.Config.Operators).
	Operators *operator.Verifier
}

// NewHandler returns usergraph's HTTP handler: GraphQL at /graphql (GET and
// POST), the GraphiQL playground at /, the admin console at /console/, a
// pool's export and import at
// /export and /import (transfer.go), liveness at /healthz, readiness at
// /readyz, and Prometheus metrics at /metrics (when Metrics is set and not
// served elsewhere).
func NewHandler(cfg Options) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	g := graph.New(graph.Config{Store: cfg.Store, Signer: cfg.Signer, CountLimit: cfg.CountLimit, Limits: cfg.Limits,
		Throttle: cfg.Throttle, PoolCheckTTL: cfg.PoolCheckTTL, Logger: cfg.Logger, GqlgenReads: cfg.GqlgenReads,
		Events: cfg.Events, Webhooks: cfg.Webhooks, Operators: cfg.Operators})
	a := &API{g: g, cfg: cfg, limits: g.Limits()}

	mux := http.NewServeMux()
	plain := a.GraphQL(g.Executable(), writeResponse)
	if cfg.Events == nil {
		mux.Handle("/graphql", plain)
	} else {
		ws, sse := a.webSocket(g.Executable(), cfg.Events), a.serverSentEvents(g.Executable(), cfg.Events)
		mux.Handle("/graphql", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case isWebSocket(r):
				ws.ServeHTTP(w, r)
			case isSSE(r):
				sse.ServeHTTP(w, r)
			default:
				plain.ServeHTTP(w, r)
			}
		}))
	}
	for _, d := range cfg.Dialects {
		d.Mount(mux, a)
	}
	if cfg.MaxImportBytes <= 0 {
		cfg.MaxImportBytes = 1 << 30
	}
	mux.Handle("GET /export", exportHandler(g, cfg.Logger))
	mux.Handle("POST /import", importHandler(g, cfg.MaxImportBytes, cfg.Logger))
	// The playground page takes ?query= (a link that opens it with a
	// document); its assets take nothing.
	mux.Handle("GET /{$}", OnlyParams(playground.Handler(), "query"))
	mux.Handle("GET /playground/", OnlyParams(playground.Handler()))
	// The admin console: its page takes what an OpenID Connect provider
	// redirects back with (code, state, …), so no parameter check.
	con := console.Handler(cfg.Store.OperatorIssuers)
	mux.Handle("GET /console", con)
	mux.Handle("GET /console/", con)
	// /healthz: the process is up (liveness). /readyz: the database
	// answers, holds this binary's schema, and the server is not shutting
	// down (readiness).
	mux.Handle("GET /healthz", OnlyParams(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})))
	mux.Handle("GET /readyz", OnlyParams(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if cfg.ShuttingDown != nil && cfg.ShuttingDown.Load() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
		defer cancel()
		if err := cfg.Store.Ready(ctx); err != nil {
			cfg.Logger.WarnContext(ctx, "not ready", "err", err)
			http.Error(w, "database unavailable or not migrated", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})))
	if cfg.Metrics != nil && !cfg.MetricsElsewhere {
		mux.Handle("GET /metrics", OnlyParams(cfg.Metrics.Handler()))
	}
	if len(cfg.CORSOrigins) == 0 {
		return mux // rs/cors reads an empty list as "every origin"
	}
	return cors.New(cors.Options{
		AllowedOrigins:   cfg.CORSOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   []string{"Authorization", "Content-Type"},
		AllowCredentials: false,
		MaxAge:           600,
	}).Handler(mux)
}
