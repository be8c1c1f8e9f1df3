// Package upkeep is the background work a server does beside requests:
// pruning the audit trail past its retention, and keeping search fast
// (merging SQLite's index, sampling PostgreSQL's trigrams). Each job runs
// until its context ends; every replica may run them, harmlessly.
package upkeep

import (
	"context"
	"log/slog"
	"time"

	"usergraph/db"
)

// PruneAudit deletes audit records older than retention, now and then
// every tenth of it (at least every second, at most every hour), until ctx
// ends. The store deletes in small batches, each its own transaction, so
// writers never wait long; every replica may prune, harmlessly.
func PruneAudit(ctx context.Context, store *db.Store, retention time.Duration, log *slog.Logger) {
	every := min(max(retention/10, time.Second), time.Hour)
	for {
		n, err := store.PruneAudit(ctx, time.Now().Add(-retention), 500)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("audit pruning failed; will retry", "err", err)
		case n > 0:
			log.Info("pruned audit records", "deleted", n, "older than", retention)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// PruneDeliveries deletes finished webhook deliveries older than
// retention, hourly.
func PruneDeliveries(ctx context.Context, store *db.Store, retention time.Duration, log *slog.Logger) {
	if retention <= 0 {
		return
	}
	for {
		n, err := store.PruneDeliveries(ctx, time.Now().Add(-retention), 500)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("pruning webhook deliveries failed; will retry", "err", err)
		case n > 0:
			log.Info("pruned webhook deliveries", "deleted", n, "older than", retention)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}

// searchTidyEvery is how often the server merges the search indexes on
// SQLite, or samples which trigrams are common on PostgreSQL
// (db.TidySearch). A pass over a merged index costs one short transaction
// per table; over a fragmented one, seconds of the writer's time in steps
// of a few milliseconds. A sample reads about 10,000 users.
const searchTidyEvery = time.Hour

// TidySearch merges the search indexes (or samples them) at start, so that
// a database loaded or grown by many writes is searched fast, and then
// every searchTidyEvery.
func TidySearch(ctx context.Context, d *db.DB, log *slog.Logger) {
	for {
		start := time.Now()
		steps, err := d.TidySearch(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("tidying the search index failed; will retry", "err", err)
		case steps > 0:
			log.Info("merged the search index", "steps", steps, "duration", time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(searchTidyEvery):
		}
	}
}
