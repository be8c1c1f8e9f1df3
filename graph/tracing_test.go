package graph_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"usergraph/internal/httpapi"
)

// TestTracesARequest: with a tracer provider installed (here an in-memory
// recorder), a request makes a server span, a span for its operation
// (type, name, pool, code) under it, a span per loader batch under that,
// and a span per SQL statement with its text; no attribute holds a
// variable's value or the token; the access log line names the trace.
func TestTracesARequest(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	// Installed for the rest of the test binary: the global provider
	// delegates to the first one set, so restoring it is not possible.
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	var logs bytes.Buffer
	var mu sync.Mutex
	e := newEnvWith(t, func(o *httpapi.Options) {
		o.AccessLog = slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, nil))
	})
	id := e.createUser(map[string]any{"username": "traced-ada"})
	e.do(`mutation($u: [ID!]!) { createGroup(code: "traced") { id } addGroupMembers(code: "traced", userIds: $u) { id } }`, map[string]any{"u": []string{id}}).ok(nil)
	const marker = "secret-marker-7f3a"
	before := len(rec.Ended())
	mu.Lock()
	logs.Reset()
	mu.Unlock()
	e.do(`query FindTraced($q: String, $m: String) { users(query: $q) { list { id groups { list { code } } } } marker: users(query: $m) { totalCount } }`,
		map[string]any{"q": "traced", "m": marker}).ok(nil)
	spans := rec.Ended()[before:]

	var server, op sdktrace.ReadOnlySpan
	batches, statements := 0, 0
	for _, s := range spans {
		switch {
		case s.SpanKind() == trace.SpanKindServer:
			server = s
		case s.Name() == "graphql.query FindTraced":
			op = s
		case strings.HasPrefix(s.Name(), "graphql.batch "):
			batches++
		case strings.HasPrefix(s.Name(), "sql."):
			statements++
		}
		for _, a := range s.Attributes() {
			if v := a.Value.Emit(); strings.Contains(v, marker) || strings.Contains(v, e.token) {
				t.Errorf("span %s attribute %s holds what the client sent: %q", s.Name(), a.Key, v)
			}
		}
	}
	if server == nil || op == nil || batches == 0 || statements == 0 {
		names := []string{}
		for _, s := range spans {
			names = append(names, s.Name())
		}
		t.Fatalf("server %v, operation %v, %d batches, %d statements; spans: %v", server != nil, op != nil, batches, statements, names)
	}
	if op.Parent().SpanID() != server.SpanContext().SpanID() || op.SpanContext().TraceID() != server.SpanContext().TraceID() {
		t.Errorf("the operation's span is not the request's child")
	}
	attrs := map[string]string{}
	for _, a := range op.Attributes() {
		attrs[string(a.Key)] = a.Value.Emit()
	}
	if attrs["graphql.operation.type"] != "query" || attrs["graphql.operation.name"] != "FindTraced" || attrs["usergraph.pool"] != e.poolID || attrs["usergraph.code"] != "ok" {
		t.Errorf("operation span attributes: %v", attrs)
	}
	for _, s := range spans {
		if strings.HasPrefix(s.Name(), "graphql.batch ") && s.Parent().SpanID() != op.SpanContext().SpanID() {
			t.Errorf("batch %s is not under the operation", s.Name())
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var line struct {
		TraceID string `json:"trace_id"`
	}
	_ = json.Unmarshal(bytes.SplitN(logs.Bytes(), []byte("\n"), 2)[0], &line)
	if line.TraceID != server.SpanContext().TraceID().String() {
		t.Errorf("the access log names trace %q, the request's is %s", line.TraceID, server.SpanContext().TraceID())
	}
}
