package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"usergraph/graph"
)

// TestLeanPathAnswersAsGqlgen: the lean path (lean.go) answers every shape
// it takes byte for byte as gqlgen's executor does — every field it
// writes, set and unset, escaped text, aliases, __typename, roles through
// groups, an unknown id — and hands the rest to gqlgen. gqlgen's answer is
// got by adding @include(if: true) to the root field, which the lean path
// never takes.
func TestLeanPathAnswersAsGqlgen(t *testing.T) {
	e := newEnv(t)
	full := e.createUser(map[string]any{
		"username": "full", "email": "full@example.com", "emailVerified": true, "phone": "+33612345678", "phoneCountryCode": "+33",
		"phoneVerified": true, "externalId": "ext-1", "unionid": "u1", "openid": "o1", "name": `Ann "Q" <b>&amp;</b>`,
		"nickname": "Ann\u00e9 \u2603 \\ /", "givenName": "Ann", "familyName": "Lee", "middleName": "M", "preferredUsername": "ann",
		"profile": "https://example.com/p", "photo": "https://example.com/a.png", "website": "https://example.com", "gender": "F",
		"birthdate": "1990-01-02", "zoneinfo": "Europe/Paris", "locale": "fr-FR", "address": "1 rue", "formatted": "1 rue\nParis",
		"streetAddress": "1 rue", "locality": "Paris", "region": "IDF", "postalCode": "75001", "city": "Paris", "province": "P",
		"country": "FR", "company": "Acme", "identityNumber": "X1", "browser": "Firefox", "device": "laptop",
		"registerSource": []string{"import", "admin"}, "loginsCount": 7, "lastLogin": "2024-01-02T03:04:05Z", "lastIP": "10.0.0.1",
		"signedUp": "2023-05-06T07:08:09.123Z", "blocked": true, "tokenExpiredAt": "2030-01-01T00:00:00Z",
	})
	empty := e.createUser(map[string]any{"externalId": "bare"})
	e.do(`mutation { createGroup(code: "staff", name: "Staff <&>", description: "All \"staff\"") { id } }`, nil).ok(nil)
	e.do(`mutation { createGroup(code: "bare") { id } }`, nil).ok(nil)
	e.do(`mutation { createRole(code: "editor", description: "Edits") { id } }`, nil).ok(nil)
	e.do(`mutation { createRole(code: "viaGroup") { id } }`, nil).ok(nil)
	e.do(`mutation($id: ID!) { addGroups(userId: $id, groups: ["staff", "bare"]) { totalCount } }`, map[string]any{"id": full}).ok(nil)
	e.do(`mutation($id: ID!) { addRoles(userId: $id, roles: ["editor"]) { totalCount } }`, map[string]any{"id": full}).ok(nil)
	e.do(`mutation { addGroupRoles(code: "staff", roles: ["viaGroup"]) { code } }`, nil).ok(nil)

	userFields := strings.Join(sorted(graph.LeanUserFields()), " ")
	roleFields := strings.Join(sorted(graph.LeanRoleFields()), " ")
	groupFields := strings.Join(sorted(graph.LeanGroupFields()), " ")
	if len(graph.LeanUserFields()) < 40 || !strings.Contains(userFields, "blocked") || !strings.Contains(userFields, "registerSource") {
		t.Fatalf("the lean path writes too few User fields to be worth its test: %s", userFields)
	}
	shapes := []struct {
		query string
		vars  map[string]any
	}{
		{`query($p: Int!) { users(page: $p, limit: 5) { totalCount __typename list { __typename ` + userFields +
			` roles { totalCount __typename list { __typename ` + roleFields + ` } } groups { totalCount list { ` + groupFields + ` } } } } }`, map[string]any{"p": 1}},
		{`{ users(limit: 1, page: 2) { n: totalCount l: list { x: id id username r: roles { list { c: code } } g: groups { list { code } } } } }`, nil},
		{`{ users { list { id } list { username } } }`, nil},
		{`query($id: ID!) { user(id: $id) { ` + userFields + ` roles { list { code } } } }`, map[string]any{"id": full}},
		{`query($id: ID!) { user(id: $id) { ` + userFields + ` groups { totalCount list { code name } } } }`, map[string]any{"id": empty}},
		{`{ user(id: "no-such-user") { id } }`, nil},
		{`query($id: ID!) { u: user(id: $id) { __typename id } }`, map[string]any{"id": full}},
	}
	for i, s := range shapes {
		if !graph.LeanServes(s.query) {
			t.Fatalf("shape %d: the lean path does not take it, so the test compares gqlgen with itself", i)
		}
		lean := e.rawPost(s.query, s.vars)
		standard := e.rawPost(withInclude(s.query), s.vars)
		if lean != standard {
			t.Errorf("shape %d differs:\nlean:   %s\ngqlgen: %s", i, lean, standard)
		}
		if strings.Contains(lean, `"errors"`) {
			t.Errorf("shape %d answered errors: %s", i, lean)
		}
	}
	// Shapes it hands to gqlgen, which answers them as ever.
	for _, q := range []string{
		`{ users { list { id identities { provider } } } }`,
		`{ users { pageInfo { hasNextPage } list { id } } }`,
		`{ users(filter: {blocked: true}) { list { id } } }`,
		`{ users { list { ... on User { id } } } }`,
		`{ users { list { roles(direct: true) { list { code } } } } }`,
		`{ users { list { id } } groups { totalCount } }`,
	} {
		if graph.LeanServes(q) && !strings.Contains(q, "filter") {
			t.Errorf("the lean path takes %s", q)
		}
		e.do(q, nil).ok(nil)
	}
	// Errors come from gqlgen's path, with their codes.
	e.do(`{ users(limit: 1000) { list { id } } }`, nil).wantErr("INVALID_INPUT", "limit")
	if r := e.doAs("", `{ users { list { id } } }`, nil); r.code() != "UNAUTHENTICATED" {
		t.Fatalf("no token: %+v", r.Errors)
	}
	_, reader := e.newKey("groups only", "groups:read")
	if r := e.doAs(reader, `{ users { list { id } } }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("a key without users:read: %+v", r.Errors)
	}
}

// withInclude adds @include(if: true) to the operation's root field, which
// sends the operation down gqlgen's path.
func withInclude(q string) string {
	open := strings.Index(q, "{")
	rest := q[open+1:]
	end := strings.IndexAny(rest, "{(")
	return q[:open+1] + rest[:end] + rootArgs(rest[end:])
}

// rootArgs puts the directive after the root field's arguments, if any.
func rootArgs(s string) string {
	if s[0] == '(' {
		close := strings.Index(s, ")")
		return s[:close+1] + " @include(if: true) " + s[close+1:]
	}
	return " @include(if: true) " + s
}

// rawPost posts a query with the env's token and returns the body.
func (e *env) rawPost(query string, vars map[string]any) string {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		e.t.Fatalf("HTTP %d: %s", rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

func sorted(s []string) []string {
	sort.Strings(s)
	return s
}
