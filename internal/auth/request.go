package auth

import (
	"context"

	"usergraph/model"
)

// Principal is who a request acts as: a pool, the scopes it holds, and the
// credential, as the audit trail names it.
type Principal struct {
	Pool   string
	Scopes []string
	Actor  model.Actor
}

type ctxKey int

const (
	principalKey ctxKey = iota
	refusedKey
	clientKey
)

// WithPrincipal is ctx of a request authenticated as p; the credential's
// scopes also go where the store's rules ask for them (model.Require).
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return model.WithScopes(context.WithValue(ctx, principalKey, p), p.Scopes)
}

// WithRefusal is ctx of a request whose credential was refused, and why.
func WithRefusal(ctx context.Context, err error) context.Context {
	return context.WithValue(ctx, refusedKey, err)
}

// PrincipalOf is who ctx's request acts as, or nil.
func PrincipalOf(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey).(*Principal)
	return p
}

// Refusal is why ctx's request has no principal: its credential's
// refusal, or UNAUTHENTICATED when it sent none.
func Refusal(ctx context.Context) error {
	if err, _ := ctx.Value(refusedKey).(error); err != nil {
		return err
	}
	return model.Unauthenticated("an admin token is required")
}

// WithClient is ctx of a request from the client address addr.
func WithClient(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientKey, addr)
}

// Client is the address of ctx's request's client ("" when unknown).
func Client(ctx context.Context) string {
	a, _ := ctx.Value(clientKey).(string)
	return a
}
