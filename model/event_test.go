package model

import (
	"os"
	"strings"
	"testing"
)

// TestEventTypesAreDocumented: docs/events.md lists every event type, and
// no type that is not one.
func TestEventTypesAreDocumented(t *testing.T) {
	page, err := os.ReadFile("../docs/events.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(page)
	for _, typ := range EventTypes() {
		if !strings.Contains(doc, "`"+typ+"`") {
			t.Errorf("docs/events.md does not list %s", typ)
		}
	}
}

// TestEventTypeOf: a record's type by what it records.
func TestEventTypeOf(t *testing.T) {
	rec := func(typ AuditObjectType, changes ...Change) *AuditRecord {
		return &AuditRecord{ObjectType: typ, Changes: changes}
	}
	for _, c := range []struct {
		r    *AuditRecord
		want string
	}{
		{rec(AuditUser, Change{Field: "username", After: "a"}, Change{Field: "createdAt", After: "t"}), "user.created"},
		{rec(AuditUser, Change{Field: "createdAt", Before: "t"}), "user.deleted"},
		{rec(AuditUser, Change{Field: "status", Before: "Activated", After: "Archived"}), "user.archived"},
		{rec(AuditUser, Change{Field: "status", Before: "Archived", After: "Suspended"}), "user.restored"},
		{rec(AuditUser, Change{Field: "status", Before: "Activated", After: "Suspended"}), "user.updated"},
		{rec(AuditUser, Change{Field: "groups", After: "ops"}, Change{Field: "roles", Before: "default/admin"}), "user.memberships_changed"},
		{rec(AuditUser, Change{Field: "groups", After: "ops"}, Change{Field: "nickname", After: "x"}), "user.updated"},
		{rec(AuditUser, Change{Field: "password", Before: Redacted, After: Redacted}), "user.password_changed"},
		{rec(AuditRole, Change{Field: "grants.app/books", After: []string{"read"}}), "role.grants_changed"},
		{rec(AuditGroup, Change{Field: "roles", After: "default/admin"}), "group.roles_changed"},
		{rec(AuditAPIKey, Change{Field: "revokedAt", After: "t"}), "api_key.revoked"},
		{rec(AuditUdf, Change{Field: "label", After: "Team"}), "custom_field.updated"},
	} {
		if got := EventTypeOf(c.r); got != c.want {
			t.Errorf("%+v: %s, want %s", c.r.Changes, got, c.want)
		}
	}
}

// TestEventTypePatterns: filters take types, <object>.* and *, and
// refuse anything else.
func TestEventTypePatterns(t *testing.T) {
	if _, err := ValidEventTypes("events", []string{"user.created", "group.*", "*"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"user", "user.nope", "nope.*", "", "*.created", "user.*.x"} {
		if _, err := ValidEventTypes("events", []string{"user.*", bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if !TypeMatches([]string{"group.*"}, "group.deleted") || TypeMatches([]string{"group.*"}, "user.deleted") || !TypeMatches(nil, "x.y") {
		t.Error("patterns match wrongly")
	}
}
