//go:build cgo

package sqlite

/*
// sqlite3_config is SQLite's own, linked in by the SQLite driver's
// package. Weak: this package's own link check runs without that package.
extern int sqlite3_config(int, ...) __attribute__((weak));

// SQLITE_CONFIG_MEMSTATUS, from sqlite3.h (not installed: the driver
// embeds SQLite).
#define UG_SQLITE_CONFIG_MEMSTATUS 9

static int ug_sqlite_memstatus_off(void) {
	if (!sqlite3_config) return -1;
	return sqlite3_config(UG_SQLITE_CONFIG_MEMSTATUS, 0);
}
*/
import "C"

// SQLite counts every allocation it makes for sqlite3_memory_used() under
// a global mutex, unless told not to before it initializes (its documented
// advice is to build with SQLITE_DEFAULT_MEMSTATUS=0, which the driver's
// build does not set). usergraph reads no such statistic, and the count
// was a visible share of a common search's time: FTS5 allocates for every row it
// tests a phrase of more than four trigrams. So it is turned off before
// any connection opens SQLite.
func init() {
	memstatus = C.ug_sqlite_memstatus_off()
}

// memstatus is what turning SQLite's memory statistics off
// returned: 0 (SQLITE_OK) when they are off; -1 before init, or when
// sqlite3_config was not linked in.
var memstatus C.int = -1
