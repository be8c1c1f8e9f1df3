package db

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"usergraph/internal/secret"
	"usergraph/model"
)

const sealKeySetting = "access_key_seal"

// seal seals a secret for the row aad names under the server's seal key
// (a server-wide setting every replica shares, made on first use).
func (s *Store) seal(ctx context.Context, aad, plaintext string) ([]byte, error) {
	key, err := s.sealingKey(ctx)
	if err != nil {
		return nil, err
	}
	return secret.Seal(key, aad, plaintext)
}

func (s *Store) sealingKey(ctx context.Context) ([]byte, error) {
	if k := s.sealKey.Load(); k != nil {
		return *k, nil
	}
	k, err := s.KeepSetting(ctx, sealKeySetting, func() ([]byte, error) { return secret.NewKey(), nil })
	if err != nil {
		return nil, err
	}
	s.sealKey.Store(&k)
	return k, nil
}

// AccessKey is what a signed request's access key id names: the pool it
// acts on, the secret its signature is keyed by, and who it is.
type AccessKey struct {
	PoolID string
	Secret string
	Scopes []string
	Actor  model.Actor
}

// apiKeyPrefix marks an API key's access key id: ugk_<id>, the part of
// the key before its dot.
const apiKeyPrefix = "ugk_"

// AccessKeyByID returns the access key a signed request names: a pool's
// id (its secret signs, with every scope, as the pool secret's tokens
// hold) or an API key's ugk_<id> (its secret part signs, with its
// scopes, while it is usable). It reads the row every time, so a
// rotation or revocation holds from the next request. Unknown, unusable
// and unsealed keys are all UNAUTHENTICATED; an unsealed one says how to
// seal it.
func (s *Store) AccessKeyByID(ctx context.Context, id string) (*AccessKey, error) {
	refused := model.Unauthenticated("unknown access key, or a revoked or expired one")
	key, err := s.sealingKey(ctx)
	if err != nil {
		return nil, err
	}
	unsealed := func(what string) error {
		return model.Unauthenticated("this %s's secret was set before signed requests existed: rotate it once (rotatePoolSecret, or a new API key) to sign with it", what)
	}
	if rest, ok := strings.CutPrefix(id, apiKeyPrefix); ok {
		var k model.APIKey
		err := s.read(ctx).Where("id = ?", rest).Take(&k).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			return nil, refused
		case err != nil:
			return nil, translate(err)
		case !k.Usable(s.now()):
			return nil, refused
		case k.SealedSecret == nil:
			return nil, unsealed("API key")
		}
		sec, err := secret.Open(key, "apikey:"+k.ID, k.SealedSecret)
		if err != nil {
			return nil, unsealed("API key")
		}
		return &AccessKey{PoolID: k.PoolID, Secret: sec, Scopes: k.Scopes, Actor: model.APIKeyActor(&k)}, nil
	}
	var p model.UserPool
	err = s.read(ctx).Where("id = ?", id).Take(&p).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return nil, refused
	case err != nil:
		return nil, translate(err)
	case p.SealedSecret == nil:
		return nil, unsealed("pool")
	}
	sec, err := secret.Open(key, "pool:"+p.ID, p.SealedSecret)
	if err != nil {
		return nil, unsealed("pool")
	}
	return &AccessKey{PoolID: p.ID, Secret: sec, Scopes: []string{model.AllScopes}, Actor: model.PoolSecretActor}, nil
}
