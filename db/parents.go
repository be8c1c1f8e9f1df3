package db

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/model"
)

// parentKind is what groups and roles share: records found by code (a
// role's code within its namespace, a group's within the pool), with users
// as members in a membership table. Every group and role operation that is
// the same for both is written once, here, over T (model.Group or
// model.Role).
type parentKind[T any] struct {
	noun        string // "group" or "role", for messages
	members     membership
	inNamespace bool // codes are unique per namespace (roles), else per pool
	id, code    func(*T) string
	audited     model.AuditObjectType
	values      valueTable
	// beforeDelete, when set, may refuse a deletion of records (asked is
	// the codes as the caller gave them, for the error's field).
	beforeDelete func(tx *gorm.DB, poolID string, records []*T, asked []string) error
	// label names a record in a member's audit record: a group by its
	// code, a role by namespace/code.
	label func(*T) string
}

var (
	groupKind = parentKind[model.Group]{noun: "group", members: groupMembers, audited: model.AuditGroup, values: groupValues,
		id: func(g *model.Group) string { return g.ID }, code: func(g *model.Group) string { return g.Code },
		label: func(g *model.Group) string { return g.Code }}
	roleKind = parentKind[model.Role]{noun: "role", members: roleMembers, inNamespace: true, audited: model.AuditRole, values: roleValues,
		id: func(r *model.Role) string { return r.ID }, code: func(r *model.Role) string { return r.Code },
		label: func(r *model.Role) string { return r.Namespace + "/" + r.Code }}
)

// scope narrows tx to the kind's records in the pool, and for roles in the
// namespace ns (the default one when empty; unknown is NOT_FOUND on
// "namespace"). where says where codes are unique, for messages.
func (k parentKind[T]) scope(tx *gorm.DB, poolID, ns string) (q *gorm.DB, where string, err error) {
	q = tx.Model(new(T)).Where("pool_id = ?", poolID)
	if !k.inNamespace {
		return q, "this user pool", nil
	}
	n, err := namespaceByCode(tx, poolID, ns)
	if err != nil {
		return nil, "", err
	}
	return q.Where("namespace = ?", n.Code), fmt.Sprintf("namespace %q", n.Code), nil
}

// byCode finds one record; an unknown code is NOT_FOUND on field.
func (k parentKind[T]) byCode(tx *gorm.DB, poolID, ns, code, field string) (*T, error) {
	q, where, err := k.scope(tx, poolID, ns)
	if err != nil {
		return nil, err
	}
	var v T
	err = q.Where("code = ?", code).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, model.NotFoundOf(k.noun, field, "no %s %q in %s", k.noun, code, where)
	}
	return &v, translate(err)
}

// byCodes finds records by code, failing with NOT_FOUND on field.N for the
// first unknown one, N its position in asked (the codes as the caller
// gave them, before repeats were dropped).
func (k parentKind[T]) byCodes(tx *gorm.DB, poolID, ns string, codes, asked []string, field string) ([]*T, error) {
	q, where, err := k.scope(tx, poolID, ns)
	if err != nil {
		return nil, err
	}
	var found []*T
	if err := q.Where("code IN ?", codes).Find(&found).Error; err != nil {
		return nil, err
	}
	have := make([]string, len(found))
	for i, r := range found {
		have[i] = k.code(r)
	}
	return found, firstMissing(asked, have, field, k.noun, where)
}

// ids lists the records' ids.
func (k parentKind[T]) ids(records []*T) []string {
	out := make([]string, len(records))
	for i, r := range records {
		out[i] = k.id(r)
	}
	return out
}

// codeTaken words a unique violation as "the code on field is taken".
func (k parentKind[T]) codeTaken(err error, field string) error {
	if errors.Is(err, model.ErrAlreadyExists) {
		where := "this user pool"
		if k.inNamespace {
			where = "this namespace"
		}
		return model.AlreadyExists(field, "%s already has a %s with that code", where, k.noun)
	}
	return err
}

// update changes the record with the given code: apply sets the changes on
// it (in the write's transaction) and names the changed fields. Errors of
// the input are on "input.<field>"; a taken code on "input.code".
func (k parentKind[T]) update(ctx context.Context, s *Store, poolID, ns, code string, apply func(*gorm.DB, *T) ([]string, error)) (*T, error) {
	var v *T
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		if v, err = k.byCode(tx, poolID, ns, code, "code"); err != nil {
			return err
		}
		before := model.Snapshot(v)
		changed, err := apply(tx, v)
		if err != nil {
			return model.WithPrefix(err, "input")
		}
		recordDiff(tx, poolID, k.audited, k.id(v), before, v)
		return tx.Model(v).Omit(clause.Associations).Select(changed).Updates(v).Error
	})
	return v, k.codeTaken(err, "input.code")
}

// deleteByCodes deletes records by code, all or nothing; their memberships
// and grants go with them through foreign keys.
func (k parentKind[T]) deleteByCodes(ctx context.Context, s *Store, poolID, ns string, asked []string) error {
	codes, err := model.ValidCodes("codes", asked)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		records, err := k.byCodes(tx, poolID, ns, codes, asked, "codes")
		if err != nil {
			return err
		}
		if k.beforeDelete != nil {
			if err := k.beforeDelete(tx, poolID, records, asked); err != nil {
				return err
			}
		}
		for _, r := range records {
			recordDiff(tx, poolID, k.audited, k.id(r), r, nil)
		}
		return tx.Delete(new(T), "pool_id = ? AND id IN ?", poolID, k.ids(records)).Error
	})
}

// changeUser adds a user to records (by code) or removes it from them, and
// returns all the user's records of this kind. Every record must exist,
// or nothing changes. field names the codes argument.
func (k parentKind[T]) changeUser(ctx context.Context, s *Store, poolID, userID, ns string, asked []string, field string, add bool) ([]*T, error) {
	codes, err := model.ValidCodes(field, asked)
	if err != nil {
		return nil, err
	}
	var out []*T
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := requireUser(tx, poolID, userID); err != nil {
			return err
		}
		records, err := k.byCodes(tx, poolID, ns, codes, asked, field)
		if err != nil {
			return err
		}
		changed, err := k.members.change(tx, poolID, k.ids(records), []string{userID}, s.now(), add)
		if err != nil {
			return err
		}
		k.recordMemberships(tx, poolID, records, changed, add)
		m, err := ofUsers[T](ctx, tx, k.members, poolID, []string{userID})
		out = m[userID]
		return err
	})
	return out, err
}

// changeMembers adds users to the record with the given code, or removes
// them. Every user must exist, or nothing changes.
func (k parentKind[T]) changeMembers(ctx context.Context, s *Store, poolID, ns, code string, asked []string, add bool) (*T, error) {
	userIDs, err := model.ValidIDs("userIds", asked)
	if err != nil {
		return nil, err
	}
	var v *T
	err = s.write(ctx, func(tx *gorm.DB) error {
		if v, err = k.byCode(tx, poolID, ns, code, "code"); err != nil {
			return err
		}
		if err := requireUsers(tx, poolID, asked, "userIds"); err != nil {
			return err
		}
		changed, err := k.members.change(tx, poolID, []string{k.id(v)}, userIDs, s.now(), add)
		k.recordMemberships(tx, poolID, []*T{v}, changed, add)
		return err
	})
	return v, err
}

// create inserts a new record and records it.
func (k parentKind[T]) create(tx *gorm.DB, poolID string, v *T) error {
	recordDiff(tx, poolID, k.audited, k.id(v), nil, v)
	return tx.Omit(clause.Associations).Create(v).Error
}

// recordMemberships records each membership gained (add) or lost on its
// user: the change of the user's "groups" or "roles", named by label.
func (k parentKind[T]) recordMemberships(tx *gorm.DB, poolID string, records []*T, changed []joined, add bool) {
	byID := make(map[string]*T, len(records))
	for _, r := range records {
		byID[k.id(r)] = r
	}
	for _, j := range changed {
		c := model.Change{Field: k.noun + "s"}
		if add {
			c.After = k.label(byID[j.ParentID])
		} else {
			c.Before = k.label(byID[j.ParentID])
		}
		recordChanges(tx, poolID, model.AuditUser, j.UserID, c)
	}
}

// changeCustomData changes the custom data of the record with the given
// code — change gets its definitions and returns the changes, or an error
// on its own field — and returns the record's custom data after.
func (k parentKind[T]) changeCustomData(ctx context.Context, s *Store, poolID, ns, code string,
	change func(defs map[string]*model.UdfDefinition) ([]model.UdfChange, error)) (model.CustomData, error) {
	var out model.CustomData
	err := s.write(ctx, func(tx *gorm.DB) error {
		v, err := k.byCode(tx, poolID, ns, code, "code")
		if err != nil {
			return err
		}
		defs, err := k.values.defs(tx, poolID)
		if err != nil {
			return err
		}
		changes, err := change(defs)
		if err != nil {
			return err
		}
		id := k.id(v)
		current, err := k.values.of(tx, poolID, []string{id})
		if err != nil {
			return err
		}
		out = orEmpty(current[id])
		if err := k.values.apply(tx, poolID, id, changes, out); err != nil {
			return err
		}
		return model.CheckCustomDataSize("data", out)
	})
	return out, err
}

// setCustomData merges data into the record's custom data, as setUdfValue
// does a user's: every key must be defined for the kind, a null removes
// one. Errors are on "data.<key>".
func (k parentKind[T]) setCustomData(ctx context.Context, s *Store, poolID, ns, code string, data any) (model.CustomData, error) {
	return k.changeCustomData(ctx, s, poolID, ns, code, func(defs map[string]*model.UdfDefinition) ([]model.UdfChange, error) {
		changes, err := model.CheckCustomData(data, defs)
		return changes, model.WithPrefix(err, "data")
	})
}

// removeCustomData removes one key from the record's custom data (a no-op
// when it has no value for it).
func (k parentKind[T]) removeCustomData(ctx context.Context, s *Store, poolID, ns, code, key string) (model.CustomData, error) {
	return k.changeCustomData(ctx, s, poolID, ns, code, func(defs map[string]*model.UdfDefinition) ([]model.UdfChange, error) {
		def, ok := defs[key]
		if !ok {
			return nil, model.Invalid("key", "no custom field %q is defined for %s", key, k.values.target)
		}
		return []model.UdfChange{{Def: def}}, nil
	})
}

// customDataOf returns the custom data of records by id, in one statement.
func (k parentKind[T]) customDataOf(ctx context.Context, s *Store, poolID string, ids []string) (map[string]model.CustomData, error) {
	return k.values.of(s.read(ctx), poolID, ids)
}

// matching narrows q (a listing of the kind) to the records whose custom
// data passes every condition; field names the conditions' argument.
func (k parentKind[T]) matching(q *gorm.DB, s *Store, poolID string, preds []*model.CustomDataPred, field string) (*gorm.DB, error) {
	sub := func() *gorm.DB { return s.read(q.Statement.Context) }
	sets, err := k.values.matching(sub, poolID, preds, field)
	if err != nil {
		return nil, err
	}
	for _, set := range sets {
		q = q.Where("id IN (?)", set(""))
	}
	return q, nil
}
