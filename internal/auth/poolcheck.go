package auth

import (
	"context"
	"errors"
	"sync"
	"time"

	"usergraph/db"
	"usergraph/model"
)

// poolCheck decides whether an admin token still stands: its pool exists
// and the token was minted from the pool's current secret (the token's
// secret generation is the pool's). Rotating a pool's secret raises the
// generation, so this is how rotation revokes tokens.
//
// Each pool's generation is remembered for ttl, so authenticating costs no
// statement on most requests. A rotation through this process takes
// effect at once (forget); through another replica, within ttl.
type poolCheck struct {
	store *db.Store
	ttl   time.Duration
	mu    sync.Mutex
	seen  map[string]poolSeen // pools come from tokens we signed: few
}

type poolSeen struct {
	generation int64
	exists     bool
	at         time.Time
}

func newPoolCheck(s *db.Store, ttl time.Duration) *poolCheck {
	return &poolCheck{store: s, ttl: ttl, seen: map[string]poolSeen{}}
}

// current reports whether a token for poolID at generation stands.
func (c *poolCheck) current(ctx context.Context, poolID string, generation int64) (bool, error) {
	c.mu.Lock()
	s, ok := c.seen[poolID]
	c.mu.Unlock()
	if !ok || time.Since(s.at) > c.ttl {
		gen, err := c.store.PoolGeneration(ctx, poolID)
		if err != nil && !errors.Is(err, model.ErrNotFound) {
			return false, err
		}
		s = poolSeen{generation: gen, exists: err == nil, at: time.Now()}
		c.mu.Lock()
		c.seen[poolID] = s
		c.mu.Unlock()
	}
	return s.exists && s.generation == generation, nil
}

// forget drops what is remembered of a pool, after its secret changed.
func (c *poolCheck) forget(poolID string) {
	c.mu.Lock()
	delete(c.seen, poolID)
	c.mu.Unlock()
}
