package db

import (
	"context"
	"time"

	"gorm.io/gorm"

	"usergraph/model"
)

// RecordUserToken records a new token for a user of the pool. issue is
// called inside the write transaction with the user's current token
// generation and returns the new token's expiry, which becomes the user's
// tokenExpiredAt. The store never sees the token itself: issuing and
// verifying tokens is the caller's (auth's) business; the store keeps
// only what validity depends on. Holding the transaction across issue
// means a revocation cannot slip between reading the generation and
// recording the expiry.
func (s *Store) RecordUserToken(ctx context.Context, poolID, userID string, issue func(generation int64) (time.Time, error)) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var u model.User
		if err := tx.Select("id", "status", "token_generation", "token_expired_at").Where("pool_id = ? AND id = ?", poolID, userID).Take(&u).Error; err != nil {
			return userNotFound(err, "userId", userID)
		}
		if u.IsDeleted() {
			return model.Invalid("userId", "the user is archived and can hold no token; restore it first")
		}
		exp, err := issue(u.TokenGeneration)
		if err != nil {
			return err
		}
		exp = exp.UTC()
		recordChanges(tx, poolID, model.AuditUser, userID, model.Change{Field: "tokenExpiredAt", Before: model.OrNil(u.TokenExpiredAt), After: exp})
		return tx.Model(&u).Update("token_expired_at", exp).Error
	})
}
