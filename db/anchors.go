package db

import (
	"slices"
	"strings"

	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// Page anchors turn a deep page of the plain user listing from an offset
// into a range. Page 100 of 50 by OFFSET walks 4,950 index entries before
// its first row (about 230 µs on SQLite, most of the statement); from the
// sort key of the row just before it, the same page is one seek.
//
// An anchor is the sort key (createdAt, id) of the row at offset o-1, and
// it is only as good as the listing it was read from: a user created,
// deleted or archived before it moves every later row. So each anchor
// carries the listing's version as of the statement it came from (the
// same snapshot as its rows): the pool's listing version, a counter that
// triggers bump in the transaction of any delete or move
// (migrateListingVersions), and the users table's largest rowid, which
// every insert raises. A page is served from an anchor only by a statement
// that checks both in SQL: a stale anchor finds no rows, and the page
// falls back to its offset (and learns afresh). The pair never repeats: the
// rowid only falls with a delete, which bumps the counter, or when VACUUM
// renumbers rows, which bumps the schema version, checked too. Nothing is
// trusted across writes, and the check is in the database, so it holds
// for any process writing the file.
//
// Only SQLite keeps listing versions: on PostgreSQL a counter row per pool
// would serialize the pool's concurrent user writes, and its offset walk
// is the planner's business. Anchors serve the plain listing (no filter,
// no search) in createdAt order, the console's default and most paged.

// anchorFrom is the smallest offset worth anchoring: below it the walk
// costs less than reading the version.
const anchorFrom = 500

// maxAnchors bounds the anchors a Store keeps; when full they are dropped
// at once (a listing relearns its pages as they are read again).
const maxAnchors = 8192

type anchorKey struct {
	pool, order string
	offset      int
}

type anchor struct {
	version listingVersion
	after   *model.Cursor
}

// listingVersion is a listing's version: see anchors above.
type listingVersion struct {
	ListingVersion int64 // the pool's counter
	LastRowID      int64 // the users table's largest rowid
	SchemaVersion  int64 // SQLite's schema cookie, which VACUUM bumps
}

// anchoredUser is a listed user with the pool's listing version, as the
// statement that read it saw it.
type anchoredUser struct {
	model.User `gorm:"embedded"`
	Version    listingVersion `gorm:"embedded"`
}

// The listing version's parts, as SQL: the pool's counter (0 before its
// first counted write), the largest rowid (one seek) and the schema
// cookie. SQLite computes each subquery once per statement.
const (
	poolListingVersion = "(SELECT COALESCE(MAX(version), 0) FROM listing_versions WHERE pool_id = ?)"
	usersLastRowID     = "(SELECT COALESCE(MAX(rowid), 0) FROM users)"
	schemaCookie       = "(SELECT schema_version FROM pragma_schema_version)"
)

// anchorable says whether a page of a listing can be served and learnt
// through anchors.
func (s *Store) anchorable(f userFilter, sort model.UserSort, page model.Page) bool {
	return s.anchors != nil && len(f.conds) == 0 && len(f.sets) == 0 && sort.Field == model.SortCreatedAt &&
		page.After == nil && page.Offset() >= anchorFrom
}

// anchoredPage reads the page of q (the plain listing's query, without
// its order or offset) from the anchor of its offset when there is a
// current one, or else by offset, reading one row more before the page:
// the page's own anchor. Either way it keeps the anchor of the next page.
// cols are the columns to read (nil: all); the sort key is added.
func (s *Store) anchoredPage(q *gorm.DB, poolID string, o query.Ordering, page model.Page, cols []string) ([]*model.User, error) {
	if cols != nil {
		for _, c := range []string{"created_at", "id"} {
			if !slices.Contains(cols, c) {
				cols = append(cols[:len(cols):len(cols)], c)
			}
		}
	}
	sel := func(q *gorm.DB) *gorm.DB {
		list := "users.*"
		if cols != nil {
			list = strings.Join(query.Qualified("users", cols), ", ")
		}
		return q.Select(list+", "+poolListingVersion+" AS listing_version, "+usersLastRowID+" AS last_row_id, "+schemaCookie+" AS schema_version", poolID).Order(o.SQL())
	}
	offset := page.Offset()
	key := anchorKey{poolID, o.Name, offset}
	var rows []*anchoredUser
	if a, ok := s.anchors.Get(key); ok {
		cond, args := o.After(a.after, s.db.eng.NullsSmallest())
		var err error
		rows, err = query.Find[anchoredUser](sel(q.Session(&gorm.Session{})).Where(cond, args...).
			Where(poolListingVersion+" = ? AND "+usersLastRowID+" = ? AND "+schemaCookie+" = ?",
				poolID, a.version.ListingVersion, a.version.LastRowID, a.version.SchemaVersion).
			Limit(page.Fetch()))
		if err != nil {
			return nil, translate(err)
		}
	}
	if len(rows) == 0 { // no anchor, a stale one, or past the end
		withBefore, err := query.Find[anchoredUser](sel(q.Session(&gorm.Session{})).Offset(offset - 1).Limit(page.Fetch() + 1))
		if err != nil {
			return nil, translate(err)
		}
		if len(withBefore) > 0 {
			s.learn(key, o, withBefore[0])
			rows = withBefore[1:]
		}
	}
	if len(rows) >= page.Limit {
		s.learn(anchorKey{poolID, o.Name, offset + page.Limit}, o, rows[page.Limit-1])
	}
	out := make([]*model.User, len(rows))
	for i, r := range rows {
		out[i] = &r.User
	}
	return out, query.ChargeTx(q, len(out))
}

// learn keeps u's sort key as the anchor of the page starting after it.
func (s *Store) learn(k anchorKey, o query.Ordering, u *anchoredUser) {
	c := model.Cursor{Order: o.Name, Values: []any{u.CreatedAt, u.ID}}
	s.anchors.Put(k, anchor{version: u.Version, after: &c})
}
