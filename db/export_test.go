package db

import (
	"context"

	"gorm.io/gorm"

	"usergraph/db/postgres"
	"usergraph/db/query"
	"usergraph/db/sqlite"
)

// SetDriveBelow sets the size under which a set drives a filtered page, for
// tests that look at both plans, and returns a function that restores it.
func SetDriveBelow(n int64) (restore func()) {
	old := query.DriveBelow
	query.DriveBelow = n
	return func() { query.DriveBelow = old }
}

// SetDeepOffset sets the offset from which a page is read by deepPage,
// and returns a function that restores it.
func SetDeepOffset(n int) (restore func()) {
	old := deepOffset
	deepOffset = n
	return func() { deepOffset = old }
}

// SetSearchProbe sets how many matches a PostgreSQL search first gathers,
// and returns a function that restores it.
func SetSearchProbe(n int) (restore func()) {
	old := query.SearchProbe
	query.SearchProbe = n
	return func() { query.SearchProbe = old }
}

// Writer and Reader expose the connections to db's own tests, which look
// at tables and plans directly.
func (d *DB) Writer() *gorm.DB { return d.w }
func (d *DB) Reader() *gorm.DB { return d.r }

// WriteForTest runs fn as a write of s, through group commit where the
// engine has it.
func WriteForTest(s *Store, ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.write(ctx, fn)
}

// CommitterState says whether a write of s is running a group, and how
// many writes wait behind it.
func CommitterState(s *Store) (leading bool, queued int) {
	return s.commits.State()
}

// LogFramesFolded is how many write-ahead log frames SQLite's checkpointer
// has folded into the database file (0 on PostgreSQL).
func LogFramesFolded(d *DB) int64 {
	if d.checkpoints == nil {
		return 0
	}
	return d.checkpoints.Folded()
}

// StatementsPrepared is how many distinct statements the transaction tx
// has prepared and keeps for reuse, or -1 when it keeps none.
func StatementsPrepared(tx *gorm.DB) int {
	return sqlite.StatementsPrepared(tx)
}

// SetCommonTrigram sets when a trigram of a PostgreSQL search counts as
// common (see commonTrigram), so a small test table can have common ones,
// and returns a function that restores it.
func SetCommonTrigram(floor, share float64) (restore func()) {
	old := postgres.CommonTrigram
	postgres.CommonTrigram.Floor, postgres.CommonTrigram.Share = floor, share
	return func() { postgres.CommonTrigram = old }
}

// NarrowSearch is what of a folded query a PostgreSQL search asks the
// trigram index for, after the latest sample (nil: the whole query; always
// on SQLite).
func NarrowSearch(d *DB, query string) []string {
	if pg, ok := d.eng.(postgres.Engine); ok {
		return pg.NarrowPattern(query)
	}
	return nil
}

// UserIndexNames are the names of userIndexes, for the schema test.
func UserIndexNames() []string {
	var out []string
	for _, ix := range userIndexes {
		out = append(out, ix.name)
	}
	return out
}
