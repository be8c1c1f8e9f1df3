package model

import (
	"strings"
	"time"
)

// UserPool is the tenant. Every other row belongs to exactly one pool, and
// an admin token of one pool never reaches another pool's rows.
type UserPool struct {
	ID   string `json:"id" gorm:"primaryKey;size:36"`
	Name string `json:"name" gorm:"size:255;not null"`
	// SecretHash is the SHA-256 of the pool secret. The secret is 256 random
	// bits, so a fast hash cannot be brute-forced and needs no salt.
	SecretHash []byte `json:"-" gorm:"not null"`
	IsDefault  bool   `json:"isDefault" gorm:"not null;default:false"`
	// SecretGeneration counts the secret's rotations. Admin tokens carry
	// the generation they were minted at; an older one is refused.
	SecretGeneration int64     `json:"-" gorm:"not null;default:0"`
	CreatedAt        time.Time `json:"createdAt" gorm:"not null"`
	// SealedSecret is the secret encrypted under the server's seal key
	// (secret.Seal), for the one check a hash cannot do: the HMAC of an
	// Authing V3 request, keyed by the secret itself. Nil for pools whose
	// secret was last set before version 5 of the schema.
	SealedSecret []byte `json:"-" gorm:"column:sealed_secret"`
}

// UserKey names one user by a unique attribute, as findUser and
// isUserExists take it.
type UserKey struct {
	Field string // "username", "email", "phone" or "externalId"
	Value string
}

// NewUserKey picks the one identifier given. Exactly one must be non-nil;
// it is normalized as on write (an email is lower-cased).
func NewUserKey(username, email, phone, externalID *string) (UserKey, error) {
	var keys []UserKey
	for _, c := range []struct {
		field, rule string
		v           *string
	}{{"username", "username", username}, {"email", "email", email}, {"phone", "phone", phone}, {"externalId", "identifier", externalID}} {
		if c.v == nil {
			continue
		}
		v, err := stringRules[c.rule](strings.TrimSpace(*c.v))
		if err != nil {
			return UserKey{}, Invalid(c.field, "%s", err.Error())
		}
		keys = append(keys, UserKey{Field: c.field, Value: v})
	}
	if len(keys) != 1 {
		return UserKey{}, Invalid("", "give exactly one of username, email, phone or externalId")
	}
	return keys[0], nil
}
