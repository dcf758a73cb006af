package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store/sqlite/sqlitetest"
)

// TestSearchPartialMatches: the search page falls back to articles that
// match some of the words, and says so; the search feed, which readers
// subscribe to, never does.
func TestSearchPartialMatches(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	sd := newSeeder(st)
	a := &model.Article{URL: "https://x.example/1", Title: "افتتاح مهرجان التمور في بريدة", Text: "بدأ المهرجان اليوم.",
		SourceName: "س", Published: testNow}
	if err := sd.save(ctx, a); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Store: st, Search: sd.search(), Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	q := url.QueryEscape("مهرجان التمور بالقصيم")
	body := checkPage(t, get(t, s, "/search?q="+q), 200)
	mustHave(t, body, el("p", "نتائج تطابق بعض الكلمات", "class", "notice", "class", "partial", "role", "status"),
		el("a", "", "href", "/articles/"+itoa(a.ID)))
	mustContain(t, body, "عدد النتائج: ١")
	body = checkPage(t, get(t, s, "/search?q="+url.QueryEscape("مهرجان التمور")), 200)
	if strings.Contains(body, "نتائج تطابق بعض الكلمات") {
		t.Error("a full match is flagged partial")
	}
	w := get(t, s, "/feeds/search.xml?q="+q)
	if w.Code != 200 || strings.Contains(w.Body.String(), "/articles/"+itoa(a.ID)) || strings.Contains(w.Body.String(), a.URL) {
		t.Errorf("search feed took a partial match (status %d):\n%s", w.Code, w.Body)
	}
}
