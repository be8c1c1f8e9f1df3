package graph_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"usergraph/internal/auth"
)

func TestAccessToken(t *testing.T) {
	e := newEnv(t)
	var out struct {
		AccessToken struct {
			AccessToken string
			Iat, Exp    time.Time
		}
	}
	e.doAs("", `query($p: ID!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { accessToken iat exp } }`,
		map[string]any{"p": e.poolID, "s": e.secret}).ok(&out)
	if !out.AccessToken.Exp.After(out.AccessToken.Iat) {
		t.Errorf("exp %v not after iat %v", out.AccessToken.Exp, out.AccessToken.Iat)
	}
	e.doAs(out.AccessToken.AccessToken, `{ users { totalCount } }`, nil).ok(nil)

	for name, vars := range map[string]map[string]any{
		"wrong secret": {"p": e.poolID, "s": strings.Repeat("0", 64)},
		"unknown pool": {"p": "no-such-pool", "s": e.secret},
	} {
		r := e.doAs("", `query($p: ID!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { accessToken } }`, vars)
		if r.code() != "UNAUTHENTICATED" {
			t.Errorf("%s: code %q", name, r.code())
		}
	}
}

func TestEveryOperationNeedsAValidToken(t *testing.T) {
	e := newEnv(t)
	otherKey := auth.NewSigner([]byte(strings.Repeat("k", 32)), time.Hour)
	forged, _ := otherKey.AdminToken(e.poolID, 0)
	expired := func() string {
		s := auth.NewSigner(mustKey(t, e), -time.Minute)
		tok, _ := s.AdminToken(e.poolID, 0)
		return tok.Token
	}()
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{
		"iss": "usergraph", "sub": e.poolID, "aud": "usergraph-admin", "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	hs512, _ := jwt.NewWithClaims(jwt.SigningMethodHS512, jwt.MapClaims{
		"iss": "usergraph", "sub": e.poolID, "aud": "usergraph-admin", "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(mustKey(t, e))
	wrongAudience, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": "usergraph", "sub": e.poolID, "aud": "usergraph-user", "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(mustKey(t, e))
	tokens := map[string]string{
		"missing": "", "garbage": "garbage", "truncated": e.token[:len(e.token)-5], "forged": forged.Token,
		"expired": expired, "alg none": none, "wrong alg": hs512, "user audience": wrongAudience,
	}
	ops := []string{
		`{ users { totalCount } }`,
		`{ user(id: "x") { id } }`,
		`mutation { createUser(userInfo: {username: "x"}) { id } }`,
		`mutation { deleteUsers(ids: ["x"]) }`,
	}
	for name, tok := range tokens {
		for _, op := range ops {
			if r := e.doAs(tok, op, nil); r.code() != "UNAUTHENTICATED" {
				t.Errorf("%s token, %s: code %q", name, op, r.code())
			}
		}
	}
	if n := e.userCount(); n != 0 {
		t.Errorf("unauthenticated writes created %d users", n)
	}
	// The schema itself is public: the playground needs it before sign-in.
	e.doAs("", `{ __schema { queryType { name } } }`, nil).ok(nil)
}

func mustKey(t *testing.T, e *env) []byte {
	k, err := e.store.SigningKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestPoolIsolation(t *testing.T) {
	e := newEnv(t)
	p, _, err := e.store.CreatePool(context.Background(), "other")
	if err != nil {
		t.Fatal(err)
	}
	tokB, _ := e.signer.AdminToken(p.ID, 0)
	b := tokB.Token
	id := e.createUser(map[string]any{"username": "alice", "email": "alice@example.com"})

	var out struct {
		User      *struct{ ID string }
		UserBatch []struct{ ID string }
		Users     struct{ TotalCount int }
		FindUser  *struct{ ID string }
		Exists    bool
	}
	e.doAs(b, `query($id: ID!) { user(id: $id) { id } userBatch(ids: [$id]) { id } users { totalCount }
		findUser(email: "alice@example.com") { id } exists: isUserExists(username: "alice") }`, map[string]any{"id": id}).ok(&out)
	if out.User != nil || len(out.UserBatch) != 0 || out.Users.TotalCount != 0 || out.FindUser != nil || out.Exists {
		t.Errorf("pool B sees pool A's user: %+v", out)
	}
	e.doAs(b, `mutation($id: ID!) { updateUser(id: $id, input: {nickname: "pwned"}) { id } }`, map[string]any{"id": id}).wantErr("NOT_FOUND", "id")
	e.doAs(b, `mutation($id: ID!) { deleteUser(id: $id) }`, map[string]any{"id": id}).wantErr("NOT_FOUND", "id")
	e.doAs(b, `mutation($ids: [ID!]!) { deleteUsers(ids: $ids) }`, map[string]any{"ids": []string{id}}).wantErr("NOT_FOUND", "ids.0")
	// Uniqueness is per pool: B may have its own alice.
	e.doAs(b, `mutation { createUser(userInfo: {username: "alice", email: "alice@example.com"}) { id } }`, nil).ok(nil)

	var still struct{ User struct{ Nickname *string } }
	e.do(`query($id: ID!) { user(id: $id) { nickname } }`, map[string]any{"id": id}).ok(&still)
	if still.User.Nickname != nil || e.userCount() != 1 {
		t.Errorf("pool B changed pool A: %+v, %d users", still.User, e.userCount())
	}
}

func TestHTTPSurface(t *testing.T) {
	e := newEnv(t)
	get := func(path string, hdr map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec
	}
	if r := get("/healthz", nil); r.Code != 200 {
		t.Errorf("/healthz = %d", r.Code)
	}
	page := get("/", nil)
	if page.Code != 200 || !strings.Contains(page.Body.String(), "graphiql") || !strings.Contains(page.Header().Get("Content-Security-Policy"), "connect-src 'self'") {
		t.Errorf("playground = %d %v", page.Code, page.Header())
	}
	// The playground loads nothing from another host: every asset it names
	// is served by the binary.
	if strings.Contains(page.Body.String(), "http://") || strings.Contains(page.Body.String(), "https://") {
		t.Error("the playground page references another host")
	}
	for _, asset := range []string{"/playground/graphiql.min.js", "/playground/graphiql.min.css", "/playground/react.production.min.js",
		"/playground/react-dom.production.min.js", "/playground/playground.js", "/playground/playground.css", "/playground/LICENSE.graphiql"} {
		if !strings.Contains(page.Body.String(), asset) && !strings.HasPrefix(asset, "/playground/LICENSE") {
			t.Errorf("the page does not load %s", asset)
		}
		if r := get(asset, nil); r.Code != 200 || r.Body.Len() == 0 {
			t.Errorf("%s = %d", asset, r.Code)
		}
	}
	r := get("/graphql?query=%7Busers%7BtotalCount%7D%7D", map[string]string{"Authorization": "Bearer " + e.token})
	if r.Code != 200 || !strings.Contains(r.Body.String(), `"totalCount":0`) {
		t.Errorf("GET /graphql = %d %s", r.Code, r.Body)
	}

	// Request bodies are bounded.
	big := `{"query":"{ users { totalCount } }","variables":{"x":"` + strings.Repeat("a", 5<<20) + `"}}`
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(big))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code == 200 && !strings.Contains(rec.Body.String(), "errors") {
		t.Errorf("5 MiB body accepted: %d", rec.Code)
	}

	// Query cost is bounded.
	all := `users(limit: 100) { list { ` + userFields + ` } }`
	e.do(`{ `+all+` }`, nil).ok(nil)
	e.do(`{ a: `+all+` b: `+all+` c: `+all+` d: `+all+` }`, nil).wantErr("COMPLEXITY_LIMIT_EXCEEDED", "")
}

func TestCORS(t *testing.T) {
	e := newEnv(t)
	preflight := func(origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec
	}
	if r := preflight("https://admin.example.com"); r.Header().Get("Access-Control-Allow-Origin") != "https://admin.example.com" ||
		!strings.Contains(strings.ToLower(r.Header().Get("Access-Control-Allow-Headers")), "authorization") {
		t.Errorf("allowed origin refused: %d %v", r.Code, r.Header())
	}
	if r := preflight("https://evil.example.com"); r.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("unlisted origin allowed: %v", r.Header())
	}
}
