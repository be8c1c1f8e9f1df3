package authingv3_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"usergraph/internal/authing"
	"usergraph/internal/authingv3"
	"usergraph/internal/dbtest"
	"usergraph/internal/graphtest"
	"usergraph/internal/httpapi"
)

// env is a server with the native API, the V2 dialect and /api/v3, on a
// clock the test may move.
type env struct {
	t      testing.TB
	s      *graphtest.Server
	skew   atomic.Int64
	keyID  string
	secret string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{t: t}
	e.s = graphtest.New(t, func(o *httpapi.Options) {
		keys, err := authing.LoadKeys(context.Background(), o.Store)
		if err != nil {
			t.Fatal(err)
		}
		o.Dialects = []httpapi.Dialect{&authing.Dialect{Keys: keys},
			&authingv3.Dialect{Now: func() time.Time { return time.Now().Add(time.Duration(e.skew.Load())) }}}
	})
	e.keyID, e.secret = e.s.PoolID, e.s.Secret
	return e
}

// v3resp is a decoded V3 answer.
type v3resp struct {
	HTTP       int             `json:"-"`
	StatusCode int             `json:"statusCode"`
	Message    string          `json:"message"`
	APICode    int             `json:"apiCode"`
	RequestID  string          `json:"requestId"`
	ErrorCode  string          `json:"errorCode"`
	Field      string          `json:"field"`
	Data       json.RawMessage `json:"data"`
}

// request is one signed call, as authing-node-sdk makes it; tamper, when
// set, changes it after signing.
type request struct {
	method, path  string
	query         url.Values
	body          any
	keyID, secret string
	date          time.Time
	nonce         string
	tamper        func(*http.Request, *[]byte)
}

func (e *env) call(r request) v3resp {
	e.t.Helper()
	if r.keyID == "" {
		r.keyID, r.secret = e.keyID, e.secret
	}
	if r.date.IsZero() {
		r.date = time.Now()
	}
	if r.nonce == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		r.nonce = hex.EncodeToString(b)
	}
	var body []byte
	target := r.path
	var pairs []string
	if r.method == http.MethodGet {
		if len(r.query) > 0 {
			target += "?" + r.query.Encode()
		}
		for k, vs := range r.query {
			if name, ok := strings.CutSuffix(k, "[]"); ok {
				j, _ := json.Marshal(vs)
				pairs = append(pairs, name+"="+string(j))
			} else {
				pairs = append(pairs, k+"="+vs[0])
			}
		}
	} else {
		body, _ = json.Marshal(r.body)
		var top map[string]json.RawMessage
		_ = json.Unmarshal(body, &top)
		for k, v := range top {
			val := string(v)
			var s string
			if json.Unmarshal(v, &s) == nil {
				val = s
			}
			pairs = append(pairs, k+"="+val)
		}
	}
	sort.Strings(pairs)
	date := r.date.UTC().Format(http.TimeFormat)
	headers := map[string]string{"date": date, "x-authing-lang": "zh-CN", "x-authing-sdk-version": "authing-node-sdk:4.0.1",
		"x-authing-signature-method": "HMAC-SHA1", "x-authing-signature-nonce": r.nonce, "x-authing-signature-version": "1.0"}
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	var sts strings.Builder
	sts.WriteString(r.method + "\n")
	for _, n := range names {
		sts.WriteString(n + ":" + headers[n] + "\n")
	}
	sts.WriteString(r.path)
	if len(pairs) > 0 {
		sts.WriteString("?" + strings.Join(pairs, "&"))
	}
	m := hmac.New(sha1.New, []byte(r.secret))
	m.Write([]byte(sts.String()))
	req := httptest.NewRequest(r.method, target, bytes.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "authing "+r.keyID+":"+base64.StdEncoding.EncodeToString(m.Sum(nil)))
	if r.tamper != nil {
		r.tamper(req, &body)
		req.Body = httpNopBody(body)
	}
	rec := httptest.NewRecorder()
	e.s.Handler.ServeHTTP(rec, req)
	var out v3resp
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		e.t.Fatalf("%s %s: not a V3 envelope: %d %s", r.method, r.path, rec.Code, rec.Body.String())
	}
	out.HTTP = rec.Code
	return out
}

func httpNopBody(b []byte) *nopBody { return &nopBody{bytes.NewReader(b)} }

type nopBody struct{ *bytes.Reader }

func (nopBody) Close() error { return nil }

func (r v3resp) ok(t testing.TB, v any) v3resp {
	t.Helper()
	if r.HTTP != 200 || r.StatusCode != 200 {
		t.Fatalf("want success, got HTTP %d %+v %s", r.HTTP, r, r.Data)
	}
	if v != nil {
		if err := json.Unmarshal(r.Data, v); err != nil {
			t.Fatalf("data %s: %v", r.Data, err)
		}
	}
	return r
}

func (r v3resp) want(t testing.TB, httpStatus, statusCode int, code, field string) {
	t.Helper()
	if r.HTTP != httpStatus || r.StatusCode != statusCode || r.ErrorCode != code || r.Field != field || r.RequestID == "" || r.APICode == 0 {
		t.Fatalf("want HTTP %d statusCode %d %s on %q, got HTTP %d %+v", httpStatus, statusCode, code, field, r.HTTP, r)
	}
}

// TestSignatures: a request is accepted only when signed with its access
// key's secret, fresh (date within 15 minutes, nonce unused) and unchanged
// since it was signed; every refusal is HTTP 401 (the SDK throws) and
// changes nothing.
func TestSignatures(t *testing.T) {
	e := newEnv(t)
	create := func(r request) v3resp {
		r.method, r.path = "POST", "/api/v3/create-user"
		if r.body == nil {
			r.body = map[string]any{"username": "someone-" + fmt.Sprint(time.Now().UnixNano()), "customData": map[string]any{}}
		}
		return e.call(r)
	}
	create(request{}).ok(t, nil)
	create(request{secret: "not-the-secret", keyID: e.keyID}).want(t, 401, 401, "UNAUTHENTICATED", "")
	create(request{keyID: "no-such-pool", secret: e.secret}).want(t, 401, 401, "UNAUTHENTICATED", "")
	create(request{date: time.Now().Add(-20 * time.Minute)}).want(t, 401, 401, "UNAUTHENTICATED", "")
	create(request{date: time.Now().Add(20 * time.Minute)}).want(t, 401, 401, "UNAUTHENTICATED", "")
	create(request{tamper: func(_ *http.Request, b *[]byte) { *b = bytes.Replace(*b, []byte("someone"), []byte("someone-else"), 1) }}).
		want(t, 401, 401, "UNAUTHENTICATED", "")
	create(request{tamper: func(r *http.Request, _ *[]byte) { r.Header.Del("Date") }}).want(t, 401, 401, "UNAUTHENTICATED", "")
	create(request{tamper: func(r *http.Request, _ *[]byte) { r.Header.Set("Authorization", "Bearer x") }}).want(t, 401, 401, "UNAUTHENTICATED", "")
	// A replay: the same request, nonce and all, a second time.
	replay := request{nonce: "0123456789abcdef0123456789abcdef", body: map[string]any{"username": "replayed"}}
	create(replay).ok(t, nil)
	create(replay).want(t, 401, 401, "UNAUTHENTICATED", "")
	// Nothing the refused requests carried was written.
	var n struct{ TotalCount int }
	e.call(request{method: "POST", path: "/api/v3/list-users", body: map[string]any{"keywords": "someone-else"}}).ok(t, &n)
	if n.TotalCount != 0 {
		t.Errorf("a tampered request created a user")
	}
	// GET: arrays as k[]=v, as the SDK sends them.
	var u struct{ UserID string }
	create(request{body: map[string]any{"username": "getme"}}).ok(t, &u)
	var batch []struct{ UserID, Username string }
	e.call(request{method: "GET", path: "/api/v3/get-user-batch", query: url.Values{"userIds[]": {u.UserID, "nobody"}, "userIdType": {"user_id"}}}).ok(t, &batch)
	if len(batch) != 1 || batch[0].Username != "getme" {
		t.Errorf("get-user-batch: %+v", batch)
	}
}

// TestUpdateUserBatchAsReference003: the document's own list item and
// options update the user; a batch with one bad item changes nothing.
func TestUpdateUserBatchAsReference003(t *testing.T) {
	e := newEnv(t)
	var a, b struct{ UserID string }
	e.call(request{method: "POST", path: "/api/v3/create-user", body: map[string]any{"username": "bob-old", "email": "old@example.com"}}).ok(t, &a)
	e.call(request{method: "POST", path: "/api/v3/create-user", body: map[string]any{"username": "carol"}}).ok(t, &b)
	item := map[string]any{"userId": a.UserID, "status": "Activated", "email": "test@example.com", "username": "bob", "name": "xxxx",
		"nickname": "xxxx", "password": "passw0rd", "photo": "https://files.authing.co/authing-console/default-user-avatar.png", "gender": "M",
		"birthdate": "2022-06-03", "country": "CN", "province": "BJ", "city": "BJ", "address": "xxxxxxx", "streetAddress": "xxx street",
		"postalCode": "438100", "company": "steamory", "browser": "Mozilla/5.0", "device": "iOS", "givenName": "xx", "familyName": "xx",
		"middleName": "James", "profile": "alice", "preferredUsername": "alice", "website": "https://my-website.com", "zoneinfo": "GMT-08:00",
		"locale": "af", "formatted": "132, My Street, Kingston, New York 12401.", "region": "Xinjiang Uyghur Autonomous Region"}
	options := map[string]any{"autoGeneratePassword": false, "resetPasswordOnNextLogin": true, "passwordEncryptType": "none"}
	// One bad item (an email taken by the first): nothing is written.
	bad := e.call(request{method: "POST", path: "/api/v3/update-user-batch", body: map[string]any{"list": []any{item,
		map[string]any{"userId": b.UserID, "email": "test@example.com"}}, "options": options}})
	if bad.HTTP != 200 || bad.StatusCode == 200 || !strings.HasPrefix(bad.Field, "list.1") {
		t.Fatalf("a batch with a conflicting item: %+v", bad)
	}
	var still struct{ Username string }
	e.call(request{method: "GET", path: "/api/v3/get-user", query: url.Values{"userId": {a.UserID}}}).ok(t, &still)
	if still.Username != "bob-old" {
		t.Fatalf("a refused batch changed the first item: %+v", still)
	}
	var updated []map[string]any
	e.call(request{method: "POST", path: "/api/v3/update-user-batch", body: map[string]any{"list": []any{item}, "options": options}}).ok(t, &updated)
	if len(updated) != 1 || updated[0]["username"] != "bob" || updated[0]["email"] != "test@example.com" || updated[0]["workStatus"] != "Active" ||
		updated[0]["region"] != "Xinjiang Uyghur Autonomous Region" || updated[0]["resetPasswordOnNextLogin"] != true || updated[0]["password"] != nil {
		t.Fatalf("updated: %+v", updated)
	}
	// The item's metadata (003's UpdateUserInfoDto) is kept.
	var withMeta []map[string]any
	e.call(request{method: "POST", path: "/api/v3/update-user-batch", body: map[string]any{"list": []any{map[string]any{"userId": a.UserID, "metadata": map[string]any{"x": 1}}}}}).ok(t, &withMeta)
	if m, _ := withMeta[0]["metadata"].(map[string]any); m["x"] != float64(1) {
		t.Errorf("metadata: %+v", withMeta[0]["metadata"])
	}
	// Unmodelled fields are refused on their field, never dropped.
	e.call(request{method: "POST", path: "/api/v3/update-user-batch", body: map[string]any{"list": []any{map[string]any{"userId": a.UserID, "salt": "x"}}}}).
		want(t, 200, 400, "INVALID_INPUT", "list.0.salt")
}

// TestKeysPoolsAndSurfaces: an API key signs with its scopes; a pool's key
// never reaches another pool; a user made through V3 is the one V2 and
// GraphQL see, and the reverse; the envelope carries the native code.
func TestKeysPoolsAndSurfaces(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	k, key, err := e.s.Store.CreateAPIKey(ctx, e.s.PoolID, "reader", []string{"users:read"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = k
	id, sec, _ := strings.Cut(strings.TrimPrefix(key, "ugk_"), ".")
	reader := request{keyID: "ugk_" + id, secret: sec}
	r := reader
	r.method, r.path, r.body = "POST", "/api/v3/list-users", map[string]any{}
	e.call(r).ok(t, nil)
	r.path, r.body = "/api/v3/create-user", map[string]any{"username": "nope"}
	e.call(r).want(t, 200, 403, "FORBIDDEN", "")

	var made struct{ UserID string }
	e.call(request{method: "POST", path: "/api/v3/create-user", body: map[string]any{"username": "v3-made", "email": "v3@example.com"}}).ok(t, &made)
	// GraphQL sees it.
	tok, _ := e.s.Signer.AdminToken(e.s.PoolID, 0)
	body, _ := json.Marshal(map[string]any{"query": `query($id: ID!) { user(id: $id) { username } }`, "variables": map[string]any{"id": made.UserID}})
	req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	rec := httptest.NewRecorder()
	e.s.Handler.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), `"v3-made"`) {
		t.Errorf("GraphQL does not see the V3 user: %s", rec.Body.String())
	}
	// V2 (its REST user detail) sees it.
	req = httptest.NewRequest("GET", "/api/v2/users/"+made.UserID, nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	rec = httptest.NewRecorder()
	e.s.Handler.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), `"v3-made"`) {
		t.Errorf("V2 does not see the V3 user: %s", rec.Body.String())
	}
	// The reverse: a user made through GraphQL, read through V3.
	body, _ = json.Marshal(map[string]any{"query": `mutation { createUser(userInfo: {username: "native-made"}) { id } }`})
	req = httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	rec = httptest.NewRecorder()
	e.s.Handler.ServeHTTP(rec, req)
	var native struct {
		Data struct{ CreateUser struct{ ID string } }
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &native)
	var got struct{ Username string }
	e.call(request{method: "GET", path: "/api/v3/get-user", query: url.Values{"userId": {"native-made"}, "userIdType": {"username"}}}).ok(t, &got)
	if got.Username != "native-made" {
		t.Errorf("V3 reads %+v", got)
	}

	// A user made through V2's GraphQL is V3's too.
	body, _ = json.Marshal(map[string]any{"query": `mutation { createUser(userInfo: {username: "v2-made"}) { id } }`})
	req = httptest.NewRequest("POST", "/graphql/v2", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	rec = httptest.NewRecorder()
	e.s.Handler.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), `"id"`) {
		t.Fatalf("V2 createUser: %s", rec.Body.String())
	}
	e.call(request{method: "GET", path: "/api/v3/get-user", query: url.Values{"userId": {"v2-made"}, "userIdType": {"username"}}}).ok(t, &got)
	if got.Username != "v2-made" {
		t.Errorf("V3 reads the V2 user as %+v", got)
	}

	// Another pool's key: its own pool only.
	other, otherSecret, err := e.s.Store.CreatePool(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}
	o := request{keyID: other.ID, secret: otherSecret, method: "GET", path: "/api/v3/get-user", query: url.Values{"userId": {made.UserID}}}
	e.call(o).want(t, 200, 404, "NOT_FOUND", "userId")
	o.method, o.path, o.query, o.body = "POST", "/api/v3/list-users", nil, map[string]any{}
	var list struct {
		TotalCount int
	}
	e.call(o).ok(t, &list)
	if list.TotalCount != 0 {
		t.Errorf("another pool lists %d users", list.TotalCount)
	}
	o.path, o.body = "/api/v3/delete-users-batch", map[string]any{"userIds": []string{made.UserID}}
	e.call(o).want(t, 200, 404, "NOT_FOUND", "userIds.0")
	// …and through V2, another pool's token does not see the V3 user.
	otherTok, _ := e.s.Signer.AdminToken(other.ID, 0)
	req = httptest.NewRequest("GET", "/api/v2/users/"+made.UserID, nil)
	req.Header.Set("Authorization", "Bearer "+otherTok.Token)
	rec = httptest.NewRecorder()
	e.s.Handler.ServeHTTP(rec, req)
	if strings.Contains(rec.Body.String(), "v3-made") || !strings.Contains(rec.Body.String(), `"code":404`) {
		t.Errorf("another pool's V2 token reads the V3 user: %s", rec.Body.String())
	}
	e.call(request{method: "GET", path: "/api/v3/get-user", query: url.Values{"userId": {made.UserID}}}).ok(t, nil)

	// A pool whose secret predates sealing signs nothing until rotated.
	if err := dbtest.Raw(t, e.s.DB).Exec("UPDATE user_pools SET sealed_secret = NULL WHERE id = ?", other.ID).Error; err != nil {
		t.Fatal(err)
	}
	e.call(o).want(t, 401, 401, "UNAUTHENTICATED", "")
	newSecret, err := e.s.Store.RotatePoolSecret(ctx, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	o.secret, o.path, o.body = newSecret, "/api/v3/list-users", map[string]any{}
	e.call(o).ok(t, nil)

	// Envelope of an unknown method, and of a method usergraph refuses.
	e.call(request{method: "GET", path: "/api/v3/no-such-method"}).want(t, 200, 404, "NOT_FOUND", "")
	e.call(request{method: "POST", path: "/api/v3/check-permission", body: map[string]any{"userId": "x"}}).want(t, 200, 400, "INVALID_INPUT", "")
}

// TestListUsers: keywords, advanced filters, pagination bounds, sort.
func TestListUsers(t *testing.T) {
	e := newEnv(t)
	e.call(request{method: "POST", path: "/api/v3/set-custom-fields", body: map[string]any{"list": []any{
		map[string]any{"targetType": "USER", "key": "school", "dataType": "STRING", "label": "School"}}}}).ok(t, nil)
	for i, u := range []map[string]any{{"username": "alice", "customData": map[string]any{"school": "MIT"}},
		{"username": "alina", "status": "Suspended"}, {"username": "bob", "customData": map[string]any{"school": "MIT"}}} {
		e.call(request{method: "POST", path: "/api/v3/create-user", body: u}).ok(t, nil)
		_ = i
	}
	count := func(body map[string]any) int {
		var p struct{ TotalCount int }
		e.call(request{method: "POST", path: "/api/v3/list-users", body: body}).ok(t, &p)
		return p.TotalCount
	}
	for name, c := range map[string]struct {
		body map[string]any
		want int
	}{
		"all":               {map[string]any{}, 3},
		"keywords":          {map[string]any{"keywords": "ali"}, 2},
		"status":            {map[string]any{"advancedFilter": []any{map[string]any{"field": "status", "operator": "EQUAL", "value": "Suspended"}}}, 1},
		"custom field":      {map[string]any{"advancedFilter": []any{map[string]any{"field": "school", "operator": "EQUAL", "value": "MIT"}}}, 2},
		"custom + keywords": {map[string]any{"keywords": "ali", "advancedFilter": []any{map[string]any{"field": "school", "operator": "EQUAL", "value": "MIT"}}}, 1},
	} {
		if got := count(c.body); got != c.want {
			t.Errorf("%s: %d users, want %d", name, got, c.want)
		}
	}
	e.call(request{method: "POST", path: "/api/v3/list-users", body: map[string]any{"options": map[string]any{"pagination": map[string]any{"page": 1, "limit": 51}}}}).
		want(t, 200, 400, "INVALID_INPUT", "options.pagination.limit")
	e.call(request{method: "POST", path: "/api/v3/list-users", body: map[string]any{"advancedFilter": []any{map[string]any{"field": "status", "operator": "EQUAL", "value": "invalid"}}}}).
		want(t, 200, 400, "INVALID_INPUT", "advancedFilter.0.value")
	e.call(request{method: "POST", path: "/api/v3/list-users", body: map[string]any{"advancedFilter": []any{map[string]any{"field": "loginsCount", "operator": "GREATER", "value": 1}}}}).
		want(t, 200, 400, "INVALID_INPUT", "advancedFilter.0.field")
	var sorted struct{ List []struct{ Username string } }
	e.call(request{method: "POST", path: "/api/v3/list-users", body: map[string]any{"options": map[string]any{"sort": []any{map[string]any{"field": "username", "order": "asc"}}}}}).ok(t, &sorted)
	if len(sorted.List) != 3 || sorted.List[0].Username != "alice" || sorted.List[2].Username != "bob" {
		t.Errorf("sorted by username: %+v", sorted.List)
	}
}

// TestListUsersCostsConstantStatements: the SDK's hottest read, a page of
// listUsers, costs the same number of statements whatever the pool holds
// and whatever the page size: the signature's key look-up, the page, its
// count.
func TestListUsersCostsConstantStatements(t *testing.T) {
	e := newEnv(t)
	count := func(limit int) int64 {
		e.s.Statements.Reset()
		e.call(request{method: "POST", path: "/api/v3/list-users", body: map[string]any{"options": map[string]any{
			"pagination": map[string]any{"page": 1, "limit": limit}, "withCustomData": true}}}).ok(t, nil)
		return e.s.Statements.Count()
	}
	for i := 0; i < 30; i++ {
		e.call(request{method: "POST", path: "/api/v3/create-user", body: map[string]any{"username": fmt.Sprintf("u%02d", i)}}).ok(t, nil)
	}
	one, ten, fifty := count(1), count(10), count(50)
	if one != ten || ten != fifty {
		t.Errorf("statements for a page of 1, 10, 50: %d, %d, %d", one, ten, fifty)
	}
	t.Logf("listUsers costs %d statements a request (%v)", ten, e.s.Statements.Statements())

	// Users named by username cost one look-up, however many are named.
	byName := func(n int) int64 {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("u%02d", i)
		}
		e.s.Statements.Reset()
		var got []map[string]any
		e.call(request{method: "GET", path: "/api/v3/get-user-batch", query: url.Values{"userIds[]": names, "userIdType": {"username"}}}).ok(t, &got)
		if len(got) != n {
			t.Fatalf("get-user-batch by %d usernames: %d users", n, len(got))
		}
		return e.s.Statements.Count()
	}
	if two, twenty := byName(2), byName(20); two != twenty {
		t.Errorf("statements for 2 and 20 usernames: %d, %d", two, twenty)
	}
}

// TestWrongSignaturesAreThrottled: wrong signatures draw on the
// failed-secret throttle accessToken uses; past it they are RATE_LIMITED
// (HTTP 429), and a right signature is still accepted.
func TestWrongSignaturesAreThrottled(t *testing.T) {
	e := newEnv(t)
	list := request{method: "POST", path: "/api/v3/list-users", body: map[string]any{}}
	limited := false
	for i := 0; i < 30 && !limited; i++ {
		r := list
		r.keyID, r.secret = e.keyID, "wrong"
		got := e.call(r)
		switch got.ErrorCode {
		case "RATE_LIMITED":
			limited = got.HTTP == 429
		case "UNAUTHENTICATED":
		default:
			t.Fatalf("a wrong signature: %+v", got)
		}
	}
	if !limited {
		t.Fatal("30 wrong signatures from one address were never rate limited")
	}
	e.call(list).ok(t, nil)
}

// TestBatchesAreBounded: the V3 methods that are several native writes
// refuse more than 50 of them before writing anything.
func TestBatchesAreBounded(t *testing.T) {
	e := newEnv(t)
	resources := make([]any, 51)
	fields := make([]any, 51)
	groups := make([]any, 51)
	for i := range resources {
		resources[i] = map[string]any{"code": fmt.Sprint("r", i), "actions": []string{"*"}, "resourceType": "DATA"}
		fields[i] = map[string]any{"targetType": "USER", "key": fmt.Sprint("k", i)}
		groups[i] = map[string]any{"code": fmt.Sprint("g", i), "name": "g", "description": ""}
	}
	e.call(request{method: "POST", path: "/api/v3/authorize-resources", body: map[string]any{"list": []any{
		map[string]any{"targetType": "ROLE", "targetIdentifiers": []string{"x"}, "resources": resources}}}}).want(t, 200, 400, "INVALID_INPUT", "list")
	e.call(request{method: "POST", path: "/api/v3/delete-custom-fields", body: map[string]any{"list": fields}}).want(t, 200, 400, "INVALID_INPUT", "list")
	e.call(request{method: "POST", path: "/api/v3/set-custom-fields", body: map[string]any{"list": fields}}).want(t, 200, 400, "INVALID_INPUT", "list")
	e.call(request{method: "POST", path: "/api/v3/create-groups-batch", body: map[string]any{"list": groups}}).want(t, 200, 400, "INVALID_INPUT", "list")
	var n struct{ TotalCount int }
	e.call(request{method: "GET", path: "/api/v3/list-groups", query: url.Values{"page": {"1"}, "limit": {"10"}}}).ok(t, &n)
	if n.TotalCount != 0 {
		t.Errorf("a refused batch made %d groups", n.TotalCount)
	}
}
