package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"usergraph/graph"
	"usergraph/transfer/transfertest"
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
	e := newEnvWith(t, func(o *graph.Options) { o.MaxImportBytes = 64 << 10 })
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
	rec = e.transfer("POST", "/import", tok.Token, exported) // again: ada exists
	if rec.Code != http.StatusConflict || errorCode(t, rec.Body.String()) != "ALREADY_EXISTS" {
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
