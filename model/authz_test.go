package model

import "testing"

func TestResourceCovers(t *testing.T) {
	cases := []struct {
		grant, asked string
		want         bool
	}{
		{"books:1", "books:1", true},
		{"books:1", "books:2", false},
		{"books:1", "books", false},
		{"books:*", "books:1", true},
		{"books:*", "books", true},
		{"books:*", "bookshelf:1", false},
		{"books", "books:42", true},
		{"books", "books", true},
		{"books", "booksx", false},
		{"*", "anything:1", true},
		{"menu/settings", "menu/settings", true},
		{"books:1", "books:10", false},
	}
	for _, c := range cases {
		if got := ResourceCovers(c.grant, c.asked); got != c.want {
			t.Errorf("ResourceCovers(%q, %q) = %v, want %v", c.grant, c.asked, got, c.want)
		}
	}
}

func TestActionCovers(t *testing.T) {
	cases := []struct {
		granted, asked string
		want           bool
	}{
		{"books:read", "books:read", true},
		{"books:read", "books:delete", false},
		{"books:*", "books:read", true},
		{"books:*", "books:delete", true},
		{"books:*", "authors:read", false},
		{"*", "books:read", true},
		{"books:read*", "books:readall", false},
		{"read", "read", true},
	}
	for _, c := range cases {
		if got := ActionCovers(c.granted, c.asked); got != c.want {
			t.Errorf("ActionCovers(%q, %q) = %v, want %v", c.granted, c.asked, got, c.want)
		}
	}
}

func TestMergeGrantsAndAllows(t *testing.T) {
	g := func(ns, code string, actions ...string) *Grant {
		return &Grant{Namespace: ns, ResourceCode: code, ResourceType: ResourceData, Actions: actions}
	}
	reached := []ReachedGrant{
		{g("app", "books:1", "books:read"), GrantSource{TargetType: TargetUser, Code: "u1"}},
		{g("app", "books:1", "books:delete", "books:read"), GrantSource{TargetType: TargetRole, Code: "editor"}},
		{g("app", "books:*", "books:read"), GrantSource{TargetType: TargetGroup, Code: "readers"}},
		{g("other", "books:1", "*"), GrantSource{TargetType: TargetUser, Code: "u1"}},
	}
	ars := MergeGrants(reached, "app", "")
	if len(ars) != 2 || ars[0].Code != "books:*" || ars[1].Code != "books:1" {
		t.Fatalf("merged %+v", ars)
	}
	if got := ars[1].Actions; len(got) != 2 || got[0] != "books:delete" || len(ars[1].Via) != 2 {
		t.Errorf("books:1 = %+v via %d", got, len(ars[1].Via))
	}
	if !Allows(ars, "app", "books:7", "books:read") || Allows(ars, "app", "books:7", "books:delete") ||
		!Allows(ars, "app", "books:1", "books:delete") || Allows(ars, "other", "books:1", "books:read") {
		t.Error("Allows disagrees with the grants")
	}
	if len(MergeGrants(reached, "", ResourceAPI)) != 0 {
		t.Error("type filter kept DATA grants")
	}
}
