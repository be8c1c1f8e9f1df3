package authingv3

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the protocol's MAC is HMAC-SHA1; HMAC does not rely on SHA-1's collision resistance
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// The signature, as authing-node-sdk 4.0.1 makes it (PROTOCOL.md §2):
//
//	authorization: authing <accessKeyId>:<base64(HMAC-SHA1(accessKeySecret, stringToSign))>
//
// stringToSign is the method, every `date` and `x-authing-*` header
// (sorted, name:value), and the path with the request's parameters —
// the query's for GET, the body's top-level keys otherwise — sorted by
// key (JavaScript's sort: UTF-16 code units) and joined k=v with &,
// values unescaped, objects and arrays as the JSON text the SDK sent.
// It is rebuilt from the bytes on the wire: re-encoding the body's JSON
// would change key order and escapes and fail honest requests.

// signedRequest is a request's claimed access key and signature.
type signedRequest struct {
	keyID     string
	signature []byte
}

var errNotSigned = errors.New(`the request is not signed: send authorization: authing <accessKeyId>:<signature> (authing-node-sdk does)`)

// parseAuthorization reads `authing <keyId>:<base64 signature>`.
func parseAuthorization(h string) (signedRequest, error) {
	rest, ok := strings.CutPrefix(h, "authing ")
	if !ok {
		return signedRequest{}, errNotSigned
	}
	id, sig, ok := strings.Cut(rest, ":")
	if !ok || id == "" || len(id) > 128 {
		return signedRequest{}, errNotSigned
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
	if err != nil || len(raw) != sha1.Size {
		return signedRequest{}, errors.New("the signature is not a base64 HMAC-SHA1")
	}
	return signedRequest{keyID: id, signature: raw}, nil
}

// stringsToSign rebuilds what the client signed: one string, or two when
// the request has no parameters (the SDK signs "path?" when it had keys
// that were all undefined, and "path" when it had none).
func stringsToSign(req *http.Request, body []byte) ([]string, error) {
	var b strings.Builder
	b.WriteString(req.Method)
	b.WriteByte('\n')
	var names []string
	for name := range req.Header {
		l := strings.ToLower(name)
		if l == "date" || strings.HasPrefix(l, "x-authing-") {
			names = append(names, l)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		v := strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' || r == '\f' {
				return ' '
			}
			return r
		}, req.Header.Get(n))
		b.WriteString(n + ":" + strings.TrimSpace(v) + "\n")
	}
	b.WriteString(req.URL.Path)
	var pairs [][2]string
	var err error
	if req.Method == http.MethodGet {
		pairs, err = queryPairs(req.URL.RawQuery)
	} else {
		pairs, err = bodyPairs(body)
	}
	if err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return []string{b.String(), b.String() + "?"}, nil
	}
	slices.SortStableFunc(pairs, func(x, y [2]string) int { return compareUTF16(x[0], y[0]) })
	b.WriteByte('?')
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p[0] + "=" + p[1])
	}
	return []string{b.String()}, nil
}

// queryPairs reads a query string as the SDK signed it: k[]=v repeated is
// the JSON array of the strings, k=v the decoded value.
func queryPairs(raw string) ([][2]string, error) {
	var pairs [][2]string
	arrays := map[string][]string{}
	var order []string
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("the query string is malformed")
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("the query string is malformed")
		}
		if name, ok := strings.CutSuffix(key, "[]"); ok {
			if _, seen := arrays[name]; !seen {
				order = append(order, name)
			}
			arrays[name] = append(arrays[name], val)
			continue
		}
		pairs = append(pairs, [2]string{key, val})
	}
	for _, name := range order {
		pairs = append(pairs, [2]string{name, jsStringArray(arrays[name])})
	}
	return pairs, nil
}

// bodyPairs reads a JSON object body's top-level keys as the SDK signed
// them: a string decoded, any other scalar as its JSON text, an object or
// array as its raw bytes. A key given twice is refused: which of the two
// values was signed and which would be used could differ.
func bodyPairs(body []byte) ([][2]string, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, errors.New("the body must be a JSON object")
	}
	var pairs [][2]string
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, errors.New("the body must be a JSON object")
		}
		key, _ := t.(string)
		if seen[key] {
			return nil, fmt.Errorf("the body names %q twice", key)
		}
		seen[key] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, errors.New("the body must be a JSON object")
		}
		val := string(raw)
		if len(raw) > 0 && raw[0] == '"' {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, errors.New("the body must be a JSON object")
			}
			val = s
		}
		pairs = append(pairs, [2]string{key, val})
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return nil, errors.New("the body must be a JSON object")
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("the body must be one JSON object")
	}
	return pairs, nil
}

// jsStringArray is JSON.stringify of an array of strings: no spaces, and
// only what JSON.stringify escapes escaped (Go's encoder also escapes
// <, >, & and U+2028/9, which JavaScript does not).
func jsStringArray(items []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for _, r := range s {
			switch {
			case r == '"':
				b.WriteString(`\"`)
			case r == '\\':
				b.WriteString(`\\`)
			case r == '\b':
				b.WriteString(`\b`)
			case r == '\f':
				b.WriteString(`\f`)
			case r == '\n':
				b.WriteString(`\n`)
			case r == '\r':
				b.WriteString(`\r`)
			case r == '\t':
				b.WriteString(`\t`)
			case r < 0x20:
				fmt.Fprintf(&b, `\u%04x`, r)
			case r == utf8.RuneError:
				b.WriteString(`\ufffd`) // never valid here: URL-decoded text is UTF-8
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('"')
	}
	b.WriteByte(']')
	return b.String()
}

// compareUTF16 orders strings as JavaScript's default sort does: by UTF-16
// code units, which differs from byte order above U+FFFF.
func compareUTF16(a, b string) int {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}

// sign is the signature of stringToSign under secret.
func sign(secret, stringToSign string) []byte {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return m.Sum(nil)
}

// dateSkew bounds how far a request's date may be from the server's
// clock (either way), and so how long a nonce must be remembered.
const dateSkew = 15 * time.Minute

// checkDate parses the signed date header (RFC 1123, as the SDK's
// toUTCString writes it) and refuses one outside the skew window.
func checkDate(h string, now time.Time) error {
	if h == "" {
		return errors.New("the date header is missing: it is signed, and bounds how long a request may be replayed")
	}
	t, err := http.ParseTime(h)
	if err != nil {
		return errors.New("the date header is not an HTTP date")
	}
	if d := now.Sub(t); d > dateSkew || d < -dateSkew {
		return fmt.Errorf("the date header is more than %v from the server's clock: check the client's clock", dateSkew)
	}
	return nil
}
