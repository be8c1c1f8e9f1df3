package db

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"usergraph/model"
)

// OperatorSignIn returns the pool's operator sign-in, or NOT_FOUND when it
// has none.
func (s *Store) OperatorSignIn(ctx context.Context, poolID string) (*model.OperatorSignIn, error) {
	var c model.OperatorSignIn
	err := s.read(ctx).Where("pool_id = ?", poolID).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, model.NotFound("operatorSignIn", "this user pool has no operator sign-in")
	}
	return &c, translate(err)
}

// OperatorSignInFor returns the operator sign-in that accepts tokens from
// issuer for audience (ux_operator_sign_ins_issuer), or NOT_FOUND.
func (s *Store) OperatorSignInFor(ctx context.Context, issuer, audience string) (*model.OperatorSignIn, error) {
	var c model.OperatorSignIn
	err := s.read(ctx).Where("issuer = ? AND audience = ?", issuer, audience).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, model.ErrNotFound
	}
	return &c, translate(err)
}

// SetOperatorSignIn creates or replaces the pool's operator sign-in
// (checked by the caller: model.OperatorSignInInput and the provider's
// discovery). The change is audited on the pool. An (issuer, audience)
// pair another pool has is ALREADY_EXISTS on input.audience: a token must
// name one pool.
func (s *Store) SetOperatorSignIn(ctx context.Context, c *model.OperatorSignIn) (*model.OperatorSignIn, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var before *model.OperatorSignIn
		var old model.OperatorSignIn
		switch err := tx.Where("pool_id = ?", c.PoolID).Take(&old).Error; {
		case err == nil:
			before = &old
			c.CreatedAt = old.CreatedAt
		case errors.Is(err, gorm.ErrRecordNotFound):
			c.CreatedAt = s.now()
		default:
			return err
		}
		c.UpdatedAt = s.now()
		var taken int64
		if err := tx.Model(&model.OperatorSignIn{}).Where("issuer = ? AND audience = ? AND pool_id <> ?", c.Issuer, c.Audience, c.PoolID).
			Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return model.AlreadyExists("input.audience", "another user pool accepts tokens from this issuer for this audience: give each pool its own client at the provider")
		}
		recordChanges(tx, c.PoolID, model.AuditPool, c.PoolID, model.Change{Field: "operatorSignIn", Before: before, After: c})
		return tx.Save(c).Error
	})
	if e, ok := model.AsError(err); ok && e.Code == model.CodeAlreadyExists && e.Field == "" {
		// Two pools raced for the pair: the unique index decided.
		return nil, model.AlreadyExists("input.audience", "another user pool accepts tokens from this issuer for this audience")
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// RemoveOperatorSignIn removes the pool's operator sign-in: its operators'
// tokens are refused from the next request on (within the Guard's
// look-up lifetime on other replicas). NOT_FOUND when it has none.
func (s *Store) RemoveOperatorSignIn(ctx context.Context, poolID string) (*model.OperatorSignIn, error) {
	var old model.OperatorSignIn
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("pool_id = ?", poolID).Take(&old).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return model.NotFound("operatorSignIn", "this user pool has no operator sign-in")
			}
			return err
		}
		recordChanges(tx, poolID, model.AuditPool, poolID, model.Change{Field: "operatorSignIn", Before: &old, After: nil})
		return tx.Delete(&model.OperatorSignIn{}, "pool_id = ?", poolID).Error
	})
	if err != nil {
		return nil, err
	}
	return &old, nil
}

// OperatorIssuers lists every issuer a pool's operator sign-in names: the
// origins the console's sign-in page may talk to (its CSP's connect-src).
func (s *Store) OperatorIssuers(ctx context.Context) ([]string, error) {
	var out []string
	err := s.read(ctx).Model(&model.OperatorSignIn{}).Distinct("issuer").Order("issuer").Limit(1000).Pluck("issuer", &out).Error
	return out, translate(err)
}
