package plan

import (
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"usergraph/graph/scalar"
)

// Writer is where the planned executor writes a response's data: JSON
// appended to one buffer, each value exactly as gqlgen's marshalers write
// it (the differential test compares the bytes). The generated field
// accessors (graph/exec/plan_gen.go) write scalar values with its methods;
// a scalar it has no method for is written by gqlgen's own marshaler,
// through Write.
type Writer struct {
	buf []byte
}

// Write appends p; a graphql.Marshaler writes itself here.
func (w *Writer) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// Bytes is what was written.
func (w *Writer) Bytes() []byte { return w.buf }

// Len is how many bytes were written.
func (w *Writer) Len() int { return len(w.buf) }

// Truncate drops what was written after the first n bytes: a value that
// turns out null is taken back.
func (w *Writer) Truncate(n int) { w.buf = w.buf[:n] }

// Null writes null.
func (w *Writer) Null() { w.buf = append(w.buf, "null"...) }

// Raw appends s unquoted: punctuation and keys quoted beforehand.
func (w *Writer) Raw(s string) { w.buf = append(w.buf, s...) }

// Byte appends one byte of punctuation.
func (w *Writer) Byte(b byte) { w.buf = append(w.buf, b) }

// String writes s quoted as gqlgen's MarshalString and MarshalID do:
// control characters, quotes and backslashes escaped, everything else
// (invalid UTF-8 included) copied as it is.
func (w *Writer) String(s string) { w.buf = AppendQuoted(w.buf, s) }

// OptString writes *s, or null.
func (w *Writer) OptString(s *string) {
	if s == nil {
		w.Null()
		return
	}
	w.String(*s)
}

// Strings writes a list of strings.
func (w *Writer) Strings(list []string) {
	w.buf = append(w.buf, '[')
	for i, s := range list {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.String(s)
	}
	w.buf = append(w.buf, ']')
}

// Int writes n.
func (w *Writer) Int(n int) { w.buf = strconv.AppendInt(w.buf, int64(n), 10) }

// OptInt writes *n, or null.
func (w *Writer) OptInt(n *int) {
	if n == nil {
		w.Null()
		return
	}
	w.Int(*n)
}

// Bool writes b.
func (w *Writer) Bool(b bool) { w.buf = strconv.AppendBool(w.buf, b) }

// OptBool writes *b, or null.
func (w *Writer) OptBool(b *bool) {
	if b == nil {
		w.Null()
		return
	}
	w.Bool(*b)
}

// Bools writes a list of booleans.
func (w *Writer) Bools(list []bool) {
	w.buf = append(w.buf, '[')
	for i, b := range list {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.Bool(b)
	}
	w.buf = append(w.buf, ']')
}

// Time writes t as the Time scalar does.
func (w *Writer) Time(t time.Time) { w.buf = scalar.AppendTime(w.buf, t) }

// OptTime writes *t, or null.
func (w *Writer) OptTime(t *time.Time) {
	if t == nil {
		w.Null()
		return
	}
	w.Time(*t)
}

// Marshaler writes a value through gqlgen's marshaler for its scalar.
func (w *Writer) Marshaler(m graphql.Marshaler) { m.MarshalGQL(w) }

const hex = "0123456789ABCDEF"

// AppendQuoted appends s to dst quoted as gqlgen's string marshaler
// quotes it.
func AppendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '\t':
			dst = append(dst, '\\', 't')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '"':
			dst = append(dst, '\\', '"')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
