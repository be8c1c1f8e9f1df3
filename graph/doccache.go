package graph

import (
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
)

// docCache keeps what was worked out from an operation's parsed text alone,
// so that a document a console sends over and over is worked out once.
// Keys are parts of the parsed document (docKey: the document and
// operation; or one of its fields): the query cache hands the same parsed
// document back for the same text. What is kept must not depend on the
// request's variables.
//
// It is bounded: past maxKeptPerDocument entries it starts afresh (a
// document evicted from the query cache is parsed anew, so its entries
// would never be asked for again).
type docCache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

type docKey struct {
	doc *ast.QueryDocument
	op  *ast.OperationDefinition
}

const maxKeptPerDocument = 2048

// get returns the value kept for k, if any.
func (c *docCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	return v, ok
}

// put keeps v for k.
func (c *docCache[K, V]) put(k K, v V) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxKeptPerDocument {
		c.m = make(map[K]V)
	}
	c.m[k] = v
	c.mu.Unlock()
}
