package graph

import (
	"context"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"usergraph/model"
)

type ctxKey int

const (
	poolKey ctxKey = iota
	authErrKey
	loadersKey
	clientKey
)

// authenticate reads the admin token from the Authorization header and
// puts its pool (or why it was refused) in the request context, with the
// client's address. It refuses nothing itself: requireAdmin does, per root
// field, so @public fields work without a token.
func authenticate(r *Resolver, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := context.WithValue(req.Context(), clientKey, clientAddr(req))
		poolID, err := r.admin(ctx, req.Header.Get("Authorization"))
		if err != nil {
			ctx = context.WithValue(ctx, authErrKey, err)
		} else {
			ctx = context.WithValue(ctx, poolKey, poolID)
			if rec := recordOf(ctx); rec != nil {
				rec.pool = poolID
			}
		}
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// admin checks an Authorization header's admin token: signed by us,
// unexpired, and minted from its pool's current secret.
func (r *Resolver) admin(ctx context.Context, header string) (string, error) {
	switch {
	case header == "":
		return "", model.Unauthenticated("an admin token is required: send Authorization: Bearer <token> (see the accessToken query)")
	case !strings.HasPrefix(header, "Bearer ") && !strings.HasPrefix(header, "bearer "):
		return "", model.Unauthenticated("the Authorization header must be Bearer <token>")
	}
	poolID, generation, err := r.Signer.VerifyAdmin(strings.TrimSpace(header[len("Bearer "):]))
	if err != nil {
		return "", model.Unauthenticated("the admin token is invalid or expired")
	}
	ok, err := r.pools.current(ctx, poolID, generation)
	switch {
	case err != nil:
		return "", err
	case !ok:
		return "", model.Unauthenticated("the admin token was revoked: its pool's secret was rotated, or the pool no longer exists")
	}
	return poolID, nil
}

// requireAdmin refuses every root field not marked @public unless the
// request carries a valid admin token. Introspection (__schema, __type) is
// public: the schema is published anyway and the playground needs it.
func requireAdmin(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	rc := graphql.GetRootFieldContext(ctx)
	if rc == nil || strings.HasPrefix(rc.Field.Name, "__") || rc.Field.Definition.Directives.ForName("public") != nil {
		return next(ctx)
	}
	if _, ok := ctx.Value(poolKey).(string); !ok {
		err, _ := ctx.Value(authErrKey).(error)
		if err == nil {
			err = model.Unauthenticated("an admin token is required")
		}
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	return next(ctx)
}

// poolID is the user pool of the request's admin token. requireAdmin has
// already refused requests without one, so the empty string never reaches
// a store call; should it, no row matches it.
func poolID(ctx context.Context) string {
	id, _ := ctx.Value(poolKey).(string)
	return id
}

// client is the address of the request's client.
func client(ctx context.Context) string {
	a, _ := ctx.Value(clientKey).(string)
	return a
}
