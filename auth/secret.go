package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
)

// NewSecret returns a fresh pool secret (256 random bits, hex) and the hash
// to store. The secret itself is shown once and never stored.
func NewSecret() (secret string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	secret = hex.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret is the stored form of a pool secret. The secret has 256 bits of
// entropy, so SHA-256 suffices: there is nothing to brute-force.
func HashSecret(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// SecretMatches compares a presented secret with a stored hash in constant
// time.
func SecretMatches(secret string, hash []byte) bool {
	return subtle.ConstantTimeCompare(HashSecret(secret), hash) == 1
}

// NewSigningKey returns a random 256-bit key for HS256 tokens.
func NewSigningKey() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}
