package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// OperatorSignIn lets the people who run a pool sign in with the company's
// OpenID Connect provider instead of sharing the pool secret: a bearer
// token (a JWT) from Issuer with Audience among its audiences is accepted
// as an admin credential of the pool, with the scopes Rules map the
// values of its ScopesClaim to. Each person's changes are audited as
// theirs (OperatorActor).
//
// One (issuer, audience) pair belongs to one pool, so a token names its
// pool by what it is: a token for another pool's audience, or from
// another pool's issuer, never works on this one.
type OperatorSignIn struct {
	PoolID   string `json:"-" gorm:"primaryKey;size:36"`
	Issuer   string `json:"issuer" gorm:"size:2048;not null;uniqueIndex:ux_operator_sign_ins_issuer,priority:1"`
	Audience string `json:"audience" gorm:"size:255;not null;uniqueIndex:ux_operator_sign_ins_issuer,priority:2"`
	// ScopesClaim is the claim whose values Rules map: a name ("groups",
	// "roles") or a dotted path into nested objects ("realm_access.roles").
	ScopesClaim string      `json:"scopesClaim" gorm:"size:255;not null"`
	Rules       []ScopeRule `json:"rules" gorm:"serializer:json;type:text;not null"`
	CreatedAt   time.Time   `json:"createdAt" gorm:"not null"`
	UpdatedAt   time.Time   `json:"updatedAt" gorm:"not null"`

	Pool *UserPool `json:"-" gorm:"foreignKey:PoolID;constraint:OnDelete:CASCADE"`
}

// ScopeRule gives the operators whose ScopesClaim holds Value these
// Scopes. An operator holds the union of the scopes of every rule that
// matches; none matching leaves them signed in with no scope, so every
// field answers FORBIDDEN naming the scope it needs.
type ScopeRule struct {
	Value  string   `json:"value"`
	Scopes []string `json:"scopes"`
}

// OperatorSignInInput configures a pool's operator sign-in.
type OperatorSignInInput struct {
	Issuer      string           `json:"issuer"`
	Audience    string           `json:"audience"`
	ScopesClaim *string          `json:"scopesClaim"`
	Rules       []ScopeRuleInput `json:"rules"`
}

// ScopeRuleInput is one claim value and its scopes.
type ScopeRuleInput struct {
	Value  string   `json:"value"`
	Scopes []string `json:"scopes"`
}

// Bounds of an operator sign-in's configuration.
const (
	MaxIssuerLength   = 2048
	MaxScopeRules     = 100
	DefaultScopeClaim = "groups"
)

// OperatorSignIn checks the input (INVALID_INPUT naming input.<field>)
// and returns the configuration it describes. The issuer must be an https
// URL (http only on a loopback host, for a provider on the same machine),
// as OpenID Connect Discovery requires: its keys are fetched from it.
func (in *OperatorSignInInput) OperatorSignIn(poolID string) (*OperatorSignIn, error) {
	if _, err := CheckIssuer("input.issuer", in.Issuer); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Audience) == "" {
		return nil, Invalid("input.audience", "give the audience tokens are issued for (the client id at the provider)")
	}
	if err := CheckIdentifier("input.audience", in.Audience, MaxNameLength); err != nil {
		return nil, err
	}
	claim := DefaultScopeClaim
	if in.ScopesClaim != nil {
		claim = strings.TrimSpace(*in.ScopesClaim)
	}
	if err := CheckIdentifier("input.scopesClaim", claim, MaxNameLength); err != nil {
		return nil, err
	}
	if claim == "" || slices.Contains(strings.Split(claim, "."), "") {
		return nil, Invalid("input.scopesClaim", "a claim name, or a dotted path to a nested claim (realm_access.roles)")
	}
	if len(in.Rules) == 0 || len(in.Rules) > MaxScopeRules {
		return nil, Invalid("input.rules", "give 1 to %d rules", MaxScopeRules)
	}
	rules := make([]ScopeRule, 0, len(in.Rules))
	seen := map[string]bool{}
	for i, r := range in.Rules {
		field := fmt.Sprintf("input.rules.%d", i)
		if r.Value == "" {
			return nil, Invalid(field+".value", "give the claim value the rule matches")
		}
		if err := CheckIdentifier(field+".value", r.Value, MaxNameLength); err != nil {
			return nil, err
		}
		if seen[r.Value] {
			return nil, Invalid(field+".value", "another rule already matches %q: give each value one rule", r.Value)
		}
		seen[r.Value] = true
		scopes, err := ValidScopes(field+".scopes", r.Scopes)
		if err != nil {
			return nil, err
		}
		rules = append(rules, ScopeRule{Value: r.Value, Scopes: scopes})
	}
	return &OperatorSignIn{PoolID: poolID, Issuer: in.Issuer, Audience: in.Audience, ScopesClaim: claim, Rules: rules}, nil
}

// CheckIssuer checks an OpenID Connect issuer URL: https (or http on a
// loopback host), no query, fragment or credentials — the issuer is
// compared with tokens' iss claim exactly, so it is kept as given.
func CheckIssuer(field, raw string) (*url.URL, error) {
	if err := CheckText(field, raw, MaxIssuerLength); err != nil {
		return nil, err
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, Invalid(field, "must be the provider's issuer URL, https://…")
	}
	if u.Scheme == "http" && !loopbackHost(u.Hostname()) {
		return nil, Invalid(field, "must be https: a provider's keys are only trusted over TLS (http only on localhost)")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, Invalid(field, "must not have credentials, a query or a fragment")
	}
	return u, nil
}

func loopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// ScopesFor is the scopes an operator whose token carries claims holds:
// the union of the scopes of the rules whose value the scopes claim holds
// (the claim a string, or an array of them; other values match nothing).
func (c *OperatorSignIn) ScopesFor(claims map[string]any) []string {
	var v any = claims
	for _, part := range strings.Split(c.ScopesClaim, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return []string{}
		}
		v = m[part]
	}
	var values []string
	switch t := v.(type) {
	case string:
		values = []string{t}
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				values = append(values, s)
			}
		}
	}
	scopes := []string{}
	for _, r := range c.Rules {
		if slices.Contains(values, r.Value) {
			for _, s := range r.Scopes {
				if !slices.Contains(scopes, s) {
					scopes = append(scopes, s)
				}
			}
		}
	}
	if slices.Contains(scopes, AllScopes) {
		return []string{AllScopes}
	}
	return scopes
}

// OperatorActor is the actor of changes made by the person an operator
// token names. Its ID is derived from the issuer and subject (op_ and 32
// hex digits), so it is the same on every sign-in and every replica, and
// auditLog(filter: {actor}) finds the person's changes by one indexed
// column; Name is the token's name, else email, else subject.
func OperatorActor(issuer, subject, email, name string) Actor {
	sum := sha256.Sum256([]byte(issuer + "\x00" + subject))
	display := name
	if display == "" {
		display = email
	}
	if display == "" {
		display = subject
	}
	return Actor{Type: ActorOperator, ID: "op_" + hex.EncodeToString(sum[:16]), Name: clip(display, MaxNameLength),
		Issuer: issuer, Subject: clip(subject, MaxNameLength), Email: clip(email, MaxNameLength)}
}

// clip shortens s to at most n runes: claims come from a provider, and the
// trail's columns are bounded.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
