package plan

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// A small schema whose resolvers panic or fail, to check the executor
// keeps gqlgen's rules where the differential test cannot reach: a
// panicking resolver is its field's error (the field null, the rest of
// the answer kept), and a failed non-null field nulls its parent.
const faultySchema = `
type Query { a: A!  b: String  c: C }
type A { x: String!  boom: String }
type C { fail: String! }
`

type faultyA struct{ x string }
type faultyC struct{}

// faultyFields: Query.a is an A, Query.b and A.boom panic, Query.c is a
// C whose non-null fail returns an error.
type faultyFields struct{}

var faultyIDs = map[string]map[string]FieldInfo{
	"Query": {"a": {ID: 1, Resolver: true}, "b": {ID: 2, Resolver: true}, "c": {ID: 3, Resolver: true}},
	"A":     {"x": {ID: 4}, "boom": {ID: 5, Resolver: true}},
	"C":     {"fail": {ID: 6, Resolver: true}},
}

func (faultyFields) Field(typeName, fieldName string) (FieldInfo, bool) {
	f, ok := faultyIDs[typeName][fieldName]
	return f, ok
}
func (faultyFields) Bind(context.Context) Bound { return faultyFields{} }

func (faultyFields) Resolve(_ context.Context, id int, _ *graphql.FieldContext, parents []any) (any, int, error) {
	switch id {
	case 1:
		return []*faultyA{{x: "ok"}}, 1, nil
	case 3:
		return []*faultyC{{}}, 1, nil
	case 6:
		return nil, 0, errors.New("no")
	}
	panic(fmt.Sprint("resolver ", id))
}

func (faultyFields) Write(w *Writer, id int, src any, i int) bool {
	if id == 4 {
		w.String(src.(*faultyA).x)
		return true
	}
	panic("no scalar")
}

func (faultyFields) Children(id int, src any, i int, dst []any) ([]any, int) {
	switch id {
	case 1:
		return append(dst, src.([]*faultyA)[i]), 1
	case 3:
		return append(dst, src.([]*faultyC)[i]), 1
	}
	panic("no objects")
}

func TestPanicsAndErrorsAreTheFieldsOwn(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: faultySchema})
	doc, errs := gqlparser.LoadQuery(schema, `{ a { x boom } b c { fail } }`)
	if errs != nil {
		t.Fatal(errs)
	}
	rc := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: map[string]any{},
		RecoverFunc: func(_ context.Context, p any) error { return fmt.Errorf("panic: %v", p) },
		RootResolverMiddleware: func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
			return next(ctx)
		}}
	ctx := graphql.WithOperationContext(context.Background(), rc)
	ctx = graphql.WithResponseContext(ctx, graphql.DefaultErrorPresenter, rc.RecoverFunc)
	x := New(schema, faultyFields{})
	op, err := x.planner.plan(rc)
	if err != nil {
		t.Fatal(err)
	}
	data := x.execute(ctx, rc, op)
	if want := `{"a":{"x":"ok","boom":null},"b":null,"c":null}`; string(data) != want {
		t.Errorf("data %s, want %s", data, want)
	}
	var paths []string
	for _, e := range graphql.GetErrors(ctx) {
		paths = append(paths, e.Path.String()+": "+e.Message)
	}
	slices.Sort(paths)
	if want := []string{"a.boom: panic: resolver 5", "b: panic: resolver 2", "c.fail: no"}; !slices.Equal(paths, want) {
		t.Errorf("errors %q, want %q", paths, want)
	}
}
