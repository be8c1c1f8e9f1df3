package graph

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/db"
	"usergraph/graph/exec"
	"usergraph/graph/plan"
	"usergraph/internal/auth"
	"usergraph/internal/events"
	"usergraph/internal/operator"
	"usergraph/internal/webhook"
	"usergraph/model"
)

// Config is what the GraphQL layer needs.
type Config struct {
	Store  *db.Store
	Signer *auth.Signer
	// CountLimit is how far user listings count unless asked for an exact
	// count; 0 means model.CountLimit.
	CountLimit int64
	// Limits bound what one operation may cost; zero fields take
	// DefaultLimits.
	Limits Limits
	// Throttle bounds failed accessToken and verifyPassword attempts;
	// zero fields take auth.DefaultThrottle.
	Throttle auth.Throttle
	// PoolCheckTTL is how long this process trusts its last look at a
	// pool's secret generation (see poolCheck); 0 means 2 seconds.
	PoolCheckTTL time.Duration
	Logger       *slog.Logger
	// GqlgenReads serves queries with gqlgen's own executor instead of the
	// planned one (graph/plan): to compare the two (the differential test,
	// a side-by-side benchmark), never needed to be correct.
	GqlgenReads bool
	// Events follows the change stream for subscriptions (nil: they are
	// refused); Webhooks delivers to endpoints (nil: webhook mutations are
	// refused).
	Events   *events.Hub
	Webhooks *webhook.Service
	// Operators checks operator tokens against pools' OpenID Connect
	// sign-ins (nil: one with the default options).
	Operators *operator.Verifier
}

// Schema is the native GraphQL API: its executable schema over its
// resolvers, and the rules every operation passes — on /graphql, and on a
// dialect that translates to the native operations. The HTTP layer
// (internal/httpapi) serves it; it knows nothing of HTTP.
type Schema struct {
	r      *Resolver
	es     graphql.ExecutableSchema
	limits Limits
	log    *slog.Logger
}

// New makes the native API.
func New(cfg Config) *Schema {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.CountLimit <= 0 {
		cfg.CountLimit = model.CountLimit
	}
	if cfg.PoolCheckTTL <= 0 {
		cfg.PoolCheckTTL = 2 * time.Second
	}
	if cfg.Operators == nil {
		cfg.Operators, _ = operator.New(cfg.Store, operator.Options{Log: cfg.Logger}) // no allow list: cannot fail
	}
	r := &Resolver{Store: cfg.Store, Signer: cfg.Signer, CountLimit: cfg.CountLimit,
		Guard:     auth.NewGuard(cfg.Store, cfg.Signer, cfg.Operators, cfg.Throttle, cfg.PoolCheckTTL),
		Operators: cfg.Operators, Events: cfg.Events, Webhooks: cfg.Webhooks, present: presentError(cfg.Logger)}
	ecfg := exec.Config{Resolvers: r, Complexity: complexity()}
	es := exec.NewExecutableSchema(ecfg)
	if !cfg.GqlgenReads {
		es = plan.Schema(es, plan.New(es.Schema(), exec.NewPlanFields(ecfg)))
	}
	return &Schema{r: r, limits: cfg.Limits.withDefaults(), log: cfg.Logger, es: es}
}

// Executable is the native executable schema (served by the planned
// executor for queries), also what a dialect runs fixed native documents
// on.
func (s *Schema) Executable() graphql.ExecutableSchema { return s.es }

// Resolvers are the native resolvers: a dialect's resolvers call them, so
// validation, pool isolation, auditing and argument paths stay in one place.
func (s *Schema) Resolvers() exec.ResolverRoot { return s.r }

// Store is the store the native resolvers use.
func (s *Schema) Store() *db.Store { return s.r.Store }

// Limits are the limits in force (DefaultLimits for the zero fields).
func (s *Schema) Limits() Limits { return s.limits }

// Logger is where faults are logged.
func (s *Schema) Logger() *slog.Logger { return s.log }

// Executor is anything that runs operations as gqlgen's server and
// executor do.
type Executor interface {
	SetQueryCache(graphql.Cache[*ast.QueryDocument])
	Use(graphql.HandlerExtension)
	AroundRootFields(graphql.RootFieldMiddleware)
	SetErrorPresenter(graphql.ErrorPresenterFunc)
	SetRecoverFunc(graphql.RecoverFunc)
}

// Configure installs what every executor of the API runs, whatever schema
// it executes (the native one, a dialect's): the query cache,
// introspection, persisted queries, the depth and single-accessToken
// checks, the cost limit priced by the schema's complexity functions,
// root-field authorization by the @public and @scope directives, the
// error presenter and panic recovery.
func (s *Schema) Configure(x Executor) {
	x.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if !s.limits.NoIntrospection {
		x.Use(extension.Introspection{})
	}
	x.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	x.Use(newOperationChecks(s.limits.MaxDepth, s.limits.NoIntrospection))
	x.Use(operationSpans{})
	x.Use(newComplexityLimit(s.limits.MaxComplexity))
	x.AroundRootFields(requireAdmin)
	x.SetErrorPresenter(presentError(s.log))
	x.SetRecoverFunc(func(ctx context.Context, p any) error {
		s.log.ErrorContext(ctx, "panic in resolver", "panic", p, "path", graphql.GetPath(ctx).String())
		return fmt.Errorf("panic: %v", p)
	})
}

// Present turns err into the GraphQL error the native API answers with
// (extensions.code, field, index, …), logging internal faults.
func (s *Schema) Present(ctx context.Context, err error) *gqlerror.Error {
	return presentError(s.log)(ctx, err)
}

// ExchangeSecret is the accessToken operation with a token lifetime of the
// caller's choosing (0: the server's): the same throttle on failed
// attempts, the same secret check.
func (s *Schema) ExchangeSecret(ctx context.Context, poolID, secret string, ttl time.Duration) (*auth.Issued, error) {
	return s.r.exchangeSecret(ctx, poolID, secret, ttl)
}

// SecretGuess is a failed secret check from client for pool — an
// accessToken attempt, or a dialect's signed request with a wrong
// signature — drawing on the same throttle (auth.Guard.SecretGuess).
func (s *Schema) SecretGuess(client, poolID string) auth.Guess {
	return s.r.Guard.SecretGuess(client, poolID)
}

// Admin checks an Authorization header's credential (auth.Guard.Admin).
func (s *Schema) Admin(ctx context.Context, header string) (*auth.Principal, error) {
	return s.r.Guard.Admin(ctx, header)
}

// Authenticate checks the request's credential and returns its context
// carrying who it is (or why it was refused) and the client's address,
// with the request's loaders. It refuses nothing itself: requireAdmin
// does, per root field, so @public fields work without one. pool is the
// credential's pool, "" when refused.
func (s *Schema) Authenticate(ctx context.Context, header, clientAddr string) (_ context.Context, pool string) {
	p, err := s.r.Guard.Admin(auth.WithClient(ctx, clientAddr), header)
	ctx, pool = s.AuthenticateAs(ctx, p, err, clientAddr)
	if pool != "" {
		// Kept for a subscription to check again as it runs (stillAdmitted).
		ctx = context.WithValue(ctx, credentialKey, header)
	}
	return ctx, pool
}

// AuthenticateAs is Authenticate for a credential a dialect checked its
// own way (a signed request): ctx carrying p, or err as its refusal, the
// client's address, and the request's loaders.
func (s *Schema) AuthenticateAs(ctx context.Context, p *auth.Principal, err error, clientAddr string) (_ context.Context, pool string) {
	ctx = auth.WithClient(ctx, clientAddr)
	if err != nil || p == nil {
		return auth.WithRefusal(ctx, err), ""
	}
	ctx = auth.WithPrincipal(ctx, p)
	return context.WithValue(ctx, loadersKey, newLoaders(s.r.Store, p.Pool)), p.Pool
}

// FreshLoaders gives ctx loaders of its own: each operation on a
// WebSocket, which authenticated once for all of them, starts with empty
// caches, as each request does.
func (s *Schema) FreshLoaders(ctx context.Context) context.Context {
	if p := auth.PrincipalOf(ctx); p != nil {
		return context.WithValue(ctx, loadersKey, newLoaders(s.r.Store, p.Pool))
	}
	return ctx
}

// PrincipalPool is the pool a request was authenticated as, or an error
// saying why it was not (UNAUTHENTICATED), for routes outside GraphQL,
// where requireAdmin does not run.
func PrincipalPool(ctx context.Context) (pool string, err error) {
	if p := auth.PrincipalOf(ctx); p != nil {
		return p.Pool, nil
	}
	return "", auth.Refusal(ctx)
}

// Credential names the credential a request was authenticated with — the
// pool and the API key, or the pool's secret — for limits kept per
// credential ("" without one).
func Credential(ctx context.Context) string {
	if p := auth.PrincipalOf(ctx); p != nil {
		return p.Pool + "/" + p.Actor.ID
	}
	return ""
}

// PoolID is the user pool of the request's credential ("" without one;
// no row matches it).
func PoolID(ctx context.Context) string { return poolID(ctx) }
