package sqlite

import (
	"database/sql"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

// SQLite in WAL mode appends commits to the log, and a checkpoint folds
// the log back into the database file, syncing both to disk. By default
// the connection whose commit takes the log past 1,000 pages checkpoints,
// there and then: on usergraph's one writer, so every few group commits a
// write waited for two fsyncs it did not need (synchronous=NORMAL commits
// sync nothing), and creates ran measurably slower for it.
//
// So the writer never checkpoints (its connections open with
// wal_autocheckpoint=0), and a checkpointer of its own does, on a
// connection of its own, every checkpointEvery: a PASSIVE checkpoint runs
// beside the writer and the readers without blocking either. Durability is
// unchanged: a commit is in the log, and the log is synced before it is
// folded. Should the checkpointer stop, the log only grows until it runs
// again or the last connection closes (which checkpoints).

// writerDriver is the SQLite driver for the writer's connections: the
// standard one, leaving checkpoints to the checkpointer.
const writerDriver = "sqlite3_usergraph_writer"

func init() {
	sql.Register(writerDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA wal_autocheckpoint = 0", nil)
		return err
	}})
}

// checkpointEvery is how often the checkpointer folds the log: often enough
// that the log stays a few megabytes under a burst of writes, and a
// checkpoint with nothing to fold costs a lock and a read of the log's
// index.
const checkpointEvery = 100 * time.Millisecond

// checkpointer runs PASSIVE checkpoints on a connection of its own until
// stopped.
type Checkpointer struct {
	db     *sql.DB
	stop   chan struct{}
	done   chan struct{}
	folded atomic.Int64 // log frames folded so far, for tests
}

func startCheckpointer(dsn string, log *slog.Logger) (*Checkpointer, error) {
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	c := &Checkpointer{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run(log)
	return c, nil
}

func (c *Checkpointer) run(log *slog.Logger) {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		// busy: another checkpoint ran; frames: in the log; folded: of
		// them, in the database file now.
		var busy, frames, folded int64
		if err := c.db.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &folded); err != nil {
			log.Warn("checkpoint failed; the write-ahead log grows until one succeeds", "error", err)
			continue
		}
		c.folded.Add(max(folded, 0))
	}
}

// Folded is how many log frames the checkpointer has folded into the
// database file so far (for tests).
func (c *Checkpointer) Folded() int64 { return c.folded.Load() }

// Close stops the checkpointer; the last connection to close checkpoints.
func (c *Checkpointer) Close() error {
	close(c.stop)
	<-c.done
	return c.db.Close()
}
