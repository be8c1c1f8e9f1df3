package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Every string a client writes passes one of two checks, so a rule is never
// applied to one field and forgotten on its neighbour.

// CheckText checks a free-text value (a name, a description, an address, a
// custom value): valid UTF-8, at most maxRunes characters (0: no bound),
// and no NUL or other control character but tab, newline and carriage
// return, which addresses and descriptions may hold.
func CheckText(field, s string, maxRunes int) error {
	if err := CheckUTF8(field, s); err != nil {
		return err
	}
	if maxRunes > 0 && utf8.RuneCountInString(s) > maxRunes {
		return Invalid(field, "must be at most %d characters", maxRunes)
	}
	for _, r := range s {
		if unicode.Is(unicode.Cc, r) && r != '\t' && r != '\n' && r != '\r' {
			return Invalid(field, "must not contain control characters")
		}
	}
	return nil
}

// CheckIdentifier checks a value that identifies something to people (a
// username, an external id): CheckText's rules, no control character at
// all, and no invisible format character (zero-width spaces and joiners,
// bidirectional overrides), which would let two identifiers that look the
// same differ.
func CheckIdentifier(field, s string, maxRunes int) error {
	if err := CheckText(field, s, maxRunes); err != nil {
		return err
	}
	for _, r := range s {
		if unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) {
			return Invalid(field, "must not contain control or invisible formatting characters")
		}
	}
	return nil
}

const invalidUTF8 = "must be valid UTF-8 text: invalid byte sequences, lone surrogates and U+FFFD are refused"

// CheckUTF8 refuses a string that is not valid UTF-8, or that holds
// U+FFFD. The JSON and GraphQL decoders replace invalid byte sequences and
// lone surrogates (\uD800) with U+FFFD before the server sees the value,
// so U+FFFD is how an invalid input arrives; stored, it would be a
// corrupted value nobody typed. (U+FFFD means "a character was lost here":
// no one enters it on purpose.)
func CheckUTF8(field, s string) error {
	if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
		return Invalid(field, invalidUTF8)
	}
	return nil
}
