package db

import (
	"context"

	"gorm.io/gorm"

	"usergraph/model"
)

// Archiving is the documents' soft delete (isDeleted, status Archived): an
// archived user keeps its record, memberships, custom data and grants, and
// its identifiers stay taken (it is still in the users table, under the
// same unique indexes), but it leaves every listing and search unless a
// filter asks for the Archived status, and it holds no token: archiving
// revokes the user's tokens for good (model.UserInput.Apply), and only
// Activated users' tokens are valid. Archiving and restoring are status
// changes, so they go through applyUpdate like any other: audited, and the
// search index kept in step (archived users are in no search table).

// ArchiveUsers archives users of the pool, all or nothing: an unknown id
// is NOT_FOUND on ids.N. Archiving an archived user changes nothing. It
// returns the users, in the order of ids.
func (s *Store) ArchiveUsers(ctx context.Context, poolID string, ids []string) ([]*model.User, error) {
	return s.setArchived(ctx, poolID, ids, true)
}

// RestoreUsers restores archived users of the pool to Activated, all or
// nothing; a user that is not archived is left as it is.
func (s *Store) RestoreUsers(ctx context.Context, poolID string, ids []string) ([]*model.User, error) {
	return s.setArchived(ctx, poolID, ids, false)
}

func (s *Store) setArchived(ctx context.Context, poolID string, asked []string, archive bool) ([]*model.User, error) {
	ids, err := model.ValidIDs("ids", asked)
	if err != nil {
		return nil, err
	}
	now := s.now()
	status := model.StatusActivated
	if archive {
		status = model.StatusArchived
	}
	out := make([]*model.User, 0, len(ids))
	err = s.write(ctx, func(tx *gorm.DB) error {
		out = out[:0] // a group commit may run this again (Store.write)
		var users []*model.User
		if err := tx.Where("pool_id = ? AND id IN ?", poolID, ids).Find(&users).Error; err != nil {
			return err
		}
		byID := make(map[string]*model.User, len(users))
		have := make([]string, len(users))
		for i, u := range users {
			byID[u.ID], have[i] = u, u.ID
		}
		if err := firstMissing(asked, have, "ids", "user", "this user pool"); err != nil {
			return err
		}
		for _, id := range ids {
			u := byID[id]
			if u.IsDeleted() != archive {
				in := &model.UserInput{Status: model.Set(&status)}
				if u, err = s.applyUpdate(tx, poolID, u, in, "", now); err != nil {
					return err
				}
			}
			out = append(out, u)
		}
		return nil
	})
	return out, err
}
