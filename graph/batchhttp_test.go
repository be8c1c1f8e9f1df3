package graph_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"usergraph/internal/httpapi"
)

// postBatch sends a JSON array of operations with token and returns the
// status and the decoded array of responses.
func (e *env) postBatch(token string, ops ...map[string]any) (int, []result) {
	e.t.Helper()
	body, _ := json.Marshal(ops)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	var out []result
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			e.t.Fatalf("a batch's answer is not an array: %s", rec.Body)
		}
		for i := range out {
			out[i].t = e.t
		}
	}
	return rec.Code, out
}

// TestBatches: a JSON array of operations answers an array, in order;
// each operation is authorized, priced and logged on its own and sees the
// writes before it; the batch as a whole is bounded in size and cost.
func TestBatches(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	e := newEnvWith(t, func(o *httpapi.Options) {
		o.AccessLog = slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, nil))
	})
	q := func(query string, vars map[string]any) map[string]any {
		return map[string]any{"query": query, "variables": vars}
	}
	status, out := e.postBatch(e.token,
		q(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, map[string]any{"u": map[string]any{"username": "batched"}}),
		q(`query Count { users { totalCount } }`, nil),
		q(`{ user(id: "nope") { id } nope }`, nil),
		q(`subscription { changes { id } }`, nil))
	if status != http.StatusOK || len(out) != 4 {
		t.Fatalf("status %d, %d answers", status, len(out))
	}
	var count struct{ Users struct{ TotalCount int } }
	out[0].ok(nil)
	out[1].ok(&count)
	if count.Users.TotalCount != 1 {
		t.Errorf("the query after the mutation saw %d users", count.Users.TotalCount)
	}
	if out[2].code() != "GRAPHQL_VALIDATION_FAILED" || out[3].code() != "BAD_REQUEST" {
		t.Errorf("the refused operations: %q %q", out[2].code(), out[3].code())
	}
	mu.Lock()
	lines := strings.Count(logs.String(), `"batch_size":4`)
	mu.Unlock()
	if lines != 4 {
		t.Errorf("%d access log lines for a batch of 4:\n%s", lines, logs.String())
	}

	// Each operation is authorized on its own.
	_, reader := e.newKey("reader", "users:read")
	_, out = e.postBatch(reader, q(`{ users { totalCount } }`, nil), q(`mutation { createGroup(code: "g") { code } }`, nil))
	out[0].ok(nil)
	out[1].wantErr("FORBIDDEN", "")

	// Priced on its own and as a whole: two operations each under the
	// limit, over it together.
	big := q(`{ users(limit: 40) { list { groups { list { id name code description } } } } }`, nil)
	if r := e.do(big["query"].(string), nil); r.code() == "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatal("the big query alone is over the limit")
	}
	_, out = e.postBatch(e.token, big, big)
	for i, r := range out {
		if r.code() != "COMPLEXITY_LIMIT_EXCEEDED" {
			t.Errorf("operation %d of a batch over the limit: %q", i, r.code())
		}
	}

	// Bounded in size, and an array of objects.
	var eleven []map[string]any
	for range 11 {
		eleven = append(eleven, q(`{ users { totalCount } }`, nil))
	}
	for name, ops := range map[string][]map[string]any{"eleven": eleven, "empty": {}} {
		if status, _ := e.postBatch(e.token, ops...); status != http.StatusBadRequest {
			t.Errorf("%s: status %d", name, status)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`[{"query":"{ users { totalCount } }"}, 7]`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "BAD_REQUEST") {
		t.Errorf("an array with a number: %d %s", rec.Code, rec.Body)
	}
}
