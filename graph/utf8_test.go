package graph_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// postRaw posts a body exactly as given, byte for byte.
func (e *env) postRaw(body []byte) *result {
	e.t.Helper()
	return e.serve(e.token, httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body)))
}

// TestInvalidUTF8Refused: invalid byte sequences and lone surrogates —
// in variables, in the document's literals, as JSON escapes or GraphQL
// ones — are refused with INVALID_INPUT on the field, and nothing is
// stored. (The decoders turn them into U+FFFD before the server sees them,
// so that is what the rules refuse.)
func TestInvalidUTF8Refused(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "someone"})
	e.do(`mutation { setUdf(targetType: USER, key: "note", dataType: STRING) { key } a: setUdf(targetType: USER, key: "meta", dataType: OBJECT) { key } }`, nil).ok(nil)
	createVar := `{"query":"mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }","variables":{"u":`
	setVar := `{"query":"mutation($u: ID!, $d: JSON!) { setUdfValue(userId: $u, data: $d) }","variables":{"u":"` + id + `","d":`
	for _, c := range []struct {
		name, body, field string
	}{
		{"invalid byte in a variable", createVar + "{\"username\":\"a\",\"nickname\":\"x\xffy\"}}}", "userInfo.nickname"},
		{"truncated sequence in a variable", createVar + "{\"username\":\"a\xe2\x82\"}}}", "userInfo.username"},
		{"lone surrogate escape in a variable", createVar + `{"username":"a","nickname":"x\ud800y"}}}`, "userInfo.nickname"},
		{"lone low surrogate in a variable", createVar + `{"username":"a","address":"\udc00"}}}`, "userInfo.address"},
		{"U+FFFD itself", createVar + `{"username":"a","nickname":"\ufffd"}}}`, "userInfo.nickname"},
		{"invalid byte in the document", "{\"query\":\"mutation { createUser(userInfo: {username: \\\"a\\\", nickname: \\\"x\xc3y\\\"}) { id } }\"}", "userInfo.nickname"},
		{"GraphQL lone surrogate escape", `{"query":"mutation { createUser(userInfo: {username: \"a\", nickname: \"x\\uD800y\"}) { id } }"}`, "userInfo.nickname"},
		{"password", createVar + `{"username":"a","password":"long-enough-\ud800"}}}`, "userInfo.password"},
		{"custom value", setVar + `{"note":"\udfff"}}}`, "data.note"},
		{"nested custom value", setVar + `{"meta":{"k":["ok","\ud83d"]}}}}`, "data.meta"},
		{"custom object key", setVar + `{"meta":{"\ud83d":1}}}}`, "data.meta"},
		{"group name", `{"query":"mutation($n: String) { createGroup(code: \"g\", name: $n) { code } }","variables":{"n":"\ud800"}}`, "name"},
	} {
		r := e.postRaw([]byte(c.body))
		if r.code() != "INVALID_INPUT" || r.field() != c.field {
			t.Errorf("%s: got %+v, want INVALID_INPUT on %s", c.name, r.Errors, c.field)
		}
	}
	if n := e.rows("users"); n != 1 {
		t.Errorf("%d users stored", n)
	}
	if n := e.rows("user_udf_values") + e.rows("groups"); n != 0 {
		t.Errorf("%d values or groups stored", n)
	}
	// A surrogate pair is one valid character.
	e.postRaw([]byte(createVar + `{"username":"b","nickname":"\ud83d\ude00"}}}`)).ok(nil)
}
