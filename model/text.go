package model

import (
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
	if !utf8.ValidString(s) {
		return Invalid(field, "must be valid UTF-8")
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
