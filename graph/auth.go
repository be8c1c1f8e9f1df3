package graph

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/model"
)

type ctxKey int

const (
	principalKey ctxKey = iota
	authErrKey
	loadersKey
	clientKey
)

// principal is who a request acts as: a pool, the scopes it holds, and
// the credential's name, for logs (and the audit trail to come).
type principal struct {
	pool   string
	scopes []string
	keyID  string // the API key's id; "" for the pool secret
	name   string // the API key's name, or "pool secret"
}

// authenticate reads the credential from the Authorization header — an
// admin token minted from the pool secret, or an API key — and puts who it
// is (or why it was refused) in the request context, with the client's
// address. It refuses nothing itself: requireAdmin does, per root field,
// so @public fields work without one.
func authenticate(r *Resolver, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := context.WithValue(req.Context(), clientKey, clientAddr(req))
		p, err := r.admin(ctx, req.Header.Get("Authorization"))
		if err != nil {
			ctx = context.WithValue(ctx, authErrKey, err)
		} else {
			ctx = context.WithValue(ctx, principalKey, p)
			if rec := recordOf(ctx); rec != nil {
				rec.pool = p.pool
			}
		}
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// admin checks an Authorization header's credential. An API key
// (ugk_…) is looked up on every request, so a revocation through any
// replica holds from the next request on. An admin token must be signed
// by us, unexpired, and minted from its pool's current secret; it holds
// every scope.
func (r *Resolver) admin(ctx context.Context, header string) (*principal, error) {
	switch {
	case header == "":
		return nil, model.Unauthenticated("an admin token or API key is required: send Authorization: Bearer <token> (see the accessToken query)")
	case !strings.HasPrefix(header, "Bearer ") && !strings.HasPrefix(header, "bearer "):
		return nil, model.Unauthenticated("the Authorization header must be Bearer <token>")
	}
	token := strings.TrimSpace(header[len("Bearer "):])
	if strings.HasPrefix(token, "ugk_") {
		k, err := r.Store.VerifyAPIKey(ctx, token)
		if err != nil {
			return nil, err
		}
		r.keyUses.touch(ctx, r, k.ID)
		return &principal{pool: k.PoolID, scopes: k.Scopes, keyID: k.ID, name: k.Name}, nil
	}
	poolID, generation, err := r.Signer.VerifyAdmin(token)
	if err != nil {
		return nil, model.Unauthenticated("the admin token is invalid or expired")
	}
	ok, err := r.pools.current(ctx, poolID, generation)
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, model.Unauthenticated("the admin token was revoked: its pool's secret was rotated, or the pool no longer exists")
	}
	return &principal{pool: poolID, scopes: []string{model.AllScopes}, name: "pool secret"}, nil
}

// keyUses records when each API key was last used, at most once a minute
// per key and process: exact to the minute, without a write per request.
type keyUses struct {
	mu   sync.Mutex
	last map[string]time.Time
}

func (u *keyUses) touch(ctx context.Context, r *Resolver, id string) {
	now := time.Now()
	u.mu.Lock()
	due := now.Sub(u.last[id]) >= time.Minute
	if due {
		if u.last == nil {
			u.last = map[string]time.Time{}
		}
		u.last[id] = now
	}
	u.mu.Unlock()
	if due {
		_ = r.Store.TouchAPIKey(ctx, id) // a missed "last used" is not worth failing the request
	}
}

// requireAdmin is where scopes are enforced, once for every root field. A
// field marked @public needs nothing; every other field needs a
// credential holding the scope its @scope directive names (FORBIDDEN with
// extensions.scope otherwise). Introspection (__schema, __type) is public:
// the schema is published anyway and the playground needs it.
func requireAdmin(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	rc := graphql.GetRootFieldContext(ctx)
	if rc == nil || strings.HasPrefix(rc.Field.Name, "__") || rc.Field.Definition.Directives.ForName("public") != nil {
		return next(ctx)
	}
	p, ok := ctx.Value(principalKey).(*principal)
	if !ok {
		err, _ := ctx.Value(authErrKey).(error)
		if err == nil {
			err = model.Unauthenticated("an admin token is required")
		}
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	if scope := fieldScope(rc.Field.Definition.Directives); !model.ScopeAllows(p.scopes, scope) {
		graphql.AddError(ctx, model.Forbidden(scope))
		return graphql.Null
	}
	return next(ctx)
}

// fieldScope is the scope a field's @scope directive names ("" when it has
// none, which no credential holds but "*": TestEveryRootFieldDeclaresAScope
// keeps it from happening).
func fieldScope(dirs ast.DirectiveList) string {
	d := dirs.ForName("scope")
	if d == nil {
		return ""
	}
	if a := d.Arguments.ForName("name"); a != nil && a.Value != nil {
		return a.Value.Raw
	}
	return ""
}

// poolID is the user pool of the request's credential. requireAdmin has
// already refused requests without one, so the empty string never reaches
// a store call; should it, no row matches it.
func poolID(ctx context.Context) string {
	if p, ok := ctx.Value(principalKey).(*principal); ok {
		return p.pool
	}
	return ""
}

// client is the address of the request's client.
func client(ctx context.Context) string {
	a, _ := ctx.Value(clientKey).(string)
	return a
}
