package authingv3

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"usergraph/db"
	"usergraph/internal/auth"
	"usergraph/model"
)

// verifier authenticates signed requests: the signature over what the
// client sent (sign.go) with the access key's secret, a date within
// dateSkew of the server's clock, and a nonce not seen before within that
// window. A pool's id and secret are its access key (every scope, as the
// pool secret's tokens); an API key ugk_<id>.<secret> signs as access key
// id ugk_<id> with secret <secret>, within its scopes.
type verifier struct {
	store  *db.Store
	nonces *nonceLog
	now    func() time.Time
	// guess draws a wrong signature on the failed-secret throttle
	// accessToken uses (per client address and per pool).
	guess func(req *http.Request, poolID string) auth.Guess
}

// maxSignedBody bounds the body read to check a signature (the
// pipeline's own bound still applies to what is decoded).
const maxSignedBody = 8 << 20

func (v *verifier) authenticate(req *http.Request) (*auth.Principal, error) {
	sr, err := parseAuthorization(req.Header.Get("Authorization"))
	if err != nil {
		return nil, model.Unauthenticated("%s", err.Error())
	}
	now := v.now()
	date := req.Header.Get("Date")
	if err := checkDate(date, now); err != nil {
		return nil, model.Unauthenticated("%s", err.Error())
	}
	nonce := req.Header.Get("X-Authing-Signature-Nonce")
	if len(nonce) < 8 || len(nonce) > 128 {
		return nil, model.Unauthenticated("x-authing-signature-nonce must be 8 to 128 characters, new for every request")
	}
	if m := req.Header.Get("X-Authing-Signature-Method"); m != "" && m != "HMAC-SHA1" {
		return nil, model.Unauthenticated("x-authing-signature-method must be HMAC-SHA1")
	}
	var body []byte
	if req.Body != nil {
		body, err = io.ReadAll(io.LimitReader(req.Body, maxSignedBody+1))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge) || len(body) > maxSignedBody:
			return nil, &model.Error{Code: model.CodePayloadTooLarge, Message: "the request body is larger than the server accepts"}
		case err != nil:
			return nil, &model.Error{Code: model.CodeBadRequest, Message: "the request body could not be read"}
		}
		req.Body = io.NopCloser(bytes.NewReader(body)) // the handler reads what was verified
	}
	candidates, err := stringsToSign(req, body)
	if err != nil {
		return nil, &model.Error{Code: model.CodeBadRequest, Message: err.Error()}
	}
	key, err := v.store.AccessKeyByID(req.Context(), sr.keyID)
	if err != nil {
		if req.Context().Err() != nil {
			return nil, req.Context().Err()
		}
		return nil, err
	}
	matched := false
	for _, s := range candidates {
		if hmac.Equal(sign(key.Secret, s), sr.signature) {
			matched = true
		}
	}
	if !matched {
		// Throttled as a wrong pool secret is: a signature never needs
		// guessing, so an empty bucket answers RATE_LIMITED. A right
		// signature is never refused by the throttle.
		g := v.guess(req, key.PoolID)
		if limited := g.Admit(); limited != nil {
			return nil, limited
		}
		g.Failed()
		return nil, model.Unauthenticated("the signature does not match the request: check the access key secret, and that nothing between client and server changed the request")
	}
	// Only a verified request's nonce is recorded: others cannot use up
	// a client's nonces.
	t, _ := http.ParseTime(date)
	if !v.nonces.add(sr.keyID, nonce, t, now) {
		return nil, model.Unauthenticated("this request was already received (its nonce was used): sign every request anew")
	}
	return &auth.Principal{Pool: key.PoolID, Scopes: key.Scopes, Actor: key.Actor}, nil
}

// nonceLog remembers the nonces of verified requests for as long as their
// date is within the skew window, in one set per minute of date; a
// minute's set is dropped once every date in it is too old to be
// accepted. It holds at most maxNonces: past that the oldest minute goes
// early, which shortens replay protection rather than refusing honest
// requests. It is this process's: replicas do not share it.
type nonceLog struct {
	mu      sync.Mutex
	minutes map[int64]map[uint64]struct{}
	size    int
}

const maxNonces = 2_000_000

func newNonceLog() *nonceLog { return &nonceLog{minutes: map[int64]map[uint64]struct{}{}} }

// add records keyID's nonce for a request dated date; false if it was
// recorded already.
func (l *nonceLog) add(keyID, nonce string, date, now time.Time) bool {
	sum := sha256.Sum256([]byte(keyID + "\x00" + nonce))
	h := binary.LittleEndian.Uint64(sum[:8])
	minute := date.Unix() / 60
	l.mu.Lock()
	defer l.mu.Unlock()
	oldest := (now.Add(-dateSkew).Unix() / 60) - 1
	for m, set := range l.minutes {
		if m < oldest {
			l.size -= len(set)
			delete(l.minutes, m)
		}
	}
	for l.size >= maxNonces && len(l.minutes) > 0 {
		first := int64(1<<62 - 1)
		for m := range l.minutes {
			first = min(first, m)
		}
		l.size -= len(l.minutes[first])
		delete(l.minutes, first)
	}
	// A nonce is looked for in every minute: the same nonce replayed with
	// another date would have another signature, but be careful anyway.
	for _, set := range l.minutes {
		if _, seen := set[h]; seen {
			return false
		}
	}
	set := l.minutes[minute]
	if set == nil {
		set = map[uint64]struct{}{}
		l.minutes[minute] = set
	}
	set[h] = struct{}{}
	l.size++
	return true
}
