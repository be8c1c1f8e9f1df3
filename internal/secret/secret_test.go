package secret

import "testing"

func TestSecrets(t *testing.T) {
	secret, hash := New()
	if len(secret) != 64 || !Matches(secret, hash) || Matches(secret+"x", hash) || Matches("", hash) {
		t.Error("secret round trip failed")
	}
}

func TestSeal(t *testing.T) {
	key := NewKey()
	sealed, err := Seal(key, "pool:1", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Open(key, "pool:1", sealed); err != nil || got != "s3cret" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := Open(key, "pool:2", sealed); err == nil {
		t.Error("a sealed secret opened for another record")
	}
	if _, err := Open(NewKey(), "pool:1", sealed); err == nil {
		t.Error("a sealed secret opened under another key")
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := Open(key, "pool:1", sealed); err == nil {
		t.Error("a tampered sealed secret opened")
	}
}
