package db

import (
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// engine is everything that differs between the database engines usergraph
// runs on. Open chooses one, once, from the DSN; every other function asks
// the engine instead of testing which one it is. Each engine lives in files
// of its own, one per concern (sqlite.go and search_sqlite.go;
// postgres.go and search_postgres.go), so a third engine is a third set of
// files, not an edit to every function.
type engine interface {
	fmt.Stringer // the engine's name, for logs

	// migrations are the engine's versioned migrations (package
	// db/migrations) and goose's dialect for it.
	migrations() (fs.FS, goose.Dialect, error)
	// ensureSearch gives every pool what search needs, where a database
	// lacks it (a SQLite build with FTS5 opening a database written
	// without), after the migrations ran.
	ensureSearch(tx *gorm.DB) error
	// createSearchIndex gives a new pool what search needs of it.
	createSearchIndex(tx *gorm.DB, poolID string) error
	// indexCreated indexes users just created (all hidden, or all
	// visible); syncSearch re-indexes users after they changed, and
	// dropFromSearch removes them before they are deleted, in the writing
	// transaction.
	indexCreated(tx *gorm.DB, poolID string, hidden bool, userIDs []string) error
	syncSearch(tx *gorm.DB, poolID string, userIDs []string) error
	dropFromSearch(tx *gorm.DB, poolID string, userIDs []string) error
	// rebuildSearchIndex rebuilds a pool's search index from its users.
	rebuildSearchIndex(tx *gorm.DB, poolID string) error
	// tidySearch merges a pool's search index into as few parts as it
	// can, in steps of their own transactions on w, and says how many.
	tidySearch(w *gorm.DB, poolID string) (int, error)
	// sampleSearch learns, from a sample of every pool's users, what a
	// search needs to know of their data to choose how to search.
	sampleSearch(r *gorm.DB) error
	// search answers a non-empty search (see Store.SearchUsers) with r, a
	// reader bound to the request's context.
	search(r *gorm.DB, poolID string, q model.UserSearch, p model.Page, cols []string) ([]*model.User, int64, error)
	// matchSet is a non-empty search as one more source of a filtered
	// listing: the ids of the users it matches, and a test of one user.
	// sub makes a fresh query on the reader.
	matchSet(sub func() *gorm.DB, poolID string, q model.UserSearch) query.IDSet

	// usersTable makes q read the users table, by the named index when
	// the engine needs telling ("" leaves the choice to its planner).
	usersTable(q *gorm.DB, index string) *gorm.DB
	// drivenJoin is the join that reads users from a driving set of ids
	// with the set as the outer loop.
	drivenJoin() string
	// listingVersions says whether the engine keeps pools' listing
	// versions (anchors.go).
	listingVersions() bool
	// singleWriter says the engine has one writer, which writes queue for
	// and can share (groupcommit.go).
	singleWriter() bool
	// nullsSmallest says NULLs sort below every value (SQLite), not above
	// (PostgreSQL): cursors place a NULL sort value where the engine does.
	nullsSmallest() bool
}
