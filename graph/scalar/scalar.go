// Package scalar marshals usergraph's custom GraphQL scalars.
package scalar

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"usergraph/model"
)

// MarshalTime writes t as an RFC 3339 string in UTC.
func MarshalTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(time.RFC3339Nano)))
	})
}

// UnmarshalTime reads the ISO 8601 forms model.ParseTime accepts; anything
// else, including epoch numbers, is INVALID_INPUT.
func UnmarshalTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, model.Invalid("", "a time must be an ISO 8601 string such as 2017-06-07T14:34:08.700Z, not %T", v)
	}
	return model.ParseTime(s)
}
