package sqlite

import (
	"fmt"

	"gorm.io/gorm"
)

// mergeStep is about how many pages one step of a merge writes: a few
// milliseconds of the writer's time.
const mergeStep = 200

// TidySearch merges a pool's FTS5 tables as FTS5's 'optimize' does, in
// steps: the first 'merge' with a negative size gathers every b-tree into
// one merge; positive ones carry it on (and leave b-trees written meanwhile
// for the next pass). A step that changed fewer than 2 rows found nothing
// left to merge (FTS5's documented test).
func (e Engine) TidySearch(w *gorm.DB, poolID string) (int, error) {
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

// SQLite's FTS5 index reads no posting list it does not need: nothing to
// learn.
func (Engine) SampleSearch(*gorm.DB) error { return nil }
