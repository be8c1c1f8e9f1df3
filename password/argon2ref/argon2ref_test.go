//go:build cgo && amd64 && unix

package argon2ref

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/sys/cpu"
)

// levels are the builds this CPU can run, by name.
func levels(t *testing.T) map[string]int {
	if !cpu.X86.HasAVX2 {
		t.Skip("no AVX2: IDKey declines and callers use x/crypto's")
	}
	if !Available() {
		t.Fatal("the CPU has AVX2, yet IDKey is not available")
	}
	l := map[string]int{"AVX2": 1}
	if cpu.X86.HasAVX512F {
		l["AVX-512"] = 2
	}
	return l
}

// TestMatchesXCrypto: for arbitrary passwords, salts and parameters, both
// builds give x/crypto's key, bit for bit.
func TestMatchesXCrypto(t *testing.T) {
	for name, l := range levels(t) {
		t.Run(name, func(t *testing.T) {
			defer setLevel(l)()
			r := rand.New(rand.NewPCG(uint64(l), 1))
			memories := []uint32{16, 17, 31, 32, 33, 64, 100, 1000, 7 * 1024}
			for i := range 60 {
				password := make([]byte, r.IntN(65))
				salt := make([]byte, 8+r.IntN(25))
				fill(r, password)
				fill(r, salt)
				time := 1 + uint32(r.IntN(3))
				memory := memories[r.IntN(len(memories))]
				threads := uint8(1 + r.IntN(2))
				keyLen := []uint32{4, 16, 32, 33, 64, 100}[r.IntN(6)]
				if i == 0 { // usergraph's own parameters
					time, memory, threads, keyLen = 5, 7*1024, 1, 32
				}
				got, ok := IDKey(password, salt, time, memory, threads, keyLen)
				want := argon2.IDKey(password, salt, time, memory, threads, keyLen)
				if !ok || !bytes.Equal(got, want) {
					t.Fatalf("t=%d m=%d p=%d len=%d: ok %v, key %x, want %x", time, memory, threads, keyLen, ok, got, want)
				}
			}
		})
	}
}

func fill(r *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
}

// TestDeclinesWhatTheReferenceRefuses: parameters x/crypto takes and the
// reference does not are declined, for the caller to hash with x/crypto.
func TestDeclinesWhatTheReferenceRefuses(t *testing.T) {
	levels(t)
	salt := []byte("saltsalt")
	for _, c := range []struct {
		name           string
		salt           []byte
		memory, keyLen uint32
		threads        uint8
	}{
		{"a salt under 8 bytes", salt[:7], 64, 32, 1},
		{"a key under 4 bytes", salt, 64, 3, 1},
		{"under 8 KiB per lane", salt, 15, 32, 2},
		{"no lane", salt, 64, 32, 0},
	} {
		if key, ok := IDKey([]byte("pw"), c.salt, 1, c.memory, c.threads, c.keyLen); ok || key != nil {
			t.Errorf("%s: ok %v, key %x", c.name, ok, key)
		}
	}
}

// TestConcurrentHashes: hashes running at once on several threads each
// work in memory of their own (the working memory is handed over per
// thread, and kept between hashes).
func TestConcurrentHashes(t *testing.T) {
	levels(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				pw := []byte(fmt.Sprintf("password %d/%d", g, i))
				salt := []byte(fmt.Sprintf("salt of goroutine %d", g))
				memory := uint32(256 + 64*g) // sizes differ: kept memory is reused or replaced
				got, ok := IDKey(pw, salt, 2, memory, 1, 32)
				if want := argon2.IDKey(pw, salt, 2, memory, 1, 32); !ok || !bytes.Equal(got, want) {
					errs <- fmt.Errorf("goroutine %d hash %d: ok %v, key %x, want %x", g, i, ok, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(buffers) > cap(buffers) {
		t.Errorf("%d working memories kept, at most %d", len(buffers), cap(buffers))
	}
}

// TestLargeMemoryIsNotKept: a check of a hash made with much memory gives
// that memory back rather than keeping it for the next hash.
func TestLargeMemoryIsNotKept(t *testing.T) {
	levels(t)
	if _, ok := IDKey([]byte("pw"), []byte("saltsalt"), 1, 20<<10, 1, 32); !ok {
		t.Fatal("declined")
	}
	for range len(buffers) {
		b := <-buffers
		if len(b) > keepAtMost {
			t.Errorf("kept %d MiB", len(b)>>20)
		}
		keepBuffer(b)
	}
}

// TestUnit names the build in use: the widest the CPU has.
func TestUnit(t *testing.T) {
	levels(t)
	want := "AVX2"
	if cpu.X86.HasAVX512F {
		want = "AVX-512"
	}
	if Unit() != want {
		t.Errorf("Unit() = %q, want %q", Unit(), want)
	}
}
