package model

import (
	"slices"
	"strings"
	"time"
)

// Membership says which users a question about a group or a role counts.
// Every field that answers one takes it, with the same default (DIRECT,
// as Keycloak, ZITADEL and Authing answer), so the same question always
// gets the same count: Role.users, Group.users, User.roles, User.groups
// and the users filter agree.
type Membership string

// The memberships.
const (
	// MembershipDirect counts the users given the group or role
	// themselves (addGroupMembers, addRoles).
	MembershipDirect Membership = "DIRECT"
	// MembershipEffective counts every user the group's or role's access
	// reaches: a group's members and those of the groups under it; a
	// role's holders and the members of the groups (or of groups under
	// them) that have it.
	MembershipEffective Membership = "EFFECTIVE"
)

// IsEffective reports whether m asks for effective membership; nil is the
// default, DIRECT.
func (m *Membership) IsEffective() bool { return m != nil && *m == MembershipEffective }

// EffectiveIf is EFFECTIVE when b, else DIRECT: for the fields whose older
// Boolean argument (includeDescendants, direct) still works.
func EffectiveIf(b bool) Membership {
	if b {
		return MembershipEffective
	}
	return MembershipDirect
}

// Permission asks who may perform Action on Resource in a namespace (the
// default one when nil): usersWhoCan and the users filter's can.
type Permission struct {
	Namespace *string `json:"namespace"`
	Resource  string  `json:"resource"`
	Action    string  `json:"action"`
}

// NamespaceCode is the permission's namespace, or the default one.
func (p *Permission) NamespaceCode() string {
	if p.Namespace == nil {
		return DefaultNamespace
	}
	return NamespaceOrDefault(*p.Namespace)
}

// Validate checks the permission's own rules (field prefixes its fields'
// names): a resource as grants name it, an action as resources declare
// them (or a wildcard).
func (p *Permission) Validate(field string) error {
	if _, _, err := SplitGrantResource(prefixed(field, "resource"), p.Resource); err != nil {
		return err
	}
	p.Resource = strings.TrimSpace(p.Resource)
	p.Action = strings.TrimSpace(p.Action)
	if !actionPattern.MatchString(p.Action) {
		return Invalid(prefixed(field, "action"), "an action must be 1 to 128 letters, digits, '_', '.', '/', ':', '-' or '*'")
	}
	return nil
}

func prefixed(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

// CoveringResources lists every grant resource code that covers resource
// (ResourceCovers), so a database can find the grants that answer a
// question by their codes: books:1 is covered by grants on books, books:*
// and books:1 (and "*", which no grant names today but ResourceCovers
// honours).
func CoveringResources(resource string) []string {
	base, _, _ := strings.Cut(resource, ":")
	out := []string{"*", base, base + ":*"}
	if !slices.Contains(out, resource) {
		out = append(out, resource)
	}
	return out
}

// CoveringActions lists every granted action that covers action
// (ActionCovers): a:b:c is covered by a:b:c, *, a:* and a:b:*.
func CoveringActions(action string) []string {
	out := []string{action}
	if action != "*" {
		out = append(out, "*")
	}
	for i := 0; i < len(action); i++ {
		if action[i] == ':' {
			if w := action[:i+1] + "*"; w != action {
				out = append(out, w)
			}
		}
	}
	return out
}

// ActionsCover reports whether any of granted covers action.
func ActionsCover(granted []string, action string) bool {
	return slices.ContainsFunc(granted, func(a string) bool { return ActionCovers(a, action) })
}

// Member is a member of a group or a holder of a role, and how: Role.members
// and Group.members.
type Member struct {
	User   *User            `json:"user"`
	Direct bool             `json:"direct"`
	Via    []*MembershipVia `json:"via"`
}

// MembershipVia is one way a user is an effective member: the group it was
// added to and, for a role, the group that has the role (Group itself or a
// group above it).
type MembershipVia struct {
	Group     string  `json:"group"`
	RoleGroup *string `json:"roleGroup"`
}

// ResourceGrant is a grant on a resource as Resource.grants lists it.
type ResourceGrant struct {
	ResourceID string     `json:"-"`
	Resource   string     `json:"resource"`
	TargetType TargetType `json:"targetType"`
	UserID     *string    `json:"-"`
	Role       *Role      `json:"role"`
	Group      *Group     `json:"group"`
	Actions    []string   `json:"actions"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
}
