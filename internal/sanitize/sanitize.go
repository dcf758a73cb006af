// Package sanitize turns untrusted HTML from feeds and article pages into
// HTML that is safe to store and serve, through an allow-list, and into
// plain text for summaries.
//
// The allow-list is bluemonday's (it parses with golang.org/x/net/html, so
// what it keeps is what a browser would see); a second pass over its output
// resolves links and images against the page URL, because bluemonday can
// only keep or drop a relative URL, and a relative URL served from khabar's
// host would point at khabar instead of the outlet.
package sanitize

import (
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// linkRel is set on every kept link: we do not vouch for outlets' links
// (nofollow), and a target page must not reach back to ours (noopener,
// noreferrer).
const linkRel = "nofollow noopener noreferrer"

// langTag matches a BCP 47 language tag such as "ar", "ar-EG" or "ur-Arab".
var langTag = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

// policy is built once and only read afterwards; bluemonday policies are
// safe for concurrent use once built.
var policy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(
		"p", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6",
		"ul", "ol", "li", "dl", "dt", "dd",
		"blockquote", "q", "cite", "figure", "figcaption",
		"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
		"b", "i", "em", "strong", "u", "s", "sub", "sup", "small", "mark",
		"br", "hr", "pre", "code", "abbr", "time",
	)
	// Direction and language matter for mixed Arabic/Latin text.
	p.AllowAttrs("dir").Matching(bluemonday.Direction).Globally()
	p.AllowAttrs("lang").Matching(langTag).Globally()
	p.AllowAttrs("href").OnElements("a")
	// A link whose target is dropped (see fix) stays as a bare <a>; were a
	// bare <a> not allowed, a second pass would drop it, and sanitizing
	// stored HTML again would change it.
	p.AllowNoAttrs().OnElements("a")
	p.AllowAttrs("src", "alt", "title").OnElements("img")
	p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("img")
	p.AllowAttrs("title").OnElements("a", "abbr")
	p.AllowAttrs("datetime").OnElements("time")
	p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("td", "th")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	// Elements whose content is never text for the reader. Void elements
	// (embed, input) must not be listed: bluemonday would skip to an end tag
	// that never comes.
	p.SkipElementsContent("script", "style", "noscript", "iframe", "object", "form", "template", "svg", "math", "select", "textarea", "button")
	p.AddSpaceWhenStrippingTag(true)
	return p
})

// HTML returns the allow-listed form of the HTML fragment s. Relative links
// and image sources are resolved against baseURL (when it parses as an
// absolute URL); links keep only http, https and mailto targets and get
// rel="nofollow noopener noreferrer"; images keep only http and https
// sources, and an image without one is dropped.
func HTML(s, baseURL string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	clean := policy().Sanitize(s)
	var base *url.URL
	if u, err := url.Parse(baseURL); err == nil && u.IsAbs() && (u.Scheme == "http" || u.Scheme == "https") {
		base = u
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(clean), body)
	if err != nil {
		// ParseFragment only fails on reader errors; a strings.Reader has none.
		return ""
	}
	var b strings.Builder
	for _, n := range nodes {
		body.AppendChild(n)
	}
	fix(body, base, false)
	for n := body.FirstChild; n != nil; n = n.NextSibling {
		if err := html.Render(&b, n); err != nil {
			return ""
		}
	}
	return strings.TrimSpace(b.String())
}

// fix resolves URLs below n and enforces the scheme rules after resolution.
// inLink says n is inside a link: a link inside a link, which the parser
// builds from "<a><table><a>" but never from its own rendering, gives way
// to its content, so that sanitizing the output again changes nothing.
func fix(n *html.Node, base *url.URL, inLink bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && c.DataAtom == atom.Img {
			if !fixAttr(c, "src", base, false) {
				n.RemoveChild(c)
				c = next
				continue
			}
		}
		if c.Type == html.ElementNode && c.DataAtom == atom.A && (inLink || n.DataAtom == atom.A) {
			first := c.FirstChild
			for gc := c.FirstChild; gc != nil; gc = c.FirstChild {
				c.RemoveChild(gc)
				n.InsertBefore(gc, c)
			}
			n.RemoveChild(c)
			if first != nil {
				next = first // its content is fixed in its place
			}
			c = next
			continue
		}
		fix(c, base, inLink || c.DataAtom == atom.A && c.Type == html.ElementNode)
		c = next
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		if fixAttr(n, "href", base, true) {
			setAttr(n, "rel", linkRel)
		}
		removeAttr(n, "target")
	}
}

// fixAttr resolves the URL in attribute key of n against base and removes the
// attribute when the result is not allowed. It reports whether an allowed
// URL remains.
func fixAttr(n *html.Node, key string, base *url.URL, mailto bool) bool {
	for i, a := range n.Attr {
		if a.Key != key {
			continue
		}
		u, ok := resolve(a.Val, base, mailto)
		if !ok {
			n.Attr = append(n.Attr[:i], n.Attr[i+1:]...)
			return false
		}
		n.Attr[i].Val = u
		return true
	}
	return false
}

func resolve(raw string, base *url.URL, mailto bool) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	if !u.IsAbs() {
		if base == nil {
			// A relative URL with nothing to resolve it against would point at
			// our own site once served; a fragment-only link is harmless.
			if strings.HasPrefix(raw, "#") {
				return raw, true
			}
			return "", false
		}
		u = base.ResolveReference(u)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return "", false
		}
		return u.String(), true
	case "mailto":
		return u.String(), mailto
	}
	return "", false
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func removeAttr(n *html.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key {
			out = append(out, a)
		}
	}
	n.Attr = out
}

// blockElements end a line of text when Text flattens a fragment.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Blockquote: true, atom.Figcaption: true, atom.Figure: true, atom.Section: true,
	atom.Article: true, atom.Header: true, atom.Footer: true, atom.Ul: true, atom.Ol: true,
	atom.Table: true, atom.Pre: true, atom.Hr: true, atom.Dt: true, atom.Dd: true,
}

// skipText are elements whose content is not text for the reader.
var skipText = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Iframe: true,
	atom.Object: true, atom.Embed: true, atom.Template: true, atom.Svg: true,
	atom.Math: true, atom.Select: true, atom.Textarea: true, atom.Button: true, atom.Head: true,
}

// Text returns the plain text of the HTML fragment s: entities decoded,
// markup removed, script and style content dropped, whitespace collapsed,
// and block elements (paragraphs, list items, headings, br) separated by a
// newline. Text that is not HTML comes back with its whitespace collapsed.
func Text(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	pendingSpace, pendingNewline := false, false
	write := func(t string) {
		for _, f := range strings.Fields(t) {
			if b.Len() > 0 {
				switch {
				case pendingNewline:
					b.WriteByte('\n')
				case pendingSpace:
					b.WriteByte(' ')
				}
			}
			pendingSpace, pendingNewline = true, false
			b.WriteString(f)
		}
		// Whitespace at the end of t separates it from what follows; its
		// absence lets words split by inline tags ("ال<b>قدس</b>") join.
		if len(t) > 0 && !isSpace(t[len(t)-1]) {
			pendingSpace = false
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			if skip == 0 {
				t := string(z.Text())
				if len(t) > 0 && isSpace(t[0]) {
					pendingSpace = true
				}
				write(t)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipText[a] && tt != html.SelfClosingTagToken {
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
				continue
			}
			if blockElements[a] {
				pendingNewline = true
			}
		}
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
