// Package authingv3 serves the Authing V3 management API under /api/v3 —
// what authing-node-sdk 4.0.1 (ManagementClient) sends (see
// ../shared/authing/v3/PROTOCOL.md) — as a translator onto the native
// API: each route checks its signed request (verify.go), then runs one or
// a few fixed native GraphQL documents in process, through an executor
// configured as /graphql's, so validation, pool isolation, scopes, cost
// limits and the audit trail (the access key is the actor) are the native
// ones. Answers are the V3 envelope {statusCode, message, apiCode,
// requestId, data}: HTTP 200 for everything a call can fail at (the SDK
// hands any 2xx body to its caller and throws on any other), HTTP 401,
// 400, 413, 429 or 500 when the request itself was refused or the server
// failed.
package authingv3

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/graph"
	"usergraph/internal/authing"
	"usergraph/internal/httpapi"
	"usergraph/internal/reqid"
	"usergraph/model"
)

// Dialect mounts /api/v3 (httpapi.Dialect).
type Dialect struct {
	// Now is the clock signed dates are checked against (tests).
	Now func() time.Time
}

// Mount adds /api/v3/ to mux.
func (d *Dialect) Mount(mux *http.ServeMux, api *httpapi.API) {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	v := &verifier{store: api.Store(), nonces: newNonceLog(), now: now, guess: api.SecretGuess}
	a := &v3{api: api, x: api.Executor(api.NativeSchema())}
	mux.Handle("/api/v3/", api.WrapWith(a.routes(), v.authenticate))
}

// v3 is the routes' shared state.
type v3 struct {
	api *httpapi.API
	x   *executor.Executor
}

// apiCodes are the apiCode of each native error code: stable numbers a
// caller may branch on (docs/authing.md lists them), the native code
// itself in errorCode beside it.
var apiCodes = map[model.Code]int{
	model.CodeInvalidInput:            1001,
	model.CodeBadRequest:              1002,
	model.CodeUnauthenticated:         1401,
	model.CodeForbidden:               1403,
	model.CodeNotFound:                2004,
	model.CodeAlreadyExists:           2009,
	model.CodeComplexityLimitExceeded: 1422,
	model.CodeDepthLimitExceeded:      1422,
	model.CodeRateLimited:             1429,
	model.CodePayloadTooLarge:         1413,
	model.CodeMethodNotAllowed:        1405,
	model.CodeCancelled:               1499,
	model.CodeInternal:                5000,
}

// envelope is every answer's body.
type envelope struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
	APICode    int    `json:"apiCode,omitempty"`
	RequestID  string `json:"requestId"`
	// ErrorCode is the native error code (INVALID_INPUT, NOT_FOUND, …)
	// and Field the input at fault, on errors.
	ErrorCode string `json:"errorCode,omitempty"`
	Field     string `json:"field,omitempty"`
	Data      any    `json:"data"`
}

// transportStatus is the HTTP status of errors about the request itself
// rather than the call: the SDK throws on them, as it should on a wrong
// key or a broken client.
var transportStatus = map[string]int{
	string(model.CodeUnauthenticated):      http.StatusUnauthorized,
	string(model.CodeBadRequest):           http.StatusBadRequest,
	string(model.CodePayloadTooLarge):      http.StatusRequestEntityTooLarge,
	string(model.CodeMethodNotAllowed):     http.StatusMethodNotAllowed,
	string(model.CodeUnsupportedMediaType): http.StatusUnsupportedMediaType,
	string(model.CodeRateLimited):          http.StatusTooManyRequests,
	string(model.CodeInternal):             http.StatusInternalServerError,
}

func write(w http.ResponseWriter, status int, e envelope) {
	b, err := json.Marshal(e)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"statusCode":500,"message":"internal error","apiCode":5000,"data":null}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// ok answers data.
func (a *v3) ok(w http.ResponseWriter, req *http.Request, data any) {
	write(w, http.StatusOK, envelope{StatusCode: 200, Message: "", RequestID: reqid.Of(req.Context()), Data: data})
}

// fail answers err as the native API presents it (an unexpected error is
// logged and answered INTERNAL).
func (a *v3) fail(w http.ResponseWriter, req *http.Request, err error) {
	a.writeError(w, req, a.api.Present(req.Context(), err))
}

// principalPool is the request's pool, or why its signature was refused.
func principalPool(req *http.Request) (string, error) { return graph.PrincipalPool(req.Context()) }

// writeError answers a presented error: HTTP 200 and its statusCode for
// what the call failed at, an HTTP error status for a refused request.
func (a *v3) writeError(w http.ResponseWriter, req *http.Request, e *gqlerror.Error) {
	code, _ := e.Extensions["code"].(string)
	if code == "" {
		code = string(model.CodeInternal)
	}
	field, _ := e.Extensions["field"].(string)
	field = v3Field(field)
	httpapi.Note(req.Context(), "", "", code)
	status := http.StatusOK
	if s, ok := transportStatus[code]; ok {
		status = s
	}
	write(w, status, envelope{StatusCode: authing.Numeric(code), Message: e.Message, APICode: apiCodes[model.Code(code)],
		RequestID: reqid.Of(req.Context()), ErrorCode: code, Field: field, Data: nil})
}

// result is a native response's data, by root field (or alias).
type result map[string]json.RawMessage

// errRefused carries a native response's first error to fail.
type errRefused struct{ resp *graphql.Response }

func (e errRefused) Error() string { return e.resp.Errors[0].Message }

// exec runs one native document with vars. A refused or failed operation
// is an error fail answers with the native error's code and field.
func (a *v3) exec(ctx context.Context, query string, vars map[string]any) (result, error) {
	resp, err := a.api.Run(ctx, a.x, query, vars)
	if err != nil {
		return nil, err
	}
	if len(resp.Errors) > 0 {
		return nil, errRefused{resp}
	}
	var d result
	if err := json.Unmarshal(resp.Data, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// answer runs f and answers its data, or its error.
func (a *v3) answer(w http.ResponseWriter, req *http.Request, f func(ctx context.Context) (any, error)) {
	data, err := f(req.Context())
	var refused errRefused
	switch {
	case errors.As(err, &refused):
		a.writeError(w, req, refused.resp.Errors[0])
	case err != nil:
		a.fail(w, req, err)
	default:
		a.ok(w, req, data)
	}
}

// fieldRewrites turn the native argument paths the translated documents
// report into the V3 body's own paths.
var fieldRewrites = []struct {
	pattern *regexp.Regexp
	to      string
}{
	{regexp.MustCompile(`^users\.(\d+)\.input\.`), "list.$1."},
	{regexp.MustCompile(`^users\.(\d+)\.`), "list.$1."},
	{regexp.MustCompile(`^(userInfo|input)\.`), ""},
	{regexp.MustCompile(`^ids(\.|$)`), "userIds$1"},
	{regexp.MustCompile(`^id$`), "userId"},
}

// v3Field is a native error's field as the V3 body names it.
func v3Field(f string) string {
	for _, r := range fieldRewrites {
		if r.pattern.MatchString(f) {
			return r.pattern.ReplaceAllString(f, r.to)
		}
	}
	return f
}

// decode reads the (already verified) JSON object body into v.
func decode(req *http.Request, v any) error {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return &model.Error{Code: model.CodeBadRequest, Message: "the request body could not be read"}
	}
	if len(bytes.TrimSpace(b)) == 0 {
		b = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return model.Invalid(te.Field, "must be a %s", te.Type.String())
		}
		return &model.Error{Code: model.CodeBadRequest, Message: "the request body must be one JSON object of the method's fields"}
	}
	return nil
}
