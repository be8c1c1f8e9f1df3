package model

import (
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
)

// UdfTargetType is the kind of record a custom field is defined for.
type UdfTargetType string

// The custom field targets. Values are stored for users; definitions may
// already name roles and groups.
const (
	UdfTargetUser  UdfTargetType = "USER"
	UdfTargetRole  UdfTargetType = "ROLE"
	UdfTargetGroup UdfTargetType = "GROUP"
)

// UdfDataType is the type every value of a custom field must have.
type UdfDataType string

// The custom field data types.
const (
	UdfString   UdfDataType = "STRING"
	UdfNumber   UdfDataType = "NUMBER"
	UdfBoolean  UdfDataType = "BOOLEAN"
	UdfDatetime UdfDataType = "DATETIME"
	UdfObject   UdfDataType = "OBJECT"
)

// UserCustomData is one user's custom data: a change to merge in
// (setUdfValueBatch, where a null value removes a key) or what is stored.
type UserCustomData struct {
	UserID string `json:"userId"`
	Data   any    `json:"data"`
}

// UdfDefinition declares a custom field: a key a pool's records of one
// target type may carry, and the type its values must have.
type UdfDefinition struct {
	ID          string        `json:"id" gorm:"primaryKey;size:36"`
	PoolID      string        `json:"-" gorm:"size:36;not null;uniqueIndex:ux_udf_key,priority:1"`
	TargetType  UdfTargetType `json:"targetType" gorm:"size:8;not null;uniqueIndex:ux_udf_key,priority:2"`
	Key         string        `json:"key" gorm:"size:64;not null;uniqueIndex:ux_udf_key,priority:3"`
	DataType    UdfDataType   `json:"dataType" gorm:"size:8;not null"`
	Label       *string       `json:"label" gorm:"size:255"`
	Description *string       `json:"description" gorm:"size:1000"`
	CreatedAt   time.Time     `json:"createdAt" gorm:"not null"`
	UpdatedAt   time.Time     `json:"updatedAt" gorm:"not null"`

	Pool *UserPool `json:"-" gorm:"foreignKey:PoolID;constraint:OnDelete:CASCADE"`
}

// Check checks a definition's label and description.
func (d *UdfDefinition) Check() error {
	if d.Label != nil {
		if err := CheckText("label", *d.Label, MaxNameLength); err != nil {
			return err
		}
	}
	if d.Description != nil {
		return CheckText("description", *d.Description, MaxDescriptionLength)
	}
	return nil
}

// UserUdfValue is one custom field value of a user. Each data type has its
// own column, so values keep their type and a filter on a key (equality, or
// a range for NUMBER and DATETIME) is an index range scan on
// (definition_id, typed column).
type UserUdfValue struct {
	UserID       string     `gorm:"primaryKey;size:36"`
	DefinitionID string     `gorm:"primaryKey;size:36;index:ix_udf_string,priority:1;index:ix_udf_number,priority:1;index:ix_udf_time,priority:1;index:ix_udf_bool,priority:1"`
	PoolID       string     `gorm:"size:36;not null"`
	StringValue  *string    `gorm:"size:10000;index:ix_udf_string,priority:2"`
	NumberValue  *float64   `gorm:"index:ix_udf_number,priority:2"`
	BoolValue    *bool      `gorm:"index:ix_udf_bool,priority:2"`
	TimeValue    *time.Time `gorm:"index:ix_udf_time,priority:2"`
	ObjectValue  *string    `gorm:"type:text"`

	User       *User          `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	Definition *UdfDefinition `gorm:"foreignKey:DefinitionID;constraint:OnDelete:CASCADE"`
}

// GroupUdfValue and RoleUdfValue are custom field values of groups and
// roles: the same typed columns as a user's, in tables of their own, so
// each is deleted with its group or role by a foreign key and filtered
// through its own (definition, typed column) indexes.
type GroupUdfValue struct {
	GroupID      string     `gorm:"primaryKey;size:36"`
	DefinitionID string     `gorm:"primaryKey;size:36;index:ix_group_udf_string,priority:1;index:ix_group_udf_number,priority:1;index:ix_group_udf_time,priority:1;index:ix_group_udf_bool,priority:1"`
	PoolID       string     `gorm:"size:36;not null"`
	StringValue  *string    `gorm:"size:10000;index:ix_group_udf_string,priority:2"`
	NumberValue  *float64   `gorm:"index:ix_group_udf_number,priority:2"`
	BoolValue    *bool      `gorm:"index:ix_group_udf_bool,priority:2"`
	TimeValue    *time.Time `gorm:"index:ix_group_udf_time,priority:2"`
	ObjectValue  *string    `gorm:"type:text"`

	Group      *Group         `gorm:"foreignKey:GroupID;constraint:OnDelete:CASCADE"`
	Definition *UdfDefinition `gorm:"foreignKey:DefinitionID;constraint:OnDelete:CASCADE"`
}

// RoleUdfValue is one custom field value of a role (see GroupUdfValue).
type RoleUdfValue struct {
	RoleID       string     `gorm:"primaryKey;size:36"`
	DefinitionID string     `gorm:"primaryKey;size:36;index:ix_role_udf_string,priority:1;index:ix_role_udf_number,priority:1;index:ix_role_udf_time,priority:1;index:ix_role_udf_bool,priority:1"`
	PoolID       string     `gorm:"size:36;not null"`
	StringValue  *string    `gorm:"size:10000;index:ix_role_udf_string,priority:2"`
	NumberValue  *float64   `gorm:"index:ix_role_udf_number,priority:2"`
	BoolValue    *bool      `gorm:"index:ix_role_udf_bool,priority:2"`
	TimeValue    *time.Time `gorm:"index:ix_role_udf_time,priority:2"`
	ObjectValue  *string    `gorm:"type:text"`

	Role       *Role          `gorm:"foreignKey:RoleID;constraint:OnDelete:CASCADE"`
	Definition *UdfDefinition `gorm:"foreignKey:DefinitionID;constraint:OnDelete:CASCADE"`
}

// Bounds on custom data.
const (
	MaxUdfStringLength = 10000
	MaxUdfObjectBytes  = 16 << 10
	// MaxCustomDataBytes bounds one record's custom data, as JSON: 16 KB,
	// as Auth0 bounds its metadata. It is what lets a query's cost bound
	// the size of its answer (customData is priced at this size).
	MaxCustomDataBytes = 16 << 10
	// MaxUdfObjectDepth bounds how deeply an OBJECT value nests: a value
	// thousands of levels deep fits in 64 KB and breaks the parsers of
	// clients that read it back.
	MaxUdfObjectDepth  = 32
	MaxUdfKeysPerWrite = 100
	// MaxUdfDefinitions bounds the custom fields a pool defines for one
	// target type, so the udf list has a known size.
	MaxUdfDefinitions = 100
)

var udfKeyPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// ValidUdfKey trims a custom field key and checks it: 1 to 64 letters,
// digits and '_', not starting with a digit (so it is safe as a JSON key,
// a GraphQL-friendly name and a filter argument).
func ValidUdfKey(field, key string) (string, error) {
	key = strings.TrimSpace(key)
	if !udfKeyPattern.MatchString(key) {
		return "", Invalid(field, "a key must be 1 to 64 letters, digits or '_', not starting with a digit")
	}
	return key, nil
}

// CustomData is a record's custom field values as a JSON object.
type CustomData = map[string]any

// UdfChange is one validated change to a record's custom data: a new typed
// value for a field, or its removal (Value nil).
type UdfChange struct {
	Def   *UdfDefinition
	Value *UserUdfValue
}

// CheckCustomData validates data (a JSON object from the client) against
// the definitions, by key, and returns the changes in key order. A key
// without a definition, or a value of the wrong type, is INVALID_INPUT on
// field "<key>"; callers prefix it ("data.age"). A null value removes the
// key.
func CheckCustomData(data any, defs map[string]*UdfDefinition) ([]UdfChange, error) {
	obj, ok := data.(map[string]any)
	if !ok {
		return nil, Invalid("", "custom data must be a JSON object of defined keys")
	}
	if len(obj) > MaxUdfKeysPerWrite {
		return nil, Invalid("", "at most %d keys at once", MaxUdfKeysPerWrite)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]UdfChange, 0, len(keys))
	for _, k := range keys {
		def, ok := defs[k]
		if !ok {
			return nil, Invalid(k, "no custom field %q is defined for users in this pool (see setUdf)", k)
		}
		v, err := typedValue(def, obj[k])
		if err != nil {
			return nil, err
		}
		out = append(out, UdfChange{Def: def, Value: v})
	}
	return out, nil
}

// typedValue converts a JSON value into the typed column of def's data
// type, or nil for a JSON null.
func typedValue(def *UdfDefinition, v any) (*UserUdfValue, error) {
	if v == nil {
		return nil, nil
	}
	wrong := func() error {
		return Invalid(def.Key, "must be a %s value", strings.ToLower(string(def.DataType)))
	}
	out := &UserUdfValue{DefinitionID: def.ID}
	switch def.DataType {
	case UdfString:
		s, ok := v.(string)
		if !ok {
			return nil, wrong()
		}
		if err := CheckText(def.Key, s, MaxUdfStringLength); err != nil {
			return nil, err
		}
		out.StringValue = &s
	case UdfNumber:
		f, ok := number(v)
		if !ok {
			return nil, wrong()
		}
		out.NumberValue = &f
	case UdfBoolean:
		b, ok := v.(bool)
		if !ok {
			return nil, wrong()
		}
		out.BoolValue = &b
	case UdfDatetime:
		s, ok := v.(string)
		if !ok {
			return nil, Invalid(def.Key, "must be a datetime: an ISO 8601 string such as 2017-06-07T14:34:08Z")
		}
		t, err := ParseTime(s)
		if err != nil {
			return nil, Invalid(def.Key, "must be a datetime: an ISO 8601 string such as 2017-06-07T14:34:08Z")
		}
		out.TimeValue = &t
	case UdfObject:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, Invalid(def.Key, "must be an object (a JSON object, not an array or scalar)")
		}
		if nestingDepth(m) > MaxUdfObjectDepth {
			return nil, Invalid(def.Key, "must nest objects and arrays at most %d levels deep", MaxUdfObjectDepth)
		}
		if !validText(m) {
			return nil, Invalid(def.Key, invalidUTF8)
		}
		b, err := json.Marshal(m)
		if err != nil || len(b) > MaxUdfObjectBytes {
			return nil, Invalid(def.Key, "must be a JSON object of at most %d bytes", MaxUdfObjectBytes)
		}
		s := string(b)
		out.ObjectValue = &s
	}
	return out, nil
}

// number reads a finite JSON number as the GraphQL decoder delivers it.
func number(v any) (float64, bool) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		var err error
		if f, err = n.Float64(); err != nil {
			return 0, false
		}
	case float64:
		f = n
	case int64:
		f = float64(n)
	case int:
		f = float64(n)
	default:
		return 0, false
	}
	return f, !math.IsInf(f, 0) && !math.IsNaN(f)
}

// JSONValue returns a stored value in its JSON form: numbers as numbers,
// booleans as booleans, datetimes as RFC 3339 strings, objects as objects.
func (v *UserUdfValue) JSONValue() any {
	switch {
	case v.StringValue != nil:
		return *v.StringValue
	case v.NumberValue != nil:
		return *v.NumberValue
	case v.BoolValue != nil:
		return *v.BoolValue
	case v.TimeValue != nil:
		return v.TimeValue.UTC().Format(time.RFC3339Nano)
	case v.ObjectValue != nil:
		var m map[string]any
		_ = json.Unmarshal([]byte(*v.ObjectValue), &m)
		return m
	}
	return nil
}

// validText reports whether every string and key in v, a decoded JSON
// value, passes CheckUTF8.
func validText(v any) bool {
	switch x := v.(type) {
	case string:
		return CheckUTF8("", x) == nil
	case map[string]any:
		for k, c := range x {
			if CheckUTF8("", k) != nil || !validText(c) {
				return false
			}
		}
	case []any:
		for _, c := range x {
			if !validText(c) {
				return false
			}
		}
	}
	return true
}

// nestingDepth is how deeply v nests objects and arrays (a scalar is 0),
// looking no deeper than one past MaxUdfObjectDepth.
func nestingDepth(v any) int {
	var walk func(v any, d int) int
	walk = func(v any, d int) int {
		if d > MaxUdfObjectDepth {
			return d
		}
		deepest := d
		switch x := v.(type) {
		case map[string]any:
			for _, c := range x {
				deepest = max(deepest, walk(c, d+1))
			}
		case []any:
			for _, c := range x {
				deepest = max(deepest, walk(c, d+1))
			}
		}
		return deepest
	}
	return walk(v, 0)
}

// CheckCustomDataSize refuses custom data larger than MaxCustomDataBytes as
// JSON; field names the input that brought it.
func CheckCustomDataSize(field string, d CustomData) error {
	b, err := json.Marshal(d)
	if err != nil || len(b) > MaxCustomDataBytes {
		return Invalid(field, "a record's custom data may be at most %d bytes of JSON", MaxCustomDataBytes)
	}
	return nil
}
