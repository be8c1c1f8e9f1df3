// Package ratelog keeps one noisy line from flooding a log. Handler wraps a
// slog.Handler and lets through, for each message, a burst of records and
// then one per interval; it counts the records it drops and reports the
// count (as "suppressed") on the next record of that message it lets
// through. One request once wrote hundreds of identical "slow sql" lines,
// and one client can make a server refuse requests as fast as it sends
// them: neither may fill the disk.
package ratelog

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Handler is a rate-limiting slog.Handler; make one with New.
type Handler struct {
	next  slog.Handler
	state *state
}

type state struct {
	mu    sync.Mutex
	every time.Duration
	burst int
	lines map[string]*line // by message: messages are constants in code, so few
}

type line struct {
	limit   *rate.Limiter
	dropped int
}

// New returns a handler that passes to next at most burst records of one
// message at once, then one per every.
func New(next slog.Handler, burst int, every time.Duration) *Handler {
	return &Handler{next: next, state: &state{every: every, burst: burst, lines: map[string]*line{}}}
}

// Enabled reports whether next handles the level.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle passes r on unless its message is over its rate.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	s := h.state
	s.mu.Lock()
	l, ok := s.lines[r.Message]
	if !ok {
		l = &line{limit: rate.NewLimiter(rate.Every(s.every), s.burst)}
		s.lines[r.Message] = l
	}
	if !l.limit.Allow() {
		l.dropped++
		s.mu.Unlock()
		return nil
	}
	dropped := l.dropped
	l.dropped = 0
	s.mu.Unlock()
	if dropped > 0 {
		r = r.Clone()
		r.AddAttrs(slog.Int("suppressed", dropped))
	}
	return h.next.Handle(ctx, r)
}

// WithAttrs returns a handler whose records carry attrs, sharing h's rates.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &Handler{next: h.next.WithAttrs(attrs), state: h.state}
}

// WithGroup returns a handler that qualifies attributes by name, sharing
// h's rates.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name), state: h.state}
}
