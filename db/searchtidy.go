package db

import (
	"context"

	"usergraph/model"
)

// TidySearch merges each pool's search index into as few parts as it can,
// and returns how many steps of merging that took (0: nothing to merge).
//
// On SQLite every write to an FTS5 table adds a small b-tree to its index,
// and FTS5 merges them only level by level, so an index built or grown by
// many writes is read as dozens of b-trees. A query reads every one, so a
// merged index answers every search faster (docs/performance.md). Each step is its own short write
// transaction, so writes go on between steps.
//
// PostgreSQL's trigram index needs no merging; instead TidySearch samples
// the users to learn which trigrams are common (trigrams.go).
//
// The server runs this at start and then hourly.
func (d *DB) TidySearch(ctx context.Context) (steps int, err error) {
	var pools []string
	if err := d.r.WithContext(ctx).Model(&model.UserPool{}).Pluck("id", &pools).Error; err != nil {
		return 0, err
	}
	for _, p := range pools {
		n, err := d.eng.TidySearch(d.w.WithContext(ctx), p)
		steps += n
		if err != nil {
			return steps, err
		}
	}
	return steps, d.eng.SampleSearch(d.r.WithContext(ctx))
}
