package model

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"
)

// TestCodesListsEveryCode: every Code constant declared in model is in
// Codes (the list the TypeScript client's ErrorCode is generated from),
// once.
func TestCodesListsEveryCode(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := 0
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok || spec.Type == nil {
			return true
		}
		if id, ok := spec.Type.(*ast.Ident); !ok || id.Name != "Code" {
			return true
		}
		for _, v := range spec.Values {
			lit, ok := v.(*ast.BasicLit)
			if !ok {
				continue
			}
			declared++
			code := Code(lit.Value[1 : len(lit.Value)-1])
			if !slices.Contains(Codes(), code) {
				t.Errorf("%s is declared but not in Codes()", code)
			}
		}
		return true
	})
	codes := Codes()
	slices.Sort(codes)
	if len(slices.Compact(codes)) != len(Codes()) || declared != len(Codes()) {
		t.Errorf("%d codes declared, %d listed (duplicates?)", declared, len(Codes()))
	}
}
