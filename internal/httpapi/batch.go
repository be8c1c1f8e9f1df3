package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/model"
)

// Batches: a POST body that is a JSON array of operations (Apollo's
// BatchHttpLink, graphql-go's batching) answers with an array of their
// responses, in order. Each operation is validated, authorized and priced
// on its own, runs with loaders of its own (a query after a mutation sees
// its write) and writes its own access log line; the batch is bounded as a
// whole — at most Limits.MaxBatch operations, whose prices together stay
// under the cost limit, sharing the request's deadline, row budget and
// body bound — so batching cannot multiply what one request may cost.

// batchOptions are what a transport needs for batches.
type batchOptions struct {
	max           int // operations in one batch
	maxComplexity int // what they may cost together
	// fresh gives an operation loaders of its own.
	fresh func(context.Context) context.Context
}

// decodeBatch decodes a JSON array of operation objects.
func decodeBatch(body []byte, max int) ([]*graphql.RawParams, *clientError) {
	var items []json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, &clientError{http.StatusBadRequest, model.CodeBadRequest, "a batch must be a JSON array of {\"query\": …} objects"}
	}
	if len(items) == 0 || len(items) > max {
		return nil, &clientError{http.StatusBadRequest, model.CodeBadRequest, fmt.Sprintf("a batch holds 1 to %d operations", max)}
	}
	out := make([]*graphql.RawParams, len(items))
	for i, it := range items {
		raw := &graphql.RawParams{}
		if err := decodeObject(it, raw); err != nil {
			return nil, &clientError{http.StatusBadRequest, model.CodeBadRequest, fmt.Sprintf("batch item %d must be one JSON object: {\"query\": …}", i)}
		}
		out[i] = raw
	}
	return out, nil
}

// isBatch reports whether a request body is a JSON array.
func isBatch(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) > 0 && b[0] == '['
}

// doBatch runs a batch's operations in order and writes their responses
// as one JSON array.
func (t httpTransport) doBatch(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, raws []*graphql.RawParams) {
	ctx := r.Context()
	parent := recordOf(ctx)
	type accepted struct {
		rc  *graphql.OperationContext
		rec *record
		ctx context.Context
	}
	ops := make([]accepted, len(raws))
	out := make([]*graphql.Response, len(raws))
	total := 0
	for i, raw := range raws {
		rec := &record{code: "ok"}
		if parent != nil {
			rec.pool = parent.pool
			parent.batch = append(parent.batch, rec)
		}
		opCtx := context.WithValue(ctx, recordKey{}, rec)
		if i > 0 && t.batch.fresh != nil {
			opCtx = t.batch.fresh(opCtx)
		}
		raw.Headers = r.Header
		raw.ReadTime.Start, raw.ReadTime.End = graphql.Now(), graphql.Now()
		rc, errs := exec.CreateOperationContext(opCtx, raw)
		switch {
		case errs != nil:
			out[i] = exec.DispatchError(graphql.WithOperationContext(opCtx, rc), errs)
			noteRefusal(rec, out[i])
		case rc.Operation.Operation == ast.Subscription:
			out[i] = codedResponse(model.CodeBadRequest, "a subscription cannot be batched: open a WebSocket, or POST it alone with Accept: text/event-stream")
			noteRefusal(rec, out[i])
		default:
			ops[i] = accepted{rc, rec, opCtx}
			if s, ok := rc.Stats.GetExtension("ComplexityLimit").(*extension.ComplexityStats); ok {
				total += s.Complexity
			}
		}
	}
	if total > t.batch.maxComplexity {
		for i := range ops {
			if ops[i].rc != nil {
				out[i] = codedResponse(model.CodeComplexityLimitExceeded,
					fmt.Sprintf("the batch's operations together cost %d, which exceeds the limit of %d", total, t.batch.maxComplexity))
				noteRefusal(ops[i].rec, out[i])
				ops[i].rc = nil
			}
		}
	}
	for i, op := range ops {
		if op.rc != nil {
			out[i] = dispatch(op.ctx, exec, op.rc, t.log)
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		b = []byte(`[{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}]`)
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// codedResponse is a response of one error with a code.
func codedResponse(code model.Code, message string) *graphql.Response {
	return &graphql.Response{Errors: gqlerror.List{{Message: message, Extensions: map[string]any{"code": string(code)}}}}
}

// noteRefusal records a refused operation's code in its access log record.
func noteRefusal(rec *record, resp *graphql.Response) {
	rec.code = "INTERNAL"
	if len(resp.Errors) > 0 {
		if c, ok := resp.Errors[0].Extensions["code"].(string); ok {
			rec.code = c
		}
	}
}
