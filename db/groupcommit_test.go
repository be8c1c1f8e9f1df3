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
	"usergraph/model"
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

// TestGroupCommitRunsAgainCleanly: a group in which a write fails is run
// again split around it, so the writes before it run twice; what they
// answer must be the second run's alone. Here an archive of two users
// (which lists the users it archived) and a create importing users into a
// group that an earlier write of the same group created (so the group's
// id changes between the runs) queue before a write that fails.
func TestGroupCommitRunsAgainCleanly(t *testing.T) {
	d, _, s, pool := openPool(t)
	if d.Engine() != "SQLite" {
		t.Skip("group commit is SQLite's: PostgreSQL has concurrent writers")
	}
	ctx := context.Background()
	a, _ := s.CreateUser(ctx, pool.ID, &model.UserInput{Username: model.Set(ptr("a"))})
	b, _ := s.CreateUser(ctx, pool.ID, &model.UserInput{Username: model.Set(ptr("b"))})
	release := make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- db.WriteForTest(s, ctx, func(tx *gorm.DB) error {
			<-release
			return nil
		})
	}()
	waitQueued(t, s, 1, 0)

	var archived []*model.User
	var created []db.BatchResult
	var archiveErr, groupErr, createErr, failErr error
	var wg sync.WaitGroup
	wg.Go(func() { archived, archiveErr = s.ArchiveUsers(ctx, pool.ID, []string{a.ID, b.ID}) })
	waitQueued(t, s, 1, 1)
	wg.Go(func() { _, groupErr = s.CreateGroup(ctx, pool.ID, model.GroupInput{Code: model.Set(ptr("imported"))}) })
	waitQueued(t, s, 1, 2)
	wg.Go(func() {
		created, createErr = s.CreateUsers(ctx, pool.ID, []*model.UserInput{{Username: model.Set(ptr("c")), Groups: []string{"imported"}}}, db.BatchOptions{Atomic: true})
	})
	waitQueued(t, s, 1, 3)
	boom := errors.New("boom")
	wg.Go(func() { failErr = db.WriteForTest(s, ctx, func(tx *gorm.DB) error { return boom }) })
	waitQueued(t, s, 1, 4)
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if archiveErr != nil || groupErr != nil || createErr != nil || !errors.Is(failErr, boom) {
		t.Fatalf("archive %v, group %v, create %v, the failing write %v", archiveErr, groupErr, createErr, failErr)
	}
	if len(archived) != 2 {
		t.Errorf("the archive answered %d users, want its 2 (once each)", len(archived))
	}
	g, err := s.Group(ctx, pool.ID, "imported")
	if err != nil {
		t.Fatal(err)
	}
	members, _, err := s.MembersByGroupIDs(ctx, pool.ID, []string{g.ID}, model.Page{Page: 1, Limit: 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != 1 || len(members[g.ID]) != 1 || members[g.ID][0].ID != created[0].User.ID {
		t.Errorf("the imported user is not in the group as it was committed: %d members", len(members[g.ID]))
	}
}
