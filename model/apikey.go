package model

import (
	"context"
	"slices"
	"strings"
	"time"
)

// APIKey is a named admin credential of one pool with a set of scopes: a
// console gives a help-desk operator a key that can read users and change
// nothing, and a leaked key is traced to its name and revoked alone. Only
// a hash of the key's secret is stored.
type APIKey struct {
	ID         string   `json:"id" gorm:"primaryKey;size:36"`
	PoolID     string   `json:"-" gorm:"size:36;not null;uniqueIndex:ux_api_keys_name,priority:1"`
	Name       string   `json:"name" gorm:"size:255;not null;uniqueIndex:ux_api_keys_name,priority:2"`
	Scopes     []string `json:"scopes" gorm:"serializer:json;type:text;not null"`
	SecretHash []byte   `json:"-" gorm:"not null"`
	// SealedSecret is the key's secret part sealed like a pool's
	// (UserPool.SealedSecret), so the key also signs Authing V3 requests.
	SealedSecret []byte     `json:"-" gorm:"column:sealed_secret"`
	CreatedAt    time.Time  `json:"createdAt" gorm:"not null"`
	ExpiresAt    *time.Time `json:"expiresAt"`
	LastUsedAt   *time.Time `json:"lastUsedAt"`
	RevokedAt    *time.Time `json:"revokedAt"`

	Pool *UserPool `json:"-" gorm:"foreignKey:PoolID;constraint:OnDelete:CASCADE"`
}

// Scopes name what a credential may do: "<domain>:<action>", a domain's
// every action ("users:*"), or everything ("*"). Each root field of the
// API declares the one scope it needs.
var ScopeDomains = map[string][]string{
	"users":     {"read", "write", "delete"},
	"groups":    {"read", "write"},
	"roles":     {"read", "write"},
	"resources": {"read", "write"},
	"udf":       {"read", "write"},
	"audit":     {"read"},
	"keys":      {"manage"},
	"webhooks":  {"manage"},
}

// MaxAPIKeys bounds the keys a pool may have (revoked ones included), so
// the apiKeys list has a known size and a known cost.
const MaxAPIKeys = 1000

// AllScopes is the scope of the pool secret and its tokens.
const AllScopes = "*"

// ValidScopes checks a list of scopes (1 to 32, each known) and drops
// repeats. Errors name the item: field.N.
func ValidScopes(field string, scopes []string) ([]string, error) {
	out, err := validList(field, "scopes", scopes, func(f, s string) (string, error) {
		s = strings.TrimSpace(s)
		if s == AllScopes {
			return s, nil
		}
		domain, action, ok := strings.Cut(s, ":")
		actions, known := ScopeDomains[domain]
		if !ok || !known || (action != "*" && !slices.Contains(actions, action)) {
			return "", Invalid(f, "unknown scope %q: use domain:action (users:read, users:write, users:delete, groups:*, …) or *", s)
		}
		return s, nil
	})
	if err == nil && len(out) > 32 {
		return nil, Invalid(field, "at most 32 scopes")
	}
	return out, err
}

// ScopeAllows reports whether a credential holding granted may use a field
// that needs scope.
func ScopeAllows(granted []string, scope string) bool {
	domain, _, _ := strings.Cut(scope, ":")
	for _, g := range granted {
		if g == AllScopes || g == scope || g == domain+":*" {
			return true
		}
	}
	return false
}

// Usable says whether the key may be used at now.
func (k *APIKey) Usable(now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}

// Forbidden reports a credential without the scope a field needs.
func Forbidden(scope string) *Error {
	return &Error{Code: CodeForbidden, Scope: scope, Message: "this credential lacks the scope " + scope}
}

// ScopeArchive is the scope that archives and restores users, whether
// through archiveUser and restoreUser or by setting status to or from
// Archived in an update.
const ScopeArchive = "users:delete"

// scopesKey holds, in a request's context, the scopes of its credential.
type scopesKey struct{}

// WithScopes records in ctx the scopes of the credential a request acts
// with, for the rules that depend on what a write does rather than on
// the field it goes through (Require).
func WithScopes(ctx context.Context, scopes []string) context.Context {
	return context.WithValue(ctx, scopesKey{}, scopes)
}

// Require is FORBIDDEN naming scope, on field (the input that asked for
// it), unless ctx's credential holds it. A context without a credential
// (the CLI, the server itself) holds every scope.
func Require(ctx context.Context, scope, field string) error {
	granted, ok := ctx.Value(scopesKey{}).([]string)
	if !ok || ScopeAllows(granted, scope) {
		return nil
	}
	e := Forbidden(scope)
	e.Field = field
	return e
}
