package graph_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"usergraph/internal/graphtest"
	"usergraph/internal/httpapi"
	"usergraph/internal/webhook"
)

// streamEnv is a server that follows the change stream and delivers
// webhooks (graphtest.NewStreaming), listening on a real port for
// WebSockets and SSE.
type streamEnv struct {
	*env
	srv *graphtest.Server
	url string // http://127.0.0.1:port
}

// loopback lets webhooks reach the test's receivers, which listen on
// 127.0.0.1; the SSRF tests use a server without it.
var loopback = []string{"127.0.0.0/8"}

// fastRetries makes retries come in milliseconds.
var fastRetries = webhook.Options{Allow: loopback, RetryBase: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond,
	Timeout: 2 * time.Second, RetryWindow: time.Hour}

func newStreamEnv(t testing.TB, st graphtest.Streaming) *streamEnv {
	t.Helper()
	if st.Stream.Poll == 0 {
		st.Stream.Poll = 50 * time.Millisecond
	}
	s := graphtest.NewStreaming(t, st)
	hs := httptest.NewUnstartedServer(s.Handler)
	hs.Config.ConnContext = httpapi.ConnContext
	hs.Start()
	t.Cleanup(hs.Close)
	return &streamEnv{env: &env{t: t, h: s.Handler, db: s.DB, store: s.Store, signer: s.Signer, stmts: s.Statements,
		poolID: s.PoolID, secret: s.Secret, token: s.Token}, srv: s, url: hs.URL}
}

// receiver is a webhook endpoint: it verifies every delivery's signature
// with the Standard Webhooks library and records it; fail makes it answer
// 500 (before recording) while set.
type receiver struct {
	t      testing.TB
	srv    *httptest.Server
	mu     sync.Mutex
	secret string
	fail   bool
	hold   chan struct{} // when set, deliveries wait on it
	got    []delivery
	byID   map[string]int
	bad    int
}

type delivery struct {
	ID   string
	Type string
	Data struct {
		ID         string `json:"id"`
		ObjectID   string `json:"objectId"`
		ObjectType string `json:"objectType"`
		Operation  string `json:"operation"`
		Changes    []struct {
			Field  string `json:"field"`
			Before any    `json:"before"`
			After  any    `json:"after"`
		} `json:"changes"`
	}
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{t: t, byID: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	hold, fail, secret := r.hold, r.fail, r.secret
	r.mu.Unlock()
	if hold != nil {
		<-hold
	}
	if fail || secret == "" { // failing, or not told its secret yet
		http.Error(w, "down for maintenance", http.StatusInternalServerError)
		return
	}
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		r.t.Errorf("receiver secret: %v", err)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := wh.Verify(body, req.Header); err != nil {
		r.bad++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var d delivery
	if err := json.Unmarshal(body, &d); err != nil {
		r.t.Errorf("delivery body %s: %v", body, err)
	}
	d.ID = req.Header.Get("webhook-id")
	r.byID[d.ID]++
	r.got = append(r.got, d)
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) setFail(v bool) { r.mu.Lock(); r.fail = v; r.mu.Unlock() }

// deliveries is what the receiver accepted so far.
func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

// waitFor waits until the receiver accepted n distinct events.
func (r *receiver) waitFor(n int, within time.Duration) []delivery {
	r.t.Helper()
	deadline := time.Now().Add(within)
	for {
		r.mu.Lock()
		distinct := len(r.byID)
		r.mu.Unlock()
		if distinct >= n {
			return r.deliveries()
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("the receiver got %d distinct events in %v, want %d", distinct, within, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// createWebhook makes an endpoint for r and gives r its secret.
func (e *streamEnv) createWebhook(r *receiver, events ...string) string {
	e.t.Helper()
	var out struct {
		CreateWebhook struct {
			Secret  string
			Webhook struct{ ID string }
		}
	}
	e.do(`mutation($u: String!, $e: [String!]!) { createWebhook(url: $u, events: $e, description: "test") { secret webhook { id } } }`,
		map[string]any{"u": r.srv.URL + "/hook", "e": events}).ok(&out)
	r.mu.Lock()
	r.secret = out.CreateWebhook.Secret
	r.mu.Unlock()
	return out.CreateWebhook.Webhook.ID
}

// wsClient is a graphql-transport-ws client.
type wsClient struct {
	t       testing.TB
	conn    *websocket.Conn
	ctx     context.Context
	next    int
	pending map[string][]wsMessage // read for one subscription while waiting for another's
}

// dialWS opens a WebSocket to the server and sends connection_init with
// payload; it returns the client after the server's ack, or the close
// error.
func (e *streamEnv) dialWS(payload map[string]any) (*wsClient, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	e.t.Cleanup(cancel)
	// A small receive buffer: a client that stops reading stops the
	// server's writes soon (the slow-consumer test).
	// Set before connecting, so the window it advertises is small from
	// the start.
	d := &net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 32<<10) })
	}}
	tr := &http.Transport{DialContext: d.DialContext}
	conn, _, err := websocket.Dial(ctx, strings.Replace(e.url, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(1 << 24)
	e.t.Cleanup(func() { conn.CloseNow() })
	c := &wsClient{t: e.t, conn: conn, ctx: ctx, pending: map[string][]wsMessage{}}
	c.write(map[string]any{"type": "connection_init", "payload": payload})
	m, err := c.read()
	if err != nil {
		return nil, err
	}
	if m.Type != "connection_ack" {
		return nil, fmt.Errorf("got %s, want connection_ack", m.Type)
	}
	return c, nil
}

type wsMessage struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

func (c *wsClient) write(v any) {
	b, _ := json.Marshal(v)
	if err := c.conn.Write(c.ctx, websocket.MessageText, b); err != nil {
		c.t.Fatalf("ws write: %v", err)
	}
}

// readFor reads the next message of subscription id, keeping others'.
func (c *wsClient) readFor(id string) (wsMessage, error) {
	if q := c.pending[id]; len(q) > 0 {
		c.pending[id] = q[1:]
		return q[0], nil
	}
	for {
		m, err := c.read()
		if err != nil || m.ID == id {
			return m, err
		}
		c.pending[m.ID] = append(c.pending[m.ID], m)
	}
}

// read reads the next message that is not a ping or pong.
func (c *wsClient) read() (wsMessage, error) {
	for {
		_, b, err := c.conn.Read(c.ctx)
		if err != nil {
			return wsMessage{}, err
		}
		var m wsMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return m, err
		}
		if m.Type == "ping" {
			c.write(map[string]any{"type": "pong"})
			continue
		}
		if m.Type != "pong" && m.Type != "ka" {
			return m, nil
		}
	}
}

// subscribe starts a subscription and returns its id.
func (c *wsClient) subscribe(query string, vars map[string]any) string {
	c.next++
	id := fmt.Sprint(c.next)
	c.write(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
	return id
}

// event is one ChangeEvent as the tests select it.
type event struct {
	ID, Type, ObjectID, ObjectType, Operation string
	Actor                                     struct{ ID string }
}

const eventFields = `id type objectId objectType operation actor { id }`

// events reads n events of subscription id; an error or complete first
// fails the test.
func (c *wsClient) events(id string, n int) []event {
	c.t.Helper()
	var out []event
	for len(out) < n {
		m, err := c.readFor(id)
		if err != nil {
			c.t.Fatalf("after %d of %d events: %v", len(out), n, err)
		}
		if m.ID != id || m.Type != "next" {
			c.t.Fatalf("after %d of %d events: %s %s", len(out), n, m.Type, m.Payload)
		}
		var p struct {
			Data   struct{ Changes event }
			Errors []gqlError
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil || len(p.Errors) > 0 {
			c.t.Fatalf("event %s: %v %+v", m.Payload, err, p.Errors)
		}
		out = append(out, p.Data.Changes)
	}
	return out
}

// sse posts a subscription with Accept: text/event-stream and returns a
// reader of its events' data, and the response.
func (e *streamEnv) sse(ctx context.Context, token, query string, vars map[string]any) (*http.Response, func() (string, string, error)) {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.url+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	br := bufio.NewReader(resp.Body)
	// next returns the next event's name and data.
	next := func() (string, string, error) {
		var name, data string
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return "", "", err
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "" && name != "":
				return name, data, nil
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = strings.TrimPrefix(line, "data: ")
			case line == "data:":
			}
		}
	}
	return resp, next
}
