package password

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// Hashes from elsewhere. Users migrated from Keycloak, Auth0 or another
// usergraph keep their passwords: a stored hash names its algorithm (PHC
// string format, or bcrypt's modular crypt format), Verify checks a
// password with that algorithm, and NeedsRehash says when a successful
// check should store a fresh argon2id hash instead. Accepted:
//
//	$argon2id$v=19$m=…,t=…,p=…$<salt>$<key>   (ours, any parameters)
//	$2a$… $2b$… $2y$…                          (bcrypt; Auth0's export)
//	$pbkdf2-sha256$<rounds>$<salt>$<key>       (passlib; '.' for '+')
//	$pbkdf2-sha256$i=<rounds>[,l=<len>]$<salt>$<key>  (PHC; Keycloak's
//	    hashIterations, salt and value, base64 as Keycloak exports them)

// ErrUnsupported reports a hash in no format this package checks.
var ErrUnsupported = errors.New("unsupported password hash: use $argon2id$, bcrypt ($2a$, $2b$, $2y$) or $pbkdf2-sha256$")

// algorithm names a hash's algorithm from its prefix ("" when unknown).
func algorithm(hash string) string {
	switch {
	case strings.HasPrefix(hash, "$argon2id$"):
		return "argon2id"
	case strings.HasPrefix(hash, "$2a$"), strings.HasPrefix(hash, "$2b$"), strings.HasPrefix(hash, "$2y$"):
		return "bcrypt"
	case strings.HasPrefix(hash, "$pbkdf2-sha256$"):
		return "pbkdf2-sha256"
	}
	return ""
}

// CheckHash reports whether hash is one Verify can check, without checking
// a password: an import refuses what it could never verify.
func CheckHash(hash string) error {
	switch algorithm(hash) {
	case "argon2id":
		_, err := parseArgon2id(hash)
		return err
	case "bcrypt":
		// bcrypt's own errors speak of its internals ("hashedSecret too
		// short"): a client is told what a bcrypt hash looks like.
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return errors.New("bcrypt hash: want $2a$, $2b$ or $2y$, a two-digit cost from 04 to 31, and 53 characters of salt and hash")
		}
		return nil
	case "pbkdf2-sha256":
		_, err := parsePBKDF2(hash)
		return err
	}
	return ErrUnsupported
}

// NeedsRehash reports whether a hash should be replaced by a fresh one
// after a successful check: any other algorithm, or argon2id weaker than
// every setting OWASP lists as equivalent (a 19 MiB, 2-pass hash from
// before is as good as Hash's own, and is kept).
func NeedsRehash(hash string) bool {
	p, err := parseArgon2id(hash)
	return err != nil || !slices.ContainsFunc(owaspArgon2id, func(s [2]uint32) bool { return p.memory >= s[0] && p.time >= s[1] })
}

// owaspArgon2id is OWASP's list of equally strong argon2id settings, as
// (memory in KiB, passes), one lane each.
var owaspArgon2id = [][2]uint32{{46 * 1024, 1}, {19 * 1024, 2}, {12 * 1024, 3}, {9 * 1024, 4}, {7 * 1024, 5}}

// Verify checks password against hash, with the algorithm the hash names,
// in constant time. A wrong password is ErrMismatch. Like Hash it waits
// for a free core: every supported algorithm is slow on purpose.
func (h *Hasher) Verify(ctx context.Context, hash, password string) error {
	var check func() (bool, error)
	switch algorithm(hash) {
	case "argon2id":
		p, err := parseArgon2id(hash)
		if err != nil {
			return err
		}
		check = func() (bool, error) { return p.matches(password), nil }
	case "bcrypt":
		check = func() (bool, error) {
			err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password))
			if errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
				return false, nil
			}
			return err == nil, err
		}
	case "pbkdf2-sha256":
		p, err := parsePBKDF2(hash)
		if err != nil {
			return err
		}
		check = func() (bool, error) { return p.matches(password) }
	default:
		return ErrUnsupported
	}
	if err := h.acquire(ctx); err != nil {
		return err
	}
	ok, err := check()
	h.release()
	switch {
	case err != nil:
		return err
	case !ok:
		return ErrMismatch
	}
	return nil
}

// pbkdf2Params is a parsed pbkdf2-sha256 hash.
type pbkdf2Params struct {
	rounds    int
	salt, key []byte
}

// maxPBKDF2Rounds bounds the work one imported hash can ask of a check.
const maxPBKDF2Rounds = 10_000_000

func parsePBKDF2(hash string) (pbkdf2Params, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 5 {
		return pbkdf2Params{}, errors.New("pbkdf2-sha256 hash: want $pbkdf2-sha256$<rounds>$<salt>$<key>")
	}
	var p pbkdf2Params
	var err error
	params := parts[2]
	if strings.HasPrefix(params, "i=") {
		for _, kv := range strings.Split(params, ",") {
			if v, ok := strings.CutPrefix(kv, "i="); ok {
				p.rounds, err = strconv.Atoi(v)
			}
		}
	} else {
		p.rounds, err = strconv.Atoi(params)
	}
	if err != nil || p.rounds < 1 || p.rounds > maxPBKDF2Rounds {
		return p, fmt.Errorf("pbkdf2-sha256 hash: rounds must be 1 to %d", maxPBKDF2Rounds)
	}
	if p.salt, err = decodeB64(parts[3]); err != nil || len(p.salt) == 0 {
		return p, errors.New("pbkdf2-sha256 hash: the salt is not base64")
	}
	if p.key, err = decodeB64(parts[4]); err != nil || len(p.key) < 16 || len(p.key) > 64 {
		return p, errors.New("pbkdf2-sha256 hash: the key is not 16 to 64 bytes of base64")
	}
	return p, nil
}

func (p pbkdf2Params) matches(password string) (bool, error) {
	got, err := pbkdf2.Key(sha256.New, password, p.salt, p.rounds, len(p.key))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, p.key) == 1, nil
}

// decodeB64 reads base64 as the formats write it: standard or passlib's
// adapted alphabet ('.' for '+'), with or without padding.
func decodeB64(s string) ([]byte, error) {
	s = strings.TrimRight(strings.ReplaceAll(s, ".", "+"), "=")
	return base64.RawStdEncoding.DecodeString(s)
}
