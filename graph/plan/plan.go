package plan

import (
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/internal/bounded"
)

// operation is an operation's plan: its root selection, collected for one
// set of @skip/@include values.
type operation struct {
	root *selection
	// introspects is true when a root field is __schema or __type, which
	// gqlgen's executor answers (the schema's own description).
	introspects bool
}

// selection is the fields selected of one object type at one position of
// the operation, collected (fragments by type condition, aliases, @skip
// and @include) and merged as gqlgen collects them.
type selection struct {
	typeName string
	// typeNameJSON is the type's name quoted, for __typename.
	typeNameJSON string
	fields       []*field
	// slots is how many of fields have values of their own at a level
	// (resolver and object fields): see field.slot.
	slots int
}

// field is one response key of a selection.
type field struct {
	// key is the response key, quoted, with its colon.
	key       string
	collected graphql.CollectedField
	typ       *ast.Type
	typename  bool // __typename
	info      FieldInfo
	// child is the selection of an object-typed field.
	child *selection
	// slot is where a resolver or object field keeps its values at a
	// level (level.vals); -1 for a stored scalar and __typename, which
	// are written straight from the object.
	slot int
}

// planKey is what a plan depends on: the parsed document (the query
// cache hands the same one back for the same text), the operation, and
// the values of the variables that @skip and @include read.
type planKey struct {
	doc   *ast.QueryDocument
	op    *ast.OperationDefinition
	conds string
}

type docKey struct {
	doc *ast.QueryDocument
	op  *ast.OperationDefinition
}

// maxPlans bounds the plans kept; clients choose the documents.
const maxPlans = 2048

// planner works out plans and keeps them.
type planner struct {
	fields Fields
	schema *ast.Schema
	plans  *bounded.Map[planKey, *operation]
	// condVars are the variables each operation's @skip and @include read.
	condVars *bounded.Map[docKey, []string]
}

func newPlanner(fields Fields, schema *ast.Schema) *planner {
	return &planner{fields: fields, schema: schema,
		plans: bounded.New[planKey, *operation](maxPlans), condVars: bounded.New[docKey, []string](maxPlans)}
}

// plan returns the operation's plan for the request's variables, worked
// out on first sight.
func (p *planner) plan(rc *graphql.OperationContext) (*operation, error) {
	dk := docKey{rc.Doc, rc.Operation}
	vars, ok := p.condVars.Get(dk)
	if !ok {
		vars = conditionVariables(rc.Doc, rc.Operation)
		p.condVars.Put(dk, vars)
	}
	key := planKey{doc: rc.Doc, op: rc.Operation, conds: conditionValues(vars, rc.Variables)}
	if op, ok := p.plans.Get(key); ok {
		return op, nil
	}
	op, err := p.build(rc)
	if err != nil {
		return nil, err
	}
	p.plans.Put(key, op)
	return op, nil
}

// build collects the operation's selections.
func (p *planner) build(rc *graphql.OperationContext) (*operation, error) {
	op := &operation{}
	for _, f := range graphql.CollectFields(rc, rc.Operation.SelectionSet, []string{"Query"}) {
		if f.Name == "__schema" || f.Name == "__type" {
			op.introspects = true
			return op, nil
		}
	}
	root, err := p.selection(rc, "Query", rc.Operation.SelectionSet)
	op.root = root
	return op, err
}

// selection collects set as a selection of typeName.
func (p *planner) selection(rc *graphql.OperationContext, typeName string, set ast.SelectionSet) (*selection, error) {
	collected := graphql.CollectFields(rc, set, []string{typeName})
	s := &selection{typeName: typeName, typeNameJSON: string(AppendQuoted(nil, typeName)), fields: make([]*field, len(collected))}
	for i, c := range collected {
		f := &field{key: string(AppendQuoted(nil, c.Alias)) + ":", collected: c, slot: -1}
		s.fields[i] = f
		if c.Name == "__typename" {
			f.typename = true
			continue
		}
		info, ok := p.fields.Field(typeName, c.Name)
		if !ok || c.Definition == nil {
			return nil, fmt.Errorf("plan: no plan for %s.%s", typeName, c.Name)
		}
		f.info, f.typ = info, c.Definition.Type
		if f.typ.Elem != nil && f.typ.Elem.Elem != nil {
			return nil, fmt.Errorf("plan: %s.%s is a list of lists, which the executor does not write", typeName, c.Name)
		}
		if def := p.schema.Types[f.typ.Name()]; def != nil && def.Kind == ast.Object {
			child, err := p.selection(rc, def.Name, c.Selections)
			if err != nil {
				return nil, err
			}
			f.child = child
		} else if def == nil || (def.Kind != ast.Scalar && def.Kind != ast.Enum) {
			return nil, fmt.Errorf("plan: %s.%s is of a kind the executor does not write", typeName, c.Name)
		}
	}
	for _, f := range s.fields {
		if f.info.Resolver || f.child != nil {
			f.slot = s.slots
			s.slots++
		}
	}
	return s, nil
}

// conditionVariables lists the variables that @skip and @include read in
// op and the fragments it may spread: the selections collected depend on
// their values.
func conditionVariables(doc *ast.QueryDocument, op *ast.OperationDefinition) []string {
	var vars []string
	seen := map[string]bool{}
	var walk func(ast.SelectionSet)
	dirs := func(ds ast.DirectiveList) {
		for _, d := range ds {
			if d.Name != "skip" && d.Name != "include" {
				continue
			}
			if a := d.Arguments.ForName("if"); a != nil && a.Value != nil && a.Value.Kind == ast.Variable && !seen[a.Value.Raw] {
				seen[a.Value.Raw] = true
				vars = append(vars, a.Value.Raw)
			}
		}
	}
	spread := map[string]bool{}
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				dirs(s.Directives)
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				dirs(s.Directives)
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				dirs(s.Directives)
				if !spread[s.Name] {
					spread[s.Name] = true
					if def := doc.Fragments.ForName(s.Name); def != nil {
						walk(def.SelectionSet)
					}
				}
			}
		}
	}
	walk(op.SelectionSet)
	return vars
}

// conditionValues encodes the values of vars as gqlgen's CollectFields
// reads them: true or anything else.
func conditionValues(vars []string, values map[string]any) string {
	if len(vars) == 0 {
		return ""
	}
	var b strings.Builder
	for _, v := range vars {
		if t, _ := values[v].(bool); t {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	return b.String()
}
