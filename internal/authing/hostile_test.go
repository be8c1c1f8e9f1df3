package authing_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"

	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"usergraph/internal/authing"
)

// publicKey is the key /api/v2/.well-known serves.
func (e *env) publicKey() *rsa.PublicKey {
	e.t.Helper()
	var wk struct{ PublicKey string }
	e.restOK("GET", "/api/v2/.well-known", nil, &wk)
	block, _ := pem.Decode([]byte(wk.PublicKey))
	if block == nil || block.Type != "PUBLIC KEY" {
		e.t.Fatalf("not a PEM public key: %q", wk.PublicKey)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		e.t.Fatal(err)
	}
	return pub.(*rsa.PublicKey)
}

// oracleBlocks returns n ciphertexts with well-formed PKCS#1 v1.5 padding
// (half of them a real password, half random bytes that are no password)
// and n random blocks, which decrypt to bad padding (all but a 2^-16
// chance each; one that does not changes nothing the test asserts).
func oracleBlocks(t *testing.T, pub *rsa.PublicKey, n int) (good, bad []string) {
	for i := range n {
		plain := []byte(rand.Text()[:12])
		if i%2 == 1 {
			plain = make([]byte, 40)
			_, _ = rand.Read(plain)
		}
		c, err := rsa.EncryptPKCS1v15(rand.Reader, pub, plain)
		if err != nil {
			t.Fatal(err)
		}
		good = append(good, base64.StdEncoding.EncodeToString(c))
		r, err := rand.Int(rand.Reader, pub.N)
		if err != nil {
			t.Fatal(err)
		}
		bad = append(bad, base64.StdEncoding.EncodeToString(r.FillBytes(make([]byte, pub.Size()))))
	}
	return good, bad
}

// TestNoPaddingOracle: the answers to blocks with good and with bad
// PKCS#1 v1.5 padding cannot be told apart — the same status and bytes
// for an unknown user (the probe Bleichenbacher's attack needs), the same
// success for a known one, and the same time within noise.
func TestNoPaddingOracle(t *testing.T) {
	e := newEnv(t)
	e.keys.LimitFailures(1000) // the throttle is TestDecryptionFailuresThrottled's
	known := e.createUser(map[string]any{"username": "target"})
	good, bad := oracleBlocks(t, e.publicKey(), 200)
	update := func(id, block string) (int, string, time.Duration) {
		start := time.Now()
		rec := e.send(http.MethodPost, "/graphql/v2", e.token, map[string]any{
			"query":     `mutation($id: String, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`,
			"variables": map[string]any{"id": id, "i": map[string]any{"password": block}}})
		return rec.Code, rec.Body.String(), time.Since(start)
	}
	unknown := "00000000-0000-7000-8000-000000000000"
	var first string
	var goodTimes, badTimes []time.Duration
	for i := range good {
		// Interleaved, so drift in the machine's speed hits both kinds.
		for _, kind := range []struct {
			block string
			times *[]time.Duration
		}{{good[i], &goodTimes}, {bad[i], &badTimes}} {
			status, body, took := update(unknown, kind.block)
			if first == "" {
				first = body
			}
			if status != http.StatusOK || body != first {
				t.Fatalf("block %d: HTTP %d %s, and before: %s", i, status, body, first)
			}
			*kind.times = append(*kind.times, took)
		}
	}
	if !strings.Contains(first, "NOT_FOUND") {
		t.Fatalf("unknown user: %s", first)
	}
	g, b := median(goodTimes), median(badTimes)
	t.Logf("median answer: good padding %v, bad padding %v", g, b)
	if ratio := float64(g) / float64(b); ratio < 0.67 || ratio > 1.5 {
		t.Errorf("median answer: good padding %v, bad padding %v", g, b)
	}
	for _, block := range append(good[:10:10], bad[:10]...) {
		if status, body, _ := update(known, block); status != http.StatusOK || strings.Contains(body, "errors") {
			t.Fatalf("known user: HTTP %d %s", status, body)
		}
	}
}

// TestDecryptionFailuresThrottled: past a burst of blocks that do not
// decrypt, a credential's encrypted passwords are refused — the good ones
// too, so the refusal tells nothing about a block — while its other
// requests and other credentials go on.
func TestDecryptionFailuresThrottled(t *testing.T) {
	e := newEnv(t)
	pub := e.publicKey()
	good, bad := oracleBlocks(t, pub, authing.DecryptFailures+1)
	create := `mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`
	for i, block := range bad[:authing.DecryptFailures] {
		e.do(create, map[string]any{"u": map[string]any{"username": "u" + string(rune('a'+i)), "password": block}}).ok(nil)
	}
	e.do(create, map[string]any{"u": map[string]any{"username": "late", "password": good[0]}}).
		wantErr(429, "RATE_LIMITED", "userInfo.password")
	e.do(create, map[string]any{"u": map[string]any{"username": "plain", "password": "Plain!pw1"}}).ok(nil)
	key := e.apiKey("writer", "users:write")
	e.gql(key, create, map[string]any{"u": map[string]any{"username": "elsewhere", "password": good[1]}}).ok(nil)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestEndedBeforeExecution: a request whose client hung up before it ran
// gets an answer (the envelope with CANCELLED) on every surface, and no
// stack trace reaches the log.
func TestEndedBeforeExecution(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "someone"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct{ method, path, body string }{
		{http.MethodGet, "/api/v2/users/login-status?userId=" + id, ""},
		{http.MethodPost, "/api/v2/users/kick", `{"userIds":["` + id + `"]}`},
		{http.MethodPost, "/graphql/v2", `{"query":"{ users { totalCount } }"}`},
	} {
		req := httptest.NewRequestWithContext(ctx, c.method, c.path, strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("x-authing-userpool-id", e.poolID)
		req.Header.Set("Authorization", "Bearer "+e.token)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "CANCELLED") {
			t.Errorf("%s %s: HTTP %d %s", c.method, c.path, rec.Code, rec.Body.String())
		}
	}
	if strings.Contains(e.log.String(), "panic") || strings.Contains(e.log.String(), "goroutine ") {
		t.Errorf("the log shows a panic:\n%s", e.log.String())
	}
}

// TestArchivingNeedsDeleteScope: the SDKs' updateUser cannot archive or
// restore a user with users:write alone, as the native API cannot.
func TestArchivingNeedsDeleteScope(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "kept"})
	key := e.apiKey("writer", "users:read", "users:write")
	// V2's input has no status; blocked: false on an archived user would
	// restore it.
	e.send(http.MethodPost, "/graphql", e.token, map[string]any{
		"query": `mutation($id: ID!) { archiveUser(id: $id) { id } }`, "variables": map[string]any{"id": id}})
	update := `mutation($id: String, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { status } }`
	e.gql(key, update, map[string]any{"id": id, "i": map[string]any{"blocked": false}}).
		wantErr(403, "FORBIDDEN", "input.status")
	e.do(update, map[string]any{"id": id, "i": map[string]any{"blocked": false}}).ok(nil)
}

// TestUnknownParamsRefused: the REST routes take the query parameters the
// SDKs send and refuse any other, in the envelope, naming it.
func TestUnknownParamsRefused(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "someone"})
	for _, path := range []string{
		"/api/v2/users/" + id + "?with_custom_data=true&withCustomData=true",
		"/api/v2/users/login-status?userId=" + id + "&user_id=" + id,
		"/api/v2/resources?namespace=default&page=1&limit=10&sort=code",
		"/api/v2/.well-known?x=1",
	} {
		env := e.rest("GET", path, nil)
		if env.Code != 400 || !strings.Contains(env.Message, "unknown query parameter") {
			t.Errorf("%s: %+v", path, env)
		}
	}
	e.restOK("GET", "/api/v2/users/"+id+"?with_custom_data=true", nil, nil)
	e.restOK("GET", "/api/v2/resources?namespace=default&page=1&limit=10", nil, nil)
	if rec := e.send(http.MethodGet, "/logout?userId="+id+"&all=1", e.token, nil); !strings.Contains(rec.Body.String(), "unknown query parameter") {
		t.Errorf("/logout: %s", rec.Body.String())
	}
}
