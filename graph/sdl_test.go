package graph_test

import (
	"testing"

	"usergraph/graph/exec"
	"usergraph/graph/schematest"
)

// TestEverythingIsDescribed: the playground and generated clients show
// descriptions, so every type, field, argument, input field and enum value
// has one.
func TestEverythingIsDescribed(t *testing.T) {
	schematest.EverythingIsDescribed(t, exec.NewExecutableSchema(exec.Config{}).Schema(), 40)
}
