package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
	"khabar/internal/users"
)

// explorePortal serves the portal over SQLite with 30 articles over ten
// days from two outlets with profiles.
func explorePortal(t *testing.T, explore bool) *Server {
	s, _ := explorePortalStore(t, explore)
	return s
}

func explorePortalStore(t *testing.T, explore bool) (*Server, *sqlite.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, o := range []model.Outlet{{Key: "okaz", NameAR: "عكاظ", Country: "SA", Kind: "private"}, {Key: "ahram", NameAR: "الأهرام", Country: "EG", Kind: "state"}} {
		if err := st.SaveOutlet(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	sd := newSeeder(st)
	texts := []string{"ارتفاع أسعار النفط في الأسواق", "وزير الطاقة يتحدث عن النفط", "مباراة الهلال والنصر في الرياض"}
	for i := range 30 {
		a := &model.Article{URL: fmt.Sprintf("https://x.example/%d", i), Title: texts[i%3], Text: texts[i%3] + ".",
			Outlet: []string{"okaz", "ahram"}[i%2], SourceName: "س", Published: testNow.Add(-time.Duration(i) * 8 * time.Hour)}
		if err := sd.save(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	cfg := Config{Store: st, Search: sd.search(), Now: func() time.Time { return testNow }}
	withToken(&cfg)
	if explore {
		cfg.Explore = sd.search()
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, st
}

// TestAlertPage: a saved alert's page shows the attention its query gets
// under its sources, to the readers who saved it and to the admin.
func TestAlertPage(t *testing.T) {
	ctx := context.Background()
	s, st := explorePortalStore(t, true)
	al := &model.Alert{Query: "النفط", Webhook: "https://hook.example/x"}
	if err := st.AddAlert(ctx, al); err != nil {
		t.Fatal(err)
	}
	path := "/alerts/" + itoa(al.ID)
	if w := get(t, s, path); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login?next=") {
		t.Errorf("%s without a login: %d %v", path, w.Code, w.Header())
	}
	hash, err := users.HashPassword("كلمة-سر-طويلة")
	if err != nil {
		t.Fatal(err)
	}
	u := &model.User{Name: "salma", PasswordHash: hash}
	if err := st.AddUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	w := postForm(t, s, "/login", url.Values{"name": {"salma"}, "token": {"كلمة-سر-طويلة"}, "next": {"/"}}, nil)
	var reader *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie {
			reader = c
		}
	}
	if reader == nil {
		t.Fatalf("reader login: %d", w.Code)
	}
	if w := get(t, s, path, "Cookie", reader.String()); w.Code != http.StatusNotFound {
		t.Errorf("%s for a reader who did not save it: %d, want 404", path, w.Code)
	}
	// A reader who saved the search owns it: the page, without the
	// webhook.
	if err := st.Follow(ctx, u.ID, model.Follow{Kind: model.FollowSearch, AlertID: al.ID}); err != nil {
		t.Fatal(err)
	}
	body := checkPage(t, get(t, s, path, "Cookie", reader.String()), 200)
	mustHave(t, body, el("svg", "", "class", "attn"))
	mustContain(t, body, "عدد النتائج: ٢٠")
	if strings.Contains(body, "hook.example") {
		t.Errorf("a reader sees the alert's webhook")
	}
	body = checkPage(t, get(t, s, "/my", "Cookie", reader.String()), 200)
	mustHave(t, body, el("a", "", "href", path))
	a := login(t, s)
	body = checkPage(t, get(t, s, path, "Cookie", a.cookie.String()), 200)
	mustHave(t, body, el("svg", "", "class", "attn"), el("polyline", ""), el("", "", "href", "/feeds/alerts/"+itoa(al.ID)+".xml"))
	mustContain(t, body, "تنبيه محفوظ", "https://hook.example/x", "عدد النتائج: ٢٠")
	// The URL's filters narrow it further.
	body = checkPage(t, get(t, s, path+"?source=ahram&interval=week", "Cookie", a.cookie.String()), 200)
	mustContain(t, body, "عدد النتائج: ١٠")
	body = checkPage(t, get(t, s, path+"?from=never", "Cookie", a.cookie.String()), 400)
	mustHave(t, body, el("", "from", "role", "alert"))
	if w := get(t, s, "/alerts/999", "Cookie", a.cookie.String()); w.Code != 404 {
		t.Errorf("an alert that does not exist: %d", w.Code)
	}
	// The alerts list links to the page.
	body = checkPage(t, get(t, s, "/alerts", "Cookie", a.cookie.String()), 200)
	mustHave(t, body, el("a", "", "href", path))
}

func TestExplorePage(t *testing.T) {
	s := explorePortal(t, true)
	oil := url.QueryEscape("النفط")
	body := checkPage(t, get(t, s, "/explore?q="+oil), 200)
	mustHave(t, body, el("svg", "", "class", "attn"), el("polyline", ""), el("svg", "", "class", "bars"),
		el("table", "", "class", "data"), el("caption", "التغطية عبر الزمن"), el("th", "", "scope", "row"))
	mustContain(t, body, "عدد النتائج: ٢٠", "عكاظ", "الأهرام", "حسب البلد", "/api/v1/search.csv?q="+oil, "/search?q="+oil)
	// The table holds the series: its counts sum to the total.
	sum := 0
	for _, m := range regexp.MustCompile(`<td>([٠-٩]+)</td><td>[٠-٩]+٫[٠-٩]٪</td>`).FindAllStringSubmatch(body, -1) {
		n, _ := strconv.Atoi(toLatin(m[1]))
		sum += n
	}
	if sum != 20 {
		t.Errorf("the table's counts sum to %d, want 20", sum)
	}
	// Two queries side by side, with a legend; filters narrow them.
	body = checkPage(t, get(t, s, "/explore?q="+oil+"&q="+url.QueryEscape("الهلال")+"&country=EG&interval=week"), 200)
	mustHave(t, body, el("ul", "", "class", "legend"), el("polyline", "", "class", "line", "class", "q0"),
		el("polyline", "", "class", "q1"), el("details", "", "class", "filters", "open", ""))
	if has(t, body, el("th", "عكاظ", "scope", "row", "dir", "auto")) {
		t.Errorf("country=EG still counts عكاظ")
	}
	// The form alone, and bad filters named.
	body = checkPage(t, get(t, s, "/explore"), 200)
	mustHave(t, body, el("form", "", "action", "/explore"), el("input", "", "name", "q"))
	body = checkPage(t, get(t, s, "/explore?q="+oil+"&from=yesterday"), 400)
	mustHave(t, body, el("", "from", "role", "alert"))
	body = checkPage(t, get(t, s, "/explore?q="+oil+"&interval=year"), 400)
	mustHave(t, body, el("", "interval", "role", "alert"))
	// The search page links to it.
	body = checkPage(t, get(t, s, "/search?q="+oil+"&source=okaz"), 200)
	mustContain(t, body, "/explore?q="+oil+"&amp;source=okaz")
	// Without an explorer there is no such page.
	if w := get(t, explorePortal(t, false), "/explore?q="+oil); w.Code != 404 {
		t.Errorf("/explore without an explorer: %d", w.Code)
	}
}

func toLatin(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '٠' && r <= '٩' {
			r = '0' + (r - '٠')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestChartsRightToLeft: in a right-to-left page time runs from the right
// and bars grow from the right; in a left-to-right one the other way.
func TestChartsRightToLeft(t *testing.T) {
	day := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	qs := []search.Attention{{Query: "x", Total: 3, Series: []search.Point{{Start: day, Count: 1}, {Start: day.AddDate(0, 0, 1), Count: 0}, {Start: day.AddDate(0, 0, 2), Count: 2}}}}
	label := func(t time.Time) string { return t.Format("2006-01-02") }
	num := strconv.Itoa
	for _, rtl := range []bool{true, false} {
		c := newLineChart(qs, rtl, label, num)
		d := c.Lines[0].Dots
		if (d[0].X > d[2].X) != rtl || d[1].Y != c.AxisY || d[2].Y != c.Top || d[0].Y <= d[2].Y {
			t.Errorf("rtl %v: dots %+v (axis %d, top %d)", rtl, d, c.AxisY, c.Top)
		}
		b := newBarChart([]barItem{{"a", 4}, {"b", 2}}, rtl, num)
		a0, b0 := b.Bars[0], b.Bars[1]
		if a0.W <= b0.W || (a0.LabelX > a0.X) != rtl || (rtl && a0.X+a0.W != b0.X+b0.W) || (!rtl && a0.X != b0.X) {
			t.Errorf("rtl %v: bars %+v", rtl, b.Bars)
		}
	}
	if newLineChart(nil, true, label, num) != nil || newBarChart(nil, true, num) != nil {
		t.Error("charts of nothing")
	}
}

// explorePageFilled is an explore page with every part present, for the
// template test.
func explorePageFilled() *explorePage {
	day := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	a := search.Attention{Query: "q", Total: 2, Series: []search.Point{{Start: day, Count: 2, Share: 0.5}},
		BySource:  []store.OutletCount{{Outlet: "o", Name: "n", SourceID: 1, Count: 1}, {Outlet: "p", Name: "m", Count: 1}},
		ByCountry: []store.TermCount{{Term: "SA", Count: 2}}, TopEntities: []store.TermCount{{Term: "e", Count: 1}},
		TopTags: []store.TermCount{{Term: "t", Count: 1}}}
	res := &search.AttentionResult{Interval: search.IntervalMonth, Queries: []search.Attention{a, a}}
	p := &explorePage{Queries: []string{"q", "q", ""}, Result: res}
	p.Chart = newLineChart(res.Queries, true, func(time.Time) string { return "d" }, strconv.Itoa)
	for _, q := range res.Queries {
		p.Blocks = append(p.Blocks, exploreBlock{Attention: q, QS: "q=q",
			Outlets:   newBarChart([]barItem{{"n", 1}}, true, strconv.Itoa),
			Countries: newBarChart([]barItem{{"SA", 2}}, true, strconv.Itoa)})
	}
	p.Blocks = append(p.Blocks, exploreBlock{Attention: search.Attention{Query: "none"}})
	p.Rows = []exploreRow{{Start: day, Cells: []exploreCell{{2, "50%"}, {2, "50%"}}}}
	return p
}

// TestSearchFilters: the search page's filters narrow its results, and
// its form gives back every filter it was given, so that submitting it
// again keeps them: several sources (repeated or comma-separated, one in
// the select and the rest hidden) and a time, which a date input would
// drop.
func TestSearchFilters(t *testing.T) {
	s := explorePortal(t, true)
	oil := url.QueryEscape("النفط")
	count := func(body, outlet string) int {
		return len(findAll(parsePage(t, body), el("span", outlet, "dir", "auto")))
	}
	all := checkPage(t, get(t, s, "/search?q="+oil), 200)
	if count(all, "عكاظ") == 0 || count(all, "الأهرام") == 0 {
		t.Fatalf("the unfiltered search lists both outlets: عكاظ %d, الأهرام %d", count(all, "عكاظ"), count(all, "الأهرام"))
	}
	for _, qs := range []string{"&country=EG", "&source=ahram", "&kind=state"} {
		body := checkPage(t, get(t, s, "/search?q="+oil+qs), 200)
		if count(body, "عكاظ") != 0 || count(body, "الأهرام") == 0 {
			t.Errorf("%s: عكاظ %d results, الأهرام %d; want none and some", qs, count(body, "عكاظ"), count(body, "الأهرام"))
		}
	}
	body := checkPage(t, get(t, s, "/search?q="+oil+"&source=ahram,okaz&source=9&from=2024-03-01T10:00&to=2024-03-31"), 200)
	mustHave(t, body,
		el("option", "", "value", "ahram", "selected", ""),
		el("input", "", "type", "hidden", "name", "source", "value", "okaz"),
		el("input", "", "type", "hidden", "name", "source", "value", "9"),
		el("input", "", "name", "from", "type", "text", "value", "2024-03-01T10:00"),
		el("input", "", "name", "to", "type", "date", "value", "2024-03-31"))
}
