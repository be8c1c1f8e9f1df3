package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/internal/password"
	"usergraph/model"
)

// TestEventsAreNumberedInCommitOrder: concurrent writes, batches over
// several insert statements among them, and pruning everything: every
// record gets a distinct place, the places run without a gap in the order
// the records were written, and a number is never given out twice.
func TestEventsAreNumberedInCommitOrder(t *testing.T) {
	d, _ := dbtest.Open(t)
	s := db.NewStore(d, password.NewHasher())
	ctx := context.Background()
	p, _, err := s.EnsureDefaultPool(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				in := model.UserInput{Username: graphql.OmittableOf(ptr(fmt.Sprintf("w%d-%d", w, i)))}
				if _, err := s.CreateUser(ctx, p.ID, &in); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	batch := make([]*model.UserInput, 1000) // three insert statements of records
	for i := range batch {
		batch[i] = &model.UserInput{Username: graphql.OmittableOf(ptr(fmt.Sprintf("b%d", i)))}
	}
	if _, err := s.CreateUsers(db.WithActor(ctx, model.CLIActor, "batch"), p.ID, batch, db.BatchOptions{Atomic: true}); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	raw := dbtest.Raw(t, d)
	var seqs []int64
	if err := raw.Raw("SELECT seq FROM audit_records ORDER BY seq").Scan(&seqs).Error; err != nil {
		t.Fatal(err)
	}
	if len(seqs) != 1+40+1000 {
		t.Fatalf("%d records numbered", len(seqs))
	}
	for i, s := range seqs {
		if s != int64(i+1) {
			t.Fatalf("the %dth place is %d: a gap or a repeat", i+1, s)
		}
	}
	// The batch's records are in the order it made them — and, on SQLite,
	// where transactions do not overlap, consecutive.
	var batchSeqs []int64
	raw.Raw("SELECT seq FROM audit_records WHERE operation = 'batch' ORDER BY id").Scan(&batchSeqs)
	if len(batchSeqs) != 1000 {
		t.Fatalf("%d batch records", len(batchSeqs))
	}
	for i := 1; i < len(batchSeqs); i++ {
		if batchSeqs[i] <= batchSeqs[i-1] || (dbtest.Engine() == "sqlite" && batchSeqs[i] != batchSeqs[i-1]+1) {
			t.Fatalf("the batch's records out of order at %d: %d then %d", i, batchSeqs[i-1], batchSeqs[i])
		}
	}
	last, err := s.LastEventSeq(ctx)
	if err != nil || last != int64(len(seqs)) {
		t.Fatalf("the head is %d (%v), want %d", last, err, len(seqs))
	}
	// Pruned to nothing, the stream still goes on from where it was.
	if _, err := s.PruneAudit(ctx, time.Now().Add(time.Hour), 500); err != nil {
		t.Fatal(err)
	}
	in := model.UserInput{Username: graphql.OmittableOf(ptr("after-prune"))}
	if _, err := s.CreateUser(ctx, p.ID, &in); err != nil {
		t.Fatal(err)
	}
	if err := s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	var next int64
	raw.Raw("SELECT seq FROM audit_records").Scan(&next)
	if next != last+1 {
		t.Errorf("after pruning everything the next event is %d, want %d", next, last+1)
	}
}
