//go:build cgo

package sqlite

import "testing"

// TestSQLiteMemstatusOff: SQLite took the setting, so it was made before
// SQLite initialized (sqlite3_config refuses it afterwards).
func TestSQLiteMemstatusOff(t *testing.T) {
	if memstatus != 0 {
		t.Fatalf("sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) = %d, want SQLITE_OK", memstatus)
	}
}
