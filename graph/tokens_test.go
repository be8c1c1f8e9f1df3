package graph_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"usergraph/internal/auth"
)

type loginStatus struct {
	Status   bool
	Code     string
	Iat, Exp *time.Time
	User     *struct{ ID string }
}

func (e *env) check(token string) loginStatus {
	e.t.Helper()
	var out struct{ CheckLoginStatus loginStatus }
	e.do(`query($t: String!) { checkLoginStatus(token: $t) { status code message iat exp user { id } } }`, map[string]any{"t": token}).ok(&out)
	return out.CheckLoginStatus
}

func (e *env) refresh(userID string) string {
	e.t.Helper()
	var out struct {
		RefreshToken struct {
			Token    string
			Iat, Exp time.Time
		}
	}
	e.do(`mutation($u: ID!) { refreshToken(userId: $u) { token iat exp } }`, map[string]any{"u": userID}).ok(&out)
	return out.RefreshToken.Token
}

func TestUserTokens(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "alice"})
	tok := e.refresh(id)
	st := e.check(tok)
	if !st.Status || st.Code != "VALID" || st.User == nil || st.User.ID != id || st.Exp == nil || !st.Exp.After(*st.Iat) {
		t.Fatalf("fresh token: %+v", st)
	}
	var u struct {
		User struct{ TokenExpiredAt time.Time }
	}
	e.do(`query($u: ID!) { user(id: $u) { tokenExpiredAt } }`, map[string]any{"u": id}).ok(&u)
	if !u.User.TokenExpiredAt.Equal(*st.Exp) {
		t.Errorf("tokenExpiredAt %v, want the token's exp %v", u.User.TokenExpiredAt, st.Exp)
	}
	e.do(`mutation { refreshToken(userId: "ghost") { token } }`, nil).wantErr("NOT_FOUND", "userId")

	// Suspension makes tokens fail while it lasts.
	e.do(`mutation($u: ID!) { updateUser(id: $u, input: {status: Suspended}) { id } }`, map[string]any{"u": id}).ok(nil)
	if st := e.check(tok); st.Status || st.Code != "USER_NOT_ACTIVE" || st.User != nil {
		t.Errorf("suspended: %+v", st)
	}
	e.do(`mutation($u: ID!) { updateUser(id: $u, input: {blocked: false}) { id } }`, map[string]any{"u": id}).ok(nil)
	if st := e.check(tok); !st.Status {
		t.Errorf("reactivated: %+v", st)
	}

	// tokenExpiredAt in the past revokes every token issued so far, for good.
	e.do(`mutation($u: ID!) { updateUser(id: $u, input: {tokenExpiredAt: "2020-01-01T00:00:00Z"}) { id } }`, map[string]any{"u": id}).ok(nil)
	if st := e.check(tok); st.Status || st.Code != "REVOKED" {
		t.Errorf("revoked: %+v", st)
	}
	fresh := e.refresh(id)
	if st := e.check(fresh); !st.Status {
		t.Errorf("token after revocation: %+v", st)
	}
	if st := e.check(tok); st.Status || st.Code != "REVOKED" {
		t.Errorf("refreshToken brought a revoked token back: %+v", st)
	}
	// A future tokenExpiredAt caps tokens but revokes nothing.
	e.do(`mutation($u: ID!) { updateUser(id: $u, input: {tokenExpiredAt: "2999-01-01T00:00:00Z"}) { id } }`, map[string]any{"u": id}).ok(nil)
	if st := e.check(fresh); !st.Status {
		t.Errorf("future tokenExpiredAt: %+v", st)
	}

	// Deleting the user invalidates its tokens.
	e.do(`mutation($u: ID!) { deleteUser(id: $u) }`, map[string]any{"u": id}).ok(nil)
	if st := e.check(fresh); st.Status || st.Code != "USER_NOT_FOUND" {
		t.Errorf("deleted user: %+v", st)
	}
}

func TestBadUserTokens(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "alice"})
	tok := e.refresh(id)
	key := mustKey(t, e)
	parts := strings.Split(tok, ".")
	claims := jwt.MapClaims{"iss": "usergraph", "sub": id, "aud": "usergraph-user", "pool": e.poolID, "exp": time.Now().Add(time.Hour).Unix()}
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
	hs512, _ := jwt.NewWithClaims(jwt.SigningMethodHS512, claims).SignedString(key)
	otherKey, _ := auth.NewSigner([]byte(strings.Repeat("x", 32)), time.Hour).UserToken(e.poolID, id, 0)
	expired, _ := auth.NewSigner(key, time.Hour).WithUserTTL(-time.Minute).UserToken(e.poolID, id, 0)
	for name, c := range map[string]struct{ token, code string }{
		"garbage":        {"garbage", "INVALID_TOKEN"},
		"empty":          {"", "INVALID_TOKEN"},
		"truncated":      {tok[:len(tok)-6], "INVALID_TOKEN"},
		"tampered":       {parts[0] + "." + parts[1] + "x." + parts[2], "INVALID_TOKEN"},
		"other key":      {otherKey.Token, "INVALID_TOKEN"},
		"alg none":       {none, "INVALID_TOKEN"},
		"wrong alg":      {hs512, "INVALID_TOKEN"},
		"admin token":    {e.token, "INVALID_TOKEN"},
		"expired":        {expired.Token, "EXPIRED"},
		"unknown user":   {mustUserToken(t, key, e.poolID, "ghost"), "USER_NOT_FOUND"},
		"another pool's": {mustUserToken(t, key, "other-pool", id), "OTHER_POOL"},
	} {
		if st := e.check(c.token); st.Status || st.Code != c.code || st.User != nil {
			t.Errorf("%s: %+v, want %s", name, st, c.code)
		}
	}
	// A user token is no admin token.
	e.doAs(tok, `{ users { totalCount } }`, nil).wantErr("UNAUTHENTICATED", "")
}

func mustUserToken(t *testing.T, key []byte, pool, user string) string {
	tok, err := auth.NewSigner(key, time.Hour).UserToken(pool, user, 0)
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token
}

func TestUserTokenOfAnotherPool(t *testing.T) {
	e := newEnv(t)
	p, _, _ := e.store.CreatePool(context.Background(), "other")
	b, _ := e.signer.AdminToken(p.ID, 0)
	id := e.createUser(map[string]any{"username": "alice"})
	tok := e.refresh(id)
	var out struct{ CheckLoginStatus loginStatus }
	e.doAs(b.Token, `query($t: String!) { checkLoginStatus(token: $t) { status code user { id } } }`, map[string]any{"t": tok}).ok(&out)
	if out.CheckLoginStatus.Status || out.CheckLoginStatus.Code != "OTHER_POOL" || out.CheckLoginStatus.User != nil {
		t.Errorf("pool B checking pool A's token: %+v", out.CheckLoginStatus)
	}
	e.doAs(b.Token, `mutation($u: ID!) { refreshToken(userId: $u) { token } }`, map[string]any{"u": id}).wantErr("NOT_FOUND", "userId")
}
