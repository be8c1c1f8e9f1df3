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
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/auth"
	"usergraph/db"
	"usergraph/graph/exec"
	"usergraph/graph/playground"
	"usergraph/model"
)

// Limits on what one request may ask for.
const (
	// MaxBodyBytes bounds a request body (a batch of 1000 users fits).
	MaxBodyBytes = 4 << 20
	// MaxComplexity bounds a query's cost: each field costs 1, and a list
	// field costs its child fields times its page size, so a page of 100
	// users with their nested lists fits but unbounded fan-out does not.
	MaxComplexity = 20_000
)

// Options is what NewHandler needs.
type Options struct {
	Store       *db.Store
	Signer      *auth.Signer
	CORSOrigins []string // allowed browser origins; empty allows none
	Logger      *slog.Logger
	// CountLimit is how far user listings count unless asked for an exact
	// count; 0 means model.CountLimit.
	CountLimit int64
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
	r := &Resolver{Store: cfg.Store, Signer: cfg.Signer, CountLimit: cfg.CountLimit}
	srv := handler.New(exec.NewExecutableSchema(exec.Config{Resolvers: r, Complexity: complexity()}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(extension.FixedComplexityLimit(MaxComplexity))
	srv.AroundRootFields(requireAdmin)
	srv.SetErrorPresenter(presentError(cfg.Logger))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		cfg.Logger.ErrorContext(ctx, "panic in resolver", "panic", p, "path", graphql.GetPath(ctx).String())
		return fmt.Errorf("panic: %v", p)
	})

	mux := http.NewServeMux()
	mux.Handle("/graphql", http.MaxBytesHandler(authenticate(cfg.Signer, withLoaders(cfg.Store, srv)), MaxBodyBytes))
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
	return cors.New(cors.Options{
		AllowedOrigins: cfg.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Authorization", "Content-Type"},
		MaxAge:         600,
	}).Handler(mux)
}

// complexity prices list fields by their page size.
func complexity() exec.ComplexityRoot {
	var c exec.ComplexityRoot
	c.Query.Users = func(child int, page, limit *int, _ *model.UserSort, _ *model.UserFilter, _ *bool) int {
		return listCost(child, limit)
	}
	c.Query.SearchUsers = func(child int, _ string, _ []string, page, limit *int, _, _ *bool) int {
		return listCost(child, limit)
	}
	c.Query.UserBatch = func(child int, ids []string) int { return child * max(len(ids), 1) }
	return c
}

func listCost(child int, limit *int) int {
	n := model.DefaultLimit
	if limit != nil && *limit > 0 {
		n = *limit
	}
	return 1 + child*n
}
