package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"gorm.io/gorm"

	"usergraph/db"
	"usergraph/internal/auth"
	"usergraph/internal/dbtest"
	"usergraph/internal/graphtest"
	"usergraph/internal/httpapi"
)

// env is one test's server (graphtest.Server) with the native API's
// request helpers.
type env struct {
	t      testing.TB
	h      http.Handler
	db     *db.DB
	store  *db.Store
	signer *auth.Signer
	stmts  *dbtest.Counter
	poolID string
	secret string
	token  string
}

func newEnv(t testing.TB) *env { t.Helper(); return newEnvWith(t, nil) }

// newEnvWith is newEnv with handler options changed by configure.
func newEnvWith(t testing.TB, configure func(*httpapi.Options)) *env {
	t.Helper()
	s := graphtest.New(t, configure)
	return &env{t: t, h: s.Handler, db: s.DB, store: s.Store, signer: s.Signer, stmts: s.Statements,
		poolID: s.PoolID, secret: s.Secret, token: s.Token}
}

// gqlError is one entry of a response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// result is a decoded GraphQL response.
type result struct {
	t      testing.TB
	Status int             `json:"-"`
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// do posts a query with the env's admin token.
func (e *env) do(query string, vars map[string]any) *result {
	e.t.Helper()
	return e.doAs(e.token, query, vars)
}

// doAs posts a query with the given bearer token ("" sends none).
func (e *env) doAs(token, query string, vars map[string]any) *result {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return e.serve(token, httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body)))
}

// serve sends a GraphQL request as it is, with a JSON content type and the
// bearer token ("" sends none), and decodes the response. A response that
// is not JSON fails the test (with Errorf: serve may run in goroutines).
func (e *env) serve(token string, req *http.Request) *result {
	e.t.Helper()
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	r := &result{t: e.t, Status: rec.Code}
	if err := json.Unmarshal(rec.Body.Bytes(), r); err != nil {
		e.t.Errorf("decode response %q: %v", rec.Body.String(), err)
	}
	return r
}

// ok fails the test if the response has errors, and decodes data into v.
func (r *result) ok(v any) *result {
	r.t.Helper()
	if len(r.Errors) > 0 {
		r.t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if v != nil {
		if err := json.Unmarshal(r.Data, v); err != nil {
			r.t.Fatalf("decode data %s: %v", r.Data, err)
		}
	}
	return r
}

// code is the first error's extensions.code ("" when there is no error).
func (r *result) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// field is the first error's extensions.field.
func (r *result) field() string {
	if len(r.Errors) == 0 {
		return ""
	}
	f, _ := r.Errors[0].Extensions["field"].(string)
	return f
}

// wantErr fails the test unless the first error has the code and field.
func (r *result) wantErr(code, field string) {
	r.t.Helper()
	if r.code() != code || r.field() != field {
		r.t.Fatalf("want error %s on %q, got %+v (data %s)", code, field, r.Errors, r.Data)
	}
}

// createUser creates a user from input fields and returns its id.
func (e *env) createUser(fields map[string]any) string {
	e.t.Helper()
	var out struct{ CreateUser struct{ ID string } }
	e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, map[string]any{"u": fields}).ok(&out)
	return out.CreateUser.ID
}

// userCount is the pool's user total.
func (e *env) userCount() int {
	e.t.Helper()
	var out struct{ Users struct{ TotalCount int } }
	e.do(`{ users { totalCount } }`, nil).ok(&out)
	return out.Users.TotalCount
}

// raw is a connection of the test's own to its database, for looking at
// tables directly.
func (e *env) raw() *gorm.DB { return dbtest.Raw(e.t, e.db) }

// oneWinner checks the error codes of racing creates of one record: one
// succeeded (no code) and every other got ALREADY_EXISTS.
func oneWinner(t *testing.T, codes []string) {
	t.Helper()
	wins := 0
	for _, c := range codes {
		switch c {
		case "":
			wins++
		case "ALREADY_EXISTS":
		default:
			t.Errorf("unexpected code %q", c)
		}
	}
	if wins != 1 {
		t.Errorf("%d creates succeeded, want exactly 1 (codes %v)", wins, codes)
	}
}

// rows counts a table's rows, looking at the database directly.
func (e *env) rows(table string) int64 {
	e.t.Helper()
	var n int64
	if err := e.raw().Table(table).Count(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}

// jsonDecode decodes a response body.
func jsonDecode(b []byte, v any) error { return json.Unmarshal(b, v) }
