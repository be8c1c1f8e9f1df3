package graph_test

import (
	"regexp"
	"testing"
)

// goInternals matches what Go, its libraries and gqlparser say in their
// own words: kinds, package paths, library error prefixes.
var goInternals = regexp.MustCompile(`\b(map|slice|float64|int64|bool|struct|interface)\b|crypto/|bcrypt:|hashedSecret|strconv\.|json: |reflect|runtime|goroutine`)

// TestMessagesAreOurOwn: a client's mistakes are explained in the server's
// words — what the field wants — never in Go's or a library's.
func TestMessagesAreOurOwn(t *testing.T) {
	e := newEnv(t)
	create := `mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`
	for _, c := range []struct {
		vars  map[string]any
		field string
	}{
		{map[string]any{"u": map[string]any{"username": map[string]any{"a": 1}}}, "userInfo.username"},
		{map[string]any{"u": map[string]any{"username": []any{"a"}}}, "userInfo.username"},
		{map[string]any{"u": map[string]any{"username": true}}, "userInfo.username"},
		{map[string]any{"u": map[string]any{"username": "a", "emailVerified": "yes"}}, "userInfo.emailVerified"},
		{map[string]any{"u": map[string]any{"username": "a", "loginsCount": map[string]any{}}}, "userInfo.loginsCount"},
		{map[string]any{"u": map[string]any{"username": "a", "gender": []any{}}}, "userInfo.gender"},
		{map[string]any{"u": "not an object"}, "userInfo"},
		{map[string]any{"u": []any{1, 2}}, "userInfo"},
	} {
		r := e.do(create, c.vars)
		r.wantErr("INVALID_INPUT", c.field)
		if goInternals.MatchString(r.Errors[0].Message) {
			t.Errorf("%v: %q", c.vars, r.Errors[0].Message)
		}
	}
	// Imported password hashes the checks refuse, through the import.
	for _, hash := range []string{"$2a$10$short", "$2b$99$" + string(make([]byte, 53)), "$argon2id$v=19$m=x$salt$key", "$argon2id$v=19$m=65536,t=3,p=1$!!$!!"} {
		rec := e.transfer("POST", "/import", e.token, `{"kind":"user","username":"imp","passwordHash":"`+jsonEscape(hash)+`"}`)
		if rec.Code != 400 || goInternals.MatchString(rec.Body.String()) {
			t.Errorf("hash %q: %d %s", hash, rec.Code, rec.Body)
		}
	}
}

func jsonEscape(s string) string {
	out := make([]byte, 0, len(s))
	for _, b := range []byte(s) {
		if b < 0x20 {
			out = append(out, []byte(`\u0000`)...)
			continue
		}
		out = append(out, b)
	}
	return string(out)
}
