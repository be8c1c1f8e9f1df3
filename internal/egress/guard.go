// Package egress keeps the server's own outbound requests — webhook
// deliveries, an operator identity provider's discovery and keys — off
// addresses a server must not be made to call (server-side request
// forgery). A client that sets a URL the server will fetch chooses where
// the server connects; the guard decides whether it may.
package egress

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"usergraph/model"
)

// Guard keeps requests off addresses a server must not be made to call
// (server-side request forgery): loopback, private, link-local (cloud
// metadata lives there: 169.254.169.254, fd00:ec2::254), unspecified,
// multicast and the other special-purpose ranges. It checks an endpoint's
// URL when it is set, and every address the delivery actually dials —
// DNS may answer differently at delivery than at creation. Allow names
// hosts (exactly) and address ranges an on-premise receiver lives at.
type Guard struct {
	flag     string // the setting that allows more, named in refusals
	hosts    map[string]bool
	prefixes []netip.Prefix
	// lookup resolves a host; tests replace it.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// NewGuard returns a guard allowing, beyond public addresses, each entry
// of allow: a CIDR range ("10.1.0.0/16"), an address, or a host name.
// flag is the setting allow came from (-webhook-allow), which refusals
// name.
func NewGuard(allow []string, flag string) (*Guard, error) {
	g := &Guard{flag: flag, hosts: map[string]bool{}, lookup: func(ctx context.Context, host string) ([]netip.Addr, error) {
		return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}}
	for _, a := range allow {
		a = strings.TrimSpace(a)
		switch {
		case a == "":
		case strings.Contains(a, "/"):
			p, err := netip.ParsePrefix(a)
			if err != nil {
				return nil, fmt.Errorf("%s %q: %w", flag, a, err)
			}
			g.prefixes = append(g.prefixes, p.Masked())
		default:
			if addr, err := netip.ParseAddr(a); err == nil {
				g.prefixes = append(g.prefixes, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
				continue
			}
			g.hosts[strings.ToLower(a)] = true
		}
	}
	return g, nil
}

// blocked are the special-purpose ranges beyond what netip's predicates
// name (IANA's special-purpose registries).
var blocked = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24",
		"203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32",
		"64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "fd00:ec2::254/128",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// allowedAddr says whether a request may connect to addr.
func (g *Guard) allowedAddr(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range g.prefixes {
		if p.Contains(addr) {
			return true
		}
	}
	if addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() ||
		addr.IsInterfaceLocalMulticast() || addr.IsMulticast() || addr.IsUnspecified() || !addr.IsValid() {
		return false
	}
	for _, p := range blocked {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// ErrRefused is a connection refused by the guard.
var ErrRefused = errors.New("the address is not allowed (loopback, private, link-local or special-purpose)")

// refused is ErrRefused saying which setting would allow it.
func (g *Guard) refused() error {
	return fmt.Errorf("%w: allow it with -%s", ErrRefused, g.flag)
}

// CheckHost refuses, as INVALID_INPUT on field, a URL whose host is not
// allowed or resolves (now) to an address that is not. Dial checks again
// on every connection: this is for telling the client at once.
func (g *Guard) CheckHost(ctx context.Context, field string, u *url.URL) error {
	host := strings.ToLower(u.Hostname())
	if g.hosts[host] {
		return nil
	}
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		return model.Invalid(field, "the host does not resolve")
	}
	for _, a := range addrs {
		if !g.allowedAddr(a) {
			return model.Invalid(field, "%s", g.refused().Error())
		}
	}
	return nil
}

func (g *Guard) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := g.lookup(ctx, host)
	if err == nil && len(addrs) == 0 {
		err = errors.New("no addresses")
	}
	return addrs, err
}

// Dial connects a request (an http.Transport's DialContext): it resolves the host itself, refuses every
// address the guard does not allow (a host named in allow may be at any
// address), and dials an allowed one — the address checked is the one
// connected to, so a DNS answer that changes between check and connect
// cannot slip through.
func (g *Guard) Dial(ctx context.Context, network, hostport string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, err
	}
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	trusted := g.hosts[strings.ToLower(host)]
	d := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		// Checked again on the socket: whatever dialed, this is where
		// it goes.
		ap, err := netip.ParseAddrPort(address)
		if err != nil || (!trusted && !g.allowedAddr(ap.Addr())) {
			return g.refused()
		}
		return nil
	}}
	var last = g.refused()
	for _, a := range addrs {
		if !trusted && !g.allowedAddr(a) {
			continue
		}
		c, err := d.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return c, nil
		}
		last = err
	}
	return nil, last
}
