package db_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/internal/password"
	"usergraph/model"
)

// TestPruneAudit: pruning deletes exactly the records older than its
// cutoff, in batches, and the records it keeps still list.
func TestPruneAudit(t *testing.T) {
	d, _ := dbtest.Open(t)
	s := db.NewStore(d, password.NewHasher())
	ctx := db.WithActor(context.Background(), model.CLIActor, "test")
	p, _, err := s.EnsureDefaultPool(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		in := model.UserInput{Username: graphql.OmittableOf(ptr(fmt.Sprintf("u%d", i)))}
		if _, err := s.CreateUser(ctx, p.ID, &in); err != nil {
			t.Fatal(err)
		}
	}
	page := model.Page{Page: 1, Limit: 100}
	if list, n, _ := s.AuditLog(ctx, p.ID, model.AuditFilter{}, page); n != 8 || list[0].Operation != "test" || list[0].ActorType != model.ActorCLI {
		t.Fatalf("before pruning: %d records, newest %+v", n, list[0])
	}
	if n, err := s.PruneAudit(ctx, time.Now().Add(-time.Hour), 3); err != nil || n != 0 {
		t.Errorf("pruning older than an hour ago deleted %d (%v), want 0", n, err)
	}
	if n, err := s.PruneAudit(ctx, time.Now().Add(time.Hour), 3); err != nil || n != 8 {
		t.Errorf("pruning everything deleted %d (%v), want 8 in batches of 3", n, err)
	}
	if _, n, _ := s.AuditLog(ctx, p.ID, model.AuditFilter{}, page); n != 0 {
		t.Errorf("after pruning: %d records", n)
	}
}
