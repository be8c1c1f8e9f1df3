package postgres

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// On PostgreSQL a stored, generated search_text column holds the searched
// fields folded by ug_fold (ASCII only, as SQLite's lower()), joined by
// searchSeparator, and one pg_trgm GIN index on it serves the same match
// as a LIKE.

// searchSeparator joins the fields in search_text: the ASCII unit
// separator, which names and emails hardly hold.
const searchSeparator = "\x1f"

// The trigram index is an ordinary index, kept by PostgreSQL itself: a
// pool needs nothing of its own, and writes need no extra statement.
func (Engine) CreateSearchIndex(*gorm.DB, string) error            { return nil }
func (Engine) IndexCreated(*gorm.DB, string, bool, []string) error { return nil }
func (Engine) SyncSearch(*gorm.DB, string, []string) error         { return nil }
func (Engine) DropFromSearch(*gorm.DB, string, []string) error     { return nil }
func (Engine) RebuildSearchIndex(*gorm.DB, string) error           { return nil }

// matchCondition is a search as a condition: a LIKE on search_text, which
// its trigram index serves, narrowed to the asked columns when the search
// is narrowed or the query holds the separator (and so might match across
// two fields). When some of the query's trigrams are common, the index is
// asked for uncommon ones only (trigrams.go) and the whole pattern is a
// test of the users it finds.
func (e Engine) matchCondition(q model.UserSearch) (string, []any) {
	indexed, args := `search_text LIKE ? ESCAPE '\'`, []any{q.LikePattern()}
	narrow := e.trigrams.latest.Load().narrowPattern(q.Query)
	if narrow != nil { // letters and digits only: nothing to escape
		args = []any{"%" + strings.Join(narrow, "%") + "%"}
	}
	if q.EveryField() && !strings.Contains(q.Query, searchSeparator) {
		if narrow == nil {
			return indexed, args
		}
		// search_text || '' is search_text, but not the expression the
		// index holds, so PostgreSQL tests it on each user found rather
		// than asking the index for all of its trigrams.
		return indexed + ` AND (search_text || '') LIKE ? ESCAPE '\'`, append(args, q.LikePattern())
	}
	var conds []string
	for _, c := range q.Columns {
		conds = append(conds, fmt.Sprintf(`ug_fold(%s) LIKE ? ESCAPE '\'`, c))
		args = append(args, q.LikePattern())
	}
	return indexed + " AND (" + strings.Join(conds, " OR ") + ")", args
}

// matchSet is a search as a source of a filtered listing: the users its
// LIKE on search_text matches, through the trigram index, and the same
// LIKE as the test of one user.
func (e Engine) MatchSet(sub func() *gorm.DB, poolID string, q model.UserSearch) query.IDSet {
	cond, args := e.matchCondition(q)
	if !q.ShowHidden {
		cond += " AND users.hidden = false"
	}
	cond = strings.ReplaceAll(strings.ReplaceAll(cond, "search_text", "users.search_text"), "ug_fold(", "ug_fold(users.")
	return query.IDSet{
		Build: func() *gorm.DB {
			return sub().Table("users").Select("id AS user_id").Where("pool_id = ?", poolID).Where(cond, args...)
		},
		Col:     "user_id",
		Test:    func() (string, []any) { return cond, args },
		RowTest: true,
	}
}

// search answers through the trigram index. Most searches look for one
// person, so first gather a few matches and, if that was all of them, sort
// the page from them, one statement. Otherwise count (to the bound); sort
// few matches the same way (PostgreSQL's estimate of a LIKE is poor, and
// left to itself it may walk the creation index hoping to meet them early,
// reading most of the pool); walk the creation index for many, which meets
// a page of them soon.
func (e Engine) Search(r *gorm.DB, poolID string, q model.UserSearch, p model.Page, cols []string) ([]*model.User, int64, error) {
	cond, args := e.matchCondition(q)
	match := func() *gorm.DB {
		db := r.Model(&model.User{}).Where("pool_id = ? AND status <> ?", poolID, model.StatusArchived).Where(cond, args...)
		if !q.ShowHidden {
			db = db.Where("hidden = ?", false)
		}
		return db
	}
	probe := query.ProbeSize(p)
	users, n, err := sortedMatches(r, match, p, cols, probe)
	if err != nil {
		return nil, 0, err
	}
	if n < probe { // all of them
		return users, p.Read(n), nil
	}
	// Many matches: unless their count is wanted, walk the creation index,
	// which meets a page of them soon.
	//
	// The bounded count is of the newest matches. Counted in no order, a
	// common search became a sequential scan, which PostgreSQL reads
	// through a small ring of buffers and starts where another scan left
	// off: every count read its 10,000 users' pages anew from the kernel.
	// In creation order, PostgreSQL walks the creation index when its
	// estimate says the matches are dense, over the same newest pages each
	// time, cached; when they are sparse, it still gathers them from the
	// trigram index.
	total := query.DriveBelow
	if !p.NoCount {
		if total, err = query.CountRows(match().Order("created_at DESC, id DESC"), p); err != nil {
			return nil, 0, err
		}
	}
	if total < query.DriveBelow {
		users, _, err = sortedMatches(r, match, p, cols, 0)
		return users, total, err
	}
	users, err = query.PageRows[model.User](match(), p, "created_at DESC, id DESC", cols...)
	return users, total, err
}

// sortedMatches gathers the users match selects, up to bound of them (0:
// all), in a materialized CTE, which PostgreSQL fills from the trigram
// index, and counts them. When they are all the matches (fewer than bound)
// it also returns the page, newest first, sorted from them.
func sortedMatches(r *gorm.DB, match func() *gorm.DB, p model.Page, cols []string, bound int64) ([]*model.User, int64, error) {
	limit, all := "", "true"
	if bound > 0 {
		limit, all = fmt.Sprintf(" LIMIT %d", bound), fmt.Sprintf("c.n < %d", bound)
	}
	var rows []query.CountedUser
	err := r.Raw(fmt.Sprintf(`WITH m AS MATERIALIZED (?%s)
		SELECT c.n, %s FROM (SELECT count(*) AS n FROM m) c
		LEFT JOIN users u ON %s AND u.id IN (SELECT id FROM m ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?)
		ORDER BY u.created_at DESC, u.id DESC`, limit, strings.Join(query.Qualified("u", cols), ", "), all), match().Select("id", "created_at"), p.Limit, p.Offset()).Scan(&rows).Error
	users, n := query.SplitCounted(rows)
	return users, n, err
}
