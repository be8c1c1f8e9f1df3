package graph

import (
	"context"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"usergraph/db"
	"usergraph/model"
)

// loaderWait is how long a loader gathers keys before it runs its batch.
// gqlgen resolves the fields of a list's elements concurrently, so the keys
// of one page arrive within microseconds; a short wait keeps latency low.
const loaderWait = 2 * time.Millisecond

// Loaders batch the relation fields of one request, so a nested list costs
// one statement per relation rather than one per parent. They are made per
// request, bound to the request's pool, and dropped with it: nothing is
// cached across requests (replicas must see each other's writes at once).
type Loaders struct {
	identitiesByUserID *dataloader.Loader[string, []*model.Identity]
}

func newLoaders(s *db.Store, poolID string) *Loaders {
	return &Loaders{
		identitiesByUserID: mapLoader(func(ctx context.Context, ids []string) (map[string][]*model.Identity, error) {
			return s.IdentitiesByUserIDs(ctx, poolID, ids)
		}),
	}
}

// loaders returns the request's loaders.
func loaders(ctx context.Context) *Loaders {
	l, _ := ctx.Value(loadersKey).(*Loaders)
	return l
}

// mapLoader makes a loader from a fetch that returns a map keyed like its
// input: the batch function answers every key, in key order, with the
// fetched value or its zero value (an empty list) when the map lacks it.
func mapLoader[K comparable, V any](fetch func(context.Context, []K) (map[K]V, error)) *dataloader.Loader[K, V] {
	batch := func(ctx context.Context, keys []K) []*dataloader.Result[V] {
		m, err := fetch(ctx, keys)
		out := make([]*dataloader.Result[V], len(keys))
		for i, k := range keys {
			if err != nil {
				out[i] = &dataloader.Result[V]{Error: err}
			} else {
				out[i] = &dataloader.Result[V]{Data: m[k]}
			}
		}
		return out
	}
	return dataloader.NewBatchedLoader(batch,
		dataloader.WithWait[K, V](loaderWait),
		dataloader.WithBatchCapacity[K, V](model.MaxLimit*10),
	)
}

// loadAll loads one value per key through l with a single LoadMany, for a
// batch resolver that gets every sibling parent at once: the keys of a whole
// page join one batch whatever the scheduling, and the loader's short wait
// merges the pages of sibling lists (the users of several groups).
func loadAll[V any](ctx context.Context, l *dataloader.Loader[string, V], keys []string) ([]V, error) {
	vals, errs := l.LoadMany(ctx, keys)()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return vals, nil
}

// userIDs lists the ids of users, in order.
func userIDs(users []*model.User) []string {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	return ids
}
