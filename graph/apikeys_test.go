package graph_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/db"
	"usergraph/graph/exec"
	"usergraph/graph/schematest"
	"usergraph/internal/dbtest"
	"usergraph/internal/httpapi"
	"usergraph/internal/password"
	"usergraph/model"
)

// newKey creates an API key with scopes through the API and returns it.
func (e *env) newKey(name string, scopes ...string) (id, key string) {
	e.t.Helper()
	var out struct {
		CreateApiKey struct {
			Key    string
			ApiKey struct{ ID string }
		}
	}
	e.do(`mutation($n: String!, $s: [String!]!) { createApiKey(name: $n, scopes: $s) { key apiKey { id } } }`,
		map[string]any{"n": name, "s": scopes}).ok(&out)
	return out.CreateApiKey.ApiKey.ID, out.CreateApiKey.Key
}

// TestEveryRootFieldDeclaresAScope keeps the scope table complete: every
// root field is @public or names one valid scope.
func TestEveryRootFieldDeclaresAScope(t *testing.T) {
	schematest.EveryRootFieldDeclaresAScope(t, exec.NewExecutableSchema(exec.Config{}).Schema())
}

// TestScopesAllowExactlyTheirFields calls every root field with a key
// holding every read scope and no other: each query runs (whatever else it
// answers, it is not FORBIDDEN), each mutation is FORBIDDEN and names the
// scope it needs, and nothing changes. Keys with one domain's scopes reach
// that domain only; the pool secret's token reaches everything.
func TestScopesAllowExactlyTheirFields(t *testing.T) {
	e := newEnv(t)
	e.createUser(map[string]any{"username": "kept"})
	_, reader := e.newKey("reader", "users:read", "groups:read", "roles:read", "resources:read", "udf:read", "audit:read")
	schema := exec.NewExecutableSchema(exec.Config{}).Schema()
	before := e.userCount()
	for _, root := range []*ast.Definition{schema.Query, schema.Mutation} {
		for _, f := range root.Fields {
			scope := f.Directives.ForName("scope")
			if strings.HasPrefix(f.Name, "__") || scope == nil {
				continue
			}
			need := scope.Arguments.ForName("name").Value.Raw
			r := e.doAs(reader, callOf(schema, root, f), nil)
			forbidden := r.code() == "FORBIDDEN"
			wantForbidden := !strings.HasSuffix(need, ":read")
			if forbidden != wantForbidden {
				t.Errorf("%s.%s (needs %s): FORBIDDEN=%v, want %v: %+v", root.Name, f.Name, need, forbidden, wantForbidden, r.Errors)
			}
			if forbidden && r.Errors[0].Extensions["scope"] != need {
				t.Errorf("%s.%s: FORBIDDEN names scope %v, want %s", root.Name, f.Name, r.Errors[0].Extensions["scope"], need)
			}
		}
	}
	if after := e.userCount(); after != before {
		t.Errorf("a read-only key changed the pool: %d users, then %d", before, after)
	}

	_, groupsOnly := e.newKey("groups admin", "groups:*")
	e.doAs(groupsOnly, `mutation { createGroup(code: "g") { code } }`, nil).ok(nil)
	e.doAs(groupsOnly, `{ groups { totalCount } }`, nil).ok(nil)
	e.doAs(groupsOnly, `{ users { totalCount } }`, nil).wantErr("FORBIDDEN", "")
	e.doAs(groupsOnly, `mutation { createUser(userInfo: {username: "x"}) { id } }`, nil).wantErr("FORBIDDEN", "")
	e.doAs(groupsOnly, `{ apiKeys { id } }`, nil).wantErr("FORBIDDEN", "")
	_, all := e.newKey("everything", "*")
	e.doAs(all, `mutation { createUser(userInfo: {username: "y"}) { id } deleteGroups(codes: ["g"]) }`, nil).ok(nil)
	e.do(`{ apiKeys { id } }`, nil).ok(nil) // the pool secret's token holds every scope
}

// callOf writes an operation calling a root field with placeholder
// arguments of the right types, selecting __typename of an object result.
func callOf(schema *ast.Schema, root *ast.Definition, f *ast.FieldDefinition) string {
	var args []string
	for _, a := range f.Arguments {
		if a.Type.NonNull {
			args = append(args, a.Name+": "+placeholder(schema, a.Type))
		}
	}
	call := f.Name
	if len(args) > 0 {
		call += "(" + strings.Join(args, ", ") + ")"
	}
	if def := schema.Types[f.Type.Name()]; def != nil && (def.Kind == ast.Object || def.Kind == ast.Interface) {
		call += " { __typename }"
	}
	op := "query"
	if root == schema.Mutation {
		op = "mutation"
	}
	return op + " { " + call + " }"
}

// placeholder is a literal of type t: a value the schema accepts, which
// the resolver may well refuse.
func placeholder(schema *ast.Schema, t *ast.Type) string {
	if t.Elem != nil {
		return "[" + placeholder(schema, t.Elem) + "]"
	}
	def := schema.Types[t.NamedType]
	switch {
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		var fields []string
		for _, f := range def.Fields {
			if f.Type.NonNull {
				fields = append(fields, f.Name+": "+placeholder(schema, f.Type))
			}
		}
		return "{" + strings.Join(fields, ", ") + "}"
	}
	switch t.NamedType {
	case "Int":
		return "1"
	case "Float":
		return "1.5"
	case "Boolean":
		return "true"
	case "JSON":
		return "{}"
	case "Time":
		return `"2030-01-01T00:00:00Z"`
	}
	return `"x"`
}

// TestAPIKeysLifecycle: a key works as a bearer credential, is listed
// without its secret and with its last use, and stops working at once
// when revoked or expired, on every replica sharing the database.
func TestAPIKeysLifecycle(t *testing.T) {
	e := newEnv(t)
	id, key := e.newKey("help desk", "users:read")
	if !strings.HasPrefix(key, "ugk_"+id+".") {
		t.Fatalf("key %q does not name its id", key)
	}
	e.doAs(key, `{ users { totalCount } }`, nil).ok(nil)

	var list struct {
		ApiKeys []struct {
			ID, Name   string
			Scopes     []string
			LastUsedAt *time.Time
			RevokedAt  *time.Time
		}
	}
	r := e.do(`{ apiKeys { id name scopes lastUsedAt revokedAt } }`, nil).ok(&list)
	if len(list.ApiKeys) != 1 || list.ApiKeys[0].Name != "help desk" || list.ApiKeys[0].LastUsedAt == nil || strings.Contains(string(r.Data), key[len(key)-64:]) {
		t.Errorf("apiKeys: %s", r.Data)
	}
	e.do(`mutation { createApiKey(name: "help desk", scopes: ["users:read"]) { key } }`, nil).wantErr("ALREADY_EXISTS", "name")
	e.do(`mutation { createApiKey(name: "x", scopes: ["users:fly"]) { key } }`, nil).wantErr("INVALID_INPUT", "scopes.0")
	e.do(`mutation { createApiKey(name: "", scopes: ["*"]) { key } }`, nil).wantErr("INVALID_INPUT", "name")
	e.do(`mutation($n: String!) { createApiKey(name: $n, scopes: ["*"]) { key } }`, map[string]any{"n": strings.Repeat("n", 256)}).wantErr("INVALID_INPUT", "name")
	e.do(`mutation($n: String!) { createApiKey(name: $n, scopes: ["*"]) { key } }`, map[string]any{"n": "a\x00b"}).wantErr("INVALID_INPUT", "name")
	e.do(`mutation($s: [String!]!) { createApiKey(name: "many", scopes: $s) { key } }`, map[string]any{"s": make([]string, model.MaxBatch+1)}).wantErr("INVALID_INPUT", "scopes")
	e.do(`query { a: apiKeys { id } b: apiKeys { id } }`, nil).ok(nil) // what a console asks fits
	e.do(`mutation { createApiKey(name: "x", scopes: ["*"], expiresAt: "2001-01-01T00:00:00Z") { key } }`, nil).wantErr("INVALID_INPUT", "expiresAt")
	tampered := key[:len(key)-1] + "0"
	if strings.HasSuffix(key, "0") {
		tampered = key[:len(key)-1] + "1" // a change, whatever the key's last digit
	}
	e.doAs(tampered, `{ users { totalCount } }`, nil).wantErr("UNAUTHENTICATED", "")

	// A second replica over the same database sees a revocation at once.
	d2, _ := dbtest.Reopen(t, e.db)
	store2 := db.NewStore(d2, password.NewHasher())
	replica := httpapi.NewHandler(httpapi.Options{Store: store2, Signer: e.signer, Logger: slog.New(slog.DiscardHandler)})
	e2 := *e
	e2.h = replica
	e2.doAs(key, `{ users { totalCount } }`, nil).ok(nil)
	e.do(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, map[string]any{"id": id}).ok(nil)
	e.doAs(key, `{ users { totalCount } }`, nil).wantErr("UNAUTHENTICATED", "")
	e2.doAs(key, `{ users { totalCount } }`, nil).wantErr("UNAUTHENTICATED", "")

	// Expiry, likewise.
	_, soon := e.newKey("soon", "users:read")
	e.doAs(soon, `{ users { totalCount } }`, nil).ok(nil)
	if err := e.raw().Exec("UPDATE api_keys SET expires_at = ? WHERE name = ?", time.Now().Add(-time.Second), "soon").Error; err != nil {
		t.Fatal(err)
	}
	e2.doAs(soon, `{ users { totalCount } }`, nil).wantErr("UNAUTHENTICATED", "")

	// Another pool's admin never sees this pool's keys, nor revokes them.
	other, _, err := e.store.CreatePool(t.Context(), "other")
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := e.signer.AdminToken(other.ID, 0)
	var none struct{ ApiKeys []struct{ ID string } }
	e.doAs(tok.Token, `{ apiKeys { id } }`, nil).ok(&none)
	if len(none.ApiKeys) != 0 {
		t.Errorf("another pool sees %d keys", len(none.ApiKeys))
	}
	e.doAs(tok.Token, `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, map[string]any{"id": id}).wantErr("NOT_FOUND", "id")
}
