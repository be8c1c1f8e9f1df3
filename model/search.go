package model

import (
	"strings"
	"unicode/utf8"
)

// SearchFields are the user fields searchUsers matches, in the documents'
// order, with their columns. A search without fields matches all of them.
var SearchFields = []struct{ Field, Column string }{
	{"username", "username"},
	{"nickname", "nickname"},
	{"email", "email"},
	{"phone", "phone"},
	{"company", "company"},
	{"name", "name"},
	{"givenName", "given_name"},
	{"familyName", "family_name"},
	{"middleName", "middle_name"},
	{"profile", "profile"},
	{"preferredUsername", "preferred_username"},
}

// MaxSearchQuery bounds a search query's length.
const MaxSearchQuery = 256

// MinIndexedQuery is the shortest query a trigram index can serve; shorter
// queries are answered by scanning the pool's users.
const MinIndexedQuery = 3

// UserSearch is a validated user search.
type UserSearch struct {
	// Query is the search text folded for matching (see FoldASCII); empty
	// means no search: the plain listing.
	Query string
	// Columns are the columns to match, in SearchFields order.
	Columns []string
	// ShowHidden includes hidden users.
	ShowHidden bool
}

// NewUserSearch validates a search: the query (trimmed, at most
// MaxSearchQuery characters, valid UTF-8, no NUL) and the fields, which must
// be among SearchFields (INVALID_INPUT on fields.N otherwise).
func NewUserSearch(query string, fields []string, showHidden bool) (UserSearch, error) {
	q := strings.TrimSpace(query)
	if !utf8.ValidString(q) || strings.ContainsRune(q, 0) {
		return UserSearch{}, Invalid("query", "must be valid UTF-8 text without NUL characters")
	}
	if len([]rune(q)) > MaxSearchQuery {
		return UserSearch{}, Invalid("query", "must be at most %d characters", MaxSearchQuery)
	}
	s := UserSearch{Query: FoldASCII(q), ShowHidden: showHidden}
	want := map[string]bool{}
	for i, f := range fields {
		known := false
		for _, sf := range SearchFields {
			known = known || sf.Field == f
		}
		if !known {
			return UserSearch{}, Invalid("fields."+itoa(i), "cannot search by %q: give some of username, nickname, email, phone, company, name, givenName, familyName, middleName, profile, preferredUsername", f)
		}
		want[f] = true
	}
	for _, sf := range SearchFields {
		if len(fields) == 0 || want[sf.Field] {
			s.Columns = append(s.Columns, sf.Column)
		}
	}
	return s, nil
}

// FoldASCII lower-cases ASCII letters only, as SQLite's lower() does. Search
// is case-insensitive for ASCII letters and exact for every other
// character, identically on SQLite and PostgreSQL, whichever path (index or
// scan) answers.
func FoldASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b)
}

// EveryField reports whether the search matches every field of
// SearchFields (none was named), so an index holding exactly those needs
// no narrowing to some.
func (s UserSearch) EveryField() bool { return len(s.Columns) == len(SearchFields) }

// Indexed reports whether the query is long enough for a trigram index.
func (s UserSearch) Indexed() bool { return len([]rune(s.Query)) >= MinIndexedQuery }

// FTSQuery is the query as an FTS5 MATCH expression: one phrase (every
// character of user input quoted, so AND, OR, NEAR, *, parentheses and
// quotes mean nothing), restricted to the searched columns. A search of
// every column names none: the FTS5 tables hold exactly SearchFields, and
// a column filter costs FTS5 a test of each hit's positions, which a
// count to 10,000 hits pays 10,000 times (docs/performance.md).
func (s UserSearch) FTSQuery() string {
	phrase := "\"" + strings.ReplaceAll(s.Query, `"`, `""`) + `"`
	if s.EveryField() {
		return phrase
	}
	return "{" + strings.Join(s.Columns, " ") + "} : " + phrase
}

// LikePattern is the query as a LIKE pattern matching it anywhere, with
// the LIKE metacharacters escaped by '\'.
func (s UserSearch) LikePattern() string {
	return "%" + likeEscapes.Replace(s.Query) + "%"
}

// likeEscapes escapes LIKE's metacharacters (made once: a Replacer builds
// its tables on first use).
var likeEscapes = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
