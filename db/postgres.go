package db

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"
	"usergraph/db/query"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"usergraph/db/migrations"
)

// postgresEngine is PostgreSQL: one connection pool for reads and writes,
// shared by any number of replicas; search on a trigram index
// (search_postgres.go), told which trigrams are common by a sample
// (trigrams.go).
type postgresEngine struct{ trigrams *trigramStats }

func (postgresEngine) String() string { return "PostgreSQL" }

func (postgresEngine) nullsSmallest() bool { return false }

func openPostgres(ctx context.Context, dsn string, opt Options, cfg *gorm.Config) (*DB, error) {
	pcfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres dsn: %w", err)
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
	g, sqlDB, err := openPool(postgres.New(postgres.Config{Conn: stdlib.OpenDB(*pcfg)}), cfg, opt)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
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
	return &DB{w: g, r: g, eng: postgresEngine{trigrams: new(trigramStats)}}, nil
}

// migrations are db/migrations/postgres.
func (postgresEngine) migrations() (fs.FS, goose.Dialect, error) {
	sub, err := fs.Sub(migrations.Postgres, "postgres")
	return sub, goose.DialectPostgres, err
}

// ensureSearch has nothing to do: search_text and its index are the
// schema's (the migrations').
func (postgresEngine) ensureSearch(*gorm.DB) error { return nil }

// usersTable leaves the index to PostgreSQL's planner, which keeps
// statistics.
func (postgresEngine) usersTable(q *gorm.DB, _ string) *gorm.DB { return q.Table("users") }

// drivenJoin is a plain join: PostgreSQL orders it by its statistics.
func (postgresEngine) drivenJoin() string { return "JOIN" }

// postgresViolation classifies a PostgreSQL constraint error: the unique
// index or foreign key it broke.
func postgresViolation(err error) (query.Violation, bool) {
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

// listingVersions: PostgreSQL keeps none. A counter row per pool would make
// every user write of the pool wait on its lock; deep pages use OFFSET.
func (postgresEngine) listingVersions() bool { return false }

// singleWriter: PostgreSQL runs concurrent write transactions.
func (postgresEngine) singleWriter() bool { return false }
