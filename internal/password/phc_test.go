package password

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// TestForeignHashes: hashes made elsewhere (bcrypt as Auth0 exports them,
// pbkdf2-sha256 as passlib and Keycloak make them; these two computed with
// Python's hashlib) verify, refuse a wrong password, and ask to be
// rehashed; junk is refused at import.
func TestForeignHashes(t *testing.T) {
	h := NewHasher()
	ctx := context.Background()
	b, err := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := h.Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, hash string
		rehash     bool
	}{
		{"argon2id", ours, false},
		{"argon2id, 19 MiB and 2 passes (the earlier default)", owaspHash("correct horse", 19*1024, 2), false},
		{"argon2id, weaker", "$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHRzYWx0$" + "zvJ1B+SQXkyrTMRZyXVFzcoG4iFy9zpsm7vqpHqRYcs", true},
		{"bcrypt", string(b), true},
		{"passlib pbkdf2-sha256", "$pbkdf2-sha256$29000$dXNlcmdyYXBoLXNhbHQhIQ$mBvziTZS7i09mByeUZSDb3QpsYelUH8vF4y8G4MUugA", true},
		{"PHC pbkdf2-sha256 (Keycloak)", "$pbkdf2-sha256$i=27500,l=64$dXNlcmdyYXBoLXNhbHQhIQ==$PnZVfMOasBTA8Sob4sq1Dm16R2i4Fic1mlJGc2x5tFlgtIXkMRFAptmJquarphuFzKT6YQVrGrNfrzYj3ClQ3Q==", true},
	} {
		if err := CheckHash(c.hash); err != nil {
			t.Errorf("%s: CheckHash: %v", c.name, err)
		}
		if c.name == "argon2id, weaker" {
			continue // its key is not of this password
		}
		if err := h.Verify(ctx, c.hash, "correct horse"); err != nil {
			t.Errorf("%s: the right password: %v", c.name, err)
		}
		if err := h.Verify(ctx, c.hash, "wrong horse"); !errors.Is(err, ErrMismatch) {
			t.Errorf("%s: a wrong password: %v", c.name, err)
		}
		if NeedsRehash(c.hash) != c.rehash {
			t.Errorf("%s: NeedsRehash = %v", c.name, !c.rehash)
		}
	}
	if !NeedsRehash("$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHRzYWx0$zvJ1B+SQXkyrTMRZyXVFzcoG4iFy9zpsm7vqpHqRYcs") {
		t.Error("a weaker argon2id hash does not ask for a rehash")
	}
	for _, junk := range []string{"", "plain", "$md5$abc", "$2a$04$short", "$pbkdf2-sha256$0$c2FsdA$a2V5", "$pbkdf2-sha256$99999999999$c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5"} {
		if CheckHash(junk) == nil {
			t.Errorf("CheckHash(%q) accepted it", junk)
		}
	}
}

// owaspHash hashes password with argon2id at other parameters than Hash's.
func owaspHash(password string, memoryKiB, passes uint32) string {
	salt := []byte("usergraph-salt!!")
	key := argon2.IDKey([]byte(password), salt, passes, memoryKiB, 1, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=1$%s$%s", memoryKiB, passes, b64.EncodeToString(salt), b64.EncodeToString(key))
}
