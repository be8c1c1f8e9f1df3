package db

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	"usergraph/model"
)

// Writes check that what they name exists before they change anything, so
// a bad id fails the whole call with NOT_FOUND on the id's field.

// requireUser fails with NOT_FOUND on userId unless the user is in the pool.
func requireUser(tx *gorm.DB, poolID, userID string) error {
	var n int64
	if err := tx.Model(&model.User{}).Where("pool_id = ? AND id = ?", poolID, userID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return noUser("userId", userID)
	}
	return nil
}

// requireUsers fails with NOT_FOUND naming the first id (field.N) that is
// not a user of the pool.
func requireUsers(tx *gorm.DB, poolID string, ids []string, field string) error {
	have, err := existingUsers(tx, poolID, ids)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if !have[id] {
			return noUser(fmt.Sprintf("%s.%d", field, i), id)
		}
	}
	return nil
}

// existingUsers reports which of ids are users of the pool.
func existingUsers(tx *gorm.DB, poolID string, ids []string) (map[string]bool, error) {
	var found []string
	if err := tx.Model(&model.User{}).Where("pool_id = ? AND id IN ?", poolID, ids).Pluck("id", &found).Error; err != nil {
		return nil, err
	}
	have := make(map[string]bool, len(found))
	for _, id := range found {
		have[id] = true
	}
	return have, nil
}

// firstMissing returns NOT_FOUND naming the first of want not in got as
// field.N, N its index in want; noun and where word the message.
func firstMissing(want, got []string, field, noun, where string) error {
	have := make(map[string]bool, len(got))
	for _, g := range got {
		have[g] = true
	}
	for i, w := range want {
		if !have[w] {
			return model.NotFoundOf(noun, fmt.Sprintf("%s.%d", field, i), "no %s %q in %s", noun, w, where)
		}
	}
	return nil
}

// noUser is NOT_FOUND on field for a user id unknown in the pool.
func noUser(field, id string) error {
	return model.NotFoundOf("user", field, "no user %q in this user pool", id)
}

// userNotFound turns gorm's not-found into noUser.
func userNotFound(err error, field, id string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return noUser(field, id)
	}
	return err
}
