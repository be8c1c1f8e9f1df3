package authingv3

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"usergraph/model"
)

const resourceSelection = `code namespace type description actions { name description }`

func resourceDTO(raw json.RawMessage) (map[string]any, error) {
	var r map[string]any
	if err := json.Unmarshal(raw, &r); err != nil || r == nil {
		return nil, err
	}
	if r["description"] == nil {
		r["description"] = ""
	}
	r["name"] = r["code"]
	return r, nil
}

func (a *v3) createNamespace(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct{ Code, Name, Description string }
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		if err := required(b.Code, "code"); err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `mutation ns($code: String!, $name: String, $d: String) { createNamespace(code: $code, name: $name, description: $d) { code name description } }`,
			map[string]any{"code": b.Code, "name": nonEmpty(b.Name), "d": nonEmpty(b.Description)})
		if err != nil {
			return nil, err
		}
		return d["createNamespace"], nil
	})
}

func (a *v3) getNamespace(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		code := req.URL.Query().Get("code")
		if err := required(code, "code"); err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `query ns($code: String!) { namespace(code: $code) { code name description } }`, map[string]any{"code": code})
		if err != nil {
			return nil, err
		}
		if string(d["namespace"]) == "null" {
			return nil, model.NotFoundOf("namespace", "code", "namespace not exists: %q", code)
		}
		return d["namespace"], nil
	})
}

func (a *v3) listNamespaces(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		if req.URL.Query().Get("keywords") != "" {
			return nil, model.Invalid("keywords", "searching namespaces by keyword is not supported")
		}
		page, limit, err := queryPage(req)
		if err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `query ns($page: Int, $limit: Int) { namespaces(page: $page, limit: $limit) { totalCount list { code name description } } }`,
			map[string]any{"page": page, "limit": limit})
		if err != nil {
			return nil, err
		}
		return d["namespaces"], nil
	})
}

func (a *v3) deleteNamespace(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct{ Code string }
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		if err := required(b.Code, "code"); err != nil {
			return nil, err
		}
		_, err := a.exec(ctx, `mutation ns($code: String!) { deleteNamespace(code: $code) }`, map[string]any{"code": b.Code})
		return success(), err
	})
}

func (a *v3) createResource(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct {
			Code, Type, Name, Description, Namespace, APIIdentifier string
			Actions                                                 []map[string]any `json:"actions"`
		}
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		if err := required(b.Code, "code"); err != nil {
			return nil, err
		}
		if b.Name != "" && b.Name != b.Code {
			return nil, model.Invalid("name", "resource names are not modelled: a resource is named by its code (use description)")
		}
		if b.APIIdentifier != "" {
			return nil, model.Invalid("apiIdentifier", "API identifiers are not modelled: name the API by the resource's code")
		}
		d, err := a.exec(ctx, `mutation r($ns: String!, $code: String!, $type: ResourceType!, $d: String, $actions: [ResourceActionInput!]) {
			createResource(namespace: $ns, code: $code, type: $type, description: $d, actions: $actions) { `+resourceSelection+` } }`,
			map[string]any{"ns": orDefault(b.Namespace), "code": b.Code, "type": b.Type, "d": nonEmpty(b.Description), "actions": b.Actions})
		if err != nil {
			return nil, err
		}
		return resourceDTO(d["createResource"])
	})
}

func (a *v3) getResource(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		q := req.URL.Query()
		ns := q.Get("namespace")
		if ns == "" {
			ns = "default"
		}
		d, err := a.exec(ctx, `query r($ns: String!, $code: String!) { resource(namespace: $ns, code: $code) { `+resourceSelection+` } }`,
			map[string]any{"ns": ns, "code": q.Get("code")})
		if err != nil {
			return nil, err
		}
		if string(d["resource"]) == "null" {
			return nil, model.NotFoundOf("resource", "code", "资源不存在: no resource %q", q.Get("code"))
		}
		return resourceDTO(d["resource"])
	})
}

func (a *v3) listResources(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		ns, page, limit, err := namespacedPage(req)
		if err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `query r($ns: String!, $type: ResourceType, $page: Int, $limit: Int) { resources(namespace: $ns, type: $type, page: $page, limit: $limit) { totalCount list { `+resourceSelection+` } } }`,
			map[string]any{"ns": ns, "type": nonEmpty(req.URL.Query().Get("type")), "page": page, "limit": limit})
		if err != nil {
			return nil, err
		}
		return paged(d["resources"], func(raw json.RawMessage) ([]map[string]any, error) { return each(raw, resourceDTO) })
	})
}

func (a *v3) deleteResource(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct{ Code, Namespace string }
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		_, err := a.exec(ctx, `mutation r($ns: String!, $code: String!) { deleteResource(namespace: $ns, code: $code) }`,
			map[string]any{"ns": orDefault(b.Namespace), "code": b.Code})
		return success(), err
	})
}

func orDefault(ns string) string {
	if ns == "" {
		return "default"
	}
	return ns
}

// authorizeResources grants, for each item, each resource to each target:
// one native write per resource (all its targets at once); the first
// refused is reported by its place (list.N.resources.M), and the writes
// before it stay made.
func (a *v3) authorizeResources(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct {
			Namespace string `json:"namespace"`
			List      []struct {
				TargetType        string   `json:"targetType"`
				TargetIdentifiers []string `json:"targetIdentifiers"`
				Resources         []struct {
					Code         string   `json:"code"`
					Actions      []string `json:"actions"`
					ResourceType string   `json:"resourceType"`
				} `json:"resources"`
			} `json:"list"`
		}
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		if len(b.List) == 0 {
			return nil, model.Invalid("list", "参数 list 格式错误: give 1 or more grants")
		}
		// Each resource is one native write: bound how many one request
		// makes, as every batch is bounded.
		writes := 0
		for _, it := range b.List {
			writes += len(it.Resources)
		}
		if writes > maxLimit {
			return nil, model.Invalid("list", "at most %d resources in one call (%d given): split the grants", maxLimit, writes)
		}
		for i, it := range b.List {
			if !slices.Contains([]string{"USER", "ROLE", "GROUP"}, it.TargetType) {
				return nil, model.Invalid(fmt.Sprintf("list.%d.targetType", i), "USER, ROLE or GROUP")
			}
			for j, r := range it.Resources {
				var opts []map[string]any
				for _, t := range it.TargetIdentifiers {
					opts = append(opts, map[string]any{"targetType": it.TargetType, "targetIdentifier": t, "actions": r.Actions})
				}
				_, err := a.exec(ctx, `mutation g($ns: String!, $r: String!, $t: ResourceType, $opts: [AuthorizeResourceOpt!]!) {
					authorizeResource(namespace: $ns, resource: $r, resourceType: $t, opts: $opts) }`,
					map[string]any{"ns": orDefault(b.Namespace), "r": r.Code, "t": nonEmpty(r.ResourceType), "opts": opts})
				if err != nil {
					return nil, itemError(err, j, fmt.Sprintf("list.%d.resources", i))
				}
			}
		}
		return success(), nil
	})
}

const authorizedSelection = `list { namespace code type actions }`

// authorizedDTOs are AuthorizedResourceDtos (every grant allows: usergraph
// has no denials), limited to codes when given.
func authorizedDTOs(raw json.RawMessage, codes []string) []map[string]any {
	var p struct {
		List []struct {
			Code, Type string
			Actions    []string
		}
	}
	_ = json.Unmarshal(raw, &p)
	out := []map[string]any{}
	for _, r := range p.List {
		if len(codes) > 0 && !slices.Contains(codes, r.Code) {
			continue
		}
		out = append(out, map[string]any{"resourceCode": r.Code, "resourceType": r.Type, "actions": r.Actions,
			"apiIdentifier": "", "effect": "ALLOW", "description": ""})
	}
	return out
}

// getAuthorizedResources: what a user (through every path), a role or a
// group is granted in a namespace.
func (a *v3) getAuthorizedResources(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		q := req.URL.Query()
		vars := map[string]any{"id": q.Get("targetIdentifier"), "ns": orDefault(q.Get("namespace")), "type": nonEmpty(q.Get("resourceType"))}
		var doc, root string
		switch q.Get("targetType") {
		case "USER":
			doc, root = `query a($id: ID!, $ns: String, $type: ResourceType) { x: authorizedResources(userId: $id, namespace: $ns, resourceType: $type) { `+authorizedSelection+` } }`, ""
		case "ROLE":
			doc, root = `query a($id: String!, $ns: String, $type: ResourceType) { r: role(code: $id, namespace: $ns) { x: authorizedResources(namespace: $ns, resourceType: $type) { `+authorizedSelection+` } } }`, "r"
		case "GROUP":
			doc, root = `query a($id: String!, $ns: String, $type: ResourceType) { r: group(code: $id) { x: authorizedResources(namespace: $ns, resourceType: $type) { `+authorizedSelection+` } } }`, "r"
		default:
			return nil, model.Invalid("targetType", "USER, ROLE or GROUP")
		}
		d, err := a.exec(ctx, doc, vars)
		if err != nil {
			return nil, err
		}
		raw := d["x"]
		if root != "" {
			var holder map[string]json.RawMessage
			_ = json.Unmarshal(d[root], &holder)
			if holder == nil {
				return nil, model.NotFound("targetIdentifier", "group not exists with code: %s", q.Get("targetIdentifier"))
			}
			raw = holder["x"]
		}
		list := authorizedDTOs(raw, q["resourceList[]"])
		return map[string]any{"totalCount": len(list), "list": list}, nil
	})
}

func (a *v3) holderResources(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		a.answer(w, req, func(ctx context.Context) (any, error) {
			q := req.URL.Query()
			var doc string
			if kind == "group" {
				doc = `query a($code: String!, $ns: String, $type: ResourceType) { h: group(code: $code) { x: authorizedResources(namespace: $ns, resourceType: $type) { ` + authorizedSelection + ` } } }`
			} else {
				doc = `query a($code: String!, $ns: String, $type: ResourceType) { h: role(code: $code, namespace: $ns) { x: authorizedResources(namespace: $ns, resourceType: $type) { ` + authorizedSelection + ` } } }`
			}
			d, err := a.exec(ctx, doc, map[string]any{"code": q.Get("code"), "ns": orDefault(q.Get("namespace")), "type": nonEmpty(q.Get("resourceType"))})
			if err != nil {
				return nil, err
			}
			var h map[string]json.RawMessage
			_ = json.Unmarshal(d["h"], &h)
			if h == nil {
				if kind == "group" {
					return nil, model.NotFoundOf("group", "code", "分组不存在: no group %q", q.Get("code"))
				}
				return nil, model.NotFoundOf("role", "code", "角色不存在: no role %q", q.Get("code"))
			}
			list := authorizedDTOs(h["x"], nil)
			if kind == "group" {
				return list, nil // not paged (PROTOCOL.md §4)
			}
			for _, r := range list { // RoleAuthorizedResourcesRespDto
				delete(r, "effect")
				delete(r, "description")
			}
			return map[string]any{"totalCount": len(list), "list": list}, nil
		})
	}
}

func (a *v3) isActionAllowed(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct{ UserID, Action, Resource, Namespace string }
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `query a($u: ID!, $r: String!, $a: String!, $ns: String) { isActionAllowed(userId: $u, resource: $r, action: $a, namespace: $ns) }`,
			map[string]any{"u": b.UserID, "r": b.Resource, "a": b.Action, "ns": orDefault(b.Namespace)})
		if err != nil {
			return nil, err
		}
		return map[string]any{"allowed": string(d["isActionAllowed"]) == "true"}, nil
	})
}
