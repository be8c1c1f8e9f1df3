package query

import (
	"context"
	"sync/atomic"

	"gorm.io/gorm"

	"usergraph/model"
)

// Meter measures the database work of one request: the statements it ran
// (for the access log) and the rows it read, which it bounds: a backstop
// under the GraphQL layer's computed cost, for what the cost cannot know
// in advance. Reads past the bound fail with COMPLEXITY_LIMIT_EXCEEDED,
// and so does every later read of the request.
type Meter struct {
	maxRows    int64
	rows       atomic.Int64
	statements atomic.Int64
}

// NewMeter returns a meter that lets a request read maxRows rows (0: no
// bound).
func NewMeter(maxRows int64) *Meter { return &Meter{maxRows: maxRows} }

// Ran counts one statement the request ran.
func (m *Meter) Ran() { m.statements.Add(1) }

// Statements is how many SQL statements the request has run.
func (m *Meter) Statements() int64 { return m.statements.Load() }

type meterKey struct{}

// WithMeter measures the work done under ctx with m.
func WithMeter(ctx context.Context, m *Meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

// MeterOf is the meter ctx measures with, or nil.
func MeterOf(ctx context.Context) *Meter {
	if ctx == nil {
		return nil
	}
	m, _ := ctx.Value(meterKey{}).(*Meter)
	return m
}

// Charge counts n rows read under ctx's meter, if it has one.
func Charge(ctx context.Context, n int) error {
	m := MeterOf(ctx)
	if m == nil || n == 0 {
		return nil
	}
	if m.rows.Add(int64(n)) > m.maxRows && m.maxRows > 0 {
		return &model.Error{Code: model.CodeComplexityLimitExceeded,
			Message: "this operation read more rows than one operation may; ask for smaller pages or fewer nested lists"}
	}
	return nil
}

// ChargeTx is charge for a statement's context.
func ChargeTx(tx *gorm.DB, n int) error { return Charge(tx.Statement.Context, n) }
