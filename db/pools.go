package db

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/internal/secret"
	"usergraph/model"
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
	sealed, err := s.seal(ctx, "pool:"+p.ID, sec)
	if err != nil {
		return nil, "", err
	}
	p.SealedSecret = sealed
	err = s.write(ctx, func(tx *gorm.DB) error {
		// Names are unique per server, checked in the writing
		// transaction (not by an index: databases made before the rule
		// may hold two pools of one name, and must still migrate).
		var n int64
		if err := tx.Model(&model.UserPool{}).Where("name = ?", name).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return model.AlreadyExists("name", "a user pool named %q exists", name)
		}
		return s.db.createPool(tx, p)
	})
	if err != nil {
		return nil, "", err
	}
	return p, sec, nil
}

// ListPools returns every user pool, oldest first.
func (s *Store) ListPools(ctx context.Context) ([]*model.UserPool, error) {
	var pools []*model.UserPool
	err := s.read(ctx).Order("created_at, id").Find(&pools).Error
	return pools, translate(err)
}

// EnsureDefaultPool creates the default pool when the database has no pool
// at all. It returns the secret only when it created the pool: the one time
// it can be shown.
func (s *Store) EnsureDefaultPool(ctx context.Context) (p *model.UserPool, poolSecret string, err error) {
	if _, err := s.sealingKey(ctx); err != nil { // made before the write that seals with it
		return nil, "", err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&model.UserPool{}).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		var hash []byte
		poolSecret, hash = secret.New()
		p = &model.UserPool{ID: newID(), Name: "default", SecretHash: hash, IsDefault: true, CreatedAt: s.now()}
		sealed, err := s.seal(ctx, "pool:"+p.ID, poolSecret)
		if err != nil {
			return err
		}
		p.SealedSecret = sealed
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

// CheckPoolSecret verifies a pool's secret in constant time and returns
// the pool's secret generation. An unknown pool and a wrong secret give the
// same UNAUTHENTICATED error, so the call does not reveal which pool ids
// exist.
func (s *Store) CheckPoolSecret(ctx context.Context, poolID, presented string) (int64, error) {
	var p model.UserPool
	err := s.read(ctx).Where("id = ?", poolID).Take(&p).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, translate(err)
	}
	if !secret.Matches(presented, p.SecretHash) || p.ID == "" {
		return 0, model.Unauthenticated("unknown user pool or wrong secret")
	}
	return p.SecretGeneration, nil
}

// SigningKey returns the token signing key every replica shares, creating
// it on first use. Concurrent first starts agree on one key.
func (s *Store) SigningKey(ctx context.Context) ([]byte, error) {
	return s.KeepSetting(ctx, signingKeySetting, func() ([]byte, error) { return secret.NewKey(), nil })
}

// KeepSetting returns the server-wide setting name (a key every replica
// must share, such as the token signing key or the Authing password key),
// creating it with create on first use. Concurrent first starts agree on
// one value: the first to commit wins and the others read it.
func (s *Store) KeepSetting(ctx context.Context, name string, create func() ([]byte, error)) ([]byte, error) {
	var st setting
	err := s.read(ctx).Where("key = ?", name).Take(&st).Error
	if err == nil {
		return st.Value, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, translate(err)
	}
	value, err := create()
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		candidate := setting{Key: name, Value: value}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&candidate).Error; err != nil {
			return err
		}
		return tx.Where("key = ?", name).Take(&st).Error
	})
	return st.Value, err
}

// PoolGeneration returns the pool's secret generation; an unknown pool is
// NOT_FOUND.
func (s *Store) PoolGeneration(ctx context.Context, poolID string) (int64, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return 0, err
	}
	return p.SecretGeneration, nil
}

// RotatePoolSecret gives a pool a new secret and raises its secret
// generation, so admin tokens minted from the old secret stop working. It
// returns the new secret, which is not stored and cannot be read again.
func (s *Store) RotatePoolSecret(ctx context.Context, poolID string) (string, error) {
	sec, hash := secret.New()
	sealed, err := s.seal(ctx, "pool:"+poolID, sec)
	if err != nil {
		return "", err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&model.UserPool{}).Where("id = ?", poolID).
			Updates(map[string]any{"secret_hash": hash, "sealed_secret": sealed, "secret_generation": gorm.Expr("secret_generation + 1")})
		if res.Error == nil && res.RowsAffected == 0 {
			return model.NotFound("userPoolId", "no user pool %q", poolID)
		}
		recordChanges(tx, poolID, model.AuditPool, poolID, model.SecretChange("secret", true, true))
		return res.Error
	})
	if err != nil {
		return "", err
	}
	return sec, nil
}
