package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"khabar/internal/model"
)

// chromiumPath is Debian's chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// TestBrowser drives headless Chromium through the portal over the real
// stack (SQLite, analysis, search): home → article → tag → search, then a
// login and a form post; it checks that the layout is right-to-left and
// that no page overflows horizontally at phone width. On failure it keeps
// screenshots and the page's HTML in a folder the failure names.
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser test: %s is missing, and CI=true requires it (.ci/run installs Debian's chromium): %v", chromiumPath, err)
		}
		t.Skipf("browser test skipped: %s not found (apt-get install chromium to run it)", chromiumPath)
	}
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("browser test skipped in -short mode")
	}
	ctx := context.Background()
	st := openStore(t)
	sd := newSeeder(st)
	src := model.Source{URL: "https://newsroom.example/feed.xml", Title: "غرفة الأخبار", SiteURL: "https://newsroom.example",
		LastFetched: testNow.Add(-time.Hour), NextFetch: testNow.Add(time.Hour)}
	if err := st.AddSource(ctx, &src); err != nil {
		t.Fatal(err)
	}
	arts := newsroomArticles(t)
	for i := range arts {
		arts[i].SourceID, arts[i].SourceName = src.ID, src.Title
		if err := sd.save(ctx, &arts[i]); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := New(Config{Store: st, Search: sd.search(), Now: func() time.Time { return testNow }, CheckToken: func(s string) bool { return s == "secret" }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	// The first call starts the browser; it must not carry a timeout.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &browser{t: t, ctx: bctx, base: ts.URL}

	// Desktop: home → article → tag → search.
	b.do("home", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(`section.latest`))
	if d := eval[string](b, "home dir", `document.documentElement.dir + " " + document.documentElement.lang + " " + getComputedStyle(document.body).direction`); d != "rtl ar rtl" {
		b.fail("home", "document dir, lang and direction are %q, want \"rtl ar rtl\"", d)
	}
	b.do("open an article", chromedp.Click(`section.latest a[href^="/articles/"]`), chromedp.WaitVisible(`article.article h1`))
	article := b.location()
	b.checkRTL("article", `article.article h1`)

	tag := eval[string](b, "read a tag", `(document.querySelector('a[rel=tag]') || {}).textContent || ""`)
	if tag == "" {
		b.fatal("article", "the article page has no tag links (a[rel=tag])")
	}
	b.do("open a tag", chromedp.Click(`a[rel=tag]`), chromedp.WaitVisible(`header.listhead h1`))
	tagPage := b.location()
	if !strings.Contains(tagPage, "/tags/") {
		b.fatal("tag", "clicking a tag went to %s", tagPage)
	}
	if n := eval[int](b, "tag items", `document.querySelectorAll('main a[href^="/articles/"]').length`); n == 0 {
		b.fail("tag", "the page of tag %q lists no article", tag)
	}
	b.checkRTL("tag", `header.listhead h1`)

	b.do("search", chromedp.SendKeys(`#q`, tag), chromedp.Submit(`#q`), chromedp.WaitVisible(`ol.results`))
	searchPage := b.location()
	if n := eval[int](b, "results", `document.querySelectorAll('ol.results > li').length`); n == 0 {
		b.fail("search", "searching for %q found nothing", tag)
	}
	if n := eval[int](b, "marks", `document.querySelectorAll('ol.results mark').length`); n == 0 {
		b.fail("search", "no highlighted <mark> in the results for %q", tag)
	}
	b.checkRTL("search", `ol.results > li h2`)

	// Phone width: nothing may overflow horizontally, on any page.
	pages := []string{"/", article, tagPage, searchPage, "/sources", "/search", "/alerts", "/login",
		"/articles/999999", "/?lang=en", article + "?lang=en"}
	if u, err := url.Parse(article); err == nil {
		// The article's story and an entity page, when it names one.
		b.do("article again", chromedp.Navigate(ts.URL+u.Path), chromedp.WaitVisible(`article.article h1`))
		if e := eval[string](b, "entity link", `(document.querySelector('a[href^="/entities/"]') || {}).href || ""`); e != "" {
			pages = append(pages, e)
		}
	}
	b.do("phone", chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	for _, p := range pages {
		b.checkOverflow(p)
	}

	// Log in with the form, then add a source: the session cookie and the
	// CSRF token work in a real browser, and the admin pages fit a phone.
	b.do("login", chromedp.Navigate(ts.URL+"/login?next=/sources"), chromedp.WaitVisible(`#login-token`),
		chromedp.SendKeys(`#login-token`, "secret"), chromedp.Submit(`#login-token`), chromedp.WaitVisible(`#add-url`))
	b.checkOverflow(ts.URL + "/sources")
	b.do("add a source", chromedp.SendKeys(`#add-url`, "https://added.example/feed.xml"), chromedp.Submit(`#add-url`),
		chromedp.WaitVisible(`.notice`))
	if n := eval[string](b, "notice", `document.querySelector('.notice').textContent`); !strings.Contains(n, "أضيف المصدر: https://added.example/feed.xml") {
		b.fail("add a source", "the notice says %q", n)
	}
	if _, err := st.GetSourceByURL(ctx, "https://added.example/feed.xml"); err != nil {
		b.fail("add a source", "the source was not stored: %v", err)
	}
	b.checkOverflow(ts.URL + "/alerts")
}

// browser runs steps in one tab and records what fails.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string // the screenshot folder, made at the first failure
	n     int
}

const stepTimeout = 30 * time.Second

func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatal(step, "%v", err)
	}
}

func eval[T any](b *browser, step, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.fatal(step, "evaluate %s: %v", js, err)
	}
	return v
}

func (b *browser) location() string {
	b.t.Helper()
	return eval[string](b, "location", `document.location.href`)
}

// fail records a failed check with a screenshot and the page's HTML.
func (b *browser) fail(step, format string, args ...any) {
	b.t.Helper()
	b.t.Errorf("%s: %s (%s)", step, fmt.Sprintf(format, args...), b.keep(step))
}

func (b *browser) fatal(step, format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf("%s: %s (%s)", step, fmt.Sprintf(format, args...), b.keep(step))
}

// keep saves a screenshot and the HTML of the current page into a folder
// that outlives the test, and says where.
func (b *browser) keep(step string) string {
	if b.shots == "" {
		dir := os.Getenv("KHABAR_SCREENSHOTS")
		var err error
		if dir != "" {
			err = os.MkdirAll(dir, 0o755)
		} else {
			dir, err = os.MkdirTemp("", "khabar-browser-")
		}
		if err != nil {
			return "no screenshot: " + err.Error()
		}
		b.shots = dir
	}
	b.n++
	name := fmt.Sprintf("%02d-%s", b.n, strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(step)))
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return "no screenshot: " + err.Error()
	}
	path := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return "no screenshot: " + err.Error()
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err == nil {
		os.WriteFile(filepath.Join(b.shots, name+".html"), []byte(html), 0o644)
	}
	return "screenshot: " + path
}

// rtlReport measures a heading against the main column.
type rtlReport struct {
	Found        bool      `json:"found"`
	Direction    string    `json:"direction"`
	MainRight    float64   `json:"mainRight"` // the right edge of main's content box
	MainLeft     float64   `json:"mainLeft"`
	BoxRight     float64   `json:"boxRight"` // the heading's box
	BoxLeft      float64   `json:"boxLeft"`
	ContentRight float64   `json:"contentRight"` // the heading's content box
	LineRights   []float64 `json:"lineRights"`   // each line of its text
	LineLefts    []float64 `json:"lineLefts"`
}

// checkRTL checks that the first element matching sel is laid out right to
// left: its box hugs the right edge of the main column, and every line of
// its text ends at the right edge of its box (in a left-to-right layout
// the lines would start at the left and end ragged).
func (b *browser) checkRTL(step, sel string) {
	b.t.Helper()
	js := `(() => {
  const el = document.querySelector(` + jsString(sel) + `);
  const main = document.querySelector('main');
  if (!el || !main) return {found: false};
  const edges = (e) => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return {left: r.left + parseFloat(s.paddingLeft) + parseFloat(s.borderLeftWidth),
            right: r.right - parseFloat(s.paddingRight) - parseFloat(s.borderRightWidth), box: r};
  };
  const m = edges(main), h = edges(el);
  const range = document.createRange();
  range.selectNodeContents(el);
  const lines = new Map();
  for (const r of range.getClientRects()) {
    if (r.width < 1) continue;
    const k = Math.round(r.top / 4);
    const l = lines.get(k) || {left: Infinity, right: -Infinity};
    lines.set(k, {left: Math.min(l.left, r.left), right: Math.max(l.right, r.right)});
  }
  const ls = [...lines.values()];
  return {found: true, direction: getComputedStyle(el).direction, mainRight: m.right, mainLeft: m.left,
    boxRight: h.box.right, boxLeft: h.box.left, contentRight: h.right,
    lineRights: ls.map(l => l.right), lineLefts: ls.map(l => l.left)};
})()`
	r := eval[rtlReport](b, step+" rtl", js)
	const tol = 2.0
	switch {
	case !r.Found:
		b.fail(step, "no %s or no main on the page", sel)
		return
	case r.Direction != "rtl":
		b.fail(step, "%s has direction %q", sel, r.Direction)
	case len(r.LineRights) == 0:
		b.fail(step, "%s has no text", sel)
		return
	}
	// The box may be narrower than the column (the article has a reading
	// width); in RTL it sits at the column's right edge.
	if r.BoxRight < r.MainRight-tol || r.BoxRight > r.MainRight+tol {
		b.fail(step, "%s box ends at x=%.1f, the main column's right edge is x=%.1f: not hugging the right edge", sel, r.BoxRight, r.MainRight)
	}
	for i, right := range r.LineRights {
		if d := r.ContentRight - right; d > tol || d < -tol {
			b.fail(step, "line %d of %s ends at x=%.1f, %.1f px from its right edge x=%.1f: text is not right-aligned",
				i+1, sel, right, d, r.ContentRight)
		}
	}
	ragged := false
	for _, left := range r.LineLefts {
		if left > r.MainLeft+tol {
			ragged = true
		}
	}
	if !ragged {
		b.fail(step, "every line of %s starts at the left edge of the column: a left-to-right layout, or a title too long to tell", sel)
	}
}

// overflowReport says how wide a page is and which elements stick out.
type overflowReport struct {
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	Over        []string `json:"over"`
}

// checkOverflow loads page (a path or URL) and checks that the document is
// no wider than the viewport, naming the elements that stick out.
func (b *browser) checkOverflow(page string) {
	b.t.Helper()
	if strings.HasPrefix(page, "/") {
		page = b.base + page
	}
	b.do("load "+page, chromedp.Navigate(page), chromedp.WaitReady(`footer`))
	r := eval[overflowReport](b, "measure "+page, `(() => {
  const de = document.documentElement, w = 375, over = [];
  if (de.scrollWidth > w || window.innerWidth != w) {
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)) {
        over.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
          ' [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']');
        if (over.length >= 10) break;
      }
    }
  }
  return {scrollWidth: de.scrollWidth, innerWidth: window.innerWidth, over};
})()`)
	// A phone widens its layout viewport to fit content that is too wide,
	// so a viewport wider than the phone is overflow too.
	if r.InnerWidth != 375 {
		b.fail(page, "at phone width (375 px) the layout viewport grew to %d px to fit the content; sticking out: %s",
			r.InnerWidth, strings.Join(r.Over, "; "))
	} else if r.ScrollWidth > r.InnerWidth {
		b.fail(page, "at phone width the page is %d px wide for a %d px viewport; sticking out: %s",
			r.ScrollWidth, r.InnerWidth, strings.Join(r.Over, "; "))
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
