package db

import "gorm.io/gorm"

// SetDriveBelow sets the size under which a set drives a filtered page, for
// tests that look at both plans, and returns a function that restores it.
func SetDriveBelow(n int64) (restore func()) {
	old := driveBelow
	driveBelow = n
	return func() { driveBelow = old }
}

// SetSearchProbe sets how many matches a PostgreSQL search first gathers,
// and returns a function that restores it.
func SetSearchProbe(n int) (restore func()) {
	old := searchProbe
	searchProbe = n
	return func() { searchProbe = old }
}

// Writer and Reader expose the connections to db's own tests, which look
// at tables and plans directly.
func (d *DB) Writer() *gorm.DB { return d.w }
func (d *DB) Reader() *gorm.DB { return d.r }
