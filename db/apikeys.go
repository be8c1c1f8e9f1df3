package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/internal/secret"
	"usergraph/model"
)

// CreateAPIKey creates a named API key with scopes (and an expiry, if
// expiresAt is set), and returns it with the key itself, which is not
// stored and cannot be read again.
func (s *Store) CreateAPIKey(ctx context.Context, poolID, name string, scopes []string, expiresAt *time.Time) (*model.APIKey, string, error) {
	if name == "" {
		return nil, "", model.Invalid("name", "give the key a name")
	}
	if err := model.CheckText("name", name, model.MaxNameLength); err != nil {
		return nil, "", err
	}
	scopes, err := model.ValidScopes("scopes", scopes)
	if err != nil {
		return nil, "", err
	}
	// A key never holds more than its maker: keys:manage alone must not
	// mint a "*" key.
	for i, sc := range scopes {
		if err := model.Require(ctx, sc, fmt.Sprintf("scopes.%d", i)); err != nil {
			return nil, "", err
		}
	}
	now := s.now()
	if expiresAt != nil && !expiresAt.After(now) {
		return nil, "", model.Invalid("expiresAt", "must be in the future")
	}
	k := &model.APIKey{ID: newID(), PoolID: poolID, Name: name, Scopes: scopes, CreatedAt: now, ExpiresAt: expiresAt}
	key, hash := secret.NewAPIKey(k.ID)
	k.SecretHash = hash
	_, sec, _ := secret.ParseAPIKey(key)
	if k.SealedSecret, err = s.seal(ctx, "apikey:"+k.ID, sec); err != nil {
		return nil, "", err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&model.APIKey{}).Where("pool_id = ?", poolID).Count(&n).Error; err != nil {
			return err
		}
		if n >= model.MaxAPIKeys {
			return model.Invalid("name", "this user pool already has %d API keys, the most it may", n)
		}
		recordDiff(tx, poolID, model.AuditAPIKey, k.ID, nil, k)
		recordChanges(tx, poolID, model.AuditAPIKey, k.ID, model.SecretChange("key", false, true))
		return tx.Omit(clause.Associations).Create(k).Error
	})
	if errors.Is(err, model.ErrAlreadyExists) {
		return nil, "", model.AlreadyExists("name", "this user pool already has an API key named %q", name)
	}
	if err != nil {
		return nil, "", err
	}
	return k, key, nil
}

// APIKeys returns the pool's API keys, oldest first.
func (s *Store) APIKeys(ctx context.Context, poolID string) ([]*model.APIKey, error) {
	var keys []*model.APIKey
	err := s.read(ctx).Where("pool_id = ?", poolID).Order("created_at, id").Find(&keys).Error
	return keys, translate(err)
}

// RevokeAPIKey revokes one of the pool's keys (again is a no-op) and
// returns it.
func (s *Store) RevokeAPIKey(ctx context.Context, poolID, id string) (*model.APIKey, error) {
	var k model.APIKey
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("pool_id = ? AND id = ?", poolID, id).Take(&k).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return model.NotFoundOf("apiKey", "id", "no API key %q in this user pool", id)
			}
			return err
		}
		if k.RevokedAt != nil {
			return nil
		}
		now := s.now()
		k.RevokedAt = &now
		recordChanges(tx, poolID, model.AuditAPIKey, k.ID, model.Change{Field: "revokedAt", After: now})
		return tx.Model(&k).Update("revoked_at", now).Error
	})
	return &k, err
}

// VerifyAPIKey returns the key record an API key names, if the key's
// secret matches and it may be used now; otherwise UNAUTHENTICATED. It
// reads the record on every call, so a revocation through any replica
// takes effect on the next request.
func (s *Store) VerifyAPIKey(ctx context.Context, key string) (*model.APIKey, error) {
	refused := model.Unauthenticated("the API key is unknown, revoked or expired")
	id, sec, ok := secret.ParseAPIKey(key)
	if !ok {
		return nil, refused
	}
	var k model.APIKey
	err := s.read(ctx).Where("id = ?", id).Take(&k).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, refused
	}
	if err != nil {
		return nil, translate(err)
	}
	if !secret.Matches(sec, k.SecretHash) || !k.Usable(s.now()) {
		return nil, refused
	}
	return &k, nil
}

// TouchAPIKey records that a key was used at now, unless it was recorded
// less than a minute before (callers also call it at most that often).
func (s *Store) TouchAPIKey(ctx context.Context, id string) error {
	now := s.now()
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&model.APIKey{}).Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", id, now.Add(-time.Minute)).
			Update("last_used_at", now).Error
	})
}
