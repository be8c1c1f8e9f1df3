// Package plan is usergraph's read executor: it serves every query
// operation of the native schema, after gqlgen has parsed, validated,
// priced and checked it, by a plan worked out once per document.
//
// gqlgen's own executor walks the answer one object at a time: a field
// context, a closure and a marshaler for every field of every object, and
// a resolver call per object that batch resolvers then regroup. A page of
// 50 users with their roles and groups costs it some 20,000 allocations,
// more than the page's SQL. The planned executor instead
//
//   - collects each selection once per document (named and inline
//     fragments, aliases, @skip and @include with the request's values,
//     merged as gqlgen's CollectFields merges them) into a tree of
//     selections, one per object type and position;
//   - resolves it breadth first: every resolver field is called once per
//     level with every parent object at that level — one batch resolver
//     call, so one loader batch and one statement per relation, whatever
//     the page size and however the parents are spread over lists;
//   - writes the JSON directly, depth first, with the same scalar encoding,
//     null propagation and errors (path, code, locations) as gqlgen.
//
// It calls the same resolvers as gqlgen's executor, under the same root
// field middleware (authorization, the audit actor), with the same
// argument coercion (gqlgen's generated code, reached through Fields): it
// changes how an answer is assembled, never what it is.
// TestPlannedMatchesGqlgen in graph/ checks that on random operations.
package plan

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// Fields is how the executor reaches the fields of the schema's object
// types: generated from the schema into graph/exec (plan_gen.go, by
// graph/plan/plangen), so every field has its accessor by construction.
type Fields interface {
	// Field describes typeName.fieldName; ok is false when the schema has
	// no such field of an object type.
	Field(typeName, fieldName string) (f FieldInfo, ok bool)
	// Bind returns the accessors for one operation; ctx carries its
	// graphql.OperationContext.
	Bind(ctx context.Context) Bound
}

// FieldInfo is what the executor knows of a field before running it.
type FieldInfo struct {
	// ID names the field to Bound's methods.
	ID int
	// Resolver is true when a resolver computes the field (every Query
	// field; a relation field, with all its parents at once); false when
	// it is read from the parent object.
	Resolver bool
}

// Bound reads the fields for one operation.
type Bound interface {
	// Resolve runs field id's resolver for parents (one nil parent for a
	// Query field), reading its arguments from fc.Field as gqlgen does and
	// storing them in fc.Args. results is a typed slice holding n
	// results, one per parent unless the resolver broke its contract.
	Resolve(ctx context.Context, id int, fc *graphql.FieldContext, parents []any) (results any, n int, err error)
	// Write writes the scalar or enum value of field id: of the object
	// src for a stored field, or results[i] for a resolver field (src
	// then being Resolve's results). It reports false, writing nothing,
	// when the value is null where the schema forbids it.
	Write(w *Writer, id int, src any, i int) bool
	// Children appends the objects field id holds (read as Write reads
	// its value) to dst: n of them, nil for a null element of a list, or
	// n = -1 when the field itself is null.
	Children(id int, src any, i int, dst []any) (_ []any, n int)
}

// ArgumentError marks err as raised while coercing a field's arguments,
// which gqlgen reports without the field's location.
func ArgumentError(err error) error { return argumentError{err} }

type argumentError struct{ error }

func (e argumentError) Unwrap() error { return e.error }
