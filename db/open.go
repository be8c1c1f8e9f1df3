// Package db is usergraph's persistence: Open connects to SQLite or
// PostgreSQL, choosing the engine once (engine.go), Migrate creates the
// schema, and Store offers whole operations, each scoped by user pool and
// each in one transaction where it writes. It stores data only: tokens are
// auth's, and no GraphQL package is imported here.
package db

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"usergraph/db/postgres"
	"usergraph/db/query"
	"usergraph/db/sqlite"
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
	// Observe, when set, is called once for every SQL statement run with
	// its kind (select, insert, update, delete, other) and duration:
	// metrics count them.
	Observe func(kind string, elapsed time.Duration)
	// Logger receives slow-query and error logs; nil means slog.Default().
	Logger *slog.Logger
}

// DB is an open database. Writes go through w; reads that are not part of a
// write go through r. On SQLite, w is a single connection whose transactions
// begin IMMEDIATE, so writers queue in Go instead of failing with
// "database is locked", and r is a pool of read-only connections that WAL
// lets run beside the writer. On PostgreSQL, w and r are the same pool.
type DB struct {
	w, r *gorm.DB
	eng  engine
	// checkpoints folds SQLite's write-ahead log into the file
	// (checkpoint.go); nil on PostgreSQL.
	checkpoints *sqlite.Checkpointer
}

// Engine names the database engine, for logs.
func (d *DB) Engine() string { return d.eng.String() }

// SQLiteFile returns the file a SQLite DSN names, and false for a
// PostgreSQL one.
func SQLiteFile(dsn string) (string, bool) {
	if IsPostgres(dsn) {
		return "", false
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "sqlite://"), "?")
	return strings.TrimPrefix(path, "file:"), true
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
		PrepareStmt:            false,          // the engine decides (sqlite.go; pgx caches its own)
		TranslateError:         false,          // db/errors.go translates, identically for both engines
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(model.TimePrecision) },
	}
	// The one place the engine is chosen.
	pool := func(dial gorm.Dialector, cfg *gorm.Config) (*gorm.DB, *sql.DB, error) {
		return openPool(dial, cfg, opt)
	}
	if IsPostgres(dsn) {
		g, eng, err := postgres.Open(ctx, dsn, cfg, pool, postgres.Limits{MaxOpen: opt.MaxOpenConns, MaxIdle: opt.MaxIdleConns, Lifetime: opt.ConnMaxLifetime})
		if err != nil {
			return nil, err
		}
		return &DB{w: g, r: g, eng: eng}, nil
	}
	w, r, eng, cp, err := sqlite.Open(ctx, dsn, cfg, pool, opt.MaxOpenConns, opt.Logger)
	if err != nil {
		return nil, err
	}
	return &DB{w: w, r: r, eng: eng, checkpoints: cp}, nil
}

// statementKind is a statement's first keyword, as a metrics label.
func statementKind(sql string) string {
	word, _, _ := strings.Cut(strings.TrimLeft(sql, " \t\n("), " ")
	switch w := strings.ToLower(word); w {
	case "select", "insert", "update", "delete":
		return w
	case "with":
		return "select"
	}
	return "other"
}

// ConnStats sums the connection pools' statistics: connections open, in
// use and idle.
func (d *DB) ConnStats() (open, inUse, idle int) {
	for _, g := range []*gorm.DB{d.w, d.r} {
		sqlDB, err := g.DB()
		if err != nil {
			continue
		}
		s := sqlDB.Stats()
		open, inUse, idle = open+s.OpenConnections, inUse+s.InUse, idle+s.Idle
		if d.r == d.w {
			break
		}
	}
	return open, inUse, idle
}

// openPool opens a connection pool through gorm, instrumented, and returns
// it with its database/sql handle for the engine to size.
func openPool(dial gorm.Dialector, cfg *gorm.Config, opt Options) (*gorm.DB, *sql.DB, error) {
	g, err := gorm.Open(dial, cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := instrument(g, opt); err != nil {
		return nil, nil, err
	}
	sqlDB, err := g.DB()
	return g, sqlDB, err
}

// Close closes every connection. On SQLite the writer closes last, so the
// WAL is checkpointed into the main file.
func (d *DB) Close() error {
	var errs []error
	if d.checkpoints != nil {
		errs = append(errs, d.checkpoints.Close())
	}
	for _, g := range []*gorm.DB{d.r, d.w} {
		sqlDB, err := g.DB()
		if err == nil {
			err = sqlDB.Close()
		}
		if err != nil && !strings.Contains(err.Error(), "closed") {
			errs = append(errs, err)
		}
		if d.r == d.w {
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
	before := func(tx *gorm.DB) {
		tx.InstanceSet(startKey, time.Now())
		stopIfGone(tx)
	}
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
		if m := query.MeterOf(ctx); m != nil {
			m.Ran()
		}
		if opt.Observe != nil {
			opt.Observe(statementKind(sql), elapsed)
		}
		switch err := tx.Error; {
		case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !isConstraintError(err) &&
			!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded):
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
