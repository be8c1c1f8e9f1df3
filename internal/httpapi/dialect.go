package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/db"
	"usergraph/graph"
	"usergraph/graph/exec"
	"usergraph/internal/auth"
)

// A Dialect is a further API served beside /graphql over the same
// resolvers: another schema, or REST routes, that translate to the native
// operations rather than re-implement them (internal/authing is one). Through
// API it gets the request pipeline /graphql runs — authentication, pool
// binding, scopes, cost and depth limits, row budget, deadline, loaders,
// metrics and access log — so every rule holds on every API alike.
type Dialect interface {
	// Mount adds the dialect's routes to mux.
	Mount(mux *http.ServeMux, api *API)
}

// API is what a Dialect builds on: the native GraphQL API and the request
// pipeline /graphql runs.
type API struct {
	g      *graph.Schema
	cfg    Options
	limits graph.Limits
}

// ResponseWriter writes a GraphQL response with the HTTP status the native
// transport chose for it. A dialect with its own error envelope passes one
// of its own to GraphQL.
type ResponseWriter func(w http.ResponseWriter, status int, resp *graphql.Response)

// Resolvers are the native resolvers: a dialect's resolvers call them, so
// validation, pool isolation, auditing and argument paths stay in one place.
func (a *API) Resolvers() exec.ResolverRoot { return a.g.Resolvers() }

// Store is the store the native resolvers use.
func (a *API) Store() *db.Store { return a.g.Store() }

// GraphQL serves the executable schema es as /graphql is served: the same
// transport (body bound, coded refusals, nothing logged of what the client
// sent) and the native API's operation rules (graph.Schema.Configure),
// behind the same authentication, loaders and instrumentation. write
// writes each response.
func (a *API) GraphQL(es graphql.ExecutableSchema, write ResponseWriter) http.Handler {
	return a.Wrap(a.Server(es, write))
}

// Server is GraphQL without Wrap, for a dialect that checks something of
// its own between authentication and execution; serve it behind Wrap.
func (a *API) Server(es graphql.ExecutableSchema, write ResponseWriter) http.Handler {
	srv := handler.New(es)
	srv.AddTransport(httpTransport{maxBody: a.limits.MaxBodyBytes, log: a.cfg.Logger, write: write,
		batch: batchOptions{max: a.limits.MaxBatch, maxComplexity: a.limits.MaxComplexity, fresh: a.g.FreshLoaders}})
	a.configure(srv)
	return srv
}

// Executor is es's executor configured as GraphQL's (cost and depth
// limits, root-field authorization, error presenter, panic recovery), for
// running fixed documents in process: a dialect's REST routes, which run
// behind Wrap, answer through it, so they are bound by the same rules as
// the same operation sent as GraphQL.
func (a *API) Executor(es graphql.ExecutableSchema) *executor.Executor {
	x := executor.New(es)
	a.configure(x)
	return x
}

// configure installs the native API's operation rules and the access
// log's response middleware.
func (a *API) configure(x interface {
	graph.Executor
	AroundResponses(graphql.ResponseMiddleware)
}) {
	a.g.Configure(x)
	x.AroundResponses(noteResponse)
}

// Wrap runs h behind the pipeline every API request takes: instrumentation
// (deadline, row budget, body bound, metrics, access log), authentication
// and the request's loaders. h must still refuse a request without a
// principal (see graph.PrincipalPool) where it needs one.
func (a *API) Wrap(h http.Handler) http.Handler {
	return a.outer(authenticate(a.g, h))
}

// outer is what every API request passes before authentication: the
// request's span, outermost (otelhttp: method, route, status; a caller's
// trace context continues; a no-op unless tracing is on), then the
// instrumentation.
func (a *API) outer(h http.Handler) http.Handler {
	return otelhttp.NewHandler(instrumented(a.limits, a.cfg.Metrics, a.cfg.AccessLog, h), "usergraph",
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method + " " + r.URL.Path }))
}

// Authenticator checks a request's credential a dialect's own way (the
// Authing V3 API's signed requests), returning who it is or why not. It
// may read the body, and must leave it readable again.
type Authenticator func(req *http.Request) (*auth.Principal, error)

// WrapWith is Wrap with authn instead of the Authorization bearer check:
// the same instrumentation, loaders and principal in the context, so what
// h runs is authorized, priced and audited as any request is.
func (a *API) WrapWith(h http.Handler, authn Authenticator) http.Handler {
	authenticated := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		p, err := authn(req)
		ctx, pool := a.g.AuthenticateAs(req.Context(), p, err, clientAddr(req))
		if rec := recordOf(ctx); rec != nil && pool != "" {
			rec.pool = pool
		}
		h.ServeHTTP(w, req.WithContext(ctx))
	})
	return a.outer(authenticated)
}

// SecretGuess is a failed secret check by req's client for pool, on the
// throttle accessToken attempts draw on.
func (a *API) SecretGuess(req *http.Request, poolID string) auth.Guess {
	return a.g.SecretGuess(clientAddr(req), poolID)
}

// NativeSchema is the native executable schema, for a dialect that runs
// fixed native documents (through Executor).
func (a *API) NativeSchema() graphql.ExecutableSchema { return a.g.Executable() }

// Limits are the limits in force.
func (a *API) Limits() graph.Limits { return a.limits }

// authenticate puts who the request is (or why it was refused) and its
// loaders in its context (graph.Schema.Authenticate), and its pool in the
// access log's record.
func authenticate(g *graph.Schema, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, pool := g.Authenticate(req.Context(), req.Header.Get("Authorization"), clientAddr(req))
		if rec := recordOf(ctx); rec != nil && pool != "" {
			rec.pool = pool
		}
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// Dispatch runs an accepted operation as the native transport does: a
// request that ended before it ran is answered CANCELLED, never nil.
func (a *API) Dispatch(ctx context.Context, x graphql.GraphExecutor, rc *graphql.OperationContext) *graphql.Response {
	return dispatch(ctx, x, rc, a.cfg.Logger)
}

// Run executes one fixed document with vars through x (an Executor), as
// a transport would hand it over: the variables as plain JSON values (a
// typed nil pointer is not one), the operation traced and dispatched as
// Dispatch does. It is how a dialect's REST routes run the operations
// they translate to.
func (a *API) Run(ctx context.Context, x *executor.Executor, query string, vars map[string]any) (*graphql.Response, error) {
	b, err := json.Marshal(vars)
	if err != nil {
		return nil, err
	}
	var plain map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&plain); err != nil {
		return nil, err
	}
	ctx = graphql.StartOperationTrace(ctx)
	params := &graphql.RawParams{Query: query, Variables: plain}
	params.ReadTime.Start, params.ReadTime.End = graphql.Now(), graphql.Now()
	rc, errs := x.CreateOperationContext(ctx, params)
	if errs != nil {
		return x.DispatchError(graphql.WithOperationContext(ctx, rc), errs), nil
	}
	return a.Dispatch(ctx, x, rc), nil
}

// Present turns err into the GraphQL error the native API would answer
// with (extensions.code, field, index, …), logging internal faults; for
// routes outside GraphQL.
func (a *API) Present(ctx context.Context, err error) *gqlerror.Error {
	return a.g.Present(ctx, err)
}

// Note records the outcome of a request served outside GraphQL for the
// access log and metrics: the operation's name and the code it ended with
// ("" for success).
func Note(ctx context.Context, operation, typ, code string) {
	if rec := recordOf(ctx); rec != nil {
		rec.operation, rec.typ = operation, typ
		if code != "" {
			rec.code = code
		}
	}
}

// ExchangeSecret is the accessToken operation with a token lifetime of the
// caller's choosing (0: the server's): the same throttle on failed
// attempts, the same secret check.
func (a *API) ExchangeSecret(ctx context.Context, poolID, secret string, ttl time.Duration) (*auth.Issued, error) {
	return a.g.ExchangeSecret(ctx, poolID, secret, ttl)
}
