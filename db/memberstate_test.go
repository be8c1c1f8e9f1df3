package db_test

import (
	"context"
	"fmt"
	"testing"

	"usergraph/db"
	"usergraph/model"
)

// staleMemberships counts group memberships whose copies of their user's
// status and hidden flag differ from the user's.
func staleMemberships(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var n int64
	err := d.Writer().Raw(`SELECT count(*) FROM group_members m JOIN users u ON u.id = m.user_id
		WHERE m.user_status <> u.status OR m.user_hidden <> u.hidden`).Scan(&n).Error
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMembershipsFollowTheirUsers: every write that makes a membership or
// changes a user's status or hidden flag leaves the memberships' copies
// equal to the user's, and a group filter on them (answered from the
// copies) finds what the users' own columns say.
func TestMembershipsFollowTheirUsers(t *testing.T) {
	ctx := context.Background()
	d, _, s, pool := openPool(t)
	createGroups(t, s, pool.ID, "team", "other")
	yes, suspended := true, model.StatusSuspended
	var ids []string
	for i := range 8 {
		name := fmt.Sprintf("m%d", i)
		in := &model.UserInput{Username: model.Set(&name)}
		switch i {
		case 0: // created suspended and hidden, straight into the group
			in.Status, in.Hidden, in.Groups = model.Set(&suspended), model.Set(&yes), []string{"team"}
		case 1:
			in.Groups = []string{"team", "other"}
		}
		u, err := s.CreateUser(ctx, pool.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	steps := []struct {
		name string
		do   func() error
	}{
		{"add members", func() error { _, err := s.AddGroupMembers(ctx, pool.ID, "team", ids[2:]); return err }},
		{"add a user's groups", func() error { _, err := s.AddUserGroups(ctx, pool.ID, ids[3], []string{"other"}); return err }},
		{"suspend", func() error {
			_, err := s.UpdateUser(ctx, pool.ID, ids[2], &model.UserInput{Status: model.Set(&suspended)})
			return err
		}},
		{"hide", func() error {
			_, err := s.UpdateUser(ctx, pool.ID, ids[3], &model.UserInput{Hidden: model.Set(&yes)})
			return err
		}},
		{"batch update", func() error {
			_, err := s.UpdateUsers(ctx, pool.ID, []db.UserUpdate{
				{Key: model.UserKey{Field: "id", Value: ids[4]}, Input: &model.UserInput{Status: model.Set(&suspended), Hidden: model.Set(&yes)}},
			}, db.BatchOptions{})
			return err
		}},
		{"archive", func() error { _, err := s.ArchiveUsers(ctx, pool.ID, ids[5:7]); return err }},
		{"restore", func() error { _, err := s.RestoreUsers(ctx, pool.ID, ids[6:7]); return err }},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if n := staleMemberships(t, d); n != 0 {
			t.Fatalf("after %s: %d memberships disagree with their users", st.name, n)
		}
	}
	// The group filter answered from the copies agrees with the users.
	team, visible := "team", false
	for _, c := range []struct {
		name   string
		filter model.UserFilter
		want   int64
	}{
		{"live members", model.UserFilter{Group: &team}, 7},                                                                   // all but 5, archived
		{"suspended", model.UserFilter{Group: &team, Status: []model.UserStatus{suspended}}, 3},                               // 0, 2, 4
		{"suspended and visible", model.UserFilter{Group: &team, Status: []model.UserStatus{suspended}, Hidden: &visible}, 1}, // 2
		{"archived", model.UserFilter{Group: &team, Status: []model.UserStatus{model.StatusArchived}}, 1},                     // 5
		{"visible", model.UserFilter{Group: &team, Hidden: &visible}, 4},                                                      // 1, 2, 6, 7
	} {
		_, total, err := s.ListUsers(ctx, pool.ID, model.Page{Page: 1, Limit: 10, CountTo: model.CountLimit}, model.DefaultUserSort, &c.filter, nil)
		if err != nil {
			t.Fatal(err)
		}
		if total != c.want {
			t.Errorf("%s: %d users, want %d", c.name, total, c.want)
		}
	}
}
