package authingv3

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"usergraph/graph"
	"usergraph/model"
)

// userSelection is a native User as the SDK's UserDto names its fields
// (aliases do the renaming); workStatus is added in Go.
const userSelection = `userId: id createdAt updatedAt status externalId email phone phoneCountryCode username name nickname photo
loginsCount lastLogin lastIp: lastIP gender emailVerified phoneVerified passwordLastSetAt birthdate country province city address
streetAddress postalCode company browser device givenName familyName middleName profile preferredUsername website zoneinfo locale
formatted region userSourceType resetPasswordOnNextLogin registerSource identityNumber statusChangedAt signedUp metadata`

// userOptions are the with* flags that add to a UserDto.
type userOptions struct {
	customData, identities, departmentIDs bool
}

func (o userOptions) selection() string {
	s := userSelection
	if o.customData {
		s += " customData"
	}
	if o.identities {
		s += " identities { identityId provider type userIdInIdp extIdpId }"
	}
	if o.departmentIDs {
		s += " departments: groups { list { id } }"
	}
	return s
}

// userDTO finishes a native user as a UserDto: workStatus, and the
// departments (usergraph's groups) as departmentIds.
func userDTO(raw json.RawMessage) (map[string]any, error) {
	var u map[string]any
	if err := json.Unmarshal(raw, &u); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, nil
	}
	u["workStatus"] = "Active"
	if u["status"] == "Resigned" {
		u["workStatus"] = "Closed"
	}
	if d, ok := u["departments"].(map[string]any); ok {
		ids := []any{}
		list, _ := d["list"].([]any)
		for _, g := range list {
			if m, ok := g.(map[string]any); ok {
				ids = append(ids, m["id"])
			}
		}
		u["departmentIds"] = ids
		delete(u, "departments")
	}
	if ids, ok := u["identities"].([]any); ok {
		for _, i := range ids {
			if m, ok := i.(map[string]any); ok {
				m["originConnIds"] = []any{}
				m["userInfoInIdp"] = nil
			}
		}
	}
	return u, nil
}

func userDTOs(raw json.RawMessage) ([]map[string]any, error) {
	list, err := each(raw, userDTO)
	return slices.DeleteFunc(list, func(u map[string]any) bool { return u == nil }), err
}

// userFieldsV3 are the V3 user fields usergraph stores, by their V3 name:
// the native input takes them under the same name, but for lastIp.
var userFieldsV3 = []string{"status", "email", "phone", "phoneCountryCode", "username", "externalId", "name", "nickname", "photo",
	"gender", "emailVerified", "phoneVerified", "birthdate", "country", "province", "city", "address", "streetAddress", "postalCode",
	"company", "browser", "device", "givenName", "familyName", "middleName", "profile", "preferredUsername", "website", "zoneinfo",
	"locale", "formatted", "region", "password", "identityNumber", "customData", "metadata"}

// unsupportedUserFields are V3 fields usergraph does not model: a value
// for one is refused, never dropped.
var unsupportedUserFields = map[string]string{
	"salt":           "passwords arrive in plain text and are hashed here: a salt of another system's hash cannot be used (import hashes with usergraph import)",
	"tenantIds":      "tenants are not modelled: a user pool is the tenant",
	"otp":            "one-time-password enrolment is not modelled",
	"departmentIds":  "use addGroupMembers: departments are usergraph's groups",
	"metadataSource": "metadata sources are not modelled",
	"identities":     "add identities through the native API (UserIdentityInput): V3's identity fields differ",
}

// userInput turns a V3 user body (minus the fields the method reads
// itself) into the native CreateUserInput/UpdateUserInput. field prefixes
// error fields (list.3).
func userInput(body map[string]json.RawMessage, skip []string, field string) (map[string]any, error) {
	in := map[string]any{}
	for k, raw := range body {
		if slices.Contains(skip, k) {
			continue
		}
		if why, ok := unsupportedUserFields[k]; ok {
			if string(raw) == "null" {
				continue
			}
			return nil, model.Invalid(join(field, k), "not supported: %s", why)
		}
		if !slices.Contains(userFieldsV3, k) {
			return nil, model.Invalid(join(field, k), "not a field of this method")
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, model.Invalid(join(field, k), "not valid JSON")
		}
		in[k] = v
	}
	return in, nil
}

func join(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

// userIDTypes are the V3 userIdType values usergraph resolves, as the
// findUser argument that looks one up ("" for the id itself).
var userIDTypes = map[string]string{"user_id": "", "": "", "username": "username", "email": "email", "phone": "phone", "external_id": "externalId"}

// checkIDType refuses a userIdType usergraph does not resolve.
func checkIDType(t, field string) (string, error) {
	arg, ok := userIDTypes[t]
	if !ok {
		return "", model.Invalid(field, "userIdType %q is not supported here: use user_id, username, email, phone or external_id", t)
	}
	return arg, nil
}

// resolveUsers turns user identifiers of a userIdType into user ids, in
// one statement (db.Store.UsersByKey, the V2 dialect's look-up too); an
// identifier no user has is NOT_FOUND on field.N, unless lenient, when it
// is left out.
func (a *v3) resolveUsers(ctx context.Context, idType string, ids []string, field string, lenient ...bool) ([]string, error) {
	arg, err := checkIDType(idType, field+"Type")
	if err != nil || arg == "" {
		return ids, err
	}
	pool, err := graph.PrincipalPool(ctx)
	if err != nil {
		return nil, err
	}
	users, err := a.api.Store().UsersByKey(ctx, pool, arg, ids)
	if err != nil {
		return nil, model.WithPrefix(err, field)
	}
	// The users by the attribute looked up, as stored; each identifier is
	// normalized as the look-up normalized it (model.NewUserKey: an email
	// lower-cased).
	byKey := map[string]string{}
	for _, u := range users {
		k := map[string]*string{"username": u.Username, "email": u.Email, "phone": u.Phone, "externalId": u.ExternalID}[arg]
		if k != nil {
			byKey[*k] = u.ID
		}
	}
	out := make([]string, 0, len(ids))
	for i, v := range ids {
		if k, err := model.NewUserKey(only(arg == "username", v), only(arg == "email", v), only(arg == "phone", v), only(arg == "externalId", v)); err == nil {
			v = k.Value
		}
		id, ok := byKey[v]
		switch {
		case ok:
			out = append(out, id)
		case len(lenient) == 0 || !lenient[0]:
			return nil, model.NotFoundOf("user", fmt.Sprintf("%s.%d", field, i), "用户不存在: no user with %s %q", arg, v)
		}
	}
	return out, nil
}

// only is &v when cond holds, else nil.
func only(cond bool, v string) *string {
	if !cond {
		return nil
	}
	return &v
}

// boolParam reads a query flag the SDK always sends (true/false).
func boolParam(req *http.Request, name string) bool { return req.URL.Query().Get(name) == "true" }

func queryOptions(req *http.Request) userOptions {
	return userOptions{customData: boolParam(req, "withCustomData"), identities: boolParam(req, "withIdentities"), departmentIDs: boolParam(req, "withDepartmentIds")}
}

// createUser: POST /api/v3/create-user.
func (a *v3) createUser(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var body map[string]json.RawMessage
		if err := decode(req, &body); err != nil {
			return nil, err
		}
		opts, err := createOptions(body["options"], "options")
		if err != nil {
			return nil, err
		}
		in, err := userInput(body, []string{"options"}, "")
		if err != nil {
			return nil, err
		}
		if opts.resetOnNextLogin {
			in["resetPasswordOnNextLogin"] = true
		}
		d, err := a.exec(ctx, `mutation createUser($u: CreateUserInput!) { createUser(userInfo: $u) { `+userOptions{customData: true}.selection()+` } }`,
			map[string]any{"u": in})
		if err != nil {
			return nil, err
		}
		return userDTO(d["createUser"])
	})
}

type createOpts struct {
	resetOnNextLogin, autoGenerate bool
}

// createOptions reads CreateUserOptionsDto / the batch options: what
// usergraph does (a reset on next login, generated passwords) is done,
// what it does not (notifications, encrypted passwords) refused.
func createOptions(raw json.RawMessage, field string) (createOpts, error) {
	var o struct {
		KeepPassword              *bool           `json:"keepPassword"`
		AutoGeneratePassword      *bool           `json:"autoGeneratePassword"`
		ResetPasswordOnFirstLogin *bool           `json:"resetPasswordOnFirstLogin"`
		ResetPasswordOnNextLogin  *bool           `json:"resetPasswordOnNextLogin"`
		PasswordEncryptType       *string         `json:"passwordEncryptType"`
		SendNotification          json.RawMessage `json:"sendNotification"`
		SendPasswordResetedNotice json.RawMessage `json:"sendPasswordResetedNotification"`
		DepartmentIDType          *string         `json:"departmentIdType"`
		UserIDType                *string         `json:"userIdType"`
	}
	if len(raw) == 0 || string(raw) == "null" {
		return createOpts{}, nil
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return createOpts{}, model.Invalid(field, "must be an object of options")
	}
	if o.PasswordEncryptType != nil && *o.PasswordEncryptType != "none" {
		return createOpts{}, model.Invalid(field+".passwordEncryptType", "only none: send the password in plain text over TLS; it is hashed with argon2id here")
	}
	if len(o.SendNotification) > 0 && string(o.SendNotification) != "null" || len(o.SendPasswordResetedNotice) > 0 && string(o.SendPasswordResetedNotice) != "null" {
		return createOpts{}, model.Invalid(field, "notifications are not sent by usergraph: subscribe to its change events (webhooks) to send your own")
	}
	var out createOpts
	out.resetOnNextLogin = (o.ResetPasswordOnFirstLogin != nil && *o.ResetPasswordOnFirstLogin) || (o.ResetPasswordOnNextLogin != nil && *o.ResetPasswordOnNextLogin)
	out.autoGenerate = o.AutoGeneratePassword != nil && *o.AutoGeneratePassword
	return out, nil
}

// createUsersBatch: POST /api/v3/create-users-batch — all or nothing, as
// the native createUsers is by default.
func (a *v3) createUsersBatch(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		body, opts, err := batchBody(req)
		if err != nil {
			return nil, err
		}
		users := make([]map[string]any, len(body.List))
		for i, item := range body.List {
			if users[i], err = userInput(item, nil, fmt.Sprintf("list.%d", i)); err != nil {
				return nil, err
			}
		}
		d, err := a.exec(ctx, `mutation createUsers($u: [CreateUserInput!]!, $o: BatchWriteOptions) {
			createUsers(users: $u, options: $o) { index error { code field message } user { `+userOptions{customData: true}.selection()+` } } }`,
			map[string]any{"u": users, "o": map[string]any{"atomic": true, "resetPasswordOnNextLogin": opts.resetOnNextLogin, "autoGeneratePassword": opts.autoGenerate}})
		if err != nil {
			return nil, err
		}
		return batchUsers(d["createUsers"], "list")
	})
}

// batchRequest is the body of the batch user writes.
type batchRequest struct {
	List    []map[string]json.RawMessage `json:"list"`
	Options json.RawMessage              `json:"options"`
}

// batchBody reads a batch write's list (1 or more users) and options.
func batchBody(req *http.Request) (batchRequest, createOpts, error) {
	var body batchRequest
	if err := decode(req, &body); err != nil {
		return body, createOpts{}, err
	}
	opts, err := createOptions(body.Options, "options")
	if err == nil && len(body.List) == 0 {
		err = model.Invalid("list", "give 1 or more users")
	}
	return body, opts, err
}

// batchUsers reads BatchUserResult items: the first item's error, if any
// (the write was all or nothing), else the users in order.
func batchUsers(raw json.RawMessage, field string) (any, error) {
	var items []struct {
		Index int             `json:"index"`
		User  json.RawMessage `json:"user"`
		Error *struct {
			Code, Message string
			Field         *string
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for _, it := range items {
		if it.Error != nil {
			f := fmt.Sprintf("%s.%d", field, it.Index)
			if it.Error.Field != nil {
				f += "." + *it.Error.Field
			}
			return nil, &model.Error{Code: model.Code(it.Error.Code), Field: f, Message: it.Error.Message, Index: &it.Index}
		}
		u, err := userDTO(it.User)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// updateUser: POST /api/v3/update-user.
func (a *v3) updateUser(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var body map[string]json.RawMessage
		if err := decode(req, &body); err != nil {
			return nil, err
		}
		var id string
		if err := json.Unmarshal(body["userId"], &id); err != nil || id == "" {
			return nil, model.Invalid("userId", "参数 userId 格式错误: give the user's id")
		}
		var o struct {
			UserIDType string `json:"userIdType"`
		}
		_ = json.Unmarshal(body["options"], &o)
		opts, err := createOptions(body["options"], "options")
		if err != nil {
			return nil, err
		}
		ids, err := a.resolveUsers(ctx, o.UserIDType, []string{id}, "userId")
		if err != nil {
			return nil, err
		}
		in, err := userInput(body, []string{"userId", "options"}, "")
		if err != nil {
			return nil, err
		}
		if opts.resetOnNextLogin {
			in["resetPasswordOnNextLogin"] = true
		}
		d, err := a.exec(ctx, `mutation updateUser($id: ID!, $in: UpdateUserInput!) { updateUser(id: $id, input: $in) { `+userOptions{customData: true}.selection()+` } }`,
			map[string]any{"id": ids[0], "in": in})
		if err != nil {
			return nil, err
		}
		return userDTO(d["updateUser"])
	})
}

// updateUserBatch: POST /api/v3/update-user-batch, as reference 003 shows
// it — all or nothing, each item's fields as updateUser's.
func (a *v3) updateUserBatch(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		body, opts, err := batchBody(req)
		if err != nil {
			return nil, err
		}
		items := make([]map[string]any, len(body.List))
		for i, item := range body.List {
			var id string
			if err := json.Unmarshal(item["userId"], &id); err != nil || id == "" {
				return nil, model.Invalid(fmt.Sprintf("list.%d.userId", i), "give the user's id")
			}
			in, err := userInput(item, []string{"userId"}, fmt.Sprintf("list.%d", i))
			if err != nil {
				return nil, err
			}
			items[i] = map[string]any{"userId": id, "input": in}
		}
		d, err := a.exec(ctx, `mutation updateUsers($u: [UpdateUsersItem!]!, $o: UpdateUsersOptions) {
			updateUsers(users: $u, options: $o) { index error { code field message } user { `+userOptions{customData: true}.selection()+` } } }`,
			map[string]any{"u": items, "o": map[string]any{"atomic": true, "resetPasswordOnNextLogin": opts.resetOnNextLogin, "autoGeneratePassword": opts.autoGenerate}})
		if err != nil {
			return nil, err
		}
		return batchUsers(d["updateUsers"], "list")
	})
}

// getUser: GET /api/v3/get-user.
func (a *v3) getUser(w http.ResponseWriter, req *http.Request) {
	a.userRelation(w, req, queryOptions(req).selection(), func(raw json.RawMessage) (any, error) { return userDTO(raw) })
}

// getUserBatch: GET /api/v3/get-user-batch, in the order asked; ids no
// user has are left out.
func (a *v3) getUserBatch(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		q := req.URL.Query()
		ids := q["userIds[]"]
		if len(ids) == 0 {
			return nil, model.Invalid("userIds", "参数 userIds 格式错误: give 1 or more ids")
		}
		ids, err := a.resolveUsers(ctx, q.Get("userIdType"), ids, "userIds", true)
		if err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `query getUserBatch($ids: [ID!]!) { userBatch(ids: $ids) { `+queryOptions(req).selection()+` } }`, map[string]any{"ids": ids})
		if err != nil {
			return nil, err
		}
		return userDTOs(d["userBatch"])
	})
}

// deleteUsersBatch: POST /api/v3/delete-users-batch — all or nothing.
func (a *v3) deleteUsersBatch(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var body struct {
			UserIDs []string `json:"userIds"`
			Options struct {
				UserIDType string `json:"userIdType"`
			} `json:"options"`
		}
		if err := decode(req, &body); err != nil {
			return nil, err
		}
		if len(body.UserIDs) == 0 {
			return nil, model.Invalid("userIds", "参数 userIds 格式错误: give 1 or more ids")
		}
		ids, err := a.resolveUsers(ctx, body.Options.UserIDType, body.UserIDs, "userIds")
		if err != nil {
			return nil, err
		}
		if _, err := a.exec(ctx, `mutation deleteUsers($ids: [ID!]!) { deleteUsers(ids: $ids) }`, map[string]any{"ids": ids}); err != nil {
			return nil, err
		}
		return success(), nil
	})
}

func success() map[string]bool { return map[string]bool{"success": true} }

// isUserExists: POST /api/v3/is-user-exists — any of username, email,
// phone, externalId; a user matching any exists.
func (a *v3) isUserExists(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var body map[string]*string
		if err := decode(req, &body); err != nil {
			return nil, err
		}
		var q strings.Builder
		vars := map[string]any{}
		q.WriteString("query isUserExists(")
		n := 0
		for _, k := range []string{"username", "email", "phone", "externalId"} {
			if v := body[k]; v != nil && *v != "" {
				if n > 0 {
					q.WriteString(", ")
				}
				fmt.Fprintf(&q, "$%s: String", k)
				vars[k] = *v
				n++
			}
		}
		if n == 0 {
			return nil, model.Invalid("username", "参数 username, email, phone, externalId 格式错误: give one of them")
		}
		q.WriteString(") {")
		for k := range vars {
			fmt.Fprintf(&q, " %s: isUserExists(%s: $%s)", k, k, k)
		}
		q.WriteString(" }")
		d, err := a.exec(ctx, q.String(), vars)
		if err != nil {
			return nil, err
		}
		exists := false
		for _, v := range d {
			exists = exists || string(v) == "true"
		}
		return map[string]bool{"exists": exists}, nil
	})
}

// userAuthorizedResources: GET /api/v3/get-user-authorized-resources.
func (a *v3) userAuthorizedResources(w http.ResponseWriter, req *http.Request) {
	ns := req.URL.Query().Get("namespace")
	if ns == "" {
		ns = "default"
	}
	sel := fmt.Sprintf("authorizedResources(namespace: %s%s) { %s }", strconv.Quote(ns), resourceTypeArg(req.URL.Query().Get("resourceType")), authorizedSelection)
	a.userRelation(w, req, sel, func(raw json.RawMessage) (any, error) {
		list := authorizedDTOs(field(raw, "authorizedResources"), nil)
		return map[string]any{"totalCount": len(list), "list": list}, nil
	})
}

// resourceTypeArg is a resourceType argument, when one of the known types.
func resourceTypeArg(t string) string {
	switch t {
	case "DATA", "API", "MENU", "BUTTON", "UI":
		return ", resourceType: " + t
	}
	return ""
}
