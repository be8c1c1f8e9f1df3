// Package sqlite is usergraph's embedded engine: SQLite with one writer
// connection and a pool of readers on one file, search on per-pool FTS5
// tables (search.go, tidy.go), the checkpointer that folds the write-ahead
// log (checkpoint.go) and the memory statistics SQLite is told not to keep
// (memstatus.go). db chooses it by the DSN and asks it, through db's
// engine interface, for what differs between engines.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/XSAM/otelsql"
	"github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	gormsqlite "gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"usergraph/db/migrations"
	"usergraph/db/query"
)

// Engine is embedded SQLite: one writer connection and a pool of
// readers on one file; search on per-pool FTS5 tables (search_sqlite.go).
type Engine struct {
	// fts5 reports whether SQLite was built with its FTS5 module (the
	// sqlite_fts5 build tag). Without it search still answers, by scanning.
	fts5 bool
}

func (Engine) String() string { return "SQLite" }

func (Engine) NullsSmallest() bool { return true }

// sqliteParams are the pragmas every connection gets: WAL so readers never
// block the writer, foreign keys enforced, a busy timeout as a safety net,
// and synchronous=NORMAL, which in WAL mode loses nothing when the process
// is killed (only an OS crash can lose the last commits).
var sqliteParams = url.Values{
	"_journal_mode": {"WAL"},
	"_foreign_keys": {"on"},
	"_busy_timeout": {"10000"},
	"_synchronous":  {"NORMAL"},
	"_cache_size":   {"-8000"},
}

func sqliteDSN(dsn string, extra url.Values) string {
	path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "sqlite://"), "?")
	if !strings.HasPrefix(path, "file:") {
		path = "file:" + path
	}
	q, _ := url.ParseQuery(query)
	for k, v := range sqliteParams {
		if _, ok := q[k]; !ok {
			q[k] = v
		}
	}
	for k, v := range extra {
		q[k] = v
	}
	return path + "?" + q.Encode()
}

// The drivers the writer and the readers open, wrapped by otelsql for a
// span per statement when tracing is on (internal/tracing; a no-op
// otherwise): the statement's text, never its arguments. Registered once,
// at the first Open, after the writer's own driver is.
var (
	traced struct {
		sync.Once
		err error
	}
	tracedWriter, tracedReader string
)

func traceDriver(name string) string {
	traced, err := otelsql.Register(name, otelsql.WithAttributes(semconv.DBSystemSqlite),
		otelsql.WithSpanOptions(otelsql.SpanOptions{OmitConnResetSession: true, OmitRows: true}))
	if err != nil {
		panic(fmt.Sprintf("trace sqlite driver %s: %v", name, err)) // a driver registered above, by name
	}
	return traced
}

// Pool opens a connection pool through gorm, as db instruments it, and
// returns it with its database/sql handle for the engine to size.
type Pool func(gorm.Dialector, *gorm.Config) (*gorm.DB, *sql.DB, error)

// Open opens dsn: the writer (one connection, IMMEDIATE transactions), the
// readers (readers of them; 0 means 2×GOMAXPROCS), the engine, and the
// checkpointer that folds the write-ahead log.
func Open(ctx context.Context, dsn string, cfg *gorm.Config, openPool Pool, readers int, log *slog.Logger) (w, r *gorm.DB, eng Engine, cp *Checkpointer, err error) {
	if strings.Contains(dsn, ":memory:") || strings.Contains(dsn, "mode=memory") {
		return nil, nil, eng, nil, errors.New("an in-memory SQLite database cannot be shared by the writer and the readers; use a file")
	}
	traced.Do(func() {
		tracedWriter, tracedReader, traced.err = traceDriver(writerDriver), traceDriver("sqlite3"), nil
	})
	w, wdb, err := openPool(gormsqlite.New(gormsqlite.Config{DriverName: tracedWriter, DSN: sqliteDSN(dsn, url.Values{"_txlock": {"immediate"}})}), cfg)
	if err != nil {
		return nil, nil, eng, nil, fmt.Errorf("open sqlite: %w", err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	if err := wdb.PingContext(ctx); err != nil { // creates the file and switches it to WAL
		return nil, nil, eng, nil, fmt.Errorf("open sqlite: %w", err)
	}
	// Each reader keeps a page cache of its own (SQLite's caches are per
	// connection): 4 MB each, and 8 MB for the writer, so 2×cores readers
	// do not multiply the server's memory. Hot pages stay in the OS's page
	// cache, which they all share and which is not the process's memory;
	// larger caches made the server larger and no faster
	// (docs/performance.md).
	//
	// Readers prepare each statement once per connection and reuse it:
	// SQLite spent a visible share of a user-by-id request compiling the
	// same SQL. The cache is bounded (statements with IN lists of every
	// length, and per-pool search tables, are many). The writer does not:
	// gorm prepares again inside each transaction, which made batch
	// creates slower; a group commit keeps its transaction's
	// statements instead (txstatements.go).
	rcfg := *cfg
	rcfg.PrepareStmt, rcfg.PrepareStmtMaxSize, rcfg.PrepareStmtTTL = true, 512, time.Hour
	r, rdb, err := openPool(gormsqlite.New(gormsqlite.Config{DriverName: tracedReader, DSN: sqliteDSN(dsn, url.Values{"_query_only": {"true"}, "_cache_size": {"-4000"}})}), &rcfg)
	if err != nil {
		return nil, nil, eng, nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	if readers == 0 {
		readers = 2 * runtime.GOMAXPROCS(0)
	}
	rdb.SetMaxOpenConns(readers)
	rdb.SetMaxIdleConns(readers)
	rdb.SetConnMaxLifetime(0)
	var fts5 bool
	if err := w.WithContext(ctx).Raw("SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&fts5).Error; err != nil {
		return nil, nil, eng, nil, err
	}
	if !fts5 {
		log.Warn("SQLite was built without FTS5 (build with -tags sqlite_fts5): user search will scan every user instead of using an index")
	}
	cp, err = startCheckpointer(sqliteDSN(dsn, nil), log)
	if err != nil {
		return nil, nil, eng, nil, fmt.Errorf("open sqlite checkpointer: %w", err)
	}
	return w, r, Engine{fts5: fts5}, cp, nil
}

// migrations are db/migrations/sqlite.
func (Engine) Migrations() (fs.FS, goose.Dialect, error) {
	sub, err := fs.Sub(migrations.SQLite, "sqlite")
	return sub, goose.DialectSQLite3, err
}

// usersTable names the index with INDEXED BY: SQLite keeps no statistics
// here, so with two conditions it may walk the less selective one's index.
func (Engine) UsersTable(q *gorm.DB, index string) *gorm.DB {
	if index != "" {
		return q.Table("users INDEXED BY " + index)
	}
	return q.Table("users")
}

// Indexed names the index with INDEXED BY (see UsersTable).
func (Engine) Indexed(table, alias, index string) string {
	return table + " AS " + alias + " INDEXED BY " + index
}

// NoIndex is SQLite's unary +, which keeps a term from using an index.
func (Engine) NoIndex(expr string) string { return "+" + expr }

// PerRow: SQLite runs a correlated subquery per row.
func (Engine) PerRow() string { return "" }

// drivenJoin is CROSS JOIN, which fixes SQLite's loop order: the driving
// set outside.
func (Engine) DrivenJoin() string { return "CROSS JOIN" }

// Violation classifies a SQLite constraint error: the unique columns
// or foreign key it broke.
func Violation(err error) (query.Violation, bool) {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return query.Violation{}, false
	}
	switch se.ExtendedCode {
	case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
		return query.Violation{Unique: func(_, table, column string) bool { return strings.HasSuffix(se.Error(), table+"."+column) }}, true
	case sqlite3.ErrConstraintForeignKey:
		return query.Violation{ForeignKey: true}, true
	}
	return query.Violation{}, false
}

// DeepPagesByID: SQLite reads the table row of every row an offset skips
// when the page needs a column the order's index lacks; walking the
// index alone for the page's ids, then reading the page by id, costs 30%
// less at offset 5,000 (db.deepPage).
func (Engine) DeepPagesByID() bool { return true }

// singleWriter: SQLite writes one transaction at a time.
func (Engine) SingleWriter() bool { return true }

// Watch has nothing to hear: SQLite has one server process, whose writes
// wake its own readers of the change stream directly (db.Store.OnCommit);
// the `usergraph` commands' writes are found by polling.
func (Engine) Watch(ctx context.Context, _ string, _ func()) { <-ctx.Done() }

// Notify: no one to tell (see Watch).
func (Engine) Notify(*gorm.DB, string) error { return nil }

// SkipLocked: SQLite's one writer never meets another's locks.
func (Engine) SkipLocked() string { return "" }

// Contains is the test that a text column contains a substring.
func (Engine) Contains(col, needle string) string { return "instr(" + col + ", " + needle + ") > 0" }
