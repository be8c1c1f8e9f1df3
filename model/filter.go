package model

import (
	"time"
)

// UserFilter narrows a user listing; every given condition must hold. Each
// is served by an index.
type UserFilter struct {
	Status            []UserStatus `json:"status"`
	Blocked           *bool        `json:"blocked"`
	EmailVerified     *bool        `json:"emailVerified"`
	PhoneVerified     *bool        `json:"phoneVerified"`
	CreatedAt         *TimeRange   `json:"createdAt"`
	SignedUp          *TimeRange   `json:"signedUp"`
	RegisteredSince   *int         `json:"registeredSince"`
	IdentityProviders []string     `json:"identityProviders"`
	Hidden            *bool        `json:"hidden"`
	Group             *string      `json:"group"`
	Role              *RoleRef     `json:"role"`
	// Membership says whether Group and Role count direct members only
	// (nil: DIRECT) or every user they reach.
	Membership *Membership       `json:"membership"`
	Can        *Permission       `json:"can"`
	CustomData []*CustomDataPred `json:"customData"`
}

// TimeRange is an inclusive range of times; either end may be open.
type TimeRange struct {
	From *time.Time `json:"from"`
	To   *time.Time `json:"to"`
}

// RoleRef names a role by code in a namespace (the default one when nil).
type RoleRef struct {
	Code      string  `json:"code"`
	Namespace *string `json:"namespace"`
}

// CustomDataPred is a condition on one custom field: equal to a value, or
// within a range (NUMBER and DATETIME fields only).
type CustomDataPred struct {
	Key string `json:"key"`
	Eq  any    `json:"eq"`
	Gte any    `json:"gte"`
	Lte any    `json:"lte"`
}

// MaxRegisteredSince bounds registeredSince (days).
const MaxRegisteredSince = 36500

// Validate checks the filter's own rules (ranges in order, sane counts);
// the store checks what needs the database (custom fields exist and values
// have their types).
func (f *UserFilter) Validate() error {
	if f == nil {
		return nil
	}
	for name, r := range map[string]*TimeRange{"filter.createdAt": f.CreatedAt, "filter.signedUp": f.SignedUp} {
		if r != nil && r.From != nil && r.To != nil && r.To.Before(*r.From) {
			return Invalid(name, "to is before from")
		}
	}
	if f.RegisteredSince != nil && (*f.RegisteredSince < 1 || *f.RegisteredSince > MaxRegisteredSince) {
		return Invalid("filter.registeredSince", "must be 1 to %d days", MaxRegisteredSince)
	}
	if len(f.Status) > 5 || len(f.IdentityProviders) > 50 || len(f.CustomData) > 10 {
		return Invalid("filter", "too many conditions")
	}
	if f.Can != nil {
		if err := f.Can.Validate("filter.can"); err != nil {
			return err
		}
	}
	for i, p := range f.CustomData {
		field := "filter.customData." + itoa(i)
		if p.Eq == nil && p.Gte == nil && p.Lte == nil {
			return Invalid(field, "give eq, gte or lte")
		}
		if p.Eq != nil && (p.Gte != nil || p.Lte != nil) {
			return Invalid(field, "give eq, or a range (gte, lte), not both")
		}
	}
	return nil
}

// Predicate turns a custom field condition into typed bounds for the
// field's value column: the column and, for each of eq, gte and lte, the
// value converted to the column's type. Ranges need NUMBER or DATETIME.
func (p *CustomDataPred) Predicate(def *UdfDefinition, field string) (column string, eq, gte, lte any, err error) {
	conv := func(name string, v any) (any, error) {
		if v == nil {
			return nil, nil
		}
		tv, err := typedValue(def, v)
		if err != nil {
			return nil, Invalid(field+"."+name, "%s", err.(*Error).Message)
		}
		switch def.DataType {
		case UdfString:
			return *tv.StringValue, nil
		case UdfNumber:
			return *tv.NumberValue, nil
		case UdfBoolean:
			return *tv.BoolValue, nil
		case UdfDatetime:
			return *tv.TimeValue, nil
		}
		return nil, Invalid(field+"."+name, "OBJECT fields cannot be filtered on")
	}
	column = map[UdfDataType]string{UdfString: "string_value", UdfNumber: "number_value", UdfBoolean: "bool_value", UdfDatetime: "time_value"}[def.DataType]
	if (p.Gte != nil || p.Lte != nil) && def.DataType != UdfNumber && def.DataType != UdfDatetime {
		return "", nil, nil, nil, Invalid(field, "ranges need a NUMBER or DATETIME field; %q is %s", def.Key, def.DataType)
	}
	if eq, err = conv("eq", p.Eq); err != nil {
		return
	}
	if gte, err = conv("gte", p.Gte); err != nil {
		return
	}
	lte, err = conv("lte", p.Lte)
	return
}
