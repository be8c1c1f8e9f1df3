package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/db/query"
	"usergraph/graph"
	"usergraph/internal/auth"
	"usergraph/internal/events"
	"usergraph/model"
)

// Streams: subscriptions over WebSocket (graphql-transport-ws, gqlgen's
// transport) and over server-sent events (sseTransport), on /graphql
// beside the plain transport. A stream lives longer than a request: it
// runs without the request deadline, under the stream limits instead
// (events.Limits: connections and subscriptions per pool and per
// credential, the slow-consumer cut-off), and authenticates once — from
// the connection_init payload on a WebSocket (browsers cannot set its
// headers), from the Authorization header on SSE.

// isWebSocket and isSSE tell a streaming request.
func isWebSocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

func isSSE(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// streamKeepAlive is how often an idle stream is pinged, so proxies keep
// it open and a dead client is found.
const streamKeepAlive = 25 * time.Second

// connReleaseKey holds, in a WebSocket's context, what gives its
// connection back to the limits.
type connReleaseKey struct{}

// webSocket serves es over graphql-transport-ws.
func (a *API) webSocket(es graphql.ExecutableSchema, hub *events.Hub) http.Handler {
	srv := handler.New(es)
	limit := a.limits.MaxBodyBytes
	srv.AddTransport(transport.Websocket{
		Implementation: transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{
			// Origins: the CORS list. A client that is not a browser sends
			// none and is let in; a token, not a cookie, authenticates.
			OriginPatterns: originPatterns(a.cfg.CORSOrigins),
		}},
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: streamKeepAlive,
		PingPongInterval:      streamKeepAlive,
		PayloadReadLimit:      &limit,
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			header := p.Authorization()
			if header == "" {
				header, _ = ctx.Value(upgradeAuthKey{}).(string)
			}
			ctx, pool := a.g.Authenticate(ctx, header, clientOf(ctx))
			if pool == "" {
				err := auth.Refusal(ctx)
				return transport.WithWebsocketCloseCode(ctx, 4403), nil, err
			}
			release, err := hub.Connect(pool, graph.Credential(ctx))
			if err != nil {
				return transport.WithWebsocketCloseCode(ctx, 4429), nil, err
			}
			ctx = context.WithValue(ctx, connReleaseKey{}, release)
			ctx = graph.WithStreamFail(ctx, func(ctx context.Context, err *gqlerror.Error) { transport.AddSubscriptionError(ctx, err) })
			return ctx, nil, nil
		},
		CloseFunc: func(ctx context.Context, _ int) {
			if release, ok := ctx.Value(connReleaseKey{}).(func()); ok {
				release()
			}
		},
	})
	a.configure(srv)
	srv.AroundOperations(a.perOperation)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A stream outlives the server's write timeout, which is a
		// request's.
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Time{})
		_ = rc.SetWriteDeadline(time.Time{})
		boundSendBuffer(r.Context())
		ctx := context.WithValue(r.Context(), upgradeAuthKey{}, r.Header.Get("Authorization"))
		ctx = context.WithValue(ctx, clientKey{}, clientAddr(r))
		srv.ServeHTTP(w, r.WithContext(ctx))
	})
}

// perOperation gives each operation on a stream what a request gets from
// the pipeline: loaders of its own (a WebSocket authenticates once for
// many operations, whose caches must not be shared), and, unless it is a
// subscription, the request deadline and row budget — a query sent over
// a WebSocket or SSE is bound as one sent by POST.
func (a *API) perOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	ctx = a.g.FreshLoaders(ctx)
	if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Subscription {
		return next(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, a.limits.RequestTimeout)
	ctx = query.WithMeter(ctx, query.NewMeter(a.limits.MaxRows))
	responses := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp == nil {
			cancel()
		}
		return resp
	}
}

type upgradeAuthKey struct{}
type clientKey struct{}

func clientOf(ctx context.Context) string { s, _ := ctx.Value(clientKey{}).(string); return s }

// originPatterns are the CORS origins as the WebSocket library matches
// them: hosts, without the scheme.
func originPatterns(origins []string) []string {
	out := make([]string, 0, len(origins))
	for _, o := range origins {
		if i := strings.Index(o, "://"); i >= 0 {
			o = o[i+3:]
		}
		out = append(out, o)
	}
	return out
}

// serverSentEvents serves es over SSE, behind authentication.
func (a *API) serverSentEvents(es graphql.ExecutableSchema, hub *events.Hub) http.Handler {
	srv := handler.New(es)
	srv.AddTransport(sseTransport{httpTransport: httpTransport{maxBody: a.limits.MaxBodyBytes, log: a.cfg.Logger, write: writeResponse},
		hub: hub, sendTimeout: hub.Limits().SendTimeout})
	a.configure(srv)
	srv.AroundOperations(a.perOperation)
	return authenticate(a.g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, a.limits.MaxBodyBytes)
		srv.ServeHTTP(w, r)
	}))
}

// sseTransport is GraphQL over server-sent events (graphql-sse's
// "distinct connections" mode): one POST per operation, answered with
// `event: next` for each result and `event: complete` at the end. Its
// request is read, and refused, as the plain transport's is; each write
// must finish within the send timeout, or the stream is closed — a client
// that stops reading holds nothing for long.
type sseTransport struct {
	httpTransport
	hub         *events.Hub
	sendTimeout time.Duration
}

func (sseTransport) Supports(r *http.Request) bool { return isSSE(r) }

func (t sseTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	raw, _, fail := t.readOne(r)
	if fail != nil {
		w.Header().Set("Content-Type", "application/json")
		t.refuse(w, r, fail)
		return
	}
	ctx := r.Context()
	pool, err := graph.PrincipalPool(ctx)
	if err == nil {
		release, lerr := t.hub.Connect(pool, graph.Credential(ctx))
		if lerr != nil {
			w.Header().Set("Content-Type", "application/json")
			t.write(w, http.StatusTooManyRequests, &graphql.Response{Errors: gqlerror.List{{Message: lerr.Error(),
				Extensions: map[string]any{"code": string(model.CodeTooManySubscriptions)}}}})
			return
		}
		defer release()
	}
	raw.Headers = r.Header
	raw.ReadTime.Start, raw.ReadTime.End = graphql.Now(), graphql.Now()
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	boundSendBuffer(r.Context())
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	s := &sseWriter{w: w, rc: rc, timeout: t.sendTimeout}
	w.WriteHeader(http.StatusOK)
	if !s.send(":\n\n") {
		return
	}
	stop := s.keepAlive()
	defer stop()

	var failed []*gqlerror.Error
	var mu sync.Mutex
	ctx = graph.WithStreamFail(ctx, func(_ context.Context, err *gqlerror.Error) {
		mu.Lock()
		failed = append(failed, err)
		mu.Unlock()
	})
	opCtx, errs := exec.CreateOperationContext(ctx, raw)
	if errs != nil {
		s.next(exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs))
		s.send("event: complete\ndata:\n\n")
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	for {
		resp := responses(ctx)
		if resp == nil {
			break
		}
		if !s.next(resp) {
			return
		}
	}
	mu.Lock()
	if len(failed) > 0 {
		s.next(&graphql.Response{Errors: failed})
	}
	mu.Unlock()
	s.send("event: complete\ndata:\n\n")
}

// sseWriter writes one stream's events, each within the send timeout.
type sseWriter struct {
	mu      sync.Mutex
	w       io.Writer
	rc      *http.ResponseController
	timeout time.Duration
	dead    bool
}

func (s *sseWriter) next(resp *graphql.Response) bool {
	b, err := json.Marshal(resp)
	if err != nil {
		slog.Default().Error("encoding a stream's event failed", "err", err)
		return false
	}
	return s.send("event: next\ndata: " + string(b) + "\n\n")
}

func (s *sseWriter) send(frame string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dead {
		return false
	}
	_ = s.rc.SetWriteDeadline(time.Now().Add(s.timeout))
	if _, err := io.WriteString(s.w, frame); err != nil {
		s.dead = true
		return false
	}
	if err := s.rc.Flush(); err != nil {
		s.dead = true
		return false
	}
	return true
}

// keepAlive pings the stream while it is idle; stop ends it.
func (s *sseWriter) keepAlive() (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(streamKeepAlive)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if !s.send(": ping\n\n") {
					return
				}
			}
		}
	}()
	return func() { close(done) }
}

// connKey holds, in a request's context, its connection (ConnContext).
type connKey struct{}

// ConnContext is the http.Server's ConnContext: it remembers each
// request's connection, so a stream can bound the connection's kernel send
// buffer (boundSendBuffer). Servers of this handler should set it.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// streamSendBuffer bounds a stream connection's kernel send buffer: what
// a client that stops reading can make the server hold beyond its
// subscription's own buffer (Linux would grow it to megabytes).
const streamSendBuffer = 64 << 10

// boundSendBuffer bounds the send buffer of ctx's connection, when the
// server remembered it (ConnContext) and it is TCP.
func boundSendBuffer(ctx context.Context) {
	if c, ok := ctx.Value(connKey{}).(*net.TCPConn); ok {
		_ = c.SetWriteBuffer(streamSendBuffer)
	}
}
