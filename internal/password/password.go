// Package password hashes and verifies user passwords with argon2id, at
// most one hash per core at a time. It knows nothing of tokens, so the
// store can hash what it writes without linking a JWT library.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: one of the five settings OWASP's Password Storage
// Cheat Sheet lists as giving the same defence (7 MiB, 5 passes, 1 lane;
// the others trade memory for passes up to 46 MiB and 1 pass). This one
// needs the least memory: a server hashing on every core holds 7 MiB per
// core instead of 19, and sheds less garbage (19 MiB, 2 passes left
// the process larger after a burst of creates), and it is faster too.
// The parameters are stored in each hash (PHC string format), so hashes made
// with others (19 MiB and 2 passes before) still verify.
const (
	argonMemoryKiB = 7 * 1024
	argonTime      = 5
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// Hasher hashes and verifies passwords with argon2id. Each hash takes 7 MiB
// and a core for about 15 ms, so Hasher lets at most one hash per core run at once: a burst of creates
// queues instead of exhausting memory.
type Hasher struct {
	slots   chan struct{}
	waiting atomic.Int64
	// onWait, when set, learns how long each hash waited for a core.
	onWait func(time.Duration)
}

// ObserveWaits has f called with how long each hash or check waited for
// a free core (for metrics). Call it before the Hasher is used.
func (h *Hasher) ObserveWaits(f func(time.Duration)) { h.onWait = f }

// Waiting is how many hashes or checks are queued for a core now.
func (h *Hasher) Waiting() int { return int(h.waiting.Load()) }

// NewHasher returns a Hasher that runs at most GOMAXPROCS hashes at once.
func NewHasher() *Hasher {
	return &Hasher{slots: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

func (h *Hasher) acquire(ctx context.Context) error {
	start := time.Now()
	h.waiting.Add(1)
	defer h.waiting.Add(-1)
	select {
	case h.slots <- struct{}{}:
		if h.onWait != nil {
			h.onWait(time.Since(start))
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the PHC-format argon2id hash of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	key := idKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	h.release()
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemoryKiB, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrMismatch is returned by Verify when the password is wrong.
var ErrMismatch = errors.New("password does not match")

// argon2Params is a parsed argon2id hash.
type argon2Params struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// maxArgonMemoryKiB bounds the memory one stored (or imported) hash can
// make a check take: 256 MiB.
const maxArgonMemoryKiB = 256 * 1024

// idKey is argon2.IDKey: golang.org/x/crypto's, the well-kept Go code.
// (A vendored C implementation once computed it about twice as fast on
// AVX2; the hash's cost is what its parameters set, so the parameters are
// the knob to turn, not the code.)
func idKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	return argon2.IDKey(password, salt, time, memory, threads, keyLen)
}

func parseArgon2id(hash string) (argon2Params, error) {
	var p argon2Params
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, ErrUnsupported
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, errors.New("argon2id hash: unsupported version (want v=19)")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, errors.New("argon2id hash: want its parameters as m=<KiB>,t=<passes>,p=<lanes>")
	}
	if p.memory < 8 || p.memory > maxArgonMemoryKiB || p.time < 1 || p.time > 100 || p.threads < 1 {
		return p, errors.New("argon2id hash: parameters out of range")
	}
	var err error
	if p.salt, err = decodeB64(parts[4]); err != nil {
		return p, errors.New("argon2id hash: the salt is not base64")
	}
	if p.key, err = decodeB64(parts[5]); err != nil || len(p.key) < 16 {
		return p, errors.New("argon2id hash: the key is not at least 16 bytes of base64")
	}
	return p, nil
}

func (p argon2Params) matches(password string) bool {
	got := idKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(got, p.key) == 1
}
