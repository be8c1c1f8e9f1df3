package graph

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/db"
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
// the credential, as the audit trail names it.
type principal struct {
	pool   string
	scopes []string
	actor  model.Actor
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
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			return nil, err
		}
		r.keyUses.touch(ctx, r, k.ID)
		return &principal{pool: k.PoolID, scopes: k.Scopes, actor: model.APIKeyActor(k)}, nil
	}
	poolID, generation, err := r.Signer.VerifyAdmin(token)
	if err != nil {
		return nil, model.Unauthenticated("the admin token is invalid or expired")
	}
	ok, err := r.pools.current(ctx, poolID, generation)
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err() // the client hung up or the deadline passed: CANCELLED, not a fault
	case err != nil:
		return nil, err
	case !ok:
		return nil, model.Unauthenticated("the admin token was revoked: its pool's secret was rotated, or the pool no longer exists")
	}
	return &principal{pool: poolID, scopes: []string{model.AllScopes}, actor: model.PoolSecretActor}, nil
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
	if scope := missingScope(p.scopes, rc.Field.Field); scope != "" {
		graphql.AddError(ctx, model.Forbidden(scope))
		return graphql.Null
	}
	return next(db.WithActor(ctx, p.actor, rc.Field.Name))
}

// missingScope is the first scope that field, or a field selected under
// it, declares with @scope and granted lacks ("" when none is missing).
// Nested fields that need a scope of their own (User.auditLog) are checked
// here too, before anything runs: a credential without it gets FORBIDDEN
// for the root field that selects it, never part of an answer.
func missingScope(granted []string, field *ast.Field) string {
	if field.Definition != nil {
		if scope := fieldScope(field.Definition.Directives); !model.ScopeAllows(granted, scope) {
			return scope
		}
	}
	return missingScopeIn(granted, field.SelectionSet)
}

func missingScopeIn(granted []string, set ast.SelectionSet) string {
	for _, sel := range set {
		var scope string
		switch s := sel.(type) {
		case *ast.Field:
			if s.Definition != nil && s.Definition.Directives.ForName("scope") != nil {
				scope = missingScope(granted, s)
			} else {
				scope = missingScopeIn(granted, s.SelectionSet)
			}
		case *ast.InlineFragment:
			scope = missingScopeIn(granted, s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil { // validation has refused cycles
				scope = missingScopeIn(granted, s.Definition.SelectionSet)
			}
		}
		if scope != "" {
			return scope
		}
	}
	return ""
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
