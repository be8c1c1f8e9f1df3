// Package authing is usergraph's Authing-compatible management API: the
// GraphQL dialect the Authing SDKs send to /graphql/v2 (schema/*.graphqls,
// generated into authing/exec) and their REST side channel under /api/v2
// (rest.go). It translates: every operation calls the native resolvers
// (graph), so validation, pool isolation, auditing, limits and statement
// budgets are the native API's, and only names, shapes, the password
// transport and the error envelope are the SDKs'.
package authing

//go:generate go run github.com/99designs/gqlgen generate --config gqlgen.yml

import (
	"net/http"
	"time"

	"usergraph/graph"
	native "usergraph/graph/exec"
	"usergraph/internal/authing/exec"
	"usergraph/internal/httpapi"
	"usergraph/model"
)

// DefaultTokenTTL is how long management tokens from this API's
// accessToken live: the SDKs fetch a new token before every call unless the
// one they hold has more than an hour left.
const DefaultTokenTTL = 24 * time.Hour

// Dialect mounts the Authing-compatible API on a native handler (see
// httpapi.Options.Dialects).
type Dialect struct {
	// Keys is the server's password transport key pair (LoadKeys).
	Keys *Keys
	// TokenTTL is the lifetime of management tokens from accessToken; 0
	// means DefaultTokenTTL.
	TokenTTL time.Duration
}

var _ httpapi.Dialect = (*Dialect)(nil)

// Mount serves the SDKs' GraphQL at /graphql/v2 and their REST routes
// under /api/v2/ (and GET /logout), through the native request pipeline.
func (d *Dialect) Mount(mux *http.ServeMux, api *httpapi.API) {
	ttl := d.TokenTTL
	if ttl <= 0 {
		ttl = DefaultTokenTTL
	}
	r := &Resolver{api: api, native: api.Resolvers(), keys: d.Keys, tokenTTL: ttl}
	es := exec.NewExecutableSchema(exec.Config{Resolvers: r, Complexity: complexity()})
	mux.Handle("/graphql/v2", api.Wrap(samePool(api.Server(es, writeGraphQL), func(w http.ResponseWriter, e sdkError) {
		writeJSON(w, map[string]any{"errors": []wireError{{Message: e}}})
	})))
	rest := &restAPI{api: api, x: api.Executor(es), keys: d.Keys}
	refuse := func(w http.ResponseWriter, e sdkError) { writeJSON(w, e) }
	mux.Handle("/api/v2/", api.Wrap(samePool(rest.routes(), refuse)))
	mux.Handle("GET /logout", api.Wrap(samePool(http.HandlerFunc(rest.logout), refuse)))
}

// Resolver is the root of the dialect's resolvers.
type Resolver struct {
	api      *httpapi.API
	native   native.ResolverRoot
	keys     *Keys
	tokenTTL time.Duration
}

// poolHeader is the header the SDKs name their user pool in.
const poolHeader = "x-authing-userpool-id"

// samePool refuses a request whose x-authing-userpool-id header names
// another pool than its token's: a client configured for one pool must not
// act on another because it holds that pool's token. (No header, as from
// clients other than the SDKs, checks nothing; the token decides.)
func samePool(next http.Handler, refuse func(http.ResponseWriter, sdkError)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if h := req.Header.Get(poolHeader); h != "" {
			if pool, err := graph.PrincipalPool(req.Context()); err == nil && pool != h {
				err := model.Unauthenticated("the token is for another user pool than " + poolHeader + " names")
				httpapi.Note(req.Context(), "", "", string(model.CodeUnauthenticated))
				refuse(w, sdkError{Code: Numeric(string(err.Code)), Message: err.Message, Data: map[string]any{"code": string(err.Code)}})
				return
			}
		}
		next.ServeHTTP(w, req)
	})
}
