package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/graph/exec"
)

// reachable lists the object types a query can reach, by name.
func reachable(schema *ast.Schema) map[string]*ast.Definition {
	seen := map[string]*ast.Definition{}
	var walk func(*ast.Definition)
	walk = func(d *ast.Definition) {
		if d == nil || d.Kind != ast.Object || seen[d.Name] != nil || strings.HasPrefix(d.Name, "__") {
			return
		}
		seen[d.Name] = d
		for _, f := range d.Fields {
			walk(schema.Types[f.Type.Name()])
		}
	}
	walk(schema.Query)
	return seen
}

// TestEveryFieldHasAPlan: the planned executor has an accessor for every
// field of every object type a query reaches (plangen generates them; a
// field it could not read would fail generation, and this test).
func TestEveryFieldHasAPlan(t *testing.T) {
	es := exec.NewExecutableSchema(exec.Config{})
	fields := exec.NewPlanFields(exec.Config{})
	n := 0
	for name, def := range reachable(es.Schema()) {
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			n++
			if _, ok := fields.Field(name, f.Name); !ok {
				t.Errorf("%s.%s has no plan", name, f.Name)
			}
		}
	}
	if n < 200 {
		t.Errorf("only %d fields checked", n)
	}
}

// TestEveryRelationCostsConstantStatements: every relation field (every
// resolver field of a type other than Query), read for a page of its
// parents and again below a second level of relations, costs the same
// number of statements for a page of one parent as for a page of all of
// them.
func TestEveryRelationCostsConstantStatements(t *testing.T) {
	tw := newTwin(t)
	schema := exec.NewExecutableSchema(exec.Config{}).Schema()
	fields := exec.NewPlanFields(exec.Config{})
	pages := map[string]string{ // a page of each type with relation fields, $n long
		"User":  `users(limit: $n) { list { %s } }`,
		"Group": `groups(limit: $n) { list { %s } }`,
		"Role":  `roles(limit: $n) { list { %s } }`,
		// every grant of the resources of "app" (the twin grants books and menu)
		"Resource":      `resources(namespace: "app", limit: $n) { list { %s } }`,
		"ResourceGrant": `resources(namespace: "app", limit: 10) { list { grants(limit: $n) { list { %s } } } }`,
		// the users eng's members would lose were eng's roles taken
		"AccessDiff": `previewAccessChange(change: {removeGroupRoles: {group: "eng", roles: ["editor", "viewer"]}}, first: $n) { lost { list { %s } } }`,
	}
	checked := 0
	for name, def := range reachable(schema) {
		for _, f := range def.Fields {
			info, ok := fields.Field(name, f.Name)
			if name == "Query" || !ok || !info.Resolver {
				continue
			}
			page, ok := pages[name]
			if !ok {
				t.Errorf("%s.%s: no page of %s to read it under", name, f.Name, name)
				continue
			}
			sel := f.Name + minimalSelection(schema, f.Type.Name())
			if name == "User" && f.Name == "auditLog" {
				sel = f.Name + " { id }"
			}
			for _, q := range []string{
				"query($n: Int!) { " + fmt.Sprintf(page, sel) + " }",
				// the same relation below a second level: the users of
				// each group, the groups of each user, …
				"query($n: Int!) { " + fmt.Sprintf(pages["Group"], fmt.Sprintf("users(limit: 5) { list { %s } }", "groups { list { id } } "+ifType(name, "User", sel))) + " }",
			} {
				one, all := tw.statements(t, q, 1), tw.statements(t, q, 10)
				if one != all {
					t.Errorf("%s.%s: %d statements for one parent, %d for all:\n%s", name, f.Name, one, all, q)
				}
			}
			checked++
		}
	}
	if checked < 15 {
		t.Errorf("only %d relation fields checked", checked)
	}
}

// ifType is sel when name is want, else nothing.
func ifType(name, want, sel string) string {
	if name == want {
		return sel
	}
	return ""
}

// minimalSelection selects the first scalar field of an object type, and
// of an object a list type holds; nothing for a scalar.
func minimalSelection(schema *ast.Schema, typeName string) string {
	d := schema.Types[typeName]
	if d.Kind != ast.Object {
		return ""
	}
	for _, f := range d.Fields {
		if t := schema.Types[f.Type.Name()]; t.Kind != ast.Object {
			return " { " + f.Name + " }"
		}
	}
	for _, f := range d.Fields {
		return " { " + f.Name + minimalSelection(schema, f.Type.Name()) + " }"
	}
	return ""
}

// statements runs query with $n = n and counts its statements.
func (tw *twin) statements(t *testing.T, query string, n int) int64 {
	t.Helper()
	vars := map[string]any{"n": n}
	tw.post(tw.planned, query, vars) // warm: the token's pool is looked up once
	tw.server.Statements.Reset()
	_, body := tw.post(tw.planned, query, vars)
	var out struct{ Errors []any }
	if err := json.Unmarshal(body, &out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("%s: %s", query, body)
	}
	return tw.server.Statements.Count()
}
