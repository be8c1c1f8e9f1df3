package db_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/model"
)

// TestDeepPagesFromAnchors pages deep into the plain listing, where pages
// are served from anchors, and checks every page against the listing as
// OFFSET reads it, after each kind of write that moves users in it (and
// one that does not): a page is never served from a stale anchor. (Each
// kind is caught by its own part of the listing version: removing a
// trigger, or the rowid check, fails this test.) Users
// are created in batches, so many share a createdAt and the id breaks the
// ties. On SQLite it also checks that a page read before (or the page after
// one read before) costs one statement with no OFFSET.
func TestDeepPagesFromAnchors(t *testing.T) {
	ctx := context.Background()
	d, counter, s, pool := openPool(t)
	raw := dbtest.Raw(t, d)
	for b := range 7 {
		ins := make([]*model.UserInput, 100)
		for i := range ins {
			ins[i] = &model.UserInput{Username: model.Set(ptr(fmt.Sprintf("u%d-%03d", b, i)))}
		}
		if _, err := s.CreateUsers(ctx, pool.ID, ins, db.BatchOptions{Atomic: true}); err != nil {
			t.Fatal(err)
		}
	}
	anchored := d.Engine() == "SQLite"
	// want is the page as OFFSET reads it.
	want := func(page int) []string {
		var ids []string
		if err := raw.Raw(`SELECT id FROM users WHERE pool_id = ? AND status <> ? ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET ?`,
			pool.ID, model.StatusArchived, (page-1)*50).Scan(&ids).Error; err != nil {
			t.Fatal(err)
		}
		return ids
	}
	// check reads page (with the columns a console asks for, or all of
	// them) and compares it with want; served says it must come from an
	// anchor: one statement, no OFFSET.
	check := func(step string, page int, served bool) {
		t.Helper()
		for _, cols := range [][]string{{"id", "username"}, nil} {
			counter.Reset()
			got, _, err := s.FindUsers(ctx, pool.ID, nil, nil, model.DefaultUserSort, model.Page{Page: page, Limit: 50, NoCount: true}, cols)
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]string, len(got))
			for i, u := range got {
				ids[i] = u.ID
				if cols != nil && (u.Username == nil || u.Email != nil) {
					t.Fatalf("%s: page %d read other columns than asked: %+v", step, page, u)
				}
			}
			if w := want(page); !slices.Equal(ids, w) {
				t.Fatalf("%s: page %d lists %d users unlike the listing's %d (first %v, want %v)", step, page, len(ids), len(w), ids[:min(2, len(ids))], w[:min(2, len(w))])
			}
			stmts := counter.Statements()
			if anchored && served && (len(stmts) != 1 || strings.Contains(stmts[0], "OFFSET")) {
				t.Fatalf("%s: page %d should be served from its anchor in one statement, got %q", step, page, stmts)
			}
		}
	}
	check("first read", 12, false) // learns pages 12 and 13
	check("read again", 12, true)
	check("the next page", 13, true)
	check("the one after", 14, true)
	check("a shallow page", 2, false)

	u, err := s.CreateUser(ctx, pool.ID, &model.UserInput{Username: model.Set(ptr("newest"))})
	if err != nil {
		t.Fatal(err)
	}
	check("after a create", 12, false)
	check("after a create, again", 12, true)

	if _, err := s.UpdateUser(ctx, pool.ID, u.ID, &model.UserInput{Nickname: model.Set(ptr("n"))}); err != nil {
		t.Fatal(err)
	}
	check("after an update that moves nobody", 12, true)

	var victim, archived string
	raw.Raw(`SELECT id FROM users WHERE pool_id = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 100`, pool.ID).Scan(&victim)
	raw.Raw(`SELECT id FROM users WHERE pool_id = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 200`, pool.ID).Scan(&archived)
	if _, err := s.UpdateUser(ctx, pool.ID, archived, &model.UserInput{Status: model.Set(ptr(model.StatusArchived))}); err != nil {
		t.Fatal(err)
	}
	check("after archiving a user before the page", 12, false)
	check("after archiving, again", 13, true)
	if _, err := s.UpdateUser(ctx, pool.ID, archived, &model.UserInput{Status: model.Set(ptr(model.StatusActivated))}); err != nil {
		t.Fatal(err)
	}
	check("after restoring it", 13, false)
	check("after restoring it, the next page", 14, true)

	if err := s.DeleteUsers(ctx, pool.ID, []string{victim}); err != nil {
		t.Fatal(err)
	}
	check("after a delete", 14, false)
	check("past the end", 15, false)
}
