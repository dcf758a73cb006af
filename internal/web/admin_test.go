package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
)

func withToken(c *Config) { c.CheckToken = func(t string) bool { return t == "secret" } }

// admin is a logged-in browser: its session cookie and the CSRF token
// its pages carry.
type admin struct {
	cookie *http.Cookie
	csrf   string
}

// csrfRe finds the CSRF token in a page's forms.
var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login logs in with the admin token and reads the CSRF token from a page.
func login(t *testing.T, h http.Handler) *admin {
	t.Helper()
	w := postForm(t, h, "/login", url.Values{"token": {"secret"}, "next": {"/sources"}}, nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/sources" {
		t.Fatalf("login: %d %v\n%s", w.Code, w.Header(), w.Body)
	}
	a := &admin{}
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie {
			a.cookie = c
		}
	}
	if a.cookie == nil {
		t.Fatalf("login set no session cookie: %v", w.Header())
	}
	body := checkPage(t, get(t, h, "/sources", "Cookie", a.cookie.String()), 200)
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the sources page of a logged-in admin")
	}
	a.csrf = m[1]
	return a
}

// postForm posts a URL-encoded form, with the admin's cookie and CSRF
// token when a is not nil.
func postForm(t *testing.T, h http.Handler, target string, form url.Values, a *admin, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	if a != nil {
		form = cloneValues(form)
		if !form.Has("csrf") {
			form.Set("csrf", a.csrf)
		}
	}
	r := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if a != nil {
		r.AddCookie(a.cookie)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func postFile(t *testing.T, h http.Handler, target string, a *admin, file []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if a != nil {
		mw.WriteField("csrf", a.csrf)
	}
	fw, _ := mw.CreateFormFile("opml", "list.opml")
	fw.Write(file)
	mw.Close()
	r := httptest.NewRequest("POST", target, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if a != nil {
		r.AddCookie(a.cookie)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestOPMLRoundTrip(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	w := get(t, s, "/sources.opml")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/x-opml") {
		t.Fatalf("export: %d %v", w.Code, w.Header())
	}
	wellFormed(t, w.Body.Bytes())
	exported := w.Body.Bytes()

	// Import into a fresh store through the web form.
	fresh := openStore(t)
	s2, err := New(Config{Store: fresh, Search: searcher(fresh), CheckToken: func(t string) bool { return t == "secret" }})
	if err != nil {
		t.Fatal(err)
	}
	a := login(t, s2)
	body := checkPage(t, postFile(t, s2, "/sources/import", a, exported), 200)
	mustContain(t, body, "أضيف: ٢", "موجود من قبل: ٠", "مرفوض: ٠")
	got, _ := fresh.ListSources(context.Background())
	want, _ := f.st.ListSources(context.Background())
	if len(got) != len(want) {
		t.Fatalf("re-imported %d sources, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].URL != want[i].URL || got[i].Title != want[i].Title || got[i].SiteURL != want[i].SiteURL {
			t.Errorf("source %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// Importing again adds nothing.
	body = checkPage(t, postFile(t, s2, "/sources/import", a, exported), 200)
	mustContain(t, body, "أضيف: ٠", "موجود من قبل: ٢")
}

func TestLogin(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, withToken)

	body := checkPage(t, get(t, s, "/login?next=/alerts"), 200)
	mustHave(t, body, el("form", "", "method", "post", "action", "/login"),
		el("label", "كلمة المرور أو رمز الإدارة", "for", "login-token"),
		el("input", "", "type", "password"), el("input", "", "name", "next", "value", "/alerts"))
	if has(t, body, el("input", "", "name", "csrf")) {
		t.Errorf("login form of a reader who is not logged in carries a CSRF token")
	}
	// Every page offers the login, none shows a write form.
	for _, p := range []string{"/", "/sources", "/alerts"} {
		body := checkPage(t, get(t, s, p), 200)
		mustHave(t, body, el("a", "", "href", "/login?"+url.Values{"next": {p}}.Encode()))
		if has(t, body, el("input", "", "name", "csrf")) || has(t, body, el("form", "", "action", "/sources")) ||
			has(t, body, el("form", "", "action", "/alerts")) {
			t.Errorf("%s shows write forms without a login", p)
		}
	}

	for _, tc := range []struct {
		name string
		form url.Values
		hdr  []string
	}{
		{"wrong token", url.Values{"token": {"nope"}}, nil},
		{"no token", url.Values{}, nil},
		{"cross-site", url.Values{"token": {"secret"}}, []string{"Sec-Fetch-Site", "cross-site"}},
		{"foreign origin", url.Values{"token": {"secret"}}, []string{"Origin", "https://evil.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := postForm(t, s, "/login", tc.form, nil, tc.hdr...)
			body := checkPage(t, w, 403)
			if len(w.Result().Cookies()) != 0 {
				t.Errorf("refused login set cookies: %v", w.Result().Cookies())
			}
			if tc.hdr == nil {
				mustContain(t, body, "رمز الإدارة غير صحيح")
			} else {
				mustContain(t, body, "رُفض الطلب")
			}
		})
	}

	w := postForm(t, s, "/login", url.Values{"token": {"secret"}, "next": {"/alerts"}}, nil, "Origin", "http://example.com")
	if w.Code != 303 || w.Header().Get("Location") != "/alerts" {
		t.Fatalf("login from the same origin: %d %v", w.Code, w.Header())
	}
	c := w.Result().Cookies()[0]
	if c.Name != sessionCookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure || c.Path != "/" || c.MaxAge <= 0 {
		t.Errorf("session cookie %+v", c)
	}
	// Behind a proxy the Host may be the backend's: the forwarded host or
	// the configured base URL vouch for the origin.
	w = postForm(t, s, "/login", url.Values{"token": {"secret"}}, nil, "Origin", "https://khabar.example", "X-Forwarded-Host", "khabar.example")
	if w.Code != 303 {
		t.Errorf("login through a proxy: %d", w.Code)
	}
	based := f.server(t, func(c *Config) { withToken(c); c.BaseURL = "https://khabar.example" })
	if w := postForm(t, based, "/login", url.Values{"token": {"secret"}}, nil, "Origin", "https://khabar.example"); w.Code != 303 {
		t.Errorf("login from the base URL's origin: %d", w.Code)
	}
	checkPage(t, postForm(t, based, "/login", url.Values{"token": {"secret"}}, nil, "Origin", "null"), 403)
	// Over TLS the cookie is Secure.
	r := httptest.NewRequest("POST", "https://example.com/login", strings.NewReader("token=secret"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if cs := w.Result().Cookies(); w.Code != 303 || len(cs) != 1 || !cs[0].Secure {
		t.Errorf("TLS login: %d %+v", w.Code, cs)
	}
	// "next" stays on this site.
	for _, next := range []string{"//evil.example/x", "https://evil.example/", `/\evil.example`, "javascript:alert(1)"} {
		w := postForm(t, s, "/login", url.Values{"token": {"secret"}, "next": {next}}, nil)
		if w.Code != 303 || w.Header().Get("Location") != "/" {
			t.Errorf("next=%q: %d %q", next, w.Code, w.Header().Get("Location"))
		}
	}

	// Logged in: the forms appear, each with the CSRF token, and the login page offers the logout.
	a := login(t, s)
	body = checkPage(t, get(t, s, "/sources", "Cookie", a.cookie.String()), 200)
	mustHave(t, body, el("form", "", "method", "post", "action", "/sources"), el("label", "", "for", "add-url"),
		el("form", "", "enctype", "multipart/form-data"), el("form", "", "action", "/sources/"+itoa(f.okSrc.ID)+"/delete"),
		el("form", "", "action", "/logout"))
	if n := count(t, body, el("input", "", "name", "csrf", "value", a.csrf)); n != 2+2+1 {
		t.Errorf("%d forms carry the CSRF token, want 5 (add, import, two removes, logout)", n)
	}
	if has(t, body, el("input", "", "name", "token")) {
		t.Errorf("forms still ask for the admin token")
	}
	if cc := get(t, s, "/sources", "Cookie", a.cookie.String()).Header().Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("an admin's page has Cache-Control %q", cc)
	}
	body = checkPage(t, get(t, s, "/login", "Cookie", a.cookie.String()), 200)
	mustContain(t, body, "أنت مسجّل الدخول مشرفاً")
	mustHave(t, body, el("form", "", "method", "post", "action", "/logout"))

	// Without a token checker there is no login.
	ro := f.server(t, nil)
	body = checkPage(t, get(t, ro, "/login"), 403)
	mustContain(t, body, "معطلان")
	checkPage(t, postForm(t, ro, "/login", url.Values{"token": {"secret"}}, nil), 403)
	if body := checkPage(t, get(t, ro, "/sources"), 200); strings.Contains(body, "/login") {
		t.Errorf("login offered without a token checker")
	}
}

// TestWritesNeedSessionAndCSRF posts to every write route: without a
// session the reader is sent to /login, without or with a wrong CSRF
// token the answer is 403 with an Arabic message, and nothing changes.
func TestWritesNeedSessionAndCSRF(t *testing.T) {
	f := newFixture(t)
	now := testNow
	s := f.server(t, func(c *Config) { withToken(c); c.Now = func() time.Time { return now } })
	ctx := context.Background()
	alert := model.Alert{Query: "التحالف"}
	if err := f.st.AddAlert(ctx, &alert); err != nil {
		t.Fatal(err)
	}
	a := login(t, s)
	other := login(t, s)
	if other.csrf == a.csrf {
		t.Fatalf("two sessions share a CSRF token")
	}
	routes := []struct {
		path, back string
		form       url.Values
	}{
		{"/sources", "/sources", url.Values{"url": {"https://new.example/rss"}}},
		{"/sources/import", "/sources", url.Values{}},
		{"/sources/" + itoa(f.okSrc.ID) + "/delete", "/sources", url.Values{}},
		{"/alerts", "/alerts", url.Values{"query": {"العراق"}}},
		{"/alerts/" + itoa(alert.ID) + "/delete", "/alerts", url.Values{}},
		{"/logout", "/", url.Values{}},
	}
	unchanged := func(t *testing.T) {
		t.Helper()
		srcs, _ := f.st.ListSources(ctx)
		als, _ := f.st.ListAlerts(ctx)
		if len(srcs) != 2 || len(als) != 1 {
			t.Fatalf("a refused post changed the store: %d sources, %d alerts", len(srcs), len(als))
		}
	}
	forged := *a.cookie
	forged.Value = strings.Replace(forged.Value, ".", ".A", 1)
	for _, rt := range routes {
		t.Run(rt.path, func(t *testing.T) {
			// No session, or a forged one: to the login page, and back after.
			for _, who := range []*admin{nil, {cookie: &forged, csrf: a.csrf}} {
				w := postForm(t, s, rt.path, rt.form, who)
				if w.Code != 303 || w.Header().Get("Location") != "/login?next="+url.QueryEscape(rt.back) {
					t.Errorf("without a session: %d %q", w.Code, w.Header().Get("Location"))
				}
			}
			unchanged(t)
			bad := []url.Values{{}, {"csrf": {""}}, {"csrf": {"AAAA"}}, {"csrf": {other.csrf}}, {"csrf": {a.csrf + "x"}}}
			for _, extra := range bad {
				form := cloneValues(rt.form)
				form["csrf"] = extra["csrf"]
				if form["csrf"] == nil {
					form["csrf"] = []string{""}
				}
				w := postForm(t, s, rt.path, form, a)
				body := checkPage(t, w, 403)
				mustContain(t, body, "رُفض الطلب: النموذج منتهي الصلاحية أو لم يُرسَل من هذا الموقع")
			}
			// A right token sent from another site is refused too.
			checkPage(t, postForm(t, s, rt.path, rt.form, a, "Sec-Fetch-Site", "cross-site"), 403)
			unchanged(t)
		})
	}
	// A session expires.
	now = testNow.Add(sessionTTL + time.Minute)
	w := postForm(t, s, "/sources", routes[0].form, a)
	if w.Code != 303 {
		t.Errorf("expired session: %d", w.Code)
	}
	now = testNow
	unchanged(t)

	// Logging out ends the session even for a copy of the cookie.
	if w := postForm(t, s, "/logout", nil, other); w.Code != 303 || w.Header().Get("Location") != "/" {
		t.Fatalf("logout: %d %v", w.Code, w.Header())
	} else if cs := w.Result().Cookies(); len(cs) != 1 || cs[0].Name != sessionCookie || cs[0].MaxAge >= 0 {
		t.Errorf("logout cookie %+v", cs)
	}
	if w := postForm(t, s, "/sources", routes[0].form, other); w.Code != 303 {
		t.Errorf("post after logout: %d", w.Code)
	}
	if body := checkPage(t, get(t, s, "/sources", "Cookie", other.cookie.String()), 200); has(t, body, el("input", "", "name", "csrf")) {
		t.Errorf("a logged-out cookie still shows the forms")
	}
	// The other session is untouched.
	checkPage(t, postForm(t, s, "/sources", routes[0].form, a), 201)
}

func TestSourceForms(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, withToken)
	a := login(t, s)

	body := checkPage(t, postForm(t, s, "/sources", url.Values{"url": {"https://new.example/rss"}, "title": {"جديد"}}, a), 201)
	mustContain(t, body, "أضيف المصدر: https://new.example/rss", "جديد")
	body = checkPage(t, postForm(t, s, "/sources", url.Values{"url": {"https://new.example/rss"}}, a), 409)
	mustContain(t, body, "المصدر موجود من قبل")
	body = checkPage(t, postForm(t, s, "/sources", url.Values{"url": {"ftp://x"}}, a), 400)
	mustContain(t, body, "رابط التغذية: must be an http or https URL")

	body = checkPage(t, postFile(t, s, "/sources/import", a, []byte("<opml><body><outline")), 400)
	mustContain(t, body, "OPML: ")
	list := `<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="a" xmlUrl="https://a.example/feed"/><outline text="b" xmlUrl="https://user:pw@b.example/feed"/></body></opml>`
	body = checkPage(t, postFile(t, s, "/sources/import", a, []byte(list)), 200)
	mustContain(t, body, "أضيف: ١", "مرفوض: ١", "must not carry credentials")
	// The import form sent as a plain form has no file.
	checkPage(t, postForm(t, s, "/sources/import", url.Values{}, a), 400)

	// Remove a source: gone from the list, its articles stay.
	body = checkPage(t, postForm(t, s, "/sources/"+itoa(f.okSrc.ID)+"/delete", nil, a), 200)
	mustContain(t, body, "حُذف المصدر: "+f.okSrc.URL)
	if has(t, body, el("a", "", "href", "/sources/"+itoa(f.okSrc.ID))) {
		t.Errorf("removed source still listed")
	}
	checkPage(t, get(t, s, "/articles/"+itoa(f.ref.ID)), 200)
	checkPage(t, postForm(t, s, "/sources/"+itoa(f.okSrc.ID)+"/delete", nil, a), 404)
	checkPage(t, postForm(t, s, "/sources/abc/delete", nil, a), 404)

	// Without a token checker the forms are hidden and posts refused.
	ro := f.server(t, nil)
	body = checkPage(t, get(t, ro, "/sources"), 200)
	if has(t, body, el("form", "", "method", "post")) {
		t.Errorf("forms shown without a token checker")
	}
	body = checkPage(t, postForm(t, ro, "/sources", url.Values{"url": {"https://y.example"}}, a), 403)
	mustContain(t, body, "الإضافة والحذف معطلان")
}

func TestAlertForm(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, withToken)
	a := login(t, s)
	cookie := []string{"Cookie", a.cookie.String()}
	body := checkPage(t, get(t, s, "/alerts?q="+url.QueryEscape("التحالف"), cookie...), 200)
	mustHave(t, body, el("label", "", "for", "al-query"), el("input", "", "id", "al-query", "value", "التحالف"),
		el("form", "", "method", "post", "action", "/alerts"))
	mustContain(t, body, "لا توجد تنبيهات محفوظة")

	body = checkPage(t, postForm(t, s, "/alerts", url.Values{"query": {"التحالف"}, "webhook": {"https://hooks.example/x"}}, a), 201)
	mustContain(t, body, "أُنشئ التنبيه", "/feeds/alerts/", "https://hooks.example/x")
	als, err := f.st.ListAlerts(context.Background())
	if err != nil || len(als) != 1 || als[0].Query != "التحالف" || als[0].Webhook != "https://hooks.example/x" {
		t.Fatalf("stored alerts %+v, %v", als, err)
	}
	body = checkPage(t, postForm(t, s, "/alerts", url.Values{"query": {"x"}, "webhook": {"javascript:alert(1)"}}, a), 400)
	mustContain(t, body, "webhook: must be an http or https URL")
	checkPage(t, postForm(t, s, "/alerts", url.Values{"query": {""}}, a), 400)
	if als, _ := f.st.ListAlerts(context.Background()); len(als) != 1 {
		t.Errorf("refused alerts were stored: %d", len(als))
	}
	// Saved alerts (webhooks, addresses) are shown to the admin only.
	body = checkPage(t, get(t, s, "/alerts", cookie...), 200)
	mustHave(t, body, el("form", "", "action", "/alerts/"+itoa(als[0].ID)+"/delete"))
	mustContain(t, body, "https://hooks.example/x")
	if body := checkPage(t, get(t, s, "/alerts"), 200); strings.Contains(body, "hooks.example") {
		t.Errorf("alerts page shows webhooks to a reader who is not logged in")
	}
	body = checkPage(t, postForm(t, s, "/alerts/"+itoa(als[0].ID)+"/delete", nil, a), 200)
	mustContain(t, body, "حُذف التنبيه: ", "لا توجد تنبيهات محفوظة")
	if als, _ := f.st.ListAlerts(context.Background()); len(als) != 0 {
		t.Errorf("alert not removed: %+v", als)
	}
	// The search page offers to save the search.
	body = checkPage(t, get(t, s, "/search?q="+url.QueryEscape("التحالف")), 200)
	mustHave(t, body, el("a", "", "href", "/alerts?q=%d8%a7%d9%84%d8%aa%d8%ad%d8%a7%d9%84%d9%81"))
	ro := newFixture(t).server(t, nil)
	body = checkPage(t, get(t, ro, "/alerts"), 200)
	mustContain(t, body, "الإضافة والحذف معطلان")
	checkPage(t, postForm(t, ro, "/alerts", url.Values{"query": {"x"}}, nil), 403)
}

func TestSessionTokens(t *testing.T) {
	if _, err := newSessions([]byte("short")); err == nil {
		t.Errorf("a 5-byte session key was accepted")
	}
	key := bytes.Repeat([]byte{7}, 32)
	ss, err := newSessions(key)
	if err != nil {
		t.Fatal(err)
	}
	v, err := ss.issue(testNow, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, ok := ss.check(v, testNow.Add(time.Hour)); !ok {
		t.Fatalf("fresh session refused")
	}
	// The same key (a restart with the same admin token) accepts it; another does not.
	same, _ := newSessions(key)
	if _, _, _, ok := same.check(v, testNow); !ok {
		t.Errorf("session refused under the same key")
	}
	otherKey, _ := newSessions(bytes.Repeat([]byte{8}, 32))
	if _, _, _, ok := otherKey.check(v, testNow); ok {
		t.Errorf("session accepted under another key")
	}
	if otherKey.csrfOK(v, ss.csrf(v)) {
		t.Errorf("CSRF token accepted under another key")
	}
	for _, bad := range []string{"", ".", "x.y", v[:len(v)-2], strings.Repeat("A", 300), v + "A"} {
		if _, _, _, ok := ss.check(bad, testNow); ok {
			t.Errorf("check(%q) accepted", bad)
		}
	}
	if _, _, _, ok := ss.check(v, testNow.Add(sessionTTL)); ok {
		t.Errorf("expired session accepted")
	}
}
