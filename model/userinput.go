package model

import (
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// UserInput is a write to a user: the GraphQL CreateUserInput and
// UpdateUserInput both bind to it. Every field is Omittable so that an absent
// field is left untouched while an explicit null clears it (nullable fields
// only). For a create, absent and null mean the same: not set.
//
// A field whose Go name matches a User field is copied onto the user by
// Apply; the `v` tag names its format rule and the User field's gorm size
// bounds its length, so each rule is written once.
type UserInput struct {
	Username         graphql.Omittable[*string] `json:"username" v:"username"`
	Email            graphql.Omittable[*string] `json:"email" v:"email"`
	EmailVerified    graphql.Omittable[*bool]   `json:"emailVerified"`
	Phone            graphql.Omittable[*string] `json:"phone" v:"phone"`
	PhoneCountryCode graphql.Omittable[*string] `json:"phoneCountryCode" v:"countryCode"`
	PhoneVerified    graphql.Omittable[*bool]   `json:"phoneVerified"`
	ExternalID       graphql.Omittable[*string] `json:"externalId" v:"identifier"`
	Unionid          graphql.Omittable[*string] `json:"unionid" v:"identifier"`
	Openid           graphql.Omittable[*string] `json:"openid" v:"identifier"`
	Password         graphql.Omittable[*string] `json:"password" apply:"-"`

	Name              graphql.Omittable[*string] `json:"name"`
	Nickname          graphql.Omittable[*string] `json:"nickname"`
	GivenName         graphql.Omittable[*string] `json:"givenName"`
	FamilyName        graphql.Omittable[*string] `json:"familyName"`
	MiddleName        graphql.Omittable[*string] `json:"middleName"`
	PreferredUsername graphql.Omittable[*string] `json:"preferredUsername"`
	Profile           graphql.Omittable[*string] `json:"profile" v:"url"`
	Photo             graphql.Omittable[*string] `json:"photo" v:"url"`
	Website           graphql.Omittable[*string] `json:"website" v:"url"`
	Gender            graphql.Omittable[*Gender] `json:"gender"`
	Birthdate         graphql.Omittable[*string] `json:"birthdate" v:"date"`
	Zoneinfo          graphql.Omittable[*string] `json:"zoneinfo"`
	Locale            graphql.Omittable[*string] `json:"locale"`
	Address           graphql.Omittable[*string] `json:"address"`
	Formatted         graphql.Omittable[*string] `json:"formatted"`
	StreetAddress     graphql.Omittable[*string] `json:"streetAddress"`
	Locality          graphql.Omittable[*string] `json:"locality"`
	Region            graphql.Omittable[*string] `json:"region"`
	PostalCode        graphql.Omittable[*string] `json:"postalCode"`
	City              graphql.Omittable[*string] `json:"city"`
	Province          graphql.Omittable[*string] `json:"province"`
	Country           graphql.Omittable[*string] `json:"country"`
	Company           graphql.Omittable[*string] `json:"company"`
	IdentityNumber    graphql.Omittable[*string] `json:"identityNumber"`

	Browser        graphql.Omittable[*string]     `json:"browser"`
	Device         graphql.Omittable[*string]     `json:"device"`
	RegisterSource graphql.Omittable[[]string]    `json:"registerSource"`
	LoginsCount    graphql.Omittable[*int]        `json:"loginsCount" v:"nonNegative"`
	LastLogin      graphql.Omittable[*time.Time]  `json:"lastLogin"`
	LastIP         graphql.Omittable[*string]     `json:"lastIP" v:"ip"`
	SignedUp       graphql.Omittable[*time.Time]  `json:"signedUp"`
	Status         graphql.Omittable[*UserStatus] `json:"status" apply:"-"`
	Blocked        graphql.Omittable[*bool]       `json:"blocked" apply:"-"`
	Hidden         graphql.Omittable[*bool]       `json:"hidden"`
	TokenExpiredAt graphql.Omittable[*time.Time]  `json:"tokenExpiredAt"`

	ResetPasswordOnNextLogin graphql.Omittable[*bool] `json:"resetPasswordOnNextLogin"`

	// Identities, when set, replace the user's external identities.
	Identities graphql.Omittable[[]*IdentityInput] `json:"identities" apply:"-"`

	// CustomData, when set, is merged into the user's custom data as
	// setUdfValue does (a null value removes a key); null removes it all.
	CustomData graphql.Omittable[any] `json:"customData" apply:"-"`
}

// IdentityInput links a user to an account at an external identity provider.
type IdentityInput struct {
	Provider    string  `json:"provider"`
	Type        string  `json:"type"`
	UserIDInIdp string  `json:"userIdInIdp"`
	ExtIdpID    *string `json:"extIdpId"`
}

// MaxRegisterSources bounds the registerSource list.
const MaxRegisterSources = 16

// MinPasswordLength and MaxPasswordLength bound a password. The upper bound
// keeps hashing cost predictable.
const (
	MinPasswordLength = 6
	MaxPasswordLength = 128
)

// inputField is one set field of a UserInput, found by reflection.
type inputField struct {
	name   string        // the GraphQL (json) name, used in error fields
	goName string        // the Go field name, shared with User
	rule   string        // the `v` tag
	apply  bool          // copied onto User by Apply
	value  reflect.Value // the Omittable's value: a pointer or slice, maybe nil
}

var (
	userType      = reflect.TypeOf(User{})
	userInputType = reflect.TypeOf(UserInput{})
)

// setFields lists the fields of in that the client set, in declaration order.
func (in *UserInput) setFields() []inputField {
	v := reflect.ValueOf(in).Elem()
	var out []inputField
	for i := 0; i < userInputType.NumField(); i++ {
		sf := userInputType.Field(i)
		res := v.Field(i).MethodByName("ValueOK").Call(nil)
		if !res[1].Bool() {
			continue
		}
		out = append(out, inputField{
			name:   strings.Split(sf.Tag.Get("json"), ",")[0],
			goName: sf.Name,
			rule:   sf.Tag.Get("v"),
			apply:  sf.Tag.Get("apply") != "-",
			value:  res[0],
		})
	}
	return out
}

// Normalize validates every set field of in and puts the values in their
// stored form (trimmed identifiers, lower-cased email). It changes nothing
// outside in, so a rejected write has touched nothing. Errors carry the
// field's GraphQL name; callers prefix it with the argument's name.
func (in *UserInput) Normalize() error {
	for _, f := range in.setFields() {
		if f.value.Kind() == reflect.Pointer && f.value.IsNil() {
			if uf, ok := userType.FieldByName(f.goName); f.apply && ok && uf.Type.Kind() != reflect.Pointer && uf.Type.Kind() != reflect.Slice {
				return Invalid(f.name, "cannot be null; omit the field to leave it unchanged")
			}
			if f.name == "blocked" || f.name == "status" {
				return Invalid(f.name, "cannot be null; omit the field to leave it unchanged")
			}
			continue
		}
		if f.value.Kind() == reflect.Pointer && f.value.Elem().Kind() == reflect.String {
			p := f.value.Interface()
			if s, ok := p.(*string); ok {
				if err := normalizeString(f, s); err != nil {
					return err
				}
			}
		}
		if f.rule == "nonNegative" && f.value.Elem().Int() < 0 {
			return Invalid(f.name, "must not be negative")
		}
	}
	if p := in.Password.Value(); p != nil {
		if n := len([]rune(*p)); n < MinPasswordLength || n > MaxPasswordLength {
			return Invalid("password", "must be %d to %d characters", MinPasswordLength, MaxPasswordLength)
		}
	} else if in.Password.IsSet() {
		return Invalid("password", "cannot be null; omit the field to leave it unchanged")
	}
	if rs := in.RegisterSource.Value(); len(rs) > MaxRegisterSources {
		return Invalid("registerSource", "at most %d entries", MaxRegisterSources)
	} else {
		for _, s := range rs {
			if s == "" || len(s) > 64 {
				return Invalid("registerSource", "entries must be 1 to 64 characters")
			}
		}
	}
	if s, b := in.Status.Value(), in.Blocked.Value(); s != nil && b != nil && (*s == StatusActivated) == *b {
		return Invalid("blocked", "contradicts status %s", *s)
	}
	return validateIdentities(in.Identities.Value())
}

// normalizeString applies the field's rule and its length bound to *s,
// rewriting *s into its stored form.
func normalizeString(f inputField, s *string) error {
	if f.rule != "" {
		*s = strings.TrimSpace(*s)
	}
	if uf, ok := userType.FieldByName(f.goName); ok {
		if max := gormSize(uf); max > 0 && len([]rune(*s)) > max {
			return Invalid(f.name, "must be at most %d characters", max)
		}
	}
	if rule, ok := stringRules[f.rule]; ok {
		v, err := rule(*s)
		if err != nil {
			return Invalid(f.name, "%s", err.Error())
		}
		*s = v
	}
	return nil
}

// gormSize reads the size:N of a field's gorm tag: the column width, which is
// also the input's length limit.
func gormSize(sf reflect.StructField) int {
	for _, part := range strings.Split(sf.Tag.Get("gorm"), ";") {
		if n, ok := strings.CutPrefix(part, "size:"); ok {
			v, _ := strconv.Atoi(n)
			return v
		}
	}
	return 0
}

func validateIdentities(ids []*IdentityInput) error {
	if len(ids) > 32 {
		return Invalid("identities", "at most 32 identities")
	}
	seen := map[[2]string]bool{}
	for i, id := range ids {
		field := "identities." + strconv.Itoa(i)
		id.Provider = strings.TrimSpace(id.Provider)
		id.Type = strings.TrimSpace(id.Type)
		id.UserIDInIdp = strings.TrimSpace(id.UserIDInIdp)
		switch {
		case !identifierPattern.MatchString(id.Provider) || len(id.Provider) > 64:
			return Invalid(field+".provider", "must be 1 to 64 letters, digits, '-', '_' or '.'")
		case id.Type == "" || len(id.Type) > 64:
			return Invalid(field+".type", "must be 1 to 64 characters")
		case id.UserIDInIdp == "" || len(id.UserIDInIdp) > 255:
			return Invalid(field+".userIdInIdp", "must be 1 to 255 characters")
		case id.ExtIdpID != nil && len(*id.ExtIdpID) > 255:
			return Invalid(field+".extIdpId", "must be at most 255 characters")
		}
		k := [2]string{id.Provider, id.UserIDInIdp}
		if seen[k] {
			return AlreadyExists(field, "identity %s/%s is listed twice", id.Provider, id.UserIDInIdp)
		}
		seen[k] = true
	}
	return nil
}

// Apply copies the set fields of a normalized input onto u and returns the
// Go names of the User fields it changed (for a column-precise UPDATE). now
// stamps StatusChangedAt when the status changes. Password and identities
// are not applied here: they need hashing and a table of their own.
func (in *UserInput) Apply(u *User, now time.Time) []string {
	uv := reflect.ValueOf(u).Elem()
	var changed []string
	for _, f := range in.setFields() {
		if !f.apply {
			continue
		}
		dst := uv.FieldByName(f.goName)
		src := f.value
		if dst.Kind() != reflect.Pointer && src.Kind() == reflect.Pointer {
			src = src.Elem() // non-nullable column; Normalize refused null
		}
		if src.Kind() == reflect.Pointer && !src.IsNil() {
			if t, ok := src.Interface().(*time.Time); ok {
				utc := t.UTC()
				src = reflect.ValueOf(&utc)
			}
		}
		dst.Set(src.Convert(dst.Type()))
		changed = append(changed, f.goName)
	}
	status, set := in.requestedStatus()
	if set && status != u.Status {
		u.Status = status
		u.StatusChangedAt = &now
		changed = append(changed, "Status", "StatusChangedAt")
	}
	return changed
}

// requestedStatus is the status the input asks for: status itself, or its
// boolean view blocked (true → Suspended, false → Activated).
func (in *UserInput) requestedStatus() (UserStatus, bool) {
	if s := in.Status.Value(); s != nil {
		return *s, true
	}
	if b := in.Blocked.Value(); b != nil {
		if *b {
			return StatusSuspended, true
		}
		return StatusActivated, true
	}
	return "", false
}
