package egress

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"sync"
	"testing"
)

// TestGuardChecksEveryDial: a name that resolved to a public address when
// the endpoint was made, and to a private one at delivery (DNS
// rebinding), is refused at delivery; a name or range allowed by the
// operator is not.
func TestGuardChecksEveryDial(t *testing.T) {
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
	defer recv.Close()
	_, port, _ := net.SplitHostPort(recv.Listener.Addr().String())

	g, err := NewGuard(nil, "webhook-allow")
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
	if err := g.CheckHost(ctx, "url", mustURL("http://hooks.example.com:"+port+"/x")); err != nil {
		t.Fatalf("a public address refused: %v", err)
	}
	for _, private := range []string{"127.0.0.1", "10.0.0.7", "169.254.169.254", "::1", "fd00:ec2::254"} {
		mu.Lock()
		answer = netip.MustParseAddr(private)
		mu.Unlock()
		if err := g.CheckHost(ctx, "url", mustURL("http://hooks.example.com/x")); err == nil {
			t.Errorf("a name resolving to %s passed the URL check", private)
		}
		if _, err := g.Dial(ctx, "tcp", "hooks.example.com:"+port); !errors.Is(err, ErrRefused) {
			t.Errorf("dialled %s: %v", private, err)
		}
	}

	// Allowed: by range, and by name whatever it resolves to.
	for _, allow := range [][]string{{"127.0.0.0/8"}, {"hooks.example.com"}} {
		g2, err := NewGuard(allow, "webhook-allow")
		if err != nil {
			t.Fatal(err)
		}
		g2.lookup = func(context.Context, string) ([]netip.Addr, error) {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		}
		c, err := g2.Dial(ctx, "tcp", "hooks.example.com:"+port)
		if err != nil {
			t.Errorf("allowed %v: %v", allow, err)
			continue
		}
		c.Close()
	}
	if _, err := NewGuard([]string{"10.0.0.0/33"}, "webhook-allow"); err == nil {
		t.Error("a bad range was accepted")
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
