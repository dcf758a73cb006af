package feed

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// feedTypes are the link types that announce a feed.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/rdf+xml":   true,
	"application/json":      false, // too often not a feed
}

// Discover returns the absolute URLs of the feeds an HTML page announces
// with <link rel="alternate" type="application/rss+xml|atom+xml|feed+json">,
// in page order, without duplicates. Relative hrefs are resolved against the
// page's <base href> or else pageURL. Discover reads markup only; it fetches
// nothing.
func Discover(page []byte, pageURL string) []string {
	base := parseBase(pageURL)
	z := html.NewTokenizer(bytes.NewReader(page))
	var out []string
	seen := map[string]bool{}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if !hasAttr {
			continue
		}
		switch string(name) {
		case "base":
			if href := attrs(z)["href"]; href != "" {
				if u, err := url.Parse(strings.TrimSpace(href)); err == nil {
					if base != nil {
						u = base.ResolveReference(u)
					}
					if u.IsAbs() {
						base = u
					}
				}
			}
		case "link":
			a := attrs(z)
			if !hasToken(a["rel"], "alternate") {
				continue
			}
			typ := strings.ToLower(strings.TrimSpace(a["type"]))
			if i := strings.IndexByte(typ, ';'); i >= 0 {
				typ = strings.TrimSpace(typ[:i])
			}
			if !feedTypes[typ] || strings.TrimSpace(a["href"]) == "" {
				continue
			}
			u := resolve(base, a["href"])
			if !isHTTPURL(u) || seen[u] {
				continue
			}
			seen[u] = true
			out = append(out, u)
		}
	}
}

func attrs(z *html.Tokenizer) map[string]string {
	m := map[string]string{}
	for {
		k, v, more := z.TagAttr()
		m[strings.ToLower(string(k))] = string(v)
		if !more {
			return m
		}
	}
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
