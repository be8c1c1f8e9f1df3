package model

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	// Inputs gqlgen binds here use its Omittable to tell an absent field
	// from an explicit null (see UserInput).
	"github.com/99designs/gqlgen/graphql"
)

// ResourceType is what a resource stands for.
type ResourceType string

// The resource types of the documents.
const (
	ResourceData   ResourceType = "DATA"
	ResourceAPI    ResourceType = "API"
	ResourceMenu   ResourceType = "MENU"
	ResourceButton ResourceType = "BUTTON"
)

// TargetType is who a grant is given to.
type TargetType string

// The grant targets.
const (
	TargetUser  TargetType = "USER"
	TargetRole  TargetType = "ROLE"
	TargetGroup TargetType = "GROUP"
)

// GrantTarget is one target of authorizeResource or revokeResource: who
// gets (or loses) which actions.
type GrantTarget struct {
	TargetType       TargetType `json:"targetType"`
	TargetIdentifier string     `json:"targetIdentifier"` // a user's id, or a role's or group's code
	Actions          []string   `json:"actions"`
}

// ActionCheck asks whether a user may perform an action on a resource in a
// namespace (the default one when empty).
type ActionCheck struct {
	UserID    string `json:"userId"`
	Resource  string `json:"resource"`
	Action    string `json:"action"`
	Namespace string `json:"namespace"`
}

// ResourceUpdate changes a resource: an absent field is untouched, a null
// description clears it, and actions, when given, replace the list.
type ResourceUpdate struct {
	Type        graphql.Omittable[*ResourceType]     `json:"type"`
	Description graphql.Omittable[*string]           `json:"description"`
	Actions     graphql.Omittable[[]*ResourceAction] `json:"actions"`
}

// ResourceAction is an action a resource declares, such as books:read.
type ResourceAction struct {
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

// Resource is something in a namespace that can be granted: a data type
// (DATA, whose instances are code:id), an API, a menu or a button.
type Resource struct {
	ID          string            `json:"id" gorm:"primaryKey;size:36"`
	PoolID      string            `json:"-" gorm:"size:36;not null;uniqueIndex:ux_resources_code,priority:1;index:ix_resources_list,priority:1"`
	NamespaceID string            `json:"-" gorm:"size:36;not null;uniqueIndex:ux_resources_code,priority:2;index:ix_resources_list,priority:2"`
	Namespace   string            `json:"namespace" gorm:"size:64;not null"`
	Code        string            `json:"code" gorm:"size:64;not null;uniqueIndex:ux_resources_code,priority:3"`
	Type        ResourceType      `json:"type" gorm:"size:8;not null;index:ix_resources_list,priority:3"`
	Description *string           `json:"description" gorm:"size:1000"`
	Actions     []*ResourceAction `json:"actions" gorm:"serializer:json;type:text"`
	CreatedAt   time.Time         `json:"createdAt" gorm:"not null;index:ix_resources_list,priority:4"`
	UpdatedAt   time.Time         `json:"updatedAt" gorm:"not null"`

	NS *Namespace `json:"-" gorm:"foreignKey:NamespaceID;constraint:OnDelete:CASCADE"`
}

// Grant gives actions on a resource (ResourceCode: the resource itself, one
// instance such as books:1, or every instance, books:*) to one user, role or
// group. Exactly one of UserID, RoleID and GroupID is set; each is a foreign
// key, so deleting the user, role, group, resource or namespace deletes the
// grant with it.
type Grant struct {
	ID           string       `gorm:"primaryKey;size:36"`
	PoolID       string       `gorm:"size:36;not null"`
	ResourceID   string       `gorm:"size:36;not null;uniqueIndex:ux_grants,priority:1"`
	ResourceCode string       `gorm:"size:255;not null;uniqueIndex:ux_grants,priority:2"`
	ResourceType ResourceType `gorm:"size:8;not null"`
	Namespace    string       `gorm:"size:64;not null"`
	TargetType   TargetType   `gorm:"size:8;not null"`
	UserID       *string      `gorm:"size:36;index"`
	RoleID       *string      `gorm:"size:36;index"`
	GroupID      *string      `gorm:"size:36;index"`
	// TargetKey is the one target's id, so a target has one grant per
	// resource code, whose actions merge.
	TargetKey string    `gorm:"size:48;not null;uniqueIndex:ux_grants,priority:3"`
	Actions   []string  `gorm:"serializer:json;type:text"`
	CreatedAt time.Time `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`

	Resource *Resource `gorm:"foreignKey:ResourceID;constraint:OnDelete:CASCADE"`
	User     *User     `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	Role     *Role     `gorm:"foreignKey:RoleID;constraint:OnDelete:CASCADE"`
	Group    *Group    `gorm:"foreignKey:GroupID;constraint:OnDelete:CASCADE"`
}

var (
	resourceCodePattern = regexp.MustCompile(`^[A-Za-z0-9_./-]{1,64}$`)
	instancePattern     = regexp.MustCompile(`^[A-Za-z0-9_./*-]{1,128}$`)
	actionPattern       = regexp.MustCompile(`^[A-Za-z0-9_./:*-]{1,128}$`)
)

// ValidResourceCode checks a declared resource code: 1 to 64 letters,
// digits, '_', '.', '/' or '-' (no ':' or '*', which grants use for
// instances and wildcards).
func ValidResourceCode(field, code string) (string, error) {
	code = strings.TrimSpace(code)
	if !resourceCodePattern.MatchString(code) {
		return "", Invalid(field, "a resource code must be 1 to 64 letters, digits, '_', '.', '/' or '-'")
	}
	return code, nil
}

// SplitGrantResource splits the resource of a grant or check into the
// declared resource's code and the rest: "books" → ("books", ""),
// "books:1" → ("books", "1"), "books:*" → ("books", "*").
func SplitGrantResource(field, s string) (base, instance string, err error) {
	s = strings.TrimSpace(s)
	base, instance, _ = strings.Cut(s, ":")
	if _, err := ValidResourceCode(field, base); err != nil {
		return "", "", err
	}
	if strings.Contains(s, ":") && !instancePattern.MatchString(instance) {
		return "", "", Invalid(field, "an instance must be 1 to 128 letters, digits, '_', '.', '/', '-' or '*' after the ':'")
	}
	return base, instance, nil
}

// MaxResourceActions bounds the actions a resource declares.
const MaxResourceActions = 100

// ValidActions checks declared actions: names unique, 1 to 128 characters
// of letters, digits and '_', '.', '/', ':' or '-'.
func ValidActions(field string, actions []*ResourceAction) ([]*ResourceAction, error) {
	if len(actions) > MaxResourceActions {
		return nil, Invalid(field, "at most %d actions", MaxResourceActions)
	}
	seen := map[string]bool{}
	for i, a := range actions {
		a.Name = strings.TrimSpace(a.Name)
		if !actionPattern.MatchString(a.Name) || strings.Contains(a.Name, "*") {
			return nil, Invalid(field+"."+itoa(i)+".name", "an action must be 1 to 128 letters, digits, '_', '.', '/', ':' or '-'")
		}
		if a.Description != nil {
			if err := CheckText(field+"."+itoa(i)+".description", *a.Description, MaxDescriptionLength); err != nil {
				return nil, err
			}
		}
		if seen[a.Name] {
			return nil, Invalid(field+"."+itoa(i)+".name", "action %q is listed twice", a.Name)
		}
		seen[a.Name] = true
	}
	return actions, nil
}

// CheckGrantActions checks actions to grant against those the resource
// declares: each must be declared, or a wildcard ("*" or "<resource>:*").
func CheckGrantActions(field string, r *Resource, actions []string) ([]string, error) {
	if len(actions) == 0 {
		return nil, Invalid(field, "give at least one action")
	}
	declared := map[string]bool{}
	for _, a := range r.Actions {
		declared[a.Name] = true
	}
	out := make([]string, 0, len(actions))
	for i, a := range actions {
		a = strings.TrimSpace(a)
		if !declared[a] && a != "*" && !(strings.HasSuffix(a, ":*") && actionPattern.MatchString(a)) {
			return nil, Invalid(field+"."+itoa(i), "action %q is not declared on resource %q (nor a wildcard such as * or %s:*)", a, r.Code, r.Code)
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// ResourceCovers reports whether a grant on resource g covers the resource
// r asked about. "*" covers everything; "books" and "books:*" cover "books"
// and every instance "books:<id>"; "books:1" covers only itself.
func ResourceCovers(g, r string) bool {
	if g == r || g == "*" {
		return true
	}
	base := strings.TrimSuffix(g, ":*")
	if strings.Contains(base, ":") {
		return false // an instance covers only itself
	}
	return r == base || strings.HasPrefix(r, base+":")
}

// ActionCovers reports whether a granted action a covers the action x asked
// about: "*" covers every action, "books:*" every "books:<verb>".
func ActionCovers(a, x string) bool {
	if a == x || a == "*" {
		return true
	}
	prefix, ok := strings.CutSuffix(a, "*")
	return ok && strings.HasSuffix(prefix, ":") && strings.HasPrefix(x, prefix)
}

// GrantSource is one way an actions reached a user: directly, through a
// role or through a group.
type GrantSource struct {
	TargetType TargetType `json:"targetType"`
	// Code is the role's or group's code; the user's id for a direct grant.
	Code string `json:"code"`
	// RoleNamespace is the role's namespace (roles only).
	RoleNamespace *string `json:"roleNamespace"`
	// ViaGroup is the code of the group through which the user holds the
	// role (a role held through a group only): group → role → grant.
	ViaGroup *string  `json:"viaGroup"`
	Actions  []string `json:"actions"`
}

// AuthorizedResource is a resource a subject may act on: the union of the
// actions of every grant that reaches it, with where each came from.
type AuthorizedResource struct {
	Namespace string         `json:"namespace"`
	Code      string         `json:"code"`
	Type      ResourceType   `json:"type"`
	Actions   []string       `json:"actions"`
	Via       []*GrantSource `json:"via"`
}

// ReachedGrant is a grant together with the way it reaches a subject.
type ReachedGrant struct {
	Grant  *Grant
	Source GrantSource
}

// MergeGrants merges the grants that reach one subject into authorized
// resources: one per (namespace, resource code), actions united, every
// source kept, ordered by namespace and code. Filters by namespace and type
// when given.
func MergeGrants(reached []ReachedGrant, namespace string, typ ResourceType) []*AuthorizedResource {
	byKey := map[[2]string]*AuthorizedResource{}
	var out []*AuthorizedResource
	for _, rg := range reached {
		g := rg.Grant
		if (namespace != "" && g.Namespace != namespace) || (typ != "" && g.ResourceType != typ) {
			continue
		}
		k := [2]string{g.Namespace, g.ResourceCode}
		ar := byKey[k]
		if ar == nil {
			ar = &AuthorizedResource{Namespace: g.Namespace, Code: g.ResourceCode, Type: g.ResourceType}
			byKey[k] = ar
			out = append(out, ar)
		}
		for _, a := range g.Actions {
			if !slices.Contains(ar.Actions, a) {
				ar.Actions = append(ar.Actions, a)
			}
		}
		src := rg.Source
		src.Actions = g.Actions
		ar.Via = append(ar.Via, &src)
	}
	slices.SortFunc(out, func(a, b *AuthorizedResource) int {
		return cmp.Or(strings.Compare(a.Namespace, b.Namespace), strings.Compare(a.Code, b.Code))
	})
	for _, ar := range out {
		slices.Sort(ar.Actions)
	}
	return out
}

// Allows reports whether any authorized resource of a namespace lets its
// subject perform action on resource.
func Allows(ars []*AuthorizedResource, namespace, resource, action string) bool {
	for _, ar := range ars {
		if ar.Namespace != namespace || !ResourceCovers(ar.Code, resource) {
			continue
		}
		for _, a := range ar.Actions {
			if ActionCovers(a, action) {
				return true
			}
		}
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }
