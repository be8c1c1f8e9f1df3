// Package operator signs in the people who run a user pool through the
// company's OpenID Connect provider: a bearer token (a JWT) that provider
// issued for the audience a pool's sign-in names is an admin credential of
// that pool, with the scopes the pool maps the token's claims to, and the
// person is the audit trail's actor. go-oidc checks the claims (issuer,
// audience, expiry, not-before); the provider's keys are fetched through
// the egress guard and refreshed on a key the set lacks, at a bounded
// rate (keys.go).
package operator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/hashicorp/golang-lru/v2/expirable"

	"usergraph/db"
	"usergraph/internal/egress"
	"usergraph/model"
)

// Options tune a Verifier; the zero value is the server's defaults.
type Options struct {
	// Allow names hosts and ranges beyond public addresses a provider may
	// be at (an on-premise Keycloak): see egress.Guard. Flag is the
	// setting it came from, which refusals name.
	Allow []string
	Flag  string
	// LookupTTL is how long a pool's sign-in, once read, is trusted: a
	// change through another replica holds within it (through this one
	// at once).
	LookupTTL time.Duration
	// MinKeyRefresh bounds how often a provider's keys are fetched for
	// tokens naming a key the set lacks; MaxKeyAge is how old they may
	// get before they are fetched again.
	MinKeyRefresh, MaxKeyAge time.Duration
	// ProviderAge is how long a provider's discovery document is kept.
	ProviderAge time.Duration
	Log         *slog.Logger
	// Now is the clock tokens are checked against (tests).
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Flag == "" {
		o.Flag = "operator-issuer-allow"
	}
	if o.LookupTTL <= 0 {
		o.LookupTTL = 2 * time.Second
	}
	if o.MinKeyRefresh <= 0 {
		o.MinKeyRefresh = 10 * time.Second
	}
	if o.MaxKeyAge <= 0 {
		o.MaxKeyAge = time.Hour
	}
	if o.ProviderAge <= 0 {
		o.ProviderAge = time.Hour
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Verifier accepts operator tokens.
type Verifier struct {
	store  *db.Store
	guard  *egress.Guard
	client *http.Client
	opt    Options
	// signIns remembers the sign-in (or that there is none) for each
	// (issuer, audience) a token named, for LookupTTL: most requests cost
	// no statement. Bounded, so tokens naming made-up pairs cannot grow
	// it.
	signIns *expirable.LRU[string, *model.OperatorSignIn]
	// providers holds each issuer's discovery and keys; bounded by the
	// pools that configured one.
	providers *lru.Cache[string, *provider]
}

// provider is what discovery said of an issuer, and its keys.
type provider struct {
	keys    *keySet
	fetched time.Time
}

// New returns a Verifier reading pools' sign-ins from store.
func New(store *db.Store, opt Options) (*Verifier, error) {
	opt = opt.withDefaults()
	g, err := egress.NewGuard(opt.Allow, opt.Flag)
	if err != nil {
		return nil, err
	}
	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			Proxy:                 nil, // a proxy would dial for us, past the guard
			DialContext:           g.Dial,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       90 * time.Second,
		},
		// A provider's documents are at the URLs discovery names; a
		// redirect elsewhere is not followed past the guard's view.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	providers, _ := lru.New[string, *provider](1024)
	return &Verifier{store: store, guard: g, client: client, opt: opt,
		signIns:   expirable.NewLRU[string, *model.OperatorSignIn](10_000, nil, opt.LookupTTL),
		providers: providers}, nil
}

// Operator is who a verified operator token names.
type Operator struct {
	Pool   string
	Scopes []string
	Actor  model.Actor
	Expiry time.Time
}

// maxTokenBytes bounds a token's size before anything is decoded.
const maxTokenBytes = 16 << 10

// ErrNotOperatorToken is a token that is not a JWT from any pool's
// operator provider: the caller may try its other credentials.
var ErrNotOperatorToken = errors.New("not an operator token")

// Verify checks an operator token: the pool whose sign-in names its
// issuer and one of its audiences, then its signature (the provider's
// keys), issuer, audience, expiry and not-before. A token no pool's
// sign-in names is ErrNotOperatorToken; one that a pool names but fails a
// check is UNAUTHENTICATED saying which.
func (v *Verifier) Verify(ctx context.Context, token string) (*Operator, error) {
	iss, auds, ok := peek(token)
	if !ok {
		return nil, ErrNotOperatorToken
	}
	var c *model.OperatorSignIn
	for _, aud := range auds {
		var err error
		if c, err = v.signIn(ctx, iss, aud); err != nil {
			return nil, err
		}
		if c != nil {
			break
		}
	}
	if c == nil {
		return nil, ErrNotOperatorToken
	}
	p, err := v.provider(ctx, c.Issuer)
	if err != nil {
		v.opt.Log.Warn("operator sign-in: the provider is unreachable", "pool", c.PoolID, "issuer", c.Issuer, "err", err)
		return nil, model.Unauthenticated("the operator token could not be checked: this pool's identity provider did not answer; try again shortly")
	}
	verifier := oidc.NewVerifier(c.Issuer, p.keys, &oidc.Config{ClientID: c.Audience, SupportedSigningAlgs: algorithmNames, Now: v.opt.Now})
	t, err := verifier.Verify(ctx, token)
	if err != nil {
		return nil, refusal(err)
	}
	var claims map[string]any
	if err := t.Claims(&claims); err != nil || t.Subject == "" {
		return nil, model.Unauthenticated("the operator token names no subject")
	}
	email, _ := claims["email"].(string)
	name, _ := claims["name"].(string)
	if name == "" {
		name, _ = claims["preferred_username"].(string)
	}
	return &Operator{Pool: c.PoolID, Scopes: c.ScopesFor(claims), Expiry: t.Expiry,
		Actor: model.OperatorActor(c.Issuer, t.Subject, email, name)}, nil
}

// refusal says why a token failed go-oidc's checks, without echoing it.
func refusal(err error) error {
	var expired *oidc.TokenExpiredError
	switch msg := err.Error(); {
	case errors.As(err, &expired):
		return model.Unauthenticated("the operator token expired: sign in again")
	case strings.Contains(msg, "nbf"):
		return model.Unauthenticated("the operator token is not valid yet (nbf)")
	case strings.Contains(msg, "audience"):
		return model.Unauthenticated("the operator token is for another audience")
	case strings.Contains(msg, "different provider"):
		return model.Unauthenticated("the operator token is from another issuer")
	case errors.Is(err, errUnknownKey) || strings.Contains(msg, "signature"):
		return model.Unauthenticated("the operator token's signature does not verify with the provider's keys")
	default:
		return model.Unauthenticated("the operator token is malformed")
	}
}

// peek reads a JWT's issuer and audiences without verifying anything:
// only to find which pool's sign-in, if any, would check it.
func peek(token string) (iss string, auds []string, ok bool) {
	if len(token) > maxTokenBytes {
		return "", nil, false
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", nil, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", nil, false
	}
	var c struct {
		Iss string          `json:"iss"`
		Aud json.RawMessage `json:"aud"`
	}
	if json.Unmarshal(payload, &c) != nil || c.Iss == "" {
		return "", nil, false
	}
	var one string
	if json.Unmarshal(c.Aud, &one) == nil {
		auds = []string{one}
	} else if json.Unmarshal(c.Aud, &auds) != nil {
		return "", nil, false
	}
	if len(auds) == 0 || len(auds) > 8 {
		return "", nil, false
	}
	return c.Iss, auds, true
}

// signIn is the sign-in accepting tokens from iss for aud, or nil.
func (v *Verifier) signIn(ctx context.Context, iss, aud string) (*model.OperatorSignIn, error) {
	key := iss + "\x00" + aud
	if c, ok := v.signIns.Get(key); ok {
		return c, nil
	}
	c, err := v.store.OperatorSignInFor(ctx, iss, aud)
	switch {
	case errors.Is(err, model.ErrNotFound):
		c = nil
	case err != nil:
		return nil, err
	}
	v.signIns.Add(key, c)
	return c, nil
}

// Forget drops every remembered sign-in: one changed through this
// process, and holds from the next request.
func (v *Verifier) Forget() { v.signIns.Purge() }

// provider is issuer's discovery and keys, fetched when first needed and
// again once ProviderAge old.
func (v *Verifier) provider(ctx context.Context, issuer string) (*provider, error) {
	if p, ok := v.providers.Get(issuer); ok && v.opt.Now().Sub(p.fetched) < v.opt.ProviderAge {
		return p, nil
	}
	jwks, err := v.Discover(ctx, "issuer", issuer)
	if err != nil {
		if p, ok := v.providers.Get(issuer); ok {
			return p, nil // keep the provider we knew through an outage
		}
		return nil, err
	}
	if p, ok := v.providers.Get(issuer); ok && p.keys.url == jwks {
		p = &provider{keys: p.keys, fetched: v.opt.Now()} // the same keys, looked at again
		v.providers.Add(issuer, p)
		return p, nil
	}
	p := &provider{fetched: v.opt.Now(), keys: &keySet{url: jwks, client: v.client,
		minRefresh: v.opt.MinKeyRefresh, maxAge: v.opt.MaxKeyAge, now: v.opt.Now}}
	v.providers.Add(issuer, p)
	return p, nil
}

// Discover fetches issuer's OpenID Connect discovery document and returns
// its key set's URL; errors are INVALID_INPUT on field, saying what is
// wrong (unreachable, not a provider, another issuer, no keys). It is how
// a sign-in is checked before it is saved: a pool is never configured
// with a provider that cannot sign anyone in.
func (v *Verifier) Discover(ctx context.Context, field, issuer string) (string, error) {
	u, err := model.CheckIssuer(field, issuer)
	if err != nil {
		return "", err
	}
	if err := v.guard.CheckHost(ctx, field, u); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, &http.Client{Transport: limited{v.client}}), issuer)
	if err != nil {
		var mismatch *oidc.IssuerMismatchError
		if errors.As(err, &mismatch) {
			return "", model.Invalid(field, "the provider's discovery document names another issuer, %q: give exactly that URL", mismatch.Discovered)
		}
		return "", model.Invalid(field, "no OpenID Connect provider answers at %s/.well-known/openid-configuration", strings.TrimSuffix(issuer, "/"))
	}
	var doc struct {
		JWKS string `json:"jwks_uri"`
	}
	if err := p.Claims(&doc); err != nil || doc.JWKS == "" {
		return "", model.Invalid(field, "the provider's discovery document names no jwks_uri")
	}
	if _, err := model.CheckIssuer(field, doc.JWKS); err != nil {
		return "", model.Invalid(field, "the provider's jwks_uri must be https (http only on localhost)")
	}
	return doc.JWKS, nil
}

// limited is v.client with every response body cut at maxDocumentBytes:
// go-oidc reads discovery documents whole.
type limited struct{ c *http.Client }

func (l limited) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, maxDocumentBytes), resp.Body}
	return resp, nil
}

// KeyFetches is how many times issuer's keys were fetched by this
// process (0 when it never needed them): what the bound on refreshes is
// tested by.
func (v *Verifier) KeyFetches(issuer string) int {
	if p, ok := v.providers.Peek(issuer); ok {
		return p.keys.Fetches()
	}
	return 0
}

// Set checks in and makes it the pool's operator sign-in: the input's
// rules (model.OperatorSignInInput), then the provider's discovery
// (Discover), then the store (audited; one pool per issuer and audience).
// It holds on this process from the next request.
func (v *Verifier) Set(ctx context.Context, poolID string, in model.OperatorSignInInput) (*model.OperatorSignIn, error) {
	c, err := in.OperatorSignIn(poolID)
	if err != nil {
		return nil, err
	}
	if _, err := v.Discover(ctx, "input.issuer", c.Issuer); err != nil {
		return nil, err
	}
	c, err = v.store.SetOperatorSignIn(ctx, c)
	v.Forget()
	return c, err
}

// Remove removes the pool's operator sign-in (NOT_FOUND when it has
// none); its tokens are refused on this process from the next request.
func (v *Verifier) Remove(ctx context.Context, poolID string) (*model.OperatorSignIn, error) {
	c, err := v.store.RemoveOperatorSignIn(ctx, poolID)
	v.Forget()
	return c, err
}
