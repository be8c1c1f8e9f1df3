package db

import (
	"usergraph/db/query"
	"usergraph/model"
)

// The orders of the listings other than users' (users.go) and the audit
// log's (audit.go), and their cursors as the API hands them out.
var (
	groupsOrder     = query.Ordering{Name: "groups", Cols: []query.OrderCol{{Col: "created_at", Desc: true, Time: true}, {Col: "id", Desc: true}}}
	rolesOrder      = query.Ordering{Name: "roles", Cols: groupsOrder.Cols}
	resourcesOrder  = query.Ordering{Name: "resources", Cols: groupsOrder.Cols}
	namespacesOrder = query.Ordering{Name: "namespaces", Cols: []query.OrderCol{{Col: "code"}, {Col: "id"}}}
)

// Cursors of those listings' items, and their decoders (INVALID_INPUT on
// field for a cursor not of the listing).
func GroupCursor(g *model.Group) string { return groupsOrder.Cursor(g.CreatedAt, g.ID).Encode() }
func RoleCursor(r *model.Role) string   { return rolesOrder.Cursor(r.CreatedAt, r.ID).Encode() }
func ResourceCursor(r *model.Resource) string {
	return resourcesOrder.Cursor(r.CreatedAt, r.ID).Encode()
}
func NamespaceCursor(n *model.Namespace) string { return namespacesOrder.Cursor(n.Code, n.ID).Encode() }

func DecodeGroupCursor(field, s string) (*model.Cursor, error) { return groupsOrder.Decode(field, s) }
func DecodeRoleCursor(field, s string) (*model.Cursor, error)  { return rolesOrder.Decode(field, s) }
func DecodeResourceCursor(field, s string) (*model.Cursor, error) {
	return resourcesOrder.Decode(field, s)
}
func DecodeNamespaceCursor(field, s string) (*model.Cursor, error) {
	return namespacesOrder.Decode(field, s)
}
