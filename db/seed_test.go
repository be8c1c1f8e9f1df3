package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/db"
	"usergraph/model"
)

// seed fills a pool with n synthetic users, for benchmarks: usernames
// user0000001…, emails at example.com, a unique phone with 7 scattered digits, one of
// 50 companies, a nickname of two words; 5% Suspended, 1% hidden; each user
// in 2 of 20 groups and 1 of 10 roles, with an "age" custom value (NUMBER).
// It writes in bulk, bypassing the store's per-user transactions, then
// rebuilds the search index. Deterministic for a given n.
func seed(ctx context.Context, d *db.DB, store *db.Store, poolID string, n int) error {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	words := []string{"red", "blue", "green", "swift", "quiet", "bold", "lucky", "brave", "calm", "wild", "tiny", "grand"}
	tx := d.Writer().WithContext(ctx)
	var groupIDs, roleIDs []string
	for i := range 20 {
		code := fmt.Sprintf("team%02d", i)
		g, err := store.CreateGroup(ctx, poolID, model.GroupInput{Code: model.Set(&code)})
		if err != nil {
			return err
		}
		groupIDs = append(groupIDs, g.ID)
		if i < 10 {
			rc := fmt.Sprintf("role%02d", i)
			ro, err := store.CreateRole(ctx, poolID, "", model.RoleInput{Code: model.Set(&rc)})
			if err != nil {
				return err
			}
			roleIDs = append(roleIDs, ro.ID)
		}
	}
	age, err := store.SetUdf(ctx, poolID, model.UdfDefinition{TargetType: model.UdfTargetUser, Key: "age", DataType: model.UdfNumber})
	if err != nil {
		return err
	}
	const batch = 500
	base := time.Now().UTC().Add(-time.Duration(n) * time.Second).Truncate(model.TimePrecision)
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		users := make([]*model.User, 0, end-start)
		var gm []*model.GroupMember
		var rm []*model.RoleMember
		var vals []*model.UserUdfValue
		for i := start; i < end; i++ {
			created := base.Add(time.Duration(i) * time.Second)
			u := &model.User{
				ID: uuid.Must(uuid.NewV7()).String(), PoolID: poolID,
				Username: ptr(fmt.Sprintf("user%07d", i)), Email: ptr(fmt.Sprintf("user%07d@example.com", i)),
				Phone:    ptr(fmt.Sprintf("+1555%07d", (i*7919+12345)%10_000_000)), // a permutation: unique
				Nickname: ptr(words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]),
				Company:  ptr(fmt.Sprintf("Company %02d", r.IntN(50))),
				Gender:   model.GenderUnknown, Status: model.StatusActivated, UserSourceType: "adminCreated",
				Hidden: r.IntN(100) == 0, EmailVerified: r.IntN(2) == 0,
				CreatedAt: created, UpdatedAt: created, RegisterSource: []string{},
			}
			if r.IntN(20) == 0 {
				u.Status = model.StatusSuspended
			}
			if r.IntN(3) > 0 {
				ll := created.Add(time.Duration(r.IntN(1000)) * time.Hour)
				u.LastLogin = &ll
			}
			users = append(users, u)
			g1 := r.IntN(20)
			g2 := (g1 + 1 + r.IntN(19)) % 20
			for _, g := range []int{g1, g2} {
				gm = append(gm, &model.GroupMember{GroupID: groupIDs[g], UserID: u.ID, PoolID: poolID, CreatedAt: created})
			}
			rm = append(rm, &model.RoleMember{RoleID: roleIDs[r.IntN(10)], UserID: u.ID, PoolID: poolID, CreatedAt: created})
			a := float64(18 + r.IntN(60))
			vals = append(vals, &model.UserUdfValue{UserID: u.ID, DefinitionID: age.ID, PoolID: poolID, NumberValue: &a})
		}
		err := tx.Transaction(func(tx *gorm.DB) error {
			for _, rows := range []any{users, gm, rm, vals} {
				if err := tx.Omit(clause.Associations).CreateInBatches(rows, 100).Error; err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return d.RebuildSearchIndex(ctx, poolID)
}
