package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"usergraph/internal/auth"
	"usergraph/internal/httpapi"
	"usergraph/model"
)

// Tests of what a hostile or careless client can do, one per hole.

// TestEveryListIsPriced sends the shapes that took the server down
// before every list was priced by the page it can return: nested member
// lists, aliases, exact counts, deep nesting. Each is refused before it
// runs, with the cost and the limit in the message.
func TestEveryListIsPriced(t *testing.T) {
	e := newEnv(t)
	var aliases strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&aliases, "g%d: group(code: \"x\") { users(limit: 100) { list { id } } } ", i)
	}
	var exact strings.Builder
	for i := range 20 {
		fmt.Fprintf(&exact, "s%d: searchUsers(query: \"a\", exactCount: true) { totalCount } ", i)
	}
	for _, c := range []struct{ name, query, code string }{
		{"nested member lists", `{ groups(limit: 100) { list { users(limit: 100) { list { groups { list { users(limit: 100) { list { id } } } } } } } } }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"1,000 aliases of a member page", "{ " + aliases.String() + "}", "COMPLEXITY_LIMIT_EXCEEDED"},
		{"20 exact counts", "{ " + exact.String() + "}", "COMPLEXITY_LIMIT_EXCEEDED"},
		{"300 aliases of the operator sign-in's rules", "{ " + aliased(300, "operatorSignIn { rules { value scopes } }") + " }", "COMPLEXITY_LIMIT_EXCEEDED"},
		{"8 aliases of every API key", "{ " + aliased(8, "apiKeys { id name scopes createdAt lastUsedAt expiresAt revokedAt }") + " }", "COMPLEXITY_LIMIT_EXCEEDED"},
		{"a user's unpaged lists under a full page", `{ groups(limit: 100) { list { users(limit: 100) { list { authorizedResources { list { code } } } } } } }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"13 levels deep", `{ users(limit: 1) { list { groups { list { users(limit: 1) { list { groups { list { users(limit: 1) { list { groups { list { code } } } } } } } } } } } } }`, "DEPTH_LIMIT_EXCEEDED"},
	} {
		r := e.do(c.query, nil)
		if r.code() != c.code {
			t.Errorf("%s: got %+v, want %s", c.name, r.Errors, c.code)
		} else if c.code == "COMPLEXITY_LIMIT_EXCEEDED" && !strings.Contains(r.Errors[0].Message, "exceeds the limit of 50000") {
			t.Errorf("%s: the refusal does not say the limit: %q", c.name, r.Errors[0].Message)
		}
	}
	// What a console needs fits: a page of 50 users with their groups and
	// roles, and the playground's (deep) introspection query.
	e.do(`{ users(limit: 50) { totalCount list { id username email groups { list { code name } } roles { list { code } } } } }`, nil).ok(nil)
	e.do(introspectionQuery, nil).ok(nil)
}

// aliased repeats a selection n times under aliases a0, a1, ….
func aliased(n int, selection string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("a%d: %s", i, selection)
	}
	return strings.Join(parts, " ")
}

// introspectionQuery is the deep part of GraphiQL's schema query.
const introspectionQuery = `{ __schema { types { name fields { name type { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } } } } }`

// TestRowBudget shows the run-time backstop: an operation that reads more
// rows than it may fails with COMPLEXITY_LIMIT_EXCEEDED.
func TestRowBudget(t *testing.T) {
	e := newEnvWith(t, func(o *httpapi.Options) { o.Limits.MaxRows = 5 })
	for i := range 8 {
		e.createUser(map[string]any{"username": fmt.Sprintf("u%d", i)})
	}
	e.do(`{ users(limit: 5) { list { id } } }`, nil).ok(nil)
	e.do(`{ users(limit: 8) { list { id } } }`, nil).wantErr("COMPLEXITY_LIMIT_EXCEEDED", "")
}

// TestPricesOfRepeatedDocuments: the complexity limit keeps the price of
// a document whose variables cannot change it, and prices afresh every
// request of one whose Int, Boolean or list variables can: the same text
// sent again with a larger page, a list twice as long, or an exact count
// asked for, is refused.
func TestPricesOfRepeatedDocuments(t *testing.T) {
	e := newEnvWith(t, func(o *httpapi.Options) { o.Limits.MaxComplexity = 300 })
	id := e.createUser(map[string]any{"username": "ada"})
	byID := `query($id: ID!, $name: String) { user(id: $id) { id username } a: findUser(username: $name) { id } }`
	for range 3 {
		e.do(byID, map[string]any{"id": id, "name": "ada"}).ok(nil)
	}
	page := `query($n: Int) { users(limit: $n) { list { id username email } } }`
	e.do(page, map[string]any{"n": 10}).ok(nil)
	e.do(page, map[string]any{"n": 100}).wantErr("COMPLEXITY_LIMIT_EXCEEDED", "")
	e.do(page, map[string]any{"n": 10}).ok(nil)
	batch := `query($ids: [ID!]!) { userBatch(ids: $ids) { id username email } }`
	e.do(batch, map[string]any{"ids": slices.Repeat([]string{id}, 50)}).ok(nil)
	e.do(batch, map[string]any{"ids": slices.Repeat([]string{id}, 100)}).wantErr("COMPLEXITY_LIMIT_EXCEEDED", "")
	exact := `query($b: Boolean) { users(limit: 10, exactCount: $b) { list { id } } }`
	e.do(exact, map[string]any{"b": false}).ok(nil)
	e.do(exact, map[string]any{"b": true}).wantErr("COMPLEXITY_LIMIT_EXCEEDED", "")
}

// TestNestedListsAreCut shows an unpaged list cut at its bound, with its
// totalCount still counting every item.
func TestNestedListsAreCut(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "joiner"})
	var codes []string
	for i := range model.MaxNestedList + 5 {
		code := fmt.Sprintf("g%03d", i)
		e.do(`mutation($c: String!) { createGroup(code: $c) { code } }`, map[string]any{"c": code}).ok(nil)
		codes = append(codes, code)
	}
	e.do(`mutation($u: ID!, $g: [String!]!) { addGroups(userId: $u, groups: $g) { totalCount } }`, map[string]any{"u": id, "g": codes}).ok(nil)
	var out struct {
		User struct {
			Groups struct {
				TotalCount int
				List       []struct{ Code string }
			}
		}
	}
	e.do(`query($u: ID!) { user(id: $u) { groups { totalCount list { code } } } }`, map[string]any{"u": id}).ok(&out)
	if out.User.Groups.TotalCount != model.MaxNestedList+5 || len(out.User.Groups.List) != model.MaxNestedList {
		t.Errorf("groups: totalCount %d, %d listed; want %d and %d", out.User.Groups.TotalCount, len(out.User.Groups.List), model.MaxNestedList+5, model.MaxNestedList)
	}
}

// post sends a raw request to the handler.
func (e *env) post(method, contentType, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/graphql", strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// TestClientMistakesHaveClientCodes checks each malformed request gets its
// own code and HTTP status, never INTERNAL.
func TestClientMistakesHaveClientCodes(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		name, method, contentType, body string
		status                          int
		code                            string
	}{
		{"body over the limit", "POST", "application/json", `{"query":"{ users { totalCount } }","variables":{"x":"` + strings.Repeat("a", 5<<20) + `"}}`, 413, "PAYLOAD_TOO_LARGE"},
		{"malformed JSON", "POST", "application/json", `{"query":"{ users { totalCount } }",}`, 400, "BAD_REQUEST"},
		{"empty body", "POST", "application/json", ``, 400, "BAD_REQUEST"},
		{"a JSON array of numbers", "POST", "application/json", `[1, 2]`, 400, "BAD_REQUEST"},
		{"two objects", "POST", "application/json", `{"query":"{ users { totalCount } }"} {}`, 400, "BAD_REQUEST"},
		{"no content type", "POST", "", `{"query":"{ users { totalCount } }"}`, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"a form", "POST", "application/x-www-form-urlencoded", `query=x`, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"PUT", "PUT", "application/json", `{"query":"{ users { totalCount } }"}`, 405, "METHOD_NOT_ALLOWED"},
		{"DELETE", "DELETE", "", ``, 405, "METHOD_NOT_ALLOWED"},
		{"no query", "POST", "application/json", `{}`, 422, "GRAPHQL_VALIDATION_FAILED"},
		{"a syntax error", "POST", "application/json", `{"query":"{ users { "}`, 422, "GRAPHQL_PARSE_FAILED"},
	} {
		rec := e.post(c.method, c.contentType, c.body)
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), `"code":"`+c.code+`"`) {
			t.Errorf("%s: %d %.200s; want %d %s", c.name, rec.Code, rec.Body, c.status, c.code)
		}
	}
	get := httptest.NewRequest(http.MethodGet, "/graphql?query="+strings.ReplaceAll(`mutation { deleteUsers(ids: ["x"]) }`, " ", "%20"), nil)
	get.Header.Set("Authorization", "Bearer "+e.token)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, get)
	if rec.Code != 405 || !strings.Contains(rec.Body.String(), `"code":"METHOD_NOT_ALLOWED"`) {
		t.Errorf("GET mutation: %d %s", rec.Code, rec.Body)
	}
	bad := httptest.NewRequest(http.MethodGet, "/graphql?query=%7Busers%7BtotalCount%7D%7D&variables=%5B1%5D", nil)
	rec = httptest.NewRecorder()
	e.h.ServeHTTP(rec, bad)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"code":"BAD_REQUEST"`) {
		t.Errorf("GET with array variables: %d %s", rec.Code, rec.Body)
	}
}

// TestNothingSentIsLogged sends secrets through every error path and
// checks none of them reaches the log, which records at debug level.
func TestNothingSentIsLogged(t *testing.T) {
	// slog's handler serializes its writes, and every request has ended
	// before the buffer is read.
	var log bytes.Buffer
	e := newEnvWith(t, func(o *httpapi.Options) {
		o.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	const secret, password, token = "TOPSECRET-9f2c", "Pa55word-9f2c", "eyJhbGciOiJIUzI1NiJ9.SECRET-TOKEN.9f2c"
	e.post("POST", "application/json", `{"query":"{accessToken(userPoolId:\"x\",secret:\"`+secret+`\"){accessToken}}",}`)
	e.post("POST", "application/json", `{"query":"{accessToken(userPoolId:\"x\",secret:\"`+secret+`\"){accessToken}}","x":"`+strings.Repeat("a", 5<<20)+`"}`)
	e.post("POST", "text/plain", `{"query":"{accessToken(userPoolId:\"x\",secret:\"`+secret+`\"){accessToken}}"}`)
	e.post("PUT", "application/json", `{"query":"{accessToken(userPoolId:\"x\",secret:\"`+secret+`\"){accessToken}}"}`)
	e.doAs("", `query($s: String!) { accessToken(userPoolId: "nope", secret: $s) { accessToken } }`, map[string]any{"s": secret})
	e.doAs(token, `{ users { totalCount } }`, nil)
	e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, map[string]any{"u": map[string]any{"email": "bad", "password": password}})
	e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, map[string]any{"u": map[string]any{"username": "p", "password": password, "gender": "X"}})
	e.do(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`, map[string]any{"u": []any{map[string]any{"username": "q", "password": password, "status": secret}}})
	e.do(`query($t: String!) { checkLoginStatus(token: $t) { code } }`, map[string]any{"t": token})
	e.do(`{ users(filter: {status: [`+secret+`]}) { totalCount } }`, nil)
	get := httptest.NewRequest(http.MethodGet, "/graphql?query=%7B&variables="+secret, nil)
	e.h.ServeHTTP(httptest.NewRecorder(), get)
	if log.Len() == 0 {
		t.Fatal("nothing was logged: the test would prove nothing")
	}
	for _, s := range []string{secret, password, "SECRET-TOKEN", "aaaaaaaaaa"} {
		if strings.Contains(log.String(), s) {
			t.Errorf("the log holds %q:\n%s", s, log.String())
		}
	}
}

// TestCORSOnlyWhenConfigured checks no origin is allowed unless one is
// configured, and that "*" (explicit) never comes with credentials.
func TestCORSOnlyWhenConfigured(t *testing.T) {
	ask := func(e *env, method string) http.Header {
		req := httptest.NewRequest(method, "/graphql", strings.NewReader(`{"query":"{ users { totalCount } }"}`))
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Content-Type", "application/json")
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec.Header()
	}
	none := newEnvWith(t, func(o *httpapi.Options) { o.CORSOrigins = nil })
	for _, m := range []string{http.MethodOptions, http.MethodPost} {
		if h := ask(none, m); h.Get("Access-Control-Allow-Origin") != "" || h.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("no origins configured, %s from evil.example: %v", m, h)
		}
	}
	any := newEnvWith(t, func(o *httpapi.Options) { o.CORSOrigins = []string{"*"} })
	for _, m := range []string{http.MethodOptions, http.MethodPost} {
		if h := ask(any, m); h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf(`"*" configured, %s: %v`, m, h)
		}
	}
}

// TestSecretGuessingIsThrottled checks failed accessToken attempts are
// limited per client address and per pool, that the right secret still
// gets a token while limited, and that aliases cannot multiply attempts.
func TestSecretGuessingIsThrottled(t *testing.T) {
	e := newEnvWith(t, func(o *httpapi.Options) {
		o.Throttle = auth.Throttle{PerClient: 3, ClientEvery: time.Hour, PerPool: 5, PoolEvery: time.Hour}
	})
	attempt := e.attemptFrom
	for range 3 {
		attempt("198.51.100.1", "wrong").wantErr("UNAUTHENTICATED", "")
	}
	limited := attempt("198.51.100.1", "wrong")
	limited.wantErr("RATE_LIMITED", "")
	if ra, _ := limited.Errors[0].Extensions["retryAfter"].(float64); ra < 1 {
		t.Errorf("no retryAfter: %+v", limited.Errors[0])
	}
	attempt("198.51.100.1", e.secret).ok(nil) // the right secret is never refused
	// Another address may still guess, until the pool's own bound.
	attempt("198.51.100.2", "wrong").wantErr("UNAUTHENTICATED", "")
	attempt("198.51.100.3", "wrong").wantErr("UNAUTHENTICATED", "")
	attempt("198.51.100.4", "wrong").wantErr("RATE_LIMITED", "")
	attempt("198.51.100.4", e.secret).ok(nil)

	// A flood of wrong secrets from many addresses, concurrent with the
	// owner's requests: the owner gets a token every time.
	flood := newEnv(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range 12 {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				addr := fmt.Sprintf("203.0.113.%d", i+1)
				if c := flood.attemptFrom(addr, "wrong"+fmt.Sprint(n)).code(); c != "UNAUTHENTICATED" && c != "RATE_LIMITED" {
					t.Errorf("wrong secret: %s", c)
					return
				}
			}
		})
	}
	for range 40 {
		flood.attemptFrom("198.51.100.99", flood.secret).ok(nil)
	}
	close(stop)
	wg.Wait()
	// One operation asks for one token at most.
	fresh := newEnv(t)
	fresh.doAs("", `{ a: accessToken(userPoolId: "x", secret: "1") { accessToken } b: accessToken(userPoolId: "x", secret: "2") { accessToken } }`, nil).
		wantErr("COMPLEXITY_LIMIT_EXCEEDED", "")
}

// attemptFrom asks for an admin token with secret from a client address.
func (e *env) attemptFrom(addr, secret string) *result {
	body := fmt.Sprintf(`{"query":"query($s: String!) { accessToken(userPoolId: \"%s\", secret: $s) { accessToken } }","variables":{"s":%q}}`, e.poolID, secret)
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = addr + ":4000"
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	r := &result{t: e.t, Status: rec.Code}
	if err := jsonDecode(rec.Body.Bytes(), r); err != nil {
		e.t.Error(err)
	}
	return r
}

// TestAdminTokensCanBeRevoked checks a token for a pool that does not
// exist is refused, and that rotating a pool's secret revokes the tokens
// minted from the old one.
func TestAdminTokensCanBeRevoked(t *testing.T) {
	e := newEnv(t)
	ghost, _ := e.signer.AdminToken("no-such-pool", 0)
	e.doAs(ghost.Token, `{ users { totalCount } }`, nil).wantErr("UNAUTHENTICATED", "")

	var rotated struct {
		RotatePoolSecret struct{ UserPoolID, Secret string }
	}
	e.do(`mutation { rotatePoolSecret { userPoolId secret } }`, nil).ok(&rotated)
	if rotated.RotatePoolSecret.UserPoolID != e.poolID || len(rotated.RotatePoolSecret.Secret) < 32 {
		t.Fatalf("rotation: %+v", rotated)
	}
	e.do(`{ users { totalCount } }`, nil).wantErr("UNAUTHENTICATED", "")
	e.doAs("", `query($p: ID!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { accessToken } }`,
		map[string]any{"p": e.poolID, "s": e.secret}).wantErr("UNAUTHENTICATED", "")
	var fresh struct{ AccessToken struct{ AccessToken string } }
	e.doAs("", `query($p: ID!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { accessToken } }`,
		map[string]any{"p": e.poolID, "s": rotated.RotatePoolSecret.Secret}).ok(&fresh)
	e.doAs(fresh.AccessToken.AccessToken, `{ users { totalCount } }`, nil).ok(nil)

	// Another replica (its own handler over the same database) sees the
	// rotation once its look at the pool is older than its TTL.
	other := httpapi.NewHandler(httpapi.Options{Store: e.store, Signer: e.signer, Logger: slog.New(slog.DiscardHandler), PoolCheckTTL: time.Millisecond})
	e2 := *e
	e2.h = other
	e2.do(`{ users { totalCount } }`, nil).wantErr("UNAUTHENTICATED", "")
	e2.doAs(fresh.AccessToken.AccessToken, `{ users { totalCount } }`, nil).ok(nil)
}

// TestInputRulesThroughTheAPI checks the input rules on the write paths
// a client reaches: free text, identifiers, custom values.
func TestInputRulesThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	create := `mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`
	e.do(create, map[string]any{"u": map[string]any{"username": "a", "nickname": "x\x00y"}}).wantErr("INVALID_INPUT", "userInfo.nickname")
	e.do(create, map[string]any{"u": map[string]any{"username": "admin\u200b"}}).wantErr("INVALID_INPUT", "userInfo.username")
	e.do(create, map[string]any{"u": map[string]any{"email": "a@b.com'--"}}).wantErr("INVALID_INPUT", "userInfo.email")
	e.do(`mutation { createGroup(code: "g", name: "a\u0000b") { code } }`, nil).wantErr("INVALID_INPUT", "name")
	id := e.createUser(map[string]any{"username": "b"})
	e.do(`mutation { setUdf(targetType: USER, key: "note", dataType: STRING) { key } a: setUdf(targetType: USER, key: "meta", dataType: OBJECT) { key } }`, nil).ok(nil)
	set := `mutation($u: ID!, $d: JSON!) { setUdfValue(userId: $u, data: $d) }`
	e.do(set, map[string]any{"u": id, "d": map[string]any{"note": "a\x00"}}).wantErr("INVALID_INPUT", "data.note")
	var deep any = "x"
	for range 5000 {
		deep = map[string]any{"k": deep}
	}
	e.do(set, map[string]any{"u": id, "d": map[string]any{"meta": deep}}).wantErr("INVALID_INPUT", "data.meta")
	// A record's custom data is bounded as a whole, so its size is known
	// when a query is priced.
	half := map[string]any{"blob": strings.Repeat("x", 9<<10)}
	e.do(`mutation { setUdf(targetType: USER, key: "meta2", dataType: OBJECT) { key } }`, nil).ok(nil)
	e.do(set, map[string]any{"u": id, "d": map[string]any{"meta": half}}).ok(nil)
	e.do(set, map[string]any{"u": id, "d": map[string]any{"meta2": half}}).wantErr("INVALID_INPUT", "data")
	if n := e.rows("user_udf_values"); n != 1 {
		t.Errorf("%d values stored, want the first alone", n)
	}
}

// TestRequestDeadlineReachesTheTransaction checks a write that cannot
// finish before the request's deadline answers CANCELLED and leaves
// nothing behind: the deadline reaches password hashing and the
// transaction.
func TestRequestDeadlineReachesTheTransaction(t *testing.T) {
	e := newEnvWith(t, func(o *httpapi.Options) { o.Limits.RequestTimeout = 30 * time.Millisecond })
	users := make([]any, 40)
	for i := range users {
		users[i] = map[string]any{"username": fmt.Sprintf("slow%d", i), "password": "a-long-password"}
	}
	e.do(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`, map[string]any{"u": users}).wantErr("CANCELLED", "")
	if n := e.rows("users"); n != 0 {
		t.Errorf("%d users were created after the deadline", n)
	}
}

// TestMemberPagesReadOnlySelectedColumns checks a page of members reads
// the columns its selected fields need, not whole user rows: a page of ids
// must not cost what a page of profiles does.
func TestMemberPagesReadOnlySelectedColumns(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "m", "nickname": "Nick"})
	e.do(`mutation($u: [ID!]!) { createGroup(code: "g") { code } addGroupMembers(code: "g", userIds: $u) { code } }`, map[string]any{"u": []string{id}}).ok(nil)
	e.stmts.Reset()
	e.do(`{ groups { list { users { list { id username } } } } }`, nil).ok(nil)
	var page string
	for _, s := range e.stmts.Statements() {
		if strings.Contains(s, "member_since") {
			page = s
		}
	}
	if page == "" || strings.Contains(page, "u.*") || strings.Contains(page, "nickname") || !strings.Contains(page, "u.username") {
		t.Errorf("member page statement: %s", page)
	}
}

// TestUserByIDReadsOnlySelectedColumns checks a user looked up by id reads
// the columns its selected fields need, however the query spells them
// (fragments, aliases): never the password hash, and not a column no
// selected field needs.
func TestUserByIDReadsOnlySelectedColumns(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "c", "nickname": "Nick", "password": "a-long-password"})
	for _, q := range []string{
		`query($id: ID!) { user(id: $id) { id username blocked } }`,
		`query($id: ID!) { user(id: $id) { ...f } } fragment f on User { id username blocked }`,
	} {
		e.stmts.Reset()
		var out struct{ User struct{ Username string } }
		e.do(q, map[string]any{"id": id}).ok(&out)
		var read string
		for _, s := range e.stmts.Statements() {
			if s = strings.NewReplacer("`", "", `"`, "").Replace(s); strings.Contains(s, "FROM users WHERE") {
				read = s
			}
		}
		if out.User.Username != "c" || read == "" || strings.Contains(read, "*") || strings.Contains(read, "password_hash") ||
			strings.Contains(read, "nickname") || !strings.Contains(read, "status") {
			t.Errorf("%s: read %q, answer %+v", q, read, out)
		}
	}
	// The columns of a selection are kept per document only when no
	// directive can change it: the same text asks for more the second time.
	for _, withNick := range []bool{false, true} {
		var out struct{ User struct{ Nickname *string } }
		e.do(`query($id: ID!, $n: Boolean!) { user(id: $id) { id nickname @include(if: $n) } }`, map[string]any{"id": id, "n": withNick}).ok(&out)
		if got := out.User.Nickname != nil && *out.User.Nickname == "Nick"; got != withNick {
			t.Errorf("@include(if: %v): nickname %v", withNick, out.User.Nickname)
		}
	}
}

// TestCountOnlyWhenAsked checks a listing counts its matches only when the
// query reads the count: a page without totalCount is one statement.
func TestCountOnlyWhenAsked(t *testing.T) {
	e := newEnv(t)
	for i := range 12 {
		e.createUser(map[string]any{"username": fmt.Sprintf("counted%02d", i)})
	}
	for _, c := range []struct {
		query string
		want  int64
	}{
		{`{ users(limit: 5) { list { id } } }`, 1},
		{`{ users(limit: 5) { totalCount list { id } } }`, 2},
		{`{ users(limit: 5) { ...withCount } } fragment withCount on UserList { totalCountExact list { id } }`, 2},
		{`{ searchUsers(query: "counted", limit: 5) { list { id } } }`, 1},
	} {
		e.stmts.Reset()
		e.do(c.query, nil).ok(nil)
		if n := e.stmts.Count(); n != c.want {
			t.Errorf("%s: %d statements, want %d", c.query, n, c.want)
		}
	}
	var out struct{ Users struct{ TotalCount int } }
	e.do(`{ users(limit: 5) { totalCount } }`, nil).ok(&out)
	if out.Users.TotalCount != 12 {
		t.Errorf("totalCount %d, want 12", out.Users.TotalCount)
	}
}

// TestCreateUserStatementBudget pins what creating a plain user costs: the
// insert, on SQLite its one search-index row (nothing to remove first), and
// its audit record (numbered in the change stream by the same statement).
func TestCreateUserStatementBudget(t *testing.T) {
	e := newEnv(t)
	e.createUser(map[string]any{"username": "warm"})
	e.stmts.Reset()
	e.createUser(map[string]any{"username": "budget", "email": "budget@example.com"})
	if n := e.stmts.Count(); n > 3 {
		t.Errorf("createUser ran %d statements, want at most 3:\n%s", n, strings.Join(e.stmts.Statements(), "\n"))
	}
}

// TestNestedPageBudget catches regressions in the headline query's cost:
// a page of 50 users with their roles and groups, as the bench harness
// asks it, runs 3 statements (page, roles, groups), reads only the
// columns it selects, and stays under an allocation budget however it is
// spelt (about 3,550 a request today with the test's own request and
// decoding, 3,850 for the client's ListUsers, on either engine, through
// the planned executor (graph/plan); 19,000 to 21,000 through gqlgen's
// executor, so a query silently served by gqlgen's fails the test).
func TestNestedPageBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 60 users")
	}
	e := newEnv(t)
	seedMembershipsIn(t, e, 60, 5)
	vars := map[string]any{"page": 1}
	e.do(harnessPage, vars).ok(nil) // warm: the token's pool is looked up once
	e.stmts.Reset()
	e.do(harnessPage, vars).ok(nil)
	stmts := e.stmts.Statements()
	if len(stmts) != 3 {
		t.Errorf("%d statements, want 3:\n%s", len(stmts), strings.Join(stmts, "\n"))
	}
	for _, s := range stmts {
		if strings.Contains(s, "FROM `users`") || strings.Contains(s, `FROM "users"`) {
			if strings.Contains(s, "*") || strings.Contains(s, "nickname") {
				t.Errorf("the page reads columns it was not asked for: %s", s)
			}
		}
		// The roles and groups of the page: their codes, not whole rows.
		if strings.Contains(s, "p.*") || strings.Contains(s, "r.*") || strings.Contains(s, "description") {
			t.Errorf("the page's roles or groups read columns it was not asked for: %s", s)
		}
	}
	// Whatever the query's spelling: the same page with a fragment, with
	// aliases and __typename, and as the TypeScript client asks for it
	// (counted, sorted, with names and namespaces).
	for _, q := range []string{harnessPage, harnessPageFragment, harnessPageAliases} {
		allocs := testing.AllocsPerRun(20, func() { e.do(q, vars) })
		t.Logf("%.0f allocations a request: %.60s", allocs, q)
		if allocs > nestedPageAllocBudget {
			t.Errorf("the nested page allocates %.0f times a request, over its budget of %d: %s", allocs, nestedPageAllocBudget, q)
		}
	}
	allocs := testing.AllocsPerRun(20, func() { e.do(clientListUsers, map[string]any{"page": 1, "limit": 50}) })
	t.Logf("%.0f allocations a request: the client's ListUsers", allocs)
	if allocs > nestedPageAllocBudget {
		t.Errorf("the client's ListUsers allocates %.0f times a request, over its budget of %d", allocs, nestedPageAllocBudget)
	}
}

const nestedPageAllocBudget = 4_500

// TestCustomDataSizeOnCreate checks the 16 KB bound holds when a user is
// created with custom data, as when it is set later.
func TestCustomDataSizeOnCreate(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { a: setUdf(targetType: USER, key: "a", dataType: STRING) { key } b: setUdf(targetType: USER, key: "b", dataType: STRING) { key } }`, nil).ok(nil)
	half := strings.Repeat("x", 9<<10)
	create := `mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`
	e.do(create, map[string]any{"u": map[string]any{"username": "big", "customData": map[string]any{"a": half, "b": half}}}).wantErr("INVALID_INPUT", "userInfo.customData")
	e.do(create, map[string]any{"u": map[string]any{"username": "fits", "customData": map[string]any{"a": half}}}).ok(nil)
	if n := e.rows("users"); n != 1 {
		t.Errorf("%d users, want only the one that fits", n)
	}
}

// TestIntrospectionCanBeTurnedOff: with -introspection=false, __schema and
// __type are refused with a client code, and ordinary queries still run.
func TestIntrospectionCanBeTurnedOff(t *testing.T) {
	e := newEnvWith(t, func(o *httpapi.Options) { o.Limits.NoIntrospection = true })
	for _, q := range []string{`{ __schema { queryType { name } } }`, `{ __type(name: "User") { name } }`, `{ users { totalCount } __schema { types { name } } }`} {
		r := e.do(q, nil)
		if r.code() == "" || r.code() == "INTERNAL" {
			t.Errorf("%s: %s %+v, want a client code", q, r.code(), r.Errors)
		}
	}
	e.do(`{ users { totalCount } }`, nil).ok(nil)
	e.do(`{ users { list { __typename } } }`, nil).ok(nil) // __typename is not introspection
	on := newEnv(t)
	on.do(`{ __schema { queryType { name } } }`, nil).ok(nil)
}

// TestRequestIDs: every request gets an id — the client's X-Request-Id
// when it is a plausible one, else a new one — echoed in the response and
// written, with the path, in the access log line.
func TestRequestIDs(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	e := newEnvWith(t, func(o *httpapi.Options) {
		o.AccessLog = slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, nil))
	})
	send := func(id string) string {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ users { totalCount } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.token)
		if id != "" {
			req.Header.Set("X-Request-Id", id)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec.Header().Get("X-Request-Id")
	}
	if got := send("trace-42.a:b"); got != "trace-42.a:b" {
		t.Errorf("the client's id came back as %q", got)
	}
	generated := send("")
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(generated) || generated == send("") {
		t.Errorf("generated ids: %q", generated)
	}
	for _, bad := range []string{strings.Repeat("x", 129), "two words", "line\"break"} {
		if got := send(bad); got == bad || len(got) != 32 {
			t.Errorf("a bad id %q was kept or badly replaced: %q", bad, got)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var line struct {
		RequestID string `json:"request_id"`
		Path      string
	}
	if err := json.Unmarshal(bytes.SplitN(logs.Bytes(), []byte("\n"), 2)[0], &line); err != nil || line.RequestID != "trace-42.a:b" || line.Path != "/graphql" {
		t.Errorf("access log line: %+v (%v) in %s", line, err, logs.String())
	}
}

// lockedWriter serializes writes to a buffer the handler's goroutines share.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
