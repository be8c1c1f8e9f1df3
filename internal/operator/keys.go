package operator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"golang.org/x/sync/singleflight"
)

// Algorithms are the signature algorithms an operator token may use:
// every asymmetric one providers use, never "none" or a MAC (a MAC's key
// would be the provider's public key, which anyone has).
var Algorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
}

// algorithmNames are Algorithms for go-oidc's verifier.
var algorithmNames = func() []string {
	out := make([]string, len(Algorithms))
	for i, a := range Algorithms {
		out[i] = string(a)
	}
	return out
}()

// Bounds of what a provider's key set may cost.
const (
	maxDocumentBytes = 1 << 20 // a discovery document or key set
	maxKeys          = 100
)

var errUnknownKey = errors.New("no key of the provider verifies the token's signature")

// keySet is a provider's signing keys (its JWKS), fetched when first
// needed and again when a token names a key it does not have (the
// provider rotated its keys) — but at most once per minRefresh, so tokens
// naming made-up keys cannot make the server hammer the provider — and
// once they are maxAge old, so a key the provider withdrew stops
// verifying. Concurrent refreshes share one fetch. It implements go-oidc's
// KeySet: go-oidc checks the claims, this the signature.
type keySet struct {
	url        string
	client     *http.Client
	minRefresh time.Duration
	maxAge     time.Duration
	now        func() time.Time

	mu      sync.Mutex
	keys    []jose.JSONWebKey
	fetched time.Time // the last fetch that succeeded; zero: none
	tried   time.Time // the last fetch; zero: none
	flight  singleflight.Group
	fetches int // how many times it fetched (tests)
}

// VerifySignature returns the token's payload if one of the provider's
// keys verifies its signature.
func (k *keySet) VerifySignature(ctx context.Context, token string) ([]byte, error) {
	jws, err := jose.ParseSigned(token, Algorithms)
	if err != nil {
		return nil, fmt.Errorf("malformed token: %w", err)
	}
	if len(jws.Signatures) != 1 {
		return nil, errors.New("a token must have exactly one signature")
	}
	kid := jws.Signatures[0].Header.KeyID
	keys, fetched, tried := k.current()
	now := k.now()
	need := fetched.IsZero() || now.Sub(fetched) > k.maxAge || !hasKey(keys, kid)
	if need && (tried.IsZero() || now.Sub(tried) >= k.minRefresh) {
		if keys, err = k.refresh(ctx); err != nil {
			return nil, err
		}
	}
	for _, key := range keys {
		if (kid != "" && key.KeyID != kid) || (key.Use != "" && key.Use != "sig") {
			continue
		}
		if payload, err := jws.Verify(&key); err == nil {
			return payload, nil
		}
	}
	return nil, errUnknownKey
}

func hasKey(keys []jose.JSONWebKey, kid string) bool {
	if kid == "" {
		return len(keys) > 0
	}
	for _, k := range keys {
		if k.KeyID == kid {
			return true
		}
	}
	return false
}

func (k *keySet) current() (keys []jose.JSONWebKey, fetched, tried time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.keys, k.fetched, k.tried
}

// refresh fetches the key set, once for every caller waiting at the same
// time, detached from any one request's cancellation. A failed fetch
// keeps the keys it had, so a provider's short outage does not sign
// everyone out; the next attempt waits minRefresh either way.
func (k *keySet) refresh(ctx context.Context) ([]jose.JSONWebKey, error) {
	v, err, _ := k.flight.Do("", func() (any, error) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		keys, err := k.fetch(ctx)
		k.mu.Lock()
		defer k.mu.Unlock()
		k.fetches++
		k.tried = k.now()
		if err != nil {
			if k.keys == nil {
				return nil, err
			}
			return k.keys, nil
		}
		k.keys, k.fetched = keys, k.now()
		return keys, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]jose.JSONWebKey), nil
}

func (k *keySet) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := k.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching the provider's keys: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching the provider's keys: %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetching the provider's keys: %w", err)
	}
	if len(body) > maxDocumentBytes {
		return nil, fmt.Errorf("the provider's key set is over %d bytes", maxDocumentBytes)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("the provider's key set is not a JWKS: %w", err)
	}
	var keys []jose.JSONWebKey
	for _, key := range set.Keys {
		if key.IsPublic() && len(keys) < maxKeys {
			keys = append(keys, key)
		}
	}
	return keys, nil
}

// Fetches is how many times the key set was fetched.
func (k *keySet) Fetches() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.fetches
}
