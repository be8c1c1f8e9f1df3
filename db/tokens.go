package db

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"usergraph/auth"
	"usergraph/model"
)

// RefreshUserToken issues a fresh token for a user and records its expiry
// as the user's tokenExpiredAt. Tokens revoked before stay revoked: the new
// token carries the user's current token generation.
func (s *Store) RefreshUserToken(ctx context.Context, signer *auth.Signer, poolID, userID string) (auth.Issued, error) {
	var issued auth.Issued
	err := s.write(ctx, func(tx *gorm.DB) error {
		var u model.User
		if err := tx.Where("pool_id = ? AND id = ?", poolID, userID).Take(&u).Error; err != nil {
			return userNotFound(err, "userId", userID)
		}
		var err error
		if issued, err = signer.UserToken(poolID, u.ID, u.TokenGeneration); err != nil {
			return err
		}
		return tx.Model(&u).Update("token_expired_at", issued.Exp.UTC()).Error
	})
	return issued, err
}

// CheckUserToken says whether a user token is valid now for the pool, and
// why not. It reads the user's current state on every call (no cache), so a
// revocation or suspension through any replica takes effect at once.
func (s *Store) CheckUserToken(ctx context.Context, signer *auth.Signer, poolID, token string) (*model.LoginStatus, error) {
	claims, err := signer.ParseUser(token)
	if claims == nil {
		return model.Verdict(model.LoginInvalidToken, nil, nil, nil), nil
	}
	iat, exp := claims.IssuedAt.Time.UTC(), claims.ExpiresAt.Time.UTC()
	st := model.TokenState{PoolID: poolID, TokenPool: claims.Pool, Generation: claims.Generation,
		Expired: errors.Is(err, auth.ErrExpiredToken), Now: s.now()}
	if st.TokenPool == poolID { // never look into another pool
		u, err := s.User(ctx, poolID, claims.Subject)
		if err != nil && !errors.Is(err, model.ErrNotFound) {
			return nil, err
		}
		st.User = u
	}
	return model.Verdict(model.JudgeToken(st), &iat, &exp, st.User), nil
}
