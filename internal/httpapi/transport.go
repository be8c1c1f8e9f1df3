package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/model"
)

// httpTransport is usergraph's GraphQL over HTTP: POST with a JSON body, and
// GET for queries (query, variables, operationName and extensions in the
// URL). It replaces gqlgen's transports so that every client mistake gets
// a code and an HTTP status of its own, and so that nothing a client sent
// (a body, variables, a secret) is ever logged or echoed back: a failure is
// logged by its kind, size and client address only.
type httpTransport struct {
	maxBody int64
	log     *slog.Logger
	write   ResponseWriter // writeResponse for /graphql
	batch   batchOptions   // JSON array bodies (batch.go); max 0 refuses them
}

var _ graphql.Transport = httpTransport{}

// Supports takes every request but a WebSocket upgrade: Do answers a
// method or content type it does not serve with a coded error rather
// than gqlgen's codeless "httpTransport not supported".
func (httpTransport) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") == "" }

// Do decodes the request, runs the operation and writes the response.
func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	w.Header().Set("Content-Type", "application/json")
	var raw *graphql.RawParams
	var batch []*graphql.RawParams
	var fail *clientError
	switch r.Method {
	case http.MethodPost:
		raw, batch, fail = t.readPOST(r)
	case http.MethodGet:
		raw, fail = readGET(r)
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		fail = &clientError{http.StatusMethodNotAllowed, model.CodeMethodNotAllowed, "use POST, or GET for queries"}
	}
	if fail != nil {
		t.refuse(w, r, fail)
		return
	}
	if batch != nil {
		t.doBatch(w, r, exec, batch)
		return
	}
	raw.Headers = r.Header
	raw.ReadTime.Start = graphql.Now()
	raw.ReadTime.End = graphql.Now()
	ctx := r.Context()
	rc, errs := exec.CreateOperationContext(ctx, raw)
	if errs != nil {
		// A document that does not parse or validate is 422, as gqlgen's
		// own transports answer; other refusals before execution are 200.
		status := http.StatusOK
		if errcode.GetErrorKind(errs) == errcode.KindProtocol {
			status = http.StatusUnprocessableEntity
		}
		t.write(w, status, exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs))
		return
	}
	if rc.Operation.Operation == ast.Subscription {
		t.refuse(w, r, &clientError{http.StatusBadRequest, model.CodeBadRequest,
			"a subscription streams: open a WebSocket (graphql-transport-ws), or POST with Accept: text/event-stream"})
		return
	}
	if r.Method == http.MethodGet && rc.Operation.Operation != ast.Query {
		t.refuse(w, r, &clientError{http.StatusMethodNotAllowed, model.CodeMethodNotAllowed, "a GET request may only run a query; send mutations with POST"})
		return
	}
	t.write(w, http.StatusOK, dispatch(ctx, exec, rc, t.log))
}

// dispatch runs an operation that CreateOperationContext accepted and
// returns its response. gqlgen answers nil, not a response, when ctx has
// ended before execution (the client hung up, or the request's deadline
// passed): that becomes CANCELLED, logged as one line (the logger is
// rate-limited), so no transport ever writes a nil response.
func dispatch(ctx context.Context, exec graphql.GraphExecutor, rc *graphql.OperationContext, log *slog.Logger) *graphql.Response {
	responses, rctx := exec.DispatchOperation(ctx, rc)
	if resp := responses(rctx); resp != nil {
		return resp
	}
	log.InfoContext(ctx, "request ended before it ran", "code", string(model.CodeCancelled))
	if rec := recordOf(ctx); rec != nil {
		rec.code = string(model.CodeCancelled)
	}
	return &graphql.Response{Errors: gqlerror.List{{
		Message:    "the request was cancelled or timed out",
		Extensions: map[string]any{"code": string(model.CodeCancelled)},
	}}}
}

// clientError is a request refused before it reached GraphQL: an HTTP
// status, a code for extensions.code, and a message that never quotes
// what the client sent.
type clientError struct {
	status  int
	code    model.Code
	message string
}

// readPOST reads a JSON body of at most maxBody bytes into the operation's
// parameters, or a batch's (a JSON array, when the transport takes them).
// A POST takes no URL parameters.
func (t httpTransport) readPOST(r *http.Request) (*graphql.RawParams, []*graphql.RawParams, *clientError) {
	raw, body, fail := t.readOne(r)
	if fail == nil && raw == nil {
		batch, fail := decodeBatch(body, t.batch.max)
		return nil, batch, fail
	}
	return raw, nil, fail
}

// readOne reads a JSON body of at most maxBody bytes into the operation's
// parameters; a JSON array, when batches are taken, is returned as a body.
func (t httpTransport) readOne(r *http.Request) (*graphql.RawParams, []byte, *clientError) {
	if err := UnknownParams(r); err != nil {
		return nil, nil, &clientError{http.StatusBadRequest, model.CodeBadRequest, err.Error()}
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		return nil, nil, &clientError{http.StatusUnsupportedMediaType, model.CodeUnsupportedMediaType, "send the request as Content-Type: application/json"}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, t.maxBody+1))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge) || int64(len(body)) > t.maxBody:
		return nil, nil, &clientError{http.StatusRequestEntityTooLarge, model.CodePayloadTooLarge, "the request body is larger than the server accepts"}
	case err != nil:
		return nil, nil, &clientError{http.StatusBadRequest, model.CodeBadRequest, "the request body could not be read"}
	case len(bytes.TrimSpace(body)) == 0:
		return nil, nil, &clientError{http.StatusBadRequest, model.CodeBadRequest, "the request body is empty; send a JSON object with a query"}
	case isBatch(body) && t.batch.max > 0:
		return nil, body, nil
	}
	raw := &graphql.RawParams{}
	if err := decodeObject(body, raw); err != nil {
		return nil, nil, &clientError{http.StatusBadRequest, model.CodeBadRequest, "the request body must be one JSON object: {\"query\": …, \"variables\": {…}}"}
	}
	return raw, body, nil
}

// readGET reads the operation's parameters from the URL, and refuses any
// other URL parameter.
func readGET(r *http.Request) (*graphql.RawParams, *clientError) {
	if err := UnknownParams(r, "query", "variables", "operationName", "extensions"); err != nil {
		return nil, &clientError{http.StatusBadRequest, model.CodeBadRequest, err.Error()}
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &clientError{http.StatusBadRequest, model.CodeBadRequest, "the URL's query string is malformed"}
	}
	raw := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	if v := q.Get("variables"); v != "" {
		if err := decodeObject([]byte(v), &raw.Variables); err != nil {
			return nil, &clientError{http.StatusBadRequest, model.CodeBadRequest, "variables must be a JSON object"}
		}
	}
	if v := q.Get("extensions"); v != "" {
		if err := decodeObject([]byte(v), &raw.Extensions); err != nil {
			return nil, &clientError{http.StatusBadRequest, model.CodeBadRequest, "extensions must be a JSON object"}
		}
	}
	return raw, nil
}

// decodeObject decodes one JSON object, keeping numbers exact, and
// refuses anything else (an array, a string, trailing data).
func decodeObject(b []byte, v any) error {
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' {
		return errors.New("not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON object")
	}
	return nil
}

// refuse answers a request refused before GraphQL and logs the kind of
// failure, never the request's content.
func (t httpTransport) refuse(w http.ResponseWriter, r *http.Request, e *clientError) {
	if rec := recordOf(r.Context()); rec != nil {
		rec.code = string(e.code)
	}
	t.log.InfoContext(r.Context(), "request refused", "code", string(e.code), "method", r.Method,
		"bytes", r.ContentLength, "client", clientAddr(r))
	t.write(w, e.status, &graphql.Response{Errors: gqlerror.List{{
		Message:    e.message,
		Extensions: map[string]any{"code": string(e.code)},
	}}})
}

// writeResponse writes a GraphQL response with an HTTP status.
//
// A response of data alone, the common case, is written around its data
// as the executor made it: json.Marshal would re-scan and copy the whole
// document (a RawMessage is validated and compacted), which is the
// executor's own compact output already.
func writeResponse(w http.ResponseWriter, status int, resp *graphql.Response) {
	if len(resp.Data) > 0 && len(resp.Errors) == 0 && len(resp.Extensions) == 0 && resp.Label == "" && resp.Path == nil && resp.HasNext == nil {
		// Written in three parts, not copied into one: the server
		// buffers them anyway.
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"data":`)
		_, _ = w.Write(resp.Data)
		_, _ = io.WriteString(w, "}")
		return
	}
	b, err := json.Marshal(resp)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// clientAddr is the client's IP address as the connection shows it.
func clientAddr(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}
