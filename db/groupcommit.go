package db

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

// Group commit: SQLite has one writer, so writes queue for it anyway. The
// committer lets the write at the head of the queue run every write queued
// behind it in one transaction, each in a savepoint of its own, and commit
// them together. A commit is most of a small write's cost (the WAL append
// of every page it dirtied: the users table, its indexes, the search and
// audit tables), and consecutive creates dirty the same pages, so a burst
// of creates costs a fraction of a commit each.
//
// Each write keeps its own outcome: one that fails is rolled back to its
// savepoint and gets its error, the others commit; if the commit itself
// fails, none did, and all get its error. A write's statements run with its
// own context's values (statement budget, audit actor) but not its
// cancellation: a statement interrupted by its context makes SQLite roll
// back the whole transaction, every other write of the group with it. So
// a write's own context is checked before each of its statements
// (stopIfGone), and a write whose client went away or whose deadline
// passed fails there and is rolled back to its savepoint alone. No
// write waits for company: the head of the queue starts at once, and what
// queues while it commits forms the next group. On PostgreSQL, which has
// concurrent writers, each write is its own transaction.
type committer struct {
	mu      sync.Mutex
	queue   []*pendingWrite
	leading bool // a write is running a group (and will hand over)
}

// maxGroup bounds a group, so a burst does not make one long transaction.
const maxGroup = 64

// pendingWrite is one write waiting in the queue, then its outcome.
type pendingWrite struct {
	ctx      context.Context
	fn       func(tx *gorm.DB) error
	lead     chan struct{} // says: run the queue's next group
	done     chan struct{} // closed when the write's group has committed
	err      error
	panicked any // a panic of fn, raised again in the write's own goroutine
}

// write runs fn through the committer and waits for its group's commit.
func (c *committer) write(ctx context.Context, s *Store, fn func(tx *gorm.DB) error) error {
	w := &pendingWrite{ctx: ctx, fn: fn, lead: make(chan struct{}, 1), done: make(chan struct{})}
	c.mu.Lock()
	c.queue = append(c.queue, w)
	if !c.leading {
		c.leading = true
		w.lead <- struct{}{}
	}
	c.mu.Unlock()
	select {
	case <-w.done:
	case <-w.lead:
		c.runGroup(s)
		<-w.done
	}
	if w.panicked != nil {
		panic(w.panicked)
	}
	return w.err
}

// runGroup commits the writes at the head of the queue, then hands the
// lead to the next write waiting, if any.
func (c *committer) runGroup(s *Store) {
	c.mu.Lock()
	n := min(len(c.queue), maxGroup)
	group := c.queue[:n:n]
	c.queue = c.queue[n:]
	c.mu.Unlock()
	// Whatever happens to the group, its writes are answered and the lead
	// passes on: a panic outside the writes' own code (theirs are
	// recovered one by one) must not leave the queue waiting for ever.
	defer func() {
		if r := recover(); r != nil {
			for _, w := range group {
				if w.err == nil && w.panicked == nil {
					w.err = fmt.Errorf("group commit: %v", r)
				}
			}
		}
		c.mu.Lock()
		if len(c.queue) > 0 {
			c.queue[0].lead <- struct{}{}
		} else {
			c.leading = false
		}
		c.mu.Unlock()
		for _, w := range group {
			close(w.done)
		}
	}()
	s.commitGroup(group)
}

// commitGroup runs a group of writes in one transaction (a write alone in
// its own, as before group commit).
func (s *Store) commitGroup(group []*pendingWrite) {
	if len(group) == 1 {
		w := group[0]
		w.panicked, w.err = s.writeAlone(w.ctx, w.fn)
		return
	}
	err := s.db.w.WithContext(context.Background()).Transaction(func(tx *gorm.DB) error {
		reuseStatements(tx)
		for _, w := range group {
			if err := tx.SavePoint("group_write").Error; err != nil {
				return err
			}
			w.panicked, w.err = runWrite(w.ctx, s, tx.WithContext(detached(w.ctx)), w.fn)
			if w.err != nil || w.panicked != nil {
				if err := tx.RollbackTo("group_write").Error; err != nil {
					return err
				}
			}
			if err := tx.Exec("RELEASE SAVEPOINT group_write").Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for _, w := range group {
			if w.err == nil && w.panicked == nil {
				w.err = fmt.Errorf("group commit: %w", err)
			}
		}
	}
}

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
	return nil, audit.flush(tx)
}
