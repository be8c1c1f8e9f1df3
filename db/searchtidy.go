package db

import (
	"context"
	"fmt"

	"gorm.io/gorm"

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
		n, err := d.eng.tidySearch(d.w.WithContext(ctx), p)
		steps += n
		if err != nil {
			return steps, err
		}
	}
	return steps, d.eng.sampleSearch(d.r.WithContext(ctx))
}

// mergeStep is about how many pages one step of a merge writes: a few
// milliseconds of the writer's time.
const mergeStep = 200

// tidySearch merges a pool's FTS5 tables as FTS5's 'optimize' does, in
// steps: the first 'merge' with a negative size gathers every b-tree into
// one merge; positive ones carry it on (and leave b-trees written meanwhile
// for the next pass). A step that changed fewer than 2 rows found nothing
// left to merge (FTS5's documented test).
func (e sqliteEngine) tidySearch(w *gorm.DB, poolID string) (int, error) {
	if !e.fts5 {
		return 0, nil
	}
	steps := 0
	for _, t := range []string{ftsTable(poolID), ftsHiddenTable(poolID)} {
		for size := -mergeStep; ; size = mergeStep {
			var before, after int64
			err := w.Transaction(func(tx *gorm.DB) error {
				if err := tx.Raw("SELECT total_changes()").Scan(&before).Error; err != nil {
					return err
				}
				if err := tx.Exec(fmt.Sprintf("INSERT INTO %s(%s, rank) VALUES('merge', ?)", t, t), size).Error; err != nil {
					return err
				}
				return tx.Raw("SELECT total_changes()").Scan(&after).Error
			})
			if err != nil {
				return steps, err
			}
			if after-before < 2 {
				break
			}
			steps++
		}
	}
	return steps, nil
}

// PostgreSQL keeps its trigram index itself (autovacuum merges its pending
// list).
func (postgresEngine) tidySearch(*gorm.DB, string) (int, error) { return 0, nil }

// SQLite's FTS5 index reads no posting list it does not need: nothing to
// learn.
func (sqliteEngine) sampleSearch(*gorm.DB) error { return nil }
