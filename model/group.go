package model

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	// Inputs gqlgen binds here use its Omittable to tell an absent field
	// from an explicit null (see UserInput).
	"github.com/99designs/gqlgen/graphql"
)

// MaxBatch bounds the items one call may name: ids to read or delete,
// codes to add, members to add.
const MaxBatch = 1000

// Group is a named set of users, identified in its pool by Code.
type Group struct {
	ID          string  `json:"id" gorm:"primaryKey;size:36"`
	PoolID      string  `json:"-" gorm:"size:36;not null;uniqueIndex:ux_groups_code,priority:1;index:ix_groups_created,priority:1"`
	Code        string  `json:"code" gorm:"size:64;not null;uniqueIndex:ux_groups_code,priority:2"`
	Name        *string `json:"name" gorm:"size:255"`
	Description *string `json:"description" gorm:"size:1000"`
	// ParentID is the group's parent in the group tree (nil: a root).
	// Members of a group hold the roles and grants of its ancestors too.
	ParentID  *string   `json:"parentId" gorm:"size:36;index:ix_groups_parent"`
	CreatedAt time.Time `json:"createdAt" gorm:"not null;index:ix_groups_created,priority:2"`
	UpdatedAt time.Time `json:"updatedAt" gorm:"not null"`

	Pool *UserPool `json:"-" gorm:"foreignKey:PoolID;constraint:OnDelete:CASCADE"`
}

// GroupClosure is the group tree's transitive closure: a row for every
// (ancestor, descendant) pair, a group its own at depth 0. "The groups a
// user's groups descend from" and "every group under this one" are then
// one indexed join each, with no recursion, on both engines.
type GroupClosure struct {
	AncestorID   string `gorm:"primaryKey;size:36"`
	DescendantID string `gorm:"primaryKey;size:36;index"`
	PoolID       string `gorm:"size:36;not null"`
	Depth        int    `gorm:"not null"`

	Ancestor   *Group `gorm:"foreignKey:AncestorID;constraint:OnDelete:CASCADE"`
	Descendant *Group `gorm:"foreignKey:DescendantID;constraint:OnDelete:CASCADE"`
}

// MaxGroupDepth bounds the group tree: a group at most this many levels
// below a root (so ancestors lists are bounded).
const MaxGroupDepth = 32

// Namespace groups the roles and resources of one application. Its code is
// fixed once created; every pool has a namespace with code "default".
type Namespace struct {
	ID          string    `json:"id" gorm:"primaryKey;size:36"`
	PoolID      string    `json:"-" gorm:"size:36;not null;uniqueIndex:ux_namespaces_code,priority:1"`
	Code        string    `json:"code" gorm:"size:64;not null;uniqueIndex:ux_namespaces_code,priority:2"`
	Name        *string   `json:"name" gorm:"size:255"`
	Description *string   `json:"description" gorm:"size:1000"`
	CreatedAt   time.Time `json:"createdAt" gorm:"not null"`
	UpdatedAt   time.Time `json:"updatedAt" gorm:"not null"`

	Pool *UserPool `json:"-" gorm:"foreignKey:PoolID;constraint:OnDelete:CASCADE"`
}

// DefaultNamespace is the code of the namespace every pool has, used when a
// call names none.
const DefaultNamespace = "default"

// Role is a named set of users in a namespace, identified by Code within it.
// Namespace repeats the namespace's (immutable) code so roles are found by
// (namespace, code) without a join.
type Role struct {
	ID          string    `json:"id" gorm:"primaryKey;size:36"`
	PoolID      string    `json:"-" gorm:"size:36;not null;uniqueIndex:ux_roles_code,priority:1"`
	NamespaceID string    `json:"-" gorm:"size:36;not null;index"`
	Namespace   string    `json:"namespace" gorm:"size:64;not null;uniqueIndex:ux_roles_code,priority:2"`
	Code        string    `json:"code" gorm:"size:64;not null;uniqueIndex:ux_roles_code,priority:3"`
	Description *string   `json:"description" gorm:"size:1000"`
	CreatedAt   time.Time `json:"createdAt" gorm:"not null"`
	UpdatedAt   time.Time `json:"updatedAt" gorm:"not null"`

	NS *Namespace `json:"-" gorm:"foreignKey:NamespaceID;constraint:OnDelete:CASCADE"`
}

// GroupMember and RoleMember are memberships. Their foreign keys delete them
// with their group, role or user.
//
// The (parent, created_at, user_id) index serves member pages in joining
// order without a sort; the (user_id, pool_id, parent) one serves a page of
// users' groups or roles from the index alone, without reading the
// membership rows (a third of the cost of a page's groups).
//
// A group membership also carries its user's status and hidden flag,
// which triggers keep equal to the user's (db: migrateMemberState), so
// that the console's commonest filters — a group's live members, its
// suspended or visible ones — are counted from the (group, status,
// hidden) index alone, reading as many index entries as there are
// matching members rather than every member's user row.
type GroupMember struct {
	GroupID    string     `gorm:"primaryKey;size:36;index:ix_group_members_order,priority:1;index:ix_group_members_user,priority:3;index:ix_group_members_state,priority:1"`
	UserID     string     `gorm:"primaryKey;size:36;index:ix_group_members_order,priority:3;index:ix_group_members_user,priority:1;index:ix_group_members_state,priority:4"`
	PoolID     string     `gorm:"size:36;not null;index:ix_group_members_user,priority:2"`
	CreatedAt  time.Time  `gorm:"not null;index:ix_group_members_order,priority:2"`
	UserStatus UserStatus `gorm:"size:16;not null;default:Activated;index:ix_group_members_state,priority:2"`
	UserHidden bool       `gorm:"not null;default:false;index:ix_group_members_state,priority:3"`

	Group *Group `gorm:"foreignKey:GroupID;constraint:OnDelete:CASCADE"`
	User  *User  `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
}

// GroupRole gives a role to a group: every member of the group holds the
// role (and what is granted to it) for as long as both memberships last.
// The role_id index serves "who holds this role through a group".
type GroupRole struct {
	GroupID   string    `gorm:"primaryKey;size:36"`
	RoleID    string    `gorm:"primaryKey;size:36;index"`
	PoolID    string    `gorm:"size:36;not null;index:ix_group_roles_pool"` // does the pool give roles through groups at all (HeldRolesByUserIDs)
	CreatedAt time.Time `gorm:"not null"`

	Group *Group `gorm:"foreignKey:GroupID;constraint:OnDelete:CASCADE"`
	Role  *Role  `gorm:"foreignKey:RoleID;constraint:OnDelete:CASCADE"`
}

// HeldRole is a role a user holds, and how: directly, through groups
// that have it, or both.
type HeldRole struct {
	Role   *Role    `json:"role"`
	Direct bool     `json:"direct"`
	Groups []string `json:"groups"` // the codes of the user's groups that have the role
}

// RoleMember is a user's membership in a role.
type RoleMember struct {
	RoleID    string    `gorm:"primaryKey;size:36;index:ix_role_members_order,priority:1;index:ix_role_members_user,priority:3"`
	UserID    string    `gorm:"primaryKey;size:36;index:ix_role_members_order,priority:3;index:ix_role_members_user,priority:1"`
	PoolID    string    `gorm:"size:36;not null;index:ix_role_members_user,priority:2"`
	CreatedAt time.Time `gorm:"not null;index:ix_role_members_order,priority:2"`

	Role *Role `gorm:"foreignKey:RoleID;constraint:OnDelete:CASCADE"`
	User *User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,64}$`)

// ValidCode trims a group, role or namespace code and checks it: 1 to 64
// letters, digits, '_', '.', ':' or '-'.
func ValidCode(field, code string) (string, error) {
	code = strings.TrimSpace(code)
	if !codePattern.MatchString(code) {
		return "", Invalid(field, "a code must be 1 to 64 letters, digits, '_', '.', ':' or '-'")
	}
	return code, nil
}

// ValidCodes checks a list of codes (1 to MaxBatch) and drops repeats,
// keeping the first of each. Errors name the item: field.N.
func ValidCodes(field string, codes []string) ([]string, error) {
	return validList(field, "codes", codes, ValidCode)
}

// ValidIDs checks a list of ids (1 to MaxBatch) and drops repeats.
func ValidIDs(field string, ids []string) ([]string, error) {
	return validList(field, "ids", ids, func(_, id string) (string, error) { return id, nil })
}

// validList checks a list argument of 1 to MaxBatch items, each by check
// (given the item's field, field.N), and drops repeats, keeping the first
// of each.
func validList(field, noun string, items []string, check func(field, item string) (string, error)) ([]string, error) {
	if len(items) == 0 || len(items) > MaxBatch {
		return nil, Invalid(field, "give 1 to %d %s", MaxBatch, noun)
	}
	seen := make(map[string]bool, len(items))
	out := make([]string, 0, len(items))
	for i, it := range items {
		it, err := check(field+"."+strconv.Itoa(i), it)
		if err != nil {
			return nil, err
		}
		if !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	return out, nil
}

// GroupInput creates or changes a group. On update an absent field is
// untouched and a null name or description clears it.
type GroupInput struct {
	Code        graphql.Omittable[*string] `json:"code"`
	Name        graphql.Omittable[*string] `json:"name"`
	Description graphql.Omittable[*string] `json:"description"`
	// Parent is the parent group's code; null makes the group a root.
	Parent graphql.Omittable[*string] `json:"parent"`
}

// RoleInput changes a role.
type RoleInput struct {
	Code        graphql.Omittable[*string] `json:"code"`
	Description graphql.Omittable[*string] `json:"description"`
}

// NamespaceInput changes a namespace (its code is fixed).
type NamespaceInput struct {
	Name        graphql.Omittable[*string] `json:"name"`
	Description graphql.Omittable[*string] `json:"description"`
}

// Text bounds for names and descriptions.
const (
	MaxNameLength        = 255
	MaxDescriptionLength = 1000
)

// applyCode validates a code change: a code may change but not be cleared.
func applyCode(dst *string, in graphql.Omittable[*string]) (bool, error) {
	v, set := in.ValueOK()
	if !set {
		return false, nil
	}
	if v == nil {
		return false, Invalid("code", "cannot be null")
	}
	c, err := ValidCode("code", *v)
	if err != nil {
		return false, err
	}
	*dst = c
	return true, nil
}

// applyText validates and applies an optional text field of bounded length.
func applyText(dst **string, in graphql.Omittable[*string], field string, max int) (bool, error) {
	v, set := in.ValueOK()
	if !set {
		return false, nil
	}
	if v != nil {
		if err := CheckText(field, *v, max); err != nil {
			return false, err
		}
	}
	*dst = v
	return true, nil
}

// apply validates in and applies it to the given fields (nil for a field
// the record lacks), returning the Go names of the fields it changed.
func (in GroupInput) apply(code *string, name, desc **string) ([]string, error) {
	var changed []string
	note := func(ok bool, err error, col string) error {
		if ok {
			changed = append(changed, col)
		}
		return err
	}
	if code != nil {
		ok, err := applyCode(code, in.Code)
		if err := note(ok, err, "Code"); err != nil {
			return nil, err
		}
	}
	if name != nil {
		ok, err := applyText(name, in.Name, "name", MaxNameLength)
		if err := note(ok, err, "Name"); err != nil {
			return nil, err
		}
	}
	ok, err := applyText(desc, in.Description, "description", MaxDescriptionLength)
	if err := note(ok, err, "Description"); err != nil {
		return nil, err
	}
	return changed, nil
}

// Apply validates in and applies it to g, returning the changed fields.
func (in GroupInput) Apply(g *Group) ([]string, error) {
	return in.apply(&g.Code, &g.Name, &g.Description)
}

// Apply validates in and applies it to r, returning the changed fields.
func (in RoleInput) Apply(r *Role) ([]string, error) {
	return GroupInput{Code: in.Code, Description: in.Description}.apply(&r.Code, nil, &r.Description)
}

// Apply validates in and applies it to n, returning the changed fields.
func (in NamespaceInput) Apply(n *Namespace) ([]string, error) {
	return GroupInput{Name: in.Name, Description: in.Description}.apply(nil, &n.Name, &n.Description)
}

// NamespaceOrDefault is the namespace an optional argument names: the
// default one when empty.
func NamespaceOrDefault(ns string) string {
	if ns == "" {
		return DefaultNamespace
	}
	return ns
}

// RolesIn keeps the roles of one namespace (all of them when ns is empty).
func RolesIn(roles []*Role, ns string) []*Role {
	if ns == "" {
		return roles
	}
	out := make([]*Role, 0, len(roles))
	for _, r := range roles {
		if r.Namespace == ns {
			out = append(out, r)
		}
	}
	return out
}
