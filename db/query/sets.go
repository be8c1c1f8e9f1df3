package query

import "gorm.io/gorm"

// IDSet is a set of users drawn from another table (or another index of
// users, such as a search's).
type IDSet struct {
	Build func() *gorm.DB // a fresh subquery selecting the users' ids as user_id
	Col   string          // that column as the subquery names it, to correlate
	// test, when set, is the set's own condition on one row of users,
	// used instead of correlating build (which a search cannot do
	// cheaply: its index is searched by text, not by id).
	Test func() (string, []any)
	// RowTest says the test reads columns of the user's row besides its
	// id (a search scan does), so a count driven by another set must read
	// each user's row to apply it.
	RowTest bool
}

// Where adds the test of each user against the set to q.
func (s IDSet) Where(q *gorm.DB) *gorm.DB {
	if s.Test != nil {
		sql, args := s.Test()
		return q.Where(sql, args...)
	}
	return q.Where("EXISTS (?)", s.Build().Where(s.Col+" = users.id"))
}

// DriveBelow is the size under which a source drives a filtered page: its
// users are read and sorted, rather than the sort index walked and each
// user tested until the page fills. Walking finds a page of n in about
// n × pool / matches steps; driving costs the source's size. That size is
// the number of matches when a set is the whole filter, or measured by
// plan; when it is unknown a set drives only when matches are very few
// (DriveBelow/10), when walking would read most of the pool. PostgreSQL's
// scan search makes the same choice between sorting its matches and
// walking the creation index.
var DriveBelow int64 = 5_000 // a variable so tests can see both plans

// Violation is what an engine's constraint error broke: a unique index
// (Unique says whether it is the one named by index, or on table.column),
// or a foreign key.
type Violation struct {
	Unique     func(index, table, column string) bool
	ForeignKey bool
}
