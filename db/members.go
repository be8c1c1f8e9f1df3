package db

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// membership describes a member table: which users belong to which groups,
// or to which roles, and which groups have which roles. Every membership
// operation is written once, over it.
type membership struct {
	table       string // the member table
	parentCol   string // its column naming the group or role
	parentTable string // the groups or roles table
	memberCol   string // its column naming the member: user_id, or group_id
}

var (
	groupMembers = membership{table: "group_members", parentCol: "group_id", parentTable: "groups", memberCol: "user_id"}
	roleMembers  = membership{table: "role_members", parentCol: "role_id", parentTable: "roles", memberCol: "user_id"}
	groupRoles   = membership{table: "group_roles", parentCol: "role_id", parentTable: "roles", memberCol: "group_id"}
)

// joined is one membership gained or lost: a user (or a group, for
// groupRoles) in a group or role.
type joined struct {
	ParentID string
	UserID   string // the member
}

// change adds (add) or removes the memberships of users in parents and
// returns the memberships it changed (not those that already were, or
// were not).
func (m membership) change(tx *gorm.DB, poolID string, parentIDs, userIDs []string, now time.Time, add bool) ([]joined, error) {
	if add {
		return m.add(tx, poolID, parentIDs, userIDs, now)
	}
	return m.remove(tx, poolID, parentIDs, userIDs)
}

// add makes every user a member of every parent; existing memberships are
// left as they are (adding twice is a no-op, not an error).
func (m membership) add(tx *gorm.DB, poolID string, parentIDs, userIDs []string, now time.Time) ([]joined, error) {
	const perStatement = 200 // 4 parameters a row, well under every engine's limit
	var rows []string
	var args []any
	var changed []joined
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		sql := fmt.Sprintf("INSERT INTO %s (%s, %s, pool_id, created_at) VALUES %s ON CONFLICT DO NOTHING RETURNING %[2]s AS parent_id, %[3]s AS user_id",
			m.table, m.parentCol, m.memberCol, strings.Join(rows, ","))
		var got []joined
		err := tx.Raw(sql, args...).Scan(&got).Error
		changed = append(changed, got...)
		rows, args = rows[:0], args[:0]
		return err
	}
	for _, p := range parentIDs {
		for _, u := range userIDs {
			rows = append(rows, "(?, ?, ?, ?)")
			args = append(args, p, u, poolID, now)
			if len(rows) == perStatement {
				if err := flush(); err != nil {
					return nil, err
				}
			}
		}
	}
	return changed, flush()
}

// remove ends every user's membership of every parent; absent memberships
// are ignored.
func (m membership) remove(tx *gorm.DB, poolID string, parentIDs, userIDs []string) ([]joined, error) {
	var changed []joined
	err := tx.Raw(fmt.Sprintf("DELETE FROM %s WHERE pool_id = ? AND %[2]s IN ? AND %[3]s IN ? RETURNING %[2]s AS parent_id, %[3]s AS user_id", m.table, m.parentCol, m.memberCol),
		poolID, parentIDs, userIDs).Scan(&changed).Error
	return changed, err
}

// page returns one page of the members of each parent, in the order they
// joined, and each parent's member count, leaving archived users out as
// every listing does: two statements for any number of parents. The page
// is a UNION ALL of one LIMITed index range per parent, so each part stops
// after its page however large the group (a window function would number
// every member of every parent first). The count counts the parent's
// memberships by its index and takes away its archived members, found
// from the few archived users of the pool, so a large group or role is
// not read user by user.
func (m membership) page(ctx context.Context, r *gorm.DB, poolID string, parentIDs []string, p model.Page, cols []string) (map[string][]*model.User, map[string]int, error) {
	var counts []parentCount
	err := r.WithContext(ctx).Raw(fmt.Sprintf(`SELECT m.%[1]s AS parent_id, COUNT(*) - (SELECT COUNT(*) FROM users u
			JOIN %[2]s a ON a.%[1]s = m.%[1]s AND a.user_id = u.id WHERE u.pool_id = ? AND u.status = ?) AS n
		FROM %[2]s m WHERE m.pool_id = ? AND m.%[1]s IN ? GROUP BY m.%[1]s`, m.parentCol, m.table),
		poolID, model.StatusArchived, poolID, parentIDs).Scan(&counts).Error
	if err != nil {
		return nil, nil, translate(err)
	}
	part := fmt.Sprintf(`SELECT * FROM (SELECT %[3]s, m.%[1]s AS parent_id, m.created_at AS member_since FROM %[2]s m
		JOIN users u ON u.id = m.user_id WHERE m.pool_id = ? AND m.%[1]s = ? AND u.status <> ?
		ORDER BY m.created_at, m.user_id LIMIT ? OFFSET ?) p%%d`, m.parentCol, m.table, strings.Join(query.Qualified("u", cols), ", "))
	return memberPages(ctx, r, counts, p, part, func(id string) []any { return []any{poolID, id, model.StatusArchived, p.Limit, p.Offset()} })
}

// parentCount is a parent's member count.
type parentCount struct {
	ParentID string
	N        int
}

// memberPages runs the second statement of member pages: a UNION ALL of
// one part per parent with members past the page's offset — part is one
// parent's page (%d for its alias), selecting parent_id and member_since
// besides the users' columns, with partArgs its arguments — in joining
// order within each parent. It returns each parent's users and count.
func memberPages(ctx context.Context, r *gorm.DB, counts []parentCount, p model.Page, part string, partArgs func(parentID string) []any) (map[string][]*model.User, map[string]int, error) {
	total := make(map[string]int, len(counts))
	var nonEmpty []string
	for _, c := range counts {
		total[c.ParentID] = c.N
		if c.N > p.Offset() {
			nonEmpty = append(nonEmpty, c.ParentID)
		}
	}
	users := make(map[string][]*model.User, len(counts))
	if len(nonEmpty) == 0 {
		return users, total, nil
	}
	parts := make([]string, len(nonEmpty))
	var args []any
	for i, id := range nonEmpty {
		parts[i] = fmt.Sprintf(part, i)
		args = append(args, partArgs(id)...)
	}
	type memberRow struct {
		model.User `gorm:"embedded"`
		ParentID   string
	}
	var rows []memberRow
	// UNION ALL promises no order: the outer ORDER BY restores joining
	// order within each parent (as SQL sorts member_since, which SQLite
	// hands back as text for an aggregate).
	err := r.WithContext(ctx).Raw(strings.Join(parts, " UNION ALL ")+" ORDER BY parent_id, member_since, id", args...).Scan(&rows).Error
	if err != nil {
		return nil, nil, translate(err)
	}
	if err := query.Charge(ctx, len(rows)); err != nil {
		return nil, nil, err
	}
	for i := range rows {
		users[rows[i].ParentID] = append(users[rows[i].ParentID], &rows[i].User)
	}
	return users, total, nil
}

// ofUsers returns, for each member (a user; a group for groupRoles), the
// parents (groups or roles) it belongs to, ordered by code: one statement
// for any number of members. T is the parent's model type.
func ofUsers[T any](ctx context.Context, r *gorm.DB, m membership, poolID string, userIDs []string, cols ...string) (map[string][]*T, error) {
	out := make(map[string][]*T, len(userIDs))
	var member string
	n := 0
	err := query.Rows(r.WithContext(ctx).Raw(fmt.Sprintf(`SELECT %[5]s, m.%[4]s AS member_user_id FROM %[1]s m JOIN %[2]s p ON p.id = m.%[3]s
		WHERE m.pool_id = ? AND m.%[4]s IN ? ORDER BY p.code, p.id`, m.table, m.parentTable, m.parentCol, m.memberCol, selectList("p", cols)), poolID, userIDs),
		func(*T) []any { return []any{&member} },
		func(p *T) { out[member] = append(out[member], p); n++ })
	if err != nil {
		return nil, translate(err)
	}
	if err := query.Charge(ctx, n); err != nil {
		return nil, err
	}
	return out, nil
}

// selectList is the select list of table alias t's columns cols, every
// column (t.*) when cols is empty. The columns come from model's column
// maps, never from a client; one that is not a plain column name is a
// programming error, refused before it could reach SQL.
func selectList(t string, cols []string) string {
	if len(cols) == 0 {
		return t + ".*"
	}
	for _, c := range cols {
		if !columnName.MatchString(c) {
			panic("not a column name: " + c)
		}
	}
	return t + "." + strings.Join(cols, ", "+t+".")
}

var columnName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
