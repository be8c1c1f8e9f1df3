package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"usergraph/db"
	"usergraph/graph"
	"usergraph/internal/auth"
	"usergraph/internal/transfer"
	"usergraph/model"
)

// A pool's export and import over HTTP, for admins: GET /export streams
// the pool as NDJSON (see package transfer), POST /import reads it. Both
// move password hashes, so both need a credential holding every scope
// ("*": the pool secret's tokens, or a key made with it). Errors are JSON,
// {"error": {"code", "message", "lines"?}}, with the HTTP status of the
// code.

// transferTime bounds one export or import: a million users take minutes,
// far past the API's request timeout.
const transferTime = time.Hour

// transferPrincipal authenticates an export or import request, or answers
// it with the error and returns nil.
func transferPrincipal(g *graph.Schema, w http.ResponseWriter, req *http.Request, log *slog.Logger) *auth.Principal {
	p, err := g.Admin(req.Context(), req.Header.Get("Authorization"))
	if err == nil && !model.ScopeAllows(p.Scopes, model.AllScopes) {
		err = model.Forbidden(model.AllScopes)
	}
	if err != nil {
		writeTransferError(log, w, err, nil)
		return nil
	}
	// Lift the server's read and write timeouts (made for API requests)
	// for this one, within transferTime.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(transferTime))
	_ = rc.SetWriteDeadline(time.Now().Add(transferTime))
	return p
}

// exportHandler serves GET /export. A failure after the first line cannot
// change the status any more: the connection is cut, so a client never
// takes a truncated export for a whole one.
func exportHandler(g *graph.Schema, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		if err := UnknownParams(req); err != nil {
			writeTransferError(log, w, err, nil)
			return
		}
		p := transferPrincipal(g, w, req, log)
		if p == nil {
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.Header().Set("Content-Disposition", `attachment; filename="users.ndjson"`)
		if _, err := transfer.Export(req.Context(), g.Store(), p.Pool, w); err != nil {
			log.WarnContext(req.Context(), "export failed", "err", err)
			panic(http.ErrAbortHandler)
		}
	}
}

// importHandler serves POST /import: the body is the NDJSON, at most
// maxBytes. A file with bad lines is refused with 400 and every bad line,
// before anything is written. Otherwise the answer streams NDJSON: a
// {"imported", "of"} line after each batch, then {"done": true, "users",
// "definitions"}, or {"error"} naming the line the database refused.
// With ?dryRun=true every line is checked and the answer is the plan
// (transfer.Plan, with "dryRun": true): what the import would create or
// refuse. Nothing is written.
func importHandler(g *graph.Schema, maxBytes int64, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		dryRun, err := dryRunParam(req)
		if err != nil {
			writeTransferError(log, w, err, nil)
			return
		}
		p := transferPrincipal(g, w, req, log)
		if p == nil {
			return
		}
		body := http.MaxBytesReader(w, req.Body, maxBytes)
		if dryRun {
			plan, err := transfer.DryRun(req.Context(), g.Store(), p.Pool, body)
			if err != nil {
				writeTransferError(log, w, bodyError(err), nil)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(struct {
				DryRun bool `json:"dryRun"`
				transfer.Plan
			}{true, plan})
			return
		}
		ctx := db.WithActor(req.Context(), p.Actor, "import")
		enc := json.NewEncoder(w)
		started := false
		rep, err := transfer.Import(ctx, g.Store(), p.Pool, body, func(done, total int, _ float64) {
			if !started {
				w.Header().Set("Content-Type", "application/x-ndjson")
				started = true
			}
			_ = enc.Encode(map[string]int{"imported": done, "of": total})
			_ = http.NewResponseController(w).Flush()
		})
		err = bodyError(err)
		switch {
		case err != nil && !started:
			writeTransferError(log, w, err, nil)
		case err != nil:
			writeTransferError(log, nil, err, enc)
		default:
			if !started {
				w.Header().Set("Content-Type", "application/x-ndjson")
			}
			_ = enc.Encode(map[string]any{"done": true, "users": rep.Users, "definitions": rep.Definitions})
		}
	}
}

// dryRunParam reads POST /import's one parameter, dryRun (true or false).
func dryRunParam(req *http.Request) (bool, error) {
	if err := UnknownParams(req, "dryRun"); err != nil {
		return false, err
	}
	switch v := req.URL.Query().Get("dryRun"); v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, model.Invalid("dryRun", "must be true or false")
}

// bodyError is err, or PAYLOAD_TOO_LARGE when the import's body passed
// its bound.
func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &model.Error{Code: model.CodePayloadTooLarge, Message: "the import is larger than the server accepts"}
	}
	return err
}

// writeTransferError answers with err: as a JSON error with its status
// when w is given, else as a last line through enc.
func writeTransferError(log *slog.Logger, w http.ResponseWriter, err error, enc *json.Encoder) {
	body := map[string]any{"code": string(model.CodeInternal), "message": "internal error"}
	status := http.StatusInternalServerError
	var bad *transfer.Invalid
	var line transfer.LineError
	switch {
	case errors.As(err, &bad):
		body = map[string]any{"code": string(model.CodeInvalidInput), "message": bad.Error(), "lines": bad.Lines}
		status = http.StatusBadRequest
	case errors.As(err, &line):
		body = map[string]any{"code": line.Code, "message": line.Error(), "lines": []transfer.LineError{line}}
		status = httpStatus(model.Code(line.Code))
	default:
		if me, ok := model.AsError(err); ok {
			body = map[string]any{"code": string(me.Code), "message": me.Message}
			if me.Field != "" {
				body["field"] = me.Field
			}
			status = httpStatus(me.Code)
		} else {
			log.Error("transfer failed", "err", err) // ours, not the client's: say so to the operator
		}
	}
	if w == nil {
		_ = enc.Encode(map[string]any{"error": body})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": body})
}

// httpStatus is the HTTP status of an error code, for the endpoints that
// answer outside GraphQL.
func httpStatus(c model.Code) int {
	switch c {
	case model.CodeUnauthenticated:
		return http.StatusUnauthorized
	case model.CodeForbidden:
		return http.StatusForbidden
	case model.CodeNotFound:
		return http.StatusNotFound
	case model.CodeAlreadyExists:
		return http.StatusConflict
	case model.CodePayloadTooLarge:
		return http.StatusRequestEntityTooLarge
	case model.CodeRateLimited:
		return http.StatusTooManyRequests
	case model.CodeInternal:
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}
