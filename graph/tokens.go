package graph

import (
	"context"
	"errors"
	"time"

	"usergraph/internal/auth"
	"usergraph/model"
)

// exchangeSecret checks a pool's secret and issues an admin token for the
// pool that lives for ttl (0: the signer's lifetime). Failed attempts are
// throttled per client address and per pool, but the right secret is
// never refused: a 256-bit secret needs no lockout to resist guessing,
// and a lockout would let anyone who floods the pool with wrong secrets
// keep its owner out. While a bucket is empty a wrong secret is answered
// RATE_LIMITED rather than UNAUTHENTICATED, which tells a guesser only to
// slow down.
func (r *Resolver) exchangeSecret(ctx context.Context, poolID, secret string, ttl time.Duration) (*auth.Issued, error) {
	generation, err := r.Store.CheckPoolSecret(ctx, poolID, secret)
	if errors.Is(err, model.ErrUnauthenticated) {
		guess := r.Guard.SecretGuess(auth.Client(ctx), poolID)
		if limited := guess.Admit(); limited != nil {
			return nil, limited
		}
		guess.Failed()
	}
	if err != nil {
		return nil, err
	}
	t, err := r.Signer.AdminTokenFor(poolID, generation, ttl)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// refreshUserToken issues a user token at the user's current token
// generation and has the store record its expiry as tokenExpiredAt.
func (r *Resolver) refreshUserToken(ctx context.Context, poolID, userID string) (auth.Issued, error) {
	var issued auth.Issued
	err := r.Store.RecordUserToken(ctx, poolID, userID, func(generation int64) (time.Time, error) {
		var err error
		issued, err = r.Signer.UserToken(poolID, userID, generation)
		return issued.Exp, err
	})
	return issued, err
}

// checkUserToken says whether a user token is valid now for the pool, and
// why not. It reads the user's current state on every call (no cache), so
// a revocation or suspension through any replica takes effect at once; the
// rules themselves are model.JudgeToken's.
func (r *Resolver) checkUserToken(ctx context.Context, poolID, token string) (*model.LoginStatus, error) {
	claims, err := r.Signer.ParseUser(token)
	if claims == nil {
		return model.Verdict(model.LoginInvalidToken, nil, nil, nil), nil
	}
	iat, exp := claims.IssuedAt.Time.UTC(), claims.ExpiresAt.Time.UTC()
	st := model.TokenState{PoolID: poolID, TokenPool: claims.Pool, Generation: claims.Generation,
		Expired: errors.Is(err, auth.ErrExpiredToken), Now: time.Now().UTC()}
	if st.TokenPool == poolID { // never look into another pool
		u, err := r.Store.User(ctx, poolID, claims.Subject)
		if err != nil && !errors.Is(err, model.ErrNotFound) {
			return nil, err
		}
		st.User = u
	}
	return model.Verdict(model.JudgeToken(st), &iat, &exp, st.User), nil
}
