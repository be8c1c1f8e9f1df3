package db

import "testing"

// TestNarrowPattern: the part of a query the trigram index is asked for,
// against a sample shaped like the benchmark's million users (every
// username and email starts "user0", every email holds "example").
func TestNarrowPattern(t *testing.T) {
	sample := &trigramSample{rows: 1_000_000, sampled: 10_000, holding: map[string]float64{
		"use": 10_000, "ser": 10_000, "er0": 10_000, "r00": 1_100,
		"001": 170, "012": 100, "123": 70, "234": 65, "345": 130, "482": 73, "821": 94,
		"exa": 9_600, "xam": 9_600, "amp": 9_600, "mpl": 9_600, "ple": 9_600,
		"abc": 2_000, "bcd": 500,
	}}
	for _, c := range []struct{ query, want string }{
		{"user0012345", "0012345"},       // the common prefix is left to the recheck
		{"user 0012345", "0012345"},      // across words
		{"use%0012345", "0012345"},       // LIKE's metacharacters are not trigram characters
		{"0012345 user", "0012345"},      // the run may come first
		{"user 0012345 user", "0012345"}, // or in the middle
		// An unseen trigram ("sex": in about 50 users) makes the digits'
		// 6,500 to 17,000 users common next to it (more than 8× as many).
		{"usex0012345", "sex00"},
		{"0012345usex", "01234"},   // the longest run: 3 trigrams, not 2 ("45us")
		{"jos0012345", "jos00"},    // of two as long, the first
		{"josé0012345", "01234"},   // "é" ends a run: "jos" is one trigram
		{"example", ""},            // nothing but common trigrams: ask for all
		{"4821", ""},               // nothing common
		{"bob", ""},                // one trigram
		{"ab", ""},                 // none
		{"abcd", ""},               // 4× the rarest: not common enough to leave out
		{"useé0012345", "0012345"}, // a non-ASCII letter ends a run
		{"", ""},
	} {
		if got := sample.narrowPattern(c.query); got != c.want {
			t.Errorf("narrowPattern(%q) = %q, want %q", c.query, got, c.want)
		}
	}
	var none *trigramSample // before the first sample
	if got := none.narrowPattern("user0012345"); got != "" {
		t.Errorf("without a sample: %q", got)
	}
	small := &trigramSample{rows: 5_000, sampled: 5_000, holding: map[string]float64{"use": 5_000, "ser": 5_000}}
	if got := small.narrowPattern("user0012345"); got != "" {
		t.Errorf("no trigram is in more than %v users of 5,000, yet %q", commonTrigram.floor, got)
	}
}
