package graph

import (
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
)

// docCache keeps what was worked out from an operation's parsed text alone,
// so that a document a console sends over and over is worked out once.
// Keys are the parsed document and operation: the query cache hands the
// same parsed document back for the same text. What is kept must not
// depend on the request's variables.
//
// It is bounded: past maxKeptPerDocument entries it starts afresh (a
// document evicted from the query cache is parsed anew, so its entries
// would never be asked for again).
type docCache[V any] struct {
	mu sync.Mutex
	m  map[docKey]V
}

type docKey struct {
	doc *ast.QueryDocument
	op  *ast.OperationDefinition
}

const maxKeptPerDocument = 2048

// get returns the value kept for the operation, if any.
func (c *docCache[V]) get(doc *ast.QueryDocument, op *ast.OperationDefinition) (V, bool) {
	c.mu.Lock()
	v, ok := c.m[docKey{doc, op}]
	c.mu.Unlock()
	return v, ok
}

// put keeps v for the operation.
func (c *docCache[V]) put(doc *ast.QueryDocument, op *ast.OperationDefinition, v V) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxKeptPerDocument {
		c.m = make(map[docKey]V)
	}
	c.m[docKey{doc, op}] = v
	c.mu.Unlock()
}
