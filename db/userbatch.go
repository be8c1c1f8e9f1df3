package db

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/internal/password"
	"usergraph/model"
)

// BatchOptions are the options of a batch write (003's updateUserBatch
// options, plus atomicity).
type BatchOptions struct {
	// Atomic writes all items or none: one bad item fails the call.
	// Otherwise every good item is written and each bad one reported.
	Atomic bool
	// ResetPasswordOnNextLogin marks every written user so.
	ResetPasswordOnNextLogin bool
	// AutoGeneratePassword gives every item without a password a strong
	// random one, returned once in that item's result.
	AutoGeneratePassword bool
}

// UserUpdate is one item of an update batch: the user, by id or by a unique
// attribute, and the changes.
type UserUpdate struct {
	Key   model.UserKey // Field is "id", "username", "email", "phone" or "externalId"
	Input *model.UserInput
}

// BatchResult is one item's outcome, in input order.
type BatchResult struct {
	Index    int
	User     *model.User
	Password string       // a generated password, shown only here
	Err      *model.Error // why the item was not written (non-atomic mode)
}

// CreateUsers creates users in one transaction. Every item is validated and
// every password hashed before the transaction opens; uniqueness holds
// within the batch (two items with one email: the second fails) and against
// the database. Item errors carry Index and a field relative to the item.
func (s *Store) CreateUsers(ctx context.Context, poolID string, ins []*model.UserInput, opt BatchOptions) ([]BatchResult, error) {
	now := s.now()
	users := make([]*model.User, len(ins))
	var parents *parentCache
	return s.runBatch(ctx, len(ins), opt,
		func() { parents = newParentCache(poolID) }, // per run: what it caches a run may roll back
		func(i int) (*model.UserInput, error) {
			in := ins[i]
			prepareInput(in, opt)
			u, err := newUser(poolID, in, now)
			if err != nil {
				return nil, err
			}
			users[i] = u
			return in, nil
		},
		func(tx *gorm.DB, i int, hash string) (*model.User, error) {
			u, in := users[i], ins[i]
			if hash != "" {
				u.PasswordHash, u.PasswordLastSetAt = hash, &now
				if in.PasswordHash != "" && in.PasswordLastSetAt != nil {
					t := in.PasswordLastSetAt.UTC().Truncate(model.TimePrecision)
					u.PasswordLastSetAt = &t
				}
			}
			if err := tx.Omit(clause.Associations).Create(u).Error; err != nil {
				return nil, err
			}
			recordDiff(tx, poolID, model.AuditUser, u.ID, nil, u)
			if hash != "" {
				recordChanges(tx, poolID, model.AuditUser, u.ID, model.SecretChange("password", false, true))
			}
			if err := replaceIdentities(tx, u, in, now, true); err != nil {
				return nil, err
			}
			if err := s.db.eng.IndexCreated(tx, poolID, u.Hidden, []string{u.ID}); err != nil {
				return nil, err
			}
			if err := parents.join(tx, u.ID, in, now); err != nil {
				return nil, err
			}
			return u, mergeCustomData(tx, u, in, true)
		})
}

// UpdateUsers changes users in one transaction, each named by id or by a
// unique attribute (003's userIdType). An unknown user is NOT_FOUND on
// "userId"; other item errors name the input field as "input.<field>".
func (s *Store) UpdateUsers(ctx context.Context, poolID string, items []UserUpdate, opt BatchOptions) ([]BatchResult, error) {
	now := s.now()
	return s.runBatch(ctx, len(items), opt, nil,
		func(i int) (*model.UserInput, error) {
			in := items[i].Input
			prepareInput(in, opt)
			if err := in.Normalize(); err != nil {
				return nil, model.WithPrefix(err, "input")
			}
			return in, nil
		},
		func(tx *gorm.DB, i int, hash string) (*model.User, error) {
			u, err := s.updateOne(tx, poolID, items[i], hash, now)
			if me, ok := model.AsError(translate(err)); ok && me.Field != "userId" {
				return nil, model.WithPrefix(me, "input") // errors of the input, such as a taken email
			}
			return u, err
		})
}

// updateOne finds and changes one user of an update batch.
func (s *Store) updateOne(tx *gorm.DB, poolID string, it UserUpdate, hash string, now time.Time) (*model.User, error) {
	col, ok := keyColumns[it.Key.Field]
	if it.Key.Field == "id" {
		col, ok = "id", true
	}
	if !ok {
		return nil, model.Invalid("userIdType", "cannot find users by %q", it.Key.Field)
	}
	var u model.User
	if err := tx.Where("pool_id = ? AND "+col+" = ?", poolID, it.Key.Value).Take(&u).Error; err != nil {
		return nil, userNotFound(err, "userId", it.Key.Value)
	}
	return s.applyUpdate(tx, poolID, &u, it.Input, hash, now)
}

// applyUpdate changes a user read in tx (in place), as updateOne does.
func (s *Store) applyUpdate(tx *gorm.DB, poolID string, u *model.User, in *model.UserInput, hash string, now time.Time) (*model.User, error) {
	before, hadPassword, generation := model.Snapshot(u), u.PasswordHash != "", u.TokenGeneration
	wasArchived := u.Status == model.StatusArchived
	changed := in.Apply(u, now)
	if wasArchived != (u.Status == model.StatusArchived) {
		// Archiving hides a user and ends its tokens; restoring undoes
		// that: archiveUser's and restoreUser's scope, by whatever path.
		if err := model.Require(tx.Statement.Context, model.ScopeArchive, "status"); err != nil {
			return nil, err
		}
	}
	if !u.HasIdentifier() {
		return nil, errNoIdentifier()
	}
	if hash != "" {
		u.PasswordHash, u.PasswordLastSetAt = hash, &now
		changed = append(changed, "PasswordHash", "PasswordLastSetAt")
	}
	u.UpdatedAt = now
	changed = append(changed, "UpdatedAt")
	if err := tx.Model(u).Omit(clause.Associations).Select(changed).Updates(u).Error; err != nil {
		return nil, err
	}
	recordDiff(tx, poolID, model.AuditUser, u.ID, before, u)
	if hash != "" {
		recordChanges(tx, poolID, model.AuditUser, u.ID, model.SecretChange("password", hadPassword, true))
	}
	if u.TokenGeneration != generation {
		recordChanges(tx, poolID, model.AuditUser, u.ID, model.Change{Field: "tokens", After: "revoked"})
	}
	if err := s.db.eng.SyncSearch(tx, poolID, []string{u.ID}); err != nil {
		return nil, err
	}
	if err := replaceIdentities(tx, u, in, now, false); err != nil {
		return nil, err
	}
	return u, mergeCustomData(tx, u, in, false)
}

func errNoIdentifier() error {
	return model.Invalid("", "a user needs at least one of username, email, phone, externalId, unionid or openid")
}

// newUser validates a creation's input and makes the user it describes,
// not yet stored. Field names in errors are relative to the input.
func newUser(poolID string, in *model.UserInput, now time.Time) (*model.User, error) {
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	if err := checkImportedHash(in); err != nil {
		return nil, err
	}
	u := &model.User{ID: newID(), PoolID: poolID, Gender: model.GenderUnknown, Status: model.StatusActivated,
		UserSourceType: "adminCreated", CreatedAt: now, UpdatedAt: now}
	in.Apply(u, now)
	if !u.HasIdentifier() {
		return nil, errNoIdentifier()
	}
	if in.CreatedAt != nil {
		u.CreatedAt = in.CreatedAt.UTC().Truncate(model.TimePrecision)
	}
	if in.StatusChangedAt != nil && u.StatusChangedAt != nil {
		t := in.StatusChangedAt.UTC().Truncate(model.TimePrecision)
		u.StatusChangedAt = &t
	}
	return u, nil
}

// CheckNewUser validates a creation's input as CreateUsers does, without
// writing anything: an import checks every line before it writes any.
// Uniqueness against the database is checked when the user is written.
func CheckNewUser(in *model.UserInput) error {
	_, err := newUser("", in, time.Now())
	return err
}

// checkImportedHash refuses an imported password hash no check could ever
// verify (INVALID_INPUT on passwordHash), and one given with a password.
func checkImportedHash(in *model.UserInput) error {
	if in.PasswordHash == "" {
		return nil
	}
	if in.Password.IsSet() {
		return model.Invalid("passwordHash", "give a password or a password hash, not both")
	}
	if err := password.CheckHash(in.PasswordHash); err != nil {
		return model.Invalid("passwordHash", "%v", err)
	}
	return nil
}

// prepareInput applies the batch options to one item's input.
func prepareInput(in *model.UserInput, opt BatchOptions) {
	if opt.ResetPasswordOnNextLogin {
		in.RequireReset()
	}
	if opt.AutoGeneratePassword && !in.Password.IsSet() {
		in.SetGeneratedPassword(generatePassword())
	}
}

// runBatch is the engine of batch writes: prepare validates each item
// (outside any transaction), passwords are hashed in parallel (the hasher
// bounds how many at once), and write stores each prepared item in one
// transaction, which start (when given) begins: a transaction may run
// more than once (Store.write), and each run starts afresh. In non-atomic
// mode each item runs under a savepoint, so a failing item is rolled back
// alone.
func (s *Store) runBatch(ctx context.Context, n int, opt BatchOptions, start func(),
	prepare func(i int) (*model.UserInput, error),
	write func(tx *gorm.DB, i int, hash string) (*model.User, error),
) ([]BatchResult, error) {
	if n == 0 || n > model.MaxBatch {
		return nil, model.Invalid("users", "give 1 to %d users", model.MaxBatch)
	}
	results := make([]BatchResult, n)
	inputs := make([]*model.UserInput, n)
	for i := range n {
		results[i].Index = i
		in, err := prepare(i)
		if err != nil {
			if opt.Atomic {
				return nil, model.AtIndex(err, i)
			}
			results[i].Err = asModelError(err)
			continue
		}
		inputs[i] = in
		if in.GeneratedPassword {
			results[i].Password = *in.Password.Value()
		}
	}
	hashes, err := s.hashAll(ctx, inputs)
	if err != nil {
		return nil, err
	}
	for i, in := range inputs {
		if in != nil && in.PasswordHash != "" {
			hashes[i] = in.PasswordHash // imported, checked by prepare
		}
	}
	prepared := slices.Clone(results) // each item as prepare left it: a run starts from there
	err = s.write(ctx, func(tx *gorm.DB) error {
		if start != nil {
			start()
		}
		copy(results, prepared)
		audit := auditOf(tx)
		for i := range n {
			if inputs[i] == nil {
				continue
			}
			mark := audit.mark()
			if !opt.Atomic {
				if err := tx.SavePoint("item").Error; err != nil {
					return err
				}
			}
			u, err := write(tx, i, hashes[i])
			if err == nil {
				results[i].User = u
				continue
			}
			if opt.Atomic {
				return model.AtIndex(translate(err), i)
			}
			if rb := tx.RollbackTo("item").Error; rb != nil {
				return rb
			}
			audit.rollback(mark) // the item's records go with its changes
			results[i].Err, results[i].Password = asModelError(translate(err)), ""
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// hashAll hashes the passwords of the inputs in parallel, in input order.
func (s *Store) hashAll(ctx context.Context, inputs []*model.UserInput) ([]string, error) {
	hashes := make([]string, len(inputs))
	errs := make([]error, len(inputs))
	var wg sync.WaitGroup
	for i, in := range inputs {
		if in == nil || in.Password.Value() == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			hashes[i], errs[i] = s.hasher.Hash(ctx, *in.Password.Value())
		}()
	}
	wg.Wait()
	return hashes, errors.Join(errs...)
}

// asModelError turns an error into the client error that describes it; an
// unexpected error becomes INTERNAL without its text.
func asModelError(err error) *model.Error {
	if me, ok := model.AsError(err); ok {
		return me
	}
	return &model.Error{Code: model.CodeInternal, Message: "internal error"}
}

// withoutIndex drops the batch index from the error of a single-item call.
func withoutIndex(err error) error {
	me, ok := model.AsError(err)
	if !ok || me.Index == nil {
		return err
	}
	c := *me
	c.Index = nil
	return &c
}

// generatePassword returns a random password: 26 base32 characters, 130
// bits from crypto/rand.
func generatePassword() string { return rand.Text() }
