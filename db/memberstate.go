package db

import "gorm.io/gorm"

// A group membership carries its user's status and hidden flag
// (model.GroupMember), so that a group filter with them is counted from
// the memberships' index alone (filter.go, intoGroup). Triggers keep the
// copies equal to the users' own, in the writing transaction — set when a
// membership is made, changed with the user — so that no write path,
// present or future, can leave them stale; each engine writes its own
// (migrateMemberState).

// migrateMemberState creates the engine's triggers and, when the
// memberships have just gained the copies (had is false), fills them in.
func migrateMemberState(tx *gorm.DB, eng engine, had bool) error {
	if err := eng.migrateMemberState(tx); err != nil {
		return err
	}
	if had {
		return nil
	}
	return tx.Exec(`UPDATE group_members SET user_status = u.status, user_hidden = u.hidden
		FROM users u WHERE u.id = group_members.user_id`).Error
}

// hasMemberState reports whether the memberships already carry the copies,
// before Migrate adds them.
func hasMemberState(tx *gorm.DB) bool {
	return tx.Migrator().HasColumn("group_members", "user_status")
}
