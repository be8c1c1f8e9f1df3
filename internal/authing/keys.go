package authing

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base32"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/time/rate"

	"usergraph/db"
	"usergraph/graph"
	"usergraph/model"
)

// keySetting names the server's RSA key in the settings table.
const keySetting = "authing_rsa_key"

// Keys is the server's RSA key pair for password transport: the SDKs fetch
// the public key from /api/v2/.well-known and encrypt every password they
// send with it (PKCS#1 v1.5), so a password never crosses a proxy or a log
// in the clear even without TLS termination at the server.
type Keys struct {
	private   *rsa.PrivateKey
	publicPEM string
	// rejectionKey derives the password of a block that does not decrypt
	// (Password); it comes from the private key, so every replica derives
	// the same one.
	rejectionKey []byte
	failed       *expirable.LRU[string, *rate.Limiter] // decryption failures per credential
	burst        int
}

// LoadKeys returns the server's key pair, generating a 2048-bit key on
// first use and keeping it in the database, as the token signing key is,
// so every replica decrypts what any replica's key encrypted.
func LoadKeys(ctx context.Context, store *db.Store) (*Keys, error) {
	der, err := store.KeepSetting(ctx, keySetting, func() ([]byte, error) {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		return x509.MarshalPKCS8PrivateKey(k)
	})
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("the stored Authing password key is unreadable: %w", err)
	}
	k, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("the stored Authing password key is not an RSA key")
	}
	spki, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	kdk := sha256.Sum256(append([]byte("usergraph implicit rejection\x00"), k.D.Bytes()...))
	return &Keys{private: k, publicPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki})),
		rejectionKey: kdk[:], burst: DecryptFailures, failed: expirable.NewLRU[string, *rate.Limiter](100_000, nil, time.Hour)}, nil
}

// PublicKeyPEM is the public key, PEM-encoded (SPKI), as /api/v2/.well-known
// serves it.
func (k *Keys) PublicKeyPEM() string { return k.publicPEM }

// Encrypt encrypts a password as the SDKs do (for tests and tools).
func (k *Keys) Encrypt(password string) (string, error) {
	b, err := rsa.EncryptPKCS1v15(rand.Reader, &k.private.PublicKey, []byte(password))
	return base64.StdEncoding.EncodeToString(b), err
}

// Password recovers a password as a client sent it. A base64 value of
// exactly one RSA block is a ciphertext; anything else is taken as the
// password itself, for clients that replace the SDK's encryptFunction with
// the identity, as Authing allows (no password is that long and valid
// base64 by accident).
//
// A block that does not decrypt to a plaintext accept takes — bad PKCS#1
// v1.5 padding, another key, a plaintext that is no password (accept must
// be every check the plaintext meets later, else its refusal is the
// oracle again) — is not refused: any answer that told it apart from a good block would be the
// padding oracle of Bleichenbacher's attack, which recovers a captured
// password from a few thousand such answers. It is replaced instead by a
// password derived from the block and a key only the server knows
// (implicit rejection, as crypto/rsa's session-key decryption does): the
// request goes on exactly as it would have, the user gets a password
// nobody knows, and the same block always gives the same one. Both kinds
// of block cost the same work: the synthetic password is computed every
// time. Failures are still counted per credential (ctx's, graph.Credential)
// and, past a small burst, every encrypted password that credential sends
// is refused with RATE_LIMITED — good and bad alike, so the refusal says
// nothing about any one block — which bounds an attack to a few blocks a
// minute.
func (k *Keys) Password(ctx context.Context, field, sent string, accept func(string) error) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(sent)
	size := k.private.Size()
	if err != nil || len(raw) > size || len(raw) < size-leadingZeros {
		return sent, nil
	}
	// The SDK's RSA library writes the block as a number, without its
	// leading zero bytes (one block in 256 starts with one): put them back.
	if len(raw) < size {
		raw = append(make([]byte, size-len(raw), size), raw...)
	}
	failures := k.failures(graph.Credential(ctx))
	if failures.TokensAt(time.Now()) < 1 {
		return "", &model.Error{Code: model.CodeRateLimited, Field: field, RetryAfter: decryptEvery,
			Message: "too many encrypted passwords from this credential could not be decrypted; try again later"}
	}
	synthetic := k.synthetic(raw)
	plain, err := rsa.DecryptPKCS1v15(nil, k.private, raw)
	if err != nil || accept(string(plain)) != nil {
		failures.Allow()
		return synthetic, nil
	}
	return string(plain), nil
}

// leadingZeros is how many leading zero bytes a block may have lost and
// still be taken for one (four: one block in 2^32): a shorter string is a
// password sent as it is.
const leadingZeros = 4

// DecryptFailures is how many blocks a credential may send that do not
// decrypt, at once, before Password refuses its encrypted passwords; after
// that one more is allowed every decryptEvery seconds.
const (
	DecryptFailures = 10
	decryptEvery    = 6
)

// LimitFailures sets the burst of decryption failures allowed per
// credential (DecryptFailures by default); for tests that send many.
func (k *Keys) LimitFailures(burst int) { k.burst = burst }

// failures is the credential's bucket of decryption failures.
func (k *Keys) failures(credential string) *rate.Limiter {
	if l, ok := k.failed.Get(credential); ok {
		return l
	}
	l := rate.NewLimiter(rate.Every(decryptEvery*time.Second), k.burst)
	k.failed.Add(credential, l)
	return l
}

// synthetic is the password a block that does not decrypt stands for:
// 26 base32 characters of HMAC-SHA256(rejectionKey, block).
func (k *Keys) synthetic(block []byte) string {
	m := hmac.New(sha256.New, k.rejectionKey)
	m.Write(block)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(m.Sum(nil))[:26]
}

// acceptPassword is Password's check for a password to set.
func acceptPassword(p string) error { return model.CheckPassword("", p) }
