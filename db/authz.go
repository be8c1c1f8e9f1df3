package db

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// reachedGrants returns, for each subject (users, roles or groups by id),
// the grants that reach it and how: for a user, its own grants, those of
// each of its roles, of its groups and their ancestors, and of the roles
// those groups have (via names the group); for a group, its own, its
// ancestors' and their roles'; for a role, its own. One statement for any
// number of subjects, roles and groups.
//
// only, when set, keeps the grants on those resources (by resource id) —
// isActionAllowed needs only the grants that could cover what it asks.
func reachedGrants(ctx context.Context, r *gorm.DB, poolID string, kind model.TargetType, ids []string, only ...*gorm.DB) (map[string][]model.ReachedGrant, error) {
	const sources = `LEFT JOIN roles r ON r.id = g.role_id LEFT JOIN groups gr ON gr.id = g.group_id`
	var sql string
	var args []any
	switch kind {
	case model.TargetUser:
		sql = `SELECT x.subject_id, x.via_group, g.*, r.code AS role_code, r.namespace AS role_namespace, gr.code AS group_code FROM (
			SELECT id AS grant_id, user_id AS subject_id, CAST(NULL AS VARCHAR(64)) AS via_group FROM grants WHERE pool_id = ? AND user_id IN ?
			UNION ALL SELECT g.id, m.user_id, NULL FROM role_members m JOIN grants g ON g.role_id = m.role_id WHERE m.pool_id = ? AND m.user_id IN ?
			UNION ALL SELECT g.id, m.user_id, NULL FROM group_members m JOIN group_closures c ON c.descendant_id = m.group_id
				JOIN grants g ON g.group_id = c.ancestor_id WHERE m.pool_id = ? AND m.user_id IN ?
			UNION ALL SELECT g.id, m.user_id, gp.code FROM group_members m JOIN group_closures c ON c.descendant_id = m.group_id
				JOIN group_roles gro ON gro.group_id = c.ancestor_id JOIN grants g ON g.role_id = gro.role_id
				JOIN groups gp ON gp.id = c.ancestor_id WHERE m.pool_id = ? AND m.user_id IN ?
		) x JOIN grants g ON g.id = x.grant_id ` + sources
		args = []any{poolID, ids, poolID, ids, poolID, ids, poolID, ids}
	case model.TargetRole:
		sql = `SELECT g.role_id AS subject_id, g.*, r.code AS role_code, r.namespace AS role_namespace, gr.code AS group_code
			FROM grants g ` + sources + ` WHERE g.pool_id = ? AND g.role_id IN ?`
		args = []any{poolID, ids}
	case model.TargetGroup:
		sql = `SELECT x.subject_id, g.*, r.code AS role_code, r.namespace AS role_namespace, gr.code AS group_code FROM (
			SELECT g.id AS grant_id, c.descendant_id AS subject_id FROM group_closures c JOIN grants g ON g.group_id = c.ancestor_id
				WHERE c.pool_id = ? AND c.descendant_id IN ?
			UNION ALL SELECT g.id, c.descendant_id FROM group_closures c JOIN group_roles gro ON gro.group_id = c.ancestor_id
				JOIN grants g ON g.role_id = gro.role_id WHERE c.pool_id = ? AND c.descendant_id IN ?
		) x JOIN grants g ON g.id = x.grant_id ` + sources
		args = []any{poolID, ids, poolID, ids}
	}
	if len(only) > 0 {
		sql = "SELECT * FROM (" + sql + ") reached WHERE resource_id IN (?)"
		args = append(args, only[0])
	}
	type row struct {
		model.Grant   `gorm:"embedded"`
		SubjectID     string
		ViaGroup      *string
		RoleCode      *string
		RoleNamespace *string
		GroupCode     *string
	}
	var rows []row
	if err := r.WithContext(ctx).Raw(sql, args...).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	if err := query.Charge(ctx, len(rows)); err != nil {
		return nil, err
	}
	out := make(map[string][]model.ReachedGrant, len(ids))
	seen := make(map[[3]string]bool, len(rows))
	for i := range rows {
		rw := &rows[i]
		// A user in a group and in one under it meets the group's grants
		// twice, by the same way: once is enough.
		k := [3]string{rw.SubjectID, rw.ID, deref(rw.ViaGroup)}
		if seen[k] {
			continue
		}
		seen[k] = true
		src := model.GrantSource{TargetType: rw.TargetType}
		switch rw.TargetType {
		case model.TargetUser:
			src.Code = *rw.UserID
		case model.TargetRole:
			src.Code, src.RoleNamespace, src.ViaGroup = deref(rw.RoleCode), rw.RoleNamespace, rw.ViaGroup
		case model.TargetGroup:
			src.Code = deref(rw.GroupCode)
		}
		out[rw.SubjectID] = append(out[rw.SubjectID], model.ReachedGrant{Grant: &rw.Grant, Source: src})
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// GrantsByTargetIDs returns the grants reaching each subject of a kind, for
// loaders (User, Role and Group authorizedResources).
func (s *Store) GrantsByTargetIDs(ctx context.Context, poolID string, kind model.TargetType, ids []string) (map[string][]model.ReachedGrant, error) {
	return reachedGrants(ctx, s.db.r, poolID, kind, ids)
}

// UserAuthorizedResources returns what a user may do: the union of its own
// grants and those of its roles and groups, in a namespace (every namespace
// when ns is empty) and of a type (every type when typ is empty).
func (s *Store) UserAuthorizedResources(ctx context.Context, poolID, userID, ns string, typ model.ResourceType) ([]*model.AuthorizedResource, error) {
	r := s.read(ctx)
	if err := requireUser(r, poolID, userID); err != nil {
		return nil, translate(err)
	}
	if ns != "" {
		if _, err := namespaceByCode(r, poolID, ns); err != nil {
			return nil, err
		}
	}
	reached, err := reachedGrants(ctx, s.db.r, poolID, model.TargetUser, []string{userID})
	if err != nil {
		return nil, err
	}
	return model.MergeGrants(reached[userID], ns, typ), nil
}

// IsActionAllowed answers checks, honouring wildcards, in a constant number
// of statements however many checks, users, roles and groups: one to check
// the users exist, one for the namespaces, one for every grant reaching
// every user. An unknown user or namespace is NOT_FOUND, named by the
// check's index.
func (s *Store) IsActionAllowed(ctx context.Context, poolID string, checks []*model.ActionCheck) ([]bool, error) {
	if len(checks) == 0 || len(checks) > model.MaxBatch {
		return nil, model.Invalid("checks", "give 1 to %d checks", model.MaxBatch)
	}
	r := s.read(ctx)
	var users, namespaces []string
	for i, c := range checks {
		if _, _, err := model.SplitGrantResource("resource", c.Resource); err != nil {
			return nil, model.AtIndex(err, i)
		}
		if c.Action == "" {
			return nil, model.AtIndex(model.Invalid("action", "give an action"), i)
		}
		users, namespaces = append(users, c.UserID), append(namespaces, model.NamespaceOrDefault(c.Namespace))
	}
	have, err := existingUsers(r, poolID, users)
	if err != nil {
		return nil, translate(err)
	}
	var found []string
	if err := r.Model(&model.Namespace{}).Where("pool_id = ? AND code IN ?", poolID, namespaces).Pluck("code", &found).Error; err != nil {
		return nil, translate(err)
	}
	for i, c := range checks {
		if !have[c.UserID] {
			return nil, model.AtIndex(noUser("userId", c.UserID), i)
		}
		if !slices.Contains(found, namespaces[i]) {
			return nil, model.AtIndex(model.NotFoundOf("namespace", "namespace", "no namespace %q in this user pool", namespaces[i]), i)
		}
	}
	var bases []string
	for _, c := range checks {
		base, _, _ := model.SplitGrantResource("resource", c.Resource)
		bases = append(bases, base)
	}
	candidates := s.db.r.Model(&model.Resource{}).Select("resources.id").
		Joins("JOIN namespaces n ON n.id = resources.namespace_id").
		Where("resources.pool_id = ? AND n.code IN ? AND resources.code IN ?", poolID, namespaces, bases)
	reached, err := reachedGrants(ctx, s.db.r, poolID, model.TargetUser, users, candidates)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(checks))
	for i, c := range checks {
		out[i] = model.Allows(model.MergeGrants(reached[c.UserID], namespaces[i], ""), namespaces[i], c.Resource, c.Action)
	}
	return out, nil
}
