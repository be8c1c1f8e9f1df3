package sqlite

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
)

// txStatements is a transaction's connection for gorm that prepares each
// distinct statement once per transaction and reuses it. A group commit
// runs the same few statements for every write in it (savepoint, insert
// the user, index it, release), and SQLite compiled each of them anew
// every time: a visible share of a create's CPU, spent on the one writer
// every write queues for. (gorm's own statement cache re-prepares inside
// each transaction; the driver's is off inside transactions.) The
// statements close with the transaction.
type txStatements struct {
	*sql.Tx
	stmts map[string]*sql.Stmt
}

// reuseStatements makes the transaction tx reuse its prepared statements,
// when it runs on a database/sql transaction.
func reuseStatements(tx *gorm.DB) {
	if sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx); ok {
		tx.Statement.ConnPool = &txStatements{Tx: sqlTx, stmts: map[string]*sql.Stmt{}}
	}
}

func (t *txStatements) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := t.stmts[query]; ok {
		return s, nil
	}
	s, err := t.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	t.stmts[query] = s
	return s, nil
}

func (t *txStatements) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (t *txStatements) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (t *txStatements) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return t.Tx.QueryRowContext(ctx, query, args...) // reports the error
	}
	return s.QueryRowContext(ctx, args...)
}

// StatementsPrepared is how many distinct statements the transaction tx
// has prepared and keeps for reuse, or -1 when it keeps none (for tests).
func StatementsPrepared(tx *gorm.DB) int {
	if t, ok := tx.Statement.ConnPool.(*txStatements); ok {
		return len(t.stmts)
	}
	return -1
}
