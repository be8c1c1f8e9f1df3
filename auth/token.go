package auth

import (
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Token audiences keep admin and user tokens apart: a user's token never
// works as an admin token, and the reverse.
const (
	issuer        = "usergraph"
	AudienceAdmin = "usergraph-admin"
)

// Signer issues and verifies HS256 tokens with one key. Every replica of a
// deployment must share the key (it lives in the database unless configured).
type Signer struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// NewSigner returns a Signer whose admin tokens live for ttl.
func NewSigner(key []byte, ttl time.Duration) *Signer {
	return &Signer{key: key, ttl: ttl, now: time.Now}
}

// Issued is a signed token with its issue and expiry times.
type Issued struct {
	Token string
	Iat   time.Time
	Exp   time.Time
}

// AdminToken issues an admin token for a pool.
func (s *Signer) AdminToken(poolID string) (Issued, error) {
	return s.sign(poolID, AudienceAdmin, s.ttl)
}

func (s *Signer) sign(subject, audience string, ttl time.Duration) (Issued, error) {
	now := s.now().Truncate(time.Second)
	exp := now.Add(ttl)
	claims := jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   subject,
		Audience:  jwt.ClaimStrings{audience},
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
		ID:        uuid.NewString(),
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.key)
	return Issued{Token: tok, Iat: now, Exp: exp}, err
}

// ErrInvalidToken wraps every reason a token is refused: malformed, forged,
// wrong algorithm, expired, or for another audience.
var ErrInvalidToken = errors.New("invalid token")

// VerifyAdmin checks an admin token and returns the pool it was issued for.
func (s *Signer) VerifyAdmin(token string) (poolID string, err error) {
	c, err := s.verify(token, AudienceAdmin)
	if err != nil {
		return "", err
	}
	return c.Subject, nil
}

func (s *Signer) verify(token, audience string) (*jwt.RegisteredClaims, error) {
	var c jwt.RegisteredClaims
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
