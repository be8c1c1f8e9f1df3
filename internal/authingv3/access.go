package authingv3

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"usergraph/model"
)

const groupSelection = `id code name description`

// groupDTO is a GroupDto: usergraph's groups have no type or metadata
// source, and members are listed by listGroupMembers.
func groupDTO(raw json.RawMessage) (map[string]any, error) {
	var g map[string]any
	if err := json.Unmarshal(raw, &g); err != nil || g == nil {
		return nil, err
	}
	for _, k := range []string{"name", "description"} {
		if g[k] == nil {
			g[k] = ""
		}
	}
	g["type"], g["metadataSource"], g["members"] = "", []any{}, []any{}
	return g, nil
}

func groupDTOs(raw json.RawMessage) ([]map[string]any, error) { return each(raw, groupDTO) }

// each converts every item of a JSON array.
func each(raw json.RawMessage, f func(json.RawMessage) (map[string]any, error)) ([]map[string]any, error) {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(list))
	for _, r := range list {
		m, err := f(r)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

const roleSelection = `id code namespace description`

// roleDTO is a RoleDto: a role's code is its name (usergraph roles have
// no other), enabled.
func roleDTO(raw json.RawMessage) (map[string]any, error) {
	var r map[string]any
	if err := json.Unmarshal(raw, &r); err != nil || r == nil {
		return nil, err
	}
	if r["description"] == nil {
		r["description"] = ""
	}
	r["name"], r["namespaceName"], r["status"] = r["code"], r["namespace"], "ENABLE"
	return r, nil
}

// required reads a required string field of a body.
func required(v, field string) error {
	if strings.TrimSpace(v) == "" {
		return model.Invalid(field, "参数 %s 格式错误: required", field)
	}
	return nil
}

func (a *v3) createGroup(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct {
			Code, Name, Description, Type string
			CustomData                    map[string]any `json:"customData"`
		}
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		return a.makeGroup(ctx, b.Code, b.Name, b.Description, b.Type, b.CustomData, "")
	})
}

// makeGroup creates a group (and sets its custom data, in a second
// statement of the same document, when given).
func (a *v3) makeGroup(ctx context.Context, code, name, description, typ string, customData map[string]any, field string) (map[string]any, error) {
	if err := required(code, join(field, "code")); err != nil {
		return nil, err
	}
	if typ != "" {
		return nil, model.Invalid(join(field, "type"), "group types are not modelled")
	}
	if len(customData) > 0 {
		return nil, model.Invalid(join(field, "customData"), "set a group's custom data with setCustomData after creating it")
	}
	d, err := a.exec(ctx, `mutation createGroup($code: String!, $name: String, $d: String) { createGroup(code: $code, name: $name, description: $d) { `+groupSelection+` } }`,
		map[string]any{"code": code, "name": nonEmpty(name), "d": nonEmpty(description)})
	if err != nil {
		return nil, err
	}
	return groupDTO(d["createGroup"])
}

func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// createGroupsBatch creates each group in turn; the first refused is
// reported with its index (list.N), and the ones before it stay made.
func (a *v3) createGroupsBatch(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct {
			List []struct {
				Code, Name, Description, Type string
				CustomData                    map[string]any `json:"customData"`
			}
		}
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		if len(b.List) == 0 || len(b.List) > maxLimit {
			return nil, model.Invalid("list", "give 1 to %d groups", maxLimit)
		}
		out := []map[string]any{}
		for i, g := range b.List {
			made, err := a.makeGroup(ctx, g.Code, g.Name, g.Description, g.Type, g.CustomData, fmt.Sprintf("list.%d", i))
			if err != nil {
				return nil, itemError(err, i, "list")
			}
			out = append(out, made)
		}
		return out, nil
	})
}

// itemError names a batch item in err's field and says the items before
// it were applied.
func itemError(err error, i int, list string) error {
	if r, ok := err.(errRefused); ok {
		e := r.resp.Errors[0]
		code, _ := e.Extensions["code"].(string)
		field, _ := e.Extensions["field"].(string)
		err = &model.Error{Code: model.Code(code), Field: field, Message: e.Message}
	}
	me, ok := model.AsError(err)
	if !ok {
		return err
	}
	out := *me
	if !strings.HasPrefix(out.Field, list+".") {
		out.Field = join(fmt.Sprintf("%s.%d", list, i), out.Field)
	}
	out.Index = &i
	if i > 0 {
		out.Message += fmt.Sprintf(" (items 0 to %d were applied)", i-1)
	}
	return &out
}

func (a *v3) updateGroup(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct {
			Code        string          `json:"code"`
			Name        *string         `json:"name"`
			Description *string         `json:"description"`
			NewCode     *string         `json:"newCode"`
			CustomData  json.RawMessage `json:"customData"`
		}
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		if err := required(b.Code, "code"); err != nil {
			return nil, err
		}
		if len(b.CustomData) > 0 && string(b.CustomData) != "null" {
			return nil, model.Invalid("customData", "set a group's custom data with setCustomData")
		}
		in := map[string]any{}
		if b.Name != nil {
			in["name"] = *b.Name
		}
		if b.Description != nil {
			in["description"] = *b.Description
		}
		if b.NewCode != nil && *b.NewCode != "" {
			in["code"] = *b.NewCode
		}
		d, err := a.exec(ctx, `mutation updateGroup($code: String!, $in: UpdateGroupInput!) { updateGroup(code: $code, input: $in) { `+groupSelection+` } }`,
			map[string]any{"code": b.Code, "in": in})
		if err != nil {
			return nil, err
		}
		return groupDTO(d["updateGroup"])
	})
}

func (a *v3) getGroup(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		code := req.URL.Query().Get("code")
		if err := required(code, "code"); err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `query getGroup($code: String!) { group(code: $code) { `+groupSelection+` } }`, map[string]any{"code": code})
		if err != nil {
			return nil, err
		}
		if string(d["group"]) == "null" {
			return nil, model.NotFoundOf("group", "code", "分组不存在: no group %q", code)
		}
		return groupDTO(d["group"])
	})
}

func (a *v3) listGroups(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		if req.URL.Query().Get("keywords") != "" {
			return nil, model.Invalid("keywords", "searching groups by keyword is not supported: list them, or get one by code")
		}
		page, limit, err := queryPage(req)
		if err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `query listGroups($page: Int, $limit: Int) { groups(page: $page, limit: $limit) { totalCount list { `+groupSelection+` } } }`,
			map[string]any{"page": page, "limit": limit})
		if err != nil {
			return nil, err
		}
		return paged(d["groups"], groupDTOs)
	})
}

func (a *v3) deleteGroupsBatch(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct {
			CodeList []string `json:"codeList"`
		}
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		if len(b.CodeList) == 0 {
			return nil, model.Invalid("codeList", "参数 codeList 格式错误: give 1 or more codes")
		}
		_, err := a.exec(ctx, `mutation deleteGroups($codes: [String!]!) { deleteGroups(codes: $codes) }`, map[string]any{"codes": b.CodeList})
		return success(), err
	})
}

// groupMembers adds (or removes) users to a group.
func (a *v3) groupMembers(add bool) http.HandlerFunc {
	op := "addGroupMembers"
	if !add {
		op = "removeGroupMembers"
	}
	return func(w http.ResponseWriter, req *http.Request) {
		a.answer(w, req, func(ctx context.Context) (any, error) {
			var b struct {
				Code    string   `json:"code"`
				UserIDs []string `json:"userIds"`
			}
			if err := decode(req, &b); err != nil {
				return nil, err
			}
			if err := required(b.Code, "code"); err != nil {
				return nil, err
			}
			_, err := a.exec(ctx, `mutation m($code: String!, $ids: [ID!]!) { `+op+`(code: $code, userIds: $ids) { code } }`,
				map[string]any{"code": b.Code, "ids": b.UserIDs})
			return success(), err
		})
	}
}

func (a *v3) listGroupMembers(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		code := req.URL.Query().Get("code")
		page, limit, err := queryPage(req)
		if err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `query members($code: String!, $page: Int, $limit: Int) { group(code: $code) { users(page: $page, limit: $limit) { totalCount list { `+queryOptions(req).selection()+` } } } }`,
			map[string]any{"code": code, "page": page, "limit": limit})
		if err != nil {
			return nil, err
		}
		var g *struct{ Users json.RawMessage }
		_ = json.Unmarshal(d["group"], &g)
		if g == nil {
			return nil, model.NotFoundOf("group", "code", "分组不存在: no group %q", code)
		}
		return paged(g.Users, userDTOs)
	})
}

// getUserGroups and getUserRoles: a user's direct groups and roles.
func (a *v3) getUserGroups(w http.ResponseWriter, req *http.Request) {
	a.userRelation(w, req, "groups { totalCount list { "+groupSelection+" } }", func(raw json.RawMessage) (any, error) {
		return paged(field(raw, "groups"), groupDTOs)
	})
}

func (a *v3) getUserRoles(w http.ResponseWriter, req *http.Request) {
	// Without a namespace, the default namespace's roles only (the SDK's
	// documented behaviour).
	ns := req.URL.Query().Get("namespace")
	if ns == "" {
		ns = "default"
	}
	a.userRelation(w, req, fmt.Sprintf("roles(namespace: %s) { totalCount list { %s } }", strconv.Quote(ns), roleSelection), func(raw json.RawMessage) (any, error) {
		return paged(field(raw, "roles"), func(raw json.RawMessage) ([]map[string]any, error) { return each(raw, roleDTO) })
	})
}

// userRelation runs selection on the user a query's userId (and
// userIdType) names.
func (a *v3) userRelation(w http.ResponseWriter, req *http.Request, selection string, pick func(raw json.RawMessage) (any, error)) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		q := req.URL.Query()
		if q.Get("userId") == "" {
			return nil, model.Invalid("userId", "参数 userId 格式错误: give the user's id")
		}
		ids, err := a.resolveUsers(ctx, q.Get("userIdType"), []string{q.Get("userId")}, "userId")
		if err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `query rel($id: ID!) { user(id: $id) { `+selection+` } }`, map[string]any{"id": ids[0]})
		if err != nil {
			return nil, err
		}
		if string(d["user"]) == "null" {
			return nil, model.NotFoundOf("user", "userId", "用户不存在: no user with this id")
		}
		return pick(d["user"])
	})
}

// field is one field of a JSON object.
func field(raw json.RawMessage, name string) json.RawMessage {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(raw, &m)
	return m[name]
}
