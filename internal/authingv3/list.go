package authingv3

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"usergraph/model"
)

// maxLimit is V3's page bound ("limit must less than 50").
const maxLimit = 50

// pagination checks a page and limit (defaults 1 and 10).
func pagination(page, limit *int, field string) (int, int, error) {
	p, l := 1, 10
	if page != nil {
		p = *page
	}
	if limit != nil {
		l = *limit
	}
	if p < 1 {
		return 0, 0, model.Invalid(join(field, "page"), "参数 page 格式错误: pages start at 1")
	}
	if l < 1 || l > maxLimit {
		return 0, 0, model.Invalid(join(field, "limit"), "limit must less than %d: give 1 to %d", maxLimit, maxLimit)
	}
	return p, l, nil
}

// queryPage reads page and limit query parameters.
func queryPage(req *http.Request) (int, int, error) {
	var page, limit *int
	for name, dst := range map[string]**int{"page": &page, "limit": &limit} {
		if v := req.URL.Query().Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return 0, 0, model.Invalid(name, "参数 %s 格式错误: must be an integer", name)
			}
			*dst = &n
		}
	}
	return pagination(page, limit, "")
}

// namespacedPage reads a list's namespace (default when absent) and page.
func namespacedPage(req *http.Request) (ns string, page, limit int, err error) {
	page, limit, err = queryPage(req)
	return orDefault(req.URL.Query().Get("namespace")), page, limit, err
}

// searchFields maps V3's fuzzySearchOn names to the native search fields.
var searchFields = map[string]string{"phone": "phone", "email": "email", "name": "name", "username": "username", "nickname": "nickname",
	"company": "company", "givenName": "givenName", "familyName": "familyName", "middleName": "middleName", "profile": "profile",
	"preferredUsername": "preferredUsername"}

// sortFields maps V3 sort fields to the native ones.
var sortFields = map[string]string{"createdAt": "CREATED_AT", "updatedAt": "UPDATED_AT", "lastLogin": "LAST_LOGIN", "username": "USERNAME"}

// userStatuses are V3's (and usergraph's) statuses.
var userStatuses = []string{"Activated", "Suspended", "Deactivated", "Resigned", "Archived"}

type filterItem struct {
	Field    string          `json:"field"`
	Operator string          `json:"operator"`
	Value    json.RawMessage `json:"value"`
}

// listUsers: POST /api/v3/list-users — keywords (over the fields
// fuzzySearchOn names), advancedFilter conditions combined with AND,
// pagination, one sort, as the native users listing does them.
func (a *v3) listUsers(w http.ResponseWriter, req *http.Request) {
	a.answer(w, req, func(ctx context.Context) (any, error) {
		var body struct {
			Keywords       *string         `json:"keywords"`
			AdvancedFilter []filterItem    `json:"advancedFilter"`
			SearchQuery    json.RawMessage `json:"searchQuery"`
			Options        struct {
				Pagination struct {
					Page  *int `json:"page"`
					Limit *int `json:"limit"`
				} `json:"pagination"`
				Sort              []struct{ Field, Order string } `json:"sort"`
				FuzzySearchOn     []string                        `json:"fuzzySearchOn"`
				WithCustomData    bool                            `json:"withCustomData"`
				WithIdentities    bool                            `json:"withIdentities"`
				WithDepartmentIDs bool                            `json:"withDepartmentIds"`
			} `json:"options"`
		}
		if err := decode(req, &body); err != nil {
			return nil, err
		}
		if len(body.SearchQuery) > 0 && string(body.SearchQuery) != "null" && string(body.SearchQuery) != "{}" {
			return nil, model.Invalid("searchQuery", "not supported: use keywords and advancedFilter")
		}
		page, limit, err := pagination(body.Options.Pagination.Page, body.Options.Pagination.Limit, "options.pagination")
		if err != nil {
			return nil, err
		}
		vars := map[string]any{"page": page, "limit": limit}
		if body.Keywords != nil && *body.Keywords != "" {
			vars["query"] = *body.Keywords
		}
		if len(body.Options.FuzzySearchOn) > 0 {
			var fields []string
			for i, f := range body.Options.FuzzySearchOn {
				native, ok := searchFields[f]
				if !ok {
					return nil, model.Invalid(fmt.Sprintf("options.fuzzySearchOn.%d", i), "%q cannot be searched here: %v", f, keys(searchFields))
				}
				fields = append(fields, native)
			}
			vars["fields"] = fields
		}
		switch len(body.Options.Sort) {
		case 0:
		case 1:
			s := body.Options.Sort[0]
			native, ok := sortFields[s.Field]
			if !ok {
				return nil, model.Invalid("options.sort.0.field", "users sort by %v here", keys(sortFields))
			}
			order := "DESC"
			if s.Order == "asc" {
				order = "ASC"
			}
			vars["sort"] = map[string]any{"field": native, "order": order}
		default:
			return nil, model.Invalid("options.sort", "one sort field at a time (ties are broken by id)")
		}
		filter, err := advancedFilter(body.AdvancedFilter, vars)
		if err != nil {
			return nil, err
		}
		vars["filter"] = filter
		o := userOptions{customData: body.Options.WithCustomData, identities: body.Options.WithIdentities, departmentIDs: body.Options.WithDepartmentIDs}
		d, err := a.exec(ctx, `query listUsers($query: String, $fields: [String!], $filter: UserFilter, $sort: UserSortInput, $page: Int, $limit: Int) {
			users(query: $query, fields: $fields, filter: $filter, sortBy: $sort, page: $page, limit: $limit, exactCount: true) { totalCount list { `+o.selection()+` } } }`, vars)
		if err != nil {
			return nil, err
		}
		return paged(d["users"], userDTOs)
	})
}

// paged is {totalCount, list} with each item converted.
func paged[T any](raw json.RawMessage, convert func(json.RawMessage) (T, error)) (any, error) {
	var p struct {
		TotalCount int             `json:"totalCount"`
		List       json.RawMessage `json:"list"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, err
	}
	list, err := convert(p.List)
	if err != nil {
		return nil, err
	}
	return map[string]any{"totalCount": p.TotalCount, "list": list}, nil
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// advancedFilter turns V3 conditions into the native UserFilter (and, for
// a CONTAINS on a searchable field, the search): status EQUAL, NOT_EQUAL,
// IN; createdAt BETWEEN (epoch milliseconds or times); a custom field's
// EQUAL and BETWEEN (bounds included, as the native filter's). Other
// fields and operators are refused on their item, never ignored.
func advancedFilter(items []filterItem, vars map[string]any) (map[string]any, error) {
	filter := map[string]any{}
	var custom []map[string]any
	for i, it := range items {
		field := fmt.Sprintf("advancedFilter.%d", i)
		var v any
		if len(it.Value) > 0 {
			if err := json.Unmarshal(it.Value, &v); err != nil {
				return nil, model.Invalid(field+".value", "not valid JSON")
			}
		}
		switch {
		case it.Field == "status":
			var list []string
			switch it.Operator {
			case "EQUAL", "NOT_EQUAL":
				s, _ := v.(string)
				if !slices.Contains(userStatuses, s) {
					return nil, model.Invalid(field+".value", "参数 status 格式错误: one of %v", userStatuses)
				}
				list = []string{s}
				if it.Operator == "NOT_EQUAL" {
					list = slices.DeleteFunc(slices.Clone(userStatuses), func(x string) bool { return x == s })
				}
			case "IN":
				arr, _ := v.([]any)
				for _, x := range arr {
					s, _ := x.(string)
					if !slices.Contains(userStatuses, s) {
						return nil, model.Invalid(field+".value", "参数 status 格式错误: one of %v", userStatuses)
					}
					list = append(list, s)
				}
			default:
				return nil, model.Invalid(field+".operator", "status takes EQUAL, NOT_EQUAL or IN")
			}
			filter["status"] = list
		case it.Field == "createdAt" && it.Operator == "BETWEEN":
			arr, _ := v.([]any)
			if len(arr) != 2 {
				return nil, model.Invalid(field+".value", "BETWEEN takes [from, to]")
			}
			filter["createdAt"] = map[string]any{"from": timeValue(arr[0]), "to": timeValue(arr[1])}
		case it.Operator == "CONTAINS" && searchFields[it.Field] != "":
			s, _ := v.(string)
			if _, taken := vars["query"]; taken || s == "" {
				return nil, model.Invalid(field, "one CONTAINS condition, without keywords, and a non-empty text")
			}
			vars["query"], vars["fields"] = s, []string{searchFields[it.Field]}
		case isUserColumn(it.Field):
			return nil, model.Invalid(field+".field", "filtering on %s is not supported here: status, createdAt (BETWEEN), a CONTAINS on a searchable field, or a custom field", it.Field)
		default: // a custom field
			c := map[string]any{"key": it.Field}
			switch it.Operator {
			case "EQUAL":
				c["eq"] = v
			case "BETWEEN":
				arr, _ := v.([]any)
				if len(arr) != 2 {
					return nil, model.Invalid(field+".value", "BETWEEN takes [from, to]")
				}
				c["gte"], c["lte"] = arr[0], arr[1]
			default:
				// GREATER and LESSER are strict; the native filter's bounds
				// are inclusive, so they are refused rather than answered
				// with the bound itself.
				return nil, model.Invalid(field+".operator", "a custom field takes EQUAL or BETWEEN (bounds included)")
			}
			custom = append(custom, c)
		}
	}
	if len(custom) > 0 {
		filter["customData"] = custom
	}
	return filter, nil
}

// isUserColumn says whether name is a built-in user field (not a custom
// field's key).
func isUserColumn(name string) bool {
	return slices.Contains(userFieldsV3, name) || slices.Contains([]string{"userId", "id", "loginsCount", "lastLogin", "lastIp",
		"updatedAt", "createdAt", "loggedInApps", "department", "gender", "userSourceType", "statusChangedAt"}, name)
}

// timeValue reads a time bound: epoch milliseconds (as the SDK's examples
// send), or a time string as given.
func timeValue(v any) any {
	if n, ok := v.(float64); ok {
		return timeFromMillis(int64(n))
	}
	return v
}

func timeFromMillis(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }
