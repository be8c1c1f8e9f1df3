package authing_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// sdkDocument is the document an SDK method sends, from the recording.
func sdkDocument(b *testing.B, method string) string {
	data, err := os.ReadFile("testdata/operations.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		var op struct {
			Method   string
			Requests []struct{ Query string }
		}
		if json.Unmarshal([]byte(line), &op) == nil && op.Method == method {
			return op.Requests[0].Query
		}
	}
	b.Fatalf("no recorded %s", method)
	return ""
}

// BenchmarkSDK runs the SDKs' hottest reads over HTTP from 16 concurrent
// clients against 1,000 users: users.list (a page of 10 with all 51 user
// fields and identities), the same with custom data, and users.detail
// (REST). It reports req/s, statements and allocations per request.
func BenchmarkSDK(b *testing.B) {
	e := newEnv(b)
	e.do(`mutation { setUdf(targetType: USER, key: "age", dataType: NUMBER, label: "Age") { key } }`, nil).ok(nil)
	var ids []string
	for i := range 1000 {
		ids = append(ids, e.createUser(map[string]any{"username": fmt.Sprintf("user%04d", i), "email": fmt.Sprintf("user%04d@example.com", i), "nickname": "N"}))
	}
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	run := func(b *testing.B, method, path string, body func(i int64) []byte) {
		var next atomic.Int64
		e.stmts.Reset()
		b.ReportAllocs()
		b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0)))
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := next.Add(1)
				req, _ := http.NewRequest(method, srv.URL+strings.ReplaceAll(path, "{id}", ids[i%int64(len(ids))]), bytes.NewReader(body(i)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.token)
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				out, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || bytes.Contains(out, []byte(`"errors"`)) || bytes.Contains(out, []byte(`"code":4`)) {
					b.Fatalf("%d %s", resp.StatusCode, out)
				}
			}
		})
		b.StopTimer()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		b.ReportMetric(float64(e.stmts.Count())/float64(b.N), "stmts/req")
	}
	page := func(doc string) func(int64) []byte {
		return func(i int64) []byte {
			body, _ := json.Marshal(map[string]any{"query": doc, "variables": map[string]any{"page": 1 + i%100, "limit": 10, "excludeUsersInOrg": false}})
			return body
		}
	}
	b.Run("users.list", func(b *testing.B) { run(b, "POST", "/graphql/v2", page(sdkDocument(b, "users.list"))) })
	b.Run("users.list-withCustomData", func(b *testing.B) {
		run(b, "POST", "/graphql/v2", page(sdkDocument(b, "users.list(withCustomData)")))
	})
	b.Run("users.detail", func(b *testing.B) {
		run(b, "GET", "/api/v2/users/{id}?with_custom_data=false", func(int64) []byte { return nil })
	})
}
