package graph

import (
	"errors"

	"usergraph/model"
)

// nullIfNotFound turns NOT_FOUND into a null result: single-object queries
// (user, findUser) answer an unknown key with null, not an error.
func nullIfNotFound[T any](v *T, err error) (*T, error) {
	if errors.Is(err, model.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// deref reads an optional string argument; absent is "".
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// groupList and roleList wrap a store's full list as a list page.
func groupList(list []*model.Group, err error) (*GroupList, error) {
	if err != nil {
		return nil, err
	}
	return &GroupList{TotalCount: len(list), List: list}, nil
}

func roleList(list []*model.Role, err error) (*RoleList, error) {
	if err != nil {
		return nil, err
	}
	return &RoleList{TotalCount: len(list), List: list}, nil
}

// userCustomData pairs user ids with their custom data.
func userCustomData(ids []string, data []model.CustomData) []*UserCustomData {
	out := make([]*UserCustomData, len(ids))
	for i, id := range ids {
		out[i] = &UserCustomData{UserID: id, Data: data[i]}
	}
	return out
}
