package password

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

func TestHashAndVerify(t *testing.T) {
	h := NewHasher()
	ctx := context.Background()
	hash, err := h.Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=7168,t=5,p=1$") {
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

// BenchmarkHash is one hash at usergraph's parameters, with the reference
// implementation where it runs and with x/crypto's; one core:
//
//	GOMAXPROCS=1 taskset -c 1 go test -run XXX -bench Hash ./password/
func BenchmarkHash(b *testing.B) {
	pw, salt := []byte("correct horse battery staple"), []byte("0123456789abcdef")
	b.Run("in use", func(b *testing.B) {
		for b.Loop() {
			idKey(pw, salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
		}
	})
	b.Run("x/crypto", func(b *testing.B) {
		for b.Loop() {
			argon2.IDKey(pw, salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
		}
	})
}

// TestReferenceCodeHashesVerify: hashes made by the Argon2 reference C
// implementation usergraph once used (with AVX-512) verify with
// x/crypto's code: the two compute the same keys.
func TestReferenceCodeHashesVerify(t *testing.T) {
	h := NewHasher()
	for _, c := range []struct{ hash, password string }{
		{"$argon2id$v=19$m=7168,t=5,p=1$dXNlcmdyYXBoLXNhbHQtMQ$kl4+g3a/cXxK7Qmwigln8zCJ+6dZ8xLgVxsR11fmj+o", "correct horse battery staple"},
		{"$argon2id$v=19$m=19456,t=2,p=1$YW5vdGhlci1zYWx0LTE2Yg$LEsVGeEuLHrieH91lNKIIkKHYToCtsBQb6O+94IRvWw", "pässwörd"},
	} {
		if err := h.Verify(context.Background(), c.hash, c.password); err != nil {
			t.Errorf("%s: %v", c.hash, err)
		}
		if err := h.Verify(context.Background(), c.hash, c.password+"x"); !errors.Is(err, ErrMismatch) {
			t.Errorf("%s, wrong password: %v", c.hash, err)
		}
	}
}
