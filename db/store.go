package db

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"usergraph/db/sqlite"
	"usergraph/internal/password"
	"usergraph/model"
)

// Store is usergraph's persistence API. Every method takes the pool ID
// explicitly and never reads or writes another pool's rows; every method that
// writes does so in one transaction, so a rejected write changes nothing.
type Store struct {
	db     *DB
	hasher *password.Hasher
	now    func() time.Time
	// commits groups queued writes (nil: each write commits alone).
	commits *sqlite.Committer
	// onCommit is called after a write that recorded a change committed
	// (OnCommit).
	onCommit atomic.Pointer[func(int)]
	// sealKey is the key secrets are sealed with (accesskeys.go), read
	// once.
	sealKey atomic.Pointer[[]byte]
}

// OnCommit has fn called after every write that recorded changes
// commits, with how many records (events) it wrote: the change stream
// (internal/events) wakes on it rather than polling. fn must not block.
func (s *Store) OnCommit(fn func(events int)) { s.onCommit.Store(&fn) }

// NewStore returns a Store over d. hasher hashes the passwords it writes.
func NewStore(d *DB, hasher *password.Hasher) *Store {
	s := &Store{db: d, hasher: hasher, now: func() time.Time { return time.Now().UTC().Truncate(model.TimePrecision) }}
	if d.eng.SingleWriter() {
		s.commits = sqlite.NewCommitter(d.w, func(ctx context.Context, tx *gorm.DB, fn func(tx *gorm.DB) error) (any, error) {
			return runWrite(ctx, s, tx.WithContext(detached(ctx)), fn)
		}, s.writeAlone)
	}
	return s
}

// read returns a handle for reads outside a write transaction.
func (s *Store) read(ctx context.Context) *gorm.DB { return s.db.r.WithContext(ctx) }

// write runs fn in one transaction on the writer and translates the error
// it ends with. On SQLite the transaction begins IMMEDIATE, taking the write
// lock up front, so concurrent writers queue rather than fail, and queued
// writes commit together (db/sqlite's group commit), each still all or nothing. The
// changes fn records (audit.go) are inserted in the same transaction, after
// fn succeeds: they commit with the changes, or not at all.
//
// fn may run more than once: when a write of its group fails, SQLite's
// group commit rolls the group back and runs it again, split around the
// failure. So fn must be a function of the database it sees and of what
// was decided before the write: whatever it computes for its caller it
// assigns afresh on every run (never appends to, or caches in, anything
// that outlives the run).
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	// recorded: how many records the last run of fn made (each run of
	// a write its group commit runs again starts afresh).
	recorded := 0
	run := func(tx *gorm.DB) error {
		err := fn(tx)
		recorded = 0
		if err == nil {
			recorded = auditOf(tx).recorded()
		}
		return err
	}
	var err error
	if s.commits != nil {
		err = s.commits.Write(ctx, run)
	} else {
		var panicked any
		panicked, err = s.writeAlone(ctx, run)
		if panicked != nil {
			panic(panicked)
		}
	}
	if err == nil && recorded > 0 {
		if f := s.onCommit.Load(); f != nil {
			(*f)(recorded)
		}
	}
	return translate(err)
}

// newID returns a time-ordered UUID (v7): new rows land at the end of the
// primary-key index instead of at random places in it.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// Ready checks that the database answers and holds the schema this binary
// migrates to: no migration pending, none applied that it does not know (a
// newer binary migrated it).
func (s *Store) Ready(ctx context.Context) error {
	p, err := s.db.migrations()
	if err != nil {
		return err
	}
	current, target, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("database not ready: %w", err)
	}
	if current != target {
		return fmt.Errorf("database schema is at version %d, this server needs %d: run it once (or usergraph migrate) to migrate", current, target)
	}
	return nil
}
