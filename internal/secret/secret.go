// Package secret makes the random secrets usergraph hands out (pool
// secrets, token signing keys) and compares a presented secret with its
// stored hash in constant time.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
)

// New returns a fresh pool secret (256 random bits, hex) and the hash
// to store. The secret itself is shown once and never stored.
func New() (secret string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	secret = hex.EncodeToString(b)
	return secret, Hash(secret)
}

// Hash is the stored form of a pool secret. The secret has 256 bits of
// entropy, so SHA-256 suffices: there is nothing to brute-force.
func Hash(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// Matches compares a presented secret with a stored hash in constant
// time.
func Matches(secret string, hash []byte) bool {
	return subtle.ConstantTimeCompare(Hash(secret), hash) == 1
}

// NewKey returns a random 256-bit key for HS256 tokens.
func NewKey() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}

// apiKeyPrefix starts every API key, so a key is told from a JWT at a
// glance (and by secret scanners).
const apiKeyPrefix = "ugk_"

// NewAPIKey returns a fresh API key for the key record id, and the hash of
// its secret part to store. The key is the id and 256 random bits:
// ugk_<id>.<secret>.
func NewAPIKey(id string) (key string, hash []byte) {
	sec, hash := New()
	return apiKeyPrefix + id + "." + sec, hash
}

// ParseAPIKey splits an API key into its record id and secret; ok is
// false for anything that is not one.
func ParseAPIKey(key string) (id, sec string, ok bool) {
	rest, found := strings.CutPrefix(key, apiKeyPrefix)
	if !found {
		return "", "", false
	}
	id, sec, ok = strings.Cut(rest, ".")
	return id, sec, ok && id != "" && len(sec) == 64
}
