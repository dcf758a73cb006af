package ingest

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"khabar/internal/extract"
	"khabar/internal/feed"
	"khabar/internal/model"
)

// FuzzItemMerge makes the article a feed item announces, lays a page's
// extraction over it as the crawler does, and prepares the result.
func FuzzItemMerge(f *testing.F) {
	f.Add("خبر عاجل", "https://news.example/a/1", "<p>ملخص <b>الخبر</b></p><script>x()</script>", "", int64(1709539200),
		"عنوان الصفحة", "نص الصفحة الكامل عن الخبر.", "<p>نص</p><img src=x onerror=y>", "https://news.example/a/1?amp", "https://news.example/a/1", int64(1709542800))
	f.Add("", "http://x.example", "", "نص الخلاصة فقط", int64(253402300800), "", "", "", "https://other.example/steal", "https://x.example/final", int64(0))
	f.Add(" زار الوزير مدينة د ", "https://x.example/p?q=1#f", "", "", int64(-2208988800), "زار الوزير مدينة د", "", "", "", "", int64(-1))
	src := model.Source{ID: 7, URL: "https://news.example/feed", Title: "أخبار", Language: "ar"}
	p := testPipeline(nil)
	f.Fuzz(func(t *testing.T, title, link, summary, content string, pub int64, pageTitle, pageText, pageHTML, canon, finalURL string, pagePub int64) {
		if u, err := url.Parse(link); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return // ingestItem refuses such links before this point
		}
		it := feed.Item{URL: link, Title: title, Summary: summary, Content: content, Published: unixOrZero(pub)}
		a, feedText := itemArticle(src, it, link)
		if a.URL != link || a.Title != strings.TrimSpace(title) || !a.Published.Equal(it.Published) || a.SourceID != src.ID {
			t.Fatalf("item article %+v from %+v", a, it)
		}
		if strings.Contains(strings.ToLower(a.Summary), "<script") || (summary == "" && a.Summary != "") {
			t.Fatalf("summary %q from %q", a.Summary, summary)
		}
		if content == "" && summary == "" && feedText != "" {
			t.Fatalf("feed text %q from nothing", feedText)
		}
		res := &extract.Result{URL: canon, Title: pageTitle, Text: pageText, HTML: pageHTML, Published: unixOrZero(pagePub)}
		merge(a, res, finalURL)
		wantURL := link
		switch {
		case canon != "" && sameSite(canon, finalURL):
			wantURL = canon
		case finalURL != "":
			wantURL = finalURL
		}
		if a.URL != wantURL {
			t.Fatalf("URL %q, want %q (canonical %q, final %q)", a.URL, wantURL, canon, finalURL)
		}
		// The page wins for what it states; the item's values stay otherwise.
		if pageTitle != "" && a.Title != pageTitle || pageTitle == "" && a.Title != strings.TrimSpace(title) {
			t.Fatalf("title %q (item %q, page %q)", a.Title, title, pageTitle)
		}
		if !res.Published.IsZero() && !a.Published.Equal(res.Published) || res.Published.IsZero() && !a.Published.Equal(it.Published) {
			t.Fatalf("published %v (item %v, page %v)", a.Published, it.Published, res.Published)
		}
		if strings.Contains(strings.ToLower(a.HTML), "<script") {
			t.Fatalf("page HTML kept a script: %q", a.HTML)
		}
		// Merging the same page twice changes nothing more.
		again := *a
		merge(&again, res, finalURL)
		if !reflect.DeepEqual(&again, a) {
			t.Fatalf("merge is not idempotent:\n%+v\n%+v", a, &again)
		}
		if a.Text == "" {
			a.Text = feedText
		}
		pr, err := p.PrepareWith(context.Background(), a, nil)
		if err != nil {
			t.Fatalf("PrepareWith: %v", err)
		}
		now := testNow
		for _, d := range []time.Time{pr.Article.Published, pr.Article.Modified} {
			if !d.IsZero() && !model.PlausibleDate(d, now) {
				t.Fatalf("date %v kept", d)
			}
		}
		if pr.Article != a || a.Title != strings.TrimSpace(a.Title) || a.Text != strings.TrimSpace(a.Text) {
			t.Fatalf("prepared %+v", pr.Article)
		}
	})
}

func unixOrZero(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}
