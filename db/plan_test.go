package db_test

import (
	"context"
	"database/sql"

	"github.com/99designs/gqlgen/graphql"
	"strings"
	"testing"
	"time"

	"usergraph/auth"
	"usergraph/db"
	"usergraph/db/dbtest"
	"usergraph/model"
)

// TestFilterPlansUseIndexes runs every user filter through ListUsers and
// asks SQLite how it ran each statement: each must read the index named for
// the filter, and none may scan the users table or sort it. SQLite keeps no
// statistics here (no ANALYZE), so the plans are what a new database gets
// and do not depend on the data. PostgreSQL chooses by statistics, so its
// plans are shown in the README from a loaded database instead.
func TestFilterPlansUseIndexes(t *testing.T) {
	if dbtest.Engine() != "sqlite" {
		t.Skip("SQLite's plans; PostgreSQL plans by statistics")
	}
	ctx := context.Background()
	d, counter := dbtest.Open(t)
	s := db.NewStore(d, auth.NewHasher())
	pool, _, err := s.EnsureDefaultPool(ctx)
	if err != nil {
		t.Fatal(err)
	}
	code := "eng"
	if _, err := s.CreateGroup(ctx, pool.ID, model.GroupInput{Code: graphql.OmittableOf(&code)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateRole(ctx, pool.ID, "", model.RoleInput{Code: graphql.OmittableOf(&code)}); err != nil {
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
		{"createdAt", model.UserFilter{CreatedAt: &model.TimeRange{From: &since}}, byCreated, "ix_users_created"},
		{"registeredSince", model.UserFilter{RegisteredSince: &days}, byCreated, "ix_users_created"},
		{"signedUp", model.UserFilter{SignedUp: &model.TimeRange{From: &since}}, byCreated, "ix_users_signed_up"},
		{"identityProviders", model.UserFilter{IdentityProviders: []string{"github"}}, byCreated, "ux_identities_idp"},
		{"group", model.UserFilter{Group: &code}, byCreated, "ux_groups_code"},
		{"role", model.UserFilter{Role: &model.RoleRef{Code: code}}, byCreated, "ux_roles_code"},
		{"customData eq", model.UserFilter{CustomData: []*model.CustomDataPred{{Key: "city", Eq: "Oslo"}}}, byCreated, "ix_udf_string"},
		{"customData range", model.UserFilter{CustomData: []*model.CustomDataPred{{Key: "age", Gte: 18.0, Lte: 30.0}}}, byCreated, "ix_udf_number"},
		{"status by username", model.UserFilter{Status: []model.UserStatus{model.StatusSuspended}}, byUsername, "ix_users_status_created"},
	}
	sqlDB, err := d.R.DB()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
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
			if !strings.Contains(count+page, c.index) {
				t.Errorf("want %s used; plans:\n%s\n--\n%s", c.index, count, page)
			}
			for _, step := range strings.Split(count+"\n"+page, "\n") {
				// (matches and d are the statement's own subqueries.)
				if strings.HasPrefix(step, "SCAN ") && step != "SCAN matches" && step != "SCAN d" {
					t.Errorf("a full scan: %s", step)
				}
			}
			// The count must not read the whole pool: users are reached by
			// the filter's index, not by pool alone.
			if strings.Contains(count, "users USING") && strings.Contains(count, "(pool_id=?)") {
				t.Errorf("the count reads every user of the pool:\n%s", count)
			}
		})
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
