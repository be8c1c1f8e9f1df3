package plan

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Executor serves query operations by plan.
type Executor struct {
	fields  Fields
	planner *planner
}

// New returns an executor of the schema's queries, reaching its fields
// through fields.
func New(schema *ast.Schema, fields Fields) *Executor {
	return &Executor{fields: fields, planner: newPlanner(fields, schema)}
}

// Schema is gqlgen's executable schema es with its queries served by x:
// gqlgen's executor parses, validates and prices every operation and runs
// its operation and response middleware (tracing, limits, the error
// presenter) around Exec, which hands queries to x and everything else —
// mutations, and the introspection of __schema and __type — to es.
func Schema(es graphql.ExecutableSchema, x *Executor) graphql.ExecutableSchema {
	return planned{ExecutableSchema: es, x: x}
}

type planned struct {
	graphql.ExecutableSchema
	x *Executor
}

// Exec runs the operation in ctx.
func (p planned) Exec(ctx context.Context) graphql.ResponseHandler {
	rc := graphql.GetOperationContext(ctx)
	if rc.Operation == nil || rc.Operation.Operation != ast.Query {
		return p.ExecutableSchema.Exec(ctx)
	}
	op, err := p.x.planner.plan(rc)
	if err == nil && op.introspects {
		return p.ExecutableSchema.Exec(ctx)
	}
	done := false
	return func(ctx context.Context) (resp *graphql.Response) {
		if done {
			return nil
		}
		done = true
		if err != nil { // a schema field without a plan: TestEveryFieldHasAPlan
			graphql.AddError(ctx, err)
			return &graphql.Response{Data: []byte("null")}
		}
		// A resolver's panic is its field's error (run.resolve); one
		// anywhere else in the executor is the operation's, as gqlgen
		// would report it, never a dropped connection.
		defer func() {
			if r := recover(); r != nil {
				graphql.AddError(ctx, rc.Recover(ctx, r))
				resp = &graphql.Response{Data: []byte("null")}
			}
		}()
		return &graphql.Response{Data: p.x.execute(ctx, rc, op)}
	}
}
