package db_test

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/internal/password"
	"usergraph/model"
)

// The search benchmarks run through the store on a generated data set:
//
//	USERGRAPH_BENCH_USERS=1000000 USERGRAPH_BENCH_DB=/tmp/ug-1m.db \
//	  go test -tags sqlite_fts5 -run XXX -bench Search -benchtime 200x ./db/
//
// USERGRAPH_BENCH_USERS sets the size (default 20,000). USERGRAPH_BENCH_DB
// keeps the data set between runs (a SQLite path or a postgres:// DSN);
// without it a fresh database is seeded per run. USERGRAPH_BENCH_SLOW (a
// duration) logs the statements slower than it. Each benchmark reports the
// p50 and p99 latency of one call, including its totalCount.

// kept caches the data set named by USERGRAPH_BENCH_DB across benchmarks.
var kept struct {
	sync.Mutex
	store *db.Store
	pool  string
}

func benchData(b *testing.B) (*db.Store, string) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("USERGRAPH_BENCH_USERS")); err == nil {
		n = v
	}
	dsn := os.Getenv("USERGRAPH_BENCH_DB")
	if dsn == "" {
		dsn = dbtest.DSN(b) // fresh per benchmark, removed after it
	} else {
		kept.Lock()
		defer kept.Unlock()
		if kept.store != nil {
			return kept.store, kept.pool
		}
	}
	ctx := context.Background()
	opts := db.Options{Logger: slog.New(slog.DiscardHandler), SlowQuery: time.Hour}
	if v, err := time.ParseDuration(os.Getenv("USERGRAPH_BENCH_SLOW")); err == nil { // log statements slower than this
		opts.Logger, opts.SlowQuery = slog.New(slog.NewTextHandler(os.Stderr, nil)), v
	}
	d, err := db.Open(ctx, dsn, opts)
	if err != nil {
		b.Fatal(err)
	}
	if os.Getenv("USERGRAPH_BENCH_DB") == "" {
		b.Cleanup(func() { d.Close() })
	}
	if err := db.Migrate(ctx, d); err != nil {
		b.Fatal(err)
	}
	store := db.NewStore(d, password.NewHasher())
	p, _, err := store.EnsureDefaultPool(ctx)
	if err == nil && p == nil {
		p, err = store.DefaultPool(ctx)
	}
	if err != nil {
		b.Fatal(err)
	}
	var have int64
	d.Reader().Model(&model.User{}).Where("pool_id = ?", p.ID).Count(&have)
	if have < int64(n) {
		start := time.Now()
		if err := seed(ctx, d, store, p.ID, n); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d users in %v", n, time.Since(start))
	}
	// Bring the database to rest, as a server's would be after a load:
	// its search index merged (the server does it at start and hourly);
	// SQLite folds its write-ahead log into the file; PostgreSQL's vacuum
	// marks pages all-visible (for index-only scans) and gathers statistics,
	// which autovacuum would do in its own time.
	if _, err := d.TidySearch(ctx); err != nil {
		b.Fatal(err)
	}
	rest := "PRAGMA wal_checkpoint(TRUNCATE)"
	if strings.HasPrefix(dsn, "postgres") { // USERGRAPH_BENCH_DB may name either engine, whatever dbtest's
		rest = "VACUUM ANALYZE users"
	}
	if err := d.Writer().Exec(rest).Error; err != nil {
		b.Fatal(err)
	}
	kept.store, kept.pool = store, p.ID
	return store, p.ID
}

// latencies runs op b.N times and reports p50 and p99 in milliseconds.
func latencies(b *testing.B, op func() (int64, error)) {
	var d []time.Duration
	var total int64
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		n, err := op()
		d = append(d, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		total = n
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(total), "hits")
}

// page is the first page of 10 the server asks for by default: counting up
// to model.CountLimit.
var page = model.Page{Page: 1, Limit: 10, CountTo: model.CountLimit}

func benchSearch(b *testing.B, query string) { benchSearchPage(b, query, page) }

func benchSearchPage(b *testing.B, query string, page model.Page) {
	s, pool := benchData(b)
	q, err := model.NewUserSearch(query, nil, false)
	if err != nil {
		b.Fatal(err)
	}
	latencies(b, func() (int64, error) {
		_, total, err := s.SearchUsers(context.Background(), pool, q, nil, model.DefaultUserSort, page, []string{"id", "pool_id", "username", "email"})
		return total, err
	})
}

// A selective search: one username (1 hit, or a few).
func BenchmarkSearchSelective(b *testing.B) { benchSearch(b, "user0012345") }

// A common search: every user's email contains it.
func BenchmarkSearchCommon(b *testing.B) { benchSearch(b, "example") }

// The common search counted to the end (exactCount: true).
func BenchmarkSearchCommonExact(b *testing.B) {
	benchSearchPage(b, "example", model.Page{Page: 1, Limit: 10})
}

// A 4-digit substring: phone numbers (and usernames) containing it.
func BenchmarkSearch4Digit(b *testing.B) { benchSearch(b, "4821") }

// A filtered, sorted page: suspended users, newest first.
func BenchmarkFilteredSortedPage(b *testing.B) {
	benchFilter(b, &model.UserFilter{Status: []model.UserStatus{model.StatusSuspended}}, model.UserSort{Field: model.SortCreatedAt, Order: model.SortDesc})
}

// Members of one group (a tenth of the pool), newest first.
func BenchmarkFilteredGroupPage(b *testing.B) {
	group := "team07"
	benchFilter(b, &model.UserFilter{Group: &group}, model.DefaultUserSort)
}

// A selective condition inside a large group: users created in the last
// 1,000 seconds of the data set (about 100 of them in team07).
func BenchmarkFilteredRecentInGroup(b *testing.B) {
	group := "team07"
	s, pool := benchData(b)
	var newest time.Time
	users, _, err := s.ListUsers(context.Background(), pool, model.Page{Page: 1, Limit: 1}, model.DefaultUserSort, nil, []string{"id", "created_at"})
	if err != nil || len(users) == 0 {
		b.Fatal("no users", err)
	}
	newest = users[0].CreatedAt
	from := newest.Add(-1000 * time.Second)
	benchFilter(b, &model.UserFilter{Group: &group, CreatedAt: &model.TimeRange{From: &from}}, model.DefaultUserSort)
}

// The hard case: suspended, visible members of one group (two large sets
// intersected), by username.
func BenchmarkFilteredSortedPageIntersection(b *testing.B) {
	group, visible := "team07", false
	benchFilter(b, &model.UserFilter{Status: []model.UserStatus{model.StatusSuspended}, Group: &group, Hidden: &visible},
		model.UserSort{Field: model.SortUsername, Order: model.SortAsc})
}

func benchFilter(b *testing.B, f *model.UserFilter, sort model.UserSort) {
	s, pool := benchData(b)
	latencies(b, func() (int64, error) {
		_, total, err := s.ListUsers(context.Background(), pool, model.Page{Page: 1, Limit: 20, CountTo: model.CountLimit}, sort, f, []string{"id", "pool_id", "username"})
		return total, err
	})
}

// A search box with a filter chip and a sorted column: usernames
// containing "user00123" (100 users), suspended ones, by username.
func BenchmarkSearchFilterSortSelective(b *testing.B) {
	benchSearchFilter(b, "user00123", &model.UserFilter{Status: []model.UserStatus{model.StatusSuspended}})
}

// The same over a common search: every user matches "example"; members of
// one group (a tenth of the pool), by username.
func BenchmarkSearchFilterSortCommon(b *testing.B) {
	group := "team07"
	benchSearchFilter(b, "example", &model.UserFilter{Group: &group})
}

func benchSearchFilter(b *testing.B, query string, f *model.UserFilter) {
	s, pool := benchData(b)
	q, err := model.NewUserSearch(query, nil, false)
	if err != nil {
		b.Fatal(err)
	}
	byName := model.UserSort{Field: model.SortUsername, Order: model.SortAsc}
	latencies(b, func() (int64, error) {
		_, total, err := s.SearchUsers(context.Background(), pool, q, f, byName, page, []string{"id", "pool_id", "username", "email"})
		return total, err
	})
}

// Page 10,000 of 10 (newest first): by offset, which walks the 99,990
// users before it, and by cursor, which starts right after them.
func BenchmarkDeepPage(b *testing.B) {
	s, pool := benchData(b)
	ctx := context.Background()
	deep := model.Page{Page: 10_000, Limit: 10, NoCount: true}
	before, _, err := s.ListUsers(ctx, pool, model.Page{Page: 9_999, Limit: 10, NoCount: true}, model.DefaultUserSort, nil, nil)
	if err != nil || len(before) == 0 {
		b.Fatal("no page 9,999", err)
	}
	after, err := db.DecodeUserCursor("after", db.UserCursor(before[len(before)-1], model.DefaultUserSort), model.DefaultUserSort)
	if err != nil {
		b.Fatal(err)
	}
	cols := []string{"id", "pool_id", "username", "created_at"}
	for _, c := range []struct {
		name string
		page model.Page
	}{{"offset", deep}, {"cursor", model.Page{Page: 1, Limit: 10, NoCount: true, After: after, Next: true}}} {
		b.Run(c.name, func(b *testing.B) {
			var first string
			latencies(b, func() (int64, error) {
				users, _, err := s.ListUsers(ctx, pool, c.page, model.DefaultUserSort, nil, cols)
				if err == nil && len(users) > 0 {
					first = users[0].ID
				}
				return int64(len(users)), err
			})
			b.Logf("page starts at %s", first)
		})
	}
}
