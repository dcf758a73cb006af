// Package fetch is khabar's HTTP policy: the only place that talks to
// outlets' servers. One shared Transport; a context on every request;
// dial, TLS, header and total timeouts; conditional GET; Retry-After; body
// limits that hold after decompression; a redirect limit; robots.txt;
// one request at a time per host with a minimum delay and a global bound;
// an SSRF guard in the dialer; and every text body decoded to UTF-8.
//
// It knows nothing of khabar's model or store: callers pass URLs and get
// bytes, validators and typed errors back.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Version is the khabar version named in the default User-Agent.
const Version = "0.1"

// productToken is the name robots.txt groups are matched against.
const productToken = "khabar"

// Defaults applied by New to zero Config fields.
const (
	DefaultPerHostDelay          = time.Second
	DefaultMaxConcurrent         = 8
	DefaultMaxBodyBytes          = 20 << 20
	DefaultTimeout               = 30 * time.Second
	DefaultMaxRedirects          = 5
	DefaultDialTimeout           = 10 * time.Second
	DefaultTLSHandshakeTimeout   = 10 * time.Second
	DefaultResponseHeaderTimeout = 20 * time.Second
	DefaultRobotsTTL             = 12 * time.Hour
)

// Config is the client's policy. Zero fields take the defaults above, except
// the booleans: AllowPrivate is off (the SSRF guard is on) and RespectRobots
// is what the caller says (khabar's configuration turns it on).
type Config struct {
	// UserAgent defaults to "khabar/0.1"; Contact, a URL where a site owner
	// can reach the operator, is appended as " (+Contact)".
	UserAgent, Contact string
	// AllowPrivate lifts the SSRF guard (KHABAR_ALLOW_PRIVATE_NETWORKS=true),
	// for sources on the local network and for tests.
	AllowPrivate bool
	// PerHostDelay is the least time between the end of one request to a
	// host and the start of the next; robots.txt Crawl-delay raises it (up
	// to MaxCrawlDelay). Zero means none (requests to a host still go one
	// at a time); negative means DefaultPerHostDelay.
	PerHostDelay time.Duration
	// MaxConcurrent bounds requests in flight over all hosts.
	MaxConcurrent int
	// MaxBodyBytes bounds a body as read from the wire and as decompressed.
	MaxBodyBytes int64
	// Timeout bounds one Get in total: waiting for the host's turn is not
	// counted; robots.txt, redirects, headers and body are.
	Timeout time.Duration
	// MaxRedirects is the number of redirects followed; more is an error
	// (ErrTooManyRedirects). Negative follows none.
	MaxRedirects int
	// RespectRobots makes Get fetch, cache and obey robots.txt.
	RespectRobots bool

	// DialTimeout, TLSHandshakeTimeout and ResponseHeaderTimeout bound the
	// phases of a request (each also bounded by Timeout).
	DialTimeout, TLSHandshakeTimeout, ResponseHeaderTimeout time.Duration
	// RobotsTTL is how long a host's robots.txt is cached.
	RobotsTTL time.Duration
	// MaxCrawlDelay caps a robots.txt Crawl-delay (default 30s), so that a
	// hostile robots.txt cannot stall the crawler.
	MaxCrawlDelay time.Duration
	// Resolve maps host names to IP addresses before dialling, like curl's
	// --resolve (split-horizon setups, tests). The SSRF guard still checks
	// the address actually dialled.
	Resolve map[string]string
}

// Client fetches under one Config. It is safe for concurrent use; make one
// per process and share it, so its Transport, pacing and robots cache are
// shared too.
type Client struct {
	cfg       Config
	userAgent string
	http      *http.Client
	transport *http.Transport
	global    chan struct{} // MaxConcurrent tokens

	mu     sync.Mutex
	hosts  map[string]*hostState
	robots map[string]*robotsEntry
}

// hostState serializes and paces requests to one host.
type hostState struct {
	turn chan struct{} // one token: the right to send to this host
	last time.Time     // when the last request to this host ended
	// crawlDelay is the host's robots.txt Crawl-delay, capped.
	crawlDelay time.Duration
}

// Conditional carries the validators of a previous response, for a
// conditional GET.
type Conditional struct {
	ETag, LastModified string
}

// Response is a fetched document.
type Response struct {
	URL         string // final URL, after redirects
	Status      int
	NotModified bool   // 304: Body is nil, keep what you have
	Body        []byte // decoded to UTF-8 when the content is text
	ContentType string
	// Charset is the encoding Body was decoded from ("" when not text).
	Charset      string
	ETag         string
	LastModified string
	RetryAfter   time.Duration // from a Retry-After header, if any
}

// Errors Get returns (wrapped; test with errors.Is).
var (
	// ErrDisallowed: robots.txt disallows the URL for khabar.
	ErrDisallowed = errors.New("fetch: disallowed by robots.txt")
	// ErrBlockedAddress: the SSRF guard refused the address being dialled.
	ErrBlockedAddress = errors.New("fetch: blocked address")
	// ErrTooLarge: the body, raw or decompressed, exceeds MaxBodyBytes.
	ErrTooLarge = errors.New("fetch: body too large")
	// ErrTooManyRedirects: more than MaxRedirects redirects.
	ErrTooManyRedirects = errors.New("fetch: too many redirects")
	// ErrBadURL: not an absolute http or https URL.
	ErrBadURL = errors.New("fetch: bad url")
)

// StatusError is a response with a status other than 2xx and 304. For 429
// and 503, RetryAfter holds the server's Retry-After (zero if absent): no
// request to the URL should be made before it has passed.
type StatusError struct {
	URL        string
	Status     int
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("fetch: %s: http status %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// New returns a Client for cfg, with defaults filled in.
func New(cfg Config) *Client {
	if cfg.PerHostDelay < 0 {
		cfg.PerHostDelay = DefaultPerHostDelay
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = DefaultMaxConcurrent
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRedirects < 0 {
		cfg.MaxRedirects = 0
	} else if cfg.MaxRedirects == 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = DefaultDialTimeout
	}
	if cfg.TLSHandshakeTimeout <= 0 {
		cfg.TLSHandshakeTimeout = DefaultTLSHandshakeTimeout
	}
	if cfg.ResponseHeaderTimeout <= 0 {
		cfg.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
	}
	if cfg.RobotsTTL <= 0 {
		cfg.RobotsTTL = DefaultRobotsTTL
	}
	if cfg.MaxCrawlDelay <= 0 {
		cfg.MaxCrawlDelay = 30 * time.Second
	}
	resolve := make(map[string]string, len(cfg.Resolve))
	for h, ip := range cfg.Resolve {
		resolve[strings.ToLower(h)] = ip
	}
	cfg.Resolve = resolve

	c := &Client{
		cfg:       cfg,
		userAgent: userAgent(cfg.UserAgent, cfg.Contact),
		global:    make(chan struct{}, cfg.MaxConcurrent),
		hosts:     map[string]*hostState{},
		robots:    map[string]*robotsEntry{},
	}
	c.transport = newTransport(&c.cfg)
	c.http = &http.Client{
		Transport:     c.transport,
		CheckRedirect: c.checkRedirect,
	}
	return c
}

func userAgent(ua, contact string) string {
	if strings.TrimSpace(ua) == "" {
		ua = productToken + "/" + Version
	}
	if contact = strings.TrimSpace(contact); contact != "" && !strings.Contains(ua, contact) {
		ua += " (+" + contact + ")"
	}
	return ua
}

// UserAgent returns the User-Agent header the client sends.
func (c *Client) UserAgent() string { return c.userAgent }

// CloseIdleConnections closes the shared Transport's idle connections.
func (c *Client) CloseIdleConnections() { c.transport.CloseIdleConnections() }

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.cfg.MaxRedirects {
		return fmt.Errorf("%w: stopped after %d (last %s)", ErrTooManyRedirects, c.cfg.MaxRedirects, via[len(via)-1].URL)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w: redirect to %q", ErrBadURL, req.URL.Redacted())
	}
	if c.cfg.RespectRobots && !isRobotsURL(req.URL) {
		if err := c.checkRobots(req.Context(), req.URL); err != nil {
			return err
		}
	}
	return nil
}

// Get fetches rawURL. It waits for the host's turn (one request at a time
// per host, PerHostDelay apart) and a global slot, checks robots.txt when
// configured, then sends a conditional GET when cond has validators.
//
// A 304 returns a Response with NotModified; other non-2xx statuses return a
// *StatusError. The body is read up to MaxBodyBytes (ErrTooLarge beyond),
// decompressed under the same limit, and decoded to UTF-8 when it is text.
func (c *Client) Get(ctx context.Context, rawURL string, cond Conditional) (*Response, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	release, err := c.acquire(ctx, u.Host)
	if err != nil {
		return nil, &urlError{URL: u.Redacted(), Phase: "waiting for the host's turn", Err: err}
	}
	defer release()

	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	if c.cfg.RespectRobots {
		if err := c.checkRobots(ctx, u); err != nil {
			return nil, err
		}
	}
	resp, err := c.do(ctx, u.String(), cond, c.cfg.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	if resp.Status != http.StatusNotModified {
		body, cs, err := DecodeToUTF8(resp.Body, resp.ContentType)
		if err != nil {
			return nil, &urlError{URL: resp.URL, Err: err}
		}
		resp.Body, resp.Charset = body, cs
	}
	return resp, nil
}

// do sends one GET and reads the response; it does not decode charsets.
func (c *Client) do(ctx context.Context, rawURL string, cond Conditional, limit int64) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, application/json;q=0.7, */*;q=0.5")
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	if cond.ETag != "" {
		req.Header.Set("If-None-Match", cond.ETag)
	}
	if cond.LastModified != "" {
		req.Header.Set("If-Modified-Since", cond.LastModified)
	}
	hr, err := c.http.Do(req)
	if err != nil {
		return nil, c.wrapErr(ctx, rawURL, "", err)
	}
	defer hr.Body.Close()
	resp := &Response{
		URL:          hr.Request.URL.String(),
		Status:       hr.StatusCode,
		ContentType:  hr.Header.Get("Content-Type"),
		ETag:         hr.Header.Get("ETag"),
		LastModified: hr.Header.Get("Last-Modified"),
		RetryAfter:   ParseRetryAfter(hr.Header.Get("Retry-After"), time.Now()),
	}
	switch {
	case hr.StatusCode == http.StatusNotModified:
		resp.NotModified = true
		return resp, nil
	case hr.StatusCode < 200 || hr.StatusCode > 299:
		se := &StatusError{URL: resp.URL, Status: hr.StatusCode}
		if hr.StatusCode == http.StatusTooManyRequests || hr.StatusCode == http.StatusServiceUnavailable {
			se.RetryAfter = resp.RetryAfter
		}
		return nil, se
	}
	body, err := readBody(hr, limit)
	if err != nil {
		return nil, c.wrapErr(ctx, resp.URL, "reading the body", err)
	}
	resp.Body = body
	return resp, nil
}

// urlError names the URL once and the phase that failed; the wrapped
// error's own "fetch: " prefix is dropped so that a message reads
// "fetch: URL: reading the body: body too large: ...".
type urlError struct {
	URL, Phase string
	Err        error
}

func (e *urlError) Error() string {
	msg := strings.ReplaceAll(e.Err.Error(), "fetch: ", "")
	if e.Phase != "" {
		return "fetch: " + e.URL + ": " + e.Phase + ": " + msg
	}
	return "fetch: " + e.URL + ": " + msg
}

func (e *urlError) Unwrap() error { return e.Err }

// wrapErr says "timed out" plainly when the total deadline cut the request
// (the transport's own words for it vary), and which phase it cut.
func (c *Client) wrapErr(ctx context.Context, rawURL, phase string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		if !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w (%v)", context.DeadlineExceeded, err)
		}
		when := phase
		if when == "" {
			when = "waiting for the response"
		}
		return &urlError{URL: rawURL, Phase: fmt.Sprintf("timed out after %s %s", c.cfg.Timeout, when), Err: err}
	}
	// A phase timeout of the transport (dial, TLS handshake, response
	// headers) can fire before the total deadline: say so in the same words.
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		when := phase
		if when == "" {
			when = "waiting for the response"
		}
		return &urlError{URL: rawURL, Phase: "timed out " + when, Err: err}
	}
	return &urlError{URL: rawURL, Phase: phase, Err: err}
}

func parseURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q is not an absolute http(s) URL", ErrBadURL, rawURL)
	}
	u.Fragment = ""
	return u, nil
}

// acquire waits for host's turn, paces it, then takes a global slot. The
// host's turn comes first so that waiting on a busy host holds no global
// slot that another host could use.
func (c *Client) acquire(ctx context.Context, host string) (release func(), err error) {
	hs := c.hostStateFor(host)

	select {
	case hs.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Holding the turn, hs.last is ours; crawlDelay is set by robotsFor,
	// possibly for a redirect target whose turn it does not hold.
	c.mu.Lock()
	delay := max(c.cfg.PerHostDelay, hs.crawlDelay)
	c.mu.Unlock()
	if wait := time.Until(hs.last.Add(delay)); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-hs.turn
			return nil, ctx.Err()
		}
	}
	select {
	case c.global <- struct{}{}:
	case <-ctx.Done():
		<-hs.turn
		return nil, ctx.Err()
	}
	return func() {
		<-c.global
		// Pace from the end of this request, so a slow response does not
		// shorten the pause the host gets before the next one.
		hs.last = time.Now()
		<-hs.turn
	}, nil
}

// HostPause is the least pause host gets between two requests: the
// per-host delay, or the host's robots.txt Crawl-delay when longer. host is
// a URL's host with its port, as store.SourceHost gives it.
func (c *Client) HostPause(host string) time.Duration {
	hs := c.hostStateFor(host)
	c.mu.Lock()
	defer c.mu.Unlock()
	return max(c.cfg.PerHostDelay, hs.crawlDelay)
}

// hostStateFor returns the state of host, creating it.
func (c *Client) hostStateFor(host string) *hostState {
	c.mu.Lock()
	defer c.mu.Unlock()
	hs := c.hosts[strings.ToLower(host)]
	if hs == nil {
		hs = &hostState{turn: make(chan struct{}, 1)}
		c.hosts[strings.ToLower(host)] = hs
	}
	return hs
}

// newTransport builds the one Transport a Client uses. Compression is
// handled by readBody (DisableCompression) so that the size limit applies to
// the wire bytes and to the decompressed bytes alike. No proxy: a proxy
// would make the dialler see the proxy's address, not the outlet's, and
// the SSRF guard would check the wrong thing.
func newTransport(cfg *Config) *http.Transport {
	d := &dialer{
		net:          &net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: 30 * time.Second},
		allowPrivate: cfg.AllowPrivate,
		resolve:      cfg.Resolve,
	}
	if !cfg.AllowPrivate {
		d.net.Control = guardControl
	}
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    cfg.TLSHandshakeTimeout,
		ResponseHeaderTimeout:  min(cfg.ResponseHeaderTimeout, cfg.Timeout),
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    2,
		DisableCompression:     true,
		MaxResponseHeaderBytes: 256 << 10,
	}
}
