package sqlite

import (
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// On SQLite each pool has two contentless FTS5 tables (tokenize=trigram),
// one for its visible users and one for its hidden users, kept in step
// with the users table by the store's writes in the same transaction. Per
// pool and per visibility, the default search (visible users of one pool)
// reads the index alone, with no join to filter rows out. An index row's
// rowid is its user's rowid negated: FTS5 walks a doclist forwards far
// faster than backwards, and forwards is then newest first, the order of
// results. Their columns hold the searchable fields folded with lower()
// (ASCII only), so the index and the scan fallback agree exactly.

// ftsTable names a pool's FTS5 table of visible users; ftsHiddenTable that
// of its hidden users. (legacyFTSTables are an earlier layout's, with
// rowids not negated, dropped on migration.)
func ftsTable(poolID string) string {
	return "search_" + strings.ReplaceAll(poolID, "-", "")
}

func ftsHiddenTable(poolID string) string { return ftsTable(poolID) + "_hidden" }

func legacyFTSTables(poolID string) []string {
	t := "users_fts_" + strings.ReplaceAll(poolID, "-", "")
	return []string{t, t + "_hidden"}
}

// ensureSearch gives every pool its FTS5 tables where it lacks them (a
// database written by a build without FTS5).
func (e Engine) EnsureSearch(tx *gorm.DB) error {
	var pools []string
	if err := tx.Model(&model.UserPool{}).Pluck("id", &pools).Error; err != nil {
		return err
	}
	for _, p := range pools {
		if err := e.CreateSearchIndex(tx, p); err != nil {
			return err
		}
	}
	return nil
}

// createSearchIndex gives a pool its FTS5 tables and fills them from the
// pool's users (a no-op if they exist, or without FTS5).
func (e Engine) CreateSearchIndex(tx *gorm.DB, poolID string) error {
	if !e.fts5 {
		return nil
	}
	var n int64
	if err := tx.Raw("SELECT count(*) FROM sqlite_master WHERE name = ?", ftsHiddenTable(poolID)).Scan(&n).Error; err != nil || n > 0 {
		return err
	}
	for _, t := range append(legacyFTSTables(poolID), ftsTable(poolID)) {
		if err := tx.Exec("DROP TABLE IF EXISTS " + t).Error; err != nil {
			return err
		}
	}
	for _, t := range []string{ftsTable(poolID), ftsHiddenTable(poolID)} {
		err := tx.Exec(fmt.Sprintf("CREATE VIRTUAL TABLE %s USING fts5(%s, content='', contentless_delete=1, tokenize='trigram case_sensitive 1')",
			t, strings.Join(query.SearchColumns(), ", "))).Error
		if err != nil {
			return err
		}
	}
	return indexUsers(tx, poolID, "")
}

// rebuildSearchIndex drops the pool's FTS5 tables and builds them anew.
func (e Engine) RebuildSearchIndex(tx *gorm.DB, poolID string) error {
	if err := tx.Exec("DROP TABLE IF EXISTS " + ftsHiddenTable(poolID)).Error; err != nil {
		return err
	}
	return e.CreateSearchIndex(tx, poolID) // drops the rest and rebuilds
}

// searchable is the condition on users for being in the search index:
// archived users are in neither table, so no search meets them.
var searchable = fmt.Sprintf("status <> '%s'", model.StatusArchived)

// indexUsers adds the pool's users (those with the given ids, or all) to
// the FTS table of their visibility.
func indexUsers(tx *gorm.DB, poolID string, idCond string, args ...any) error {
	for _, t := range []struct {
		table  string
		hidden bool
	}{{ftsTable(poolID), false}, {ftsHiddenTable(poolID), true}} {
		err := tx.Exec(fmt.Sprintf("INSERT INTO %s(rowid, %s) SELECT -rowid, %s FROM users WHERE pool_id = ? AND hidden = ? AND %s%s",
			t.table, strings.Join(query.SearchColumns(), ", "), query.FoldedColumns("lower"), searchable, idCond), append([]any{poolID, t.hidden}, args...)...).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// indexCreated adds new users to the FTS table of their visibility: one
// statement, with nothing to remove first.
func (e Engine) IndexCreated(tx *gorm.DB, poolID string, hidden bool, userIDs []string) error {
	if !e.fts5 {
		return nil
	}
	table := ftsTable(poolID)
	if hidden {
		table = ftsHiddenTable(poolID)
	}
	return tx.Exec(fmt.Sprintf("INSERT INTO %s(rowid, %s) SELECT -rowid, %s FROM users WHERE pool_id = ? AND id IN ? AND %s",
		table, strings.Join(query.SearchColumns(), ", "), query.FoldedColumns("lower"), searchable), poolID, userIDs).Error
}

// syncSearch re-indexes users after they changed.
func (e Engine) SyncSearch(tx *gorm.DB, poolID string, userIDs []string) error {
	if !e.fts5 {
		return nil
	}
	if err := e.DropFromSearch(tx, poolID, userIDs); err != nil {
		return err
	}
	return indexUsers(tx, poolID, " AND id IN ?", userIDs)
}

// dropFromSearch removes users from the index, before they are deleted.
func (e Engine) DropFromSearch(tx *gorm.DB, poolID string, userIDs []string) error {
	if !e.fts5 {
		return nil
	}
	for _, t := range []string{ftsTable(poolID), ftsHiddenTable(poolID)} {
		err := tx.Exec(fmt.Sprintf("DELETE FROM %s WHERE rowid IN (SELECT -rowid FROM users WHERE pool_id = ? AND id IN ?)", t), poolID, userIDs).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// search answers from the FTS5 tables when it can (FTS5 built in, a query
// of 3+ characters), else by testing every user of the pool.
func (e Engine) Search(r *gorm.DB, poolID string, q model.UserSearch, p model.Page, cols []string) ([]*model.User, int64, error) {
	if e.fts5 && q.Indexed() {
		return searchFTS(r, poolID, q, p, cols)
	}
	cond, args := scanCondition(q)
	match := r.Model(&model.User{}).Where("pool_id = ? AND status <> ?", poolID, model.StatusArchived).Where(cond, args...)
	// Insertion order, newest first, as the FTS path answers.
	return query.ListPage[model.User](match, p, query.Ordering{Cols: []query.OrderCol{{Col: "rowid", Desc: true}}}, cols...)
}

// matchSet is a search as a source of a filtered listing: its matches
// from the FTS5 tables when the query is indexed (their rowids are the
// users' rowids, negated), else from a scan of the pool's users. A user
// already at hand is tested on its own columns: a MATCH per row would read
// the term's whole posting list each time, ruinous for a common term.
func (e Engine) MatchSet(sub func() *gorm.DB, poolID string, q model.UserSearch) query.IDSet {
	cond, args := scanCondition(q)
	set := query.IDSet{
		Build: func() *gorm.DB {
			return sub().Table("users").Select("id AS user_id").Where("pool_id = ?", poolID).Where(cond, args...)
		},
		Col:     "user_id",
		Test:    func() (string, []any) { return cond, args },
		RowTest: true,
	}
	if e.fts5 && q.Indexed() {
		union, ftsArgs := ftsMatches(poolID, q)
		set.Build = func() *gorm.DB { // a query, not Raw: the planner adds a LIMIT when it sizes the set
			return sub().Table("("+union+") AS f", ftsArgs...).Joins("JOIN users u ON u.rowid = -f.rowid").Select("u.id AS user_id")
		}
	}
	return set
}

// scanCondition is a search as a condition on each user, for queries the
// trigram index cannot serve: a test of every searched column.
func scanCondition(q model.UserSearch) (string, []any) {
	var conds []string
	var args []any
	for _, c := range q.Columns {
		conds = append(conds, fmt.Sprintf("instr(lower(users.%s), ?) > 0", c))
		args = append(args, q.Query)
	}
	cond := "(" + strings.Join(conds, " OR ") + ")"
	if !q.ShowHidden {
		cond += " AND users.hidden = false"
	}
	return cond, args
}

// ftsTables are the FTS5 tables a search reads: the visible users', and
// the hidden users' when asked.
func ftsTables(poolID string, q model.UserSearch) []string {
	tables := []string{ftsTable(poolID)}
	if q.ShowHidden {
		tables = append(tables, ftsHiddenTable(poolID))
	}
	return tables
}

// ftsMatches is the rowids of a search's matches in its FTS5 tables.
func ftsMatches(poolID string, q model.UserSearch) (string, []any) {
	var matches []string
	var args []any
	for _, t := range ftsTables(poolID, q) {
		matches = append(matches, fmt.Sprintf("SELECT rowid FROM %s WHERE %s MATCH ?", t, t))
		args = append(args, q.FTSQuery())
	}
	return strings.Join(matches, " UNION ALL "), args
}

// searchFTS answers a search of 3+ characters from the pool's FTS5 tables.
// Most searches look for one person, so the first statement walks the
// index for the first few matches (newest first), counts them and, if that
// was all of them, joins the page of them to their users: one walk of the
// index. Otherwise a second statement counts to the bound (p.CountStop();
// the walk stops there, so a search matching most of the pool costs what
// one matching 10,000 does) and pages lazily, reading only the page.
func searchFTS(r *gorm.DB, poolID string, q model.UserSearch, p model.Page, cols []string) ([]*model.User, int64, error) {
	union, args := ftsMatches(poolID, q)
	// page joins a page of hits, with the count n on every row, to users.
	// CROSS JOIN keeps the hits as the outer loop, in their order.
	page := func(hits, n string, args []any) ([]*model.User, int64, error) {
		var rows []query.CountedUser
		err := r.Raw(fmt.Sprintf(`SELECT %s, f.n FROM (
			SELECT rowid, %s AS n FROM (%s) ORDER BY rowid LIMIT ? OFFSET ?
		) f CROSS JOIN users u ON u.rowid = -f.rowid ORDER BY f.rowid`, strings.Join(query.Qualified("u", cols), ", "), n, hits),
			append(args, p.Limit, p.Offset())...).Scan(&rows).Error
		users, total := query.SplitCounted(rows)
		return users, total, err
	}
	if p.NoCount {
		// Nothing to count: the page alone, one statement however many
		// match (the probe would cost a second one when they are many).
		return page(union+" ORDER BY rowid", "0", args)
	}
	probe := query.ProbeSize(p)
	users, n, err := page(fmt.Sprintf("%s ORDER BY rowid LIMIT %d", union, probe), "count(*) OVER ()", args)
	switch {
	case err != nil:
		return nil, 0, err
	case len(users) == 0 && p.Page > 1:
		// Past the last page, so fewer hits than the probe, but no row
		// carried their count.
		err = r.Raw("SELECT count(*) FROM ("+union+")", args...).Scan(&n).Error
		return users, n, err
	case n < probe: // all of them
		return users, p.Read(n), nil
	}
	count := "SELECT count(*) FROM (" + union + ")"
	if stop := p.CountStop(); stop > 0 {
		count = fmt.Sprintf("SELECT count(*) FROM (%s LIMIT %d)", union, stop)
	}
	return page(union+" ORDER BY rowid", "("+count+")", append(slices.Clone(args), args...))
}
