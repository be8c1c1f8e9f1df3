package graph

import (
	"context"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"usergraph/auth"
	"usergraph/model"
)

type ctxKey int

const (
	poolKey ctxKey = iota
	authErrKey
	loadersKey
)

// authenticate reads the admin token from the Authorization header and
// puts its pool (or why it was refused) in the request context. It refuses
// nothing itself: requireAdmin does, per root field, so @public fields work
// without a token.
func authenticate(signer *auth.Signer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := req.Context()
		h := req.Header.Get("Authorization")
		switch {
		case h == "":
			ctx = context.WithValue(ctx, authErrKey, model.Unauthenticated("an admin token is required: send Authorization: Bearer <token> (see the accessToken query)"))
		case !strings.HasPrefix(h, "Bearer ") && !strings.HasPrefix(h, "bearer "):
			ctx = context.WithValue(ctx, authErrKey, model.Unauthenticated("the Authorization header must be Bearer <token>"))
		default:
			poolID, err := signer.VerifyAdmin(strings.TrimSpace(h[len("Bearer "):]))
			if err != nil {
				ctx = context.WithValue(ctx, authErrKey, model.Unauthenticated("the admin token is invalid or expired"))
			} else {
				ctx = context.WithValue(ctx, poolKey, poolID)
			}
		}
		next.ServeHTTP(w, req.WithContext(ctx))
	})
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
