package db

import (
	"context"

	"gorm.io/gorm"

	"usergraph/model"
)

// Search runs on a trigram index on both engines, each in a file of its
// own: per-pool FTS5 tables on SQLite (search_sqlite.go), one generated,
// folded search_text column with a pg_trgm index on PostgreSQL
// (search_postgres.go). Both fold ASCII letters only, so every path gives
// the same matches; both return the newest match first.

// SearchUsers finds the pool's users whose searched fields contain the
// query (case-insensitive for ASCII letters) and that pass the filter
// (nil: all), in the order asked, with their count (up to p.CountStop(),
// when bounded). An empty query is the listing (of visible users, unless
// ShowHidden). A search alone, newest first, takes the engine's own path,
// tuned for the one person most searches look for; with a filter or
// another order the search is one more source for the planner
// (FindUsers).
func (s *Store) SearchUsers(ctx context.Context, poolID string, q model.UserSearch, filter *model.UserFilter, sort model.UserSort, p model.Page, cols []string) ([]*model.User, int64, error) {
	if q.Query == "" {
		f := model.UserFilter{}
		if filter != nil {
			f = *filter
		}
		if !q.ShowHidden && f.Hidden == nil {
			f.Hidden = new(bool)
		}
		return s.ListUsers(ctx, poolID, p, sort, &f, cols)
	}
	if filter == nil && sort == model.DefaultUserSort && p.After == nil && !p.Next {
		return s.db.eng.Search(s.read(ctx), poolID, q, p, cols)
	}
	return s.FindUsers(ctx, poolID, &q, filter, sort, p, cols)
}

// RebuildSearchIndex rebuilds a pool's search index from its users. Bulk
// loads that write users directly, such as the benchmark data generator,
// call it afterwards.
func (d *DB) RebuildSearchIndex(ctx context.Context, poolID string) error {
	return d.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return d.eng.RebuildSearchIndex(tx, poolID) })
}
