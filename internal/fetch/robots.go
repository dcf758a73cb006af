package fetch

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxRobotsBytes is the size RFC 9309 asks crawlers to read at least; more
// is ignored rather than an error.
const maxRobotsBytes = 512 << 10

// robotsServerErrorTTL is how long a robots.txt that answered 5xx keeps the
// host disallowed (RFC 9309 §2.3.1.4: assume complete disallow), short so
// that a passing outage does not stop a source for long.
const robotsServerErrorTTL = 10 * time.Minute

// Robots is a parsed robots.txt, reduced to the group that applies to one
// user agent. The parser is ours (RFC 9309: groups, Allow/Disallow with *
// and $, longest match wins, Allow wins ties, Crawl-delay): it is a page of
// code, and the robots libraries listed for this project's registry
// snapshot did not include a well-kept one.
type Robots struct {
	rules      []robotsRule
	CrawlDelay time.Duration
	Sitemaps   []string
	// disallowAll is set for a robots.txt that could not be read because of
	// a server error; reason says so.
	disallowAll bool
	reason      string
}

type robotsRule struct {
	allow   bool
	pattern string
}

type robotsEntry struct {
	robots  *Robots
	expires time.Time
}

// ParseRobots reads a robots.txt body and keeps the rules for agent (a
// product token such as "khabar", matched case-insensitively), or for "*"
// when no group names agent.
func ParseRobots(body []byte, agent string) *Robots {
	if len(body) > maxRobotsBytes {
		body = body[:maxRobotsBytes]
	}
	agent = strings.ToLower(agent)
	type group struct {
		agents []string
		rules  []robotsRule
		delay  time.Duration
		hasDel bool
	}
	var groups []*group
	var cur *group
	inAgents := false
	r := &Robots{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), maxRobotsBytes)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "user-agent":
			if !inAgents || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			inAgents = true
			cur.agents = append(cur.agents, strings.ToLower(val))
		case "allow", "disallow":
			inAgents = false
			if cur == nil || val == "" {
				continue // an empty Disallow allows everything: no rule
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: val})
		case "crawl-delay":
			inAgents = false
			if cur == nil {
				continue
			}
			if f, err := strconv.ParseFloat(val, 64); err == nil && f >= 0 && f < 1e6 {
				cur.delay, cur.hasDel = time.Duration(f*float64(time.Second)), true
			}
		case "sitemap":
			if val != "" {
				r.Sitemaps = append(r.Sitemaps, val)
			}
		}
	}
	pick := func(match func(a string) bool) bool {
		found := false
		for _, g := range groups {
			for _, a := range g.agents {
				if match(a) {
					found = true
					r.rules = append(r.rules, g.rules...)
					if g.hasDel {
						r.CrawlDelay = max(r.CrawlDelay, g.delay)
					}
					break
				}
			}
		}
		return found
	}
	if !pick(func(a string) bool {
		// "khabar", "khabar/0.1" and "Khabar" all name us.
		tok, _, _ := strings.Cut(a, "/")
		return strings.TrimSpace(tok) == agent
	}) {
		pick(func(a string) bool { return a == "*" })
	}
	return r
}

// Allowed reports whether the path and query of u may be fetched.
func (r *Robots) Allowed(u *url.URL) bool {
	if r == nil {
		return true
	}
	if r.disallowAll {
		return false
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if p == "/robots.txt" {
		return true
	}
	best, allow := -1, true
	for _, rule := range r.rules {
		if !robotsMatch(normalizePattern(rule.pattern), p) {
			continue
		}
		n := len(rule.pattern)
		if n > best || (n == best && rule.allow) {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// normalizePattern percent-encodes what a pattern writes raw (non-ASCII
// letters, say an Arabic path), so it compares with the escaped path.
func normalizePattern(p string) string {
	for i := 0; i < len(p); i++ {
		if p[i] >= 0x80 || p[i] == ' ' {
			var b strings.Builder
			for j := 0; j < len(p); j++ {
				if c := p[j]; c >= 0x80 || c == ' ' {
					fmt.Fprintf(&b, "%%%02X", c)
				} else {
					b.WriteByte(c)
				}
			}
			return b.String()
		}
	}
	return p
}

// robotsMatch matches path against a pattern where * is any run of
// characters and a final $ anchors the end; otherwise a pattern is a
// prefix. Linear backtracking on the last star keeps it O(len·len).
func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(path) {
		switch {
		case pi < len(pattern) && pattern[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(pattern) && (pattern[pi] == path[si] || equalEscapes(pattern, pi, path, si)):
			pi++
			si++
		case pi == len(pattern) && !anchored:
			return true
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pattern) && pattern[pi] == '*' {
		pi++
	}
	return pi == len(pattern)
}

// equalEscapes lets "%d8" in a pattern match "%D8" in a path.
func equalEscapes(pattern string, pi int, path string, si int) bool {
	return pattern[pi] != path[si] && strings.EqualFold(pattern[pi:pi+1], path[si:si+1]) &&
		((pi > 0 && pattern[pi-1] == '%') || (pi > 1 && pattern[pi-2] == '%'))
}

func isRobotsURL(u *url.URL) bool { return u.Path == "/robots.txt" }

// checkRobots returns nil when robots.txt allows u for khabar, an error
// wrapping ErrDisallowed when it does not, and the fetch error when
// robots.txt could not be fetched at all.
func (c *Client) checkRobots(ctx context.Context, u *url.URL) error {
	r, err := c.robotsFor(ctx, u)
	if err != nil {
		return err
	}
	if r.Allowed(u) {
		return nil
	}
	if r.reason != "" {
		return fmt.Errorf("%w: %s (%s)", ErrDisallowed, u.Redacted(), r.reason)
	}
	return fmt.Errorf("%w: %s (robots.txt at %s://%s/robots.txt disallows it for %s)", ErrDisallowed, u.Redacted(), u.Scheme, u.Host, productToken)
}

// robotsFor returns the cached robots.txt rules of u's host, fetching them
// when absent or expired.
func (c *Client) robotsFor(ctx context.Context, u *url.URL) (*Robots, error) {
	key := u.Scheme + "://" + strings.ToLower(u.Host)
	now := time.Now()
	c.mu.Lock()
	e := c.robots[key]
	c.mu.Unlock()
	if e != nil && now.Before(e.expires) {
		return e.robots, nil
	}
	r, ttl, err := c.fetchRobots(ctx, key+"/robots.txt")
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.robots) > 10000 {
		// Bound the cache: drop what expired, or everything if nothing has.
		for k, v := range c.robots {
			if now.After(v.expires) {
				delete(c.robots, k)
			}
		}
		if len(c.robots) > 10000 {
			clear(c.robots)
		}
	}
	c.robots[key] = &robotsEntry{robots: r, expires: now.Add(ttl)}
	hs := c.hosts[strings.ToLower(u.Host)]
	if hs != nil {
		hs.crawlDelay = min(r.CrawlDelay, c.cfg.MaxCrawlDelay)
	}
	return r, nil
}

func (c *Client) fetchRobots(ctx context.Context, robotsURL string) (*Robots, time.Duration, error) {
	resp, err := c.do(ctx, robotsURL, Conditional{}, maxRobotsBytes)
	var se *StatusError
	switch {
	case errors.As(err, &se):
		if se.Status >= 500 || se.Status == http.StatusTooManyRequests {
			return &Robots{disallowAll: true, reason: fmt.Sprintf("robots.txt answered %d %s, so the host is treated as disallowing all (RFC 9309)", se.Status, http.StatusText(se.Status))}, robotsServerErrorTTL, nil
		}
		// 4xx: robots.txt is "unavailable", which allows everything.
		return &Robots{}, c.cfg.RobotsTTL, nil
	case errors.Is(err, ErrTooLarge):
		// Unreachable in practice: do reads only maxRobotsBytes; keep the
		// first part, as RFC 9309 allows.
		return &Robots{}, c.cfg.RobotsTTL, nil
	case err != nil:
		return nil, 0, err // it names the robots.txt URL
	}
	return ParseRobots(resp.Body, productToken), c.cfg.RobotsTTL, nil
}
