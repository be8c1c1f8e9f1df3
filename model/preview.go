package model

// AccessChange is one change of who may do what, to preview
// (previewAccessChange): exactly one of its fields is set, each shaped as
// the mutation it previews and checked as that mutation checks it.
type AccessChange struct {
	Authorize          *GrantChange        `json:"authorize"`
	Revoke             *GrantChange        `json:"revoke"`
	AddRoles           *RoleMembersChange  `json:"addRoles"`
	RemoveRoles        *RoleMembersChange  `json:"removeRoles"`
	AddGroupMembers    *GroupMembersChange `json:"addGroupMembers"`
	RemoveGroupMembers *GroupMembersChange `json:"removeGroupMembers"`
	AddGroupRoles      *GroupRolesChange   `json:"addGroupRoles"`
	RemoveGroupRoles   *GroupRolesChange   `json:"removeGroupRoles"`
	MoveGroup          *GroupMove          `json:"moveGroup"`
}

// GrantChange is authorizeResource's or revokeResource's arguments.
type GrantChange struct {
	Namespace    string         `json:"namespace"`
	Resource     string         `json:"resource"`
	ResourceType *ResourceType  `json:"resourceType"`
	Opts         []*GrantTarget `json:"opts"`
}

// RoleMembersChange gives roles of one namespace to users, or takes them
// (addRoles and addRoleMembers, and their removals, in one shape).
type RoleMembersChange struct {
	Namespace *string  `json:"namespace"`
	Roles     []string `json:"roles"`
	UserIDs   []string `json:"userIds"`
}

// GroupMembersChange adds users to a group, or removes them.
type GroupMembersChange struct {
	Group   string   `json:"group"`
	UserIDs []string `json:"userIds"`
}

// GroupRolesChange gives a group roles, or takes them.
type GroupRolesChange struct {
	Group     string   `json:"group"`
	Namespace *string  `json:"namespace"`
	Roles     []string `json:"roles"`
}

// GroupMove moves a group (with the groups under it) under a parent; nil
// makes it a root.
type GroupMove struct {
	Group  string  `json:"group"`
	Parent *string `json:"parent"`
}

// Kind names the one change set (its field, as the scope and errors name
// it), or fails with INVALID_INPUT on field when none or several are.
func (c *AccessChange) Kind(field string) (string, error) {
	kind := ""
	for _, k := range []struct {
		name string
		set  bool
	}{
		{"authorize", c.Authorize != nil}, {"revoke", c.Revoke != nil},
		{"addRoles", c.AddRoles != nil}, {"removeRoles", c.RemoveRoles != nil},
		{"addGroupMembers", c.AddGroupMembers != nil}, {"removeGroupMembers", c.RemoveGroupMembers != nil},
		{"addGroupRoles", c.AddGroupRoles != nil}, {"removeGroupRoles", c.RemoveGroupRoles != nil},
		{"moveGroup", c.MoveGroup != nil},
	} {
		if !k.set {
			continue
		}
		if kind != "" {
			return "", Invalid(field, "give one change: %s and %s are both set", kind, k.name)
		}
		kind = k.name
	}
	if kind == "" {
		return "", Invalid(field, "give one change (authorize, revoke, addRoles, removeRoles, addGroupMembers, removeGroupMembers, addGroupRoles, removeGroupRoles or moveGroup)")
	}
	return kind, nil
}

// ChangeScopes is the scope the mutation each change kind previews needs:
// a preview needs what the change would.
var ChangeScopes = map[string]string{
	"authorize": "resources:write", "revoke": "resources:write",
	"addRoles": "roles:write", "removeRoles": "roles:write",
	"addGroupMembers": "groups:write", "removeGroupMembers": "groups:write",
	"addGroupRoles": "roles:write", "removeGroupRoles": "roles:write",
	"moveGroup": "groups:write",
}

// MaxPreviewVia bounds the ways listed for one action change of a
// preview: a change brings (or takes) an action by a few ways at most —
// its target, or the grants of the one role or group it changes.
const MaxPreviewVia = 10

// AccessPreview is what a change would do to who may do what: the users
// who would gain actions, and those who would lose some.
type AccessPreview struct {
	Gained AccessDiffPage `json:"gained"`
	Lost   AccessDiffPage `json:"lost"`
}

// AccessDiffPage is the first page of the users a change affects one way,
// with their count (bounded as listings count, unless asked exactly).
type AccessDiffPage struct {
	TotalCount      int           `json:"totalCount"`
	TotalCountExact bool          `json:"totalCountExact"`
	HasMore         bool          `json:"hasMore"`
	List            []*AccessDiff `json:"list"`
}

// AccessDiff is what one user would gain (or lose).
type AccessDiff struct {
	UserID  string          `json:"-"`
	User    *User           `json:"user"`
	Changes []*ActionChange `json:"changes"`
}

// ActionChange is the actions gained (or lost) on one resource as
// authorizedResources lists it (a namespace and a code as granted), and
// the ways they come (or came).
type ActionChange struct {
	Namespace string         `json:"namespace"`
	Resource  string         `json:"resource"`
	Type      ResourceType   `json:"type"`
	Actions   []string       `json:"actions"`
	Via       []*GrantSource `json:"via"`
}
