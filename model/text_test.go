package model

import (
	"errors"
	"testing"
)

// TestInputRulesEverywhere checks that every kind of string a client
// writes refuses control characters, that identifiers also refuse
// invisible ones, that emails need a real host name, and that custom
// OBJECT values are bounded in depth: each through the entry point a write
// uses, with INVALID_INPUT on the field.
func TestInputRulesEverywhere(t *testing.T) {
	s := func(v string) *string { return &v }
	user := func(in UserInput) error { return in.Normalize() }
	defs := map[string]*UdfDefinition{
		"note": {Key: "note", DataType: UdfString},
		"meta": {Key: "meta", DataType: UdfObject},
	}
	nested := func(depth int) any {
		var v any = "leaf"
		for range depth {
			v = map[string]any{"k": v}
		}
		return v
	}
	cases := []struct {
		name  string
		err   error
		field string // "" when the write is accepted
	}{
		{"NUL in a nickname", user(UserInput{Nickname: Set(s("a\x00b"))}), "nickname"},
		{"escape in a company", user(UserInput{Company: Set(s("x\x1b[31m"))}), "company"},
		{"newline in a formatted address", user(UserInput{Formatted: Set(s("1 Main St\nSpringfield"))}), ""},
		{"NUL in a username", user(UserInput{Username: Set(s("a\x00b"))}), "username"},
		{"zero-width space in a username", user(UserInput{Username: Set(s("admin\u200b"))}), "username"},
		{"bidi override in a username", user(UserInput{Username: Set(s("user\u202egpj.exe"))}), "username"},
		{"zero-width joiner in an external id", user(UserInput{ExternalID: Set(s("ext\u200d1"))}), "externalId"},
		{"joiner in a nickname (emoji)", user(UserInput{Nickname: Set(s("👩\u200d💻"))}), ""},
		{"quote in an email domain", user(UserInput{Email: Set(s("a@b.com'--"))}), "email"},
		{"email without a dot", user(UserInput{Email: Set(s("a@localhost"))}), "email"},
		{"internationalized email domain", user(UserInput{Email: Set(s("a@bücher.de"))}), ""},
		{"control in an identity", user(UserInput{Identities: Set([]*IdentityInput{{Provider: "github", Type: "oauth", UserIDInIdp: "1\x002"}})}), "identities.0.userIdInIdp"},
		{"NUL in a group name", func() error { _, err := (GroupInput{Name: Set(s("a\x00"))}).Apply(&Group{}); return err }(), "name"},
		{"NUL in a role description", func() error { _, err := (RoleInput{Description: Set(s("\x00"))}).Apply(&Role{}); return err }(), "description"},
		{"NUL in a custom field label", (&UdfDefinition{Label: s("age\x00")}).Check(), "label"},
		{"NUL in a STRING value", func() error { _, err := CheckCustomData(map[string]any{"note": "a\x00"}, defs); return err }(), "note"},
		{"OBJECT value 33 levels deep", func() error {
			_, err := CheckCustomData(map[string]any{"meta": nested(MaxUdfObjectDepth + 1)}, defs)
			return err
		}(), "meta"},
		{"OBJECT value 32 levels deep", func() error {
			_, err := CheckCustomData(map[string]any{"meta": nested(MaxUdfObjectDepth)}, defs)
			return err
		}(), ""},
		{"array nesting counts too", func() error {
			var v any = []any{1}
			for range MaxUdfObjectDepth + 1 {
				v = []any{v}
			}
			_, err := CheckCustomData(map[string]any{"meta": map[string]any{"a": v}}, defs)
			return err
		}(), "meta"},
		{"NUL in an action description", func() error {
			_, err := ValidActions("actions", []*ResourceAction{{Name: "books:read", Description: s("\x00")}})
			return err
		}(), "actions.0.description"},
	}
	for _, c := range cases {
		if c.field == "" {
			if c.err != nil {
				t.Errorf("%s: refused: %v", c.name, c.err)
			}
			continue
		}
		me, ok := AsError(c.err)
		if !ok || !errors.Is(c.err, ErrInvalidInput) || me.Field != c.field {
			t.Errorf("%s: got %v, want INVALID_INPUT on %q", c.name, c.err, c.field)
		}
	}
}
