package authingv3

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"usergraph/model"
)

var udfTargets = []string{"USER", "ROLE", "GROUP"}

func udfTarget(t, field string) error {
	if !slices.Contains(udfTargets, t) {
		return model.Invalid(field, "USER, ROLE or GROUP (departments are groups here)")
	}
	return nil
}

// customFieldDTO is a CustomFieldDto.
func customFieldDTO(raw json.RawMessage) (map[string]any, error) {
	var f map[string]any
	if err := json.Unmarshal(raw, &f); err != nil || f == nil {
		return nil, err
	}
	if f["label"] == nil {
		f["label"] = f["key"]
	}
	f["isUnique"], f["visibleInAdminConsole"], f["encrypted"] = false, true, false
	return f, nil
}

const udfSelection = `targetType key dataType label description createdAt`

// setCustomFields defines or redefines each field in turn (the first
// refused reported by its index; those before it stay set).
func (a *v3) setCustomFields(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct {
			List []struct {
				TargetType  string          `json:"targetType"`
				Key         string          `json:"key"`
				DataType    string          `json:"dataType"`
				Label       string          `json:"label"`
				Description string          `json:"description"`
				IsUnique    bool            `json:"isUnique"`
				Encrypted   bool            `json:"encrypted"`
				Options     json.RawMessage `json:"options"`
			} `json:"list"`
			TenantID string `json:"tenantId"`
		}
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		if b.TenantID != "" {
			return nil, model.Invalid("tenantId", "tenants are not modelled: a user pool is the tenant")
		}
		if len(b.List) == 0 || len(b.List) > maxLimit {
			return nil, model.Invalid("list", "give 1 to %d fields", maxLimit)
		}
		out := []map[string]any{}
		for i, f := range b.List {
			field := fmt.Sprintf("list.%d", i)
			if err := udfTarget(f.TargetType, field+".targetType"); err != nil {
				return nil, err
			}
			switch {
			case f.DataType == "ENUM":
				return nil, model.Invalid(field+".dataType", "ENUM fields are not modelled: use STRING")
			case f.IsUnique:
				return nil, model.Invalid(field+".isUnique", "unique custom fields are not modelled")
			case f.Encrypted:
				return nil, model.Invalid(field+".encrypted", "encrypted custom fields are not modelled")
			}
			dt := f.DataType
			if dt == "" {
				dt = "STRING"
			}
			d, err := a.exec(ctx, `mutation f($t: UdfTargetType!, $k: String!, $dt: UdfDataType!, $l: String, $d: String) { setUdf(targetType: $t, key: $k, dataType: $dt, label: $l, description: $d) { `+udfSelection+` } }`,
				map[string]any{"t": f.TargetType, "k": f.Key, "dt": dt, "l": nonEmpty(f.Label), "d": nonEmpty(f.Description)})
			if err != nil {
				return nil, itemError(err, i, "list")
			}
			cf, err := customFieldDTO(d["setUdf"])
			if err != nil {
				return nil, err
			}
			out = append(out, cf)
		}
		return out, nil
	})
}

func (a *v3) getCustomFields(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		t := req.URL.Query().Get("targetType")
		if err := udfTarget(t, "targetType"); err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `query f($t: UdfTargetType!) { udf(targetType: $t) { `+udfSelection+` } }`, map[string]any{"t": t})
		if err != nil {
			return nil, err
		}
		return each(d["udf"], customFieldDTO)
	})
}

func (a *v3) deleteCustomFields(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct {
			List []struct{ TargetType, Key string }
		}
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		if len(b.List) == 0 || len(b.List) > maxLimit {
			return nil, model.Invalid("list", "give 1 to %d fields", maxLimit)
		}
		for i, f := range b.List {
			if err := udfTarget(f.TargetType, fmt.Sprintf("list.%d.targetType", i)); err != nil {
				return nil, err
			}
			if _, err := a.exec(ctx, `mutation f($t: UdfTargetType!, $k: String!) { removeUdf(targetType: $t, key: $k) }`,
				map[string]any{"t": f.TargetType, "k": f.Key}); err != nil {
				return nil, itemError(err, i, "list")
			}
		}
		return success(), nil
	})
}

// setCustomData: the V3 values are strings; each is read as its field's
// type (NUMBER, BOOLEAN, DATETIME, OBJECT as JSON) and the whole list is
// one native write.
func (a *v3) setCustomData(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var b struct {
			TargetType       string `json:"targetType"`
			TargetIdentifier string `json:"targetIdentifier"`
			Namespace        string `json:"namespace"`
			TenantID         string `json:"tenantId"`
			List             []struct {
				Key   string          `json:"key"`
				Value json.RawMessage `json:"value"`
			} `json:"list"`
		}
		if err := decode(req, &b); err != nil {
			return nil, err
		}
		if err := udfTarget(b.TargetType, "targetType"); err != nil {
			return nil, err
		}
		d, err := a.exec(ctx, `query f($t: UdfTargetType!) { udf(targetType: $t) { key dataType } }`, map[string]any{"t": b.TargetType})
		if err != nil {
			return nil, err
		}
		var defs []struct{ Key, DataType string }
		_ = json.Unmarshal(d["udf"], &defs)
		data := map[string]any{}
		for i, kv := range b.List {
			field := fmt.Sprintf("list.%d.value", i)
			i := slices.IndexFunc(defs, func(x struct{ Key, DataType string }) bool { return x.Key == kv.Key })
			if i < 0 {
				return nil, model.Invalid(field, "no custom field %q is defined for %s: setCustomFields first", kv.Key, b.TargetType)
			}
			v, err := typed(kv.Value, defs[i].DataType, field)
			if err != nil {
				return nil, err
			}
			data[kv.Key] = v
		}
		var doc string
		vars := map[string]any{"id": b.TargetIdentifier, "data": data}
		switch b.TargetType {
		case "USER":
			doc = `mutation s($id: ID!, $data: JSON!) { setUdfValue(userId: $id, data: $data) }`
		case "GROUP":
			doc = `mutation s($id: String!, $data: JSON!) { setGroupUdfValue(code: $id, data: $data) }`
		case "ROLE":
			doc = `mutation s($id: String!, $ns: String, $data: JSON!) { setRoleUdfValue(code: $id, namespace: $ns, data: $data) }`
			vars["ns"] = nonEmpty(b.Namespace)
		}
		_, err = a.exec(ctx, doc, vars)
		return success(), err
	})
}

// typed reads a V3 custom value (a string, or already typed JSON) as the
// field's type.
func typed(raw json.RawMessage, dataType, field string) (any, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, model.Invalid(field, "not valid JSON")
	}
	s, isString := v.(string)
	if !isString || dataType == "STRING" || dataType == "DATETIME" {
		return v, nil
	}
	switch dataType {
	case "NUMBER":
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, model.Invalid(field, "%q is not a number", s)
		}
		return n, nil
	case "BOOLEAN":
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, model.Invalid(field, "%q is not true or false", s)
		}
		return b, nil
	case "OBJECT":
		var o any
		if err := json.Unmarshal([]byte(s), &o); err != nil {
			return nil, model.Invalid(field, "not a JSON object")
		}
		return o, nil
	}
	return v, nil
}

func (a *v3) getCustomData(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		q := req.URL.Query()
		t, id := q.Get("targetType"), q.Get("targetIdentifier")
		if err := udfTarget(t, "targetType"); err != nil {
			return nil, err
		}
		switch t {
		case "USER":
			d, err := a.exec(ctx, `query c($id: ID!) { udfValue(userId: $id) }`, map[string]any{"id": id})
			if err != nil {
				return nil, err
			}
			return d["udfValue"], nil
		case "GROUP":
			d, err := a.exec(ctx, `query c($id: String!) { h: group(code: $id) { customData } }`, map[string]any{"id": id})
			return holderData(d, err, "group", id)
		default:
			d, err := a.exec(ctx, `query c($id: String!, $ns: String) { h: role(code: $id, namespace: $ns) { customData } }`,
				map[string]any{"id": id, "ns": nonEmpty(q.Get("namespace"))})
			return holderData(d, err, "role", id)
		}
	})
}

func holderData(d result, err error, kind, id string) (any, error) {
	if err != nil {
		return nil, err
	}
	var h *struct {
		CustomData json.RawMessage `json:"customData"`
	}
	_ = json.Unmarshal(d["h"], &h)
	if h == nil {
		return nil, model.NotFoundOf(kind, "targetIdentifier", "no %s %q", kind, id)
	}
	return h.CustomData, nil
}
