package sanitize

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// unsafeProperty names the first safety property out breaks, or "".
//
// Markup is judged as a browser would read it: out is parsed, and elements
// and attributes are checked after entity decoding. Text is not markup: a
// sentence about "javascript:" links, or the literal text "<script>" (which
// the renderer escapes to "&lt;script&gt;"), runs nothing, so only tag
// names and attribute values are checked, never text nodes.
func unsafeProperty(out string) string {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(out), body)
	if err != nil {
		return "unparseable output: " + err.Error()
	}
	for _, n := range nodes {
		if p := unsafeNode(n); p != "" {
			return p
		}
	}
	return ""
}

// urlAttrs are the attributes a browser reads as a URL to load or follow.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "srcset": true, "action": true, "formaction": true, "xlink:href": true,
	"background": true, "cite": true, "poster": true, "data": true, "codebase": true, "lowsrc": true,
	"dynsrc": true, "ping": true, "longdesc": true, "usemap": true, "manifest": true, "icon": true,
}

func unsafeNode(n *html.Node) string {
	if n.Type == html.ElementNode {
		switch strings.ToLower(n.Data) {
		case "script":
			return "script element"
		case "iframe", "frame", "frameset":
			return "iframe element"
		case "style", "link":
			return "style element"
		case "object", "embed", "form", "base", "meta", "applet":
			return "embedding element"
		}
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") {
				return "event-handler attribute"
			}
			if key == "style" || key == "srcdoc" || key == "formaction" || key == "action" {
				return "active attribute " + key
			}
			if !urlAttrs[key] {
				continue // a title or alt is text, whatever it says
			}
			// Browsers skip ASCII whitespace and control characters inside a
			// URL's scheme: "java\tscript:" is a script URL.
			v := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1
				}
				return r
			}, a.Val))
			switch {
			case strings.HasPrefix(v, "javascript:"), strings.HasPrefix(v, "vbscript:"):
				return "script URL"
			case strings.HasPrefix(v, "data:"):
				return "data URL"
			}
			if u, err := url.Parse(v); err != nil || u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto" {
				return "URL of another scheme in " + key
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if p := unsafeNode(c); p != "" {
			return p
		}
	}
	return ""
}

func FuzzHTML(f *testing.F) {
	for _, s := range []string{
		`<p onclick="x">a</p>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<scr<script>ipt>alert(1)</script>`,
		`<img src=x onerror=alert(1)//>`,
		`<svg><style><img src=x onerror=alert(1)></style></svg>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<a href="&#106;avascript:alert(1)">x</a>`,
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
		`<p dir="rtl" lang="ar">مرحبا <b>بكم</b></p>`,
		`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
		`<a href="java&#x0A;script:x">x</a>`,
		`<p>jAvAsCript: is a URL scheme, <b>vbscript:</b> too</p>`,
		`<a title="javascript:x" href="https://news.example/x">x</a>`,
	} {
		f.Add(s, "https://news.example/a/b.html")
	}
	f.Fuzz(func(t *testing.T, in, base string) {
		out := HTML(in, base)
		if p := unsafeProperty(out); p != "" {
			t.Fatalf("unsafe output (%s) for %q: %q", p, in, out)
		}
		// Sanitizing is idempotent: a second pass changes nothing.
		if again := HTML(out, base); again != out {
			t.Fatalf("not idempotent for %q:\n1: %q\n2: %q", in, out, again)
		}
		_ = Text(in)
	})
}
