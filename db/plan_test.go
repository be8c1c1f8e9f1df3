package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/internal/password"
	"usergraph/model"
)

// TestFilterPlansUseIndexes runs every user filter through ListUsers and
// asks SQLite how it ran each statement: the count must read the index
// named for the filter and not the whole pool; no statement may scan a
// table or copy a set whole; pages are checked both driven from a set and
// walking the sort index. SQLite keeps no
// statistics here (no ANALYZE), so the plans are what a new database gets
// and do not depend on the data. PostgreSQL chooses by statistics, so its
// plans are shown in the README from a loaded database instead.
func TestFilterPlansUseIndexes(t *testing.T) {
	if dbtest.Engine() != "sqlite" {
		t.Skip("SQLite's plans; PostgreSQL plans by statistics")
	}
	ctx := context.Background()
	d, counter, s, pool := openPool(t)
	code := "eng"
	createGroups(t, s, pool.ID, code)
	if _, err := s.CreateRole(ctx, pool.ID, "", model.RoleInput{Code: model.Set(&code)}); err != nil {
		t.Fatal(err)
	}
	for _, def := range []model.UdfDefinition{
		{TargetType: model.UdfTargetUser, Key: "age", DataType: model.UdfNumber},
		{TargetType: model.UdfTargetUser, Key: "city", DataType: model.UdfString},
	} {
		if _, err := s.SetUdf(ctx, pool.ID, def); err != nil {
			t.Fatal(err)
		}
	}
	yes, no, days := true, false, 7
	since := time.Now().Add(-time.Hour)
	byCreated := model.DefaultUserSort
	byUsername := model.UserSort{Field: model.SortUsername, Order: model.SortAsc}
	cases := []struct {
		name   string
		filter model.UserFilter
		sort   model.UserSort
		index  string // the index the filter's condition must be served by
	}{
		{"status", model.UserFilter{Status: []model.UserStatus{model.StatusSuspended}}, byCreated, "ix_users_status_created"},
		{"blocked", model.UserFilter{Blocked: &yes}, byCreated, "ix_users_status_created"},
		{"not blocked", model.UserFilter{Blocked: &no}, byCreated, "ix_users_status_created"},
		{"emailVerified", model.UserFilter{EmailVerified: &yes}, byCreated, "ix_users_email_verified_created"},
		{"phoneVerified", model.UserFilter{PhoneVerified: &no}, byCreated, "ix_users_phone_verified_created"},
		{"hidden", model.UserFilter{Hidden: &no}, byCreated, "ix_users_hidden_created"},
		{"createdAt", model.UserFilter{CreatedAt: &model.TimeRange{From: &since}}, byCreated, "ix_users_by_created"},
		{"registeredSince", model.UserFilter{RegisteredSince: &days}, byCreated, "ix_users_by_created"},
		{"signedUp", model.UserFilter{SignedUp: &model.TimeRange{From: &since}}, byCreated, "ix_users_signed_up"},
		{"identityProviders", model.UserFilter{IdentityProviders: []string{"github"}}, byCreated, "ux_identities_idp"},
		{"group", model.UserFilter{Group: &code}, byCreated, "ux_groups_code"},
		{"role", model.UserFilter{Role: &model.RoleRef{Code: code}}, byCreated, "ux_roles_code"},
		{"customData eq", model.UserFilter{CustomData: []*model.CustomDataPred{{Key: "city", Eq: "Oslo"}}}, byCreated, "ix_udf_string"},
		{"customData range", model.UserFilter{CustomData: []*model.CustomDataPred{{Key: "age", Gte: 18.0, Lte: 30.0}}}, byCreated, "ix_udf_number"},
		{"status by username", model.UserFilter{Status: []model.UserStatus{model.StatusSuspended}}, byUsername, "ix_users_status_created"},
	}
	sqlDB, err := d.Reader().DB()
	if err != nil {
		t.Fatal(err)
	}
	for _, walk := range []bool{false, true} {
		if walk { // every filtered page walks its sort index
			defer db.SetDriveBelow(0)()
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/walk=%v", c.name, walk), func(t *testing.T) {
				counter.Reset()
				if _, _, err := s.ListUsers(ctx, pool.ID, model.Page{Page: 1, Limit: 10, CountTo: model.CountLimit}, c.sort, &c.filter, nil); err != nil {
					t.Fatal(err)
				}
				var plans []string
				for _, stmt := range counter.Statements() {
					if strings.Contains(stmt, "udf_definitions") {
						continue // the custom field definitions' look-up
					}
					plans = append(plans, explain(t, sqlDB, stmt))
				}
				if len(plans) != 2 {
					t.Fatalf("want a count and a page, got %d users statements: %q", len(plans), counter.Statements())
				}
				count, page := plans[0], plans[1]
				// The page may walk a sort index instead, testing each user.
				if !strings.Contains(count, c.index) {
					t.Errorf("want %s used by the count; plans:\n%s\n--\n%s", c.index, count, page)
				}
				for _, step := range strings.Split(count+"\n"+page, "\n") {
					// (matches, d, holders, l and w are the statements' own
					// subqueries: holders a role's members and its groups',
					// l and w a set's live and whole counts.)
					own := []string{"SCAN matches", "SCAN d", "SCAN holders", "SCAN l", "SCAN w", "SCAN CONSTANT ROW"}
					if strings.HasPrefix(step, "SCAN ") && !slices.Contains(own, step) {
						t.Errorf("a full scan: %s", step)
					}
					// Testing a set must not first copy it whole.
					if strings.HasPrefix(step, "LIST SUBQUERY") {
						t.Errorf("a set materialized: %s", page)
					}
				}
				// The count must not read the whole pool: users are reached
				// by the filter's index, not by pool alone.
				if strings.Contains(count, "users USING") && strings.Contains(count, "(pool_id=?)") {
					t.Errorf("the count reads every user of the pool:\n%s", count)
				}
				t.Logf("count:\n%s\npage:\n%s", count, page)
			})
		}
	}
}

// explain returns SQLite's query plan of stmt, one step per line. Its
// parameters are left NULL, which does not change the plan.
func explain(t *testing.T, sqlDB *sql.DB, stmt string) string {
	t.Helper()
	args := make([]any, strings.Count(stmt, "?"))
	rows, err := sqlDB.Query("EXPLAIN QUERY PLAN "+stmt, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", stmt, err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(steps, "\n")
}

// TestFilterPagesAgree checks that a filtered page is the same whether it
// is driven from a set or walks the sort index, and whether its rows are
// read at the offset or by id after it (deepPage): same users, same
// order, same count, for every set filter alone and combined with others.
func TestFilterPagesAgree(t *testing.T) {
	ctx := context.Background()
	_, _, s, pool := openPool(t)
	createGroups(t, s, pool.ID, "eng", "ops")
	for _, code := range []string{"eng", "ops"} {
		if _, err := s.CreateRole(ctx, pool.ID, "", model.RoleInput{Code: model.Set(&code)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetUdf(ctx, pool.ID, model.UdfDefinition{TargetType: model.UdfTargetUser, Key: "age", DataType: model.UdfNumber}); err != nil {
		t.Fatal(err)
	}
	var eng, ops []string
	var data []*model.UserCustomData
	for i := range 40 {
		name := fmt.Sprintf("u%02d", (i*17)%40) // usernames out of creation order
		status := model.StatusActivated
		if i%3 == 0 {
			status = model.StatusSuspended
		}
		email := fmt.Sprintf("%s@team-%c.example", name, 'a'+i%3)
		in := model.UserInput{Username: model.Set(&name), Email: model.Set(&email), Status: model.Set(&status)}
		if i%4 == 0 {
			in.Identities = model.Set([]*model.IdentityInput{{Provider: "github", Type: "oauth", UserIDInIdp: name}, {Provider: "google", Type: "oauth", UserIDInIdp: name}})
		}
		u, err := s.CreateUser(ctx, pool.ID, &in)
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			eng = append(eng, u.ID)
		}
		if i%5 != 0 {
			ops = append(ops, u.ID)
		}
		data = append(data, &model.UserCustomData{UserID: u.ID, Data: map[string]any{"age": float64(20 + i%10)}})
	}
	if _, err := s.AddGroupMembers(ctx, pool.ID, "eng", eng); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddRoleMembers(ctx, pool.ID, "", "ops", ops); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetCustomData(ctx, pool.ID, data); err != nil {
		t.Fatal(err)
	}
	engCode := "eng"
	suspended := []model.UserStatus{model.StatusSuspended}
	filters := map[string]model.UserFilter{
		"group":                {Group: &engCode},
		"role":                 {Role: &model.RoleRef{Code: "ops"}},
		"identity (two each)":  {IdentityProviders: []string{"github", "google"}},
		"custom range":         {CustomData: []*model.CustomDataPred{{Key: "age", Gte: 22.0, Lte: 26.0}}},
		"group, role, status":  {Group: &engCode, Role: &model.RoleRef{Code: "ops"}, Status: suspended},
		"custom and identity":  {CustomData: []*model.CustomDataPred{{Key: "age", Eq: 20.0}}, IdentityProviders: []string{"github"}},
		"group and no matches": {Group: &engCode, Status: []model.UserStatus{model.StatusArchived}},
	}
	filters["none"] = model.UserFilter{}
	var searches = map[string]*model.UserSearch{"no search": nil}
	for _, q := range []string{"u1", "team-a"} { // scanned (2 characters), indexed
		search, err := model.NewUserSearch(q, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		searches[q] = &search
	}
	list := func(f model.UserFilter, search *model.UserSearch, sort model.UserSort, p model.Page) ([]string, int64) {
		users, total, err := s.FindUsers(ctx, pool.ID, search, &f, sort, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		names := make([]string, len(users))
		for i, u := range users {
			names[i] = *u.Username
		}
		return names, total
	}
	all := model.Page{Page: 1, Limit: 100}
	for name, f := range filters {
		for q, search := range searches {
			for _, sort := range []model.UserSort{model.DefaultUserSort, {Field: model.SortUsername, Order: model.SortAsc}} {
				for _, p := range []model.Page{{Page: 1, Limit: 5}, {Page: 2, Limit: 5, CountTo: 3}} {
					driven, dTotal := list(f, search, sort, p)
					restore := db.SetDriveBelow(0)
					walked, wTotal := list(f, search, sort, p)
					restore()
					if !slices.Equal(driven, walked) || dTotal != wTotal {
						t.Errorf("%s, %s, %v %+v: driven %v (%d), walked %v (%d)", name, q, sort, p, driven, dTotal, walked, wTotal)
					}
					// Read by id after an offset walk of the ids alone
					// (deepPage), driven and walked: the same page.
					restoreDeep := db.SetDeepOffset(0)
					deep, deepTotal := list(f, search, sort, p)
					restore = db.SetDriveBelow(0)
					deepWalked, _ := list(f, search, sort, p)
					restore()
					restoreDeep()
					if !slices.Equal(deep, driven) || deepTotal != dTotal || !slices.Equal(deepWalked, driven) {
						t.Errorf("%s, %s, %v %+v: by id after the offset %v (%d), walked %v, by offset %v (%d)", name, q, sort, p, deep, deepTotal, deepWalked, driven, dTotal)
					}
				}
				// Together they find what each finds alone, in the order asked.
				both, total := list(f, search, sort, all)
				filtered, _ := list(f, nil, sort, all)
				matched, _ := list(model.UserFilter{}, search, sort, all)
				want := slices.DeleteFunc(filtered, func(n string) bool { return !slices.Contains(matched, n) })
				if !slices.Equal(both, want) || int64(len(both)) != total {
					t.Errorf("%s, %s, %v: %v (%d), want %v", name, q, sort, both, total, want)
				}
				if search != nil && sort == model.DefaultUserSort {
					// The engine's own search path agrees with the planner's.
					users, _, err := s.SearchUsers(ctx, pool.ID, *search, nil, sort, all, nil)
					if err != nil {
						t.Fatal(err)
					}
					var names []string
					for _, u := range users {
						names = append(names, *u.Username)
					}
					if !slices.Equal(names, matched) {
						t.Errorf("search %s: %v by the search path, %v by the planner", q, names, matched)
					}
				}
			}
		}
	}
}

// TestFilterDrivesFromTheSmallestSource: with several sources (sets, and
// the users table's own conditions), the count starts from the smallest.
func TestFilterDrivesFromTheSmallestSource(t *testing.T) {
	ctx := context.Background()
	_, counter, s, pool := openPool(t)
	createGroups(t, s, pool.ID, "big", "small")
	var all []string
	for i := range 30 {
		name := fmt.Sprintf("u%02d", i)
		status, verified := model.StatusActivated, i == 2 || i == 3
		if i < 2 {
			status = model.StatusArchived
		}
		u, err := s.CreateUser(ctx, pool.ID, &model.UserInput{Username: model.Set(&name), Status: model.Set(&status), EmailVerified: model.Set(&verified)})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, u.ID)
	}
	if _, err := s.AddGroupMembers(ctx, pool.ID, "big", all); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddGroupMembers(ctx, pool.ID, "small", all[:5]); err != nil {
		t.Fatal(err)
	}
	big, small, visible, yes := "big", "small", false, true
	cases := []struct {
		name   string
		filter model.UserFilter
		from   string // how the count statement begins
		index  string // the users index it reads, on SQLite
		total  int64
	}{
		{"verified in the big group: the email_verified index", model.UserFilter{Group: &big, EmailVerified: &yes},
			"SELECT count(*) FROM (SELECT 1 FROM users ", "ix_users_email_verified_created", 2},
		{"verified and visible in the big group: the email_verified index", model.UserFilter{Group: &big, EmailVerified: &yes, Hidden: &visible},
			"SELECT count(*) FROM (SELECT 1 FROM users ", "ix_users_email_verified_created", 2},
		// The group's memberships answer status and hidden themselves
		// (model.GroupMember): the group alone is the count's source.
		{"archived and visible in the big group: the memberships", model.UserFilter{Group: &big, Status: []model.UserStatus{model.StatusArchived}, Hidden: &visible},
			"SELECT count(*) FROM (SELECT 1 FROM (SELECT m.user_id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE ", "", 2},
		{"archived and visible: the status index", model.UserFilter{Status: []model.UserStatus{model.StatusArchived}, Hidden: &visible},
			"SELECT count(*) FROM (SELECT 1 FROM users ", "ix_users_status_created", 2},
		{"active in the small group: the group", model.UserFilter{Group: &small, Status: []model.UserStatus{model.StatusActivated}},
			"SELECT count(*) FROM (SELECT 1 FROM (SELECT m.user_id FROM group_members", "", 3},
	}
	for _, c := range cases {
		counter.Reset()
		_, total, err := s.ListUsers(ctx, pool.ID, model.Page{Page: 1, Limit: 10, CountTo: model.CountLimit}, model.DefaultUserSort, &c.filter, nil)
		if err != nil {
			t.Fatal(err)
		}
		var count string
		for _, stmt := range counter.Statements() {
			if strings.HasPrefix(stmt, "SELECT count(*) FROM (SELECT 1 FROM") {
				count = strings.NewReplacer("`", "", `"`, "").Replace(stmt) // either engine's quotes
			}
		}
		onMembers := strings.Contains(count, "m.user_status IN") && strings.Contains(count, "m.user_hidden =") && !strings.Contains(count, "users")
		if total != c.total || !strings.HasPrefix(count, c.from) || strings.Contains(c.name, "the memberships") && !onMembers ||
			c.index != "" && dbtest.Engine() == "sqlite" && !strings.Contains(count, "INDEXED BY "+c.index) {
			t.Errorf("%s: total %d (want %d), count statement %q", c.name, total, c.total, count)
		}
	}
}

// openPool opens a fresh database with its default pool.
func openPool(t *testing.T) (*db.DB, *dbtest.Counter, *db.Store, *model.UserPool) {
	t.Helper()
	d, counter := dbtest.Open(t)
	s := db.NewStore(d, password.NewHasher())
	pool, _, err := s.EnsureDefaultPool(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d, counter, s, pool
}

// createGroups creates groups with these codes.
func createGroups(t *testing.T, s *db.Store, poolID string, codes ...string) {
	t.Helper()
	for _, code := range codes {
		if _, err := s.CreateGroup(context.Background(), poolID, model.GroupInput{Code: model.Set(&code)}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUsersRelationsReadTheIndexAlone: a page of users' groups and roles
// (as the headline listing reads them, codes only) finds the memberships
// in the (user_id, pool_id, parent) indexes without reading membership
// rows, and reads only the asked-for columns.
func TestUsersRelationsReadTheIndexAlone(t *testing.T) {
	if dbtest.Engine() != "sqlite" {
		t.Skip("SQLite's plans; PostgreSQL plans by statistics")
	}
	ctx := context.Background()
	d, counter, s, pool := openPool(t)
	sqlDB, err := d.Reader().DB()
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"u1", "u2"}
	for _, c := range []struct {
		load  func() error
		index string
	}{
		{func() error {
			_, err := s.GroupsByUserIDs(ctx, pool.ID, ids, model.GroupColumns([]string{"code"})...)
			return err
		}, "COVERING INDEX ix_group_members_user"},
		{func() error {
			_, err := s.HeldRolesByUserIDs(ctx, pool.ID, ids, model.RoleColumns([]string{"code"})...)
			return err
		}, "COVERING INDEX ix_role_members_user"},
		{func() error { // whether the pool gives roles through groups: one seek
			_, err := s.HeldRolesByUserIDs(ctx, pool.ID, ids, model.RoleColumns([]string{"code"})...)
			return err
		}, "USING COVERING INDEX ix_group_roles_pool (pool_id=?)"},
	} {
		counter.Reset()
		if err := c.load(); err != nil {
			t.Fatal(err)
		}
		stmt := counter.Statements()[0]
		plan := explain(t, sqlDB, stmt)
		if !strings.Contains(plan, c.index) {
			t.Errorf("want %s:\n%s\n%s", c.index, stmt, plan)
		}
		if strings.Contains(stmt, ".*") || strings.Contains(stmt, "description") {
			t.Errorf("reads whole rows: %s", stmt)
		}
	}
}
