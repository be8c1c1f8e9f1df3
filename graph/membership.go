package graph

import (
	"context"
	"strings"

	"usergraph/db"
	"usergraph/graph/exec"
	"usergraph/model"
)

// One meaning of membership (model.Membership): every field that lists or
// counts a group's members or a role's holders chooses its loader here, so
// Group.users, Group.members, Role.users and Role.members answer the same
// question with the same rows as users(filter: {group|role, membership}).

// groupMembership is the membership a group field asks for: its
// deprecated includeDescendants, when given, wins.
func groupMembership(m *model.Membership, includeDescendants *bool) *model.Membership {
	if includeDescendants != nil {
		e := model.EffectiveIf(*includeDescendants)
		return &e
	}
	return m
}

// groupMemberLoader pages a group's direct or effective members.
func groupMemberLoader(ctx context.Context, m *model.Membership) *loader[pageKey, *exec.UserList] {
	if m.IsEffective() {
		return &loaders(ctx).usersUnderGroupID
	}
	return &loaders(ctx).usersByGroupID
}

// roleMemberLoader pages a role's direct or effective holders.
func roleMemberLoader(ctx context.Context, m *model.Membership) *loader[pageKey, *exec.UserList] {
	if m.IsEffective() {
		return &loaders(ctx).usersHoldingRoleID
	}
	return &loaders(ctx).usersByRoleID
}

// memberLists is a page of members of each parent (by l), each with how it
// is one (by via, one statement for every parent's page).
func memberLists(ctx context.Context, l *loader[pageKey, *exec.UserList], parentIDs []string, page, limit *int,
	via func(context.Context, string, []db.MemberPair) (map[db.MemberPair]*model.Member, error)) ([]*exec.MemberList, error) {
	pages, err := loadPagesAt(ctx, l, parentIDs, page, limit, "list", "user")
	if err != nil {
		return nil, err
	}
	var pairs []db.MemberPair
	for i, p := range pages {
		for _, u := range p.List {
			pairs = append(pairs, db.MemberPair{ParentID: parentIDs[i], UserID: u.ID})
		}
	}
	how := map[db.MemberPair]*model.Member{}
	if len(pairs) > 0 {
		if how, err = via(ctx, poolID(ctx), pairs); err != nil {
			return nil, err
		}
	}
	out := make([]*exec.MemberList, len(pages))
	for i, p := range pages {
		list := make([]*model.Member, len(p.List))
		for j, u := range p.List {
			m := model.Member{User: u, Via: []*model.MembershipVia{}}
			if h := how[db.MemberPair{ParentID: parentIDs[i], UserID: u.ID}]; h != nil {
				m.Direct, m.Via = h.Direct, h.Via
			}
			list[j] = &m
		}
		out[i] = &exec.MemberList{TotalCount: p.TotalCount, PageInfo: p.PageInfo, List: list}
	}
	return out, nil
}

// accessList is a page of usersWhoCan: the users, each with how the
// permission reaches it (one statement for the page, via AccessVia).
func accessList(ctx context.Context, s *db.Store, perm *model.Permission, users *exec.UserList) (*exec.UserAccessList, error) {
	via, err := s.AccessVia(ctx, poolID(ctx), perm, userIDs(users.List))
	if err != nil {
		return nil, err
	}
	list := make([]*exec.UserAccess, len(users.List))
	for i, u := range users.List {
		list[i] = &exec.UserAccess{User: u, Via: cut(via[u.ID], model.MaxNestedList)}
		if list[i].Via == nil {
			list[i].Via = []*model.GrantSource{}
		}
	}
	return &exec.UserAccessList{TotalCount: users.TotalCount, TotalCountExact: users.TotalCountExact, PageInfo: users.PageInfo, List: list}, nil
}

// unprefixed names a client error's field without prefix: usersWhoCan's
// permission is checked as the users filter's can, but the client gave it
// as arguments of their own.
func unprefixed(err error, prefix string) error {
	if me, ok := model.AsError(err); ok {
		if rest, cut := strings.CutPrefix(me.Field, prefix); cut {
			return model.WithField(err, rest)
		}
	}
	return err
}

// usersOf reads the users with these ids ("" for none) in one statement,
// the columns the selection needs: the users of a page of grants or of a
// preview, in order (nil where there is none).
func usersOf(ctx context.Context, s *db.Store, ids []string) ([]*model.User, error) {
	byID, err := s.UsersWithIDs(ctx, poolID(ctx), ids, selectedColumns(ctx, userColumns))
	if err != nil {
		return nil, err
	}
	out := make([]*model.User, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out, nil
}
