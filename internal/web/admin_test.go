package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"khabar/internal/api/apitest"
)

func postForm(t *testing.T, h http.Handler, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func postFile(t *testing.T, h http.Handler, target, token string, file []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("token", token)
	fw, _ := mw.CreateFormFile("opml", "list.opml")
	fw.Write(file)
	mw.Close()
	r := httptest.NewRequest("POST", target, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func withToken(c *Config) { c.CheckToken = func(t string) bool { return t == "secret" } }

func TestOPMLRoundTrip(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		s := f.server(t, nil)
		w := get(t, s, "/sources.opml")
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/x-opml") {
			t.Fatalf("export: %d %v", w.Code, w.Header())
		}
		wellFormed(t, w.Body.Bytes())
		exported := w.Body.Bytes()

		// Import into a fresh store through the web form.
		fresh := apitest.NewStore()
		s2, err := New(Config{Store: fresh, Search: &apitest.Searcher{Store: fresh}, CheckToken: func(t string) bool { return t == "secret" }})
		if err != nil {
			t.Fatal(err)
		}
		body := checkPage(t, postFile(t, s2, "/sources/import", "secret", exported), 200)
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
		body = checkPage(t, postFile(t, s2, "/sources/import", "secret", exported), 200)
		mustContain(t, body, "أضيف: ٠", "موجود من قبل: ٢")
	})
}

func TestSourceForms(t *testing.T) {
	f := newFixture(t, "fake")
	s := f.server(t, withToken)
	body := checkPage(t, get(t, s, "/sources"), 200)
	mustContain(t, body, `<form method="post" action="/sources"`, `<label for="add-url">`, `<label for="add-token">`, `enctype="multipart/form-data"`)

	body = checkPage(t, postForm(t, s, "/sources", url.Values{"url": {"https://new.example/rss"}, "title": {"جديد"}, "token": {"secret"}}), 201)
	mustContain(t, body, "أضيف المصدر: https://new.example/rss", "جديد")
	body = checkPage(t, postForm(t, s, "/sources", url.Values{"url": {"https://new.example/rss"}, "token": {"secret"}}), 409)
	mustContain(t, body, "المصدر موجود من قبل")
	body = checkPage(t, postForm(t, s, "/sources", url.Values{"url": {"ftp://x"}, "token": {"secret"}}), 400)
	mustContain(t, body, "رابط التغذية: must be an http or https URL")
	body = checkPage(t, postForm(t, s, "/sources", url.Values{"url": {"https://x.example"}, "token": {"wrong"}}), 401)
	mustContain(t, body, "رمز الإدارة غير صحيح")
	checkPage(t, postForm(t, s, "/sources", url.Values{"url": {"https://x.example"}}), 401)

	body = checkPage(t, postFile(t, s, "/sources/import", "secret", []byte("<opml><body><outline")), 400)
	mustContain(t, body, "OPML: ")
	list := `<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="a" xmlUrl="https://a.example/feed"/><outline text="b" xmlUrl="https://user:pw@b.example/feed"/></body></opml>`
	body = checkPage(t, postFile(t, s, "/sources/import", "secret", []byte(list)), 200)
	mustContain(t, body, "أضيف: ١", "مرفوض: ١", "must not carry credentials")
	checkPage(t, postFile(t, s, "/sources/import", "nope", []byte(list)), 401)

	// Without a token checker the forms are hidden and posts refused.
	ro := f.server(t, nil)
	body = checkPage(t, get(t, ro, "/sources"), 200)
	if strings.Contains(body, `method="post"`) {
		t.Errorf("forms shown without a token checker")
	}
	body = checkPage(t, postForm(t, ro, "/sources", url.Values{"url": {"https://y.example"}, "token": {"secret"}}), 403)
	mustContain(t, body, "الإضافة معطلة")
}

func TestAlertForm(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		s := f.server(t, withToken)
		body := checkPage(t, get(t, s, "/alerts?q="+url.QueryEscape("التحالف")), 200)
		mustContain(t, body, `<label for="al-query">`, `value="التحالف"`, `<form method="post" action="/alerts"`)

		body = checkPage(t, postForm(t, s, "/alerts", url.Values{"query": {"التحالف"}, "webhook": {"https://hooks.example/x"}, "token": {"secret"}}), 201)
		mustContain(t, body, "أُنشئ التنبيه", "/feeds/alerts/")
		als, err := f.st.ListAlerts(context.Background())
		if err != nil || len(als) != 1 || als[0].Query != "التحالف" || als[0].Webhook != "https://hooks.example/x" {
			t.Fatalf("stored alerts %+v, %v", als, err)
		}
		body = checkPage(t, postForm(t, s, "/alerts", url.Values{"query": {"x"}, "webhook": {"javascript:alert(1)"}, "token": {"secret"}}), 400)
		mustContain(t, body, "webhook: must be an http or https URL")
		checkPage(t, postForm(t, s, "/alerts", url.Values{"query": {""}, "token": {"secret"}}), 400)
		checkPage(t, postForm(t, s, "/alerts", url.Values{"query": {"x"}, "token": {"bad"}}), 401)
		if als, _ := f.st.ListAlerts(context.Background()); len(als) != 1 {
			t.Errorf("refused alerts were stored: %d", len(als))
		}
		// The search page offers to save the search.
		body = checkPage(t, get(t, s, "/search?q="+url.QueryEscape("التحالف")), 200)
		mustContain(t, body, `<a href="/alerts?q=%d8%a7%d9%84%d8%aa%d8%ad%d8%a7%d9%84%d9%81">`)
	})
	ro := newFixture(t, "fake").server(t, nil)
	body := checkPage(t, get(t, ro, "/alerts"), 200)
	mustContain(t, body, "الإضافة معطلة")
	checkPage(t, postForm(t, ro, "/alerts", url.Values{"query": {"x"}, "token": {"secret"}}), 403)
}
