package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"usergraph/internal/events"
	"usergraph/internal/graphtest"
)

const changeEventsQuery = `query($f: ChangeFilter, $after: String, $first: Int) {
	changeEvents(filter: $f, after: $after, first: $first) { list { ` + eventFields + ` changes { field before after } } endCursor hasNextPage } }`

type eventPage struct {
	ChangeEvents struct {
		List []struct {
			event
			Changes []struct {
				Field         string
				Before, After any
			}
		}
		EndCursor   string
		HasNextPage bool
	}
}

// TestChangeEventsInCommitOrder: every change is an event, in the order
// the changes committed, typed by object and verb; pages and filters
// resume where they ended.
func TestChangeEventsInCommitOrder(t *testing.T) {
	e := newEnv(t)
	var start eventPage
	e.do(changeEventsQuery, map[string]any{"first": 100}).ok(&start)
	after := start.ChangeEvents.EndCursor

	id := e.createUser(map[string]any{"username": "ada", "password": "a-long-password"})
	e.do(`mutation($id: ID!) { updateUser(id: $id, input: {nickname: "Ada"}) { id } }`, map[string]any{"id": id}).ok(nil)
	e.do(`mutation { createGroup(code: "ops", name: "Ops") { code } }`, nil).ok(nil)
	e.do(`mutation($id: ID!) { addGroupMembers(code: "ops", userIds: [$id]) { code } }`, map[string]any{"id": id}).ok(nil)
	e.do(`mutation($id: ID!) { archiveUser(id: $id) { id } }`, map[string]any{"id": id}).ok(nil)

	var p eventPage
	e.do(changeEventsQuery, map[string]any{"after": after, "first": 100}).ok(&p)
	var types []string
	for _, ev := range p.ChangeEvents.List {
		types = append(types, ev.Type)
	}
	want := []string{"user.created", "user.updated", "group.created", "user.memberships_changed", "user.archived"}
	if strings.Join(types, ",") != strings.Join(want, ",") {
		t.Fatalf("event types %v, want %v", types, want)
	}
	if p.ChangeEvents.HasNextPage {
		t.Error("hasNextPage at the end of the stream")
	}
	for _, c := range p.ChangeEvents.List[0].Changes {
		if c.Field == "password" && (c.After != "[redacted]") {
			t.Errorf("the password's change is %v, want it redacted", c.After)
		}
	}

	// Paging: one at a time from the same start, by endCursor and by id.
	cur := after
	for i, w := range want {
		var one eventPage
		e.do(changeEventsQuery, map[string]any{"after": cur, "first": 1}).ok(&one)
		if len(one.ChangeEvents.List) != 1 || one.ChangeEvents.List[0].Type != w {
			t.Fatalf("page %d: %+v, want %s", i, one.ChangeEvents.List, w)
		}
		if i%2 == 0 {
			cur = one.ChangeEvents.EndCursor
		} else {
			cur = one.ChangeEvents.List[0].ID // an event's id is a position too
		}
	}

	// Filters: by type pattern, by object, by actor.
	var users eventPage
	e.do(changeEventsQuery, map[string]any{"after": after, "f": map[string]any{"types": []string{"user.*"}, "objectId": id}}).ok(&users)
	if n := len(users.ChangeEvents.List); n != 4 {
		t.Errorf("user.* of one user: %d events, want 4", n)
	}
	var none eventPage
	e.do(changeEventsQuery, map[string]any{"after": after, "f": map[string]any{"actor": "cli"}}).ok(&none)
	if n := len(none.ChangeEvents.List); n != 0 || none.ChangeEvents.EndCursor == "" {
		t.Errorf("the CLI's events: %d, endCursor %q", n, none.ChangeEvents.EndCursor)
	}

	// Bad input gets a code and a field.
	e.do(changeEventsQuery, map[string]any{"f": map[string]any{"types": []string{"user.exploded"}}}).wantErr("INVALID_INPUT", "filter.types.0")
	e.do(changeEventsQuery, map[string]any{"first": 0}).wantErr("INVALID_INPUT", "first")
	e.do(changeEventsQuery, map[string]any{"after": "0190d7a2-0000-7000-8000-000000000000"}).wantErr("CURSOR_EXPIRED", "after")
	e.do(changeEventsQuery, map[string]any{"after": "ec_99999999"}).wantErr("INVALID_INPUT", "after")
	e.do(changeEventsQuery, map[string]any{"after": strings.Repeat("x", 300)}).wantErr("INVALID_INPUT", "after")

	// Another pool's events are not this pool's.
	other := e.otherPoolToken()
	var theirs eventPage
	e.doAs(other, changeEventsQuery, map[string]any{"after": after}).ok(&theirs)
	for _, ev := range theirs.ChangeEvents.List {
		if ev.ObjectID == id {
			t.Fatalf("another pool sees this pool's event %+v", ev)
		}
	}
	e.doAs(other, changeEventsQuery, map[string]any{"after": p.ChangeEvents.List[0].ID}).wantErr("NOT_FOUND", "after")
}

// otherPoolToken creates a second pool and returns an admin token of it.
func (e *env) otherPoolToken() string {
	e.t.Helper()
	p, _, err := e.store.CreatePool(context.Background(), fmt.Sprintf("other %d", time.Now().UnixNano()))
	if err != nil {
		e.t.Fatal(err)
	}
	tok, err := e.signer.AdminToken(p.ID, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok.Token
}

// TestChangeEventsPastRetention: a position whose events were pruned is
// CURSOR_EXPIRED, not an empty page.
func TestChangeEventsPastRetention(t *testing.T) {
	e := newEnv(t)
	var p eventPage
	e.createUser(map[string]any{"username": "first"})
	e.do(changeEventsQuery, nil).ok(&p)
	first := p.ChangeEvents.List[0].ID
	e.createUser(map[string]any{"username": "second"})
	e.createUser(map[string]any{"username": "third"})
	if _, err := e.store.PruneAudit(context.Background(), time.Now().Add(time.Hour), 100); err != nil {
		t.Fatal(err)
	}
	e.createUser(map[string]any{"username": "fourth"})
	e.do(changeEventsQuery, map[string]any{"after": first}).wantErr("CURSOR_EXPIRED", "after")
	e.do(changeEventsQuery, map[string]any{"after": "ec_1"}).wantErr("CURSOR_EXPIRED", "after")
}

const changesSubscription = `subscription($f: ChangeFilter, $after: String) { changes(filter: $f, after: $after) { ` + eventFields + ` } }`

// TestSubscriptionOverWebSocket: authenticated in connection_init, a
// subscription streams live changes, replays from a position, filters,
// and refuses what it must.
func TestSubscriptionOverWebSocket(t *testing.T) {
	e := newStreamEnv(t, graphtest.Streaming{})
	c, err := e.dialWS(map[string]any{"Authorization": "Bearer " + e.token})
	if err != nil {
		t.Fatal(err)
	}
	live := c.subscribe(changesSubscription, nil)
	time.Sleep(100 * time.Millisecond) // let it start before the change
	id := e.createUser(map[string]any{"username": "grace"})
	got := c.events(live, 1)
	if got[0].Type != "user.created" || got[0].ObjectID != id || got[0].Operation != "createUser" || got[0].Actor.ID != "pool-secret" {
		t.Fatalf("live event %+v", got[0])
	}

	// Replay: from the created event, with a filter, then live.
	e.do(`mutation($id: ID!) { updateUser(id: $id, input: {nickname: "G"}) { id } }`, map[string]any{"id": id}).ok(nil)
	e.createUser(map[string]any{"username": "other"})
	replay := c.subscribe(changesSubscription, map[string]any{"after": got[0].ID, "f": map[string]any{"objectId": id}})
	if r := c.events(replay, 1); r[0].Type != "user.updated" || r[0].ObjectID != id {
		t.Fatalf("replayed %+v", r[0])
	}
	// The live subscription saw both changes meanwhile.
	if l := c.events(live, 2); l[0].Type != "user.updated" || l[1].Type != "user.created" {
		t.Fatalf("live %+v", l)
	}
	e.do(`mutation($id: ID!) { deleteUser(id: $id) }`, map[string]any{"id": id}).ok(nil)
	if r := c.events(replay, 1); r[0].Type != "user.deleted" {
		t.Fatalf("after the replay, live: %+v", r[0])
	}

	// Bad input is the subscription's error, with a code.
	bad := c.subscribe(changesSubscription, map[string]any{"f": map[string]any{"types": []string{"nope"}}})
	m, err := c.readFor(bad)
	if err != nil || !strings.Contains(string(m.Payload), `"INVALID_INPUT"`) {
		t.Fatalf("a bad filter: %v %s %s", err, m.Type, m.Payload)
	}

	// Without a valid token the connection is refused at init (4403).
	_, err = e.dialWS(map[string]any{"Authorization": "Bearer nope"})
	if websocket.CloseStatus(err) != 4403 {
		t.Errorf("a bad token: %v, want close 4403", err)
	}
	_, err = e.dialWS(nil)
	if websocket.CloseStatus(err) != 4403 {
		t.Errorf("no token: %v, want close 4403", err)
	}
}

// TestSubscriptionNeedsAuditScope: a key without audit:read is refused.
func TestSubscriptionNeedsAuditScope(t *testing.T) {
	e := newStreamEnv(t, graphtest.Streaming{})
	var k struct{ CreateApiKey struct{ Key string } }
	e.do(`mutation { createApiKey(name: "reader", scopes: ["users:read"]) { key } }`, nil).ok(&k)
	c, err := e.dialWS(map[string]any{"Authorization": "Bearer " + k.CreateApiKey.Key})
	if err != nil {
		t.Fatal(err)
	}
	id := c.subscribe(changesSubscription, nil)
	m, err := c.readFor(id)
	if err != nil || !strings.Contains(string(m.Payload), `"FORBIDDEN"`) {
		t.Fatalf("got %v %s %s", err, m.Type, m.Payload)
	}
	e.doAs(k.CreateApiKey.Key, changeEventsQuery, nil).wantErr("FORBIDDEN", "")
}

// TestSubscriptionOverSSE: the same subscription over server-sent events.
func TestSubscriptionOverSSE(t *testing.T) {
	e := newStreamEnv(t, graphtest.Streaming{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	resp, next := e.sse(ctx, e.token, changesSubscription, nil)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	time.Sleep(100 * time.Millisecond)
	id := e.createUser(map[string]any{"username": "sse"})
	name, data, err := next()
	if err != nil || name != "next" || !strings.Contains(data, id) || !strings.Contains(data, "user.created") {
		t.Fatalf("got %q %q %v", name, data, err)
	}
	// Unauthenticated: an error event, then complete.
	_, next = e.sse(ctx, "", changesSubscription, nil)
	name, data, err = next()
	if err != nil || name != "next" || !strings.Contains(data, "UNAUTHENTICATED") {
		t.Fatalf("no token: %q %q %v", name, data, err)
	}
	if name, _, _ = next(); name != "complete" {
		t.Errorf("then %q, want complete", name)
	}
}

// TestSlowConsumerIsCutOff: a subscriber that stops reading is ended with
// SLOW_CONSUMER and the last event it was sent, holding only its buffer
// meanwhile; subscribing again after it misses nothing.
func TestSlowConsumerIsCutOff(t *testing.T) {
	e := newStreamEnv(t, graphtest.Streaming{Stream: events.Options{Limits: events.Limits{Buffer: 8, SendTimeout: 200 * time.Millisecond}}})
	c, err := e.dialWS(map[string]any{"Authorization": "Bearer " + e.token})
	if err != nil {
		t.Fatal(err)
	}
	sub := c.subscribe(`subscription { changes(filter: {types: ["user.created"]}) { id objectId changes { field after } } }`, nil)
	time.Sleep(100 * time.Millisecond)
	const batches, per = 4, 500
	for b := range batches {
		users := make([]map[string]any, per)
		for i := range users {
			users[i] = map[string]any{"username": fmt.Sprintf("slow%d-%d", b, i), "nickname": strings.Repeat("n", 200)}
		}
		e.do(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`, map[string]any{"u": users}).ok(nil)
	}
	// The client has read nothing; now it reads all it was sent.
	time.Sleep(time.Second)
	seen := map[string]bool{}
	var resume string
	msgs := 0
	for resume == "" {
		m, err := c.read()
		if err != nil {
			t.Fatalf("after %d events (%d messages): %v", len(seen), msgs, err)
		}
		msgs++
		switch m.Type {
		case "next":
			var p struct {
				Data struct{ Changes struct{ ID string } }
			}
			_ = json.Unmarshal(m.Payload, &p)
			seen[p.Data.Changes.ID] = true
		case "error":
			var errs []gqlError
			_ = json.Unmarshal(m.Payload, &errs)
			if len(errs) != 1 || errs[0].Extensions["code"] != "SLOW_CONSUMER" {
				t.Fatalf("error %s", m.Payload)
			}
			resume, _ = errs[0].Extensions["resumeAfter"].(string)
			if resume == "" {
				t.Fatalf("no resumeAfter: %s", m.Payload)
			}
		default:
			t.Fatalf("got %s %s before the cut-off", m.Type, m.Payload)
		}
		if m.ID != sub {
			t.Fatalf("a message of subscription %q", m.ID)
		}
	}
	if len(seen) >= batches*per {
		t.Fatalf("every event (%d) reached a client that did not read: nothing was cut off", len(seen))
	}
	// Again from resumeAfter: the rest, none twice.
	again := c.subscribe(`subscription($a: String) { changes(after: $a, filter: {types: ["user.created"]}) { id } }`, map[string]any{"a": resume})
	for len(seen) < batches*per {
		m, err := c.readFor(again)
		if err != nil || m.Type != "next" {
			t.Fatalf("resuming, after %d: %v %s %s", len(seen), err, m.Type, m.Payload)
		}
		var p struct {
			Data struct{ Changes struct{ ID string } }
		}
		_ = json.Unmarshal(m.Payload, &p)
		if seen[p.Data.Changes.ID] {
			t.Fatalf("event %s twice", p.Data.Changes.ID)
		}
		seen[p.Data.Changes.ID] = true
	}
}

// TestSubscriptionLimits: subscriptions and stream connections per
// credential are bounded.
func TestSubscriptionLimits(t *testing.T) {
	e := newStreamEnv(t, graphtest.Streaming{Stream: events.Options{Limits: events.Limits{SubscriptionsPerCredential: 2, ConnectionsPerCredential: 2}}})
	c, err := e.dialWS(map[string]any{"Authorization": "Bearer " + e.token})
	if err != nil {
		t.Fatal(err)
	}
	c.subscribe(changesSubscription, nil)
	c.subscribe(changesSubscription, nil)
	c.subscribe(changesSubscription, nil) // the three run at once: one of them is refused
	m, err := c.read()
	if err != nil || !strings.Contains(string(m.Payload), `"TOO_MANY_SUBSCRIPTIONS"`) {
		t.Fatalf("a third subscription: %v %s %s", err, m.Type, m.Payload)
	}
	if _, err := e.dialWS(map[string]any{"Authorization": "Bearer " + e.token}); err != nil {
		t.Fatalf("a second connection: %v", err)
	}
	if _, err := e.dialWS(map[string]any{"Authorization": "Bearer " + e.token}); websocket.CloseStatus(err) != 4429 {
		t.Fatalf("a third connection: %v, want close 4429", err)
	}
}

// TestResumeReplaysExactlyTheMissed: a subscriber that went away and comes
// back after the last event it handled gets exactly the events it missed,
// in order, then live ones — over SSE, as the TypeScript client does.
func TestResumeReplaysExactlyTheMissed(t *testing.T) {
	e := newStreamEnv(t, graphtest.Streaming{})
	ctx, cancel := context.WithCancel(context.Background())
	_, next := e.sse(ctx, e.token, changesSubscription, nil)
	time.Sleep(100 * time.Millisecond)
	e.createUser(map[string]any{"username": "seen"})
	_, data, err := next()
	if err != nil {
		t.Fatal(err)
	}
	var first struct{ Data struct{ Changes event } }
	if err := json.Unmarshal([]byte(data), &first); err != nil {
		t.Fatal(err)
	}
	cancel() // the subscriber goes away

	var missed []string
	for _, u := range []string{"m1", "m2", "m3"} {
		missed = append(missed, e.createUser(map[string]any{"username": u}))
	}
	e.doAs(e.otherPoolToken(), `mutation { createUser(userInfo: {username: "elsewhere"}) { id } }`, nil).ok(nil)

	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	_, next = e.sse(ctx2, e.token, changesSubscription, map[string]any{"after": first.Data.Changes.ID})
	var got []string
	for len(got) < 4 {
		if len(got) == 3 {
			missed = append(missed, e.createUser(map[string]any{"username": "live"}))
		}
		_, data, err := next()
		if err != nil {
			t.Fatal(err)
		}
		var ev struct{ Data struct{ Changes event } }
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		got = append(got, ev.Data.Changes.ObjectID)
	}
	if fmt.Sprint(got) != fmt.Sprint(missed) {
		t.Fatalf("resumed with %v, want exactly the missed %v, then the live one", got, missed)
	}
}
