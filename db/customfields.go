package db

import (
	"context"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/model"
)

// SetUdf creates or changes a custom field definition. Changing the data
// type of a field that already has values is refused (INVALID_INPUT on
// dataType): stored values would no longer match it, and converting them
// silently could lose data. Remove the field (and its values) first.
func (s *Store) SetUdf(ctx context.Context, poolID string, def model.UdfDefinition) (*model.UdfDefinition, error) {
	key, err := model.ValidUdfKey("key", def.Key)
	if err != nil {
		return nil, err
	}
	if err := def.Check(); err != nil {
		return nil, err
	}
	var out model.UdfDefinition
	err = s.write(ctx, func(tx *gorm.DB) error {
		now := s.now()
		err := tx.Where("pool_id = ? AND target_type = ? AND key = ?", poolID, def.TargetType, key).Take(&out).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			var n int64
			if err := tx.Model(&model.UdfDefinition{}).Where("pool_id = ? AND target_type = ?", poolID, def.TargetType).Count(&n).Error; err != nil {
				return err
			}
			if n >= model.MaxUdfDefinitions {
				return model.Invalid("key", "this user pool already defines %d custom fields for %s, the most it may", n, def.TargetType)
			}
			out = model.UdfDefinition{ID: newID(), PoolID: poolID, TargetType: def.TargetType, Key: key, DataType: def.DataType,
				Label: def.Label, Description: def.Description, CreatedAt: now, UpdatedAt: now}
			recordDiff(tx, poolID, model.AuditUdf, out.ID, nil, &out)
			return tx.Omit(clause.Associations).Create(&out).Error
		}
		if err != nil {
			return err
		}
		if out.DataType != def.DataType {
			var n int64
			if err := tx.Model(&model.UserUdfValue{}).Where("definition_id = ?", out.ID).Limit(1).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return model.Invalid("dataType", "custom field %q has values of type %s; remove the field first to change its type", key, out.DataType)
			}
		}
		before := model.Snapshot(&out)
		out.DataType, out.Label, out.Description, out.UpdatedAt = def.DataType, def.Label, def.Description, now
		recordDiff(tx, poolID, model.AuditUdf, out.ID, before, &out)
		return tx.Model(&out).Select("DataType", "Label", "Description", "UpdatedAt").Updates(&out).Error
	})
	return &out, err
}

// RemoveUdf deletes a custom field definition and, through its foreign key,
// every value stored under it.
func (s *Store) RemoveUdf(ctx context.Context, poolID string, target model.UdfTargetType, key string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var def model.UdfDefinition
		err := tx.Where("pool_id = ? AND target_type = ? AND key = ?", poolID, target, key).Take(&def).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return model.NotFound("key", "no custom field %q is defined for %s", key, target)
		}
		if err != nil {
			return err
		}
		recordDiff(tx, poolID, model.AuditUdf, def.ID, &def, nil)
		return tx.Delete(&model.UdfDefinition{}, "id = ?", def.ID).Error
	})
}

// ListUdf returns the pool's custom field definitions for a target, by key.
func (s *Store) ListUdf(ctx context.Context, poolID string, target model.UdfTargetType) ([]*model.UdfDefinition, error) {
	var defs []*model.UdfDefinition
	err := s.read(ctx).Where("pool_id = ? AND target_type = ?", poolID, target).Order("key").Find(&defs).Error
	return defs, translate(err)
}

// SetCustomData merges custom data into users' records in one transaction:
// every item is validated first, and one bad item (an undefined key, a
// value of the wrong type, an unknown user) changes nothing. Errors name the
// item by Index and the field in it: userId, or data.<key>. It returns each
// user's custom data after the change, in item order.
func (s *Store) SetCustomData(ctx context.Context, poolID string, items []*model.UserCustomData) ([]*model.UserCustomData, error) {
	if len(items) == 0 || len(items) > model.MaxBatch {
		return nil, model.Invalid("", "give 1 to %d items", model.MaxBatch)
	}
	var out []*model.UserCustomData
	err := s.write(ctx, func(tx *gorm.DB) error {
		defs, err := userValues.defs(tx, poolID)
		if err != nil {
			return err
		}
		changes := make([][]model.UdfChange, len(items))
		ids := make([]string, len(items))
		for i, it := range items {
			if changes[i], err = model.CheckCustomData(it.Data, defs); err != nil {
				return model.AtIndex(model.WithPrefix(err, "data"), i)
			}
			ids[i] = it.UserID
		}
		have, err := existingUsers(tx, poolID, ids)
		if err != nil {
			return err
		}
		for i, id := range ids {
			if !have[id] {
				return model.AtIndex(noUser("userId", id), i)
			}
		}
		current, err := userValues.of(tx, poolID, ids)
		if err != nil {
			return err
		}
		for i, it := range items {
			if current[it.UserID] == nil {
				current[it.UserID] = model.CustomData{}
			}
			if err := userValues.apply(tx, poolID, it.UserID, changes[i], current[it.UserID]); err != nil {
				return err
			}
		}
		data, err := userValues.of(tx, poolID, ids)
		if err != nil {
			return err
		}
		for i, id := range ids {
			if err := model.CheckCustomDataSize("data", data[id]); err != nil {
				return model.AtIndex(err, i)
			}
		}
		out = withCustomData(ids, data)
		return nil
	})
	return out, err
}

// RemoveCustomData removes one key from a user's custom data (a no-op when
// the user has no value for it) and returns the custom data after.
func (s *Store) RemoveCustomData(ctx context.Context, poolID, userID, key string) (model.CustomData, error) {
	var out model.CustomData
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := requireUser(tx, poolID, userID); err != nil {
			return err
		}
		defs, err := userValues.defs(tx, poolID)
		if err != nil {
			return err
		}
		def, ok := defs[key]
		if !ok {
			return model.Invalid("key", "no custom field %q is defined for users in this pool", key)
		}
		current, err := userValues.of(tx, poolID, []string{userID})
		if err != nil {
			return err
		}
		if err := userValues.apply(tx, poolID, userID, []model.UdfChange{{Def: def}}, current[userID]); err != nil {
			return err
		}
		data, err := userValues.of(tx, poolID, []string{userID})
		out = orEmpty(data[userID])
		return err
	})
	return out, err
}

// CustomDataByUserIDs returns each user's custom data in one statement.
// Users with none are absent from the map.
func (s *Store) CustomDataByUserIDs(ctx context.Context, poolID string, userIDs []string) (map[string]model.CustomData, error) {
	return userValues.of(s.read(ctx), poolID, userIDs)
}

// CustomDataOfEachUser returns the custom data of users, in order, failing with
// NOT_FOUND (userIds.N) on an unknown user.
func (s *Store) CustomDataOfEachUser(ctx context.Context, poolID string, userIDs []string) ([]*model.UserCustomData, error) {
	if len(userIDs) == 0 || len(userIDs) > model.MaxBatch {
		return nil, model.Invalid("userIds", "give 1 to %d ids", model.MaxBatch)
	}
	r := s.read(ctx)
	if err := requireUsers(r, poolID, userIDs, "userIds"); err != nil {
		return nil, translate(err)
	}
	data, err := userValues.of(r, poolID, userIDs)
	if err != nil {
		return nil, err
	}
	return withCustomData(userIDs, data), nil
}

// withCustomData pairs each user id with its custom data (an empty object
// for a user without any).
func withCustomData(ids []string, data map[string]model.CustomData) []*model.UserCustomData {
	out := make([]*model.UserCustomData, len(ids))
	for i, id := range ids {
		out[i] = &model.UserCustomData{UserID: id, Data: orEmpty(data[id])}
	}
	return out
}

func orEmpty(d model.CustomData) model.CustomData {
	if d == nil {
		return model.CustomData{}
	}
	return d
}
