package graph_test

import (
	"strings"
	"testing"
	"usergraph/graph/exec"
)

// TestEverythingIsDescribed: the playground and generated clients show
// descriptions, so every type, field, argument, input field and enum value
// has one.
func TestEverythingIsDescribed(t *testing.T) {
	s := exec.NewExecutableSchema(exec.Config{}).Schema()
	for name, def := range s.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		if def.Description == "" {
			t.Errorf("type %s has no description", name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue // introspection, described by the spec
			}
			if f.Description == "" {
				t.Errorf("%s.%s has no description", name, f.Name)
			}
			for _, a := range f.Arguments {
				if a.Description == "" {
					t.Errorf("argument %s.%s(%s) has no description", name, f.Name, a.Name)
				}
			}
		}
		for _, v := range def.EnumValues {
			if v.Description == "" {
				t.Errorf("enum value %s.%s has no description", name, v.Name)
			}
		}
	}
	for name, d := range s.Directives {
		if !d.Position.Src.BuiltIn && d.Description == "" {
			t.Errorf("directive @%s has no description", name)
		}
	}
	if len(s.Types) < 40 {
		t.Fatalf("only %d types: the test would prove nothing", len(s.Types))
	}
}
