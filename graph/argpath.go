package graph

import (
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/model"
)

// Error field paths have one owner: this file. The store names the field
// of an error relative to its own input (an input struct's field such as
// "email", a parameter such as "userIds.3") and marks a batch item by
// Index, relative to the item. A resolver says, with args, how the store's
// input sits in its arguments, and args.path rewrites the field into the
// argument path the client sent (userInfo.email, users.3.input.email). The
// error presenter does the same for errors raised while reading arguments,
// and for variables (a variable's name is never a path: the argument it
// was given to is).

// args describes how a store call's input maps onto a field's arguments.
type args struct {
	// under is the argument that holds the store's whole input (createUser's
	// userInfo); empty when the store's fields are arguments already.
	under string
	// items is the list argument whose items the error's Index counts
	// (createUsers' users). Empty for a one-item call: the index is dropped.
	items string
	// rename maps a store path (whole, or a leading part of it) to the
	// argument that carries it, where the names differ (userId → id).
	rename map[string]string
}

// path rewrites err's field into the argument path; other errors pass
// through.
func (a args) path(err error) error {
	me, ok := model.AsError(err)
	if !ok {
		return err
	}
	c := *me
	field := c.Field
	for from, to := range a.rename {
		if field == from || strings.HasPrefix(field, from+".") {
			field = to + field[len(from):]
			break
		}
	}
	var prefix string
	switch {
	case c.Index != nil && a.items != "":
		prefix = a.items + "." + strconv.Itoa(*c.Index)
	case a.under != "":
		c.Index, prefix = nil, a.under
	default:
		c.Index = nil
	}
	c.Field = joinPath(prefix, field)
	return &c
}

// joinPath joins two dotted paths, either of which may be empty.
func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}

// dotted turns a response or variable path into a dotted path such as
// "userInfo.lastLogin".
func dotted(p []ast.PathElement) string {
	parts := make([]string, 0, len(p))
	for _, el := range p {
		switch e := el.(type) {
		case ast.PathName:
			parts = append(parts, string(e))
		case ast.PathIndex:
			parts = append(parts, strconv.Itoa(int(e)))
		}
	}
	return strings.Join(parts, ".")
}

// variableArgument finds where the operation gives the variable name to an
// argument, and returns that argument path (userInfo, or
// users.2.identities when the variable sits inside an input value); "" if
// it is used nowhere (then the variable's own name is all there is).
func variableArgument(doc *ast.QueryDocument, op *ast.OperationDefinition, name string) string {
	if op == nil {
		return ""
	}
	seen := map[string]bool{}
	var inSet func(ast.SelectionSet) string
	inSet = func(set ast.SelectionSet) string {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				for _, arg := range s.Arguments {
					if p, ok := variableIn(arg.Value, name); ok {
						return joinPath(arg.Name, p)
					}
				}
				if p := inSet(s.SelectionSet); p != "" {
					return p
				}
			case *ast.InlineFragment:
				if p := inSet(s.SelectionSet); p != "" {
					return p
				}
			case *ast.FragmentSpread:
				if seen[s.Name] || doc == nil {
					continue
				}
				seen[s.Name] = true
				if f := doc.Fragments.ForName(s.Name); f != nil {
					if p := inSet(f.SelectionSet); p != "" {
						return p
					}
				}
			}
		}
		return ""
	}
	return inSet(op.SelectionSet)
}

// variableIn reports whether the value is, or holds, the variable name, and
// where in it ("" for the value itself).
func variableIn(v *ast.Value, name string) (string, bool) {
	if v == nil {
		return "", false
	}
	if v.Kind == ast.Variable {
		return "", v.Raw == name
	}
	for i, child := range v.Children {
		if p, ok := variableIn(child.Value, name); ok {
			key := child.Name
			if v.Kind == ast.ListValue {
				key = strconv.Itoa(i)
			}
			return joinPath(key, p), true
		}
	}
	return "", false
}
