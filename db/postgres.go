package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
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
	// a common search took 117 ms instead of 5. So plan every execution,
	// unless the DSN says otherwise.
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

// lockMigrations takes a transaction-scoped advisory lock, so replicas
// starting together migrate one after another.
func (postgresEngine) lockMigrations(tx *gorm.DB) error {
	return tx.Exec("SELECT pg_advisory_xact_lock(7263541)").Error
}

// usersTable leaves the index to PostgreSQL's planner, which keeps
// statistics.
func (postgresEngine) usersTable(q *gorm.DB, _ string) *gorm.DB { return q.Table("users") }

// drivenJoin is a plain join: PostgreSQL orders it by its statistics.
func (postgresEngine) drivenJoin() string { return "JOIN" }

// postgresViolation classifies a PostgreSQL constraint error: the unique
// index or foreign key it broke.
func postgresViolation(err error) (violation, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return violation{}, false
	}
	switch pe.Code {
	case "23505":
		return violation{unique: func(index, _, _ string) bool { return pe.ConstraintName == index }}, true
	case "23503":
		return violation{foreignKey: true}, true
	}
	return violation{}, false
}

// listingVersions: PostgreSQL keeps none. A counter row per pool would make
// every user write of the pool wait on its lock; deep pages use OFFSET.
func (postgresEngine) listingVersions() bool { return false }

func (postgresEngine) migrateListingVersions(*gorm.DB) error { return nil }

// pgMemberStateFunctions set a new membership's copies from its user before
// it is written (no user, no change: the foreign key reports it) and
// follow a user's changes into the memberships (by their user_id index).
var pgMemberStateFunctions = []string{
	`CREATE OR REPLACE FUNCTION ug_member_state() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE s text; h boolean;
	BEGIN
		SELECT u.status, u.hidden INTO s, h FROM users u WHERE u.id = NEW.user_id;
		IF FOUND THEN NEW.user_status := s; NEW.user_hidden := h; END IF;
		RETURN NEW;
	END $$`,
	`CREATE OR REPLACE FUNCTION ug_user_state() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		UPDATE group_members SET user_status = NEW.status, user_hidden = NEW.hidden WHERE user_id = NEW.id;
		RETURN NULL;
	END $$`,
}

// pgMemberStateTriggers are made once: creating a trigger locks its table
// against writes, which replicas starting next to serving ones should not.
var pgMemberStateTriggers = []struct{ name, table, create string }{
	{"group_members_user_state", "group_members",
		"CREATE TRIGGER group_members_user_state BEFORE INSERT ON group_members FOR EACH ROW EXECUTE FUNCTION ug_member_state()"},
	{"users_member_state", "users",
		"CREATE TRIGGER users_member_state AFTER UPDATE OF status, hidden ON users FOR EACH ROW " +
			"WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.hidden IS DISTINCT FROM NEW.hidden) EXECUTE FUNCTION ug_user_state()"},
}

func (postgresEngine) migrateMemberState(tx *gorm.DB) error {
	for _, f := range pgMemberStateFunctions {
		if err := tx.Exec(f).Error; err != nil {
			return err
		}
	}
	for _, t := range pgMemberStateTriggers {
		var n int64
		if err := tx.Raw("SELECT count(*) FROM pg_trigger WHERE tgname = ? AND tgrelid = to_regclass(?)", t.name, t.table).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			if err := tx.Exec(t.create).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// singleWriter: PostgreSQL runs concurrent write transactions.
func (postgresEngine) singleWriter() bool { return false }
