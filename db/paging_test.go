package db_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/model"
)

// createBatches creates n batches of 100 users in a pool: many share a
// createdAt, so the id breaks the ties.
func createBatches(t *testing.T, s *db.Store, poolID, prefix string, n int) []string {
	t.Helper()
	var ids []string
	for b := range n {
		ins := make([]*model.UserInput, 100)
		for i := range ins {
			ins[i] = &model.UserInput{Username: model.Set(ptr(fmt.Sprintf("%s%d-%03d", prefix, b, i)))}
		}
		res, err := s.CreateUsers(context.Background(), poolID, ins, db.BatchOptions{Atomic: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			ids = append(ids, r.User.ID)
		}
	}
	return ids
}

// TestOffsetPagesAreOffsetPages pages deep into a pool's listing after
// every kind of write that moves users in it — in the pool, and in another
// pool (deleting the newest user there, then creating one here: once a
// cache of page positions took the largest rowid for a version, and
// served this pool a shifted page) — and checks each page, shallow and
// deep, is exactly what OFFSET reads.
func TestOffsetPagesAreOffsetPages(t *testing.T) {
	ctx := context.Background()
	d, _, s, pool := openPool(t)
	raw := dbtest.Raw(t, d)
	other, _, err := s.CreatePool(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}
	createBatches(t, s, pool.ID, "u", 22)
	otherIDs := createBatches(t, s, other.ID, "o", 1)
	want := func(page int) []string {
		var ids []string
		if err := raw.Raw(`SELECT id FROM users WHERE pool_id = ? AND status <> ? ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET ?`,
			pool.ID, model.StatusArchived, (page-1)*50).Scan(&ids).Error; err != nil {
			t.Fatal(err)
		}
		return ids
	}
	check := func(step string) {
		t.Helper()
		for _, page := range []int{1, 2, 11, 12, 38, 39, 40, 41, 42, 43, 44, 45} { // shallow, deep (on SQLite by id from offset 2,000: deepPage), the end
			for _, cols := range [][]string{{"id", "username"}, nil} {
				got, _, err := s.FindUsers(ctx, pool.ID, nil, nil, model.DefaultUserSort, model.Page{Page: page, Limit: 50, NoCount: true}, cols)
				if err != nil {
					t.Fatal(err)
				}
				if ids, w := userIDList(got), want(page); !slices.Equal(ids, w) {
					t.Fatalf("%s: page %d lists %d users unlike OFFSET's %d (first %v, want %v)", step, page, len(ids), len(w), ids[:min(2, len(ids))], w[:min(2, len(w))])
				}
			}
		}
	}
	check("first read")
	check("read again")
	u, err := s.CreateUser(ctx, pool.ID, &model.UserInput{Username: model.Set(ptr("newest"))})
	if err != nil {
		t.Fatal(err)
	}
	check("after a create")
	if _, err := s.UpdateUser(ctx, pool.ID, u.ID, &model.UserInput{Nickname: model.Set(ptr("n"))}); err != nil {
		t.Fatal(err)
	}
	check("after an update that moves nobody")
	var archived string
	raw.Raw(`SELECT id FROM users WHERE pool_id = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 200`, pool.ID).Scan(&archived)
	if _, err := s.UpdateUser(ctx, pool.ID, archived, &model.UserInput{Status: model.Set(ptr(model.StatusArchived))}); err != nil {
		t.Fatal(err)
	}
	check("after archiving a user before the page")
	if _, err := s.UpdateUser(ctx, pool.ID, archived, &model.UserInput{Status: model.Set(ptr(model.StatusActivated))}); err != nil {
		t.Fatal(err)
	}
	check("after restoring it")
	last, err := s.CreateUser(ctx, other.ID, &model.UserInput{Username: model.Set(ptr("the-table's-last-row"))})
	if err != nil {
		t.Fatal(err)
	}
	check("after a create in another pool")
	if err := s.DeleteUsers(ctx, other.ID, []string{last.ID, otherIDs[0]}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, pool.ID, &model.UserInput{Username: model.Set(ptr("after-the-other-pool-deleted"))}); err != nil {
		t.Fatal(err)
	}
	check("after a delete in another pool and a create in this one")
	var victim string
	raw.Raw(`SELECT id FROM users WHERE pool_id = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 100`, pool.ID).Scan(&victim)
	if err := s.DeleteUsers(ctx, pool.ID, []string{victim}); err != nil {
		t.Fatal(err)
	}
	check("after a delete")
}

// TestOffsetPagesUnderWritesInOtherPools pages through one pool, which
// does not change, while writers create, archive and delete users in two
// others: every page is the same, every time.
func TestOffsetPagesUnderWritesInOtherPools(t *testing.T) {
	if testing.Short() {
		t.Skip("writes for a while")
	}
	ctx := context.Background()
	_, _, s, pool := openPool(t)
	createBatches(t, s, pool.ID, "u", 8)
	defer db.SetDeepOffset(300)() // on SQLite, pages from the 7th are read by id after the offset
	read := func(page int) []string {
		got, _, err := s.FindUsers(ctx, pool.ID, nil, nil, model.DefaultUserSort, model.Page{Page: page, Limit: 50, NoCount: true}, []string{"id"})
		if err != nil {
			t.Error(err)
		}
		return userIDList(got)
	}
	want := make([][]string, 17)
	for page := 1; page <= 16; page++ {
		want[page] = read(page)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range 2 {
		other, _, err := s.CreatePool(ctx, fmt.Sprintf("writer%d", w))
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				u, err := s.CreateUser(ctx, other.ID, &model.UserInput{Username: model.Set(ptr(fmt.Sprintf("w%d-%d", w, i)))})
				if err != nil {
					t.Error(err)
					return
				}
				switch i % 3 {
				case 0:
					err = s.DeleteUsers(ctx, other.ID, []string{u.ID})
				case 1:
					_, err = s.UpdateUser(ctx, other.ID, u.ID, &model.UserInput{Status: model.Set(ptr(model.StatusArchived))})
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wrong := 0
	for round := range 20 {
		for page := 1; page <= 16; page++ {
			if got := read(page); !slices.Equal(got, want[page]) {
				wrong++
				t.Errorf("round %d, page %d: %d users unlike the %d it listed before the writes began", round, page, len(got), len(want[page]))
			}
		}
	}
	stop.Store(true)
	wg.Wait()
	if wrong > 0 {
		t.Errorf("%d wrong pages", wrong)
	}
}

func userIDList(users []*model.User) []string {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	return ids
}
