package exec

// This file is hand-written; the generator leaves it alone. `go generate`
// rewrites two calls in generated.go to use it (see graph/resolver.go):
//
//   - graphql.MarshalSliceConcurrently, which starts a goroutine for every
//     element of every list of objects, becomes marshalSlice;
//   - FieldSet.ResolveConcurrently, which runs every resolver field of an
//     object but the first in a goroutine of its own, becomes
//     resolveInline.
//
// usergraph's relation fields are batch resolvers: the first element of a
// list resolves the field for all its siblings in one loader call, and
// the others only read their part. Nothing is gained by running elements
// or fields concurrently, and the goroutines cost stack growth, scheduling
// and garbage on every page (profiled: about a fifth of a nested page's
// CPU). Waiting on a loader in line is safe: a batch fires on its timer,
// not when other goroutines arrive.

import (
	"context"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
)

// marshalSlice marshals a list's elements one after another, each under
// its own field context (its index in the path), recovering a panic in an
// element as gqlgen does.
func marshalSlice(ctx context.Context, length int, marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	for i := range length {
		fc := &graphql.FieldContext{Index: &i}
		childCtx := graphql.WithFieldContext(ctx, fc)
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(childCtx, graphql.Recover(childCtx, r))
					ret[i] = graphql.Null
				}
			}()
			ret[i] = marshalElement(childCtx, i)
		}()
	}
	return ret
}

// resolveInline resolves field i of out at once, in this goroutine, with
// the panic recovery and null accounting gqlgen applies to the fields it
// runs concurrently.
func resolveInline(ctx context.Context, oc *graphql.OperationContext, out *graphql.FieldSet, i int,
	recoverFromPanic, nonNull bool, resolve func(ctx context.Context) graphql.Marshaler,
) {
	v := func() (res graphql.Marshaler) {
		if recoverFromPanic {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(ctx, oc.Recover(ctx, r))
					res = graphql.Null
				}
			}()
		}
		return resolve(ctx)
	}()
	out.Values[i] = v
	if nonNull && v == graphql.Null {
		atomic.AddUint32(&out.Invalids, 1)
	}
}
