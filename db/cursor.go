package db

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

// ordering is a listing's order: its columns, each with its direction,
// the last one unique (an id) so the order is total.
type ordering struct {
	name string // names the order in its cursors, e.g. "users:USERNAME:ASC"
	cols []orderCol
}

type orderCol struct {
	col      string // as the page's statement names it (users.username)
	desc     bool
	time     bool // a time column: cursors carry it as RFC 3339
	nullable bool
}

// sql is the ORDER BY clause.
func (o ordering) sql() string {
	parts := make([]string, len(o.cols))
	for i, c := range o.cols {
		parts[i] = c.col + map[bool]string{false: " ASC", true: " DESC"}[c.desc]
	}
	return strings.Join(parts, ", ")
}

// decode reads a client's cursor for this order (INVALID_INPUT on field).
func (o ordering) decode(field, s string) (*model.Cursor, error) {
	times := make([]bool, len(o.cols))
	for i, c := range o.cols {
		times[i] = c.time
	}
	return model.DecodeCursor(field, s, o.name, times)
}

// cursor is the position of an item whose order values are values.
func (o ordering) cursor(values ...any) model.Cursor {
	for i, v := range values {
		if t, ok := v.(time.Time); ok {
			values[i] = t.UTC().Format(time.RFC3339Nano)
		}
	}
	return model.Cursor{Order: o.name, Values: values}
}

// after is the condition for the rows after c in this order, where NULLs
// sort below every value when nullsSmallest (SQLite) or above (PostgreSQL).
// For (a, id): a > x OR (a = x AND id > y), built from the last column up,
// with each nullable column's NULL group placed where the engine sorts it.
func (o ordering) after(c *model.Cursor, nullsSmallest bool) (string, []any) {
	if len(o.cols) == 2 && !o.cols[1].nullable && o.cols[0].desc == o.cols[1].desc {
		return o.afterPair(c, nullsSmallest)
	}
	sql, args := "", []any(nil)
	for i := len(o.cols) - 1; i >= 0; i-- {
		col, v := o.cols[i], c.Values[i]
		cmp := map[bool]string{false: ">", true: "<"}[col.desc]
		// NULLs come first in this column's order when they sort low and
		// the order ascends, or sort high and it descends.
		nullsFirst := nullsSmallest != col.desc
		var beyond string // rows strictly after v in this column
		var beyondArgs []any
		switch {
		case v == nil && nullsFirst:
			beyond = col.col + " IS NOT NULL"
		case v == nil:
			beyond = "1 = 0"
		default:
			beyond, beyondArgs = col.col+" "+cmp+" ?", []any{v}
			if col.nullable && !nullsFirst {
				beyond = "(" + beyond + " OR " + col.col + " IS NULL)"
			}
		}
		if sql == "" {
			sql, args = beyond, beyondArgs
			continue
		}
		same, sameArgs := col.col+" = ?", []any{v}
		if v == nil {
			same, sameArgs = col.col+" IS NULL", nil
		}
		sql = fmt.Sprintf("(%s OR (%s AND %s))", beyond, same, sql)
		args = append(append(beyondArgs, sameArgs...), args...)
	}
	return sql, args
}

// afterPair is after for the usual order, a column then the id, both one
// way: a row-value comparison, (a, id) > (x, y), which both engines answer
// as one range of the order's index (the OR of after's general form makes
// SQLite read the index from its start).
func (o ordering) afterPair(c *model.Cursor, nullsSmallest bool) (string, []any) {
	a, id := o.cols[0], o.cols[1]
	cmp := map[bool]string{false: ">", true: "<"}[a.desc]
	nullsFirst := nullsSmallest != a.desc
	v, idv := c.Values[0], c.Values[1]
	switch {
	case v == nil && nullsFirst:
		return fmt.Sprintf("((%s IS NULL AND %s %s ?) OR %[1]s IS NOT NULL)", a.col, id.col, cmp), []any{idv}
	case v == nil:
		return fmt.Sprintf("(%s IS NULL AND %s %s ?)", a.col, id.col, cmp), []any{idv}
	case a.nullable && !nullsFirst:
		return fmt.Sprintf("((%s, %s) %s (?, ?) OR %[1]s IS NULL)", a.col, id.col, cmp), []any{v, idv}
	}
	return fmt.Sprintf("(%s, %s) %s (?, ?)", a.col, id.col, cmp), []any{v, idv}
}

// The orders of the other listings, newest first but namespaces by code.
var (
	groupsOrder     = ordering{name: "groups", cols: []orderCol{{col: "created_at", desc: true, time: true}, {col: "id", desc: true}}}
	rolesOrder      = ordering{name: "roles", cols: groupsOrder.cols}
	resourcesOrder  = ordering{name: "resources", cols: groupsOrder.cols}
	namespacesOrder = ordering{name: "namespaces", cols: []orderCol{{col: "code"}, {col: "id"}}}
)

// Cursors of those listings' items, and their decoders (INVALID_INPUT on
// field for a cursor not of the listing).
func GroupCursor(g *model.Group) string { return groupsOrder.cursor(g.CreatedAt, g.ID).Encode() }
func RoleCursor(r *model.Role) string   { return rolesOrder.cursor(r.CreatedAt, r.ID).Encode() }
func ResourceCursor(r *model.Resource) string {
	return resourcesOrder.cursor(r.CreatedAt, r.ID).Encode()
}
func NamespaceCursor(n *model.Namespace) string { return namespacesOrder.cursor(n.Code, n.ID).Encode() }

func DecodeGroupCursor(field, s string) (*model.Cursor, error) { return groupsOrder.decode(field, s) }
func DecodeRoleCursor(field, s string) (*model.Cursor, error)  { return rolesOrder.decode(field, s) }
func DecodeResourceCursor(field, s string) (*model.Cursor, error) {
	return resourcesOrder.decode(field, s)
}
func DecodeNamespaceCursor(field, s string) (*model.Cursor, error) {
	return namespacesOrder.decode(field, s)
}
