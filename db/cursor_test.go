package db_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"usergraph/db"
	"usergraph/model"
)

// TestCursorPagesWalkTheListing walks user listings page by page by
// cursor, in every order (NULL usernames and last logins included, which
// the engines sort differently), with and without a filter and a search,
// and checks the walk lists exactly what one big page lists, in order.
func TestCursorPagesWalkTheListing(t *testing.T) {
	ctx := context.Background()
	_, _, s, pool := openPool(t)
	createGroups(t, s, pool.ID, "team")
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var team []string
	for i := range 23 {
		in := model.UserInput{Email: model.Set(ptr(fmt.Sprintf("user%02d@example.com", i)))}
		if i%3 != 0 {
			in.Username = model.Set(ptr(fmt.Sprintf("u%02d", (i*7)%23)))
		}
		if i%4 != 0 {
			in.LastLogin = model.Set(ptr(base.Add(time.Duration(i%5) * time.Hour))) // ties
		}
		u, err := s.CreateUser(ctx, pool.ID, &in)
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			team = append(team, u.ID)
		}
	}
	if _, err := s.AddGroupMembers(ctx, pool.ID, "team", team); err != nil {
		t.Fatal(err)
	}
	search, err := model.NewUserSearch("example", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	group := "team"
	for _, sort := range []model.UserSort{model.DefaultUserSort,
		{Field: model.SortUsername, Order: model.SortAsc}, {Field: model.SortUsername, Order: model.SortDesc},
		{Field: model.SortLastLogin, Order: model.SortAsc}, {Field: model.SortLastLogin, Order: model.SortDesc},
		{Field: model.SortUpdatedAt, Order: model.SortAsc}} {
		for name, c := range map[string]struct {
			search *model.UserSearch
			filter *model.UserFilter
		}{"all": {}, "group": {filter: &model.UserFilter{Group: &group}}, "search": {search: &search}, "search in group": {&search, &model.UserFilter{Group: &group}}} {
			all, _, err := s.FindUsers(ctx, pool.ID, c.search, c.filter, sort, model.Page{Page: 1, Limit: 100}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var walked []string
			var after *model.Cursor
			for range 30 {
				page, _, err := s.FindUsers(ctx, pool.ID, c.search, c.filter, sort, model.Page{Page: 1, Limit: 4, Next: true, After: after}, []string{"id", "pool_id"})
				if err != nil {
					t.Fatal(err)
				}
				more := len(page) > 4
				page = page[:min(4, len(page))]
				for _, u := range page {
					walked = append(walked, u.ID)
				}
				if !more {
					break
				}
				if after, err = db.DecodeUserCursor("after", db.UserCursor(page[len(page)-1], sort), sort); err != nil {
					t.Fatal(err)
				}
			}
			want := make([]string, len(all))
			for i, u := range all {
				want[i] = u.ID
			}
			if !slices.Equal(walked, want) {
				t.Errorf("%s by %v: the cursor walk listed %d users, one page %d (or in another order)", name, sort, len(walked), len(want))
			}
		}
	}
	if _, err := db.DecodeUserCursor("after", db.UserCursor(&model.User{ID: "x"}, model.DefaultUserSort), model.UserSort{Field: model.SortUsername, Order: model.SortAsc}); err == nil {
		t.Error("a cursor of another order was accepted")
	}
	for _, junk := range []string{"", "!!", "eyJvIjoxfQ", "eyJvIjoidXNlcnM6Q1JFQVRFRF9BVDpERVNDIiwidiI6W3t9LCJ4Il19"} {
		if _, err := db.DecodeUserCursor("after", junk, model.DefaultUserSort); err == nil {
			t.Errorf("cursor %q was accepted", junk)
		}
	}
}
