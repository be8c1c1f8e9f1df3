package webhook

import (
	"testing"
	"time"
)

// TestRetriesBackOff: each retry waits about twice the one before (±20%),
// up to RetryMax, and a delivery is given up once the window has passed.
func TestRetriesBackOff(t *testing.T) {
	s := &Service{opt: Options{}.withDefaults()}
	first := timeZero()
	prev := 0.0
	for n := 1; n <= 8; n++ {
		at := s.nextAttempt(n, first, first)
		if at == nil {
			t.Fatalf("attempt %d given up", n)
		}
		d := at.Sub(first).Seconds()
		want := s.opt.RetryBase.Seconds() * float64(int(1)<<(n-1))
		if d < want*0.8 || d > want*1.2 {
			t.Errorf("retry after attempt %d in %.1fs, want %.1fs ±20%%", n, d, want)
		}
		if n > 1 && d <= prev*1.3 {
			t.Errorf("retry %d (%.1fs) did not back off from %.1fs", n, d, prev)
		}
		prev = d
	}
	if at := s.nextAttempt(30, first, first); at == nil || at.Sub(first) > s.opt.RetryMax*6/5 {
		t.Errorf("a late retry waits %v, want at most RetryMax", at.Sub(first))
	}
	if at := s.nextAttempt(20, first, first.Add(s.opt.RetryWindow)); at != nil {
		t.Error("a delivery past its retry window is retried")
	}
	if s.opt.RetryWindow < 24*60*60*1e9 {
		t.Errorf("the retry window %v is under 24 h", s.opt.RetryWindow)
	}
}

func timeZero() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
