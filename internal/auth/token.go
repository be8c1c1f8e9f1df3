// Package auth decides who a request is: it issues and verifies the
// signed tokens (JWT) admins and users present, checks a request's
// credential (Guard: admin tokens against their pool's secret generation,
// API keys against the store), throttles failed guesses, and carries the
// request's principal in its context. Password hashing and secrets live in
// internal/password and internal/secret, so the store can use them without
// linking a JWT library.
package auth

import (
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/hashicorp/golang-lru/v2/expirable"
)

// Token audiences keep admin and user tokens apart: a user's token never
// works as an admin token, and the reverse.
const (
	issuer        = "usergraph"
	AudienceAdmin = "usergraph-admin"
	AudienceUser  = "usergraph-user"
)

// Signer issues and verifies HS256 tokens with one key. Every replica of a
// deployment must share the key (it lives in the database unless configured).
type Signer struct {
	key     []byte
	ttl     time.Duration // admin tokens
	userTTL time.Duration // user tokens
	now     func() time.Time
	// verified remembers admin tokens already verified, by their exact
	// text, with what they say: a console sends one token with every
	// request, and checking its signature and claims again each time was
	// a visible share of a small request's CPU. An entry never outlives its
	// token's expiry (checked on every hit); revocation is checked by the
	// caller on every request regardless.
	verified *expirable.LRU[string, adminClaims]
}

// adminClaims is what a verified admin token says.
type adminClaims struct {
	pool       string
	generation int64
	exp        time.Time
}

// DefaultUserTokenTTL is how long a user token lives unless configured: 15
// days, as the reference service's tokens do.
const DefaultUserTokenTTL = 15 * 24 * time.Hour

// NewSigner returns a Signer whose admin tokens live for ttl and user tokens
// for DefaultUserTokenTTL.
func NewSigner(key []byte, ttl time.Duration) *Signer {
	return &Signer{key: key, ttl: ttl, userTTL: DefaultUserTokenTTL, now: time.Now,
		verified: expirable.NewLRU[string, adminClaims](10_000, nil, 10*time.Minute)}
}

// WithUserTTL returns a copy of s whose user tokens live for ttl.
func (s *Signer) WithUserTTL(ttl time.Duration) *Signer {
	c := *s
	c.userTTL = ttl
	return &c
}

// Issued is a signed token with its issue and expiry times.
type Issued struct {
	Token string
	Iat   time.Time
	Exp   time.Time
}

// AdminToken issues an admin token for a pool at its secret generation:
// rotating the pool's secret raises the generation, and tokens minted
// from the old secret stop working.
func (s *Signer) AdminToken(poolID string, generation int64) (Issued, error) {
	return s.AdminTokenFor(poolID, generation, 0)
}

// AdminTokenFor is AdminToken with a lifetime of ttl (0: the signer's).
// The Authing SDKs fetch a new token before every call unless the one they
// hold has more than an hour left, so their tokens live longer.
func (s *Signer) AdminTokenFor(poolID string, generation int64, ttl time.Duration) (Issued, error) {
	if ttl <= 0 {
		ttl = s.ttl
	}
	return s.signClaims(&Claims{Generation: generation}, poolID, AudienceAdmin, ttl)
}

// Claims are the claims of a usergraph token. Pool is set on user tokens
// only (an admin token's subject is its pool).
type Claims struct {
	jwt.RegisteredClaims
	// Pool is the user pool the user belongs to.
	Pool string `json:"pool,omitempty"`
	// Generation is, on a user token, the user's token generation when the
	// token was issued (revoking a user's tokens raises it), and on an
	// admin token its pool's secret generation (rotating the secret raises
	// it). Older tokens stop working.
	Generation int64 `json:"gen,omitempty"`
	// Data, on a user token, names the user as the Authing SDKs read it
	// (their checkLoginStatus decodes data.id client-side).
	Data *UserData `json:"data,omitempty"`
}

// UserData is the data claim of a user token.
type UserData struct {
	ID         string `json:"id"`
	UserPoolID string `json:"userPoolId"`
}

func (s *Signer) signClaims(c *Claims, subject, audience string, ttl time.Duration) (Issued, error) {
	now := s.now().Truncate(time.Second)
	exp := now.Add(ttl)
	c.RegisteredClaims = jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   subject,
		Audience:  jwt.ClaimStrings{audience},
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
		ID:        uuid.NewString(),
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.key)
	return Issued{Token: tok, Iat: now, Exp: exp}, err
}

// UserToken issues a token for a user of a pool at its current token
// generation.
func (s *Signer) UserToken(poolID, userID string, generation int64) (Issued, error) {
	c := &Claims{Pool: poolID, Generation: generation, Data: &UserData{ID: userID, UserPoolID: poolID}}
	return s.signClaims(c, userID, AudienceUser, s.userTTL)
}

// ErrExpiredToken is returned (with ErrInvalidToken) for a token that was
// valid but has expired.
var ErrExpiredToken = jwt.ErrTokenExpired

// ParseUser checks a user token's signature, algorithm, issuer, audience and
// expiry and returns its claims. An expired token's claims are returned too,
// with an error matching ErrExpiredToken, so callers can report its times.
func (s *Signer) ParseUser(token string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return s.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(AudienceUser),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(s.now),
	)
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) && c.Subject != "" {
			return &c, errors.Join(ErrInvalidToken, err)
		}
		return nil, errors.Join(ErrInvalidToken, err)
	}
	if c.Subject == "" || c.Pool == "" {
		return nil, ErrInvalidToken
	}
	return &c, nil
}

// ErrInvalidToken wraps every reason a token is refused: malformed, forged,
// wrong algorithm, expired, or for another audience.
var ErrInvalidToken = errors.New("invalid token")

// VerifyAdmin checks an admin token and returns the pool it was issued for
// and that pool's secret generation then.
func (s *Signer) VerifyAdmin(token string) (poolID string, generation int64, err error) {
	if c, ok := s.verified.Get(token); ok && s.now().Before(c.exp) {
		return c.pool, c.generation, nil
	}
	c, err := s.verify(token, AudienceAdmin)
	if err != nil {
		return "", 0, err
	}
	s.verified.Add(token, adminClaims{pool: c.Subject, generation: c.Generation, exp: c.ExpiresAt.Time})
	return c.Subject, c.Generation, nil
}

// Issued reports whether token claims to be one of ours (its issuer is
// usergraph's), whether or not it verifies: such a token is never handed
// to another verifier.
func (s *Signer) Issued(token string) bool {
	var c jwt.RegisteredClaims
	_, _, err := jwt.NewParser().ParseUnverified(token, &c)
	return err == nil && c.Issuer == issuer
}

func (s *Signer) verify(token, audience string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return s.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.now),
	)
	if err != nil {
		return nil, errors.Join(ErrInvalidToken, err)
	}
	if c.Subject == "" {
		return nil, ErrInvalidToken
	}
	return &c, nil
}
