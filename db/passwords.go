package db

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"usergraph/internal/password"
	"usergraph/model"
)

// VerifyPassword checks a password against a user's stored hash, with the
// algorithm the hash names (argon2id, or bcrypt and pbkdf2-sha256 hashes
// imported from elsewhere). A user without a password never matches. After
// a successful check of a hash in another algorithm, or with weaker
// parameters, the password is rehashed with argon2id and stored — unless
// the hash changed meanwhile (a concurrent password change wins) — and the
// change is audited like any other.
func (s *Store) VerifyPassword(ctx context.Context, poolID, userID, pw string) (bool, error) {
	var u model.User
	err := s.read(ctx).Select("id", "password_hash").Where("pool_id = ? AND id = ?", poolID, userID).Take(&u).Error
	if err != nil {
		return false, translate(userNotFound(err, "userId", userID))
	}
	if u.PasswordHash == "" {
		return false, nil
	}
	switch err := s.hasher.Verify(ctx, u.PasswordHash, pw); {
	case errors.Is(err, password.ErrMismatch):
		return false, nil
	case err != nil:
		return false, translate(err)
	}
	if !password.NeedsRehash(u.PasswordHash) {
		return true, nil
	}
	fresh, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return false, translate(err)
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&model.User{}).Where("pool_id = ? AND id = ? AND password_hash = ?", poolID, userID, u.PasswordHash).
			UpdateColumn("password_hash", fresh)
		if res.Error == nil && res.RowsAffected == 1 {
			recordChanges(tx, poolID, model.AuditUser, userID, model.SecretChange("password", true, true))
		}
		return res.Error
	})
	return true, err
}
