// Package tracing sets up OpenTelemetry tracing, off unless configured:
// with an OTLP endpoint (-trace-endpoint, or the standard
// OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), spans
// are batched to it over OTLP/HTTP. The spans come from the maintained
// instrumentations where they exist — otelhttp for each HTTP request,
// GORM's plugin for each SQL statement (without its variables) — and from
// usergraph's own executor for what only it knows: each GraphQL operation
// (with its name, type and pool) and each batch of a loader. Nothing a
// client sent (variables, tokens, bodies) becomes an attribute.
package tracing

import (
	"context"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
)

// Name is the instrumentation scope of usergraph's own spans.
const Name = "usergraph"

// Tracer is usergraph's tracer (the global provider's: a no-op until Setup
// installs one, or a test does).
func Tracer() trace.Tracer { return otel.Tracer(Name) }

// Configured reports whether tracing should start: an endpoint given, or
// one in the standard environment variables.
func Configured(endpoint string) bool {
	return endpoint != "" || os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Setup installs a provider exporting to endpoint (a URL such as
// http://collector:4318; "" to take the standard environment's) and the
// W3C trace-context propagator, so a caller's trace continues here. It
// returns what flushes and stops it. The sampler is the SDK's default
// (parent-based, always on), or OTEL_TRACES_SAMPLER's.
func Setup(ctx context.Context, endpoint, version string) (shutdown func(context.Context) error, err error) {
	var opts []otlptracehttp.Option
	if endpoint != "" {
		opts = append(opts, otlptracehttp.WithEndpointURL(endpoint))
	}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, err
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(semconv.ServiceName("usergraph"), semconv.ServiceVersion(version)))
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return tp.Shutdown, nil
}

// TraceID is the id of the trace ctx is in ("" when none is recorded).
func TraceID(ctx context.Context) string {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		return sc.TraceID().String()
	}
	return ""
}
