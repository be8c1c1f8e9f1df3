// Package postgres is usergraph's engine for when one machine is not
// enough: PostgreSQL, one connection pool for reads and writes shared by
// any number of replicas, and search on a trigram index (search.go) told
// which trigrams are common by a sample (trigrams.go). db chooses it by
// the DSN and asks it, through db's engine interface, for what differs
// between engines.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/XSAM/otelsql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	gormpostgres "gorm.io/driver/postgres"
	"gorm.io/gorm"

	"usergraph/db/migrations"
	"usergraph/db/query"
)

// Engine is PostgreSQL: one connection pool for reads and writes,
// shared by any number of replicas; search on a trigram index
// (search_postgres.go), told which trigrams are common by a sample
// (trigrams.go).
type Engine struct {
	trigrams *trigramStats
	// listen is how Watch connects: the pool's own configuration, on a
	// connection of its own.
	listen *pgx.ConnConfig
}

func (Engine) String() string { return "PostgreSQL" }

func (Engine) NullsSmallest() bool { return false }

// Pool opens a connection pool through gorm, as db instruments it, and
// returns it with its database/sql handle for the engine to size.
type Pool func(gorm.Dialector, *gorm.Config) (*gorm.DB, *sql.DB, error)

// Limits size the connection pool: maxOpen (0: 20), maxIdle (0: maxOpen)
// and a connection's lifetime (0: 30 minutes).
type Limits struct {
	MaxOpen, MaxIdle int
	Lifetime         time.Duration
}

// Open opens dsn: one pool for reads and writes, and the engine.
func Open(ctx context.Context, dsn string, cfg *gorm.Config, openPool Pool, l Limits) (*gorm.DB, Engine, error) {
	pcfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, Engine{}, fmt.Errorf("postgres dsn: %w", err)
	}
	// pgx prepares statements, and after five runs PostgreSQL may settle on
	// one generic plan per statement, blind to its parameters. A search's
	// best plan depends on them (one hit: the trigram index; most of the
	// pool: a scan that stops at the count bound), and the generic plan for
	// a common search searched it through the index, many times slower. So
	// plan every execution, unless the DSN says otherwise.
	if _, set := pcfg.RuntimeParams["plan_cache_mode"]; !set {
		pcfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	// JIT compiles a statement whose estimated cost is high: a bounded
	// count or a LIMITed page the planner costs as a walk of the whole
	// pool (a preview, a who-can listing) spent 0.8 s compiling to run in
	// 0.2 s. usergraph's statements are short; compiling never pays. Off,
	// unless the DSN says otherwise.
	if _, set := pcfg.RuntimeParams["jit"]; !set {
		pcfg.RuntimeParams["jit"] = "off"
	}
	// otelsql: a span per statement when tracing is on (internal/tracing;
	// a no-op otherwise), the statement's text, never its arguments.
	conn := otelsql.OpenDB(stdlib.GetConnector(*pcfg), otelsql.WithAttributes(semconv.DBSystemPostgreSQL),
		otelsql.WithSpanOptions(otelsql.SpanOptions{OmitConnResetSession: true, OmitRows: true}))
	g, sqlDB, err := openPool(gormpostgres.New(gormpostgres.Config{Conn: conn}), cfg)
	if err != nil {
		return nil, Engine{}, fmt.Errorf("open postgres: %w", err)
	}
	maxOpen := l.MaxOpen
	if maxOpen == 0 {
		maxOpen = 20
	}
	maxIdle := l.MaxIdle
	if maxIdle == 0 {
		maxIdle = maxOpen
	}
	lifetime := l.Lifetime
	if lifetime == 0 {
		lifetime = 30 * time.Minute
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxIdle)
	sqlDB.SetConnMaxLifetime(lifetime)
	if err := sqlDB.PingContext(ctx); err != nil {
		return nil, Engine{}, fmt.Errorf("connect postgres: %w", err)
	}
	return g, Engine{trigrams: new(trigramStats), listen: pcfg}, nil
}

// migrations are db/migrations/postgres.
func (Engine) Migrations() (fs.FS, goose.Dialect, error) {
	sub, err := fs.Sub(migrations.Postgres, "postgres")
	return sub, goose.DialectPostgres, err
}

// ensureSearch has nothing to do: search_text and its index are the
// schema's (the migrations').
func (Engine) EnsureSearch(*gorm.DB) error { return nil }

// usersTable leaves the index to PostgreSQL's planner, which keeps
// statistics.
func (Engine) UsersTable(q *gorm.DB, _ string) *gorm.DB { return q.Table("users") }

// Indexed leaves the index to PostgreSQL's planner.
func (Engine) Indexed(table, alias, _ string) string { return table + " AS " + alias }

// NoIndex: PostgreSQL keeps statistics and plans hash joins itself.
func (Engine) NoIndex(expr string) string { return expr }

// PerRow is OFFSET 0, which keeps PostgreSQL from turning an EXISTS into
// a join or a hashed subplan.
func (Engine) PerRow() string { return " OFFSET 0" }

// drivenJoin is a plain join: PostgreSQL orders it by its statistics.
func (Engine) DrivenJoin() string { return "JOIN" }

// Violation classifies a PostgreSQL constraint error: the unique
// index or foreign key it broke.
func Violation(err error) (query.Violation, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return query.Violation{}, false
	}
	switch pe.Code {
	case "23505":
		return query.Violation{Unique: func(index, _, _ string) bool { return pe.ConstraintName == index }}, true
	case "23503":
		return query.Violation{ForeignKey: true}, true
	}
	return query.Violation{}, false
}

// DeepPagesByID: no. PostgreSQL's own plan for an offset page is as fast
// (3.4 ms at offset 5,000 either way), and before its statistics know
// the table it may run the ids subquery once per row.
func (Engine) DeepPagesByID() bool { return false }

// singleWriter: PostgreSQL runs concurrent write transactions.
func (Engine) SingleWriter() bool { return false }

// PostgreSQL keeps its trigram index itself (autovacuum merges its pending
// list).
func (Engine) TidySearch(*gorm.DB, string) (int, error) { return 0, nil }

// Contains is the test that a text column contains a substring.
func (Engine) Contains(col, needle string) string { return "strpos(" + col + ", " + needle + ") > 0" }
