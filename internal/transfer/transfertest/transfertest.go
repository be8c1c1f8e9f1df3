// Package transfertest compares exports in tests: two exports of the same
// pool content, made in different pools, agree line by line once what an
// import makes anew is left out.
package transfertest

import (
	"encoding/json"
	"strings"
	"testing"
)

// Comparable is an export line without what an import makes anew: ids, the
// pool's id, update times, a group's parent id (its parent code stays),
// and the creation times of definitions and identities (a user keeps its
// own). Keys come out sorted.
func Comparable(t testing.TB, line string) string {
	t.Helper()
	if line == "" {
		return ""
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatalf("not an export line: %q", line)
	}
	for _, k := range []string{"id", "userPoolId", "updatedAt", "parentId"} {
		delete(m, k)
	}
	if m["kind"] != "user" {
		delete(m, "createdAt")
	}
	ids, _ := m["identities"].([]any)
	for _, id := range ids {
		delete(id.(map[string]any), "identityId")
		delete(id.(map[string]any), "createdAt")
	}
	out, _ := json.Marshal(m)
	return string(out)
}

// Same fails t unless the two exports agree line by line (see Comparable).
func Same(t testing.TB, got, want string) {
	t.Helper()
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(g) != len(w) {
		t.Fatalf("the exports have %d and %d lines:\n%s\n--\n%s", len(g), len(w), got, want)
	}
	for i := range w {
		if Comparable(t, g[i]) != Comparable(t, w[i]) {
			t.Errorf("line %d differs:\n got %s\nwant %s", i+1, g[i], w[i])
		}
	}
}
