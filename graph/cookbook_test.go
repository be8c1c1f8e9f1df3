package graph_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"usergraph/internal/authing"
	"usergraph/internal/httpapi"
	"usergraph/internal/webhook"
)

// TestCookbook runs every example of the cookbook's (docs/cookbook.md), in order, on a
// fresh pool through the real handler, and compares each response with
// the one the page shows. Ids, times and keys differ from run to run: an
// id on the page stands for the id the server gave where it first
// appears (so later variables naming it get the real one), a time matches
// any time, and an API key any key of the same form. Anything else that
// differs fails, so the examples cannot drift.
func TestCookbook(t *testing.T) {
	if n := len(cookbook(t)); n < 10 {
		t.Fatalf("the cookbook's (docs/cookbook.md) has %d examples", n)
	}
	runCookbook(t, newAuthingEnv(t))
}

// newAuthingEnv is newEnv with the Authing dialect mounted: examples whose
// title names /graphql/v2 go to it, as the Authing SDKs send them.
func newAuthingEnv(t *testing.T) *env {
	return newEnvWith(t, func(o *httpapi.Options) {
		// The cookbook's receiver: a host allowed by name, as an
		// on-premise one would be (-webhook-allow), so no DNS is asked.
		w, err := webhook.New(o.Store, nil, webhook.Options{Allow: []string{"hooks.example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		o.Webhooks = w
		keys, err := authing.LoadKeys(context.Background(), o.Store)
		if err != nil {
			t.Fatal(err)
		}
		o.Dialects = []httpapi.Dialect{&authing.Dialect{Keys: keys}}
	})
}

// runCookbook runs the cookbook's (docs/cookbook.md) examples in order through e's
// handler (with the Authing dialect mounted), checking each response.
func runCookbook(t *testing.T, e *env) {
	examples := cookbook(t)
	ids := map[string]string{} // the page's id → the server's
	for _, ex := range examples {
		var vars map[string]any
		if err := json.Unmarshal([]byte(ex.variables), &vars); err != nil {
			t.Fatalf("%s: variables: %v", ex.title, err)
		}
		body, _ := json.Marshal(map[string]any{"query": ex.query, "variables": substitute(vars, ids)})
		path := "/graphql"
		if strings.Contains(ex.title, "/graphql/v2") {
			path = "/graphql/v2"
		}
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.token)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if os.Getenv("USERGRAPH_COOKBOOK_PRINT") != "" {
			fmt.Printf("#### %s\n%s\n", ex.title, rec.Body.String())
		}
		var got, want any
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("%s: response %s: %v", ex.title, rec.Body, err)
		}
		if err := json.Unmarshal([]byte(ex.response), &want); err != nil {
			t.Fatalf("%s: the page's response: %v", ex.title, err)
		}
		if path, ok := matches(want, got, ids, "$"); !ok {
			t.Errorf("%s: the response differs from the page at %s:\n got %s", ex.title, path, rec.Body)
		}
	}
}

type example struct{ title, query, variables, response string }

var fence = regexp.MustCompile("(?s)```(graphql|json)\n(.*?)\n```")

// cookbook reads the examples of docs/cookbook.md: under each ####
// heading, a graphql block, then the variables and the response as json
// blocks.
func cookbook(t *testing.T) []example {
	page, err := os.ReadFile("../docs/cookbook.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []example
	for _, part := range strings.Split(string(page), "\n#### ")[1:] {
		title, _, _ := strings.Cut(part, "\n")
		blocks := fence.FindAllStringSubmatch(part, -1)
		if len(blocks) != 3 || blocks[0][1] != "graphql" || blocks[1][1] != "json" || blocks[2][1] != "json" {
			t.Fatalf("cookbook example %q: want a graphql block, then variables and response json blocks", title)
		}
		out = append(out, example{title, blocks[0][2], blocks[1][2], blocks[2][2]})
	}
	return out
}

var (
	uuidLike = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	timeLike = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)
	keyLike  = regexp.MustCompile(`^ugk_[0-9a-f-]{36}\.[0-9a-f]{64}$`)
	// A webhook's signing secret, and a change stream position.
	secretLike = regexp.MustCompile(`^whsec_[A-Za-z0-9+/]{43}=$`)
	streamLike = regexp.MustCompile(`^ec_\d+$`)
)

// cursorPrefix begins every cursor: base64url of `{"o":"`.
const cursorPrefix = "eyJvIjoi"

func decodeCursor(s string) (any, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	var v any
	return v, json.Unmarshal(raw, &v)
}

// matches compares the page's value with the server's, learning ids;
// it returns where they first differ.
func matches(want, got any, ids map[string]string, path string) (string, bool) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return path, false
		}
		for k, v := range w {
			if p, ok := matches(v, g[k], ids, path+"."+k); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return path, false
		}
		for i := range w {
			if p, ok := matches(w[i], g[i], ids, fmt.Sprintf("%s[%d]", path, i)); !ok {
				return p, false
			}
		}
		return "", true
	case string:
		g, ok := got.(string)
		switch {
		case !ok:
			return path, false
		case uuidLike.MatchString(w):
			if real, seen := ids[w]; seen {
				return path, real == g
			}
			ids[w] = g
			return path, uuidLike.MatchString(g)
		case timeLike.MatchString(w):
			return path, timeLike.MatchString(g)
		case strings.HasPrefix(w, cursorPrefix):
			// A cursor is opaque base64 of JSON holding ids and times:
			// compare what it holds, by the same rules.
			wv, werr := decodeCursor(w)
			gv, gerr := decodeCursor(g)
			if werr != nil || gerr != nil {
				return path, false
			}
			return matches(wv, gv, ids, path+"(cursor)")
		case keyLike.MatchString(w):
			return path, keyLike.MatchString(g)
		case secretLike.MatchString(w):
			return path, secretLike.MatchString(g)
		case streamLike.MatchString(w):
			return path, streamLike.MatchString(g)
		}
		return path, w == g
	}
	return path, reflect.DeepEqual(want, got)
}

// substitute replaces the page's ids in v by the server's.
func substitute(v any, ids map[string]string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = substitute(e, ids)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = substitute(e, ids)
		}
		return out
	case string:
		if real, ok := ids[x]; ok {
			return real
		}
	}
	return v
}
