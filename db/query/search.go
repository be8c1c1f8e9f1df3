package query

import (
	"strings"

	"usergraph/model"
)

// SearchColumns are the users table's searched columns, in
// model.SearchFields' order.
func SearchColumns() []string {
	cols := make([]string, len(model.SearchFields))
	for i, f := range model.SearchFields {
		cols[i] = f.Column
	}
	return cols
}

// FoldedColumns lists "fold(col), …" for every searchable column.
func FoldedColumns(fold string) string {
	cols := SearchColumns()
	for i, c := range cols {
		cols[i] = fold + "(" + c + ")"
	}
	return strings.Join(cols, ", ")
}

// SearchProbe is how many matches a search first gathers, in the hope
// that they are all (a variable so tests can reach every path).
var SearchProbe = 100

// ProbeSize is how many matches a search's first statement gathers:
// SearchProbe, or to the end of the page asked for if further, and one
// more to tell whether that was all of them.
func ProbeSize(p model.Page) int64 { return int64(max(SearchProbe, p.Offset()+p.Limit) + 1) }

// CountedUser is a row of a statement that returns a page of users and,
// on every row, a count (n).
type CountedUser struct {
	model.User
	N int64
}

// SplitCounted returns the users of rows, leaving out a row without one
// (which only carries the count), and the count (0 without rows).
func SplitCounted(rows []CountedUser) ([]*model.User, int64) {
	if len(rows) == 0 {
		return nil, 0
	}
	users := make([]*model.User, 0, len(rows))
	for i := range rows {
		if rows[i].ID != "" {
			users = append(users, &rows[i].User)
		}
	}
	return users, rows[0].N
}
