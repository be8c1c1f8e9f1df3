package sqlite

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

// Group commit: SQLite has one writer, so writes queue for it anyway. The
// committer lets the write at the head of the queue run every write queued
// behind it in one transaction and commit them together. A commit is most
// of a small write's cost (the WAL append of every page it dirtied: the
// users table, its indexes, the search and audit tables), and consecutive
// creates dirty the same pages, so a burst of creates costs a fraction of
// a commit each.
//
// Each write keeps its own outcome, as if the writes had run one after
// another. Writes are validated before they queue, so one rarely fails;
// the group is run optimistically, without a savepoint per write (two
// statements more a write, a tenth of a create). When one fails, the
// whole group is rolled back and run again split around it: the writes
// before it as a group, it alone, the writes after it as a group. If the
// commit itself fails, none of the writes did, and all get its error. A
// write's statements run with its own context's values (statement budget,
// audit actor) but not its cancellation: a statement interrupted by its
// context makes SQLite roll back the whole transaction. So a write's own
// context is checked before each of its statements (db's RunFunc runs it
// so), and a write whose client went away or whose deadline passed fails
// there, cleanly. No write waits for company: the head of the queue
// starts at once, and what queues while it commits forms the next group.
// (PostgreSQL, which has concurrent writers, needs none: each write is its
// own transaction.)
type Committer struct {
	mu      sync.Mutex
	queue   []*pendingWrite
	leading bool // a write is running a group (and will hand over)
	w       *gorm.DB
	run     RunFunc
	alone   AloneFunc
}

// RunFunc runs one write's fn in tx, a savepoint of a group's transaction,
// as the store runs every write (with its audit, detached from its
// context's cancellation), recovering a panic of fn.
type RunFunc func(ctx context.Context, tx *gorm.DB, fn func(tx *gorm.DB) error) (panicked any, err error)

// AloneFunc runs a write in a transaction of its own, as RunFunc runs it
// in a group.
type AloneFunc func(ctx context.Context, fn func(tx *gorm.DB) error) (panicked any, err error)

// NewCommitter returns a committer of writes on w, the engine's one
// writer, each run by run (in a group) or alone.
func NewCommitter(w *gorm.DB, run RunFunc, alone AloneFunc) *Committer {
	return &Committer{w: w, run: run, alone: alone}
}

// State says whether a write is running a group, and how many writes wait
// behind it (for tests).
func (c *Committer) State() (leading bool, queued int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.leading, len(c.queue)
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

// Write runs fn through the committer and waits for its group's commit;
// a panic of fn is raised again here, in the write's own goroutine.
func (c *Committer) Write(ctx context.Context, fn func(tx *gorm.DB) error) error {
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
		c.runGroup()
		<-w.done
	}
	if w.panicked != nil {
		panic(w.panicked)
	}
	return w.err
}

// runGroup commits the writes at the head of the queue, then hands the
// lead to the next write waiting, if any.
func (c *Committer) runGroup() {
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
	c.commitGroup(group)
}

// commitGroup runs a group of writes in one transaction (a write alone in
// its own, as before group commit).
func (c *Committer) commitGroup(group []*pendingWrite) {
	switch len(group) {
	case 0:
		return
	case 1:
		w := group[0]
		w.panicked, w.err = c.alone(w.ctx, w.fn)
		return
	}
	failed := -1
	err := c.w.WithContext(context.Background()).Transaction(func(tx *gorm.DB) error {
		reuseStatements(tx)
		for i, w := range group {
			w.panicked, w.err = c.run(w.ctx, tx, w.fn)
			if w.err != nil || w.panicked != nil {
				failed = i
				return errWriteFailed
			}
		}
		return nil
	})
	if failed >= 0 {
		// The group was rolled back, every write of it. The writes before
		// the one that failed succeeded and will again, on the same state:
		// they commit as a group; the one that failed runs alone, for an
		// outcome of its own (a panic is not run twice); those after it
		// form a group of their own. Each write's outcome is what it would
		// have been run in turn.
		c.commitGroup(group[:failed])
		if w := group[failed]; w.panicked == nil {
			w.panicked, w.err = c.alone(w.ctx, w.fn)
		}
		c.commitGroup(group[failed+1:])
		return
	}
	if err != nil {
		for _, w := range group {
			if w.err == nil && w.panicked == nil {
				w.err = fmt.Errorf("group commit: %w", err)
			}
		}
	}
}

// errWriteFailed rolls back a group in which a write failed.
var errWriteFailed = errors.New("a write of the group failed")
