package auth

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"usergraph/db"
	"usergraph/internal/operator"
	"usergraph/model"
)

// Guard checks credentials and keeps what that takes between requests in
// this process: the failed-guess throttle, the pools' secret generations
// it last saw, and when each API key was last recorded as used. None of it
// is a cache that can answer wrongly: a pool's generation is trusted for a
// bounded time (PoolCheckTTL), a rotation through this process at once.
type Guard struct {
	store     *db.Store
	signer    *Signer
	operators *operator.Verifier // nil: no operator sign-in
	throttle  *throttle
	pools     *poolCheck
	keyUses   keyUses
}

// NewGuard returns a Guard over store and signer. poolCheckTTL is how long
// it trusts its last look at a pool's secret generation. operators checks
// operator tokens (nil: only the pool secret's tokens and API keys work).
func NewGuard(store *db.Store, signer *Signer, operators *operator.Verifier, t Throttle, poolCheckTTL time.Duration) *Guard {
	return &Guard{store: store, signer: signer, operators: operators, throttle: newThrottle(t), pools: newPoolCheck(store, poolCheckTTL)}
}

// Admin checks an Authorization header's credential. An API key (ugk_…)
// is looked up on every request, so a revocation through any replica
// holds from the next request on. An admin token must be signed by us,
// unexpired, and minted from its pool's current secret; it holds every
// scope. Any other token is an operator's if a pool's sign-in names its
// issuer and audience (internal/operator): it holds the scopes its claims
// map to, and its person is the actor.
func (g *Guard) Admin(ctx context.Context, header string) (*Principal, error) {
	switch {
	case header == "":
		return nil, model.Unauthenticated("an admin token or API key is required: send Authorization: Bearer <token> (see the accessToken query)")
	case !strings.HasPrefix(header, "Bearer ") && !strings.HasPrefix(header, "bearer "):
		return nil, model.Unauthenticated("the Authorization header must be Bearer <token>")
	}
	token := strings.TrimSpace(header[len("Bearer "):])
	if strings.HasPrefix(token, "ugk_") {
		k, err := g.store.VerifyAPIKey(ctx, token)
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			return nil, err
		}
		g.keyUses.touch(ctx, g.store, k.ID)
		return &Principal{Pool: k.PoolID, Scopes: k.Scopes, Actor: model.APIKeyActor(k)}, nil
	}
	poolID, generation, err := g.signer.VerifyAdmin(token)
	if err != nil && g.operators != nil && !g.signer.Issued(token) {
		return g.operator(ctx, token)
	}
	if err != nil {
		return nil, model.Unauthenticated("the admin token is invalid or expired")
	}
	ok, err := g.pools.current(ctx, poolID, generation)
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err() // the client hung up or the deadline passed: CANCELLED, not a fault
	case err != nil:
		return nil, err
	case !ok:
		return nil, model.Unauthenticated("the admin token was revoked: its pool's secret was rotated, or the pool no longer exists")
	}
	return &Principal{Pool: poolID, Scopes: []string{model.AllScopes}, Actor: model.PoolSecretActor}, nil
}

// operator checks an operator token (one our signer did not issue).
func (g *Guard) operator(ctx context.Context, token string) (*Principal, error) {
	op, err := g.operators.Verify(ctx, token)
	switch {
	case errors.Is(err, operator.ErrNotOperatorToken):
		return nil, model.Unauthenticated("the token is not an admin token, an API key, or an operator token any user pool accepts")
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, err
	}
	return &Principal{Pool: op.Pool, Scopes: op.Scopes, Actor: op.Actor}, nil
}

// ForgetOperatorSignIns drops what the Guard remembers of pools'
// operator sign-ins: one changed through this process, and holds from
// the next request.
func (g *Guard) ForgetOperatorSignIns() {
	if g.operators != nil {
		g.operators.Forget()
	}
}

// ForgetPool drops what the Guard saw of a pool's secret generation, so a
// rotation through this process revokes the old tokens at once.
func (g *Guard) ForgetPool(id string) { g.pools.forget(id) }

// SecretGuess is an accessToken attempt from client for pool (throttle.go).
func (g *Guard) SecretGuess(client, poolID string) Guess {
	return g.throttle.secretGuess(client, poolID)
}

// PasswordGuess is a verifyPassword check from client for a user.
func (g *Guard) PasswordGuess(client, poolID, userID string) Guess {
	return g.throttle.passwordGuess(client, poolID, userID)
}

// keyUses records when each API key was last used, at most once a minute
// per key and process: exact to the minute, without a write per request.
type keyUses struct {
	mu   sync.Mutex
	last map[string]time.Time
}

func (u *keyUses) touch(ctx context.Context, store *db.Store, id string) {
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
		_ = store.TouchAPIKey(ctx, id) // a missed "last used" is not worth failing the request
	}
}
