package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// seedUsers creates n users with a handful of profile fields and returns
// their ids.
func seedUsers(b testing.TB, e *env, n int) []string {
	ids := make([]string, 0, n)
	for i := range n {
		ids = append(ids, e.createUser(map[string]any{
			"username": fmt.Sprintf("user%05d", i), "email": fmt.Sprintf("user%05d@example.com", i),
			"nickname": fmt.Sprintf("Nick %d", i), "company": "Acme", "city": "Paris",
		}))
	}
	return ids
}

// benchHTTP posts query to a real HTTP server on loopback from
// GOMAXPROCS×4 concurrent clients and reports requests/s and SQL
// statements per request.
func benchHTTP(b *testing.B, e *env, query string, vars map[string]any) {
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	e.stmts.Reset()
	b.ReportAllocs()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.token)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			out, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || bytes.Contains(out, []byte(`"errors"`)) {
				b.Fatalf("%d %s", resp.StatusCode, out)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64(e.stmts.Count())/float64(b.N), "stmts/req")
}

func BenchmarkUserByID(b *testing.B) {
	e := newEnv(b)
	ids := seedUsers(b, e, 1000)
	benchHTTP(b, e, `query($id: ID!) { user(id: $id) { `+userFields+` } }`, map[string]any{"id": ids[500]})
}

func BenchmarkUsersPage50(b *testing.B) {
	e := newEnv(b)
	seedUsers(b, e, 1000)
	benchHTTP(b, e, `{ users(limit: 50) { totalCount list { `+userFields+` } } }`, nil)
}
