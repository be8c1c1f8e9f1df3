package db

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// engine is everything that differs between the database engines usergraph
// runs on. Open chooses one, once, from the DSN; every other function asks
// the engine instead of testing which one it is. Each engine is a package
// of its own (db/sqlite, db/postgres), so a third engine is a third
// package, not an edit to every function.
type engine interface {
	fmt.Stringer // the engine's name, for logs

	// Migrations are the engine's versioned migrations (package
	// db/migrations) and goose's dialect for it.
	Migrations() (fs.FS, goose.Dialect, error)
	// EnsureSearch gives every pool what search needs, where a database
	// lacks it (a SQLite build with FTS5 opening a database written
	// without), after the migrations ran.
	EnsureSearch(tx *gorm.DB) error
	// CreateSearchIndex gives a new pool what search needs of it.
	CreateSearchIndex(tx *gorm.DB, poolID string) error
	// IndexCreated indexes users just created (all hidden, or all
	// visible); syncSearch re-indexes users after they changed, and
	// DropFromSearch removes them before they are deleted, in the writing
	// transaction.
	IndexCreated(tx *gorm.DB, poolID string, hidden bool, userIDs []string) error
	SyncSearch(tx *gorm.DB, poolID string, userIDs []string) error
	DropFromSearch(tx *gorm.DB, poolID string, userIDs []string) error
	// RebuildSearchIndex rebuilds a pool's search index from its users.
	RebuildSearchIndex(tx *gorm.DB, poolID string) error
	// TidySearch merges a pool's search index into as few parts as it
	// can, in steps of their own transactions on w, and says how many.
	TidySearch(w *gorm.DB, poolID string) (int, error)
	// SampleSearch learns, from a sample of every pool's users, what a
	// Search needs to know of their data to choose how to search.
	SampleSearch(r *gorm.DB) error
	// Search answers a non-empty search (see Store.SearchUsers) with r, a
	// reader bound to the request's context.
	Search(r *gorm.DB, poolID string, q model.UserSearch, p model.Page, cols []string) ([]*model.User, int64, error)
	// MatchSet is a non-empty search as one more source of a filtered
	// listing: the ids of the users it matches, and a test of one user.
	// sub makes a fresh query on the reader.
	MatchSet(sub func() *gorm.DB, poolID string, q model.UserSearch) query.IDSet

	// UsersTable makes q read the users table, by the named index when
	// the engine needs telling ("" leaves the choice to its planner).
	UsersTable(q *gorm.DB, index string) *gorm.DB
	// Indexed names table (as alias) read by the named index where the
	// engine needs telling, as UsersTable does for users.
	Indexed(table, alias, index string) string
	// NoIndex is expr (a column) made unusable for an index, where a
	// small table is better scanned: SQLite would otherwise build an
	// automatic index on it each time a correlated subquery runs.
	NoIndex(expr string) string
	// PerRow ends a correlated subquery (an EXISTS test of one user) that
	// must run per row, as the index seek it is written as: PostgreSQL
	// would otherwise hash the subquery's whole table once (for a page of
	// 10, every member of a 100,000-member group).
	PerRow() string
	// DrivenJoin is the join that reads users from a driving set of ids
	// with the set as the outer loop.
	DrivenJoin() string
	// DeepPagesByID says a deep offset page is read faster by walking the
	// offset over the order's index for the page's ids, then reading
	// the page's rows by id (deepPage).
	DeepPagesByID() bool
	// SingleWriter says the engine has one writer, which writes queue for
	// and can share (groupcommit.go).
	SingleWriter() bool
	// NullsSmallest says NULLs sort below every value (SQLite), not above
	// (PostgreSQL): cursors place a NULL sort value where the engine does.
	NullsSmallest() bool

	// Watch calls wake whenever a replica Notifies channel, until ctx
	// ends (SQLite: never; it has one server process).
	Watch(ctx context.Context, channel string, wake func())
	// Notify tells every replica's Watch of channel when tx commits.
	Notify(tx *gorm.DB, channel string) error
	// Contains is the SQL test that the text column col contains needle,
	// an expression ("?" for an argument): a substring, not a pattern.
	Contains(col, needle string) string
	// SkipLocked is the clause that makes a SELECT lock its rows and pass
	// over rows another replica locked ("" on SQLite, which has one writer).
	SkipLocked() string
}
