// Package reqid gives each API request an id: the client's X-Request-Id
// when it is a plausible one (a proxy's or a caller's, so one request can
// be followed across services), else a new random one. The server echoes
// it, the access log line carries it, and every log line written under
// the request's context does too (Handler).
package reqid

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"regexp"
)

// Header is the request and response header that carries the id.
const Header = "X-Request-Id"

// valid is what a client's id may be: short, and nothing a log line or a
// header could be confused by.
var valid = regexp.MustCompile(`^[A-Za-z0-9._:/+=-]{1,128}$`)

// From is the request's id: the client's, when valid, else a new one (32
// hex digits).
func From(header string) string {
	if valid.MatchString(header) {
		return header
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

type key struct{}

// With records id in ctx.
func With(ctx context.Context, id string) context.Context { return context.WithValue(ctx, key{}, id) }

// Of is ctx's request id ("" outside a request).
func Of(ctx context.Context) string {
	id, _ := ctx.Value(key{}).(string)
	return id
}

// Handler adds request_id to every record logged under a request's
// context.
func Handler(next slog.Handler) slog.Handler { return handler{next} }

type handler struct{ next slog.Handler }

func (h handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	if id := Of(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.next.Handle(ctx, r)
}

func (h handler) WithAttrs(as []slog.Attr) slog.Handler { return handler{h.next.WithAttrs(as)} }
func (h handler) WithGroup(name string) slog.Handler    { return handler{h.next.WithGroup(name)} }
