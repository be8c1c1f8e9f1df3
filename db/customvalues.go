package db

import (
	"fmt"
	"maps"
	"slices"

	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// valueTable is a table of custom data values: of users, groups or roles.
// Every custom data rule — validation against the target's definitions,
// upserts and removals, the audit of each value changed, reading values
// back as JSON, filtering owners by them — is written once, here, over it.
type valueTable struct {
	table, owner string // the table and its owner column
	target       model.UdfTargetType
	audited      model.AuditObjectType
}

var (
	userValues  = valueTable{"user_udf_values", "user_id", model.UdfTargetUser, model.AuditUser}
	groupValues = valueTable{"group_udf_values", "group_id", model.UdfTargetGroup, model.AuditGroup}
	roleValues  = valueTable{"role_udf_values", "role_id", model.UdfTargetRole, model.AuditRole}
)

// defs returns the pool's custom field definitions for the table's target,
// by key.
func (vt valueTable) defs(tx *gorm.DB, poolID string) (map[string]*model.UdfDefinition, error) {
	var defs []*model.UdfDefinition
	if err := tx.Where("pool_id = ? AND target_type = ?", poolID, vt.target).Find(&defs).Error; err != nil {
		return nil, err
	}
	m := make(map[string]*model.UdfDefinition, len(defs))
	for _, d := range defs {
		m[d.Key] = d
	}
	return m, nil
}

// apply writes validated changes to an owner's custom data: upserts new
// values, deletes removed ones, and records each value that changed.
// current is the owner's custom data before (nil: none); it is updated to
// after, so changes applied one after another are recorded against each
// other.
func (vt valueTable) apply(tx *gorm.DB, poolID, ownerID string, changes []model.UdfChange, current model.CustomData) error {
	upsert := fmt.Sprintf(`INSERT INTO %[1]s (%[2]s, definition_id, pool_id, string_value, number_value, bool_value, time_value, object_value)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (%[2]s, definition_id) DO UPDATE SET string_value = excluded.string_value,
		number_value = excluded.number_value, bool_value = excluded.bool_value, time_value = excluded.time_value, object_value = excluded.object_value`,
		vt.table, vt.owner)
	remove := fmt.Sprintf("DELETE FROM %s WHERE %s = ? AND definition_id = ?", vt.table, vt.owner)
	for _, c := range changes {
		var after any
		if v := c.Value; v == nil {
			if err := tx.Exec(remove, ownerID, c.Def.ID).Error; err != nil {
				return err
			}
		} else {
			if err := tx.Exec(upsert, ownerID, c.Def.ID, poolID, v.StringValue, v.NumberValue, v.BoolValue, v.TimeValue, v.ObjectValue).Error; err != nil {
				return err
			}
			after = v.JSONValue()
		}
		before := current[c.Def.Key]
		if model.SameJSON(before, after) {
			continue
		}
		recordChanges(tx, poolID, vt.audited, ownerID, model.Change{Field: "customData." + c.Def.Key, Before: before, After: after})
		if current != nil {
			if after == nil {
				delete(current, c.Def.Key)
			} else {
				current[c.Def.Key] = after
			}
		}
	}
	return nil
}

// clear removes all of an owner's custom data, recording each value
// removed.
func (vt valueTable) clear(tx *gorm.DB, poolID, ownerID string) error {
	current, err := vt.of(tx, poolID, []string{ownerID})
	if err != nil {
		return err
	}
	data := current[ownerID]
	for _, k := range slices.Sorted(maps.Keys(data)) {
		recordChanges(tx, poolID, vt.audited, ownerID, model.Change{Field: "customData." + k, Before: data[k]})
	}
	return tx.Exec(fmt.Sprintf("DELETE FROM %s WHERE %s = ?", vt.table, vt.owner), ownerID).Error
}

// of reads the custom data of owners as JSON objects, in one statement;
// owners with none are absent from the map.
func (vt valueTable) of(tx *gorm.DB, poolID string, ownerIDs []string) (map[string]model.CustomData, error) {
	type row struct {
		model.UserUdfValue `gorm:"embedded"`
		Key                string
	}
	var rows []row
	err := tx.Raw(fmt.Sprintf(`SELECT v.%s AS user_id, v.definition_id, v.pool_id, v.string_value, v.number_value, v.bool_value,
		v.time_value, v.object_value, d.key FROM %s v JOIN udf_definitions d ON d.id = v.definition_id
		WHERE v.pool_id = ? AND v.%[1]s IN ?`, vt.owner, vt.table), poolID, ownerIDs).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	if err := query.ChargeTx(tx, len(rows)); err != nil {
		return nil, err
	}
	out := make(map[string]model.CustomData)
	for i := range rows {
		r := &rows[i]
		if out[r.UserID] == nil {
			out[r.UserID] = model.CustomData{}
		}
		out[r.UserID][r.Key] = r.UserUdfValue.JSONValue()
	}
	return out, nil
}

// matching compiles custom data conditions into subqueries, each selecting
// the ids of the owners that pass one: an index range of (definition,
// typed column), reading from (the value table as v; "" for the table
// itself, which the test of one owner names with its key index). field
// names the conditions' argument, for errors.
func (vt valueTable) matching(sub func() *gorm.DB, poolID string, preds []*model.CustomDataPred, field string) ([]func(from string) *gorm.DB, error) {
	if len(preds) == 0 {
		return nil, nil
	}
	defs, err := vt.defs(sub(), poolID)
	if err != nil {
		return nil, err
	}
	out := make([]func(from string) *gorm.DB, len(preds))
	for i, p := range preds {
		f := fmt.Sprintf("%s.%d", field, i)
		def, ok := defs[p.Key]
		if !ok {
			return nil, model.Invalid(f+".key", "no custom field %q is defined for %s", p.Key, vt.target)
		}
		col, eq, gte, lte, err := p.Predicate(def, f)
		if err != nil {
			return nil, err
		}
		out[i] = func(from string) *gorm.DB {
			if from == "" {
				from = vt.table + " v"
			}
			set := sub().Table(from).Select("v."+vt.owner).Where("v.definition_id = ?", def.ID)
			if eq != nil {
				set = set.Where("v."+col+" = ?", eq)
			}
			if gte != nil {
				set = set.Where("v."+col+" >= ?", gte)
			}
			if lte != nil {
				set = set.Where("v."+col+" <= ?", lte)
			}
			return set
		}
	}
	return out, nil
}
