# Run after gqlgen (see graph/resolver.go and sequential.go): lists and
# resolver fields are marshalled in line, not a goroutine each.
s/graphql\.MarshalSliceConcurrently(ctx, len(v), 1, false, /marshalSlice(ctx, len(v), /
s/out\.ResolveConcurrently(ec\.OperationContext, &deferred, i,/resolveInline(ctx, ec.OperationContext, out, i,/
