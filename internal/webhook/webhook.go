// Package webhook delivers a pool's events to its endpoints, as the
// Standard Webhooks specification says: a JSON body {type, timestamp,
// data}, and the headers webhook-id (the event's id, the same on every
// attempt: receivers drop repeats by it), webhook-timestamp and
// webhook-signature (HMAC-SHA256 by the endpoint's secret, with the
// specification's own Go library).
//
// Delivery is at least once. The dispatcher (Run, on every replica) fans
// each new event out to the endpoints that take it, as rows in the
// database (db.FanOutWebhooks), then claims due deliveries under a lease
// (db.ClaimDeliveries: replicas skip each other's, and a replica that dies
// mid-delivery loses nothing — its lease runs out and another takes the
// delivery up), POSTs them, and records each attempt. A failed attempt is
// retried with exponential backoff and jitter for RetryWindow (over 24
// hours); an object's events reach an endpoint in their order (a later one
// waits for an earlier one's retries); an endpoint failing for longer than
// DisableAfter is disabled. Every address dialled passes the Guard.
package webhook

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"usergraph/db"
	"usergraph/internal/egress"
	"usergraph/internal/events"
	"usergraph/model"
)

// Options tune delivery; zero fields take the defaults.
type Options struct {
	// Allow names hosts and address ranges deliveries may reach beyond
	// public addresses (on-premise receivers): see Guard.
	Allow []string
	// Timeout bounds one attempt. Default 10s.
	Timeout time.Duration
	// RetryBase is the first retry's delay, doubling on each failure up to
	// RetryMax (defaults 5s and 2h), each ±20% at random; a delivery is
	// given up once RetryWindow (default 26h) has passed since its first
	// attempt.
	RetryBase, RetryMax, RetryWindow time.Duration
	// DisableAfter disables an endpoint whose every attempt failed for
	// this long. Default 72h.
	DisableAfter time.Duration
	// Workers is how many attempts run at once. Default 16.
	Workers int
	// RotationGrace is how long a rotated secret still signs. Default 24h.
	RotationGrace time.Duration
	// Observe, when set, is told of each attempt's outcome ("delivered",
	// "retrying", "failed") and latency, and of each event's delay from
	// commit to delivery.
	Observe func(outcome string, latency, sinceCommit time.Duration)
	Log     *slog.Logger
}

func (o Options) withDefaults() Options {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Timeout, 10*time.Second)
	def(&o.RetryBase, 5*time.Second)
	def(&o.RetryMax, 2*time.Hour)
	def(&o.RetryWindow, 26*time.Hour)
	def(&o.DisableAfter, 72*time.Hour)
	def(&o.RotationGrace, 24*time.Hour)
	if o.Workers <= 0 {
		o.Workers = 16
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return o
}

// Service delivers webhooks for one process.
type Service struct {
	store  *db.Store
	hub    *events.Hub
	guard  *egress.Guard
	client *http.Client
	opt    Options
	// idleUntil: there was no enabled endpoint when last looked, so
	// passes until then do nothing (Refresh clears it).
	idleUntil atomic.Int64
}

// Refresh makes the dispatcher look for endpoints at its next wake: one
// was made or enabled.
func (s *Service) Refresh() { s.idleUntil.Store(0) }

// New returns a service over store, woken by hub's events.
func New(store *db.Store, hub *events.Hub, opt Options) (*Service, error) {
	opt = opt.withDefaults()
	g, err := egress.NewGuard(opt.Allow, "webhook-allow")
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us, past the guard
		DialContext:           g.Dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   opt.Workers,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: opt.Timeout,
	}
	client := &http.Client{Transport: tr, Timeout: opt.Timeout,
		// A redirect is the endpoint's answer, not an instruction: it is
		// recorded as a failure, never followed somewhere unchecked.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Service{store: store, hub: hub, guard: g, client: client, opt: opt}, nil
}

// RotationGrace is how long a rotated secret still signs.
func (s *Service) RotationGrace() time.Duration { return s.opt.RotationGrace }

// CheckURL refuses an endpoint URL the guard would not deliver to
// (INVALID_INPUT on field).
func (s *Service) CheckURL(ctx context.Context, field, raw string) error {
	u, err := model.CheckWebhookURL(field, raw)
	if err != nil {
		return err
	}
	return s.guard.CheckHost(ctx, field, u)
}

// NewSecret makes an endpoint's signing secret in the specification's
// form: whsec_ and 32 random bytes, base64.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// payload is the body of a delivery.
type payload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      eventData `json:"data"`
}

// eventData is an event as a webhook carries it: the changeEvents fields.
type eventData struct {
	ID         string                `json:"id"`
	UserPoolID string                `json:"userPoolId"`
	At         time.Time             `json:"at"`
	Actor      actor                 `json:"actor"`
	Operation  string                `json:"operation"`
	ObjectType model.AuditObjectType `json:"objectType"`
	ObjectID   string                `json:"objectId"`
	Changes    []model.Change        `json:"changes"`
}

type actor struct {
	Type    model.ActorType `json:"type"`
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Issuer  string          `json:"issuer,omitempty"`
	Subject string          `json:"subject,omitempty"`
	Email   string          `json:"email,omitempty"`
}

// Body is the JSON a delivery of e carries.
func Body(e *model.Event) ([]byte, error) {
	changes := e.Changes
	if changes == nil {
		changes = []model.Change{}
	}
	return json.Marshal(payload{Type: e.Type, Timestamp: e.At, Data: eventData{
		ID: e.ID, UserPoolID: e.PoolID, At: e.At, Actor: actor{e.ActorType, e.ActorID, e.ActorName, e.ActorIssuer, e.ActorSubject, e.ActorEmail},
		Operation: e.Operation, ObjectType: e.ObjectType, ObjectID: e.ObjectID, Changes: changes}})
}

// signature is the webhook-signature header: a signature by each secret
// that signs now (the current one, and a rotated one within its grace).
func signature(w *model.Webhook, id string, at time.Time, body []byte) (string, error) {
	secrets := []string{w.Secret}
	if w.PreviousSecret != "" && w.PreviousSecretUntil != nil && at.Before(*w.PreviousSecretUntil) {
		secrets = append(secrets, w.PreviousSecret)
	}
	sigs := make([]string, 0, len(secrets))
	for _, sec := range secrets {
		wh, err := standardwebhooks.NewWebhook(sec)
		if err != nil {
			return "", err
		}
		sig, err := wh.Sign(id, at, body)
		if err != nil {
			return "", err
		}
		sigs = append(sigs, sig)
	}
	return strings.Join(sigs, " "), nil
}

// post makes one attempt: POST body to the endpoint as message id.
func (s *Service) post(ctx context.Context, w *model.Webhook, id string, body []byte) model.DeliveryAttempt {
	start := time.Now()
	a := model.DeliveryAttempt{At: start.UTC().Truncate(model.TimePrecision)}
	done := func() model.DeliveryAttempt {
		a.LatencyMs = int(time.Since(start).Milliseconds())
		return a
	}
	sig, err := signature(w, id, start, body)
	if err != nil {
		a.Error = "signing failed"
		return done()
	}
	ctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, strings.NewReader(string(body)))
	if err != nil {
		a.Error = "the URL is not usable"
		return done()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "usergraph-webhooks")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", fmt.Sprint(start.Unix()))
	req.Header.Set("webhook-signature", sig)
	resp, err := s.client.Do(req)
	if err != nil {
		a.Error = attemptError(err)
		return done()
	}
	defer resp.Body.Close()
	prefix, _ := io.ReadAll(io.LimitReader(resp.Body, model.ResponsePrefix))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	a.Status, a.Response = resp.StatusCode, strings.ToValidUTF8(string(prefix), "\uFFFD")
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		a.Error = fmt.Sprintf("the endpoint answered %d", resp.StatusCode)
	}
	return done()
}

// attemptError says why an attempt got no answer, without the URL (which
// the log already has).
func attemptError(err error) string {
	switch {
	case errors.Is(err, egress.ErrRefused):
		return egress.ErrRefused.Error() + ": allow it with -webhook-allow"
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer in time"
	}
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		err = ue.Unwrap()
	}
	return err.Error()
}

// Ping sends a webhook.ping event to w now and returns the attempt; it
// is not recorded.
func (s *Service) Ping(ctx context.Context, w *model.Webhook) model.DeliveryAttempt {
	now := time.Now().UTC().Truncate(model.TimePrecision)
	body, _ := json.Marshal(payload{Type: "webhook.ping", Timestamp: now, Data: eventData{
		ID: "ping_" + fmt.Sprint(now.UnixNano()), UserPoolID: w.PoolID, At: now, ObjectType: model.AuditWebhook,
		ObjectID: w.ID, Changes: []model.Change{}, Actor: actor{Type: model.ActorSystem, ID: "system", Name: "system"}}})
	return s.post(ctx, w, "ping_"+fmt.Sprint(now.UnixNano()), body)
}

// nextAttempt is when a delivery that failed its attempts-th attempt is
// tried again, or nil once the retry window since its first has passed.
func (s *Service) nextAttempt(attempts int, first, now time.Time) *time.Time {
	d := s.opt.RetryBase
	for i := 1; i < attempts && d < s.opt.RetryMax; i++ {
		d *= 2
	}
	d = min(d, s.opt.RetryMax)
	d = time.Duration(float64(d) * (0.8 + 0.4*mrand.Float64()))
	at := now.Add(d)
	if at.After(first.Add(s.opt.RetryWindow)) {
		return nil
	}
	return &at
}

// poll is how often the dispatcher looks for work when nothing woke it.
const poll = time.Second

// Run delivers until ctx ends.
func (s *Service) Run(ctx context.Context) {
	for ctx.Err() == nil {
		wake := s.hub.Changed()
		busy, due, err := s.pass(ctx)
		if err != nil && ctx.Err() == nil {
			s.opt.Log.Warn("webhook delivery pass failed; will retry", "err", err)
		}
		if busy {
			continue
		}
		wait := poll
		if due != nil {
			wait = min(wait, max(time.Until(*due), 0))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// pass fans new events out and makes one round of due attempts; busy
// says there may be more to do at once, due when the next attempt is due
// (nil: none is).
//
// It takes the writer only when there is work: a server with no endpoint,
// or with every endpoint caught up and nothing due, costs a read or two
// per wake, not a write transaction.
func (s *Service) pass(ctx context.Context) (busy bool, due *time.Time, err error) {
	if s.idleUntil.Load() > time.Now().UnixNano() {
		return false, nil, nil
	}
	least, any, err := s.store.WebhookCursor(ctx)
	if err != nil || !any {
		if err == nil {
			// No endpoint: look again at the next poll, or when one is
			// made here (Refresh), not at every commit.
			s.idleUntil.Store(time.Now().Add(poll).UnixNano())
		}
		return false, nil, err
	}
	head, err := s.store.LastEventSeq(ctx)
	if err != nil {
		return false, nil, err
	}
	more := false
	if head > least {
		if _, more, err = s.store.FanOutWebhooks(ctx); err != nil {
			return false, nil, err
		}
	}
	if due, err = s.store.NextDue(ctx); err != nil || due == nil || due.After(time.Now()) {
		return more, due, err
	}
	// A claim's lease covers every attempt of the batch, made Workers at a
	// time, each taking up to Timeout: no other replica takes a delivery
	// this one is still going to attempt.
	const rounds = 8
	limit := s.opt.Workers * rounds
	claimed, err := s.store.ClaimDeliveries(ctx, (rounds+1)*s.opt.Timeout+5*time.Second, limit)
	if err != nil || len(claimed) == 0 {
		return more, nil, err
	}
	outs := make([]db.Outcome, len(claimed))
	sem := make(chan struct{}, s.opt.Workers)
	var wg sync.WaitGroup
	for i, c := range claimed {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			outs[i] = s.attempt(ctx, c)
		}()
	}
	wg.Wait()
	return true, nil, s.store.RecordOutcomes(context.WithoutCancel(ctx), outs, s.opt.DisableAfter)
}

// attempt makes one attempt of a claimed delivery and says what follows.
func (s *Service) attempt(ctx context.Context, c db.Claimed) db.Outcome {
	o := db.Outcome{Claimed: c}
	if c.Event == nil {
		o.Attempt = model.DeliveryAttempt{At: time.Now().UTC().Truncate(model.TimePrecision),
			Error: "the event is past the audit trail's retention"}
		return o // given up: there is nothing to send
	}
	body, err := Body(c.Event)
	if err != nil {
		o.Attempt = model.DeliveryAttempt{At: time.Now().UTC(), Error: "encoding the event failed"}
		return o
	}
	o.Attempt = s.post(ctx, c.Webhook, c.Event.ID, body)
	o.Delivered = o.Attempt.Error == ""
	outcome := "delivered"
	if !o.Delivered {
		first := o.Attempt.At
		if c.Delivery.FirstAttemptAt != nil {
			first = *c.Delivery.FirstAttemptAt
		}
		o.NextAt = s.nextAttempt(c.Delivery.Attempts+1, first, time.Now())
		outcome = "retrying"
		if o.NextAt == nil {
			outcome = "failed"
		}
	}
	if s.opt.Observe != nil {
		s.opt.Observe(outcome, time.Duration(o.Attempt.LatencyMs)*time.Millisecond, time.Since(c.Event.At))
	}
	return o
}
