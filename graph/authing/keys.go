package authing

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"

	"usergraph/db"
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
	return &Keys{private: k, publicPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki}))}, nil
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
// exactly one RSA block is a ciphertext and must decrypt with the server's
// key (INVALID_INPUT on field otherwise: it was encrypted with another
// key). Anything else is taken as the password itself, for clients that
// replace the SDK's encryptFunction with the identity, as Authing allows;
// no password is that long and valid base64 by accident.
func (k *Keys) Password(field, sent string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(sent)
	if err != nil || len(raw) != k.private.Size() {
		return sent, nil
	}
	plain, err := rsa.DecryptPKCS1v15(nil, k.private, raw)
	if err != nil {
		return "", model.Invalid(field, "the password was encrypted with another key: encrypt it with the public key from /api/v2/.well-known")
	}
	return string(plain), nil
}
