package graph_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"usergraph/internal/events"
	"usergraph/internal/graphtest"
	"usergraph/internal/httpapi"
)

// TestChangeStreamAbuse: what a hostile or careless client can send the
// change stream's fields gets a client code, before anything runs where
// it can.
func TestChangeStreamAbuse(t *testing.T) {
	e := newEnv(t)
	// Priced: a console's page fits; aliases of the biggest pages do not.
	e.do(`{ changeEvents(first: 100) { list { id type actor { id } changes { field before after } } endCursor } }`, nil).ok(nil)
	e.do(`{ webhooks { id events } }`, nil).ok(nil)
	for _, c := range []struct{ name, query string }{
		{"aliases of full delivery logs", "{ " + aliased(8, `webhookDeliveries(webhookId: "x", first: 100) { id log { at status error response } }`) + " }"},
		{"aliases of full change pages", "{ " + aliased(20, `changeEvents(first: 100) { list { id changes { field before after } } }`) + " }"},
	} {
		if r := e.do(c.query, nil); r.code() != "COMPLEXITY_LIMIT_EXCEEDED" {
			t.Errorf("%s: %+v", c.name, r.Errors)
		}
	}
	types := make([]string, 65)
	for i := range types {
		types[i] = "user.created"
	}
	e.do(changeEventsQuery, map[string]any{"f": map[string]any{"types": types}}).ok(nil) // repeats collapse
	huge := make([]string, 2000)
	for i := range huge {
		huge[i] = "*"
	}
	e.do(changeEventsQuery, map[string]any{"f": map[string]any{"types": huge}}).wantErr("INVALID_INPUT", "filter.types")
	e.do(changeEventsQuery, map[string]any{"f": map[string]any{"objectId": strings.Repeat("x", 300)}}).wantErr("INVALID_INPUT", "filter.objectId")
	e.do(changeEventsQuery, map[string]any{"f": map[string]any{"actor": "a\x00b"}}).wantErr("INVALID_INPUT", "filter.actor")
	e.do(changeEventsQuery, map[string]any{"f": map[string]any{"objectTypes": []string{"MARTIAN"}}}).wantErr("INVALID_INPUT", "filter.objectTypes.0")
	e.do(changeEventsQuery, map[string]any{"after": "ec_-1"}).wantErr("NOT_FOUND", "after")
	// A subscription over plain HTTP: told how to stream it.
	if r := e.do(`subscription { changes { id } }`, nil); r.code() != "BAD_REQUEST" || r.Status != 400 {
		t.Errorf("a subscription over POST: %d %+v", r.Status, r.Errors)
	}

	// A pool has at most 100 endpoints.
	for i := range 100 {
		e.do(`mutation($u: String!) { createWebhook(url: $u, events: ["*"]) { secret } }`, map[string]any{"u": fmt.Sprintf("https://93.184.216.34/%d", i)}).ok(nil)
	}
	e.do(`mutation { createWebhook(url: "https://93.184.216.34/101", events: ["*"]) { secret } }`, nil).wantErr("INVALID_INPUT", "url")
	e.do(`{ webhooks { id url events description enabled } }`, nil).ok(nil) // the whole list fits the price
}

// TestStreamTransportAbuse: a WebSocket or SSE client's mistakes get codes
// and change nothing; nothing it sent is logged.
func TestStreamTransportAbuse(t *testing.T) {
	e := newStreamEnv(t, graphtest.Streaming{})
	const secret = "TOPSECRET-7d1a"
	c, err := e.dialWS(map[string]any{"Authorization": "Bearer " + e.token})
	if err != nil {
		t.Fatal(err)
	}
	c.write(map[string]any{"id": "x", "type": "subscribe", "payload": map[string]any{"query": "subscription { changes(filter: {actor: \"" + secret + "\"}) { nope } }"}})
	m, err := c.readFor("x")
	if err != nil || !strings.Contains(string(m.Payload), "GRAPHQL_VALIDATION_FAILED") {
		t.Fatalf("an unknown field: %v %s %s", err, m.Type, m.Payload)
	}
	// A query over the WebSocket works as over HTTP.
	c.write(map[string]any{"id": "q", "type": "subscribe", "payload": map[string]any{"query": "{ users { totalCount } }"}})
	if m, err := c.readFor("q"); err != nil || !strings.Contains(string(m.Payload), "totalCount") {
		t.Fatalf("a query: %v %s", err, m.Payload)
	}
	// Two streams in one subscription: refused by validation.
	c.write(map[string]any{"id": "two", "type": "subscribe", "payload": map[string]any{"query": "subscription { a: changes { id } b: changes { id } }"}})
	if m, err := c.readFor("two"); err != nil || !strings.Contains(string(m.Payload), "GRAPHQL_VALIDATION_FAILED") {
		t.Fatalf("two root fields: %v %s", err, m.Payload)
	}
	// SSE: a document that does not parse is an error event with a code.
	_, next := e.sse(t.Context(), e.token, "subscription { changes(filter: {actor: \""+secret+"\"}) {", nil)
	if name, data, err := next(); err != nil || name != "next" || !strings.Contains(data, "GRAPHQL_PARSE_FAILED") {
		t.Fatalf("SSE, a bad document: %q %q %v", name, data, err)
	}
	time.Sleep(50 * time.Millisecond)
	if strings.Contains(e.srv.Log.String(), secret) {
		t.Errorf("the log holds what the client sent:\n%s", e.srv.Log.String())
	}
}

// TestRevokedKeyEndsItsSubscription: a subscription's credential is
// checked again as it runs; revoked, its events stop with UNAUTHENTICATED.
func TestRevokedKeyEndsItsSubscription(t *testing.T) {
	was := events.RecheckEvery
	events.RecheckEvery = 0
	defer func() { events.RecheckEvery = was }()
	e := newStreamEnv(t, graphtest.Streaming{})
	var k struct {
		CreateApiKey struct {
			Key    string
			ApiKey struct{ ID string }
		}
	}
	e.do(`mutation { createApiKey(name: "watcher", scopes: ["audit:read"]) { key apiKey { id } } }`, nil).ok(&k)
	c, err := e.dialWS(map[string]any{"Authorization": "Bearer " + k.CreateApiKey.Key})
	if err != nil {
		t.Fatal(err)
	}
	sub := c.subscribe(changesSubscription, map[string]any{"f": map[string]any{"types": []string{"user.created"}}})
	time.Sleep(100 * time.Millisecond)
	e.createUser(map[string]any{"username": "before"})
	c.events(sub, 1)
	e.do(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, map[string]any{"id": k.CreateApiKey.ApiKey.ID}).ok(nil)
	e.createUser(map[string]any{"username": "after"})
	m, err := c.readFor(sub)
	if err != nil || m.Type != "error" || !strings.Contains(string(m.Payload), `"UNAUTHENTICATED"`) {
		t.Fatalf("after the revocation: %v %s %s", err, m.Type, m.Payload)
	}
}

// TestQueriesOverStreamsAreBound: a query sent over a WebSocket or SSE
// has the row budget a POST has.
func TestQueriesOverStreamsAreBound(t *testing.T) {
	e := newStreamEnv(t, graphtest.Streaming{Configure: func(o *httpapi.Options) { o.Limits.MaxRows = 5 }})
	for i := range 10 {
		e.createUser(map[string]any{"username": fmt.Sprintf("row%d", i)})
	}
	const q = `{ users(limit: 50, exactCount: true) { totalCount list { id } } }`
	e.do(q, nil).wantErr("COMPLEXITY_LIMIT_EXCEEDED", "")
	c, err := e.dialWS(map[string]any{"Authorization": "Bearer " + e.token})
	if err != nil {
		t.Fatal(err)
	}
	id := c.subscribe(q, nil)
	if m, err := c.readFor(id); err != nil || !strings.Contains(string(m.Payload), "COMPLEXITY_LIMIT_EXCEEDED") {
		t.Fatalf("over a WebSocket: %v %s", err, m.Payload)
	}
	_, next := e.sse(t.Context(), e.token, q, nil)
	if _, data, err := next(); err != nil || !strings.Contains(data, "COMPLEXITY_LIMIT_EXCEEDED") {
		t.Fatalf("over SSE: %v %s", err, data)
	}
}
