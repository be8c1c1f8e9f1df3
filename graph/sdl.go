package graph

import (
	"bytes"

	"github.com/vektah/gqlparser/v2/formatter"

	"usergraph/graph/exec"
)

// SDL returns the complete schema as GraphQL SDL, with every description:
// what `usergraph schema` prints and schema.graphql holds, so clients can
// generate code without a running server.
func SDL() string {
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(exec.NewExecutableSchema(exec.Config{}).Schema())
	return b.String()
}
