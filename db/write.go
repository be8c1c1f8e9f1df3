package db

// How a write runs: in a transaction of its own (writeAlone), or in a
// savepoint of a group's (SQLite's group commit, db/sqlite, calls runWrite),
// always detached from its context's cancellation, which is checked before
// each statement instead (stopIfGone), with its audit records inserted
// last (audit.go).

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// errPanicked rolls back a write whose fn panicked.
var errPanicked = errors.New("write panicked")

// ownCtxKey holds, in the context a group's write runs under, the write's
// own context, whose cancellation its statements do not see.
type ownCtxKey struct{}

// detached is ctx's values without its cancellation, remembering ctx so
// stopIfGone can check it between statements.
func detached(ctx context.Context) context.Context {
	return context.WithValue(context.WithoutCancel(ctx), ownCtxKey{}, ctx)
}

// stopIfGone fails a statement of a group's write, before it runs, when
// the write's own context has ended. Every statement calls it (instrument).
func stopIfGone(tx *gorm.DB) {
	if own, ok := tx.Statement.Context.Value(ownCtxKey{}).(context.Context); ok {
		if err := own.Err(); err != nil {
			_ = tx.AddError(err)
		}
	}
}

// writeAlone runs fn in a transaction of its own. Like a group's writes,
// it runs detached from its context's cancellation, which is checked
// before each statement instead: on PostgreSQL a query interrupted by its
// context breaks its connection, and the pool may hand a broken one to a
// well-behaved write.
func (s *Store) writeAlone(ctx context.Context, fn func(tx *gorm.DB) error) (panicked any, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	err = s.db.w.WithContext(detached(ctx)).Transaction(func(tx *gorm.DB) error {
		panicked, err = runWrite(ctx, s, tx, fn)
		if panicked != nil {
			return errPanicked
		}
		return err
	})
	return panicked, err
}

// runWrite runs fn and then the inserts of the changes it recorded
// (audit.go), on tx under ctx, recovering a panic of fn.
func runWrite(ctx context.Context, s *Store, tx *gorm.DB, fn func(tx *gorm.DB) error) (panicked any, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err // its client went away while it queued
	}
	defer func() {
		if r := recover(); r != nil {
			panicked = r
		}
	}()
	ctx, audit := withAudit(tx.Statement.Context, s.now())
	tx = tx.WithContext(ctx)
	if err := fn(tx); err != nil {
		return nil, err
	}
	return nil, audit.flush(tx, s.db.eng.SingleWriter())
}
