// Package schematest holds the checks every GraphQL schema usergraph serves
// must pass (the native one and the Authing-compatible one), for their
// tests.
package schematest

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/model"
)

// EverythingIsDescribed checks that every type, field, argument, enum
// value and directive of s has a description: the playground and
// generated clients show them. minTypes guards against checking an empty
// schema.
func EverythingIsDescribed(t *testing.T, s *ast.Schema, minTypes int) {
	t.Helper()
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
	if len(s.Types) < minTypes {
		t.Fatalf("only %d types: the test would prove nothing", len(s.Types))
	}
}

// EveryRootFieldDeclaresAScope checks that each root field of s is
// @public, @signedIn, or names a valid @scope, which is what requireAdmin
// enforces.
func EveryRootFieldDeclaresAScope(t *testing.T, s *ast.Schema) {
	t.Helper()
	for _, root := range []*ast.Definition{s.Query, s.Mutation} {
		for _, f := range root.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			public, signedIn, scope := f.Directives.ForName("public") != nil, f.Directives.ForName("signedIn") != nil, f.Directives.ForName("scope")
			n := 0
			for _, has := range []bool{public, signedIn, scope != nil} {
				if has {
					n++
				}
			}
			switch {
			case n != 1:
				t.Errorf("%s.%s: want exactly one of @public, @signedIn and @scope", root.Name, f.Name)
			case scope != nil:
				if _, err := model.ValidScopes("scope", []string{scope.Arguments.ForName("name").Value.Raw}); err != nil {
					t.Errorf("%s.%s: %v", root.Name, f.Name, err)
				}
			}
		}
	}
}
