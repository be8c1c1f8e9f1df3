// Package scalar marshals usergraph's custom GraphQL scalars.
package scalar

import (
	"io"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"usergraph/model"
)

// MarshalTime writes t as an RFC 3339 string in UTC.
func MarshalTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		var buf [40]byte
		_, _ = w.Write(AppendTime(buf[:0], t))
	})
}

// AppendTime appends t to dst as MarshalTime writes it, a quoted RFC 3339
// string in UTC: the one place the format is decided, for gqlgen's
// executor and the planned one (graph/plan).
func AppendTime(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	dst = t.UTC().AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"')
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
