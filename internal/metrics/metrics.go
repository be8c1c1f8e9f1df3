// Package metrics is usergraph's Prometheus instrumentation: one registry
// with the server's own series (requests, SQL statements, password
// hashing, database connections) beside Go's runtime, process and build
// information. Labels are bounded: no pool id, user id or other value
// that grows with the data ever becomes one, and client-chosen operation
// names are capped (see Metrics.Operation).
package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MaxOperations is how many distinct operation names get a label of their
// own; later names count as "other". Clients choose operation names, so
// without a cap one client could grow the series without bound.
const MaxOperations = 200

// Metrics holds the server's collectors.
type Metrics struct {
	reg *prometheus.Registry

	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	statements      *prometheus.CounterVec
	statementTime   *prometheus.HistogramVec
	hashWait        prometheus.Histogram
	events          prometheus.Counter
	attempts        *prometheus.CounterVec
	attemptTime     prometheus.Histogram
	deliveryLag     prometheus.Histogram

	mu         sync.Mutex
	operations map[string]bool
}

// New returns a registry with the runtime, process and build collectors and
// the server's own.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{reg: reg, operations: map[string]bool{}}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "usergraph_requests_total",
		Help: "GraphQL requests by operation name (capped), type and outcome code (ok, or the first error's extensions.code: RATE_LIMITED, COMPLEXITY_LIMIT_EXCEEDED, …).",
	}, []string{"operation", "type", "code"})
	m.requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "usergraph_request_duration_seconds",
		Help:    "GraphQL request latency by operation name (capped) and type.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"operation", "type"})
	m.statements = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "usergraph_sql_statements_total",
		Help: "SQL statements run, by kind (select, insert, update, delete, other).",
	}, []string{"kind"})
	m.statementTime = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "usergraph_sql_duration_seconds",
		Help:    "SQL statement latency by kind.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
	}, []string{"kind"})
	m.hashWait = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "usergraph_password_hash_wait_seconds",
		Help:    "How long a password hash waited for a free core.",
		Buckets: []float64{.0001, .001, .005, .01, .025, .05, .1, .25, .5, 1, 5},
	})
	m.events = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "usergraph_events_total",
		Help: "Events this process's writes emitted into the change stream (one per audit record).",
	})
	m.attempts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "usergraph_webhook_attempts_total",
		Help: "Webhook delivery attempts by outcome: delivered, retrying (failed, to be retried), failed (failed for good).",
	}, []string{"outcome"})
	m.attemptTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "usergraph_webhook_attempt_duration_seconds",
		Help:    "How long a webhook delivery attempt took.",
		Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	})
	m.deliveryLag = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "usergraph_webhook_delivery_lag_seconds",
		Help:    "From an event's commit to its delivery attempt: the webhook lag.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 5, 30, 300, 3600, 86400},
	})
	reg.MustRegister(m.requests, m.requestDuration, m.statements, m.statementTime, m.hashWait,
		m.events, m.attempts, m.attemptTime, m.deliveryLag,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector())
	return m
}

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Operation is the label for a client's operation name: the name itself
// for the first MaxOperations names seen, "other" after that, and
// "anonymous" for an unnamed operation.
func (m *Metrics) Operation(name string) string {
	if name == "" {
		return "anonymous"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.operations[name] {
		return name
	}
	if len(m.operations) >= MaxOperations {
		return "other"
	}
	m.operations[name] = true
	return name
}

// Request records one GraphQL request.
func (m *Metrics) Request(operation, typ, code string, d time.Duration) {
	op := m.Operation(operation)
	m.requests.WithLabelValues(op, typ, code).Inc()
	m.requestDuration.WithLabelValues(op, typ).Observe(d.Seconds())
}

// Statement records one SQL statement.
func (m *Metrics) Statement(kind string, d time.Duration) {
	m.statements.WithLabelValues(kind).Inc()
	m.statementTime.WithLabelValues(kind).Observe(d.Seconds())
}

// HashWaited records how long a password hash waited for a core.
func (m *Metrics) HashWaited(d time.Duration) { m.hashWait.Observe(d.Seconds()) }

// Events counts events this process's writes emitted.
func (m *Metrics) Events(n int) { m.events.Add(float64(n)) }

// WebhookAttempt records a delivery attempt's outcome, its duration and
// how long after its event's commit it was made.
func (m *Metrics) WebhookAttempt(outcome string, took, sinceCommit time.Duration) {
	m.attempts.WithLabelValues(outcome).Inc()
	m.attemptTime.Observe(took.Seconds())
	m.deliveryLag.Observe(sinceCommit.Seconds())
}

// Gauge registers a gauge read when scraped, such as a queue's depth.
func (m *Metrics) Gauge(name, help string, labels prometheus.Labels, read func() float64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help, ConstLabels: labels}, read))
}
