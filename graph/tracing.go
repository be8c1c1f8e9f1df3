package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"usergraph/internal/auth"
	"usergraph/internal/tracing"
)

// operationSpans gives each GraphQL operation a span (when tracing is on:
// internal/tracing) under its request's: its type, its name as the client
// chose it, its pool and the code it ended with — never its document's
// arguments or variables. The loaders' batches and their statements nest
// under it. Written here: the operation is the planned executor's, which
// no maintained instrumentation knows.
type operationSpans struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = operationSpans{}

func (operationSpans) ExtensionName() string                   { return "usergraph operation spans" }
func (operationSpans) Validate(graphql.ExecutableSchema) error { return nil }

func (operationSpans) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil || oc.Operation.Operation == ast.Subscription {
		return next(ctx) // a subscription streams for as long as it lasts: no span
	}
	typ, name := string(oc.Operation.Operation), oc.Operation.Name
	attrs := []attribute.KeyValue{attribute.String("graphql.operation.type", typ), attribute.String("graphql.operation.name", name)}
	if p := auth.PrincipalOf(ctx); p != nil {
		attrs = append(attrs, attribute.String("usergraph.pool", p.Pool))
	}
	spanName := "graphql." + typ
	if name != "" {
		spanName += " " + name
	}
	ctx, span := tracing.Tracer().Start(ctx, spanName, trace.WithAttributes(attrs...))
	handler := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := handler(ctx)
		code := "ok"
		if resp != nil && len(resp.Errors) > 0 {
			code = "INTERNAL"
			if c, ok := resp.Errors[0].Extensions["code"].(string); ok {
				code = c
			}
			span.SetStatus(codes.Error, code)
		}
		span.SetAttributes(attribute.String("usergraph.code", code))
		span.End()
		return resp
	}
}
