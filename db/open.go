// Package db is usergraph's persistence: Open connects to SQLite or
// PostgreSQL, Migrate creates the schema, and Store offers whole operations,
// each scoped by user pool and each in one transaction where it writes.
package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"usergraph/model"
)

// Options tunes a connection. The zero value is a sensible default.
type Options struct {
	// MaxOpenConns bounds the read pool (SQLite) or the whole pool
	// (PostgreSQL). Zero means 2×GOMAXPROCS for SQLite readers and 20 for
	// PostgreSQL.
	MaxOpenConns int
	// MaxIdleConns bounds idle PostgreSQL connections; zero means MaxOpenConns.
	MaxIdleConns int
	// ConnMaxLifetime recycles PostgreSQL connections; zero means 30 minutes.
	ConnMaxLifetime time.Duration
	// SlowQuery is the duration above which a statement is logged at warn
	// level (without its parameters). Zero means 200ms.
	SlowQuery time.Duration
	// OnStatement, when set, is called once for every SQL statement run:
	// tests count statements with it.
	OnStatement func(sql string)
	// Logger receives slow-query and error logs; nil means slog.Default().
	Logger *slog.Logger
}

// DB is an open database. Writes go through W; reads that are not part of a
// write go through R. On SQLite, W is a single connection whose transactions
// begin IMMEDIATE, so writers queue in Go instead of failing with
// "database is locked", and R is a pool of read-only connections that WAL
// lets run beside the writer. On PostgreSQL, W and R are the same pool.
type DB struct {
	W, R    *gorm.DB
	Dialect string // "sqlite" or "postgres"
	// FTS5 reports whether SQLite was built with its FTS5 module (the
	// sqlite_fts5 build tag). Without it search still answers, by scanning.
	FTS5 bool
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn: a postgres:// URL, or else a SQLite file path (an
// optional "file:" or "sqlite://" prefix and query parameters are kept).
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	if opt.SlowQuery == 0 {
		opt.SlowQuery = 200 * time.Millisecond
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	cfg := &gorm.Config{
		Logger:                 logger.Discard, // instrument logs instead, without values
		SkipDefaultTransaction: true,           // Store opens its own transactions
		PrepareStmt:            false,
		TranslateError:         false, // db/errors.go translates, identically for both engines
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(model.TimePrecision) },
	}
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn, opt, cfg)
	}
	return openSQLite(ctx, dsn, opt, cfg)
}

func openPostgres(ctx context.Context, dsn string, opt Options, cfg *gorm.Config) (*DB, error) {
	pcfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres dsn: %w", err)
	}
	// pgx prepares statements, and after five runs PostgreSQL may settle on
	// one generic plan per statement, blind to its parameters. A search's
	// best plan depends on them (one hit: the trigram index; most of the
	// pool: a scan that stops at the count bound), and the generic plan for
	// a common search took 117 ms instead of 5. So plan every execution,
	// unless the DSN says otherwise.
	if _, set := pcfg.RuntimeParams["plan_cache_mode"]; !set {
		pcfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: stdlib.OpenDB(*pcfg)}), cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := instrument(g, opt); err != nil {
		return nil, err
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	maxOpen := opt.MaxOpenConns
	if maxOpen == 0 {
		maxOpen = 20
	}
	maxIdle := opt.MaxIdleConns
	if maxIdle == 0 {
		maxIdle = maxOpen
	}
	lifetime := opt.ConnMaxLifetime
	if lifetime == 0 {
		lifetime = 30 * time.Minute
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxIdle)
	sqlDB.SetConnMaxLifetime(lifetime)
	if err := sqlDB.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	return &DB{W: g, R: g, Dialect: "postgres"}, nil
}

// sqliteParams are the pragmas every connection gets: WAL so readers never
// block the writer, foreign keys enforced, a busy timeout as a safety net,
// and synchronous=NORMAL, which in WAL mode loses nothing when the process
// is killed (only an OS crash can lose the last commits).
var sqliteParams = url.Values{
	"_journal_mode": {"WAL"},
	"_foreign_keys": {"on"},
	"_busy_timeout": {"10000"},
	"_synchronous":  {"NORMAL"},
	"_cache_size":   {"-32000"},
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

func openSQLite(ctx context.Context, dsn string, opt Options, cfg *gorm.Config) (*DB, error) {
	if strings.Contains(dsn, ":memory:") || strings.Contains(dsn, "mode=memory") {
		return nil, errors.New("an in-memory SQLite database cannot be shared by the writer and the readers; use a file")
	}
	w, err := gorm.Open(sqlite.Open(sqliteDSN(dsn, url.Values{"_txlock": {"immediate"}})), cfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	if err := instrument(w, opt); err != nil {
		return nil, err
	}
	wdb, err := w.DB()
	if err != nil {
		return nil, err
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	if err := wdb.PingContext(ctx); err != nil { // creates the file and switches it to WAL
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	r, err := gorm.Open(sqlite.Open(sqliteDSN(dsn, url.Values{"_query_only": {"true"}})), cfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	if err := instrument(r, opt); err != nil {
		return nil, err
	}
	rdb, err := r.DB()
	if err != nil {
		return nil, err
	}
	readers := opt.MaxOpenConns
	if readers == 0 {
		readers = 2 * runtime.GOMAXPROCS(0)
	}
	rdb.SetMaxOpenConns(readers)
	rdb.SetMaxIdleConns(readers)
	rdb.SetConnMaxLifetime(0)
	var fts5 bool
	if err := w.WithContext(ctx).Raw("SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&fts5).Error; err != nil {
		return nil, err
	}
	if !fts5 {
		opt.Logger.Warn("SQLite was built without FTS5 (build with -tags sqlite_fts5): user search will scan every user instead of using an index")
	}
	return &DB{W: w, R: r, Dialect: "sqlite", FTS5: fts5}, nil
}

// Close closes every connection. On SQLite the writer closes last, so the
// WAL is checkpointed into the main file.
func (d *DB) Close() error {
	var errs []error
	for _, g := range []*gorm.DB{d.R, d.W} {
		sqlDB, err := g.DB()
		if err == nil {
			err = sqlDB.Close()
		}
		if err != nil && !strings.Contains(err.Error(), "closed") {
			errs = append(errs, err)
		}
		if d.R == d.W {
			break
		}
	}
	return errors.Join(errs...)
}

// instrument hooks every statement gorm runs: OnStatement sees it, and a
// slow or failing one is logged. The SQL logged is the statement with its
// placeholders, never its bound values, so secrets and personal data never
// reach the logs. (gorm's own logger inlines the values.)
func instrument(g *gorm.DB, opt Options) error {
	const startKey = "usergraph:start"
	before := func(tx *gorm.DB) { tx.InstanceSet(startKey, time.Now()) }
	after := func(tx *gorm.DB) {
		if tx.DryRun {
			return // only built (e.g. a subquery inlined into another statement), not run
		}
		sql := tx.Statement.SQL.String()
		if opt.OnStatement != nil {
			opt.OnStatement(sql)
		}
		var elapsed time.Duration
		if start, ok := tx.InstanceGet(startKey); ok {
			elapsed = time.Since(start.(time.Time))
		}
		ctx := tx.Statement.Context
		switch err := tx.Error; {
		case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !isConstraintError(err):
			opt.Logger.ErrorContext(ctx, "sql error", "err", err, "sql", sql, "elapsed", elapsed)
		case elapsed > opt.SlowQuery:
			opt.Logger.WarnContext(ctx, "slow sql", "sql", sql, "rows", tx.RowsAffected, "elapsed", elapsed)
		}
	}
	cb := g.Callback()
	const b, a = "usergraph:before", "usergraph:after"
	return errors.Join(
		cb.Create().Before("*").Register(b, before), cb.Create().After("*").Register(a, after),
		cb.Query().Before("*").Register(b, before), cb.Query().After("*").Register(a, after),
		cb.Update().Before("*").Register(b, before), cb.Update().After("*").Register(a, after),
		cb.Delete().Before("*").Register(b, before), cb.Delete().After("*").Register(a, after),
		cb.Row().Before("*").Register(b, before), cb.Row().After("*").Register(a, after),
		cb.Raw().Before("*").Register(b, before), cb.Raw().After("*").Register(a, after),
	)
}
