package secret

import "testing"

func TestSecrets(t *testing.T) {
	secret, hash := New()
	if len(secret) != 64 || !Matches(secret, hash) || Matches(secret+"x", hash) || Matches("", hash) {
		t.Error("secret round trip failed")
	}
}
