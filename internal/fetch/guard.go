package fetch

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
)

// blockedPrefix is an address range the SSRF guard refuses, with the reason
// given in the error.
type blockedPrefix struct {
	prefix netip.Prefix
	why    string
}

// blockedPrefixes is built once and only read. IPv4-mapped IPv6 addresses
// are unmapped before the lookup, so "::ffff:127.0.0.1" is refused as
// loopback; NAT64 and 6to4 addresses embedding an IPv4 address are checked
// against the IPv4 table too.
var blockedPrefixes = func() []blockedPrefix {
	list := []struct{ cidr, why string }{
		{"0.0.0.0/8", "the unspecified \"this network\" range"},
		{"10.0.0.0/8", "a private network (RFC 1918)"},
		{"100.64.0.0/10", "carrier-grade NAT shared space (RFC 6598)"},
		{"127.0.0.0/8", "loopback"},
		{"169.254.0.0/16", "link-local (cloud metadata services live at 169.254.169.254)"},
		{"172.16.0.0/12", "a private network (RFC 1918)"},
		{"192.0.0.0/24", "IETF protocol assignments"},
		{"192.0.2.0/24", "documentation (TEST-NET-1)"},
		{"192.168.0.0/16", "a private network (RFC 1918)"},
		{"198.18.0.0/15", "benchmarking"},
		{"198.51.100.0/24", "documentation (TEST-NET-2)"},
		{"203.0.113.0/24", "documentation (TEST-NET-3)"},
		{"224.0.0.0/4", "multicast"},
		{"240.0.0.0/4", "reserved (and broadcast)"},
		{"::/128", "unspecified"},
		{"::1/128", "loopback"},
		{"::/96", "IPv4-compatible (deprecated)"},
		{"100::/64", "discard-only"},
		{"2001:db8::/32", "documentation"},
		{"fc00::/7", "unique-local (private)"},
		{"fe80::/10", "link-local"},
		{"fec0::/10", "site-local (deprecated)"},
		{"ff00::/8", "multicast"},
	}
	out := make([]blockedPrefix, len(list))
	for i, l := range list {
		out[i] = blockedPrefix{netip.MustParsePrefix(l.cidr), l.why}
	}
	return out
}()

var (
	nat64   = netip.MustParsePrefix("64:ff9b::/96")
	sixToFo = netip.MustParsePrefix("2002::/16")
)

// CheckAddress reports why the SSRF guard refuses ip, or "" if it allows it.
func CheckAddress(ip netip.Addr) string {
	ip = ip.Unmap().WithZone("")
	if !ip.IsValid() {
		return "not a valid IP address"
	}
	for _, b := range blockedPrefixes {
		if b.prefix.Contains(ip) {
			return b.why
		}
	}
	if ip.Is6() {
		a := ip.As16()
		var v4 netip.Addr
		switch {
		case nat64.Contains(ip):
			v4 = netip.AddrFrom4([4]byte{a[12], a[13], a[14], a[15]})
		case sixToFo.Contains(ip):
			v4 = netip.AddrFrom4([4]byte{a[2], a[3], a[4], a[5]})
		}
		if v4.IsValid() {
			if why := CheckAddress(v4); why != "" {
				return why + " (embedded in " + ip.String() + ")"
			}
		}
	}
	return ""
}

// guardControl runs after the address is resolved and before the socket
// connects, for every connection the Transport opens — first requests,
// redirects, robots.txt — so a DNS answer that changes between a check and
// the connection (rebinding) cannot slip past.
func guardControl(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot read dial address %q: %v", ErrBlockedAddress, address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: dial address %q is not an IP address", ErrBlockedAddress, address)
	}
	if why := CheckAddress(ip); why != "" {
		return fmt.Errorf("%w: refused to connect to %s, which is %s; set KHABAR_ALLOW_PRIVATE_NETWORKS=true to allow local sources", ErrBlockedAddress, ip, why)
	}
	return nil
}

// dialer applies Config.Resolve before dialling with the guarded
// net.Dialer.
type dialer struct {
	net          *net.Dialer
	allowPrivate bool
	resolve      map[string]string
}

func (d *dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if len(d.resolve) > 0 {
		if host, port, err := net.SplitHostPort(address); err == nil {
			if ip, ok := d.resolve[strings.ToLower(host)]; ok {
				address = net.JoinHostPort(ip, port)
			}
		}
	}
	return d.net.DialContext(ctx, network, address)
}
