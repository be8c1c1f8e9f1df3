package postgres

import (
	"sync/atomic"

	"gorm.io/gorm"
)

// PostgreSQL's trigram index answers a LIKE by reading the posting list of
// every trigram of the pattern, and GIN reads a common trigram's list
// nearly whole even when a rare trigram of the same pattern has already
// narrowed the search to a handful of users: its entries are spread over
// every page of the list. pg_trgm keeps no statistics to avoid that. So
// the server samples the users' search_text now and then (with TidySearch)
// and keeps how many users hold each trigram; a search whose query has
// trigrams that most users hold leaves them out of what it asks the index
// for, and tests the whole pattern on the users found: when every username
// starts "user0", "%user0012345%" makes the index read the posting lists
// of "use", "ser" and "er0" — every user — where "%0012345%" reads a few
// pages.
//
// Only trigrams most users hold are left out: each user the index finds
// costs a visit to its row, far more than a posting entry, and a trigram
// held by a share f of the users at most multiplies the users found by
// 1/f. Leaving out a trigram 1% of the users hold made a search visit ten
// times the rows (TestNarrowPattern's 4821 case).

// CommonTrigram says when a trigram is common enough to leave out of the
// index's part of a search: held by more than floor users (below it, a
// posting list costs little to read) and by at least share of them.
var CommonTrigram = struct{ Floor, Share float64 }{Floor: 10_000, Share: 0.5}

// trigramSampleRows is how many users a sample reads (about: PostgreSQL
// samples whole pages).
const trigramSampleRows = 10_000

// trigramStats holds the latest sample (nil before the first: every search
// asks the index for its whole pattern). Replicas each keep their own.
type trigramStats struct{ latest atomic.Pointer[trigramSample] }

// trigramSample is how many of the sampled users held each trigram of
// letters and digits (the only ones narrowPattern looks at).
type trigramSample struct {
	rows    float64 // users in the table
	sampled float64 // users sampled
	holding map[string]float64
}

// estimate is how many users of the table hold trigram t. One the sample
// never met counts as held by half a sampled user.
func (s *trigramSample) estimate(t string) float64 {
	n, ok := s.holding[t]
	if !ok {
		n = 0.5
	}
	return n / s.sampled * s.rows
}

// narrowPattern returns what of a folded query to ask the index for when
// some of its trigrams are common: for each run of letters and digits, the
// stretch of uncommon trigrams around the run's rarest, in the query's
// order (as "%a%b%", every user matching the query matches it: the runs
// do not overlap). It returns nil when the index should be asked for the
// whole query: no sample yet, no common trigram, or nothing else.
func (s *trigramSample) narrowPattern(query string) []string {
	if s == nil || s.sampled == 0 {
		return nil
	}
	common := func(t string) bool {
		n := s.estimate(t)
		return n > CommonTrigram.Floor && n >= CommonTrigram.Share*s.rows
	}
	var parts []string
	anyCommon := false
	for i := 0; i < len(query); {
		j := i
		for j < len(query) && isTrigramChar(query[j]) {
			j++
		}
		// The trigrams of query[i:j] start at i..j-3; keep the stretch of
		// uncommon ones around the rarest.
		rarest := -1
		for k := i; k+3 <= j; k++ {
			if common(query[k : k+3]) {
				anyCommon = true
			} else if rarest < 0 || s.estimate(query[k:k+3]) < s.estimate(query[rarest:rarest+3]) {
				rarest = k
			}
		}
		if rarest >= 0 {
			first, last := rarest, rarest
			for first > i && !common(query[first-1:first+2]) {
				first--
			}
			for last+4 <= j && !common(query[last+1:last+4]) {
				last++
			}
			parts = append(parts, query[first:last+3])
		}
		i = j + 1
	}
	if !anyCommon || len(parts) == 0 {
		return nil
	}
	return parts
}

// isTrigramChar is a character pg_trgm keeps in a trigram in every locale
// (the query is folded: no upper-case ASCII letters).
func isTrigramChar(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// sampleSearch samples the users' search_text and keeps how many users
// hold each trigram of letters and digits. A table too small for any
// trigram to be common keeps no sample.
func (e Engine) SampleSearch(r *gorm.DB) error {
	var rows float64
	if err := r.Raw("SELECT reltuples FROM pg_class WHERE oid = 'users'::regclass").Scan(&rows).Error; err != nil {
		return err
	}
	// reltuples is the planner's estimate: -1 before the first vacuum or
	// analyze, 0 from an index built on the empty table. Under a sample's
	// size, count.
	if rows < trigramSampleRows {
		if err := r.Raw("SELECT count(*) FROM users").Scan(&rows).Error; err != nil {
			return err
		}
	}
	if rows <= CommonTrigram.Floor {
		e.trigrams.latest.Store(nil)
		return nil
	}
	percent := min(100, 100*trigramSampleRows/rows)
	var held []struct {
		Trigram          string
		Holding, Sampled float64
	}
	err := r.Raw(`WITH s AS MATERIALIZED (SELECT search_text FROM users TABLESAMPLE SYSTEM (?))
		SELECT t AS trigram, count(*) AS holding, (SELECT count(*) FROM s) AS sampled
		FROM s, unnest(public.show_trgm(s.search_text)) AS t
		WHERE t ~ '^[a-z0-9]{3}$' GROUP BY t`, percent).Scan(&held).Error
	if err != nil || len(held) == 0 {
		return err
	}
	s := &trigramSample{rows: rows, sampled: held[0].Sampled, holding: make(map[string]float64, len(held))}
	if percent == 100 {
		s.rows = s.sampled
	}
	for _, h := range held {
		s.holding[h.Trigram] = h.Holding
	}
	e.trigrams.latest.Store(s)
	return nil
}

// NarrowPattern is what of a folded query a search asks the trigram index
// for, after the latest sample (nil: the whole query).
func (e Engine) NarrowPattern(query string) []string {
	return e.trigrams.latest.Load().narrowPattern(query)
}
