package authingv3

import (
	"bufio"
	"crypto/hmac"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// TestSignaturesOfTheRealSDK rebuilds, from the bytes on the wire, the
// string authing-node-sdk 4.0.1 signed for every request it was recorded
// sending (testdata/signed.jsonl, from ../shared/authing/v3), and checks
// the recorded signature with the recording's secret.
func TestSignaturesOfTheRealSDK(t *testing.T) {
	f, err := os.Open("testdata/signed.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		var v struct {
			Label, Method, Path, RawQuery, RawBody, StringToSign string
			Headers                                              map[string]string
		}
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		target := v.Path
		if v.RawQuery != "" {
			target += "?" + v.RawQuery
		}
		req := httptest.NewRequest(v.Method, target, strings.NewReader(v.RawBody))
		for k, h := range v.Headers {
			req.Header.Set(k, h)
		}
		got, err := stringsToSign(req, []byte(v.RawBody))
		if err != nil {
			t.Errorf("%s: %v", v.Label, err)
			continue
		}
		found := false
		for _, s := range got {
			found = found || s == v.StringToSign
		}
		if !found {
			t.Errorf("%s: rebuilt\n%q\nsigned\n%q", v.Label, got[0], v.StringToSign)
			continue
		}
		sr, err := parseAuthorization(req.Header.Get("Authorization"))
		if err != nil || sr.keyID != "capture-access-key-id" {
			t.Errorf("%s: authorization %v", v.Label, err)
			continue
		}
		if !hmac.Equal(sign("capture-access-key-secret", v.StringToSign), sr.signature) {
			t.Errorf("%s: the signature does not verify", v.Label)
		}
		n++
	}
	if n < 80 {
		t.Fatalf("only %d recorded requests checked", n)
	}
}
