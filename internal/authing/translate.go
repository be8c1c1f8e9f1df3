package authing

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	native "usergraph/graph/exec"
	"usergraph/graph/scalar"
	"usergraph/internal/authing/exec"
	"usergraph/model"
)

// done is the CommonMessage of a write that succeeded.
func done(message string) *exec.CommonMessage {
	code := 200
	return &exec.CommonMessage{Code: &code, Message: &message}
}

// renamed reports a native error under this API's argument names: the
// native field path from (say "codes") becomes to ("codeList"), keeping
// what follows it (".2").
func renamed(err error, from, to string) error {
	var me *model.Error
	if !errors.As(err, &me) {
		return err
	}
	if me.Field == from || strings.HasPrefix(me.Field, from+".") {
		c := *me
		c.Field = to + strings.TrimPrefix(me.Field, from)
		return &c
	}
	return err
}

// unsupported is the error for an argument this API accepts for the SDKs'
// sake but cannot honour: INVALID_INPUT on field, never silently ignored.
func unsupported(field, why string) error {
	return model.Invalid(field, "%s", why)
}

// given reports whether an optional string argument carries a value.
func given(s *string) bool { return s != nil && *s != "" }

// nsOrDefault is the namespace argument, the default namespace when absent.
func nsOrDefault(ns *string) string {
	if ns == nil {
		return ""
	}
	return *ns
}

// userSort maps the SDKs' sort order to the native one.
func userSort(s *exec.SortByEnum) *model.UserSort {
	if s == nil {
		return nil
	}
	switch *s {
	case exec.SortByEnumCreatedatAsc:
		return &model.UserSort{Field: model.SortCreatedAt, Order: model.SortAsc}
	case exec.SortByEnumUpdatedatDesc:
		return &model.UserSort{Field: model.SortUpdatedAt, Order: model.SortDesc}
	case exec.SortByEnumUpdatedatAsc:
		return &model.UserSort{Field: model.SortUpdatedAt, Order: model.SortAsc}
	}
	return &model.UserSort{Field: model.SortCreatedAt, Order: model.SortDesc}
}

// parseResourceType parses the SDKs' resourceType, a String on listings:
// nil when absent, INVALID_INPUT on field when not a type usergraph has.
func parseResourceType(field string, s *string) (*model.ResourceType, error) {
	if !given(s) {
		return nil, nil
	}
	return nativeResourceType(field, exec.ResourceType(strings.ToUpper(*s)))
}

// nativeResourceType maps the SDKs' ResourceType enum to the native one.
func nativeResourceType(field string, t exec.ResourceType) (*model.ResourceType, error) {
	rt := model.ResourceType(t)
	for _, known := range []model.ResourceType{model.ResourceData, model.ResourceAPI, model.ResourceMenu, model.ResourceButton} {
		if rt == known {
			return &rt, nil
		}
	}
	return nil, unsupported(field, "the resource type must be DATA, API, MENU or BUTTON")
}

// grantTargets maps the SDKs' grant options to native grant targets.
func grantTargets(opts []*exec.AuthorizeResourceOpt) ([]*model.GrantTarget, error) {
	out := make([]*model.GrantTarget, 0, len(opts))
	for i, o := range opts {
		field := fmt.Sprintf("opts.%d", i)
		if o == nil {
			return nil, model.Invalid(field, "must not be null")
		}
		var tt model.TargetType
		switch o.TargetType {
		case exec.PolicyAssignmentTargetTypeUser:
			tt = model.TargetUser
		case exec.PolicyAssignmentTargetTypeRole:
			tt = model.TargetRole
		case exec.PolicyAssignmentTargetTypeGroup:
			tt = model.TargetGroup
		default:
			return nil, unsupported(field+".targetType", "grants go to USER, ROLE or GROUP targets here")
		}
		actions, _ := o.Actions.ValueOK()
		out = append(out, &model.GrantTarget{TargetType: tt, TargetIdentifier: o.TargetIdentifier, Actions: actions})
	}
	return out, nil
}

// udfTarget maps the SDKs' UDF target type to the native one; the kinds
// usergraph has no fields for are INVALID_INPUT on field.
func udfTarget(field string, t exec.UDFTargetType) (model.UdfTargetType, error) {
	switch t {
	case exec.UDFTargetTypeUser:
		return model.UdfTargetUser, nil
	case exec.UDFTargetTypeRole:
		return model.UdfTargetRole, nil
	case exec.UDFTargetTypeGroup:
		return model.UdfTargetGroup, nil
	}
	return "", unsupported(field, "custom fields belong to USER, ROLE or GROUP here")
}

// udfData is an object's custom data as the SDKs read it: one entry per
// key, sorted, each value encoded by encodeValue and labelled from defs.
func udfData(data any, defs []*model.UdfDefinition) []*exec.UserDefinedData {
	m, _ := data.(model.CustomData)
	byKey := make(map[string]*model.UdfDefinition, len(defs))
	for _, d := range defs {
		byKey[d.Key] = d
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*exec.UserDefinedData, 0, len(keys))
	for _, k := range keys {
		dt := model.UdfString
		var label *string
		if d := byKey[k]; d != nil {
			dt, label = d.DataType, d.Label
		}
		out = append(out, &exec.UserDefinedData{Key: k, DataType: exec.UDFDataType(dt), Value: encodeValue(dt, m[k]), Label: label})
	}
	return out
}

// encodeValue writes a custom value as the SDKs decode it by data type:
// STRING as the text itself, DATETIME as RFC 3339 text (they pass it to
// new Date), the others as JSON (they JSON.parse it).
func encodeValue(dt model.UdfDataType, v any) string {
	switch x := v.(type) {
	case string:
		if dt == model.UdfString || dt == model.UdfDatetime {
			return x
		}
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// decodeValue reads a custom value as the SDKs send it, JSON-encoded
// ("\"MIT\"", "20", "true"); a value that is not JSON is taken as text, as
// other clients send STRING values. A null removes the key.
func decodeValue(s *string) any {
	if s == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(*s), &v); err != nil {
		return *s
	}
	return v
}

// usersPage maps a native user listing to the SDKs' page.
func usersPage(l *native.UserList) *exec.PaginatedUsers {
	if l == nil {
		return &exec.PaginatedUsers{List: []*model.User{}}
	}
	return &exec.PaginatedUsers{TotalCount: l.TotalCount, List: l.List}
}

// resourcesPage maps a native authorized-resource list to the SDKs' page.
func resourcesPage(l *native.AuthorizedResourceList) *exec.PaginatedAuthorizedResources {
	if l == nil {
		return &exec.PaginatedAuthorizedResources{List: []*model.AuthorizedResource{}}
	}
	return &exec.PaginatedAuthorizedResources{TotalCount: l.TotalCount, List: l.List}
}

// userInput maps the SDKs' user input (CreateUserInput or UpdateUserInput)
// to the native one under the argument name arg: fields of the same name
// and type are copied as given (absent stays absent, null stays null);
// times arrive as RFC 3339 strings, gender as a string; the fields with no
// native counterpart must be absent or empty. The password is left to the
// caller (it arrives encrypted).
func userInput(arg string, in any) (model.UserInput, error) {
	var out model.UserInput
	src := reflect.ValueOf(in)
	dst := reflect.ValueOf(&out).Elem()
	dstByName := map[string]reflect.Value{}
	for i := 0; i < dst.NumField(); i++ {
		name := strings.Split(dst.Type().Field(i).Tag.Get("json"), ",")[0]
		dstByName[name] = dst.Field(i)
	}
	for i := 0; i < src.NumField(); i++ {
		name := strings.Split(src.Type().Field(i).Tag.Get("json"), ",")[0]
		f := src.Field(i)
		field := arg + "." + name
		switch name {
		case "password":
			continue
		case "oauth", "mainDepartmentId", "mainDepartmentCode", "expiredAt", "directManagement":
			if s, ok := f.Interface().(graphql.Omittable[*string]); ok && given(s.Value()) {
				return out, unsupported(field, "usergraph has no counterpart for this field: leave it out")
			}
			continue
		case "lastLogin", "signedUp", "tokenExpiredAt":
			s := f.Interface().(graphql.Omittable[*string])
			if !s.IsSet() {
				continue
			}
			var t *time.Time
			if v := s.Value(); v != nil {
				parsed, err := scalar.UnmarshalTime(*v)
				if err != nil {
					return out, model.Invalid(field, "must be an RFC 3339 time such as 2017-06-07T14:34:08Z")
				}
				t = &parsed
			}
			dstByName[name].Set(reflect.ValueOf(graphql.OmittableOf(t)))
			continue
		case "gender":
			s := f.Interface().(graphql.Omittable[*string])
			if !s.IsSet() {
				continue
			}
			var g *model.Gender
			if v := s.Value(); v != nil {
				x := model.Gender(strings.ToUpper(*v))
				g = &x
			}
			out.Gender = graphql.OmittableOf(g)
			continue
		case "isDeleted":
			if b := f.Interface().(graphql.Omittable[*bool]).Value(); b != nil && *b {
				st := model.StatusArchived
				out.Status = graphql.OmittableOf(&st)
			}
			continue
		}
		d, ok := dstByName[name]
		if !ok || d.Type() != f.Type() {
			panic("authing: no native user input field for " + name) // caught by TestUserInputFieldsMap
		}
		d.Set(f)
	}
	return out, nil
}

// mapAll maps a batch resolver's native answer (one list per parent) to
// this API's type, passing an error through.
func mapAll[S, T any](in []S, err error, f func(S) T) ([]T, error) {
	if err != nil {
		return nil, err
	}
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out, nil
}

// authorizedResources is the authorizedResources field of users, roles and
// groups: resourceType parsed from the SDKs' String, then the native batch
// resolver load.
func authorizedResources(resourceType *string, load func(*model.ResourceType) (grantLists, error)) ([]*exec.PaginatedAuthorizedResources, error) {
	rt, err := parseResourceType("resourceType", resourceType)
	if err != nil {
		return nil, err
	}
	lists, err := load(rt)
	return mapAll(lists, err, resourcesPage)
}

// grantLists is the native answer of an authorizedResources batch
// resolver: one list per parent.
type grantLists = []*native.AuthorizedResourceList

// derefAll is the non-null strings of a list of nullable ones.
func derefAll(list []*string) []string {
	var out []string
	for _, s := range list {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out
}
