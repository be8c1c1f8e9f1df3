package graph

import (
	"context"

	gqlcomplexity "github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/internal/bounded"
)

// complexityLimit is gqlgen's FixedComplexityLimit, remembering the price
// of operations whose price cannot depend on their variables.
//
// Pricing walks the whole operation on every request (a visible share of
// a small request's CPU in profiles), yet a console sends the same few documents
// over and over. A price reads only Int, Boolean and list arguments (page
// sizes, exact counts, batch lengths: see complexity()), and directives
// such as @include read Booleans; so an operation whose variables are all IDs or
// Strings costs the same whatever their values, and its price is kept,
// keyed by the parsed document and operation (doccache.go). Any other
// operation is priced afresh.
type complexityLimit struct {
	limit  int
	es     graphql.ExecutableSchema
	prices *bounded.Map[docKey, int]
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = &complexityLimit{}

func newComplexityLimit(limit int) *complexityLimit {
	return &complexityLimit{limit: limit, prices: newDocCache[docKey, int]()}
}

func (*complexityLimit) ExtensionName() string { return "ComplexityLimit" }

func (c *complexityLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

// MutateOperationContext prices the operation and refuses it over the
// limit, with gqlgen's own error code and statistics.
func (c *complexityLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Doc.Operations.ForName(opCtx.OperationName)
	price := c.price(ctx, opCtx, op)
	opCtx.Stats.SetExtension("ComplexityLimit", &extension.ComplexityStats{Complexity: price, ComplexityLimit: c.limit})
	if price > c.limit {
		err := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d", price, c.limit)
		errcode.Set(err, "COMPLEXITY_LIMIT_EXCEEDED")
		return err
	}
	return nil
}

func (c *complexityLimit) price(ctx context.Context, opCtx *graphql.OperationContext, op *ast.OperationDefinition) int {
	if op == nil || !priceIgnoresVariables(op) {
		return gqlcomplexity.Calculate(ctx, c.es, op, opCtx.Variables)
	}
	if p, ok := c.prices.Get(docKey{opCtx.Doc, op}); ok {
		return p
	}
	p := gqlcomplexity.Calculate(ctx, c.es, op, opCtx.Variables)
	c.prices.Put(docKey{opCtx.Doc, op}, p)
	return p
}

// priceIgnoresVariables says every variable of op is a single ID or
// String, which no price and no directive reads.
func priceIgnoresVariables(op *ast.OperationDefinition) bool {
	for _, v := range op.VariableDefinitions {
		if v.Type.Elem != nil || (v.Type.NamedType != "ID" && v.Type.NamedType != "String") {
			return false
		}
	}
	return true
}
