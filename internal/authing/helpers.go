package authing

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"usergraph/graph"
	native "usergraph/graph/exec"
	"usergraph/internal/authing/exec"
	"usergraph/model"
)

// optional is a list of the one value s points to, or none.
func optional(s *string) []string {
	if !given(s) {
		return nil
	}
	return []string{*s}
}

// notFoundOr is err, or NOT_FOUND on field when err is nil (a native
// lookup that answered null).
func notFoundOr(err error, field, format string, args ...any) error {
	if err != nil {
		return err
	}
	return model.NotFound(field, format, args...)
}

// changeRoles is assignRole (add) and revokeRole: the combinations one
// native write can make all or nothing — one user and several roles, one
// role and several users, one group and several roles. Anything else is
// refused rather than applied in several transactions.
func (r *Resolver) changeRoles(ctx context.Context, add bool, ns, roleCode *string, roleCodes []*string, userIDs, groupCodes, nodeCodes []string) error {
	codes := optional(roleCode)
	for _, c := range roleCodes {
		if c != nil {
			codes = append(codes, *c)
		}
	}
	m := r.native.Mutation()
	var err error
	switch {
	case len(nodeCodes) > 0:
		return unsupported("nodeCodes", "there are no departments here: leave nodeCodes out")
	case len(codes) == 0:
		return model.Invalid("roleCodes", "give roleCode or roleCodes")
	case len(userIDs) > 0 && len(groupCodes) > 0:
		return unsupported("groupCodes", "give roles to users or to groups in one call, not both")
	case len(userIDs) == 1 && add:
		_, err = m.AddRoles(ctx, userIDs[0], codes, ns)
	case len(userIDs) == 1:
		_, err = m.RemoveRoles(ctx, userIDs[0], codes, ns)
	case len(userIDs) > 1 && len(codes) == 1 && add:
		_, err = m.AddRoleMembers(ctx, codes[0], ns, userIDs)
	case len(userIDs) > 1 && len(codes) == 1:
		_, err = m.RemoveRoleMembers(ctx, codes[0], ns, userIDs)
	case len(userIDs) > 1:
		return unsupported("userIds", "give several users one role, or one user several roles, per call")
	case len(groupCodes) == 1 && add:
		_, err = m.AddGroupRoles(ctx, groupCodes[0], codes, ns)
	case len(groupCodes) == 1:
		_, err = m.RemoveGroupRoles(ctx, groupCodes[0], codes, ns)
	case len(groupCodes) > 1:
		return unsupported("groupCodes", "give roles to one group per call")
	default:
		return model.Invalid("userIds", "give userIds or groupCodes")
	}
	switch {
	case len(userIDs) == 1:
		return renamed(renamed(err, "userId", "userIds.0"), "roles", "roleCodes")
	case len(userIDs) > 1:
		return renamed(err, "code", "roleCodes.0")
	}
	return renamed(renamed(err, "code", "groupCodes.0"), "roles", "roleCodes")
}

// values reads one object's custom data: a user's by id, a group's by code,
// a role's by id.
func (r *Resolver) values(ctx context.Context, t model.UdfTargetType, id string) (any, error) {
	switch t {
	case model.UdfTargetGroup:
		g, err := r.native.Query().Group(ctx, id)
		if err != nil || g == nil {
			return nil, notFoundOr(err, "targetId", "no group %q", id)
		}
		v, err := r.native.Group().CustomData(ctx, []*model.Group{g})
		if err != nil {
			return nil, err
		}
		return v[0], nil
	case model.UdfTargetRole:
		role, err := r.role(ctx, id)
		if err != nil {
			return nil, err
		}
		v, err := r.native.Role().CustomData(ctx, []*model.Role{role})
		if err != nil {
			return nil, err
		}
		return v[0], nil
	}
	v, err := r.native.Query().UdfValue(ctx, id)
	return v, renamed(err, "userId", "targetId")
}

// setValues merges data into one object's custom data and returns it after.
func (r *Resolver) setValues(ctx context.Context, t model.UdfTargetType, id string, data model.CustomData) (any, error) {
	m := r.native.Mutation()
	switch t {
	case model.UdfTargetGroup:
		v, err := m.SetGroupUdfValue(ctx, id, data)
		return v, renamed(err, "code", "targetId")
	case model.UdfTargetRole:
		role, err := r.role(ctx, id)
		if err != nil {
			return nil, err
		}
		return m.SetRoleUdfValue(ctx, role.Code, &role.Namespace, data)
	}
	v, err := m.SetUdfValue(ctx, id, data)
	return v, renamed(err, "userId", "targetId")
}

// removeValue removes one key of an object's custom data and returns what
// is left.
func (r *Resolver) removeValue(ctx context.Context, t model.UdfTargetType, id, key string) (any, error) {
	m := r.native.Mutation()
	switch t {
	case model.UdfTargetGroup:
		v, err := m.RemoveGroupUdfValue(ctx, id, key)
		return v, renamed(err, "code", "targetId")
	case model.UdfTargetRole:
		role, err := r.role(ctx, id)
		if err != nil {
			return nil, err
		}
		return m.RemoveRoleUdfValue(ctx, role.Code, &role.Namespace, key)
	}
	v, err := m.RemoveUdfValue(ctx, id, key)
	return v, renamed(err, "userId", "targetId")
}

// role is the role with this id: the SDKs name roles by id where they name
// custom data targets.
func (r *Resolver) role(ctx context.Context, id string) (*model.Role, error) {
	return r.api.Store().RoleByID(ctx, graph.PoolID(ctx), id, "targetId")
}

// udfData is custom data as the SDKs read it, labelled with the kind's
// field definitions.
func (r *Resolver) udfData(ctx context.Context, t model.UdfTargetType, data any) ([]*exec.UserDefinedData, error) {
	defs, err := r.native.Query().Udf(ctx, t)
	if err != nil {
		return nil, err
	}
	return udfData(data, defs), nil
}

// batchValueError reports a native setUdfValueBatch error (whose items
// are users: "input.<item>.data.<key>" or "input.<item>.userId") on the
// SDK input entry it concerns: "input.<i>.value" for a value,
// "input.<i>.targetId" (the user's first entry) for anything else of the
// user, with index i.
func batchValueError(err error, input []*exec.SetUdfValueBatchInput) error {
	var me *model.Error
	if !errors.As(err, &me) {
		return err
	}
	rest, ok := strings.CutPrefix(me.Field, "input.")
	if !ok {
		return err
	}
	itemText, sub, _ := strings.Cut(rest, ".")
	item, convErr := strconv.Atoi(itemText)
	if convErr != nil {
		return err
	}
	key, isValue := strings.CutPrefix(sub, "data.")
	items := map[string]int{} // user → its native item
	for i, in := range input {
		n, seen := items[in.TargetID]
		if !seen {
			n = len(items)
			items[in.TargetID] = n
		}
		if n != item || (isValue && in.Key != key) {
			continue
		}
		c := *me
		c.Field, c.Index = fmt.Sprintf("input.%d.targetId", i), &i
		if isValue {
			c.Field = fmt.Sprintf("input.%d.value", i)
		}
		return &c
	}
	return err
}

// revokeTokens is the native batch update that revokes every token of the
// users (tokenExpiredAt set to now), for users/kick.
func revokeTokens(userIDs []string, now time.Time) []*native.UpdateUsersItem {
	now = now.UTC()
	items := make([]*native.UpdateUsersItem, len(userIDs))
	for i, id := range userIDs {
		items[i] = &native.UpdateUsersItem{UserID: id, Input: &model.UserInput{TokenExpiredAt: graphql.OmittableOf(&now)}}
	}
	return items
}

// everyAction gives the targets that name no actions every action the
// resource declares, and the wildcard: the SDKs' revokeResource without
// actions takes everything a target was granted.
func (r *Resolver) everyAction(ctx context.Context, ns, resource string, targets []*model.GrantTarget) error {
	var all []string
	for _, t := range targets {
		if len(t.Actions) > 0 {
			continue
		}
		if all == nil {
			base, _, err := model.SplitGrantResource("resource", resource)
			if err != nil {
				return err
			}
			res, err := r.native.Query().Resource(ctx, ns, base)
			if err != nil || res == nil {
				return notFoundOr(err, "resource", "no resource %q", base)
			}
			all = []string{"*"}
			for _, a := range res.Actions {
				all = append(all, a.Name)
			}
		}
		t.Actions = all
	}
	return nil
}
