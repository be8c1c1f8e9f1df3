package db_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"usergraph/internal/dbtest"
	"usergraph/model"
)

// TestRelationsReadAsGorm: a user's groups and roles, which are read with
// database/sql rather than gorm (scan.go), come back field for field as
// gorm reads the same rows: every column (set and NULL ones, times, the
// parent) and a chosen few; held roles say how they are held.
func TestRelationsReadAsGorm(t *testing.T) {
	ctx := context.Background()
	d, _, s, pool := openPool(t)
	raw := dbtest.Raw(t, d)
	u, err := s.CreateUser(ctx, pool.ID, &model.UserInput{Username: model.Set(ptr("ada"))})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []model.GroupInput{
		{Code: model.Set(ptr("root")), Name: model.Set(ptr("Root")), Description: model.Set(ptr("the top"))},
		{Code: model.Set(ptr("team")), Parent: model.Set(ptr("root"))}, // no name, no description
	} {
		if _, err := s.CreateGroup(ctx, pool.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, in := range []model.RoleInput{{Code: model.Set(ptr("admin")), Description: model.Set(ptr("all"))}, {Code: model.Set(ptr("viewer"))}} {
		if _, err := s.CreateRole(ctx, pool.ID, "", in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddUserGroups(ctx, pool.ID, u.ID, []string{"team", "root"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUserRoles(ctx, pool.ID, u.ID, "", []string{"viewer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddGroupRoles(ctx, pool.ID, "root", "", []string{"admin", "viewer"}); err != nil {
		t.Fatal(err)
	}

	var groups []*model.Group
	if err := raw.Where("pool_id = ?", pool.ID).Order("code, id").Find(&groups).Error; err != nil {
		t.Fatal(err)
	}
	for _, cols := range [][]string{nil, model.GroupColumns([]string{"code"})} {
		got, err := s.GroupsByUserIDs(ctx, pool.ID, []string{u.ID}, cols...)
		if err != nil {
			t.Fatal(err)
		}
		want := groups
		if cols != nil {
			want = []*model.Group{{ID: groups[0].ID, Code: "root"}, {ID: groups[1].ID, Code: "team"}}
		}
		if !reflect.DeepEqual(got[u.ID], want) {
			t.Errorf("groups (columns %v):\n got %+v\nwant %+v", cols, deref(got[u.ID]), deref(want))
		}
	}

	var roles []*model.Role
	if err := raw.Where("pool_id = ?", pool.ID).Order("code, id").Find(&roles).Error; err != nil {
		t.Fatal(err)
	}
	held, err := s.HeldRolesByUserIDs(ctx, pool.ID, []string{u.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := []*model.HeldRole{
		{Role: roles[0], Groups: []string{"root"}},               // admin, through root
		{Role: roles[1], Direct: true, Groups: []string{"root"}}, // viewer, both ways
	}
	if !reflect.DeepEqual(held[u.ID], want) {
		t.Errorf("held roles:\n got %+v\nwant %+v", deref(held[u.ID]), deref(want))
	}
}

// deref shows the values behind pointers, for failure messages.
func deref[T any](ps []*T) []T {
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

// TestUsersReadAsGorm: a user read with database/sql (by id, in a page,
// from a page anchor) equals the user as gorm reads it, field for field:
// a user with every kind of column set (the password hash, JSON-stored
// register sources, times, flags) and one with most of them NULL.
func TestUsersReadAsGorm(t *testing.T) {
	ctx := context.Background()
	d, _, s, pool := openPool(t)
	raw := dbtest.Raw(t, d)
	last := time.Date(2026, 3, 4, 5, 6, 7, 8000, time.UTC)
	full, err := s.CreateUser(ctx, pool.ID, &model.UserInput{
		Username: model.Set(ptr("ada")), Email: model.Set(ptr("ada@example.com")), Phone: model.Set(ptr("+15550001111")),
		Nickname: model.Set(ptr("A")), Password: model.Set(ptr("correct horse battery")), LastLogin: model.Set(&last),
		EmailVerified: model.Set(ptr(true)), RegisterSource: model.Set([]string{"import:csv", "api"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	bare, err := s.CreateUser(ctx, pool.ID, &model.UserInput{Email: model.Set(ptr("bare@example.com"))})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{full.ID, bare.ID} {
		var want model.User
		if err := raw.Where("id = ?", id).Take(&want).Error; err != nil {
			t.Fatal(err)
		}
		if id == full.ID && (want.PasswordHash == "" || len(want.RegisterSource) != 2 || want.LastLogin == nil) {
			t.Fatalf("the full user is not full: %+v", want)
		}
		got, err := s.User(ctx, pool.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("by id:\n got %+v\nwant %+v", *got, want)
		}
		page, _, err := s.FindUsers(ctx, pool.ID, nil, nil, model.DefaultUserSort, model.Page{Page: 1, Limit: 10}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page {
			if u.ID == id && !reflect.DeepEqual(*u, want) {
				t.Errorf("in a page:\n got %+v\nwant %+v", *u, want)
			}
		}
	}
}
