package postgres

import (
	"slices"
	"testing"
)

// TestNarrowPattern: what of a query the trigram index is asked for,
// against a sample shaped like the benchmark's million users (every
// username and email starts "user0", every email holds "example").
func TestNarrowPattern(t *testing.T) {
	sample := &trigramSample{rows: 1_000_000, sampled: 10_000, holding: map[string]float64{
		"use": 10_000, "ser": 10_000, "er0": 10_000, "r00": 1_100,
		"001": 170, "012": 100, "123": 70, "234": 65, "345": 130, "482": 73, "821": 94,
		"exa": 9_600, "xam": 9_600, "amp": 9_600, "mpl": 9_600, "ple": 9_600,
		"abc": 2_000, "bcd": 500, "cde": 500,
	}}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"user0012345", []string{"r0012345"}},          // "use", "ser", "er0" are left to the recheck; "r00" (11%) is not
		{"user 0012345", []string{"0012345"}},          // a word of common trigrams only is left out whole
		{"use%0012345", []string{"0012345"}},           // LIKE's metacharacters are not trigram characters
		{"0012345 user", []string{"0012345"}},          // the kept part may come first
		{"smith user 4821", []string{"smith", "4821"}}, // every word keeps its uncommon trigrams, in order
		{"usex0012345", []string{"sex0012345"}},        // unseen trigrams are uncommon
		// In one run, only the stretch around the rarest: two stretches
		// apart by one common trigram overlap ("0012345us" and "sex" share
		// no letter here, but "xyzab" split at "yza" would share the "z").
		{"0012345usex", []string{"0012345us"}},
		{"useé0012345", []string{"0012345"}}, // a non-ASCII letter ends a run
		{"use bcde", []string{"bcde"}},       // held by 5%: kept, and narrows as well as "use" would
		{"example", nil},                     // nothing but common trigrams: ask for all
		{"4821", nil},                        // nothing common
		{"abcd", nil},
		{"bob", nil},
		{"ab", nil},
		{"josé0012345", nil},
		{"", nil},
	} {
		if got := sample.narrowPattern(c.query); !slices.Equal(got, c.want) {
			t.Errorf("narrowPattern(%q) = %q, want %q", c.query, got, c.want)
		}
	}
	var none *trigramSample // before the first sample
	if got := none.narrowPattern("user0012345"); got != nil {
		t.Errorf("without a sample: %q", got)
	}
	small := &trigramSample{rows: 5_000, sampled: 5_000, holding: map[string]float64{"use": 5_000, "ser": 5_000}}
	if got := small.narrowPattern("user0012345"); got != nil {
		t.Errorf("no trigram is in more than %v users of 5,000, yet %q", CommonTrigram.Floor, got)
	}
}
