package query

import (
	"fmt"
	"strings"
	"time"

	"usergraph/model"
)

// A cursor page continues a listing right after the last item of the page
// before: a condition on the order's columns ("keyset pagination"), which
// the order's index answers as a range, so page 10,000 costs what page 1
// does. An offset walks every row before the page instead.

// Ordering is a listing's order: its columns, each with its direction,
// the last one unique (an id) so the order is total.
type Ordering struct {
	Name string // names the order in its cursors, e.g. "users:USERNAME:ASC"
	Cols []OrderCol
}

// OrderCol is one column of an Ordering.
type OrderCol struct {
	Col      string // as the page's statement names it (users.username)
	Desc     bool
	Time     bool // a time column: cursors carry it as RFC 3339
	Nullable bool
}

// SQL is the ORDER BY clause.
func (o Ordering) SQL() string {
	parts := make([]string, len(o.Cols))
	for i, c := range o.Cols {
		parts[i] = c.Col + map[bool]string{false: " ASC", true: " DESC"}[c.Desc]
	}
	return strings.Join(parts, ", ")
}

// Decode reads a client's cursor for this order (INVALID_INPUT on field).
func (o Ordering) Decode(field, s string) (*model.Cursor, error) {
	times := make([]bool, len(o.Cols))
	for i, c := range o.Cols {
		times[i] = c.Time
	}
	return model.DecodeCursor(field, s, o.Name, times)
}

// Cursor is the position of an item whose order values are values.
func (o Ordering) Cursor(values ...any) model.Cursor {
	for i, v := range values {
		if t, ok := v.(time.Time); ok {
			values[i] = t.UTC().Format(time.RFC3339Nano)
		}
	}
	return model.Cursor{Order: o.Name, Values: values}
}

// After is the condition for the rows after c in this order, where NULLs
// sort below every value when nullsSmallest (SQLite) or above (PostgreSQL).
// For (a, id): a > x OR (a = x AND id > y), built from the last column up,
// with each nullable column's NULL group placed where the engine sorts it.
func (o Ordering) After(c *model.Cursor, nullsSmallest bool) (string, []any) {
	if len(o.Cols) == 2 && !o.Cols[1].Nullable && o.Cols[0].Desc == o.Cols[1].Desc {
		return o.AfterPair(c, nullsSmallest)
	}
	sql, args := "", []any(nil)
	for i := len(o.Cols) - 1; i >= 0; i-- {
		col, v := o.Cols[i], c.Values[i]
		cmp := map[bool]string{false: ">", true: "<"}[col.Desc]
		// NULLs come first in this column's order when they sort low and
		// the order ascends, or sort high and it descends.
		nullsFirst := nullsSmallest != col.Desc
		var beyond string // rows strictly after v in this column
		var beyondArgs []any
		switch {
		case v == nil && nullsFirst:
			beyond = col.Col + " IS NOT NULL"
		case v == nil:
			beyond = "1 = 0"
		default:
			beyond, beyondArgs = col.Col+" "+cmp+" ?", []any{v}
			if col.Nullable && !nullsFirst {
				beyond = "(" + beyond + " OR " + col.Col + " IS NULL)"
			}
		}
		if sql == "" {
			sql, args = beyond, beyondArgs
			continue
		}
		same, sameArgs := col.Col+" = ?", []any{v}
		if v == nil {
			same, sameArgs = col.Col+" IS NULL", nil
		}
		sql = fmt.Sprintf("(%s OR (%s AND %s))", beyond, same, sql)
		args = append(append(beyondArgs, sameArgs...), args...)
	}
	return sql, args
}

// AfterPair is After for the usual order, a column then the id, both one
// way: a row-value comparison, (a, id) > (x, y), which both engines answer
// as one range of the order's index (the OR of after's general form makes
// SQLite read the index from its start).
func (o Ordering) AfterPair(c *model.Cursor, nullsSmallest bool) (string, []any) {
	a, id := o.Cols[0], o.Cols[1]
	cmp := map[bool]string{false: ">", true: "<"}[a.Desc]
	nullsFirst := nullsSmallest != a.Desc
	v, idv := c.Values[0], c.Values[1]
	switch {
	case v == nil && nullsFirst:
		return fmt.Sprintf("((%s IS NULL AND %s %s ?) OR %[1]s IS NOT NULL)", a.Col, id.Col, cmp), []any{idv}
	case v == nil:
		return fmt.Sprintf("(%s IS NULL AND %s %s ?)", a.Col, id.Col, cmp), []any{idv}
	case a.Nullable && !nullsFirst:
		return fmt.Sprintf("((%s, %s) %s (?, ?) OR %[1]s IS NULL)", a.Col, id.Col, cmp), []any{v, idv}
	}
	return fmt.Sprintf("(%s, %s) %s (?, ?)", a.Col, id.Col, cmp), []any{v, idv}
}

// The orders of the other listings, newest first but namespaces by code.
