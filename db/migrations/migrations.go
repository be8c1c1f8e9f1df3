// Package migrations holds usergraph's schema as versioned migrations: one
// SQL file per version per engine (NNNNN_what.sql, pressly/goose's format),
// applied in order by db.Migrate at start and by `usergraph migrate`. A
// schema change is a new file in both folders; a file once released is
// never edited.
package migrations

import "embed"

// SQLite and Postgres are the two engines' migrations.
var (
	//go:embed sqlite/*.sql
	SQLite embed.FS
	//go:embed postgres/*.sql
	Postgres embed.FS
)
