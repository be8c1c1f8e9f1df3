// Package dbtest opens a fresh, migrated database for one test: a temp-file
// SQLite database by default, or a schema of its own in the PostgreSQL
// named by USERGRAPH_TEST_POSTGRES_DSN, so the same tests run on both
// engines.
package dbtest

import (
	"context"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"usergraph/db"
)

// PostgresEnv names the environment variable holding a PostgreSQL DSN.
const PostgresEnv = "USERGRAPH_TEST_POSTGRES_DSN"

// Counter counts the SQL statements a database runs, and keeps them so a
// failing test can show what ran.
type Counter struct {
	mu   sync.Mutex
	stmt []string
}

func (c *Counter) add(sql string) {
	c.mu.Lock()
	c.stmt = append(c.stmt, sql)
	c.mu.Unlock()
}

// Count returns the number of statements run since the last Reset.
func (c *Counter) Count() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return int64(len(c.stmt))
}

// Statements returns the statements run since the last Reset.
func (c *Counter) Statements() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.stmt...)
}

// Reset forgets the statements run so far.
func (c *Counter) Reset() {
	c.mu.Lock()
	c.stmt = nil
	c.mu.Unlock()
}

// Open returns a fresh migrated database for t, closed when t ends, and a
// counter of the statements it runs.
func Open(t testing.TB) (*db.DB, *Counter) {
	t.Helper()
	return OpenDSN(t, DSN(t))
}

// OpenDSN is Open on a database DSN made: a second replica of one
// database (PostgreSQL), or the file a test server used (SQLite).
func OpenDSN(t testing.TB, dsn string) (*db.DB, *Counter) {
	t.Helper()
	c := &Counter{}
	d, err := db.Open(context.Background(), dsn, db.Options{
		OnStatement: c.add,
		Logger:      slog.New(slog.DiscardHandler),
		SlowQuery:   time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := db.Migrate(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	dsns.Store(d, dsn)
	return d, c
}

// dsns remembers the DSN of each database Open returned, for Raw.
var dsns sync.Map // *db.DB → string

// Raw returns a connection of its own to a database Open returned, for
// tests that look at tables directly (a row count, a stored hash). The
// store's own connections stay unexported: nothing outside db writes
// around the Store.
func Raw(t testing.TB, d *db.DB) *gorm.DB {
	t.Helper()
	v, ok := dsns.Load(d)
	if !ok {
		t.Fatal("dbtest.Raw: not a database from dbtest.Open")
	}
	return RawDSN(t, v.(string))
}

// RawDSN is Raw for a database named by its DSN (one a server process of
// the test's made, say).
func RawDSN(t testing.TB, dsn string) *gorm.DB {
	t.Helper()
	var dial gorm.Dialector
	if db.IsPostgres(dsn) {
		dial = postgres.Open(dsn)
	} else {
		dial = sqlite.Open("file:" + dsn + "?_busy_timeout=10000")
	}
	g, err := gorm.Open(dial, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := g.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return g
}

// DSN returns a DSN for a database of t's own: a file under t.TempDir(), or
// a new schema in the PostgreSQL test database (dropped when t ends).
func DSN(t testing.TB) string {
	t.Helper()
	pg := lookupPostgres()
	if pg == "" {
		return filepath.Join(t.TempDir(), "usergraph.db")
	}
	schema := "t_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	admin, err := gorm.Open(postgres.Open(pg), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if sqlDB, err := admin.DB(); err == nil {
			sqlDB.Close()
		}
	})
	u, err := url.Parse(pg)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Engine names the engine tests run on, for benchmark labels and skips.
func Engine() string {
	if lookupPostgres() != "" {
		return "postgres"
	}
	return "sqlite"
}

func lookupPostgres() string { return os.Getenv(PostgresEnv) }

// Reopen opens a second connection set (a second replica) on the database
// d was opened on, closed when t ends.
func Reopen(t testing.TB, d *db.DB) (*db.DB, error) {
	t.Helper()
	v, ok := dsns.Load(d)
	if !ok {
		t.Fatal("dbtest.Reopen: not a database from dbtest.Open")
	}
	d2, err := db.Open(context.Background(), v.(string), db.Options{Logger: slog.New(slog.DiscardHandler), SlowQuery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d2.Close() })
	return d2, nil
}

// DSNOf is the DSN a database from Open was opened with, to open another
// handle on it (a second replica).
func DSNOf(t testing.TB, d *db.DB) string {
	t.Helper()
	v, ok := dsns.Load(d)
	if !ok {
		t.Fatal("dbtest.DSNOf: not a database from dbtest.Open")
	}
	return v.(string)
}
