package db_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/model"
)

// TestCheckpointerFoldsTheLog: on SQLite the writer leaves checkpoints to
// the checkpointer, which folds what the writer logged into the file.
func TestCheckpointerFoldsTheLog(t *testing.T) {
	if dbtest.Engine() != "sqlite" {
		t.Skip("SQLite's write-ahead log")
	}
	d, _, s, pool := openPool(t)
	var auto int
	if err := d.Writer().Raw("PRAGMA wal_autocheckpoint").Scan(&auto).Error; err != nil || auto != 0 {
		t.Fatalf("the writer checkpoints itself every %d pages (%v)", auto, err)
	}
	for i := range 50 {
		name := fmt.Sprintf("logged%d", i)
		if _, err := s.CreateUser(context.Background(), pool.ID, &model.UserInput{Username: model.Set(&name)}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for db.LogFramesFolded(d) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("nothing folded into the database file")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
