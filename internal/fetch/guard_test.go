package fetch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestCheckAddress(t *testing.T) {
	blocked := []string{
		"127.0.0.1", "127.8.9.10", "::1", "0.0.0.0", "0.1.2.3", "::",
		"10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
		"100.64.0.1", "100.127.255.254",
		"169.254.169.254", "169.254.0.1", "fe80::1", "fe80::1%eth0",
		"fc00::1", "fd12:3456::1",
		"224.0.0.1", "239.255.255.250", "ff02::1", "255.255.255.255",
		"::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",
		"64:ff9b::7f00:1", "2002:7f00:1::", "::127.0.0.1",
	}
	for _, s := range blocked {
		if CheckAddress(netip.MustParseAddr(s)) == "" {
			t.Errorf("%s allowed, want blocked", s)
		}
	}
	allowed := []string{"93.184.216.34", "8.8.8.8", "100.128.0.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"}
	for _, s := range allowed {
		if why := CheckAddress(netip.MustParseAddr(s)); why != "" {
			t.Errorf("%s blocked (%s), want allowed", s, why)
		}
	}
}

func TestGuardControlMessage(t *testing.T) {
	err := guardControl("tcp4", "169.254.169.254:80", nil)
	if !errors.Is(err, ErrBlockedAddress) {
		t.Fatalf("got %v", err)
	}
	for _, want := range []string{"169.254.169.254", "link-local", "KHABAR_ALLOW_PRIVATE_NETWORKS=true"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
}

// TestSSRFGuardOnByDefault dials only loopback and 169.254.169.254; the
// guard refuses before connect(2), so no packet leaves for the latter.
func TestSSRFGuardOnByDefault(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	cfg := testConfig()
	cfg.AllowPrivate = false
	cfg.Resolve = map[string]string{"news.example": "127.0.0.1"}
	c := New(cfg)
	for _, u := range []string{
		srv.URL,
		"http://[::1]:" + port + "/",
		"http://169.254.169.254/latest/meta-data/",
		"http://[::ffff:127.0.0.1]:" + port + "/",
		"http://news.example:" + port + "/feed", // a public-looking name resolving to loopback
	} {
		_, err := c.Get(context.Background(), u, Conditional{})
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("%s: got %v, want ErrBlockedAddress", u, err)
			continue
		}
		if !strings.Contains(err.Error(), "KHABAR_ALLOW_PRIVATE_NETWORKS") {
			t.Errorf("%s: message %q does not say how to lift the guard", u, err)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests reached the loopback server", hits.Load())
	}

	cfg.AllowPrivate = true
	c = New(cfg)
	if _, err := c.Get(context.Background(), "http://news.example:"+port+"/feed", Conditional{}); err != nil {
		t.Fatalf("AllowPrivate: %v", err)
	}
	if hits.Load() != 1 {
		t.Errorf("AllowPrivate: %d hits, want 1", hits.Load())
	}
}

// TestSSRFGuardOnRedirect lets the first server through and checks that a
// redirect to a loopback address passes the same guard.
func TestSSRFGuardOnRedirect(t *testing.T) {
	var innerHits atomic.Int32
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { innerHits.Add(1) }))
	defer inner.Close()
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL+"/admin", http.StatusFound)
	}))
	defer outer.Close()

	cfg := testConfig()
	cfg.AllowPrivate = false
	c := New(cfg)
	// Stand in for a public outlet: only the outer server's address passes.
	outerAddr := outer.Listener.Addr().String()
	d := &net.Dialer{Timeout: time.Second, Control: func(network, address string, rc syscall.RawConn) error {
		if address == outerAddr {
			return nil
		}
		return guardControl(network, address, rc)
	}}
	c.transport.DialContext = d.DialContext

	_, err := c.Get(context.Background(), outer.URL, Conditional{})
	if !errors.Is(err, ErrBlockedAddress) {
		t.Fatalf("got %v, want the redirect blocked", err)
	}
	if innerHits.Load() != 0 {
		t.Error("the redirect reached the loopback server")
	}
}
