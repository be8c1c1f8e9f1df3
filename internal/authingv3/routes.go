package authingv3

import (
	"net/http"

	"usergraph/internal/httpapi"
	"usergraph/model"
)

// unsupported are the V3 methods of the SDK's user-management subset that
// usergraph does not model: each answers 400 saying why (docs/authing.md
// lists them).
var unsupported = map[string]string{
	"GET /api/v3/get-user-departments":   "departments are usergraph's groups: use getUserGroups",
	"GET /api/v3/get-user-login-history": "login history is not recorded: each user's loginsCount and lastLogin are",
	"POST /api/v3/kick-users":            "applications are not modelled, so a user cannot be signed out of some of them: revoke every token with updateUser (the native tokenExpiredAt)",
	"POST /api/v3/check-permission":      "the data-permission model is not modelled: use isActionAllowed",
	"GET /api/v3/list-users":             "the legacy listing: use listUsers (POST)",
	"GET /api/v3/get-management-token":   "requests are signed: there is no management token",
	"POST /api/v3/get-management-token":  "requests are signed: there is no management token",
}

func (a *v3) routes() http.Handler {
	mux := http.NewServeMux()
	for pattern, h := range map[string]http.HandlerFunc{
		"POST /api/v3/create-user":                   a.createUser,
		"POST /api/v3/create-users-batch":            a.createUsersBatch,
		"POST /api/v3/update-user":                   a.updateUser,
		"POST /api/v3/update-user-batch":             a.updateUserBatch,
		"GET /api/v3/get-user":                       a.getUser,
		"GET /api/v3/get-user-batch":                 a.getUserBatch,
		"POST /api/v3/list-users":                    a.listUsers,
		"POST /api/v3/delete-users-batch":            a.deleteUsersBatch,
		"POST /api/v3/is-user-exists":                a.isUserExists,
		"GET /api/v3/get-user-groups":                a.getUserGroups,
		"GET /api/v3/get-user-roles":                 a.getUserRoles,
		"GET /api/v3/get-user-authorized-resources":  a.userAuthorizedResources,
		"POST /api/v3/create-group":                  a.createGroup,
		"POST /api/v3/create-groups-batch":           a.createGroupsBatch,
		"POST /api/v3/update-group":                  a.updateGroup,
		"GET /api/v3/get-group":                      a.getGroup,
		"GET /api/v3/list-groups":                    a.listGroups,
		"POST /api/v3/delete-groups-batch":           a.deleteGroupsBatch,
		"POST /api/v3/add-group-members":             a.groupMembers(true),
		"POST /api/v3/remove-group-members":          a.groupMembers(false),
		"GET /api/v3/list-group-members":             a.listGroupMembers,
		"GET /api/v3/get-group-authorized-resources": a.holderResources("group"),
		"POST /api/v3/create-role":                   a.createRole,
		"POST /api/v3/create-roles-batch":            a.createRolesBatch,
		"POST /api/v3/update-role":                   a.updateRole,
		"GET /api/v3/get-role":                       a.getRole,
		"GET /api/v3/list-roles":                     a.listRoles,
		"POST /api/v3/delete-roles-batch":            a.deleteRolesBatch,
		"POST /api/v3/assign-role":                   a.roleTargets(true),
		"POST /api/v3/revoke-role":                   a.roleTargets(false),
		"GET /api/v3/list-role-members":              a.listRoleMembers,
		"GET /api/v3/get-role-authorized-resources":  a.holderResources("role"),
		"POST /api/v3/set-custom-fields":             a.setCustomFields,
		"GET /api/v3/get-custom-fields":              a.getCustomFields,
		"POST /api/v3/delete-custom-fields":          a.deleteCustomFields,
		"POST /api/v3/set-custom-data":               a.setCustomData,
		"GET /api/v3/get-custom-data":                a.getCustomData,
		"POST /api/v3/create-namespace":              a.createNamespace,
		"GET /api/v3/get-namespace":                  a.getNamespace,
		"GET /api/v3/list-namespaces":                a.listNamespaces,
		"POST /api/v3/delete-namespace":              a.deleteNamespace,
		"POST /api/v3/create-resource":               a.createResource,
		"GET /api/v3/get-resource":                   a.getResource,
		"GET /api/v3/list-resources":                 a.listResources,
		"POST /api/v3/delete-resource":               a.deleteResource,
		"POST /api/v3/authorize-resources":           a.authorizeResources,
		"GET /api/v3/get-authorized-resources":       a.getAuthorizedResources,
		"POST /api/v3/is-action-allowed":             a.isActionAllowed,
	} {
		mux.Handle(pattern, a.signedIn(h))
	}
	for pattern, why := range unsupported {
		mux.Handle(pattern, a.signedIn(func(w http.ResponseWriter, req *http.Request) {
			a.fail(w, req, &model.Error{Code: model.CodeInvalidInput, Message: "not supported by usergraph: " + why})
		}))
	}
	mux.HandleFunc("/api/v3/", func(w http.ResponseWriter, req *http.Request) {
		a.fail(w, req, &model.Error{Code: model.CodeNotFound, Message: "no such method: the Authing V3 methods usergraph serves are listed in docs/authing.md"})
	})
	return mux
}

// signedIn refuses a request whose signature was not accepted (the
// pipeline put the refusal in its context) before h runs.
func (a *v3) signedIn(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if _, err := principalPool(req); err != nil {
			a.fail(w, req, err)
			return
		}
		h(w, req)
	})
}

var _ httpapi.Dialect = (*Dialect)(nil)
