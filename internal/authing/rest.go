package authing

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql/executor"

	"usergraph/graph"
	"usergraph/internal/httpapi"
	"usergraph/model"
)

// restAPI is the SDKs' REST side channel under /api/v2. Each route runs one
// fixed document over the SDKs' GraphQL schema in process, through an
// executor configured as /graphql/v2's, so a route is authorized (by the
// root field's @scope), priced, validated and audited exactly as the same
// call sent as GraphQL, and answers the same user shape. Every answer is
// the SDKs' envelope {code, message, data} with HTTP 200: code 200 and the
// data on success, the error's numeric code otherwise.
type restAPI struct {
	api  *httpapi.API
	x    *executor.Executor
	keys *Keys
}

// userFields is every scalar User field the SDKs select, and identities.
const userFields = `id arn userPoolId status username email emailVerified phone phoneVerified unionid openid
nickname registerSource photo password oauth token tokenExpiredAt loginsCount lastLogin lastIP signedUp
blocked isDeleted device browser company name givenName familyName middleName profile preferredUsername
website gender birthdate zoneinfo locale address formatted streetAddress locality region postalCode city
province country createdAt updatedAt externalId phoneCountryCode expiredAt directManagement
identities { openid userIdInIdp userId connectionId isSocial provider type userPoolId extIdpId }`

// customDataFields is the customData selection of the "with custom data"
// variants.
const customDataFields = ` customData { key value dataType label }`

const resourceFields = `id namespace code type description actions { name description } apiIdentifier createdAt updatedAt`

const namespaceFields = `id code name description userPoolId`

func (a *restAPI) routes() http.Handler {
	mux := http.NewServeMux()
	// Each route with the query parameters it takes: any other is refused
	// (httpapi.UnknownParams), never ignored.
	route := func(pattern string, h http.HandlerFunc, params ...string) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, req *http.Request) {
			if err := httpapi.UnknownParams(req, params...); err != nil {
				a.fail(w, req, err)
				return
			}
			h(w, req)
		})
	}
	route("GET /api/v2/.well-known", a.wellKnown)
	route("GET /api/v2/users/login-status", a.loginStatus, "userId")
	route("POST /api/v2/users/batch", a.usersBatch)
	route("POST /api/v2/users/filter", a.usersFilter)
	route("POST /api/v2/users/kick", a.usersKick)
	route("GET /api/v2/users/{id}", a.userDetail, "with_custom_data")
	route("GET /api/v2/resources", a.resources, "namespace", "type", "page", "limit")
	route("GET /api/v2/resources/detail", a.resourceDetail, "namespace", "code")
	route("POST /api/v2/resources", a.createResource)
	route("DELETE /api/v2/resources/{code}", a.deleteResource, "namespace")
	route("POST /api/v2/acl/is-allowed", a.isAllowed)
	route("POST /api/v2/acl/revoke-resource", a.revokeResource)
	route("GET /api/v2/resource-namespace/{userPoolId}", a.namespaces, "page", "limit")
	route("POST /api/v2/resource-namespace/{userPoolId}", a.createNamespace)
	mux.HandleFunc("/api/v2/", func(w http.ResponseWriter, req *http.Request) {
		a.fail(w, req, &model.Error{Code: model.CodeNotFound, Message: "no such route: the Authing-compatible REST API serves the routes docs/authing.md lists"})
	})
	return mux
}

// wellKnown serves the password transport key. It is public, as any
// public key is; the SDKs send their token anyway.
func (a *restAPI) wellKnown(w http.ResponseWriter, req *http.Request) {
	httpapi.Note(req.Context(), "wellKnown", "query", "")
	ok(w, map[string]string{"publicKey": a.keys.PublicKeyPEM()})
}

func (a *restAPI) userDetail(w http.ResponseWriter, req *http.Request) {
	sel := userFields
	if req.URL.Query().Get("with_custom_data") == "true" {
		sel += customDataFields
	}
	a.run(w, req, `query userDetail($id: String!) { user(id: $id) { `+sel+` } }`,
		map[string]any{"id": req.PathValue("id")}, func(d result) (any, error) {
			return d.nonNull("user", "id", "no user with this id")
		})
}

// loginStatus says whether a user holds a token that is valid now: it is
// Activated and its tokenExpiredAt (the expiry of the last token
// refreshToken issued, or the time it was revoked) is in the future.
func (a *restAPI) loginStatus(w http.ResponseWriter, req *http.Request) {
	a.run(w, req, `query loginStatus($id: String!) { user(id: $id) { `+userFields+` } }`,
		map[string]any{"id": req.URL.Query().Get("userId")}, func(d result) (any, error) {
			u, err := d.nonNull("user", "userId", "no user with this id")
			if err != nil {
				return nil, err
			}
			var st struct {
				Status         string     `json:"status"`
				TokenExpiredAt *time.Time `json:"tokenExpiredAt"`
			}
			if err := json.Unmarshal(u, &st); err != nil {
				return nil, err
			}
			in := st.Status == string(model.StatusActivated) && st.TokenExpiredAt != nil && st.TokenExpiredAt.After(time.Now())
			return map[string]any{"isLogin": in, "user": u}, nil
		})
}

func (a *restAPI) usersBatch(w http.ResponseWriter, req *http.Request) {
	var body struct {
		IDs            []string `json:"ids"`
		Type           *string  `json:"type"`
		WithCustomData bool     `json:"withCustomData"`
	}
	if !a.decode(w, req, &body) {
		return
	}
	sel := userFields
	if body.WithCustomData {
		sel += customDataFields
	}
	a.run(w, req, `query usersBatch($ids: [String!]!, $type: String) { userBatch(ids: $ids, type: $type) { `+sel+` } }`,
		map[string]any{"ids": orEmpty(body.IDs), "type": body.Type}, field("userBatch"))
}

// usersFilter lists users; the SDKs' filter expressions are not supported
// (a non-empty filter is INVALID_INPUT), so it is the plain listing.
func (a *restAPI) usersFilter(w http.ResponseWriter, req *http.Request) {
	var body struct {
		Page   *int  `json:"page"`
		Limit  *int  `json:"limit"`
		Filter []any `json:"filter"`
	}
	if !a.decode(w, req, &body) {
		return
	}
	if len(body.Filter) > 0 {
		a.fail(w, req, unsupported("filter", "filter expressions are not supported: use searchUser, or the native API's users(filter:)"))
		return
	}
	a.run(w, req, `query usersFilter($page: Int, $limit: Int) { users(page: $page, limit: $limit) { totalCount list { `+userFields+` } } }`,
		map[string]any{"page": body.Page, "limit": body.Limit}, field("users"))
}

func (a *restAPI) usersKick(w http.ResponseWriter, req *http.Request) {
	var body struct {
		UserIDs []string `json:"userIds"`
	}
	if !a.decode(w, req, &body) {
		return
	}
	a.run(w, req, `mutation kickUsers($ids: [String!]!) { kickUsers(userIds: $ids) { code message } }`,
		map[string]any{"ids": orEmpty(body.UserIDs)}, field("kickUsers"))
}

// logout is the SDKs' users.logout (GET /logout, outside /api/v2): it
// revokes the user's tokens, as kick does. Applications do not exist
// here, so an appId (logging out of one application only) is refused.
func (a *restAPI) logout(w http.ResponseWriter, req *http.Request) {
	if err := httpapi.UnknownParams(req, "userId", "appId"); err != nil {
		a.fail(w, req, err)
		return
	}
	q := req.URL.Query()
	if q.Get("appId") != "" {
		a.fail(w, req, unsupported("appId", "there are no applications here: leave appId out to revoke every token of the user"))
		return
	}
	a.run(w, req, `mutation logout($ids: [String!]!) { kickUsers(userIds: $ids) { code message } }`,
		map[string]any{"ids": []string{q.Get("userId")}}, field("kickUsers"))
}

func (a *restAPI) resources(w http.ResponseWriter, req *http.Request) {
	q := req.URL.Query()
	vars, err := pageParams(q)
	if err != nil {
		a.fail(w, req, err)
		return
	}
	vars["ns"], vars["type"] = optionalParam(q.Get("namespace")), optionalParam(q.Get("type"))
	a.run(w, req, `query resources($ns: String, $type: ResourceType, $page: Int, $limit: Int) {
		resources(namespace: $ns, type: $type, page: $page, limit: $limit) { totalCount list { `+resourceFields+` } } }`,
		vars, field("resources"))
}

func (a *restAPI) resourceDetail(w http.ResponseWriter, req *http.Request) {
	q := req.URL.Query()
	a.run(w, req, `query resource($ns: String, $code: String!) { resource(namespace: $ns, code: $code) { `+resourceFields+` } }`,
		map[string]any{"ns": optionalParam(q.Get("namespace")), "code": q.Get("code")}, field("resource"))
}

func (a *restAPI) createResource(w http.ResponseWriter, req *http.Request) {
	var body struct {
		Code        string           `json:"code"`
		Type        string           `json:"type"`
		Description *string          `json:"description"`
		Actions     []map[string]any `json:"actions"`
		Namespace   *string          `json:"namespace"`
	}
	if !a.decode(w, req, &body) {
		return
	}
	a.run(w, req, `mutation createResource($ns: String, $code: String!, $type: ResourceType!, $description: String, $actions: [ResourceActionInput!]) {
		createResource(namespace: $ns, code: $code, type: $type, description: $description, actions: $actions) { `+resourceFields+` } }`,
		map[string]any{"ns": body.Namespace, "code": body.Code, "type": body.Type, "description": body.Description, "actions": body.Actions},
		field("createResource"))
}

func (a *restAPI) deleteResource(w http.ResponseWriter, req *http.Request) {
	a.run(w, req, `mutation deleteResource($ns: String, $code: String!) { deleteResource(namespace: $ns, code: $code) { code message } }`,
		map[string]any{"ns": optionalParam(req.URL.Query().Get("namespace")), "code": req.PathValue("code")}, field("deleteResource"))
}

func (a *restAPI) isAllowed(w http.ResponseWriter, req *http.Request) {
	var body struct {
		Namespace *string `json:"namespace"`
		UserID    string  `json:"userId"`
		Resource  string  `json:"resource"`
		Action    string  `json:"action"`
	}
	if !a.decode(w, req, &body) {
		return
	}
	a.run(w, req, `query isAllowed($ns: String, $user: String!, $resource: String!, $action: String!) {
		isAllowed(namespace: $ns, userId: $user, resource: $resource, action: $action) }`,
		map[string]any{"ns": body.Namespace, "user": body.UserID, "resource": body.Resource, "action": body.Action},
		func(d result) (any, error) { return map[string]json.RawMessage{"allowed": d["isAllowed"]}, nil })
}

func (a *restAPI) revokeResource(w http.ResponseWriter, req *http.Request) {
	var body struct {
		Namespace *string          `json:"namespace"`
		Resource  string           `json:"resource"`
		Opts      []map[string]any `json:"opts"`
	}
	if !a.decode(w, req, &body) {
		return
	}
	a.run(w, req, `mutation revokeResource($ns: String, $resource: String!, $opts: [AuthorizeResourceOpt!]!) {
		revokeResource(namespace: $ns, resource: $resource, opts: $opts) { code message } }`,
		map[string]any{"ns": body.Namespace, "resource": body.Resource, "opts": orEmpty(body.Opts)}, field("revokeResource"))
}

func (a *restAPI) namespaces(w http.ResponseWriter, req *http.Request) {
	if !a.ownPool(w, req) {
		return
	}
	vars, err := pageParams(req.URL.Query())
	if err != nil {
		a.fail(w, req, err)
		return
	}
	a.run(w, req, `query namespaces($page: Int, $limit: Int) { namespaces(page: $page, limit: $limit) { totalCount list { `+namespaceFields+` } } }`,
		vars, field("namespaces"))
}

func (a *restAPI) createNamespace(w http.ResponseWriter, req *http.Request) {
	if !a.ownPool(w, req) {
		return
	}
	var body struct {
		Code        string  `json:"code"`
		Name        *string `json:"name"`
		Description *string `json:"description"`
	}
	if !a.decode(w, req, &body) {
		return
	}
	a.run(w, req, `mutation createNamespace($code: String!, $name: String, $description: String) {
		createNamespace(code: $code, name: $name, description: $description) { `+namespaceFields+` } }`,
		map[string]any{"code": body.Code, "name": body.Name, "description": body.Description}, field("createNamespace"))
}

// ownPool refuses a namespace route naming another pool than the token's:
// NOT_FOUND, as the native API answers for another pool's objects.
func (a *restAPI) ownPool(w http.ResponseWriter, req *http.Request) bool {
	pool, err := graph.PrincipalPool(req.Context())
	switch {
	case err != nil:
		a.fail(w, req, err)
	case pool != req.PathValue("userPoolId"):
		a.fail(w, req, model.NotFound("userPoolId", "no user pool with this id"))
	default:
		return true
	}
	return false
}

// result is a successful response's data, by root field.
type result map[string]json.RawMessage

// nonNull is the root field's value, or NOT_FOUND on field when it is null.
func (d result) nonNull(name, field, message string) (json.RawMessage, error) {
	v := d[name]
	if len(v) == 0 || string(v) == "null" {
		return nil, model.NotFound(field, "%s", message)
	}
	return v, nil
}

// field picks one root field's value as the envelope's data.
func field(name string) func(result) (any, error) {
	return func(d result) (any, error) { return d[name], nil }
}

// run executes one document with vars and answers the envelope: the data
// pick makes of the response, or the first error.
func (a *restAPI) run(w http.ResponseWriter, req *http.Request, query string, vars map[string]any, pick func(result) (any, error)) {
	resp, err := a.api.Run(req.Context(), a.x, query, vars)
	if err != nil {
		a.fail(w, req, err)
		return
	}
	if len(resp.Errors) > 0 {
		writeJSON(w, asSDKError(resp.Errors[0]))
		return
	}
	var d result
	if err := json.Unmarshal(resp.Data, &d); err != nil {
		a.fail(w, req, err)
		return
	}
	data, err := pick(d)
	if err != nil {
		a.fail(w, req, err)
		return
	}
	ok(w, data)
}

// decode reads a JSON object body into v, answering BAD_REQUEST (and
// false) when it is not one. Nothing of the body is logged or echoed.
func (a *restAPI) decode(w http.ResponseWriter, req *http.Request, v any) bool {
	b, err := io.ReadAll(req.Body)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		a.fail(w, req, &model.Error{Code: model.CodePayloadTooLarge, Message: "the request body is larger than the server accepts"})
		return false
	case err != nil:
		a.fail(w, req, &model.Error{Code: model.CodeBadRequest, Message: "the request body could not be read"})
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil || dec.More() {
		a.fail(w, req, &model.Error{Code: model.CodeBadRequest, Message: "the request body must be one JSON object of the route's fields"})
		return false
	}
	return true
}

// fail answers err in the envelope, presented as the native API presents
// it (an unexpected error is logged and answered as INTERNAL).
func (a *restAPI) fail(w http.ResponseWriter, req *http.Request, err error) {
	e := asSDKError(a.api.Present(req.Context(), err))
	httpapi.Note(req.Context(), "", "", e.Data["code"].(string))
	writeJSON(w, e)
}

// ok answers data in the success envelope.
func ok(w http.ResponseWriter, data any) {
	writeJSON(w, map[string]any{"code": 200, "message": "", "data": data})
}

// optionalParam is a query parameter as an optional GraphQL argument.
func optionalParam(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// pageParams reads the optional page and limit query parameters as the
// variables $page and $limit; a value that is not an integer is
// INVALID_INPUT on its name.
func pageParams(q url.Values) (map[string]any, error) {
	vars := map[string]any{"page": nil, "limit": nil}
	for name := range vars {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, model.Invalid(name, "must be an integer")
			}
			vars[name] = n
		}
	}
	return vars, nil
}

// orEmpty is s, or an empty list for a missing one (a required list
// argument must not be null).
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
