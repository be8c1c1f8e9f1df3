package auth

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestHashAndVerify(t *testing.T) {
	h := NewHasher()
	ctx := context.Background()
	hash, err := h.Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", hash)
	}
	if err := h.Verify(ctx, hash, "correct horse"); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := h.Verify(ctx, hash, "wrong horse"); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong password: %v", err)
	}
	if other, _ := h.Hash(ctx, "correct horse"); other == hash {
		t.Error("two hashes of one password are equal: no salt")
	}
}

func TestHasherCapsConcurrency(t *testing.T) {
	h := &Hasher{slots: make(chan struct{}, 2)}
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = h.acquire(context.Background())
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
			h.release()
		}()
	}
	wg.Wait()
	if peak.Load() > 2 {
		t.Errorf("%d hashes ran at once, want at most 2", peak.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.slots <- struct{}{}
	h.slots <- struct{}{}
	if err := h.acquire(ctx); err == nil {
		t.Error("acquire ignored a cancelled context")
	}
}

func TestAdminTokens(t *testing.T) {
	s := NewSigner(NewSigningKey(), time.Hour)
	tok, err := s.AdminToken("pool-1")
	if err != nil {
		t.Fatal(err)
	}
	if pool, err := s.VerifyAdmin(tok.Token); err != nil || pool != "pool-1" {
		t.Errorf("VerifyAdmin = %q, %v", pool, err)
	}
	other := NewSigner(NewSigningKey(), time.Hour)
	if _, err := other.VerifyAdmin(tok.Token); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("token verified with another key: %v", err)
	}
	s.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if _, err := s.VerifyAdmin(tok.Token); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("expired token verified: %v", err)
	}
}

func TestSecrets(t *testing.T) {
	secret, hash := NewSecret()
	if len(secret) != 64 || !SecretMatches(secret, hash) || SecretMatches(secret+"x", hash) || SecretMatches("", hash) {
		t.Error("secret round trip failed")
	}
}
