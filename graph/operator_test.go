package graph_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"

	"usergraph/internal/graphtest"
	"usergraph/internal/httpapi"
	"usergraph/internal/operator"
)

// idp is an OpenID Connect provider run in-process (mockoidc: discovery,
// authorization with PKCE, token endpoint), whose published key set the
// test controls — to rotate keys — and counts fetches of.
type idp struct {
	t    testing.TB
	m    *mockoidc.MockOIDC
	mu   sync.Mutex
	jwks []*mockoidc.Keypair // what the JWKS endpoint publishes
	hits atomic.Int32
}

func newIDP(t testing.TB) *idp {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mockoidc.NewServer(key) // a key of its own: providers never share one
	if err != nil {
		t.Fatal(err)
	}
	p := &idp{t: t, m: m, jwks: []*mockoidc.Keypair{m.Keypair}}
	if err := m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != mockoidc.JWKSEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			p.hits.Add(1)
			p.mu.Lock()
			set := jose.JSONWebKeySet{}
			for _, k := range p.jwks {
				kid, _ := k.KeyID()
				set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.PublicKey, KeyID: kid, Algorithm: "RS256", Use: "sig"})
			}
			p.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(set)
		})
	}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return p
}

// publish makes the provider's key set exactly keys (a rotation).
func (p *idp) publish(keys ...*mockoidc.Keypair) {
	p.mu.Lock()
	p.jwks = keys
	p.mu.Unlock()
}

// signIn runs the authorization code flow with PKCE as a console would,
// as user, and returns the ID token the provider issued.
func (p *idp) signIn(user *mockoidc.MockUser) string {
	p.t.Helper()
	p.m.QueueUser(user)
	conf := oauth2.Config{ClientID: p.m.ClientID, ClientSecret: p.m.ClientSecret,
		Endpoint:    oauth2.Endpoint{AuthURL: p.m.AuthorizationEndpoint(), TokenURL: p.m.TokenEndpoint(), AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: "http://127.0.0.1/console/callback", Scopes: []string{"openid", "email", "profile", "groups"}}
	verifier := oauth2.GenerateVerifier()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(conf.AuthCodeURL("state-1", oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || back.Query().Get("state") != "state-1" || back.Query().Get("code") == "" {
		p.t.Fatalf("authorization answered %s %q", resp.Status, resp.Header.Get("Location"))
	}
	ctx := context.Background()
	// PKCE holds: the code is worth nothing without this flow's verifier.
	if _, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier())); err == nil {
		p.t.Fatal("the provider exchanged a code with the wrong PKCE verifier")
	}
	p.m.QueueUser(user)
	resp, err = noFollow.Get(conf.AuthCodeURL("state-2", oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	back, _ = url.Parse(resp.Header.Get("Location"))
	tok, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		p.t.Fatal(err)
	}
	id, _ := tok.Extra("id_token").(string)
	if id == "" {
		p.t.Fatal("no id_token")
	}
	return id
}

// mint signs claims with key as the provider would (its kid in the
// header), defaults filled in: this provider's issuer, its client as the
// audience, ten minutes of life.
func (p *idp) mint(key *mockoidc.Keypair, claims jwt.MapClaims) string {
	p.t.Helper()
	now := time.Now()
	full := jwt.MapClaims{"iss": p.m.Issuer(), "aud": p.m.ClientID, "sub": "someone", "iat": now.Unix(),
		"exp": now.Add(10 * time.Minute).Unix(), "groups": []string{"admins"}}
	for k, v := range claims {
		if v == nil {
			delete(full, k)
		} else {
			full[k] = v
		}
	}
	tok, err := key.SignJWT(full)
	if err != nil {
		p.t.Fatal(err)
	}
	return tok
}

func newKeypair(t testing.TB) *mockoidc.Keypair {
	t.Helper()
	k, err := mockoidc.RandomKeypair(2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// operatorEnv is a streaming server whose operator sign-in may reach
// providers on loopback, on a clock the test moves (to pass the bound on
// key refreshes without sleeping).
type operatorEnv struct {
	*streamEnv
	verifier *operator.Verifier
	skew     atomic.Int64 // added to the verifier's clock, in ns
}

const minKeyRefresh = 10 * time.Second

func newOperatorEnv(t testing.TB) *operatorEnv {
	t.Helper()
	oe := &operatorEnv{}
	oe.streamEnv = newStreamEnv(t, graphtest.Streaming{Configure: func(o *httpapi.Options) {
		v, err := operator.New(o.Store, operator.Options{Allow: loopback, Log: o.Logger, MinKeyRefresh: minKeyRefresh,
			Now: func() time.Time { return time.Now().Add(time.Duration(oe.skew.Load())) }})
		if err != nil {
			t.Fatal(err)
		}
		oe.verifier, o.Operators = v, v
	}})
	return oe
}

// later moves the verifier's clock past the bound on key refreshes.
func (e *operatorEnv) later() { e.skew.Add(int64(minKeyRefresh + time.Second)) }

const setSignIn = `mutation($in: OperatorSignInInput!) { setOperatorSignIn(input: $in) { issuer audience scopesClaim rules { value scopes } } }`

// signInInput maps the provider's groups admins to every scope and
// helpdesk to reading users.
func signInInput(p *idp) map[string]any {
	return map[string]any{"issuer": p.m.Issuer(), "audience": p.m.ClientID, "rules": []map[string]any{
		{"value": "admins", "scopes": []string{"*"}},
		{"value": "helpdesk", "scopes": []string{"users:read", "audit:read"}},
	}}
}

type viewerOut struct {
	Viewer struct {
		UserPoolID string
		Scopes     []string
		Actor      struct{ Type, ID, Name, Issuer, Subject, Email string }
	}
}

const viewerQuery = `{ viewer { userPoolId scopes actor { type id name issuer subject email } } }`

// TestOperatorSignIn: a pool configured with an OpenID Connect provider
// accepts its people's tokens — signed in with PKCE — with exactly the
// scopes their groups map to, audits each change as the person, over HTTP,
// WebSocket and SSE; and refuses every token that fails a check.
func TestOperatorSignIn(t *testing.T) {
	e := newOperatorEnv(t)
	p := newIDP(t)
	ada := &mockoidc.MockUser{Subject: "ada-1", Email: "ada@example.com", PreferredUsername: "ada", Groups: []string{"helpdesk"}}
	grace := &mockoidc.MockUser{Subject: "grace-1", Email: "grace@example.com", PreferredUsername: "grace", Groups: []string{"admins", "other"}}

	// Zero configuration: without a sign-in, the provider's tokens are
	// nobody's; the pool secret's token works as ever.
	early := p.signIn(grace)
	e.doAs(early, viewerQuery, nil).wantErr("UNAUTHENTICATED", "")
	var v viewerOut
	e.do(viewerQuery, nil).ok(&v)
	if v.Viewer.Actor.Type != "POOL_SECRET" || v.Viewer.Scopes[0] != "*" || v.Viewer.Actor.Issuer != "" {
		t.Fatalf("the pool secret's viewer: %+v", v.Viewer)
	}

	// Only a "*" credential configures it.
	var key struct{ CreateApiKey struct{ Key string } }
	e.do(`mutation { createApiKey(name: "users", scopes: ["users:*", "keys:manage"]) { key } }`, nil).ok(&key)
	r := e.doAs(key.CreateApiKey.Key, setSignIn, map[string]any{"in": signInInput(p)})
	r.wantErr("FORBIDDEN", "")
	if r.Errors[0].Extensions["scope"] != "*" {
		t.Errorf("FORBIDDEN names %v", r.Errors[0].Extensions["scope"])
	}

	// Bad input changes nothing and names its field.
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	deadIssuer := "http://" + closed.Addr().String() + "/oidc"
	closed.Close()
	for _, c := range []struct {
		change func(in map[string]any)
		code   string
		field  string
	}{
		{func(in map[string]any) { in["issuer"] = "http://idp.example.com/oidc" }, "INVALID_INPUT", "input.issuer"},
		{func(in map[string]any) { in["issuer"] = "not a url" }, "INVALID_INPUT", "input.issuer"},
		{func(in map[string]any) { in["issuer"] = deadIssuer }, "INVALID_INPUT", "input.issuer"},
		{func(in map[string]any) { in["issuer"] = p.m.Issuer() + "/" }, "INVALID_INPUT", "input.issuer"}, // discovery names another issuer
		{func(in map[string]any) { in["issuer"] = p.m.Issuer() + "?x=1" }, "INVALID_INPUT", "input.issuer"},
		{func(in map[string]any) { in["audience"] = "" }, "INVALID_INPUT", "input.audience"},
		{func(in map[string]any) { in["scopesClaim"] = "realm_access..roles" }, "INVALID_INPUT", "input.scopesClaim"},
		{func(in map[string]any) { in["rules"] = []map[string]any{} }, "INVALID_INPUT", "input.rules"},
		{func(in map[string]any) {
			in["rules"] = []map[string]any{{"value": "x", "scopes": []string{"users:fly"}}}
		}, "INVALID_INPUT", "input.rules.0.scopes.0"},
		{func(in map[string]any) {
			in["rules"] = []map[string]any{{"value": "x", "scopes": []string{"*"}}, {"value": "x", "scopes": []string{"*"}}}
		}, "INVALID_INPUT", "input.rules.1.value"},
		{func(in map[string]any) {
			in["rules"] = []map[string]any{{"value": "", "scopes": []string{"*"}}}
		}, "INVALID_INPUT", "input.rules.0.value"},
		// Oversized: every bound holds before anything is fetched or saved.
		{func(in map[string]any) { in["issuer"] = "https://idp.example.com/" + strings.Repeat("a", 3000) }, "INVALID_INPUT", "input.issuer"},
		{func(in map[string]any) { in["audience"] = strings.Repeat("a", 300) }, "INVALID_INPUT", "input.audience"},
		{func(in map[string]any) { in["scopesClaim"] = strings.Repeat("a", 300) }, "INVALID_INPUT", "input.scopesClaim"},
		{func(in map[string]any) {
			rules := make([]map[string]any, 101)
			for i := range rules {
				rules[i] = map[string]any{"value": fmt.Sprint("v", i), "scopes": []string{"users:read"}}
			}
			in["rules"] = rules
		}, "INVALID_INPUT", "input.rules"},
		{func(in map[string]any) {
			in["rules"] = []map[string]any{{"value": strings.Repeat("v", 300), "scopes": []string{"*"}}}
		}, "INVALID_INPUT", "input.rules.0.value"},
	} {
		in := signInInput(p)
		c.change(in)
		e.do(setSignIn, map[string]any{"in": in}).wantErr(c.code, c.field)
	}
	var none struct{ OperatorSignIn *struct{ Issuer string } }
	e.do(`{ operatorSignIn { issuer } }`, nil).ok(&none)
	if none.OperatorSignIn != nil {
		t.Fatalf("a refused sign-in was saved: %+v", none.OperatorSignIn)
	}
	// A provider at a private address needs the operator's allow list.
	strict, err := operator.New(e.store, operator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strict.Discover(context.Background(), "input.issuer", p.m.Issuer()); err == nil {
		t.Error("a loopback provider passed the egress guard without -operator-issuer-allow")
	}

	var set struct {
		SetOperatorSignIn struct {
			Issuer, Audience, ScopesClaim string
			Rules                         []struct {
				Value  string
				Scopes []string
			}
		}
	}
	e.do(setSignIn, map[string]any{"in": signInInput(p)}).ok(&set)
	if s := set.SetOperatorSignIn; s.Issuer != p.m.Issuer() || s.Audience != p.m.ClientID || s.ScopesClaim != "groups" || len(s.Rules) != 2 {
		t.Fatalf("set %+v", s)
	}

	// A sign-in page learns, with no credential, where to send a person.
	var opts struct {
		OperatorSignInOptions *struct{ Issuer, ClientID string }
	}
	e.doAs("", `query($p: ID!) { operatorSignInOptions(userPoolId: $p) { issuer clientId } }`, map[string]any{"p": e.poolID}).ok(&opts)
	if opts.OperatorSignInOptions == nil || opts.OperatorSignInOptions.Issuer != p.m.Issuer() || opts.OperatorSignInOptions.ClientID != p.m.ClientID {
		t.Fatalf("operatorSignInOptions: %+v", opts.OperatorSignInOptions)
	}
	for _, id := range []string{"no-such-pool", strings.Repeat("x", 5000)} {
		e.doAs("", `query($p: ID!) { operatorSignInOptions(userPoolId: $p) { issuer } }`, map[string]any{"p": id}).ok(&opts)
		if opts.OperatorSignInOptions != nil {
			t.Errorf("an unknown pool has sign-in options: %+v", opts.OperatorSignInOptions)
		}
	}
	// Another pool's credential sees its own pool: no sign-in, and itself.
	otherTok := e.otherPoolToken()
	var none2 struct{ OperatorSignIn *struct{ Issuer string } }
	e.doAs(otherTok, `{ operatorSignIn { issuer } }`, nil).ok(&none2)
	if none2.OperatorSignIn != nil {
		t.Errorf("another pool reads this pool's sign-in: %+v", none2.OperatorSignIn)
	}
	e.doAs(otherTok, viewerQuery, nil).ok(&v)
	if v.Viewer.UserPoolID == e.poolID {
		t.Error("another pool's viewer names this pool")
	}
	e.doAs(otherTok, `mutation { removeOperatorSignIn { issuer } }`, nil).wantErr("NOT_FOUND", "operatorSignIn")

	// A help-desk person: exactly the mapped scopes, FORBIDDEN naming the
	// one missing.
	adaTok := p.signIn(ada)
	e.doAs(adaTok, viewerQuery, nil).ok(&v)
	if a := v.Viewer.Actor; a.Type != "OPERATOR" || !strings.HasPrefix(a.ID, "op_") || a.Issuer != p.m.Issuer() ||
		a.Subject != "ada-1" || a.Email != "ada@example.com" || a.Name != "ada" || v.Viewer.UserPoolID != e.poolID {
		t.Fatalf("ada's viewer: %+v", v.Viewer)
	}
	if strings.Join(v.Viewer.Scopes, ",") != "users:read,audit:read" {
		t.Errorf("ada's scopes: %v", v.Viewer.Scopes)
	}
	adaID := v.Viewer.Actor.ID
	e.doAs(adaTok, `{ users { totalCount } }`, nil).ok(nil)
	r = e.doAs(adaTok, `mutation { createUser(userInfo: {username: "nope"}) { id } }`, nil)
	r.wantErr("FORBIDDEN", "")
	if r.Errors[0].Extensions["scope"] != "users:write" {
		t.Errorf("FORBIDDEN names %v", r.Errors[0].Extensions["scope"])
	}
	// The same person again is the same actor.
	e.doAs(p.signIn(ada), viewerQuery, nil).ok(&v)
	if v.Viewer.Actor.ID != adaID {
		t.Errorf("ada's second sign-in is actor %s, first %s", v.Viewer.Actor.ID, adaID)
	}

	// An administrator's changes are audited as the person.
	graceTok := p.signIn(grace)
	e.doAs(graceTok, viewerQuery, nil).ok(&v)
	graceID := v.Viewer.Actor.ID
	if strings.Join(v.Viewer.Scopes, ",") != "*" || graceID == adaID {
		t.Fatalf("grace's viewer: %+v", v.Viewer)
	}
	// Live: a subscription over WebSocket with her token sees her change,
	// with her as the actor.
	ws, err := e.dialWS(map[string]any{"Authorization": "Bearer " + graceTok})
	if err != nil {
		t.Fatal(err)
	}
	live := ws.subscribe(`subscription { changes(filter: {types: ["user.created"]}) { id type actor { type id email } } }`, nil)
	time.Sleep(100 * time.Millisecond)
	var created struct{ CreateUser struct{ ID string } }
	e.doAs(graceTok, `mutation { createUser(userInfo: {username: "by-grace"}) { id } }`, nil).ok(&created)
	m, err := ws.readFor(live)
	if err != nil || !strings.Contains(string(m.Payload), `"OPERATOR"`) || !strings.Contains(string(m.Payload), graceID) ||
		!strings.Contains(string(m.Payload), "grace@example.com") {
		t.Fatalf("the live event: %v %s", err, m.Payload)
	}
	var audit struct {
		AuditLog struct {
			List []struct {
				ObjectID string
				Actor    struct{ Type, ID, Name, Issuer, Subject, Email string }
			}
		}
	}
	e.doAs(adaTok, `query($a: String) { auditLog(filter: {actor: $a}) { list { objectId actor { type id name issuer subject email } } } }`,
		map[string]any{"a": graceID}).ok(&audit)
	if len(audit.AuditLog.List) != 1 || audit.AuditLog.List[0].ObjectID != created.CreateUser.ID {
		t.Fatalf("grace's changes: %+v", audit.AuditLog.List)
	}
	if a := audit.AuditLog.List[0].Actor; a.Type != "OPERATOR" || a.Issuer != p.m.Issuer() || a.Subject != "grace-1" ||
		a.Email != "grace@example.com" || a.Name != "grace" {
		t.Errorf("the record's actor: %+v", a)
	}
	// SSE with ada's token: she holds audit:read, so her stream opens.
	// It resumes after the event the WebSocket saw, so the change made
	// next reaches it whether it is replayed or live (a live-only stream
	// could open after the change committed).
	var seen struct {
		Data struct{ Changes struct{ ID string } }
	}
	_ = json.Unmarshal(m.Payload, &seen)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, next := e.sse(ctx, adaTok, `subscription($a: String) { changes(after: $a) { id } }`, map[string]any{"a": seen.Data.Changes.ID})
	if resp.StatusCode != 200 {
		t.Fatalf("SSE with an operator token: %s", resp.Status)
	}
	e.doAs(graceTok, `mutation { createUser(userInfo: {username: "by-grace-2"}) { id } }`, nil).ok(nil)
	if _, data, err := next(); err != nil || !strings.Contains(data, `"id"`) {
		t.Fatalf("SSE event: %q %v", data, err)
	}

	// Someone in no mapped group signs in with no scope at all.
	nobody := p.signIn(&mockoidc.MockUser{Subject: "guest-1", Groups: []string{"guests"}})
	e.doAs(nobody, viewerQuery, nil).ok(&v)
	if len(v.Viewer.Scopes) != 0 {
		t.Errorf("a guest holds %v", v.Viewer.Scopes)
	}
	e.doAs(nobody, `{ users { totalCount } }`, nil).wantErr("FORBIDDEN", "")

	// Tokens that fail a check are UNAUTHENTICATED; none is accepted.
	other := newKeypair(t)
	kp := p.m.Keypair
	pub, _ := x509.MarshalPKIXPublicKey(kp.PublicKey)
	hs, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": p.m.Issuer(), "aud": p.m.ClientID, "sub": "x",
		"exp": time.Now().Add(time.Hour).Unix(), "groups": []string{"admins"}}).SignedString(pub)
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"` + p.m.Issuer() + `","aud":"` + p.m.ClientID + `","sub":"x","exp":9999999999,"groups":["admins"]}`))
	fetches := e.verifier.KeyFetches(p.m.Issuer())
	for name, tok := range map[string]string{
		"expired":             p.mint(kp, jwt.MapClaims{"exp": time.Now().Add(-time.Minute).Unix()}),
		"not yet valid":       p.mint(kp, jwt.MapClaims{"nbf": time.Now().Add(time.Hour).Unix()}),
		"no expiry":           p.mint(kp, jwt.MapClaims{"exp": nil}),
		"wrong audience":      p.mint(kp, jwt.MapClaims{"aud": "another-client"}),
		"wrong issuer":        p.mint(kp, jwt.MapClaims{"iss": "https://idp.example.com"}),
		"unknown kid":         p.mint(other, nil),
		"no subject":          p.mint(kp, jwt.MapClaims{"sub": nil}),
		"alg none":            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + payload + ".",
		"HS256 by public key": hs,
		"tampered":            tamper(p.mint(kp, nil)),
	} {
		if r := e.doAs(tok, viewerQuery, nil); r.code() != "UNAUTHENTICATED" {
			t.Errorf("%s: %s %+v %s", name, r.code(), r.Errors, r.Data)
		}
	}
	// Tokens naming keys the provider does not have cannot make the
	// server hammer it: at most one fetch per refresh interval.
	for range 20 {
		e.doAs(p.mint(newKeypairFast(t, other), nil), viewerQuery, nil).wantErr("UNAUTHENTICATED", "")
	}
	if n := e.verifier.KeyFetches(p.m.Issuer()) - fetches; n > 1 {
		t.Errorf("unknown keys fetched the key set %d times within one refresh interval", n)
	}

	// Rotation: the provider publishes a new key and withdraws the old
	// one; the new key's tokens work (the set is fetched again on the
	// unknown kid), the old key's no longer do.
	rotated := newKeypair(t)
	p.publish(rotated)
	e.later()
	e.doAs(p.mint(rotated, jwt.MapClaims{"sub": "rotated"}), viewerQuery, nil).ok(&v)
	if v.Viewer.Actor.Subject != "rotated" {
		t.Fatalf("after rotation: %+v", v.Viewer)
	}
	e.doAs(p.mint(kp, nil), viewerQuery, nil).wantErr("UNAUTHENTICATED", "")
	// Both published (a provider's overlap): both work.
	p.publish(kp, rotated)
	e.later()
	e.doAs(p.mint(kp, nil), viewerQuery, nil).ok(nil)
	e.doAs(p.mint(rotated, nil), viewerQuery, nil).ok(nil)

	// The sign-in is audited on the pool.
	var pool struct {
		AuditLog struct {
			List []struct {
				Operation string
				Changes   []struct{ Field string }
			}
		}
	}
	e.do(`query($id: ID) { auditLog(filter: {objectType: USER_POOL, objectId: $id}) { list { operation changes { field } } } }`,
		map[string]any{"id": e.poolID}).ok(&pool)
	if len(pool.AuditLog.List) == 0 || pool.AuditLog.List[0].Operation != "setOperatorSignIn" || pool.AuditLog.List[0].Changes[0].Field != "operatorSignIn" {
		t.Errorf("the pool's trail: %+v", pool.AuditLog.List)
	}

	// Removed: the provider's tokens are refused from the next request.
	e.do(`mutation { removeOperatorSignIn { issuer } }`, nil).ok(nil)
	e.doAs(graceTok, viewerQuery, nil).wantErr("UNAUTHENTICATED", "")
	e.do(`mutation { removeOperatorSignIn { issuer } }`, nil).wantErr("NOT_FOUND", "operatorSignIn")
	_, err = e.dialWS(map[string]any{"Authorization": "Bearer " + graceTok})
	if websocket.CloseStatus(err) != 4403 {
		t.Errorf("a WebSocket with a removed sign-in's token: %v, want close 4403", err)
	}
}

// TestOperatorSignInIsolatesPools: each pool's provider signs people in
// to that pool only; a token for one pool's audience, from another pool's
// issuer, or signed by another provider's key, works nowhere else.
func TestOperatorSignInIsolatesPools(t *testing.T) {
	e := newOperatorEnv(t)
	p1, p2 := newIDP(t), newIDP(t)
	e.do(setSignIn, map[string]any{"in": signInInput(p1)}).ok(nil)
	e.createUser(map[string]any{"username": "in-pool-one"})

	other := e.otherPoolToken()
	e.doAs(other, setSignIn, map[string]any{"in": signInInput(p1)}).wantErr("ALREADY_EXISTS", "input.audience")
	e.doAs(other, setSignIn, map[string]any{"in": signInInput(p2)}).ok(nil)
	e.doAs(other, `mutation { createUser(userInfo: {username: "in-pool-two"}) { id } }`, nil).ok(nil)

	var v viewerOut
	tok2 := p2.signIn(&mockoidc.MockUser{Subject: "bob", Groups: []string{"admins"}})
	e.doAs(tok2, viewerQuery, nil).ok(&v)
	if v.Viewer.UserPoolID == e.poolID {
		t.Fatal("pool two's operator acts on pool one")
	}
	var users struct {
		Users struct{ List []struct{ Username string } }
	}
	e.doAs(tok2, `{ users { list { username } } }`, nil).ok(&users)
	if len(users.Users.List) != 1 || users.Users.List[0].Username != "in-pool-two" {
		t.Errorf("pool two's operator sees %+v", users.Users.List)
	}
	var one struct{ User *struct{ ID string } }
	ids := e.userIDs()
	e.doAs(tok2, `query($id: ID!) { user(id: $id) { id } }`, map[string]any{"id": ids[0]}).ok(&one)
	if one.User != nil {
		t.Error("pool two's operator read a user of pool one")
	}
	for name, tok := range map[string]string{
		"pool two's issuer, pool one's audience": p2.mint(p2.m.Keypair, jwt.MapClaims{"aud": p1.m.ClientID}),
		"pool one's claims, pool two's key":      p1.mint(p2.m.Keypair, nil),
		"both audiences, pool two's issuer":      p2.mint(p2.m.Keypair, jwt.MapClaims{"aud": []string{p1.m.ClientID, "x"}}),
	} {
		if r := e.doAs(tok, viewerQuery, nil); r.code() != "UNAUTHENTICATED" {
			t.Errorf("%s: %s %s", name, r.code(), r.Data)
		}
	}
}

// userIDs lists the env pool's user ids.
func (e *env) userIDs() []string {
	e.t.Helper()
	var out struct {
		Users struct{ List []struct{ ID string } }
	}
	e.do(`{ users(limit: 100) { list { id } } }`, nil).ok(&out)
	ids := make([]string, len(out.Users.List))
	for i, u := range out.Users.List {
		ids[i] = u.ID
	}
	return ids
}

// tamper changes a signed token's payload (its groups) and keeps the
// signature.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	body, _ := base64.RawURLEncoding.DecodeString(parts[1])
	body = []byte(strings.Replace(string(body), `"admins"`, `"admin5"`, 1))
	parts[1] = base64.RawURLEncoding.EncodeToString(body)
	return strings.Join(parts, ".")
}

// newKeypairFast is key with a fresh, unknown kid: RSA keys are slow to
// make, and the kid is what the key set is searched by.
func newKeypairFast(t testing.TB, key *mockoidc.Keypair) *mockoidc.Keypair {
	t.Helper()
	k := *key
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	k.Kid = base64.RawURLEncoding.EncodeToString(b)
	return &k
}
