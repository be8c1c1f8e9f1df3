// Package events is the change stream's live side in one process: the Hub
// numbers committed audit records where the engine needs it (PostgreSQL's
// sequencer, db.Store.SequenceEvents), learns of new events — from this
// process's commits, from other replicas' NOTIFY, and by polling for
// anything else — keeps the latest in memory, and wakes what follows the
// stream: subscriptions (Subscribe) and the webhook dispatcher
// (internal/webhook). The stream itself, its order and its history, is
// the database's (db/events.go); the hub holds nothing that is not there.
package events

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"usergraph/db"
	"usergraph/model"
)

// Options tune a Hub; zero fields take the defaults.
type Options struct {
	// Poll is how often the hub looks for events nobody told it of (a
	// CLI's writes, a replica that died before numbering its own, a
	// missed NOTIFY). Default 1s.
	Poll time.Duration
	// Ring is how many of the latest events the hub keeps for live
	// subscribers; one further behind reads from the database. Default
	// 1,024.
	Ring int
	// Limits bound subscriptions and stream connections.
	Limits Limits
	// Observe, when set, is told how many events this process's writes
	// emitted, as they commit.
	Observe func(events int)
	Log     *slog.Logger
}

// Hub follows the change stream for one process. It is safe for
// concurrent use; Run must be running for it to move.
type Hub struct {
	store *db.Store
	opt   Options
	kick  chan struct{}
	lim   *limiter
	ready chan struct{} // closed once Run knows the head

	mu   sync.Mutex
	head int64 // the last event seen (or older: see stale)
	// stale says head was not kept up: nobody subscribed, so the hub
	// did not read the stream on every commit (Subscribe reads it anew).
	stale bool
	ring  []*model.Event // the latest events, oldest first, head last
	wake  chan struct{}  // closed when head moves
	subs  int            // live subscriptions: the ring is kept only for them
}

// New returns a hub over store. It installs itself as the store's commit
// hook.
func New(store *db.Store, opt Options) *Hub {
	if opt.Poll <= 0 {
		opt.Poll = time.Second
	}
	if opt.Ring <= 0 {
		opt.Ring = 1024
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	h := &Hub{store: store, opt: opt, kick: make(chan struct{}, 1), wake: make(chan struct{}), lim: newLimiter(opt.Limits.withDefaults()),
		ready: make(chan struct{})}
	store.OnCommit(func(n int) {
		if h.opt.Observe != nil {
			h.opt.Observe(n)
		}
		h.Poke()
	})
	return h
}

// Poke tells the hub the stream may have moved. It never blocks.
func (h *Hub) Poke() {
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

// Run follows the stream until ctx ends: at start it takes the head as it
// is, then on every poke or poll it numbers what needs numbering and
// takes in the events after its head.
func (h *Hub) Run(ctx context.Context) {
	head, err := h.start(ctx)
	for err != nil && ctx.Err() == nil {
		h.opt.Log.Warn("reading the change stream's head failed; will retry", "err", err)
		time.Sleep(h.opt.Poll)
		head, err = h.start(ctx)
	}
	h.mu.Lock()
	h.head = head
	h.mu.Unlock()
	close(h.ready)
	go h.store.WatchEvents(ctx, h.Poke)
	tick := time.NewTicker(h.opt.Poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.kick:
		case <-tick.C:
		}
		if err := h.step(ctx); err != nil && ctx.Err() == nil {
			h.opt.Log.Warn("following the change stream failed; will retry", "err", err)
		}
	}
}

// start numbers what committed before the hub started and returns the
// head: "live" starts after every change made before.
func (h *Hub) start(ctx context.Context) (int64, error) {
	if err := h.store.CatchUp(ctx); err != nil {
		return 0, err
	}
	return h.store.LastEventSeq(ctx)
}

// fetchBatch is how many events one read of the stream takes in.
const fetchBatch = 1000

// step numbers unnumbered records (PostgreSQL) and takes in new events,
// waking the stream's followers when there were any.
func (h *Hub) step(ctx context.Context) error {
	if err := h.store.CatchUp(ctx); err != nil {
		return err
	}
	for {
		h.mu.Lock()
		head, keep := h.head, h.subs > 0
		if !keep {
			// Nobody here reads events: wake the followers (the webhook
			// dispatcher reads what it needs itself) and read nothing —
			// a commit costs no read of the hub's.
			h.stale, h.ring = true, nil // and keep no events for nobody
			h.broadcast()
			h.mu.Unlock()
			return nil
		}
		stale := h.stale
		h.mu.Unlock()
		if stale { // subscribers came: read the head anew, not the backlog
			if err := h.freshen(ctx); err != nil {
				return err
			}
			continue
		}
		evs, err := h.store.EventsAfter(ctx, head, fetchBatch)
		if err != nil || len(evs) == 0 {
			return err
		}
		h.advance(head, *evs[len(evs)-1].Seq, evs)
		if len(evs) < fetchBatch {
			return nil
		}
	}
}

// advance moves the head from head to last, keeping evs (the events in
// between, unless no subscriber wanted them) and waking the followers.
func (h *Hub) advance(head, last int64, evs []*model.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.head != head {
		return
	}
	if len(evs) == 0 {
		h.ring = nil // a gap: what a subscriber needs now is in the database
	} else if len(h.ring) > 0 && *h.ring[len(h.ring)-1].Seq != head {
		h.ring = nil
	}
	h.ring = append(h.ring, evs...)
	if over := len(h.ring) - h.opt.Ring; over > 0 {
		h.ring = append([]*model.Event(nil), h.ring[over:]...)
	}
	h.head = last
	h.broadcast()
}

// broadcast wakes whoever waits on Changed (h.mu held).
func (h *Hub) broadcast() {
	close(h.wake)
	h.wake = make(chan struct{})
}

// freshen reads the head anew when the hub stopped keeping it, before a
// subscription relies on it (h.mu not held).
func (h *Hub) freshen(ctx context.Context) error {
	h.mu.Lock()
	stale := h.stale
	h.mu.Unlock()
	if !stale {
		return nil
	}
	if err := h.store.CatchUp(ctx); err != nil {
		return err
	}
	last, err := h.store.LastEventSeq(ctx)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stale && last >= h.head {
		h.head, h.ring, h.stale = last, nil, false
	}
	return nil
}

// Changed returns a channel closed when the stream may next have moved.
func (h *Hub) Changed() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.wake
}

// since returns the kept events after seq, up to the head, and whether the
// ring covers seq (if not, the caller reads the database), with the
// channel closed when the head next moves.
func (h *Hub) since(seq int64) (evs []*model.Event, covered bool, wake <-chan struct{}, head int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if seq >= h.head {
		return nil, true, h.wake, h.head
	}
	if len(h.ring) == 0 || *h.ring[0].Seq > seq+1 {
		return nil, false, h.wake, h.head
	}
	// By search, not arithmetic: deleting a pool deletes its records, so
	// the numbers of the events fetched may have gaps.
	i := sort.Search(len(h.ring), func(i int) bool { return *h.ring[i].Seq > seq })
	return h.ring[i:], true, h.wake, h.head
}
