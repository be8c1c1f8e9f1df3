package authing

import (
	"usergraph/graph"
	"usergraph/internal/authing/exec"
	"usergraph/model"
)

// complexity prices every list field of the SDKs' schema as the native API
// prices its counterpart (graph/limits.go): by the most items it can
// return, plus a bounded count where the native listing counts. The cost
// limit itself is the native one.
func complexity() exec.ComplexityRoot {
	var c exec.ComplexityRoot
	paged := func(child int, limit *int) int { return graph.ListCost(child, graph.PageSize(limit)) }
	nested := func(child int) int { return graph.ListCost(child, model.MaxNestedList) }
	// One object's custom data is bounded as a whole (16 KB), so its list
	// is priced as the native customData value is, at about a unit per 100
	// bytes, whatever the number of keys.
	record := func(child int) int { return child + model.MaxCustomDataBytes/100 }
	description := func(int) int { return 1 + model.MaxDescriptionLength/100 }

	c.Query.Users = func(child int, _, limit *int, _ *exec.SortByEnum, _ *bool) int {
		return paged(child, limit) + graph.CountCost
	}
	c.Query.ArchivedUsers = func(child int, _, limit *int) int { return paged(child, limit) + graph.CountCost }
	c.Query.SearchUser = func(child int, _ string, _ []*string, _, limit *int, _ []*exec.SearchUserDepartmentOpt, _ []*exec.SearchUserGroupOpt, _ []*exec.SearchUserRoleOpt) int {
		return paged(child, limit) + graph.CountCost
	}
	c.Query.Groups = func(child int, _ *string, _, limit *int, _ *exec.SortByEnum) int { return paged(child, limit) }
	c.Query.Roles = func(child int, _ *string, _, limit *int, _ *exec.SortByEnum) int { return paged(child, limit) }
	c.Query.Resources = func(child int, _ *string, _ *exec.ResourceType, _, limit *int) int { return paged(child, limit) }
	c.Query.Namespaces = func(child int, _, limit *int) int { return paged(child, limit) }
	c.Query.AuthorizedResources = func(child int, _ *exec.PolicyAssignmentTargetType, _, _, _ *string) int {
		return graph.ListCost(child, model.MaxAuthorizedResources)
	}
	c.Query.UserBatch = func(child int, ids []string, _ *string) int { return graph.ListCost(child, len(ids)) }
	c.Query.Udf = func(child int, _ exec.UDFTargetType) int { return graph.ListCost(child, model.MaxUdfDefinitions) }
	c.Query.Udv = func(child int, _ exec.UDFTargetType, _ string) int {
		return graph.ListCost(child, model.MaxUdfDefinitions)
	}
	c.Query.UdfValueBatch = func(child int, _ exec.UDFTargetType, ids []string) int { return graph.ListCost(child, len(ids)) }
	c.UserDefinedDataMap.Data = record
	c.Mutation.SetUdvBatch = func(child int, _ exec.UDFTargetType, _ string, _ []*exec.UserDefinedDataInput) int {
		return record(child)
	}
	c.Mutation.RemoveUdv = func(child int, _ exec.UDFTargetType, _, _ string) int { return record(child) }

	c.User.Identities = func(child int) int { return graph.ListCost(child, model.MaxIdentities) }
	c.User.CustomData = record
	c.User.Roles = func(child int, _ *string) int { return nested(child) }
	c.User.Groups = nested
	c.User.AuthorizedResources = func(child int, _, _ *string) int { return nested(child) }
	c.Group.Users = func(child int, _, limit *int) int { return paged(child, limit) }
	c.Group.AuthorizedResources = func(child int, _, _ *string) int { return nested(child) }
	c.Role.Users = func(child int, _, limit *int) int { return paged(child, limit) }
	c.Role.AuthorizedResources = func(child int, _, _ *string) int { return nested(child) }
	c.Resource.Actions = func(child int) int {
		return graph.ListCost(child, model.MaxResourceActions) + model.MaxResourceActions*model.MaxDescriptionLength/100
	}
	c.Group.Description, c.Role.Description, c.Resource.Description = description, description, description
	c.ResourceAction.Description, c.ResourceNamespace.Description = description, description
	return c
}
