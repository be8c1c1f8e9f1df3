// Package transfer moves a user pool in and out as NDJSON: one JSON
// object a line, each with a "kind". Export writes a pool's definitions
// (namespaces, custom fields, groups, roles) and then its users, each with
// every field, its password hash (a PHC string), identities, memberships
// and custom data. Import reads the same (or lines a migration script
// wrote from Keycloak or Auth0), checks every line before it writes any,
// and then writes in batches. Resources and grants are not moved: they
// describe an application, not a directory.
package transfer

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"slices"

	"usergraph/db"
	"usergraph/model"
)

// The kinds of line.
const (
	KindNamespace = "namespace"
	KindUdf       = "udf"
	KindGroup     = "group"
	KindRole      = "role"
	KindUser      = "user"
)

// exportPage is how many users one export read fetches.
const exportPage = 1000

// userOut is a user as Export writes it: the user's own fields (as the API
// names them), then what hangs off it.
type userOut struct {
	Kind string `json:"kind"`
	*model.User
	PasswordHash string            `json:"passwordHash,omitempty"`
	Identities   []*model.Identity `json:"identities,omitempty"`
	Groups       []string          `json:"groups,omitempty"`
	Roles        []model.RoleRef   `json:"roles,omitempty"`
	CustomData   model.CustomData  `json:"customData,omitempty"`
}

// Export writes the pool to w and returns how many users it wrote.
func Export(ctx context.Context, s *db.Store, poolID string, w io.Writer) (int, error) {
	enc := json.NewEncoder(w)
	if err := exportDefinitions(ctx, s, poolID, enc); err != nil {
		return 0, err
	}
	n := 0
	var last *model.User
	for {
		users, err := s.UsersAfter(ctx, poolID, last, exportPage)
		if err != nil || len(users) == 0 {
			return n, err
		}
		if err := exportUsers(ctx, s, poolID, users, enc); err != nil {
			return n, err
		}
		n += len(users)
		last = users[len(users)-1]
	}
}

// Definition lines: the kind, then the record's fields.
type (
	namespaceOut struct {
		Kind string `json:"kind"`
		*model.Namespace
	}
	udfOut struct {
		Kind string `json:"kind"`
		*model.UdfDefinition
	}
	groupOut struct {
		Kind string `json:"kind"`
		*model.Group
		CustomData model.CustomData `json:"customData,omitempty"`
		Roles      []model.RoleRef  `json:"roles,omitempty"`  // the roles given to the group
		Parent     *string          `json:"parent,omitempty"` // the parent group's code
	}
	roleOut struct {
		Kind string `json:"kind"`
		*model.Role
		CustomData model.CustomData `json:"customData,omitempty"`
	}
)

// exportDefinitions writes the namespaces (but the default one, which
// every pool has), custom field definitions, groups and roles.
func exportDefinitions(ctx context.Context, s *db.Store, poolID string, enc *json.Encoder) error {
	namespaces, err := all(func(p model.Page) ([]*model.Namespace, int64, error) { return s.ListNamespaces(ctx, poolID, p) })
	if err != nil {
		return err
	}
	for _, n := range namespaces {
		if n.Code != model.DefaultNamespace {
			if err := enc.Encode(namespaceOut{KindNamespace, n}); err != nil {
				return err
			}
		}
	}
	for _, target := range []model.UdfTargetType{model.UdfTargetUser, model.UdfTargetRole, model.UdfTargetGroup} {
		defs, err := s.ListUdf(ctx, poolID, target)
		if err != nil {
			return err
		}
		for _, d := range defs {
			if err := enc.Encode(udfOut{KindUdf, d}); err != nil {
				return err
			}
		}
	}
	groups, err := all(func(p model.Page) ([]*model.Group, int64, error) { return s.ListGroups(ctx, poolID, nil, p) })
	if err != nil {
		return err
	}
	groupData, err := inChunks(groups, func(g *model.Group) string { return g.ID }, func(ids []string) (map[string]model.CustomData, error) {
		return s.CustomDataByGroupIDs(ctx, poolID, ids)
	})
	if err != nil {
		return err
	}
	groupRoles, err := inChunks(groups, func(g *model.Group) string { return g.ID }, func(ids []string) (map[string][]*model.Role, error) {
		return s.RolesByGroupIDs(ctx, poolID, ids)
	})
	if err != nil {
		return err
	}
	codes := make(map[string]string, len(groups))
	for _, g := range groups {
		codes[g.ID] = g.Code
	}
	for _, g := range groups {
		var parent *string
		if g.ParentID != nil {
			code := codes[*g.ParentID]
			parent = &code
		}
		if err := enc.Encode(groupOut{KindGroup, g, groupData[g.ID], roleRefs(groupRoles[g.ID]), parent}); err != nil {
			return err
		}
	}
	roles, err := all(func(p model.Page) ([]*model.Role, int64, error) { return s.ListRoles(ctx, poolID, "", nil, p) })
	if err != nil {
		return err
	}
	roleData, err := inChunks(roles, func(r *model.Role) string { return r.ID }, func(ids []string) (map[string]model.CustomData, error) {
		return s.CustomDataByRoleIDs(ctx, poolID, ids)
	})
	if err != nil {
		return err
	}
	for _, r := range roles {
		if err := enc.Encode(roleOut{KindRole, r, roleData[r.ID]}); err != nil {
			return err
		}
	}
	return nil
}

// inChunks reads what hangs off records (custom data, roles), exportPage
// ids a statement.
func inChunks[T, V any](records []*T, id func(*T) string, read func([]string) (map[string]V, error)) (map[string]V, error) {
	out := map[string]V{}
	for chunk := range slices.Chunk(records, exportPage) {
		ids := make([]string, len(chunk))
		for i, r := range chunk {
			ids[i] = id(r)
		}
		m, err := read(ids)
		if err != nil {
			return nil, err
		}
		maps.Copy(out, m)
	}
	return out, nil
}

// all reads every page of a listing, oldest first.
func all[T any](list func(model.Page) ([]*T, int64, error)) ([]*T, error) {
	var out []*T
	for page := 1; ; page++ {
		items, _, err := list(model.Page{Page: page, Limit: model.MaxLimit, NoCount: true})
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if len(items) < model.MaxLimit {
			break
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 { // listings are newest first
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// exportUsers writes one page of users with what hangs off them, read in
// one statement per relation.
func exportUsers(ctx context.Context, s *db.Store, poolID string, users []*model.User, enc *json.Encoder) error {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	identities, err := s.IdentitiesByUserIDs(ctx, poolID, ids)
	if err != nil {
		return err
	}
	groups, err := s.GroupsByUserIDs(ctx, poolID, ids)
	if err != nil {
		return err
	}
	roles, err := s.RolesByUserIDs(ctx, poolID, ids)
	if err != nil {
		return err
	}
	data, err := s.CustomDataByUserIDs(ctx, poolID, ids)
	if err != nil {
		return err
	}
	for _, u := range users {
		out := userOut{Kind: KindUser, User: u, PasswordHash: u.PasswordHash, Identities: identities[u.ID], CustomData: data[u.ID]}
		for _, g := range groups[u.ID] {
			out.Groups = append(out.Groups, g.Code)
		}
		out.Roles = roleRefs(roles[u.ID])
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	return nil
}

// roleRefs names roles by namespace and code.
func roleRefs(roles []*model.Role) []model.RoleRef {
	var out []model.RoleRef
	for _, r := range roles {
		ns := r.Namespace
		out = append(out, model.RoleRef{Code: r.Code, Namespace: &ns})
	}
	return out
}
