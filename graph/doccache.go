package graph

import (
	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/internal/bounded"
)

// What is worked out from an operation's parsed text alone — its price,
// the fields a field selects — is kept, so that a document
// a console sends over and over is worked out once. Keys are parts of the
// parsed document (docKey: the document and operation; or one of its
// fields): the query cache hands the same parsed document back for the
// same text. What is kept must not depend on the request's variables.
// The caches are bounded: a document evicted from the query cache is
// parsed anew, so its entries would never be asked for again.

type docKey struct {
	doc *ast.QueryDocument
	op  *ast.OperationDefinition
}

const maxKeptPerDocument = 2048

// newDocCache returns a cache of what was worked out from documents.
func newDocCache[K comparable, V any]() *bounded.Map[K, V] {
	return bounded.New[K, V](maxKeptPerDocument)
}
