package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"usergraph/internal/httpapi"
	"usergraph/internal/transfer/transfertest"
)

// transfer sends a request to /export or /import with a bearer token.
func (e *env) transfer(method, path, token, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// errorCode is the code of a transfer endpoint's JSON error.
func errorCode(t *testing.T, body string) string {
	t.Helper()
	var out struct{ Error struct{ Code string } }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("not a JSON error: %q", body)
	}
	return out.Error.Code
}

// TestTransferEndpoints: GET /export and POST /import move a pool over
// HTTP, for credentials with every scope only, with the import's checks,
// limits and audit trail.
func TestTransferEndpoints(t *testing.T) {
	e := newEnvWith(t, func(o *httpapi.Options) { o.MaxImportBytes = 64 << 10 })
	e.do(`mutation { createGroup(code: "dev") { code } setUdf(targetType: USER, key: "age", dataType: NUMBER) { key } }`, nil).ok(nil)
	id := e.createUser(map[string]any{"username": "ada", "password": "correct-horse-battery", "customData": map[string]any{"age": 36},
		"identities": []map[string]any{{"provider": "github", "type": "oauth", "userIdInIdp": "42"}}})
	e.do(`mutation($id: ID!) { addGroups(userId: $id, groups: ["dev"]) { totalCount } }`, map[string]any{"id": id}).ok(nil)
	bc, err := bcrypt.GenerateFromPassword([]byte("from-auth0"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	e.importUser("migrated", string(bc))
	_, reader := e.newKey("reader", "users:read")

	if rec := e.transfer("GET", "/export", "", ""); rec.Code != http.StatusUnauthorized || errorCode(t, rec.Body.String()) != "UNAUTHENTICATED" {
		t.Errorf("export without a credential: %d %s", rec.Code, rec.Body)
	}
	if rec := e.transfer("GET", "/export", reader, ""); rec.Code != http.StatusForbidden || errorCode(t, rec.Body.String()) != "FORBIDDEN" {
		t.Errorf("export with a read-only key: %d %s", rec.Code, rec.Body)
	}
	rec := e.transfer("GET", "/export", e.token, "")
	exported := rec.Body.String()
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/x-ndjson" || !strings.Contains(exported, `"username":"ada"`) ||
		!strings.Contains(exported, `"passwordHash":"$argon2id$`) || !strings.Contains(exported, `"groups":["dev"]`) {
		t.Fatalf("export: %d %s", rec.Code, exported)
	}

	// Into another pool, with that pool's admin token.
	b, _, err := e.store.CreatePool(context.Background(), "copy")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := e.signer.AdminToken(b.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	rec = e.transfer("POST", "/import", tok.Token, "{\"kind\":\"user\"}\n"+exported)
	if rec.Code != http.StatusBadRequest || errorCode(t, rec.Body.String()) != "INVALID_INPUT" || !strings.Contains(rec.Body.String(), `"line":1`) {
		t.Errorf("a file with a bad line: %d %s", rec.Code, rec.Body)
	}
	rec = e.transfer("POST", "/import", tok.Token, exported)
	lines := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
	if rec.Code != 200 || len(lines) != 2 || lines[0] != `{"imported":2,"of":2}` || lines[1] != `{"definitions":2,"done":true,"users":2}` {
		t.Errorf("import: %d %q", rec.Code, lines)
	}
	// The copy exports as the original does, field by field, and the
	// bcrypt password imported with it verifies there.
	transfertest.Same(t, e.transfer("GET", "/export", tok.Token, "").Body.String(), exported)
	copyEnv := *e
	copyEnv.token = tok.Token
	var found struct{ FindUser struct{ ID string } }
	copyEnv.do(`{ findUser(username: "migrated") { id } }`, nil).ok(&found)
	var verified struct{ VerifyPassword bool }
	copyEnv.verify(found.FindUser.ID, "from-auth0").ok(&verified)
	if !verified.VerifyPassword {
		t.Error("the imported bcrypt password does not verify in the copy")
	}
	rec = e.transfer("POST", "/import", tok.Token, exported) // again: ada exists, found before anything is written
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"code":"ALREADY_EXISTS"`) {
		t.Errorf("importing twice: %d %s", rec.Code, rec.Body)
	}
	rec = e.transfer("POST", "/import", tok.Token, strings.Repeat(" ", 65<<10))
	if rec.Code != http.StatusRequestEntityTooLarge || errorCode(t, rec.Body.String()) != "PAYLOAD_TOO_LARGE" {
		t.Errorf("a body over the limit: %d %s", rec.Code, rec.Body)
	}

	e.token = tok.Token
	imported, _, _ := e.audit(map[string]any{"operation": "import", "objectType": "USER", "actor": "pool-secret"})
	var ada *auditRecord
	for i := range imported {
		if imported[i].change("username") == `null -> "ada"` {
			ada = &imported[i]
		}
	}
	if len(imported) != 2 || ada == nil || ada.change("groups") != `null -> "dev"` {
		t.Errorf("the import's audit records: %+v", imported)
	}
}

// TestImportDryRun: POST /import?dryRun=true checks every line and says
// what the import would create or refuse, writing nothing; a misspelt
// parameter is refused, never ignored (it once imported for real).
func TestImportDryRun(t *testing.T) {
	e := newEnv(t)
	e.createUser(map[string]any{"username": "taken"})
	file := `{"kind":"group","code":"new"}
{"kind":"user","username":"fresh","groups":["new"]}
{"kind":"user","username":"taken"}
{"kind":"user","email":"nope"}
`
	before := e.rows("users")
	rec := e.transfer("POST", "/import?dryRun=true", e.token, file)
	var plan struct {
		DryRun, Accepted   bool
		Users, Definitions int
		Refused            []struct {
			Line        int
			Field, Code string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &plan); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("dry run: %d %s", rec.Code, rec.Body)
	}
	if !plan.DryRun || plan.Accepted || plan.Users != 3 || plan.Definitions != 1 || len(plan.Refused) != 2 ||
		plan.Refused[0].Line != 3 || plan.Refused[0].Code != "ALREADY_EXISTS" || plan.Refused[1].Line != 4 || plan.Refused[1].Field != "email" {
		t.Errorf("plan: %+v", plan)
	}
	good := strings.Join(strings.Split(file, "\n")[:2], "\n")
	rec = e.transfer("POST", "/import?dryRun=true", e.token, good)
	if err := json.Unmarshal(rec.Body.Bytes(), &plan); err != nil || !plan.Accepted || plan.Users != 1 || len(plan.Refused) != 0 {
		t.Errorf("dry run of a good file: %s", rec.Body)
	}
	for _, path := range []string{"/import?dryrun=true", "/import?dryRun=yes", "/import?dryRun=true&force=1"} {
		rec = e.transfer("POST", path, e.token, good)
		if want := map[bool]string{true: "INVALID_INPUT", false: "BAD_REQUEST"}[strings.HasSuffix(path, "yes")]; rec.Code != http.StatusBadRequest || errorCode(t, rec.Body.String()) != want {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	if e.rows("users") != before || e.rows("groups") != 0 {
		t.Errorf("a dry run or a refused import wrote: %d users, %d groups", e.rows("users"), e.rows("groups"))
	}
}

// TestUnknownParamsRefused: every HTTP route refuses a query parameter it
// does not take with 400, naming it, in its own format.
func TestUnknownParamsRefused(t *testing.T) {
	e := newEnv(t)
	get := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+e.token)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec
	}
	for _, path := range []string{"/healthz?verbose=1", "/readyz?x=1", "/?tab=1", "/playground/playground.js?v=1", "/export?format=csv"} {
		if rec := get(path); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	for _, path := range []string{"/healthz", "/?query=%7Busers%7BtotalCount%7D%7D"} {
		if rec := get(path); rec.Code != http.StatusOK {
			t.Errorf("%s: %d", path, rec.Code)
		}
	}
	// GraphQL over GET takes its four parameters; POST takes none.
	r := e.getGraphQL("/graphql?query=%7Busers%7BtotalCount%7D%7D&debug=1")
	if r.Status != http.StatusBadRequest || r.code() != "BAD_REQUEST" || !strings.Contains(r.Errors[0].Message, `"debug"`) {
		t.Errorf("GET with an unknown parameter: %d %+v", r.Status, r.Errors)
	}
	e.getGraphQL("/graphql?query=%7Busers%7BtotalCount%7D%7D&operationName=").ok(nil)
	body := `{"query":"{ users { totalCount } }"}`
	if r := e.serve(e.token, httptest.NewRequest(http.MethodPost, "/graphql?dryRun=true", strings.NewReader(body))); r.Status != http.StatusBadRequest || r.code() != "BAD_REQUEST" {
		t.Errorf("POST with a parameter: %d %+v", r.Status, r.Errors)
	}
}

// getGraphQL sends a GraphQL GET request with the env's token.
func (e *env) getGraphQL(path string) *result {
	e.t.Helper()
	return e.serve(e.token, httptest.NewRequest(http.MethodGet, path, nil))
}
