package db

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/model"
	"usergraph/secret"
)

const signingKeySetting = "jwt_signing_key"

// CreatePool creates a user pool and returns it with its secret, which is
// not stored and cannot be read again.
func (s *Store) CreatePool(ctx context.Context, name string) (*model.UserPool, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 255 {
		return nil, "", model.Invalid("name", "must be 1 to 255 characters")
	}
	sec, hash := secret.New()
	p := &model.UserPool{ID: newID(), Name: name, SecretHash: hash, CreatedAt: s.now()}
	if err := s.write(ctx, func(tx *gorm.DB) error { return s.db.createPool(tx, p) }); err != nil {
		return nil, "", err
	}
	return p, sec, nil
}

// EnsureDefaultPool creates the default pool when the database has no pool
// at all. It returns the secret only when it created the pool: the one time
// it can be shown.
func (s *Store) EnsureDefaultPool(ctx context.Context) (p *model.UserPool, poolSecret string, err error) {
	err = s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&model.UserPool{}).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		var hash []byte
		poolSecret, hash = secret.New()
		p = &model.UserPool{ID: newID(), Name: "default", SecretHash: hash, IsDefault: true, CreatedAt: s.now()}
		return s.db.createPool(tx, p)
	})
	return p, poolSecret, err
}

// DefaultPool returns the pool created on first start.
func (s *Store) DefaultPool(ctx context.Context) (*model.UserPool, error) {
	var p model.UserPool
	err := s.read(ctx).Where("is_default = ?", true).Take(&p).Error
	return &p, translate(err)
}

// Pool returns a pool by id.
func (s *Store) Pool(ctx context.Context, id string) (*model.UserPool, error) {
	var p model.UserPool
	err := s.read(ctx).Where("id = ?", id).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, model.NotFound("userPoolId", "no user pool %q", id)
	}
	return &p, translate(err)
}

// CheckPoolSecret verifies a pool's secret in constant time. An unknown pool
// and a wrong secret give the same UNAUTHENTICATED error, so the call does
// not reveal which pool ids exist.
func (s *Store) CheckPoolSecret(ctx context.Context, poolID, presented string) error {
	var p model.UserPool
	err := s.read(ctx).Where("id = ?", poolID).Take(&p).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return translate(err)
	}
	if !secret.Matches(presented, p.SecretHash) || p.ID == "" {
		return model.Unauthenticated("unknown user pool or wrong secret")
	}
	return nil
}

// SigningKey returns the token signing key every replica shares, creating
// it on first use. Concurrent first starts agree on one key.
func (s *Store) SigningKey(ctx context.Context) ([]byte, error) {
	var st setting
	err := s.write(ctx, func(tx *gorm.DB) error {
		candidate := setting{Key: signingKeySetting, Value: secret.NewKey()}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&candidate).Error; err != nil {
			return err
		}
		return tx.Where("key = ?", signingKeySetting).Take(&st).Error
	})
	return st.Value, err
}
