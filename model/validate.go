package model

import (
	"errors"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/idna"
)

// stringRules maps a UserInput `v` tag to its rule: each takes the trimmed
// value and returns its stored form or why it is refused.
var stringRules = map[string]func(string) (string, error){
	"username":    validUsername,
	"email":       validEmail,
	"phone":       validPhone,
	"countryCode": validCountryCode,
	"identifier":  nonEmpty,
	"url":         validURL,
	"profile":     validProfile,
	"date":        validDate,
	"ip":          validIP,
}

var (
	identifierPattern  = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	phonePattern       = regexp.MustCompile(`^\+?[0-9]{5,20}$`)
	countryCodePattern = regexp.MustCompile(`^\+?[0-9]{1,4}$`)
)

// schemePattern matches text that starts like a URL's scheme.
var schemePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// validProfile accepts a profile page's http(s) URL (the V2 documents'
// "Profile Url") or plain text, as the V3 documents' own sample sends
// ("alice"); text that starts like a URL of another scheme
// (javascript:, ftp:) is refused, so a console that renders the field as
// a link is never handed one.
func validProfile(s string) (string, error) {
	if schemePattern.MatchString(s) {
		return validURL(s)
	}
	return s, nil
}

func nonEmpty(s string) (string, error) {
	if s == "" {
		return "", errors.New("must not be empty")
	}
	return s, nil
}

// validUsername accepts any printable text without surrounding spaces
// (CheckIdentifier has refused control and invisible characters);
// usernames are case-sensitive and kept as given.
func validUsername(s string) (string, error) {
	if s == "" {
		return "", errors.New("must not be empty")
	}
	return s, nil
}

// validEmail accepts a bare address (no display name) whose domain is a
// valid host name, and lower-cases it: emails are unique and looked up
// case-insensitively. net/mail checks the address (RFC 5322), whose
// domain grammar allows characters no host name has (a@b.com'--); the
// IDNA lookup profile (UTS 46, STD3 rules) checks the domain as resolvers
// would, internationalized names included.
func validEmail(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", errors.New("is not a valid email address")
	}
	domain := s[strings.LastIndex(s, "@")+1:]
	ascii, err := idna.Lookup.ToASCII(domain)
	if err != nil || !strings.Contains(ascii, ".") || strings.HasSuffix(ascii, ".") {
		return "", errors.New("is not a valid email address: its domain is not a valid host name")
	}
	return strings.ToLower(s), nil
}

// phoneTyping removes what people type between a phone number's digits
// (made once: a Replacer builds its tables on first use).
var phoneTyping = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "")

// validPhone accepts digits with an optional leading +; spaces, dashes and
// parentheses people type are removed first.
func validPhone(s string) (string, error) {
	s = phoneTyping.Replace(s)
	if !phonePattern.MatchString(s) {
		return "", errors.New("must be 5 to 20 digits, optionally after a leading +")
	}
	return s, nil
}

func validCountryCode(s string) (string, error) {
	if !countryCodePattern.MatchString(s) {
		return "", errors.New("must be a calling code such as +86")
	}
	if !strings.HasPrefix(s, "+") {
		s = "+" + s
	}
	return s, nil
}

// validURL accepts absolute http and https URLs with a host.
func validURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("must be an absolute http or https URL")
	}
	return s, nil
}

func validDate(s string) (string, error) {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", errors.New("must be a date as YYYY-MM-DD")
	}
	return s, nil
}

func validIP(s string) (string, error) {
	ip := net.ParseIP(s)
	if ip == nil {
		return "", errors.New("must be an IPv4 or IPv6 address")
	}
	return ip.String(), nil
}

// timeLayouts are the ISO 8601 forms the reference documents show, most
// specific first. A time without an offset is read as UTC.
var timeLayouts = []string{
	time.RFC3339Nano,                // 2017-06-07T14:34:08.700Z, 2017-06-07T14:34:08+04:00
	"2006-01-02T15:04:05.999999999", // 2017-06-07T14:34:08.700 (UTC)
	time.DateOnly,                   // 2017-06-07 (midnight UTC)
}

// TimePrecision is the precision times are kept to: PostgreSQL's, so both
// engines store and return the same instant.
const TimePrecision = time.Microsecond

// ParseTime reads an ISO 8601 time in one of the forms the documents show
// and returns it in UTC, to the microsecond. Epoch numbers and other forms
// are refused.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Truncate(TimePrecision), nil
		}
	}
	return time.Time{}, Invalid("", "%q is not an ISO 8601 time such as 2017-06-07T14:34:08.700Z", s)
}
