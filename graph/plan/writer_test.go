package plan

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"usergraph/graph/scalar"
)

// FuzzWriterWritesAsGqlgen: every value the Writer writes is the bytes
// gqlgen's marshaler for its scalar writes — strings of any bytes (control
// characters, quotes, invalid UTF-8), integers, booleans and times.
func FuzzWriterWritesAsGqlgen(f *testing.F) {
	for _, s := range []string{"", "plain", "quote\" back\\slash", "tab\tline\ncr\r", "\x00\x01\x1f\x7f", "ünï ☃ 😀", "\xff\xfe bad utf-8", "</script>"} {
		f.Add(s, int64(-42), true, int64(1700000000123456789))
	}
	f.Fuzz(func(t *testing.T, s string, n int64, b bool, nanos int64) {
		tm := time.Unix(0, nanos)
		for _, c := range []struct {
			name  string
			write func(*Writer)
			want  graphql.Marshaler
		}{
			{"string", func(w *Writer) { w.String(s) }, graphql.MarshalString(s)},
			{"id", func(w *Writer) { w.String(s) }, graphql.MarshalID(s)},
			{"int", func(w *Writer) { w.Int(int(n)) }, graphql.MarshalInt(int(n))},
			{"bool", func(w *Writer) { w.Bool(b) }, graphql.MarshalBoolean(b)},
			{"time", func(w *Writer) { w.Time(tm) }, scalar.MarshalTime(tm)},
			{"strings", func(w *Writer) { w.Strings([]string{s, s}) }, graphql.Array{graphql.MarshalString(s), graphql.MarshalString(s)}},
		} {
			var w Writer
			c.write(&w)
			var want bytes.Buffer
			c.want.MarshalGQL(&want)
			if !bytes.Equal(w.Bytes(), want.Bytes()) {
				t.Errorf("%s of %s: wrote %s, gqlgen writes %s", c.name, strconv.Quote(s), w.Bytes(), want.Bytes())
			}
		}
	})
}
