package auth

import (
	"errors"
	"testing"
	"time"

	"usergraph/internal/secret"
)

func TestAdminTokens(t *testing.T) {
	s := NewSigner(secret.NewKey(), time.Hour)
	tok, err := s.AdminToken("pool-1", 3)
	if err != nil {
		t.Fatal(err)
	}
	if pool, gen, err := s.VerifyAdmin(tok.Token); err != nil || pool != "pool-1" || gen != 3 {
		t.Errorf("VerifyAdmin = %q, %d, %v", pool, gen, err)
	}
	other := NewSigner(secret.NewKey(), time.Hour)
	if _, _, err := other.VerifyAdmin(tok.Token); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("token verified with another key: %v", err)
	}
	// Verified once, a token is remembered, but never past its expiry.
	if _, _, err := s.VerifyAdmin(tok.Token); err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if _, _, err := s.VerifyAdmin(tok.Token); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("expired token verified: %v", err)
	}
}
