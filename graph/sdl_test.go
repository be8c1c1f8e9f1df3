package graph_test

import (
	"strings"
	"testing"

	"usergraph/graph/exec"
	"usergraph/graph/schematest"
)

// TestEverythingIsDescribed: the playground and generated clients show
// descriptions, so every type, field, argument, input field and enum value
// has one.
func TestEverythingIsDescribed(t *testing.T) {
	schematest.EverythingIsDescribed(t, exec.NewExecutableSchema(exec.Config{}).Schema(), 40)
}

// TestDescriptionsNameTheirScope: introspection (what the playground's
// docs and a codegen read) says the scope every field needs.
func TestDescriptionsNameTheirScope(t *testing.T) {
	e := newEnv(t)
	var out struct {
		Query struct {
			Fields []struct{ Name, Description string }
		}
		User struct {
			Fields []struct{ Name, Description string }
		}
	}
	e.do(`{ query: __type(name: "Query") { fields { name description } } user: __type(name: "User") { fields { name description } } }`, nil).ok(&out)
	scoped := 0
	for _, f := range out.Query.Fields {
		if !strings.Contains(f.Description, "Needs the `") && !strings.Contains(f.Description, "Needs no credential.") &&
			!strings.Contains(f.Description, "Needs a credential, of any scope.") {
			t.Errorf("Query.%s does not say what it needs: %q", f.Name, f.Description)
		}
		if f.Name == "users" && !strings.HasSuffix(f.Description, "Needs the `users:read` scope.") {
			t.Errorf("Query.users: %q", f.Description)
		}
		scoped++
	}
	for _, f := range out.User.Fields {
		if f.Name == "auditLog" && !strings.HasSuffix(f.Description, "Needs the `audit:read` scope.") {
			t.Errorf("User.auditLog: %q", f.Description)
		}
	}
	if scoped < 25 {
		t.Errorf("only %d Query fields", scoped)
	}
}
