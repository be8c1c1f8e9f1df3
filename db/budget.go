package db

import (
	"context"
	"sync/atomic"

	"gorm.io/gorm"

	"usergraph/model"
)

// A row budget bounds the rows one operation reads, counted as they are
// read: a backstop under the GraphQL layer's computed cost, for what the
// cost cannot know in advance. Reads past it fail with
// COMPLEXITY_LIMIT_EXCEEDED, and so does every later read of the
// operation.
type rowBudget struct {
	limit int64
	read  atomic.Int64
}

type budgetKey struct{}

// WithRowLimit gives the operation run under ctx a budget of limit rows.
func WithRowLimit(ctx context.Context, limit int64) context.Context {
	return context.WithValue(ctx, budgetKey{}, &rowBudget{limit: limit})
}

// charge counts n rows read under ctx's budget, if it has one.
func charge(ctx context.Context, n int) error {
	b, ok := ctx.Value(budgetKey{}).(*rowBudget)
	if !ok || n == 0 {
		return nil
	}
	if b.read.Add(int64(n)) > b.limit {
		return &model.Error{Code: model.CodeComplexityLimitExceeded,
			Message: "this operation read more rows than one operation may; ask for smaller pages or fewer nested lists"}
	}
	return nil
}

// chargeTx is charge for a statement's context.
func chargeTx(tx *gorm.DB, n int) error { return charge(tx.Statement.Context, n) }
