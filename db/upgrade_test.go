package db_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/internal/password"
	"usergraph/model"
)

// snapshot is every row of every table, each as the engine prints it
// (JSON), sorted: what an upgrade must keep.
type snapshot map[string][]string

// droppedTables are the tables a migration drops, with their rows:
// listing_versions (version 2), the page anchors' bookkeeping.
var droppedTables = map[string]bool{"listing_versions": true}

// addedColumns are the columns a migration adds to a table, which the
// rows before it lack: audit records' place in the change stream
// (version 3; ins on PostgreSQL only), an operator actor's identity
// (version 4), sealed secrets (version 5) and users' metadata (version 6).
var addedColumns = map[string][]string{"audit_records": {"seq", "ins", "actor_issuer", "actor_subject", "actor_email"},
	"user_pools": {"sealed_secret"}, "api_keys": {"sealed_secret"}, "users": {"metadata"}}

// TestUpgradeFromLastRelease opens a database the last release before
// versioned migrations wrote (testdata/v0: SQLite, or PostgreSQL when a
// DSN is given), migrates it, and checks that every row of every table
// survives unchanged (but for droppedTables), that its schema is then the one a new database gets,
// and that the server reads it.
func TestUpgradeFromLastRelease(t *testing.T) {
	ctx := context.Background()
	var dsn string
	var raw *gorm.DB
	if dbtest.Engine() == "sqlite" {
		dsn = filepath.Join(t.TempDir(), "old.db")
		copyFile(t, "migrations/testdata/v0/sqlite.db", dsn)
		raw = dbtest.RawDSN(t, dsn)
	} else {
		dsn, raw = restorePostgres(t)
	}
	before := rows(t, raw)
	if len(before["users"]) < 30 || len(before["audit_records"]) < 50 {
		t.Fatalf("the fixture is smaller than it was made: %d users", len(before["users"]))
	}

	d, err := db.Open(ctx, dsn, db.Options{Logger: slog.New(slog.DiscardHandler), SlowQuery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	pending, err := db.PendingMigrations(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("pending on the old database: %v", pending)
	if err := db.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, d); err != nil { // again: nothing to do
		t.Fatal(err)
	}
	after := rows(t, raw)
	for table, old := range before {
		if droppedTables[table] {
			if _, ok := after[table]; ok {
				t.Errorf("%s: still there after the migration that drops it", table)
			}
			continue
		}
		now := after[table]
		if !slices.Equal(old, now) {
			t.Errorf("%s: %d rows before, %d after, or changed", table, len(old), len(now))
		}
	}

	// Every record has its place in the change stream, in audit order.
	var seqs []int64
	if err := raw.Raw("SELECT seq FROM audit_records ORDER BY at, id").Scan(&seqs).Error; err != nil {
		t.Fatal(err)
	}
	for i, seq := range seqs {
		if seq != int64(i+1) {
			t.Fatalf("audit record %d of %d (audit order) has seq %d", i+1, len(seqs), seq)
		}
	}

	// The migrated schema is a new database's.
	fresh, _ := dbtest.Open(t)
	if got, want := schemaOf(t, raw), schemaOf(t, dbtest.Raw(t, fresh)); !slices.Equal(got, want) {
		t.Errorf("the upgraded schema differs from a new database's:\n%s", diff(got, want))
	}

	s := db.NewStore(d, password.NewHasher())
	if err := s.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := s.DefaultPool(ctx)
	if err != nil {
		t.Fatal(err)
	}
	users, total, err := s.ListUsers(ctx, p.ID, model.Page{Page: 1, Limit: 100}, model.DefaultUserSort, nil, nil)
	if err != nil || int(total) != len(users) || total == 0 {
		t.Fatalf("the default pool's users: %d of %d, %v", len(users), total, err)
	}
	q, _ := model.NewUserSearch("member1", nil, false)
	pools, _ := s.ListPools(ctx)
	var found int64
	for _, pl := range pools {
		_, n, err := s.SearchUsers(ctx, pl.ID, q, nil, model.DefaultUserSort, model.Page{Page: 1, Limit: 20}, nil)
		if err != nil {
			t.Fatal(err)
		}
		found += n
	}
	if found != 10 {
		t.Errorf("search for member1 after the upgrade: %d users, want 10", found)
	}
}

// TestMigrationsAreListed: a database the last release wrote is at version
// 1, so nothing is pending on it but what came since; a new database has
// every migration pending.
func TestMigrationsAreListed(t *testing.T) {
	if dbtest.Engine() != "sqlite" {
		t.Skip("the listing is the engine's; SQLite shows it")
	}
	ctx := context.Background()
	empty := filepath.Join(t.TempDir(), "new.db")
	d, err := db.Open(ctx, empty, db.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	all, err := db.PendingMigrations(ctx, d)
	if err != nil || len(all) == 0 || all[0] != "00001_baseline.sql" {
		t.Fatalf("a new database: %v %v", all, err)
	}
	old := filepath.Join(t.TempDir(), "old.db")
	copyFile(t, "migrations/testdata/v0/sqlite.db", old)
	d2, err := db.Open(ctx, old, db.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	since, err := db.PendingMigrations(ctx, d2)
	if err != nil || slices.Contains(since, "00001_baseline.sql") || len(since) != len(all)-1 {
		t.Errorf("the last release's database: %v %v", since, err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// restorePostgres loads testdata/v0/postgres.sql into a schema of the
// test's own and returns a DSN on it, with a connection.
func restorePostgres(t *testing.T) (string, *gorm.DB) {
	t.Helper()
	dump, err := os.ReadFile("migrations/testdata/v0/postgres.sql")
	if err != nil {
		t.Fatal(err)
	}
	schema := "up_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	var script []string
	for _, line := range strings.Split(string(dump), "\n") {
		if !strings.HasPrefix(line, `\`) { // psql's meta-commands (\restrict)
			script = append(script, line)
		}
	}
	admin := dbtest.RawDSN(t, os.Getenv(dbtest.PostgresEnv))
	if err := admin.Exec(strings.ReplaceAll(strings.Join(script, "\n"), "ugfixture", schema)).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(os.Getenv(dbtest.PostgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), dbtest.RawDSN(t, u.String())
}

// rows snapshots every table of the connection's schema but the
// migrations' own version table.
func rows(t *testing.T, raw *gorm.DB) snapshot {
	t.Helper()
	out := snapshot{}
	for _, table := range tables(t, raw) {
		var list []string
		var err error
		if raw.Dialector.Name() == "sqlite" {
			var cols []string
			raw.Raw("SELECT name FROM pragma_table_info(?)", table).Scan(&cols)
			args := make([]string, 0, 2*len(cols))
			for _, c := range cols {
				if !slices.Contains(addedColumns[table], c) {
					args = append(args, "'"+c+"'", `quote("`+c+`")`)
				}
			}
			err = raw.Raw(`SELECT json_object(` + strings.Join(args, ", ") + `) FROM "` + table + `"`).Scan(&list).Error
		} else {
			drop := ""
			for _, c := range addedColumns[table] {
				drop += " - '" + c + "'"
			}
			err = raw.Raw(`SELECT (to_jsonb(t)` + drop + `)::text FROM "` + table + `" t`).Scan(&list).Error
		}
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		slices.Sort(list)
		out[table] = list
	}
	return out
}

func tables(t *testing.T, raw *gorm.DB) []string {
	var names []string
	var err error
	if raw.Dialector.Name() == "sqlite" {
		err = raw.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' AND sql NOT LIKE 'CREATE VIRTUAL%'`).Scan(&names).Error
	} else {
		err = raw.Raw(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version'`).Scan(&names).Error
	}
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// schemaOf lists the schema's tables with their columns and types, indexes
// and triggers, one line each, sorted; a pool's own search tables (SQLite)
// are left out: they come with pools, not migrations.
func schemaOf(t *testing.T, raw *gorm.DB) []string {
	t.Helper()
	var out []string
	for _, table := range tables(t, raw) {
		if strings.HasPrefix(table, "search_") {
			continue
		}
		var cols []struct{ Name, Type string }
		if raw.Dialector.Name() == "sqlite" {
			raw.Raw("SELECT name, type FROM pragma_table_info(?)", table).Scan(&cols)
		} else {
			raw.Raw(`SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?`, table).Scan(&cols)
		}
		for _, c := range cols {
			out = append(out, "column "+table+"."+c.Name+" "+c.Type)
		}
	}
	var objects []string
	if raw.Dialector.Name() == "sqlite" {
		raw.Raw(`SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('index', 'trigger') AND name NOT LIKE 'sqlite_%' AND tbl_name NOT LIKE 'search_%'`).Scan(&objects)
	} else {
		raw.Raw(`SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename <> 'goose_db_version'
			UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)`).Scan(&objects)
	}
	out = append(out, objects...)
	slices.Sort(out)
	return out
}

// diff lists the lines only one side has.
func diff(got, want []string) string {
	var b strings.Builder
	for _, g := range got {
		if !slices.Contains(want, g) {
			b.WriteString("+ " + g + "\n")
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			b.WriteString("- " + w + "\n")
		}
	}
	return b.String()
}
