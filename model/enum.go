package model

import (
	"io"
	"strconv"
	"strings"
)

// unmarshalEnum reads a GraphQL enum value into dst if it is one of values.
// The schema already restricts enum values; this guards the Go side and
// gives the same INVALID_INPUT error as every other rule.
func unmarshalEnum[T ~string](dst *T, v any, values ...T) error {
	s, _ := v.(string)
	for _, ok := range values {
		if T(s) == ok {
			*dst = ok
			return nil
		}
	}
	names := make([]string, len(values))
	for i, n := range values {
		names[i] = string(n)
	}
	return Invalid("", "%v is not one of %s", v, strings.Join(names, ", "))
}

// marshalEnum writes an enum value as a GraphQL string.
func marshalEnum[T ~string](w io.Writer, v T) { _, _ = io.WriteString(w, strconv.Quote(string(v))) }
