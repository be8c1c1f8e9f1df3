package db

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"usergraph/model"
)

// parentCache resolves the group and role codes imported users name, once
// per code in a batch, and makes each user a member of them.
type parentCache struct {
	poolID string
	groups map[string]*model.Group
	roles  map[[2]string]*model.Role // namespace, code
}

func newParentCache(poolID string) *parentCache {
	return &parentCache{poolID: poolID, groups: map[string]*model.Group{}, roles: map[[2]string]*model.Role{}}
}

// join makes the user a member of in's imported groups and roles. An
// unknown code is NOT_FOUND on groups.N or roles.N.
func (c *parentCache) join(tx *gorm.DB, userID string, in *model.UserInput, now time.Time) error {
	var groups []*model.Group
	for i, code := range in.Groups {
		g, ok := c.groups[code]
		if !ok {
			var err error
			if g, err = groupKind.byCode(tx, c.poolID, "", code, fmt.Sprintf("groups.%d", i)); err != nil {
				return err
			}
			c.groups[code] = g
		}
		groups = append(groups, g)
	}
	var roles []*model.Role
	for i, ref := range in.Roles {
		key := [2]string{model.NamespaceOrDefault(deref(ref.Namespace)), ref.Code}
		r, ok := c.roles[key]
		if !ok {
			var err error
			if r, err = roleKind.byCode(tx, c.poolID, key[0], ref.Code, fmt.Sprintf("roles.%d", i)); err != nil {
				return err
			}
			c.roles[key] = r
		}
		roles = append(roles, r)
	}
	if err := joinAll(tx, groupKind, c.poolID, userID, groups, now); err != nil {
		return err
	}
	return joinAll(tx, roleKind, c.poolID, userID, roles, now)
}

// joinAll makes a user a member of records of kind k, and records it.
func joinAll[T any](tx *gorm.DB, k parentKind[T], poolID, userID string, records []*T, now time.Time) error {
	if len(records) == 0 {
		return nil
	}
	changed, err := k.members.add(tx, poolID, k.ids(records), []string{userID}, now)
	k.recordMemberships(tx, poolID, records, changed, true)
	return err
}

// UsersAfter returns up to limit of the pool's users in creation order
// (created_at, id), after the user after (nil: from the first), every
// column read, the password hash included: the export's walk. Each call
// is one range of ix_users_by_created, so a walk over a million users costs
// the same per page at its end as at its start.
func (s *Store) UsersAfter(ctx context.Context, poolID string, after *model.User, limit int) ([]*model.User, error) {
	q := s.read(ctx).Where("pool_id = ?", poolID)
	if after != nil {
		q = q.Where("(created_at > ? OR (created_at = ? AND id > ?))", after.CreatedAt, after.CreatedAt, after.ID)
	}
	var users []*model.User
	err := q.Order("created_at, id").Limit(limit).Find(&users).Error
	return users, translate(err)
}
