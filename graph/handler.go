package graph

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/auth"
	"usergraph/db"
	"usergraph/graph/exec"
	"usergraph/graph/playground"
	"usergraph/model"
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
	Limits Limits
	// Throttle bounds failed accessToken attempts; zero fields take
	// DefaultThrottle.
	Throttle Throttle
	// PoolCheckTTL is how long this process trusts its last look at a
	// pool's secret generation (see poolCheck); 0 means 2 seconds.
	PoolCheckTTL time.Duration
}

// NewHandler returns usergraph's HTTP handler: GraphQL at /graphql (GET and
// POST), the GraphiQL playground at / and a health check at /healthz.
func NewHandler(cfg Options) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.CountLimit <= 0 {
		cfg.CountLimit = model.CountLimit
	}
	if cfg.PoolCheckTTL <= 0 {
		cfg.PoolCheckTTL = 2 * time.Second
	}
	limits := cfg.Limits.withDefaults()
	r := &Resolver{Store: cfg.Store, Signer: cfg.Signer, CountLimit: cfg.CountLimit,
		throttle: newThrottle(cfg.Throttle), pools: newPoolCheck(cfg.Store, cfg.PoolCheckTTL)}
	srv := handler.New(exec.NewExecutableSchema(exec.Config{Resolvers: r, Complexity: complexity()}))
	srv.AddTransport(httpTransport{maxBody: limits.MaxBodyBytes, log: cfg.Logger})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(operationChecks{maxDepth: limits.MaxDepth})
	srv.Use(extension.FixedComplexityLimit(limits.MaxComplexity))
	srv.AroundRootFields(requireAdmin)
	srv.SetErrorPresenter(presentError(cfg.Logger))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		cfg.Logger.ErrorContext(ctx, "panic in resolver", "panic", p, "path", graphql.GetPath(ctx).String())
		return fmt.Errorf("panic: %v", p)
	})

	var api http.Handler = srv
	api = withLoaders(cfg.Store, api)
	api = authenticate(r, api)
	api = bounded(limits, api)

	mux := http.NewServeMux()
	mux.Handle("/graphql", api)
	pg := playground.Handler()
	mux.Handle("GET /{$}", pg)
	mux.Handle("GET /playground/", pg)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
		defer cancel()
		if err := cfg.Store.Ping(ctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
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

// bounded gives each API request its deadline, which reaches every
// statement and transaction it runs (a write that cannot finish in time
// rolls back), its row budget and a body size bound.
func bounded(l Limits, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), l.RequestTimeout)
		defer cancel()
		ctx = db.WithRowLimit(ctx, l.MaxRows)
		req.Body = http.MaxBytesReader(w, req.Body, l.MaxBodyBytes)
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}
