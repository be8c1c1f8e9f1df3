package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"usergraph/db/query"
	"usergraph/graph"
	"usergraph/internal/metrics"
	"usergraph/internal/reqid"
	"usergraph/internal/tracing"
)

// record is what one API request did. instrumented puts it in the
// request's context; authentication, the transport and the response
// middleware fill it in; when the request ends it becomes one access log
// line and one metrics sample. It never holds the query text, variables,
// tokens or bodies.
type record struct {
	operation string // the operation's name, as the client chose it
	typ       string // query, mutation, or "" when refused before parsing
	code      string // "ok", or the first error's extensions.code
	pool      string
	// batch is a batch's operations, each logged on its own line.
	batch []*record
}

type recordKey struct{}

func recordOf(ctx context.Context) *record {
	r, _ := ctx.Value(recordKey{}).(*record)
	return r
}

// instrumented wraps the GraphQL endpoint: it gives each request its
// deadline (which reaches every statement and transaction it runs, so a
// write that cannot finish in time rolls back), a meter of its database
// work bounded by the row budget, and a body size bound; and when the
// request ends it writes the access log line and the metrics.
func instrumented(l graph.Limits, m *metrics.Metrics, access *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		id := reqid.From(req.Header.Get(reqid.Header))
		w.Header().Set(reqid.Header, id)
		ctx, cancel := context.WithTimeout(reqid.With(req.Context(), id), l.RequestTimeout)
		defer cancel()
		meter := query.NewMeter(l.MaxRows)
		rec := &record{code: "ok"}
		ctx = context.WithValue(query.WithMeter(ctx, meter), recordKey{}, rec)
		req.Body = http.MaxBytesReader(w, req.Body, l.MaxBodyBytes)
		cw := &countingWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(cw, req.WithContext(ctx))
		elapsed := time.Since(start)
		recs := []*record{rec}
		if len(rec.batch) > 0 { // a line and a sample per operation
			recs = rec.batch
		}
		for i, r := range recs {
			if m != nil {
				m.Request(r.operation, r.typ, r.code, elapsed)
			}
			if access == nil {
				continue
			}
			attrs := []slog.Attr{slog.String("request_id", id), slog.String("trace_id", tracing.TraceID(ctx)), slog.String("path", req.URL.Path),
				slog.String("operation", r.operation), slog.String("type", r.typ),
				slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000), slog.Int("status", cw.status), slog.String("code", r.code),
				slog.String("pool", r.pool), slog.Int64("statements", meter.Statements()),
				slog.Int64("bytes", cw.bytes), slog.String("client", clientAddr(req))}
			if len(rec.batch) > 0 {
				attrs = append(attrs, slog.Int("batch_index", i), slog.Int("batch_size", len(recs)))
			}
			access.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
		}
	})
}

// noteResponse fills the request's record from the GraphQL response: the
// operation's name and type and the outcome's code.
func noteResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	rec := recordOf(ctx)
	if rec == nil {
		return resp
	}
	if graphql.HasOperationContext(ctx) {
		op := graphql.GetOperationContext(ctx)
		rec.operation = op.OperationName
		if op.Operation != nil {
			rec.operation = op.Operation.Name
			rec.typ = string(op.Operation.Operation)
		}
	}
	if resp != nil && len(resp.Errors) > 0 {
		rec.code = "INTERNAL"
		if c, ok := resp.Errors[0].Extensions["code"].(string); ok {
			rec.code = c
		}
	}
	return resp
}

// countingWriter notes the status and counts the bytes of a response.
type countingWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *countingWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}
