package db

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"usergraph/model"
)

// Search runs on a trigram index on both engines. On SQLite each pool has
// two contentless FTS5 tables (tokenize=trigram), one for its visible users
// and one for its hidden users, kept in step with the users table by the
// store's writes in the same transaction. Per pool and per visibility, the
// default search (visible users of one pool) reads the index alone, with
// no join to filter rows out. An index row's rowid is its user's rowid
// negated: FTS5 walks a doclist forwards far faster than backwards, and
// forwards is then newest first, the order of results. Their columns hold
// the searchable fields folded with lower() (ASCII only), so the index and
// the scan fallback agree exactly. On PostgreSQL a stored, generated
// search_text column holds the fields folded by ug_fold (ASCII only too),
// and one pg_trgm GIN index on it serves the same match as a LIKE.

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

func searchColumns() []string {
	cols := make([]string, len(model.SearchFields))
	for i, f := range model.SearchFields {
		cols[i] = f.Column
	}
	return cols
}

// foldedColumns lists "lower(col), …" for every searchable column.
func foldedColumns(fold string) string {
	cols := searchColumns()
	for i, c := range cols {
		cols[i] = fold + "(" + c + ")"
	}
	return strings.Join(cols, ", ")
}

// createSearchIndex gives a pool its FTS5 table on SQLite and fills it
// from the pool's users (a no-op if it exists, or without FTS5).
func (d *DB) createSearchIndex(tx *gorm.DB, poolID string) error {
	if d.Dialect != "sqlite" || !d.FTS5 {
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
			t, strings.Join(searchColumns(), ", "))).Error
		if err != nil {
			return err
		}
	}
	return d.indexUsers(tx, poolID, "")
}

// indexUsers adds the pool's users (those with the given ids, or all) to
// the FTS table of their visibility.
func (d *DB) indexUsers(tx *gorm.DB, poolID string, idCond string, args ...any) error {
	for _, t := range []struct {
		table  string
		hidden bool
	}{{ftsTable(poolID), false}, {ftsHiddenTable(poolID), true}} {
		err := tx.Exec(fmt.Sprintf("INSERT INTO %s(rowid, %s) SELECT -rowid, %s FROM users WHERE pool_id = ? AND hidden = ?%s",
			t.table, strings.Join(searchColumns(), ", "), foldedColumns("lower"), idCond), append([]any{poolID, t.hidden}, args...)...).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// syncSearch re-indexes users after they were created or changed.
func (d *DB) syncSearch(tx *gorm.DB, poolID string, userIDs []string) error {
	if d.Dialect != "sqlite" || !d.FTS5 {
		return nil
	}
	if err := d.dropFromSearch(tx, poolID, userIDs); err != nil {
		return err
	}
	return d.indexUsers(tx, poolID, " AND id IN ?", userIDs)
}

// dropFromSearch removes users from the index, before they are deleted.
func (d *DB) dropFromSearch(tx *gorm.DB, poolID string, userIDs []string) error {
	if d.Dialect != "sqlite" || !d.FTS5 {
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

// migrateSearch prepares search: pg_trgm indexes on PostgreSQL, each
// pool's FTS5 table on SQLite.
func (d *DB) migrateSearch(tx *gorm.DB) error {
	if d.Dialect == "postgres" {
		var parts []string
		for _, c := range searchColumns() {
			parts = append(parts, "coalesce("+c+", '')")
		}
		stmts := []string{
			"CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public", // public: visible whatever the search_path
			// ug_fold lower-cases ASCII letters only, as SQLite's lower() does.
			`CREATE OR REPLACE FUNCTION ug_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
				AS $$ SELECT translate($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') $$`,
			// search_text holds every searched field, folded, joined by a
			// separator: one trigram index serves every search, and a
			// scan tests one precomputed string per user rather than
			// folding eleven.
			fmt.Sprintf("ALTER TABLE users ADD COLUMN IF NOT EXISTS search_text text GENERATED ALWAYS AS (ug_fold(%s)) STORED",
				strings.Join(parts, fmt.Sprintf(` || E'\x%02x' || `, searchSeparator[0]))),
			"CREATE INDEX IF NOT EXISTS ix_users_search_text ON users USING gin (search_text public.gin_trgm_ops)",
		}
		for _, c := range searchColumns() { // one index per column, before search_text
			stmts = append(stmts, "DROP INDEX IF EXISTS ix_users_trgm_"+c)
		}
		var had int64
		err := tx.Raw("SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'users' AND column_name = 'search_text'").
			Scan(&had).Error
		if err != nil {
			return err
		}
		if had == 0 {
			// Adding the column rewrites the table and leaves the planner
			// without statistics for it; until autovacuum gathered them it
			// would misjudge every search.
			stmts = append(stmts, "ANALYZE users")
		}
		for _, s := range stmts {
			if err := tx.Exec(s).Error; err != nil {
				return err
			}
		}
		return nil
	}
	var pools []string
	if err := tx.Model(&model.UserPool{}).Pluck("id", &pools).Error; err != nil {
		return err
	}
	for _, p := range pools {
		if err := d.createSearchIndex(tx, p); err != nil {
			return err
		}
	}
	return nil
}

// SearchUsers finds the pool's users whose searched fields contain the
// query (case-insensitive for ASCII letters), newest first, with their
// count (up to p.CountStop(), when bounded). An empty query is the plain
// listing.
func (s *Store) SearchUsers(ctx context.Context, poolID string, q model.UserSearch, p model.Page, cols []string) ([]*model.User, int64, error) {
	if q.Query == "" {
		f := model.UserFilter{}
		if !q.ShowHidden {
			f.Hidden = new(bool)
		}
		return s.ListUsers(ctx, poolID, p, model.DefaultUserSort, &f, cols)
	}
	if s.db.Dialect == "sqlite" && s.db.FTS5 && q.Indexed() {
		return s.searchFTS(ctx, poolID, q, p, cols)
	}
	return s.searchScan(ctx, poolID, q, p, cols)
}

// searchSeparator joins the fields in PostgreSQL's search_text: the ASCII
// unit separator, which names and emails hardly hold.
const searchSeparator = "\x1f"

// matchCondition is the scan form of a search: on SQLite a substring test
// on each folded column; on PostgreSQL a LIKE on search_text, which its
// trigram index serves, narrowed to the asked columns when the search is
// narrowed or the query holds the separator (and so might match across two
// fields).
func (s *Store) matchCondition(q model.UserSearch) (string, []any) {
	var conds []string
	var args []any
	if s.db.Dialect != "postgres" {
		for _, c := range q.Columns {
			conds = append(conds, fmt.Sprintf("instr(lower(%s), ?) > 0", c))
			args = append(args, q.Query)
		}
		return "(" + strings.Join(conds, " OR ") + ")", args
	}
	whole := `search_text LIKE ? ESCAPE '\'`
	if len(q.Columns) == len(model.SearchFields) && !strings.Contains(q.Query, searchSeparator) {
		return whole, []any{q.LikePattern()}
	}
	args = append(args, q.LikePattern())
	for _, c := range q.Columns {
		conds = append(conds, fmt.Sprintf(`ug_fold(%s) LIKE ? ESCAPE '\'`, c))
		args = append(args, q.LikePattern())
	}
	return whole + " AND (" + strings.Join(conds, " OR ") + ")", args
}

// searchScan answers a search without FTS5: on SQLite by testing every user
// of the pool, on PostgreSQL through the trigram index.
func (s *Store) searchScan(ctx context.Context, poolID string, q model.UserSearch, p model.Page, cols []string) ([]*model.User, int64, error) {
	cond, args := s.matchCondition(q)
	match := func() *gorm.DB {
		db := s.read(ctx).Model(&model.User{}).Where("pool_id = ?", poolID).Where(cond, args...)
		if !q.ShowHidden {
			db = db.Where("hidden = ?", false)
		}
		return db
	}
	if s.db.Dialect == "sqlite" {
		// Insertion order, newest first, as the FTS path answers.
		return listPage[model.User](match(), p, "rowid DESC", cols...)
	}
	// PostgreSQL: most searches look for one person, so first gather a
	// few matches by the trigram index and, if that was all of them, sort
	// the page from them, one statement. Otherwise count (to the bound);
	// sort few matches the same way (PostgreSQL's estimate of a LIKE is
	// poor, and left to itself it may walk the creation index hoping to
	// meet them early, reading most of the pool); walk the creation index
	// for many, which meets a page of them soon.
	probe := probeSize(p)
	users, n, err := s.sortedMatches(ctx, match, p, cols, probe)
	if err != nil {
		return nil, 0, err
	}
	if n < probe { // all of them
		return users, p.Read(n), nil
	}
	total, err := countRows(match(), p)
	if err != nil {
		return nil, 0, err
	}
	if total < driveBelow {
		users, _, err = s.sortedMatches(ctx, match, p, cols, 0)
		return users, total, err
	}
	users, err = pageRows[model.User](match(), p, "created_at DESC, id DESC", cols...)
	return users, total, err
}

// searchProbe is how many matches a search first gathers, in the hope
// that they are all (a variable so tests can reach every path).
var searchProbe = 100

// probeSize is how many matches a search's first statement gathers:
// searchProbe, or to the end of the page asked for if further, and one
// more to tell whether that was all of them.
func probeSize(p model.Page) int64 { return int64(max(searchProbe, p.Offset()+p.Limit) + 1) }

// sortedMatches gathers the users match selects, up to bound of them (0:
// all), in a materialized CTE, which PostgreSQL fills from the trigram
// index, and counts them. When they are all the matches (fewer than bound)
// it also returns the page, newest first, sorted from them.
func (s *Store) sortedMatches(ctx context.Context, match func() *gorm.DB, p model.Page, cols []string, bound int64) ([]*model.User, int64, error) {
	limit, all := "", "true"
	if bound > 0 {
		limit, all = fmt.Sprintf(" LIMIT %d", bound), fmt.Sprintf("c.n < %d", bound)
	}
	var rows []countedUser
	err := s.read(ctx).Raw(fmt.Sprintf(`WITH m AS MATERIALIZED (?%s)
		SELECT c.n, %s FROM (SELECT count(*) AS n FROM m) c
		LEFT JOIN users u ON %s AND u.id IN (SELECT id FROM m ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?)
		ORDER BY u.created_at DESC, u.id DESC`, limit, strings.Join(qualified("u", cols), ", "), all), match().Select("id", "created_at"), p.Limit, p.Offset()).Scan(&rows).Error
	users, n := splitCounted(rows)
	return users, n, translate(err)
}

// countedUser is a row of a statement that returns a page of users and,
// on every row, a count (n).
type countedUser struct {
	model.User
	N int64
}

// splitCounted returns the users of rows, leaving out a row without one
// (which only carries the count), and the count (0 without rows).
func splitCounted(rows []countedUser) ([]*model.User, int64) {
	if len(rows) == 0 {
		return nil, 0
	}
	users := make([]*model.User, 0, len(rows))
	for i := range rows {
		if rows[i].ID != "" {
			users = append(users, &rows[i].User)
		}
	}
	return users, rows[0].N
}

// searchFTS answers a search of 3+ characters from the pool's FTS5 tables.
// Most searches look for one person, so the first statement walks the
// index for the first few matches (newest first), counts them and, if that
// was all of them, joins the page of them to their users: one walk of the
// index. Otherwise a second statement counts to the bound (p.CountStop();
// the walk stops there, so a search matching most of the pool costs what
// one matching 10,000 does) and pages lazily, reading only the page.
func (s *Store) searchFTS(ctx context.Context, poolID string, q model.UserSearch, p model.Page, cols []string) ([]*model.User, int64, error) {
	tables := []string{ftsTable(poolID)}
	if q.ShowHidden {
		tables = append(tables, ftsHiddenTable(poolID))
	}
	var matches []string
	var args []any
	for _, t := range tables {
		matches = append(matches, fmt.Sprintf("SELECT rowid FROM %s WHERE %s MATCH ?", t, t))
		args = append(args, q.FTSQuery())
	}
	union := strings.Join(matches, " UNION ALL ")
	r := s.read(ctx)
	// page joins a page of hits, with the count n on every row, to users.
	// CROSS JOIN keeps the hits as the outer loop, in their order.
	page := func(hits, n string, args []any) ([]*model.User, int64, error) {
		var rows []countedUser
		err := r.Raw(fmt.Sprintf(`SELECT %s, f.n FROM (
			SELECT rowid, %s AS n FROM (%s) ORDER BY rowid LIMIT ? OFFSET ?
		) f CROSS JOIN users u ON u.rowid = -f.rowid ORDER BY f.rowid`, strings.Join(qualified("u", cols), ", "), n, hits),
			append(args, p.Limit, p.Offset())...).Scan(&rows).Error
		users, total := splitCounted(rows)
		return users, total, translate(err)
	}
	probe := probeSize(p)
	users, n, err := page(fmt.Sprintf("%s ORDER BY rowid LIMIT %d", union, probe), "count(*) OVER ()", args)
	switch {
	case err != nil:
		return nil, 0, err
	case len(users) == 0 && p.Page > 1:
		// Past the last page, so fewer hits than the probe, but no row
		// carried their count.
		err = r.Raw("SELECT count(*) FROM ("+union+")", args...).Scan(&n).Error
		return users, n, translate(err)
	case n < probe: // all of them
		return users, p.Read(n), nil
	}
	count := "SELECT count(*) FROM (" + union + ")"
	if stop := p.CountStop(); stop > 0 {
		count = fmt.Sprintf("SELECT count(*) FROM (%s LIMIT %d)", union, stop)
	}
	return page(union+" ORDER BY rowid", "("+count+")", append(slices.Clone(args), args...))
}

// RebuildSearchIndex rebuilds a pool's search index from its users (SQLite;
// on PostgreSQL the trigram indexes are ordinary indexes and need nothing).
// Bulk loads that write users directly, such as the benchmark data
// generator, call it afterwards.
func (d *DB) RebuildSearchIndex(ctx context.Context, poolID string) error {
	if d.Dialect != "sqlite" || !d.FTS5 {
		return nil
	}
	return d.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DROP TABLE IF EXISTS " + ftsHiddenTable(poolID)).Error; err != nil {
			return err
		}
		return d.createSearchIndex(tx, poolID) // drops the rest and rebuilds
	})
}
