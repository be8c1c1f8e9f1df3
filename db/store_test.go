package db_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/internal/password"
	"usergraph/model"
)

func str(s string) *string { return &s }

// TestLogsNeverHoldValues logs every statement and checks that no bound
// value (an email, a password hash) reaches the log.
func TestLogsNeverHoldValues(t *testing.T) {
	var buf bytes.Buffer
	d, err := db.Open(context.Background(), dbtest.DSN(t), db.Options{
		Logger: slog.New(slog.NewTextHandler(&buf, nil)), SlowQuery: time.Nanosecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := db.Migrate(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	s := db.NewStore(d, password.NewHasher())
	p, secret, err := s.EnsureDefaultPool(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	in := model.UserInput{Email: model.Set(str("secret.person@example.com")), Password: model.Set(str("hunter2-hunter2"))}
	if _, err := s.CreateUser(context.Background(), p.ID, &in); err != nil {
		t.Fatal(err)
	}
	dup := model.UserInput{Email: model.Set(str("secret.person@example.com"))}
	if _, err := s.CreateUser(context.Background(), p.ID, &dup); !errors.Is(err, model.ErrAlreadyExists) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, _, err := s.MembersByGroupIDs(context.Background(), p.ID, []string{"g"}, model.Page{Page: 1, Limit: 10}, nil); err != nil {
		t.Fatal(err)
	}
	log := buf.String()
	if !strings.Contains(log, "slow sql") {
		t.Fatal("nothing was logged: the test proves nothing")
	}
	for _, secretValue := range []string{"secret.person", "argon2id", secret, p.ID} {
		if strings.Contains(log, secretValue) {
			t.Errorf("the log contains %q", secretValue)
		}
	}
}

// TestStoreIsPoolScoped checks the store's own guarantee, below the API:
// another pool's id never reaches a row.
func TestStoreIsPoolScoped(t *testing.T) {
	d, _ := dbtest.Open(t)
	s := db.NewStore(d, password.NewHasher())
	ctx := context.Background()
	a, _, _ := s.CreatePool(ctx, "a")
	b, _, _ := s.CreatePool(ctx, "b")
	in := model.UserInput{Username: model.Set(str("alice"))}
	u, err := s.CreateUser(ctx, a.ID, &in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateGroup(ctx, a.ID, model.GroupInput{Code: model.Set(str("g"))}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.User(ctx, b.ID, u.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("User from pool b: %v", err)
	}
	if list, total, _ := s.ListUsers(ctx, b.ID, model.Page{Page: 1, Limit: 10}, model.DefaultUserSort, nil, nil); total != 0 || len(list) != 0 {
		t.Errorf("ListUsers in pool b: %d", total)
	}
	if _, err := s.AddUserGroups(ctx, b.ID, u.ID, []string{"g"}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("AddUserGroups across pools: %v", err)
	}
	if err := s.DeleteUsers(ctx, b.ID, []string{u.ID}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("DeleteUsers across pools: %v", err)
	}
	if m, _ := s.GroupsByUserIDs(ctx, b.ID, []string{u.ID}); len(m) != 0 {
		t.Errorf("GroupsByUserIDs across pools: %v", m)
	}
	if _, err := s.User(ctx, a.ID, u.ID); err != nil {
		t.Errorf("pool a lost its user: %v", err)
	}
}

// TestPostgresPlansEachExecution: PostgreSQL connections plan every
// statement for its parameters (see openPostgres).
func TestPostgresPlansEachExecution(t *testing.T) {
	if dbtest.Engine() != "postgres" {
		t.Skip("PostgreSQL's plan cache")
	}
	d, _ := dbtest.Open(t)
	var mode string
	if err := d.Reader().Raw("SHOW plan_cache_mode").Scan(&mode).Error; err != nil || mode != "force_custom_plan" {
		t.Fatalf("plan_cache_mode = %q, %v", mode, err)
	}
}
