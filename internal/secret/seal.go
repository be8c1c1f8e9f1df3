package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
)

// Seal encrypts a secret the server must be able to read again — the key
// of an HMAC it verifies (the Authing V3 API's signed requests), which a
// hash cannot check — with AES-256-GCM under key, bound to what it belongs
// to (aad: "pool:<id>", "apikey:<id>"), so a sealed value copied onto
// another row does not open. The result is the nonce and the ciphertext.
func Seal(key []byte, aad, plaintext string) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	_, _ = rand.Read(nonce)
	return gcm.Seal(nonce, nonce, []byte(plaintext), []byte(aad)), nil
}

// ErrSealed is a sealed value that does not open under the key and aad it
// was given: sealed under another key, or for another record.
var ErrSealed = errors.New("the sealed secret does not open")

// Open decrypts what Seal sealed with the same key and aad.
func Open(key []byte, aad string, sealed []byte) (string, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return "", err
	}
	if len(sealed) < gcm.NonceSize() {
		return "", ErrSealed
	}
	out, err := gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], []byte(aad))
	if err != nil {
		return "", ErrSealed
	}
	return string(out), nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
