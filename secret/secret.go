// Package secret makes the random secrets usergraph hands out (pool
// secrets, token signing keys) and compares a presented secret with its
// stored hash in constant time.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
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
