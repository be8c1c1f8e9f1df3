package graph

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"

	"usergraph/graph/exec"
)

// LeanServes reports whether the lean path takes query (its shape; the
// arguments are checked when it runs), so a test comparing the lean path
// with gqlgen's knows it compares two paths.
func LeanServes(query string) bool {
	doc, err := gqlparser.LoadQuery(exec.NewExecutableSchema(exec.Config{}).Schema(), query)
	if err != nil {
		return false
	}
	root, ok := leanRoot(&graphql.OperationContext{Doc: doc, Operation: doc.Operations[0]})
	if !ok {
		return false
	}
	_, ok = leanUserFields(root)
	return ok
}

// LeanUserFields are the User fields the lean path writes.
func LeanUserFields() []string { return keys(userWriters) }

// LeanRoleFields and LeanGroupFields are the Role and Group fields it
// writes.
func LeanRoleFields() []string  { return keys(roleWriters) }
func LeanGroupFields() []string { return keys(groupWriters) }

func keys[T any](m map[string]writer[T]) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
