package model

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

func TestStringRules(t *testing.T) {
	cases := []struct {
		rule, in, want string
		ok             bool
	}{
		{"email", "Bob@Example.COM", "bob@example.com", true},
		{"email", "bob@localhost", "", false},
		{"email", "Bob <bob@example.com>", "", false},
		{"email", "bob", "", false},
		{"email", "", "", false},
		{"phone", "+86 176-0000-7041", "+8617600007041", true},
		{"phone", "(555) 000 1234", "5550001234", true},
		{"phone", "12ab5678", "", false},
		{"phone", "1234", "", false},
		{"phone", "+123456789012345678901", "", false},
		{"countryCode", "86", "+86", true},
		{"countryCode", "+1", "+1", true},
		{"countryCode", "+12345", "", false},
		{"url", "https://example.com/a.png", "https://example.com/a.png", true},
		{"url", "http://example.com", "http://example.com", true},
		{"url", "javascript:alert(1)", "", false},
		{"url", "/relative", "", false},
		{"url", "https://", "", false},
		{"date", "1990-06-03", "1990-06-03", true},
		{"date", "1990-13-03", "", false},
		{"ip", "127.0.0.1", "127.0.0.1", true},
		{"ip", "::1", "::1", true},
		{"ip", "999.0.0.1", "", false},
		{"username", "Bob", "Bob", true},
		{"identifier", "", "", false},
	}
	for _, c := range cases {
		got, err := stringRules[c.rule](c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("%s(%q) = %q, %v; want %q ok=%v", c.rule, c.in, got, err, c.want, c.ok)
		}
	}
}

func TestParseTime(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		{"2017-06-07T14:34:08.700Z", "2017-06-07T14:34:08.7Z"},
		{"2017-06-07T14:34:08.700", "2017-06-07T14:34:08.7Z"},
		{"2017-06-07T14:34:08+04:00", "2017-06-07T10:34:08Z"},
		{"2017-06-07", "2017-06-07T00:00:00Z"},
		{"1602756997950", ""},
		{"07/06/2017", ""},
		{"2017-06-07 14:34:08", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, err := ParseTime(c.in)
		if c.want == "" {
			if !errors.Is(err, ErrInvalidInput) {
				t.Errorf("ParseTime(%q) = %v, %v; want INVALID_INPUT", c.in, got, err)
			}
			continue
		}
		if err != nil || got.Format(time.RFC3339Nano) != c.want {
			t.Errorf("ParseTime(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
}

func TestNewPage(t *testing.T) {
	one, hundred, zero, neg, tooMany := 1, 100, 0, -1, 101
	cases := []struct {
		page, limit *int
		field       string
	}{
		{nil, nil, ""},
		{&one, &hundred, ""},
		{&zero, nil, "page"},
		{&neg, nil, "page"},
		{nil, &zero, "limit"},
		{nil, &tooMany, "limit"},
	}
	for _, c := range cases {
		_, err := NewPage(c.page, c.limit)
		e, _ := AsError(err)
		if (c.field == "" && err != nil) || (c.field != "" && (e == nil || e.Field != c.field || e.Code != CodeInvalidInput)) {
			t.Errorf("NewPage(%v, %v) = %v, want field %q", c.page, c.limit, err, c.field)
		}
	}
}

func TestPageTotal(t *testing.T) {
	cases := []struct {
		page              Page
		read, stop, total int64
		exact             bool
	}{
		{Page{Page: 1, Limit: 10}, 123456, 0, 123456, true},              // unbounded: always exact
		{Page{Page: 1, Limit: 10, CountTo: 100}, 42, 101, 42, true},      // fewer than the bound
		{Page{Page: 1, Limit: 10, CountTo: 100}, 100, 101, 100, true},    // exactly the bound
		{Page{Page: 1, Limit: 10, CountTo: 100}, 101, 101, 100, false},   // more: a lower bound
		{Page{Page: 20, Limit: 10, CountTo: 100}, 150, 201, 150, true},   // a page past the bound counts to its end
		{Page{Page: 20, Limit: 10, CountTo: 100}, 201, 201, 200, false},  // and is a lower bound beyond it
		{Page{Page: 1, Limit: 100, CountTo: 10_000}, 0, 10_001, 0, true}, // nothing
	}
	for _, c := range cases {
		if stop := c.page.CountStop(); stop != c.stop {
			t.Errorf("%+v: CountStop %d, want %d", c.page, stop, c.stop)
		}
		if total, exact := c.page.Total(c.read); total != c.total || exact != c.exact {
			t.Errorf("%+v read %d: Total %d %v, want %d %v", c.page, c.read, total, exact, c.total, c.exact)
		}
	}
	// Read: all n matches found otherwise, reported as the bounded count would.
	bounded := Page{Page: 1, Limit: 10, CountTo: 100}
	for n, want := range map[int64]int64{0: 0, 42: 42, 101: 101, 500: 101} {
		if got := bounded.Read(n); got != want {
			t.Errorf("Read(%d) = %d, want %d", n, got, want)
		}
	}
	if got := (Page{Page: 1, Limit: 10}).Read(500); got != 500 {
		t.Errorf("unbounded Read(500) = %d", got)
	}
}

func TestNewUserKey(t *testing.T) {
	s := func(v string) *string { return &v }
	if k, err := NewUserKey(nil, s(" Bob@Example.com "), nil, nil); err != nil || k != (UserKey{"email", "bob@example.com"}) {
		t.Errorf("email key = %v, %v", k, err)
	}
	if _, err := NewUserKey(s("a"), s("a@b.co"), nil, nil); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("two keys: %v", err)
	}
	if _, err := NewUserKey(nil, nil, nil, nil); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("no key: %v", err)
	}
}

func TestUserInputNormalizeAndApply(t *testing.T) {
	s := func(v string) *string { return &v }
	b := func(v bool) *bool { return &v }
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	in := UserInput{
		Email:    graphql.OmittableOf(s(" Bob@Example.com ")),
		Nickname: graphql.OmittableOf[*string](nil),
		Blocked:  graphql.OmittableOf(b(true)),
	}
	if err := in.Normalize(); err != nil {
		t.Fatal(err)
	}
	nick := "old"
	u := User{Nickname: &nick, Status: StatusActivated, Company: s("Acme")}
	changed := in.Apply(&u, now)
	if *u.Email != "bob@example.com" || u.Nickname != nil || u.Company == nil || u.Status != StatusSuspended || !u.StatusChangedAt.Equal(now) {
		t.Errorf("applied: %+v", u)
	}
	if strings.Join(changed, ",") != "Email,Nickname,Status,StatusChangedAt" {
		t.Errorf("changed = %v", changed)
	}

	bad := []struct {
		in    UserInput
		field string
	}{
		{UserInput{EmailVerified: graphql.OmittableOf[*bool](nil)}, "emailVerified"},
		{UserInput{Nickname: graphql.OmittableOf(s(strings.Repeat("x", 256)))}, "nickname"},
		{UserInput{Photo: graphql.OmittableOf(s("nope"))}, "photo"},
		{UserInput{Password: graphql.OmittableOf(s("12345"))}, "password"},
		{UserInput{Status: graphql.OmittableOf(ptr(StatusActivated)), Blocked: graphql.OmittableOf(b(true))}, "blocked"},
		{UserInput{Identities: graphql.OmittableOf([]*IdentityInput{{Provider: "gh", Type: "t", UserIDInIdp: "1"}, {Provider: "gh", Type: "t", UserIDInIdp: "1"}})}, "identities.1"},
	}
	for _, c := range bad {
		err := c.in.Normalize()
		if e, ok := AsError(err); !ok || e.Field != c.field {
			t.Errorf("want error on %s, got %v", c.field, err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestUserColumns(t *testing.T) {
	if got := strings.Join(UserColumns([]string{"username", "blocked", "groups", "lastIP", "__typename"}), ","); got != "id,pool_id,username,status,last_ip" {
		t.Errorf("UserColumns = %s", got)
	}
	if UserColumns([]string{"username", "somethingNew"}) != nil {
		t.Error("an unknown field must select every column")
	}
}
