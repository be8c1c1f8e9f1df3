package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/internal/password"
	"usergraph/model"
)

// Search has one meaning: the users whose searched values contain the query
// once ASCII letters are folded (what the scan path computes). These tests
// check that the index path (FTS5 on SQLite, pg_trgm on PostgreSQL) returns
// exactly that.

// searchAlphabet mixes what a user may type with what FTS5 would treat as
// syntax: quotes, operators, wildcards, parentheses, and non-ASCII letters.
var searchAlphabet = []string{"a", "b", "A", "B", "x", "1", "2", " ", "\"", "'", "*", "(", ")", ":", "-", "_", "%", "\\",
	"AND", "OR", "NOT", "NEAR", "é", "É", "ß", "日本", "🙂", "^", "{", "}", ".", "\x1f"}

func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(searchAlphabet[r.IntN(len(searchAlphabet))])
	}
	return b.String()
}

// storable drops the control characters input rules refuse: the unit
// separator stays in queries only, where it must still never match across
// two fields.
func storable(s string) string { return strings.ReplaceAll(s, "\x1f", "") }

type searchFixture struct {
	d      *db.DB
	s      *db.Store
	poolID string
	values map[string][]string // user id → searched values
	hidden map[string]bool
	seq    map[string]int // user id → creation order
}

func newSearchFixture(t testing.TB, seed uint64) *searchFixture {
	t.Helper()
	d, _ := dbtest.Open(t)
	s := db.NewStore(d, password.NewHasher())
	ctx := context.Background()
	p, _, err := s.EnsureDefaultPool(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f := &searchFixture{d: d, s: s, poolID: p.ID, values: map[string][]string{}, hidden: map[string]bool{}, seq: map[string]int{}}
	r := rand.New(rand.NewPCG(seed, 7))
	for i := range 60 {
		nick, company := storable(randomText(r, 2+r.IntN(6))), storable(randomText(r, r.IntN(5)))
		hidden := i%7 == 0
		in := model.UserInput{
			Username: model.Set(ptr(fmt.Sprintf("user%d", i))),
			Nickname: model.Set(&nick),
			Company:  model.Set(&company),
			Hidden:   model.Set(&hidden),
		}
		u, err := s.CreateUser(ctx, p.ID, &in)
		if err != nil {
			t.Fatal(err)
		}
		f.values[u.ID] = []string{*u.Username, nick, company}
		f.hidden[u.ID] = hidden
		f.seq[u.ID] = i
	}
	return f
}

func ptr[T any](v T) *T { return &v }

// want is the meaning of a search: the users whose values contain the query
// once ASCII letters are folded.
func (f *searchFixture) want(q string, showHidden bool) []string {
	var ids []string
	for id, vals := range f.values {
		if f.hidden[id] && !showHidden {
			continue
		}
		for _, v := range vals {
			if strings.Contains(model.FoldASCII(v), model.FoldASCII(q)) {
				ids = append(ids, id)
				break
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// check runs a search and compares it with the definition.
func (f *searchFixture) check(t testing.TB, query string, showHidden bool) {
	t.Helper()
	// The fixture fills only these fields, so narrowing to them or not
	// finds the same users (the two take different paths on PostgreSQL).
	for _, fields := range [][]string{{"username", "nickname", "company"}, nil} {
		f.checkFields(t, query, fields, showHidden)
	}
}

func (f *searchFixture) checkFields(t testing.TB, query string, fields []string, showHidden bool) {
	t.Helper()
	q, err := model.NewUserSearch(query, fields, showHidden)
	if err != nil || q.Query == "" {
		return
	}
	users, total, err := f.s.SearchUsers(context.Background(), f.poolID, q, nil, model.DefaultUserSort, model.Page{Page: 1, Limit: model.MaxLimit}, nil)
	if err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	slices.Sort(ids)
	want := f.want(q.Query, showHidden)
	if !slices.Equal(ids, want) || total != int64(len(want)) {
		t.Fatalf("query %q (showHidden %v, indexed %v): found %d (total %d), want %d", query, showHidden, q.Indexed(), len(ids), total, len(want))
	}
	// A small page with a bounded count: the newest matches, and a count
	// that stops one past the bound; on each of PostgreSQL's three paths
	// (all matches gathered at once; counted, then few sorted; counted,
	// then the creation index walked).
	slices.SortFunc(want, func(a, b string) int { return f.seq[b] - f.seq[a] })
	newest := want[:min(3, len(want))]
	p := model.Page{Page: 1, Limit: 3, CountTo: 5}
	for _, path := range []string{"gathered", "sorted", "walked"} {
		var restore []func()
		if path != "gathered" {
			restore = append(restore, db.SetSearchProbe(0))
		}
		if path == "walked" {
			restore = append(restore, db.SetDriveBelow(0))
		}
		users, read, err := f.s.SearchUsers(context.Background(), f.poolID, q, nil, model.DefaultUserSort, p, nil)
		for _, r := range restore {
			r()
		}
		if err != nil {
			t.Fatalf("query %q: %v", query, err)
		}
		got := make([]string, len(users))
		for i, u := range users {
			got[i] = u.ID
		}
		if !slices.Equal(got, newest) || read != min(int64(len(want)), p.CountStop()) {
			t.Fatalf("query %q (showHidden %v, indexed %v, %s), bounded: page %v (read %d), want %v (read %d)",
				query, showHidden, q.Indexed(), path, got, read, newest, min(int64(len(want)), p.CountStop()))
		}
	}
	// The same page when nothing is counted.
	users, _, err = f.s.SearchUsers(context.Background(), f.poolID, q, nil, model.DefaultUserSort, model.Page{Page: 1, Limit: 3, NoCount: true}, nil)
	if err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	got := make([]string, len(users))
	for i, u := range users {
		got[i] = u.ID
	}
	if !slices.Equal(got, newest) {
		t.Fatalf("query %q (showHidden %v, indexed %v), uncounted: page %v, want %v", query, showHidden, q.Indexed(), got, newest)
	}
}

// TestSearchWithoutCountIsOneStatement: on SQLite a search whose count is
// not asked for is one statement, however many users match. (PostgreSQL's
// first statement also chooses the plan: sorting few matches, or walking
// the creation index for many.)
func TestSearchWithoutCountIsOneStatement(t *testing.T) {
	if dbtest.Engine() != "sqlite" {
		t.Skip("SQLite's search path")
	}
	ctx := context.Background()
	_, counter, s, pool := openPool(t)
	for i := range 6 {
		name := fmt.Sprintf("many%d", i)
		if _, err := s.CreateUser(ctx, pool.ID, &model.UserInput{Username: model.Set(&name)}); err != nil {
			t.Fatal(err)
		}
	}
	defer db.SetSearchProbe(2)() // fewer than match
	q, err := model.NewUserSearch("many", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	counter.Reset()
	users, _, err := s.SearchUsers(ctx, pool.ID, q, nil, model.DefaultUserSort, model.Page{Page: 2, Limit: 2, NoCount: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[1].Username == nil || *users[1].Username != "many2" || counter.Count() != 1 {
		t.Errorf("page 2 of 2: %d users, %d statements:\n%s", len(users), counter.Count(), strings.Join(counter.Statements(), "\n"))
	}
}

// TestSearchIndexMatchesScan is the equivalence property: for arbitrary
// queries the index path returns exactly what a plain substring match
// returns (queries under 3 characters check the scan path itself).
func TestSearchIndexMatchesScan(t *testing.T) {
	checkSearches(t, newSearchFixture(t, 1))
}

// TestSearchWithCommonTrigramsMatchesScan is the same property once a
// sample has shown trigrams common (every username starts "user"): on
// PostgreSQL a search then asks the trigram index for a run of its
// uncommon trigrams only, and must still find exactly the matches.
func TestSearchWithCommonTrigramsMatchesScan(t *testing.T) {
	defer db.SetCommonTrigram(0, 0.5)()
	f := newSearchFixture(t, 1)
	if _, err := f.d.TidySearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	narrowed := checkSearches(t, f)
	if pg := dbtest.Engine() == "postgres"; pg != (narrowed > 10) {
		t.Errorf("%d searches narrowed on %s", narrowed, dbtest.Engine())
	}
}

// TestSearchRechecksTheWholeQuery: when a PostgreSQL search asks the
// trigram index for the uncommon part of its query only ("member" and
// "000" are in every user), the users found are tested against the whole
// query: a user holding that part alone is not a match.
func TestSearchRechecksTheWholeQuery(t *testing.T) {
	defer db.SetCommonTrigram(0, 0.5)()
	ctx := context.Background()
	d, counter, s, pool := openPool(t)
	var want string
	for i := 1; i <= 40; i++ {
		name := fmt.Sprintf("member%05d", i)
		u, err := s.CreateUser(ctx, pool.ID, &model.UserInput{Username: model.Set(&name)})
		if err != nil {
			t.Fatal(err)
		}
		if i == 17 {
			want = u.ID
		}
	}
	decoy, nick := "decoy", "x0017x" // holds the query's uncommon part, not the query
	if _, err := s.CreateUser(ctx, pool.ID, &model.UserInput{Username: model.Set(&decoy), Nickname: model.Set(&nick)}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.TidySearch(ctx); err != nil {
		t.Fatal(err)
	}
	pg := dbtest.Engine() == "postgres"
	if narrow := db.NarrowSearch(d, "member00017"); pg != slices.Equal(narrow, []string{"0017"}) {
		t.Fatalf("the index is asked for %q on %s", narrow, dbtest.Engine())
	}
	q, err := model.NewUserSearch("Member00017", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []model.Page{{Page: 1, Limit: 10, CountTo: model.CountLimit}, {Page: 1, Limit: 10, NoCount: true}} {
		counter.Reset()
		users, total, err := s.SearchUsers(ctx, pool.ID, q, nil, model.DefaultUserSort, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 1 || users[0].ID != want || (!p.NoCount && total != 1) {
			t.Errorf("%d users (total %d), want only member00017", len(users), total)
		}
		if rechecked := strings.Contains(strings.Join(counter.Statements(), "\n"), "(search_text || '') LIKE"); pg != rechecked {
			t.Errorf("whole query tested on each user found: %v, on %s:\n%s", rechecked, dbtest.Engine(), strings.Join(counter.Statements(), "\n"))
		}
	}
}

// checkSearches checks arbitrary queries against the definition, and
// returns how many a PostgreSQL search narrowed (see db.NarrowSearch).
func checkSearches(t *testing.T, f *searchFixture) (narrowed int) {
	r := rand.New(rand.NewPCG(2, 3))
	var values []string
	for _, vs := range f.values {
		values = append(values, vs...)
	}
	check := func(q string, showHidden bool) {
		f.check(t, q, showHidden)
		if db.NarrowSearch(f.d, model.FoldASCII(strings.TrimSpace(q))) != nil {
			narrowed++
		}
	}
	for i := range 600 {
		var q string
		switch i % 3 {
		case 0: // a substring of a stored value, its ASCII case flipped at random
			v := []rune(values[r.IntN(len(values))])
			if len(v) < 3 {
				continue
			}
			a := r.IntN(len(v) - 2)
			b := a + 3 + r.IntN(len(v)-a-2)
			q = string(v[a:b])
			if r.IntN(2) == 0 {
				q = strings.ToUpper(q)
			}
		default:
			q = randomText(r, 1+r.IntN(4))
		}
		check(q, i%2 == 0)
	}
	for _, q := range []string{`"abc"`, `a AND b`, `NEAR(a b)`, `a*`, `(a)`, `''"`, `%_\`, `日本語`, `éÉé`, `OR OR`} {
		check(q, false)
	}
	// Across two fields: the end of one username, PostgreSQL's separator,
	// and nothing else must not match (search_text joins the fields).
	for _, q := range []string{"1\x1f", "\x1f\x1f", "ser1\x1f"} {
		check(q, true)
	}
	return narrowed
}

// FuzzSearchIndexMatchesScan explores the same property with the fuzzer:
// go test -tags sqlite_fts5 -fuzz FuzzSearchIndexMatchesScan ./db/
func FuzzSearchIndexMatchesScan(f *testing.F) {
	for _, q := range []string{"abc", `"a"b`, "AND", "a*b", "NEAR(", "éé", "1 2", "%%%", "ß日本"} {
		f.Add(q)
	}
	fx := newSearchFixture(f, 1)
	f.Fuzz(func(t *testing.T, q string) {
		fx.check(t, q, true)
	})
}

// TestMigrateRebuildsLegacySearchIndex: a database whose search index has
// an earlier layout (users_fts_*, rowids not negated) is brought up to
// date by Migrate, and search answers from the new index.
func TestMigrateRebuildsLegacySearchIndex(t *testing.T) {
	if dbtest.Engine() != "sqlite" {
		t.Skip("SQLite's FTS5 tables")
	}
	ctx := context.Background()
	d, _ := dbtest.Open(t)
	s := db.NewStore(d, password.NewHasher())
	p, _, err := s.EnsureDefaultPool(ctx)
	if err != nil {
		t.Fatal(err)
	}
	name := "alice"
	if _, err := s.CreateUser(ctx, p.ID, &model.UserInput{Username: model.Set(&name)}); err != nil {
		t.Fatal(err)
	}
	hex := strings.ReplaceAll(p.ID, "-", "")
	for _, stmt := range []string{
		"DROP TABLE search_" + hex, "DROP TABLE search_" + hex + "_hidden",
		"CREATE VIRTUAL TABLE users_fts_" + hex + " USING fts5(username, tokenize='trigram')",
	} {
		if err := d.Writer().Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	var left []string
	d.Reader().Raw("SELECT name FROM sqlite_master WHERE name = ?", "users_fts_"+hex).Scan(&left)
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	q, err := model.NewUserSearch("lic", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	users, total, err := s.SearchUsers(ctx, p.ID, q, nil, model.DefaultUserSort, model.Page{Page: 1, Limit: 10}, nil)
	if err != nil || total != 1 || len(users) != 1 || *users[0].Username != name {
		t.Fatalf("search after migration: %d users, total %d, %v", len(users), total, err)
	}
}

// TestSearchTextSeparatesFields: on PostgreSQL, search_text joins the
// folded fields with the separator the search guards against.
func TestSearchTextSeparatesFields(t *testing.T) {
	if dbtest.Engine() != "postgres" {
		t.Skip("PostgreSQL's search_text")
	}
	f := newSearchFixture(t, 3)
	for id, vals := range f.values { // username, nickname, company; the rest empty
		given := map[string]string{"username": vals[0], "nickname": vals[1], "company": vals[2]}
		var want []string
		for _, sf := range model.SearchFields {
			want = append(want, model.FoldASCII(given[sf.Field]))
		}
		var text string
		if err := f.d.Reader().Raw("SELECT search_text FROM users WHERE id = ?", id).Scan(&text).Error; err != nil {
			t.Fatal(err)
		}
		if w := strings.Join(want, "\x1f"); text != w {
			t.Fatalf("search_text %q, want %q", text, w)
		}
	}
}

// TestTidySearchMergesTheIndex: users written one by one leave the SQLite
// search index in many parts; TidySearch merges them until nothing is left
// to merge, and every search answers as before, newer writes included.
// (PostgreSQL has nothing to merge.)
func TestTidySearchMergesTheIndex(t *testing.T) {
	ctx := context.Background()
	f := newSearchFixture(t, 3)
	steps, err := f.d.TidySearch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sqlite := dbtest.Engine() == "sqlite"; sqlite != (steps > 0) {
		t.Fatalf("%d steps of merging on %s", steps, dbtest.Engine())
	}
	if again, err := f.d.TidySearch(ctx); err != nil || again != 0 {
		t.Fatalf("a second pass: %d steps, %v", again, err)
	}
	r := rand.New(rand.NewPCG(4, 5))
	for _, vs := range f.values {
		for _, v := range vs {
			if runes := []rune(v); len(runes) >= 3 {
				a := r.IntN(len(runes) - 2)
				f.check(t, string(runes[a:a+3+r.IntN(len(runes)-a-2)]), true)
			}
		}
	}
	name := "afterwards"
	u, err := f.s.CreateUser(ctx, f.poolID, &model.UserInput{Username: model.Set(&name)})
	if err != nil {
		t.Fatal(err)
	}
	f.values[u.ID], f.seq[u.ID] = []string{name, "", ""}, len(f.seq)
	f.check(t, "erwar", false)
}
