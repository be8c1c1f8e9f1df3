package webhook

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// TestGuardChecksEveryDial: a name that resolved to a public address when
// the endpoint was made, and to a private one at delivery (DNS
// rebinding), is refused at delivery; a name or range allowed by the
// operator is not.
func TestGuardChecksEveryDial(t *testing.T) {
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
	defer recv.Close()
	_, port, _ := net.SplitHostPort(recv.Listener.Addr().String())

	g, err := NewGuard(nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	answer := netip.MustParseAddr("93.184.216.34")
	g.lookup = func(context.Context, string) ([]netip.Addr, error) {
		mu.Lock()
		defer mu.Unlock()
		return []netip.Addr{answer}, nil
	}
	ctx := context.Background()
	if err := g.CheckURL(ctx, "url", "http://hooks.example.com:"+port+"/x"); err != nil {
		t.Fatalf("a public address refused: %v", err)
	}
	for _, private := range []string{"127.0.0.1", "10.0.0.7", "169.254.169.254", "::1", "fd00:ec2::254"} {
		mu.Lock()
		answer = netip.MustParseAddr(private)
		mu.Unlock()
		if err := g.CheckURL(ctx, "url", "http://hooks.example.com/x"); err == nil {
			t.Errorf("a name resolving to %s passed the URL check", private)
		}
		if _, err := g.dial(ctx, "tcp", "hooks.example.com:"+port); !errors.Is(err, errRefused) {
			t.Errorf("dialled %s: %v", private, err)
		}
	}

	// Allowed: by range, and by name whatever it resolves to.
	for _, allow := range [][]string{{"127.0.0.0/8"}, {"hooks.example.com"}} {
		g2, err := NewGuard(allow)
		if err != nil {
			t.Fatal(err)
		}
		g2.lookup = func(context.Context, string) ([]netip.Addr, error) {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		}
		c, err := g2.dial(ctx, "tcp", "hooks.example.com:"+port)
		if err != nil {
			t.Errorf("allowed %v: %v", allow, err)
			continue
		}
		c.Close()
	}
	if _, err := NewGuard([]string{"10.0.0.0/33"}); err == nil {
		t.Error("a bad range was accepted")
	}
}

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
