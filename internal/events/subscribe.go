package events

import (
	"context"
	"sync"
	"time"

	"usergraph/model"
)

// Limits bound what following the stream may hold in one process.
type Limits struct {
	// Per pool and per credential: subscriptions (a WebSocket carries
	// several) and stream connections (WebSockets and SSE streams).
	SubscriptionsPerPool, SubscriptionsPerCredential int
	ConnectionsPerPool, ConnectionsPerCredential     int
	// Buffer is how many events a subscription may have sent and its
	// client not yet read; SendTimeout how long it may stay full before
	// the subscription is ended with SLOW_CONSUMER.
	Buffer      int
	SendTimeout time.Duration
}

// DefaultLimits are the Limits of a zero field.
var DefaultLimits = Limits{
	SubscriptionsPerPool: 1000, SubscriptionsPerCredential: 100,
	ConnectionsPerPool: 1000, ConnectionsPerCredential: 100,
	Buffer: 256, SendTimeout: 10 * time.Second,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&l.SubscriptionsPerPool, d.SubscriptionsPerPool)
	pick(&l.SubscriptionsPerCredential, d.SubscriptionsPerCredential)
	pick(&l.ConnectionsPerPool, d.ConnectionsPerPool)
	pick(&l.ConnectionsPerCredential, d.ConnectionsPerCredential)
	pick(&l.Buffer, d.Buffer)
	if l.SendTimeout <= 0 {
		l.SendTimeout = d.SendTimeout
	}
	return l
}

// limiter counts what is held per pool and per credential.
type limiter struct {
	l    Limits
	mu   sync.Mutex
	held map[limitKey]int
}

type limitKey struct {
	kind, who string // kind: "sub" or "conn"; who: "pool:<id>" or "cred:<id>"
}

func newLimiter(l Limits) *limiter { return &limiter{l: l, held: map[limitKey]int{}} }

// acquire takes one of kind for the pool and the credential, or refuses
// with TOO_MANY_SUBSCRIPTIONS; release gives it back.
func (m *limiter) acquire(kind, pool, cred string) (release func(), err error) {
	perPool, perCred := m.l.SubscriptionsPerPool, m.l.SubscriptionsPerCredential
	noun := "subscriptions"
	if kind == "conn" {
		perPool, perCred, noun = m.l.ConnectionsPerPool, m.l.ConnectionsPerCredential, "stream connections"
	}
	p, c := limitKey{kind, "pool:" + pool}, limitKey{kind, "cred:" + cred}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.held[p] >= perPool || m.held[c] >= perCred {
		return nil, &model.Error{Code: model.CodeTooManySubscriptions,
			Message: "too many " + noun + " for this pool or credential on this server; close one first"}
	}
	m.held[p]++
	m.held[c]++
	var once sync.Once
	return func() {
		once.Do(func() {
			m.mu.Lock()
			defer m.mu.Unlock()
			for _, k := range []limitKey{p, c} {
				if m.held[k]--; m.held[k] <= 0 {
					delete(m.held, k)
				}
			}
		})
	}, nil
}

// Connect counts a stream connection of the credential in the pool, or
// refuses it; release when it closes.
func (h *Hub) Connect(pool, cred string) (release func(), err error) {
	return h.lim.acquire("conn", pool, cred)
}

// Request is one subscription: whose, which events, from where.
type Request struct {
	Pool, Credential string
	Filter           model.EventFilter
	// After is the position to replay from; negative: live events only.
	After int64
	// Fail ends the subscription with an error its transport sends (the
	// stream's channel is closed right after).
	Fail func(error)
	// Recheck, when set, says whether the subscriber's credential still
	// holds; it is asked at most every RecheckEvery, before events are
	// sent, and an error ends the subscription with it.
	Recheck func(context.Context) error
}

// RecheckEvery is how often a live subscription's credential is checked
// again: a revoked key or an expired token stops its events within it.
var RecheckEvery = 10 * time.Second

// Subscribe starts a subscription: the events of the pool after
// r.After that pass the filter, on the returned channel, until ctx ends or
// the subscriber falls behind (Fail with SLOW_CONSUMER, naming the last
// event sent). A full channel is the subscriber's backlog: the hub never
// queues more for it.
func (h *Hub) Subscribe(ctx context.Context, r Request) (<-chan *model.Event, error) {
	select { // "live" starts at the head, which Run reads first
	case <-h.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release, err := h.lim.acquire("sub", r.Pool, r.Credential)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.subs++ // from now on the hub keeps the head and the ring
	h.mu.Unlock()
	if err := h.freshen(ctx); err != nil {
		h.mu.Lock()
		h.subs--
		h.mu.Unlock()
		release()
		return nil, err
	}
	pos := r.After
	h.mu.Lock()
	if pos < 0 {
		pos = h.head
	}
	h.mu.Unlock()
	out := make(chan *model.Event, h.lim.l.Buffer)
	s := &follower{h: h, r: r, out: out, pos: pos, sent: model.EventCursor(pos), checked: time.Now()}
	go func() {
		defer func() {
			h.mu.Lock()
			h.subs--
			h.mu.Unlock()
			release()
			close(out)
		}()
		s.run(ctx)
	}()
	return out, nil
}

// follower is a subscription's goroutine: it reads the stream from pos,
// from the hub's ring when that holds it, from the database when not.
type follower struct {
	h       *Hub
	r       Request
	out     chan *model.Event
	pos     int64     // the last event read
	sent    string    // the last event sent (at first, where it started), for resuming
	checked time.Time // when the credential was last checked
}

// admitted checks the credential again when it is due; false ends the
// subscription (told why).
func (s *follower) admitted(ctx context.Context) bool {
	if s.r.Recheck == nil || time.Since(s.checked) < RecheckEvery {
		return true
	}
	if err := s.r.Recheck(ctx); err != nil {
		if ctx.Err() == nil {
			s.r.Fail(err)
		}
		return false
	}
	s.checked = time.Now()
	return true
}

// replayBatch is how many events a follower behind the ring reads at once.
const replayBatch = 100

func (s *follower) run(ctx context.Context) {
	for ctx.Err() == nil && s.admitted(ctx) {
		evs, covered, wake, head := s.h.since(s.pos)
		if !covered {
			page, reached, more, err := s.h.store.Events(ctx, s.r.Pool, s.pos, s.r.Filter, replayBatch)
			if err != nil {
				if ctx.Err() == nil {
					s.h.opt.Log.Warn("replaying the change stream failed", "err", err)
					s.r.Fail(&model.Error{Code: model.CodeInternal, Message: "reading the change stream failed; subscribe again after the last event you received"})
				}
				return
			}
			for _, e := range page {
				if !s.send(ctx, e) {
					return
				}
			}
			if !more { // read up to the head the hub had seen, at least
				reached = max(reached, head)
			}
			s.pos = max(reached, s.pos)
			continue
		}
		for _, e := range evs {
			if e.PoolID == s.r.Pool && s.r.Filter.Matches(e) && !s.send(ctx, e) {
				return
			}
			s.pos = *e.Seq
		}
		if len(evs) > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		}
	}
}

// send hands e to the subscriber, waiting at most SendTimeout for room;
// false ends the subscription (ctx ended, or the subscriber was too slow
// and was told so).
func (s *follower) send(ctx context.Context, e *model.Event) bool {
	select {
	case s.out <- e:
		s.sent = e.ID
		return true
	default:
	}
	t := time.NewTimer(s.h.lim.l.SendTimeout)
	defer t.Stop()
	select {
	case s.out <- e:
		s.sent = e.ID
		return true
	case <-ctx.Done():
		return false
	case <-t.C:
		err := &model.Error{Code: model.CodeSlowConsumer, ResumeAfter: s.sent,
			Message: "the subscriber did not read its events as fast as they came; subscribe again with after: resumeAfter"}
		s.r.Fail(err)
		s.h.opt.Log.Info("ended a slow subscriber", "code", string(model.CodeSlowConsumer))
		return false
	}
}

// Limits are the limits in force.
func (h *Hub) Limits() Limits { return h.lim.l }
