package sanitize

import (
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
	const base = "https://news.example/2026/07/article.html"
	tests := []struct {
		name, in        string
		want            string // exact output, when set
		contains, lacks []string
	}{
		{name: "paragraph with dir and lang", in: `<p dir="rtl" lang="ar" class="x" style="color:red">مرحبا</p>`, want: `<p dir="rtl" lang="ar">مرحبا</p>`},
		{name: "script removed with content", in: `<p>قبل</p><script>alert(1)</script><p>بعد</p>`, want: `<p>قبل</p><p>بعد</p>`},
		{name: "style, iframe, object, embed, form", in: `<style>p{}</style><iframe src="https://evil.example"></iframe><object data="x"></object><embed src="y"><form action="/x"><input name="q"></form><p>نص</p>`, want: `<p>نص</p>`},
		{name: "event handlers", in: `<p onclick="alert(1)" onmouseover="x()">a</p><img src="/a.jpg" onerror="alert(1)">`, want: `<p>a</p><img src="https://news.example/a.jpg"/>`},
		{name: "relative link resolved, rel set, target removed", in: `<a href="../other.html" target="_blank" rel="opener">x</a>`,
			want: `<a href="https://news.example/2026/other.html" rel="nofollow noopener noreferrer">x</a>`},
		{name: "javascript link", in: `<a href="javascript:alert(1)">x</a>`, lacks: []string{"javascript", "href"}, contains: []string{"x"}},
		{name: "obfuscated javascript link", in: `<a href="jav&#x09;ascript:alert(1)">x</a><a href=" JaVaScRiPt:alert(1)">y</a>`, lacks: []string{"javascript", "JaVaScRiPt", "href"}},
		{name: "data and vbscript", in: `<a href="data:text/html,<script>alert(1)</script>">d</a><img src="data:image/png;base64,AAAA"><a href="vbscript:msgbox">v</a>`, lacks: []string{"data:", "vbscript", "<img", "href"}},
		{name: "mailto kept", in: `<a href="mailto:news@example.com">m</a>`, contains: []string{`href="mailto:news@example.com"`, `rel="nofollow noopener noreferrer"`}},
		{name: "img without http src dropped", in: `<img src="ftp://x/y.png"><img alt="no src">`, want: ``},
		{name: "protocol-relative image", in: `<img src="//cdn.example/a.jpg" alt="صورة">`, want: `<img src="https://cdn.example/a.jpg" alt="صورة"/>`},
		{name: "figure and table kept", in: `<figure><img src="a.jpg"><figcaption>تعليق</figcaption></figure><table><tr><td colspan="2">خلية</td></tr></table>`,
			contains: []string{"<figure>", "<figcaption>تعليق</figcaption>", `src="https://news.example/2026/07/a.jpg"`, `<td colspan="2">خلية</td>`}},
		{name: "headings lists blockquote inline", in: `<h2>عنوان</h2><ul><li><b>a</b> <i>b</i> <em>c</em> <strong>d</strong></li></ul><blockquote>قول</blockquote><br>`,
			want: `<h2>عنوان</h2><ul><li><b>a</b> <i>b</i> <em>c</em> <strong>d</strong></li></ul><blockquote>قول</blockquote><br/>`},
		{name: "svg script", in: `<svg><script>alert(1)</script></svg><p>x</p>`, want: `<p>x</p>`},
		{name: "unclosed script", in: `<p>a</p><script>alert(1)`, want: `<p>a</p>`},
		{name: "empty", in: "  ", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HTML(tt.in, base)
			if tt.want != "" || (tt.contains == nil && tt.lacks == nil) {
				if got != tt.want {
					t.Errorf("got  %q\nwant %q", got, tt.want)
				}
			}
			for _, c := range tt.contains {
				if !strings.Contains(got, c) {
					t.Errorf("%q lacks %q", got, c)
				}
			}
			for _, l := range tt.lacks {
				if strings.Contains(got, l) {
					t.Errorf("%q contains %q", got, l)
				}
			}
			assertSafe(t, got)
		})
	}
}

func TestHTMLWithoutBase(t *testing.T) {
	got := HTML(`<a href="/x">x</a><a href="#note">n</a><img src="/i.jpg">`, "")
	if want := `<a>x</a><a href="#note" rel="nofollow noopener noreferrer">n</a>`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<p>الفقرة الأولى</p><p>الفقرة&nbsp;الثانية &amp; المزيد</p>`, "الفقرة الأولى\nالفقرة الثانية & المزيد"},
		{`ال<b>قدس</b>  عاصمة`, "القدس عاصمة"},
		{`<script>var a = "<p>x</p>";</script>نص<style>p{}</style>`, "نص"},
		{"plain   text\n\n here", "plain text here"},
		{`<ul><li>أ</li><li>ب</li></ul>`, "أ\nب"},
		{`سطر<br>سطر`, "سطر\nسطر"},
		{`<img src="x" alt="y">`, ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// assertSafe checks the properties the fuzz test checks.
func assertSafe(t testing.TB, out string) {
	t.Helper()
	if p := unsafeProperty(out); p != "" {
		t.Errorf("unsafe output (%s): %q", p, out)
	}
}
