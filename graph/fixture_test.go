package graph_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/model"
)

// fixtureEnv names the folder TestWriteUpgradeFixture writes to.
const fixtureEnv = "USERGRAPH_TEST_FIXTURE_OUT"

// TestWriteUpgradeFixture writes a database as this build leaves it — the
// cookbook (docs/cookbook.md) run through the API, plus a second pool, an archived
// user and a revoked key — for the migration upgrade test of the next
// schema version: sqlite.db (SQLite), or postgres.sql (PostgreSQL, a
// pg_dump of the test's schema, renamed ugfixture). It runs only when
// USERGRAPH_TEST_FIXTURE_OUT names a folder:
//
//	USERGRAPH_TEST_FIXTURE_OUT=$PWD/db/migrations/testdata/v0 go test -tags sqlite_fts5 -run TestWriteUpgradeFixture ./graph/
//	(and again with USERGRAPH_TEST_POSTGRES_DSN set)
func TestWriteUpgradeFixture(t *testing.T) {
	out := os.Getenv(fixtureEnv)
	if out == "" {
		t.Skip("set " + fixtureEnv + " to write the upgrade fixture")
	}
	e := newAuthingEnv(t)
	runCookbook(t, e)
	ctx := context.Background()
	other, _, err := e.store.CreatePool(ctx, "second pool")
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.store.CreateUser(ctx, other.ID, &model.UserInput{Username: model.Set(new("elsewhere")), Nickname: model.Set(new("Other")), Password: model.Set(new("a-long-password"))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ArchiveUsers(ctx, other.ID, []string{u.ID}); err != nil {
		t.Fatal(err)
	}
	k, _, err := e.store.CreateAPIKey(ctx, other.ID, "revoked", []string{"users:read"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.RevokeAPIKey(ctx, other.ID, k.ID); err != nil {
		t.Fatal(err)
	}
	// What the cookbook leaves empty: identities, role custom data, and
	// enough users for pages.
	if _, err := e.store.SetUdf(ctx, other.ID, model.UdfDefinition{TargetType: model.UdfTargetRole, Key: "level", DataType: model.UdfNumber}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.CreateRole(ctx, other.ID, "", model.RoleInput{Code: model.Set(new("auditor"))}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.SetRoleCustomData(ctx, other.ID, "", "auditor", map[string]any{"level": 3}); err != nil {
		t.Fatal(err)
	}
	var batch []*model.UserInput
	for i := range 30 {
		in := &model.UserInput{Username: model.Set(new(fmt.Sprintf("member%02d", i))), Email: model.Set(new(fmt.Sprintf("member%02d@example.com", i)))}
		if i%5 == 0 {
			in.Identities = model.Set([]*model.IdentityInput{{Provider: "github", Type: "oauth", UserIDInIdp: fmt.Sprint(1000 + i)}})
		}
		batch = append(batch, in)
	}
	if _, err := e.store.CreateUsers(ctx, other.ID, batch, db.BatchOptions{Atomic: true}); err != nil {
		t.Fatal(err)
	}
	raw := e.raw()
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if dbtest.Engine() == "sqlite" {
		target := filepath.Join(out, "sqlite.db")
		_ = os.Remove(target)
		if err := raw.Exec("VACUUM INTO ?", target).Error; err != nil {
			t.Fatal(err)
		}
		return
	}
	var schema string
	if err := raw.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		t.Fatal(err)
	}
	dump, err := exec.Command(pgDump(t), "--schema="+schema, "--no-owner", "--no-privileges", "--column-inserts", os.Getenv(dbtest.PostgresEnv)).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	sql := strings.ReplaceAll(string(dump), schema, "ugfixture")
	if err := os.WriteFile(filepath.Join(out, "postgres.sql"), []byte(sql), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pgDump finds pg_dump: on the PATH, or in the newest Debian cluster's
// binaries.
func pgDump(t *testing.T) string {
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return p
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	if len(m) == 0 {
		t.Fatal("no pg_dump")
	}
	return m[len(m)-1]
}
