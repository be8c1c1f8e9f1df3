package model

import (
	"time"
)

// LoginStatusCode says why a user token is or is not valid.
type LoginStatusCode string

// The login status codes checkLoginStatus returns.
const (
	LoginValid         LoginStatusCode = "VALID"
	LoginInvalidToken  LoginStatusCode = "INVALID_TOKEN"  // malformed, forged, wrong algorithm or not a user token
	LoginExpired       LoginStatusCode = "EXPIRED"        // past its exp, or past the user's tokenExpiredAt
	LoginOtherPool     LoginStatusCode = "OTHER_POOL"     // issued for a user of another pool
	LoginUserNotFound  LoginStatusCode = "USER_NOT_FOUND" // the user was deleted
	LoginUserNotActive LoginStatusCode = "USER_NOT_ACTIVE"
	LoginRevoked       LoginStatusCode = "REVOKED" // revoked by setting tokenExpiredAt to the past
)

var loginMessages = map[LoginStatusCode]string{
	LoginValid:         "the token is valid",
	LoginInvalidToken:  "the token is malformed, forged, signed with another algorithm or key, or not a user token",
	LoginExpired:       "the token has expired",
	LoginOtherPool:     "the token belongs to a user of another user pool",
	LoginUserNotFound:  "the token's user no longer exists",
	LoginUserNotActive: "the token's user is not Activated (suspended, deactivated, resigned or archived)",
	LoginRevoked:       "the token was revoked (tokenExpiredAt was set to a past time)",
}

// LoginStatus is the verdict on a user token.
type LoginStatus struct {
	Status  bool            `json:"status"`
	Code    LoginStatusCode `json:"code"`
	Message string          `json:"message"`
	Iat     *time.Time      `json:"iat"`
	Exp     *time.Time      `json:"exp"`
	User    *User           `json:"user"`
}

// TokenState is what a token's validity depends on besides its signature:
// the claims it carries and the user it names (nil when deleted).
type TokenState struct {
	PoolID     string // the pool asking
	TokenPool  string
	Generation int64
	Expired    bool
	User       *User
	Now        time.Time
}

// JudgeToken decides whether a correctly signed user token is valid now.
// It is the one place the rules live: pool, user, status, revocation and
// expiry, in that order.
func JudgeToken(st TokenState) LoginStatusCode {
	switch {
	case st.TokenPool != st.PoolID:
		return LoginOtherPool
	case st.User == nil:
		return LoginUserNotFound
	case st.Generation < st.User.TokenGeneration:
		return LoginRevoked
	case st.Expired || (st.User.TokenExpiredAt != nil && !st.Now.Before(*st.User.TokenExpiredAt)):
		return LoginExpired
	case st.User.Status != StatusActivated:
		return LoginUserNotActive
	}
	return LoginValid
}

// Verdict builds the LoginStatus for a code.
func Verdict(code LoginStatusCode, iat, exp *time.Time, u *User) *LoginStatus {
	ls := &LoginStatus{Status: code == LoginValid, Code: code, Message: loginMessages[code], Iat: iat, Exp: exp}
	if ls.Status {
		ls.User = u
	}
	return ls
}
