package authing_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"usergraph/db"
	"usergraph/internal/authing"
	"usergraph/internal/dbtest"
	"usergraph/internal/graphtest"
	"usergraph/internal/httpapi"
)

// env is one test's server: the real handler, native and Authing APIs,
// over a database of its own, and a management token for the default pool
// got the SDKs' way (accessToken on /graphql/v2).
type env struct {
	t      testing.TB
	h      http.Handler
	store  *db.Store
	keys   *authing.Keys
	stmts  *dbtest.Counter
	log    *graphtest.Buffer
	poolID string
	secret string
	token  string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	var keys *authing.Keys
	s := graphtest.New(t, func(o *httpapi.Options) {
		var err error
		if keys, err = authing.LoadKeys(context.Background(), o.Store); err != nil {
			t.Fatal(err)
		}
		o.Dialects = []httpapi.Dialect{&authing.Dialect{Keys: keys}}
	})
	e := &env{t: t, h: s.Handler, store: s.Store, keys: keys, stmts: s.Statements, log: s.Log, poolID: s.PoolID, secret: s.Secret}
	var out struct{ AccessToken struct{ AccessToken string } }
	e.gql("", `query accessToken($p: String!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { accessToken exp iat } }`,
		map[string]any{"p": s.PoolID, "s": s.Secret}).ok(&out)
	e.token = out.AccessToken.AccessToken
	return e
}

// sdkError is errors[].message as the SDKs read it.
type sdkError struct {
	Code    int            `json:"code"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data"`
}

// result is a decoded /graphql/v2 response.
type result struct {
	t      testing.TB
	Status int             `json:"-"`
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message sdkError `json:"message"`
		Path    []any    `json:"path"`
	} `json:"errors"`
}

// gql posts a /graphql/v2 operation as the SDKs do, with token ("" sends
// none) and the pool header.
func (e *env) gql(token, query string, vars map[string]any) *result {
	e.t.Helper()
	rec := e.send(http.MethodPost, "/graphql/v2", token, map[string]any{"query": query, "variables": vars})
	r := &result{t: e.t, Status: rec.Code}
	if err := json.Unmarshal(rec.Body.Bytes(), r); err != nil {
		e.t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
	if r.Status != http.StatusOK {
		e.t.Fatalf("HTTP %d: the SDKs lose the body of any status but 200", r.Status)
	}
	return r
}

// do is gql with the env's token.
func (e *env) do(query string, vars map[string]any) *result {
	e.t.Helper()
	return e.gql(e.token, query, vars)
}

// send makes one HTTP request with the SDKs' headers; a nil body sends
// none, a string is sent as it is, anything else as JSON.
func (e *env) send(method, path, token string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	var b []byte
	switch v := body.(type) {
	case nil:
	case string:
		b = []byte(v)
	default:
		b, _ = json.Marshal(v)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-authing-userpool-id", e.poolID)
	req.Header.Set("x-authing-request-from", "sdk")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// envelope is a REST answer.
type envelope struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// rest calls a REST route with the env's token and decodes the envelope.
func (e *env) rest(method, path string, body any) envelope {
	e.t.Helper()
	return e.restAs(e.token, method, path, body)
}

// restAs is rest with another token.
func (e *env) restAs(token, method, path string, body any) envelope {
	e.t.Helper()
	rec := e.send(method, path, token, body)
	if rec.Code != http.StatusOK {
		e.t.Fatalf("%s %s: HTTP %d", method, path, rec.Code)
	}
	var env envelope
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		e.t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
	return env
}

// restOK is rest that expects code 200 and decodes data into v.
func (e *env) restOK(method, path string, body, v any) {
	e.t.Helper()
	env := e.rest(method, path, body)
	if env.Code != 200 {
		e.t.Fatalf("%s %s: %+v", method, path, env)
	}
	if v != nil {
		if err := json.Unmarshal(env.Data, v); err != nil {
			e.t.Fatalf("decode %s: %v", env.Data, err)
		}
	}
}

// ok fails the test on errors and decodes data into v.
func (r *result) ok(v any) *result {
	r.t.Helper()
	if len(r.Errors) > 0 {
		r.t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if v != nil {
		if err := json.Unmarshal(r.Data, v); err != nil {
			r.t.Fatalf("decode %s: %v", r.Data, err)
		}
	}
	return r
}

// wantErr fails the test unless the first error has the numeric code, the
// native code and the field.
func (r *result) wantErr(code int, native, field string) {
	r.t.Helper()
	if len(r.Errors) == 0 {
		r.t.Fatalf("want error %d %s on %q, got data %s", code, native, field, r.Data)
	}
	m := r.Errors[0].Message
	f, _ := m.Data["field"].(string)
	if m.Code != code || m.Data["code"] != native || f != field {
		r.t.Fatalf("want error %d %s on %q, got %+v", code, native, field, m)
	}
}

// createUser creates a user through the SDKs' createUser and returns its id.
func (e *env) createUser(info map[string]any) string {
	e.t.Helper()
	var out struct{ CreateUser struct{ ID string } }
	e.do(`mutation createUser($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, map[string]any{"u": info}).ok(&out)
	return out.CreateUser.ID
}

// otherPool creates a second user pool and returns its id and a management
// token for it, got as the SDKs get one.
func (e *env) otherPool() (poolID, token string) {
	e.t.Helper()
	other, secret, err := e.store.CreatePool(context.Background(), "other")
	if err != nil {
		e.t.Fatal(err)
	}
	var tok struct{ AccessToken struct{ AccessToken string } }
	e.gql("", `query($p: String!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { accessToken } }`,
		map[string]any{"p": other.ID, "s": secret}).ok(&tok)
	return other.ID, tok.AccessToken.AccessToken
}

// apiKey creates an API key with scopes through the native API and
// returns it.
func (e *env) apiKey(name string, scopes ...string) string {
	e.t.Helper()
	rec := e.send(http.MethodPost, "/graphql", e.token, map[string]any{
		"query":     `mutation($n: String!, $s: [String!]!) { createApiKey(name: $n, scopes: $s) { key } }`,
		"variables": map[string]any{"n": name, "s": scopes}})
	var key struct {
		Data struct{ CreateApiKey struct{ Key string } }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &key); err != nil || key.Data.CreateApiKey.Key == "" {
		e.t.Fatalf("create key: %s", rec.Body.String())
	}
	return key.Data.CreateApiKey.Key
}
