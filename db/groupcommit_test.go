package db_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"usergraph/db"
	"usergraph/internal/dbtest"
)

// TestGroupCommitKeepsEachWritesOutcome holds SQLite's writer with one
// write while twelve more queue, then lets them run as one group: the
// writes that succeed commit, one that fails after writing is rolled back
// and gets its error, one that panics panics in its own goroutine (and is
// rolled back), one whose client went away is not run. The group runs
// without savepoints, and is split around each write that fails.
func TestGroupCommitKeepsEachWritesOutcome(t *testing.T) {
	d, counter, s, _ := openPool(t)
	if d.Engine() != "SQLite" {
		t.Skip("group commit is SQLite's: PostgreSQL has concurrent writers")
	}
	ctx := context.Background()
	insert := func(tx *gorm.DB, key string) error {
		return tx.Exec("INSERT INTO settings (key, value) VALUES (?, ?)", key, []byte("v")).Error
	}
	release := make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- db.WriteForTest(s, ctx, func(tx *gorm.DB) error {
			<-release
			return insert(tx, "first")
		})
	}()
	waitQueued(t, s, 1, 0) // the first write runs, holding the writer

	gone, cancel := context.WithCancel(ctx)
	cancel()
	boom := errors.New("boom")
	const n = 12
	outcomes := make([]any, n)
	prepared := make([]int, n) // statements the group's transaction keeps, seen by each write
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					outcomes[i] = fmt.Sprint("panic: ", r)
				}
			}()
			wctx := ctx
			if i == 9 {
				wctx = gone
			}
			outcomes[i] = db.WriteForTest(s, wctx, func(tx *gorm.DB) error {
				if err := insert(tx, fmt.Sprintf("k%02d", i)); err != nil {
					return err
				}
				prepared[i] = db.StatementsPrepared(tx)
				switch i {
				case 3:
					return boom
				case 6:
					panic("six")
				}
				return nil
			})
		}()
		waitQueued(t, s, 1, i+1) // one queue, in order
	}
	counter.Reset()
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}

	var keys []string
	if err := dbtest.Raw(t, d).Raw("SELECT key FROM settings WHERE key = 'first' OR key LIKE 'k%' ORDER BY key").Scan(&keys).Error; err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range n {
		switch i {
		case 3:
			if !errors.Is(outcomes[i].(error), boom) {
				t.Errorf("write 3 failed with %v, want its own error", outcomes[i])
			}
		case 6:
			if outcomes[i] != "panic: six" {
				t.Errorf("write 6: %v, want its panic", outcomes[i])
			}
		case 9:
			if err, _ := outcomes[i].(error); !errors.Is(err, context.Canceled) {
				t.Errorf("write 9 (its client gone): %v", outcomes[i])
			}
		default:
			if outcomes[i] != nil {
				t.Errorf("write %d: %v", i, outcomes[i])
			}
			want = append(want, fmt.Sprintf("k%02d", i))
		}
	}
	want = append(want, "first")
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Errorf("committed %v, want %v", keys, want)
	}
	for _, st := range counter.Statements() {
		if strings.HasPrefix(st, "SAVEPOINT") {
			t.Errorf("a group ran a savepoint: %s", st)
			break
		}
	}
	// Every write that succeeded last ran in a group's transaction, which
	// prepared its insert once (txstatements.go): the writes before and
	// between the failures form groups of two or more.
	for i, p := range prepared {
		if i != 3 && i != 6 && i != 9 && p < 1 {
			t.Errorf("write %d ran outside a group's transaction (%d statements kept)", i, p)
		}
	}
}

// waitQueued waits until s has a write running a group and queued more
// waiting.
func waitQueued(t *testing.T, s *db.Store, leading, queued int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		l, q := db.CommitterState(s)
		if l == (leading == 1) && q == queued {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("leading %v, %d queued; want %d, %d", l, q, leading, queued)
		}
		time.Sleep(time.Millisecond)
	}
}
