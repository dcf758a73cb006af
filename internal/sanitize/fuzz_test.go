package sanitize

import (
	"regexp"
	"strings"
	"testing"
)

// eventAttr is an on…= attribute inside a tag.
var eventAttr = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)

// unsafeProperty names the first safety property out breaks, or "".
func unsafeProperty(out string) string {
	lower := strings.ToLower(out)
	switch {
	case strings.Contains(lower, "<script"):
		return "script element"
	case strings.Contains(lower, "<iframe"):
		return "iframe element"
	case strings.Contains(lower, "<style"):
		return "style element"
	case strings.Contains(lower, "<object"), strings.Contains(lower, "<embed"), strings.Contains(lower, "<form"):
		return "embedding element"
	case strings.Contains(lower, "javascript:"), strings.Contains(lower, "vbscript:"):
		return "script URL"
	case eventAttr.MatchString(out):
		return "event-handler attribute"
	case strings.Contains(lower, `src="data:`), strings.Contains(lower, `href="data:`):
		return "data URL"
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
