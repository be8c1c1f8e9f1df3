package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"usergraph/internal/dbtest"
	"usergraph/internal/graphtest"
)

// TestWebhookDeliversThroughFailures: a receiver that fails, then
// recovers, gets every event once its retries succeed, each with a valid
// signature, and an object's events in their order.
func TestWebhookDeliversThroughFailures(t *testing.T) {
	e := newStreamEnv(t, graphtest.Streaming{Webhooks: fastRetries})
	r := newReceiver(t)
	hook := e.createWebhook(r, "user.*")
	r.setFail(true)
	id := e.createUser(map[string]any{"username": "first"})
	for i := range 5 {
		e.do(`mutation($id: ID!, $n: String) { updateUser(id: $id, input: {nickname: $n}) { id } }`, map[string]any{"id": id, "n": fmt.Sprint(i)}).ok(nil)
	}
	users := make([]map[string]any, 20)
	for i := range users {
		users[i] = map[string]any{"username": fmt.Sprintf("batch%d", i)}
	}
	e.do(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`, map[string]any{"u": users}).ok(nil)
	e.do(`mutation { createGroup(code: "not-a-user-event") { code } }`, nil).ok(nil)

	// Failing: attempts are made, retried, logged; nothing accepted.
	waitUntil(t, 10*time.Second, func() bool {
		var out struct {
			WebhookDeliveries []struct{ Attempts, LastStatus int }
		}
		e.do(`query($w: ID!) { webhookDeliveries(webhookId: $w, filter: {state: PENDING}, first: 100) { attempts lastStatus } }`, map[string]any{"w": hook}).ok(&out)
		return len(out.WebhookDeliveries) > 0 && out.WebhookDeliveries[len(out.WebhookDeliveries)-1].Attempts >= 2
	})
	r.setFail(false)
	got := r.waitFor(26, 20*time.Second)
	time.Sleep(200 * time.Millisecond) // anything more would be a duplicate or a group event
	got = r.deliveries()
	if r.bad > 0 {
		t.Errorf("%d deliveries had a bad signature", r.bad)
	}
	if len(got) != 26 {
		t.Errorf("%d deliveries, want 26 (each event once once accepted)", len(got))
	}
	var nicknames []any
	for _, d := range got {
		if !strings.HasPrefix(d.Type, "user.") {
			t.Errorf("a %s event reached an endpoint of user.*", d.Type)
		}
		if d.Data.ObjectID == id && d.Type == "user.updated" {
			nicknames = append(nicknames, d.Data.Changes[0].After)
		}
	}
	if fmt.Sprint(nicknames) != "[0 1 2 3 4]" {
		t.Errorf("one user's updates arrived as %v, want in order [0 1 2 3 4]", nicknames)
	}
	var out struct {
		WebhookDeliveries []struct {
			State    string
			Attempts int
			Log      []struct {
				Status    int
				LatencyMs int
				Error     string
				Response  string
			}
		}
	}
	e.do(`query($w: ID!) { webhookDeliveries(webhookId: $w, first: 100) { state attempts log { status latencyMs error response } } }`, map[string]any{"w": hook}).ok(&out)
	retried := 0
	for _, d := range out.WebhookDeliveries {
		if d.State != "DELIVERED" {
			t.Errorf("a delivery is %s", d.State)
		}
		if d.Attempts > 1 {
			retried++
			first := d.Log[0]
			if first.Status != 500 || first.Error == "" || !strings.Contains(first.Response, "down for maintenance") {
				t.Errorf("a failed attempt's log: %+v", first)
			}
		}
		if last := d.Log[len(d.Log)-1]; last.Status != 204 || last.Error != "" {
			t.Errorf("the accepted attempt's log: %+v", last)
		}
	}
	if retried == 0 {
		t.Error("no delivery was retried")
	}
	var h struct {
		Webhook struct{ FailingSince, LastSuccessAt *string }
	}
	e.do(`query($w: ID!) { webhook(id: $w) { failingSince lastSuccessAt } }`, map[string]any{"w": hook}).ok(&h)
	if h.Webhook.FailingSince != nil || h.Webhook.LastSuccessAt == nil {
		t.Errorf("after recovering: %+v", h.Webhook)
	}
}

func waitUntil(t testing.TB, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not so within %v", within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWebhookManagement: the endpoint's lifecycle — list, update, rotate
// (both secrets sign meanwhile), ping, redeliver, disable, delete — its
// scope, and what it refuses.
func TestWebhookManagement(t *testing.T) {
	e := newStreamEnv(t, graphtest.Streaming{Webhooks: fastRetries})
	r := newReceiver(t)
	hook := e.createWebhook(r, "user.created")
	old := r.secret

	var list struct {
		Webhooks []struct {
			ID, URL, Description string
			Events               []string
			Enabled              bool
		}
	}
	e.do(`{ webhooks { id url description events enabled } }`, nil).ok(&list)
	if len(list.Webhooks) != 1 || list.Webhooks[0].ID != hook || !list.Webhooks[0].Enabled || list.Webhooks[0].Events[0] != "user.created" {
		t.Fatalf("webhooks: %+v", list.Webhooks)
	}
	for _, field := range []string{"secret", "cursor", "previousSecret"} {
		if r := e.do(`{ webhooks { `+field+` } }`, nil); r.code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("webhooks { %s } is not refused: %s", field, r.Data)
		}
	}

	// Rotation: deliveries carry both signatures for the grace period.
	var rot struct{ RotateWebhookSecret struct{ Secret string } }
	e.do(`mutation($w: ID!) { rotateWebhookSecret(id: $w) { secret } }`, map[string]any{"w": hook}).ok(&rot)
	if rot.RotateWebhookSecret.Secret == old || !strings.HasPrefix(rot.RotateWebhookSecret.Secret, "whsec_") {
		t.Fatalf("rotated secret %q", rot.RotateWebhookSecret.Secret)
	}
	r.mu.Lock()
	r.secret = old // a receiver not yet switched still verifies
	r.mu.Unlock()
	e.createUser(map[string]any{"username": "after-rotation"})
	r.waitFor(1, 10*time.Second)
	r.mu.Lock()
	r.secret = rot.RotateWebhookSecret.Secret // and one switched does too
	r.mu.Unlock()
	e.createUser(map[string]any{"username": "after-switch"})
	r.waitFor(2, 10*time.Second)
	if r.bad > 0 {
		t.Fatalf("%d deliveries failed verification across the rotation", r.bad)
	}

	// Ping: a signed webhook.ping, its attempt returned, nothing recorded.
	var ping struct {
		PingWebhook struct {
			Status, LatencyMs int
			Error             string
		}
	}
	e.do(`mutation($w: ID!) { pingWebhook(id: $w) { status latencyMs error } }`, map[string]any{"w": hook}).ok(&ping)
	if ping.PingWebhook.Status != 204 || ping.PingWebhook.Error != "" {
		t.Errorf("ping: %+v", ping.PingWebhook)
	}
	if d := r.deliveries(); d[len(d)-1].Type != "webhook.ping" {
		t.Errorf("the ping arrived as %q", d[len(d)-1].Type)
	}

	// Redeliver: the same event (the same webhook-id) again.
	first := r.deliveries()[0].ID
	var red struct{ RedeliverWebhookEvent struct{ State string } }
	e.do(`mutation($w: ID!, $e: ID!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) { state } }`, map[string]any{"w": hook, "e": first}).ok(&red)
	waitUntil(t, 10*time.Second, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.byID[first] == 2 })

	// Disabled, it receives nothing; enabled again, it gets what it missed.
	e.do(`mutation($w: ID!) { updateWebhook(id: $w, input: {enabled: false, events: ["user.*"], description: "all users"}) { enabled } }`, map[string]any{"w": hook}).ok(nil)
	n := len(r.deliveries())
	missed := e.createUser(map[string]any{"username": "while-disabled"})
	time.Sleep(300 * time.Millisecond)
	if len(r.deliveries()) != n {
		t.Fatal("a disabled endpoint received an event")
	}
	e.do(`mutation($w: ID!) { updateWebhook(id: $w, input: {enabled: true}) { enabled } }`, map[string]any{"w": hook}).ok(nil)
	waitUntil(t, 10*time.Second, func() bool {
		return slices.ContainsFunc(r.deliveries(), func(d delivery) bool { return d.Data.ObjectID == missed })
	})

	// Bad input: a code and a field, nothing changed.
	for _, c := range []struct{ q, code, field string }{
		{`mutation { createWebhook(url: "ftp://example.com/x", events: ["*"]) { secret } }`, "INVALID_INPUT", "url"},
		{`mutation { createWebhook(url: "https://user:pw@example.com/x", events: ["*"]) { secret } }`, "INVALID_INPUT", "url"},
		{`mutation { createWebhook(url: "https://93.184.216.34/` + strings.Repeat("x", 2100) + `", events: ["*"]) { secret } }`, "INVALID_INPUT", "url"},
		{`mutation { createWebhook(url: "https://93.184.216.34/x", events: ["user.nope"]) { secret } }`, "INVALID_INPUT", "events.0"},
		{`mutation { createWebhook(url: "https://93.184.216.34/x", events: []) { secret } }`, "INVALID_INPUT", "events"},
		{`mutation($w: ID!) { updateWebhook(id: $w, input: {events: ["*", "bad"]}) { id } }`, "INVALID_INPUT", "input.events.1"},
		{`mutation { deleteWebhook(id: "nope") { id } }`, "NOT_FOUND", "id"},
		{`mutation($w: ID!) { redeliverWebhookEvent(webhookId: $w, eventId: "nope") { id } }`, "NOT_FOUND", "eventId"},
		{`query($w: ID!) { webhookDeliveries(webhookId: $w, first: 101) { id } }`, "INVALID_INPUT", "first"},
	} {
		e.do(c.q, map[string]any{"w": hook}).wantErr(c.code, c.field)
	}

	// Scope: webhooks:manage, and a pool's endpoints are its own.
	var k struct{ CreateApiKey struct{ Key string } }
	e.do(`mutation { createApiKey(name: "auditor", scopes: ["audit:read", "users:*"]) { key } }`, nil).ok(&k)
	e.doAs(k.CreateApiKey.Key, `{ webhooks { id } }`, nil).wantErr("FORBIDDEN", "")
	e.doAs(k.CreateApiKey.Key, `mutation { createWebhook(url: "https://93.184.216.34/x", events: ["*"]) { secret } }`, nil).wantErr("FORBIDDEN", "")
	// Oversized input.
	huge := make([]string, 2000)
	for i := range huge {
		huge[i] = "*"
	}
	for _, c := range []struct {
		q     string
		v     map[string]any
		field string
	}{
		{`mutation($e: [String!]!) { createWebhook(url: "https://93.184.216.34/x", events: $e) { secret } }`, map[string]any{"e": huge}, "events"},
		{`mutation($d: String) { createWebhook(url: "https://93.184.216.34/x", events: ["*"], description: $d) { secret } }`, map[string]any{"d": strings.Repeat("d", 5000)}, "description"},
		{`query($w: ID!, $e: ID) { webhookDeliveries(webhookId: $w, filter: {eventId: $e}) { id } }`, map[string]any{"w": hook, "e": strings.Repeat("e", 300)}, "filter.eventId"},
		{`query($w: ID!, $a: String) { webhookDeliveries(webhookId: $w, after: $a) { id } }`, map[string]any{"w": hook, "a": "a\x00b"}, "after"},
	} {
		e.do(c.q, c.v).wantErr("INVALID_INPUT", c.field)
	}

	// Another pool's credential sees none of it, through any field.
	other := e.otherPoolToken()
	var anyEvent struct {
		ChangeEvents struct{ List []struct{ ID string } }
	}
	e.do(`{ changeEvents(first: 1) { list { id } } }`, nil).ok(&anyEvent)
	ev := anyEvent.ChangeEvents.List[0].ID
	for _, c := range []struct{ q, field string }{
		{`query($w: ID!) { webhook(id: $w) { id } }`, "id"},
		{`query($w: ID!) { webhookDeliveries(webhookId: $w) { id } }`, "webhookId"},
		{`mutation($w: ID!) { updateWebhook(id: $w, input: {description: "x"}) { id } }`, "id"},
		{`mutation($w: ID!) { rotateWebhookSecret(id: $w) { secret } }`, "id"},
		{`mutation($w: ID!) { pingWebhook(id: $w) { status } }`, "id"},
		{`mutation($w: ID!) { deleteWebhook(id: $w) { id } }`, "id"},
	} {
		e.doAs(other, c.q, map[string]any{"w": hook}).wantErr("NOT_FOUND", c.field)
	}
	e.doAs(other, `mutation($w: ID!, $e: ID!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) { id } }`, map[string]any{"w": hook, "e": ev}).
		wantErr("NOT_FOUND", "eventId")
	var theirs struct{ Webhooks []struct{ ID string } }
	e.doAs(other, `{ webhooks { id } }`, nil).ok(&theirs)
	if len(theirs.Webhooks) != 0 {
		t.Errorf("another pool lists %d endpoints", len(theirs.Webhooks))
	}

	e.do(`mutation($w: ID!) { deleteWebhook(id: $w) { id } }`, map[string]any{"w": hook}).ok(nil)
	e.do(`{ webhooks { id } }`, nil).ok(&list)
	if len(list.Webhooks) != 0 {
		t.Errorf("after delete: %+v", list.Webhooks)
	}
	if n := e.rows("webhook_deliveries"); n != 0 {
		t.Errorf("%d deliveries outlived their endpoint", n)
	}
}

// TestWebhookDisabledAfterFailing: an endpoint whose every attempt fails
// for DisableAfter is disabled, with the reason.
func TestWebhookDisabledAfterFailing(t *testing.T) {
	opt := fastRetries
	opt.DisableAfter = 300 * time.Millisecond
	e := newStreamEnv(t, graphtest.Streaming{Webhooks: opt})
	r := newReceiver(t)
	hook := e.createWebhook(r, "*")
	r.setFail(true)
	e.createUser(map[string]any{"username": "doomed"})
	waitUntil(t, 10*time.Second, func() bool {
		var out struct {
			Webhook struct {
				Enabled        bool
				DisabledReason string
			}
		}
		e.do(`query($w: ID!) { webhook(id: $w) { enabled disabledReason } }`, map[string]any{"w": hook}).ok(&out)
		return !out.Webhook.Enabled && out.Webhook.DisabledReason == "FAILING"
	})
}

// TestWebhookRefusesPrivateAddresses: by default no endpoint may point at
// loopback, private, link-local or metadata addresses, by address or by a
// name resolving to one.
func TestWebhookRefusesPrivateAddresses(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{
		"http://127.0.0.1/hook", "http://127.1.2.3:8080/hook", "http://10.0.0.1/hook", "http://10.255.1.1/hook",
		"http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook",
		"http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/",
		"http://localhost/hook", "http://LOCALHOST:9000/hook",
	} {
		e.do(`mutation($u: String!) { createWebhook(url: $u, events: ["*"]) { secret } }`, map[string]any{"u": u}).wantErr("INVALID_INPUT", "url")
	}
	if n := e.rows("webhooks"); n != 0 {
		t.Errorf("%d endpoints were made", n)
	}
	e.do(`mutation { createWebhook(url: "https://93.184.216.34/hook", events: ["*"]) { secret } }`, nil).ok(nil)
}

// TestWebhooksAcrossReplicas: two replicas on one PostgreSQL deliver each
// event to each endpoint once, and a subscription on one sees a change
// made through the other.
func TestWebhooksAcrossReplicas(t *testing.T) {
	if dbtest.Engine() != "postgres" {
		t.Skip("replicas share a PostgreSQL database")
	}
	a := newStreamEnv(t, graphtest.Streaming{Webhooks: fastRetries})
	b := newStreamEnv(t, graphtest.Streaming{Webhooks: fastRetries, DSN: dbtest.DSNOf(t, a.db)})
	r1, r2 := newReceiver(t), newReceiver(t)
	a.createWebhook(r1, "user.created")
	b.env.poolID, b.env.token = a.poolID, a.token // one pool, seen through either replica
	b.createWebhook(r2, "*")

	c, err := b.dialWS(map[string]any{"Authorization": "Bearer " + a.token})
	if err != nil {
		t.Fatal(err)
	}
	sub := c.subscribe(changesSubscription, map[string]any{"f": map[string]any{"types": []string{"user.created"}}})
	time.Sleep(200 * time.Millisecond)
	const n = 300
	for batch := range 3 {
		users := make([]map[string]any, n/3)
		for i := range users {
			users[i] = map[string]any{"username": fmt.Sprintf("r%d-%d", batch, i)}
		}
		via := a.env
		if batch == 1 {
			via = b.env
		}
		via.do(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`, map[string]any{"u": users}).ok(nil)
	}
	if got := c.events(sub, n); len(got) != n {
		t.Fatalf("the subscription on replica b saw %d events", len(got))
	}
	r1.waitFor(n, 30*time.Second)
	r2.waitFor(n, 30*time.Second)
	time.Sleep(500 * time.Millisecond)
	for _, r := range []*receiver{r1, r2} {
		r.mu.Lock()
		for id, k := range r.byID {
			if k != 1 {
				t.Errorf("event %s delivered %d times to one endpoint", id, k)
			}
		}
		r.mu.Unlock()
	}
}

// The delivery-time check (a name that moves to a private address after
// the endpoint was made) is internal/webhook's TestGuardChecksEveryDial.
