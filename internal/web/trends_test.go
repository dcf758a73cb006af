package web

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

func TestTrendsRankRisingTerms(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	src := model.Source{URL: "https://s.example/feed", Title: "س"}
	if err := st.AddSource(ctx, &src); err != nil {
		t.Fatal(err)
	}
	n := 0
	add := func(ago time.Duration, kw string) {
		n++
		a := model.Article{URL: "https://s.example/" + strconv.Itoa(n), SourceID: src.ID, SourceName: "س", Title: "t",
			Published: testNow.Add(-ago), Keywords: []string{kw}, Entities: []model.Entity{{Name: kw, Type: "LOC"}}}
		save(t, st, &a)
	}
	// "steady" is in every article, 3 every day; "rising" in 6 today only.
	for d := range 8 {
		for range 3 {
			add(time.Duration(d)*24*time.Hour+time.Hour, "steady")
		}
	}
	for range 6 {
		add(2*time.Hour, "rising")
	}
	s, err := New(Config{Store: st, Search: searcher(st), Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	tags, ents, err := s.trends(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, ts := range [][]Trend{tags, ents} {
		// A word in every article every day never rises.
		if len(ts) != 1 || ts[0].Term != "rising" {
			t.Fatalf("trends %+v", ts)
		}
		if ts[0].Count != 6 || ts[0].Before != 0 || ts[0].Expected != 0 {
			t.Errorf("counts %+v", ts)
		}
		if got := ts[0].Days; len(got) != trendDays+1 || got[0] != 0 || got[trendDays] != 6 {
			t.Errorf("rising days %v", got)
		}
		if !strings.HasPrefix(string(ts[0].Spark), `<svg class="spark"`) || strings.Count(string(ts[0].Spark), "v-") != trendDays+1 {
			t.Errorf("spark %s", ts[0].Spark)
		}
	}
	act, err := s.activity(ctx, []int64{src.ID})
	if err != nil {
		t.Fatal(err)
	}
	a := act[src.ID]
	if len(a.Days) != activityDays || a.Days[activityDays-1] != 9 || a.Days[activityDays-2] != 3 || a.Days[0] != 0 || a.Total != 30 {
		t.Errorf("activity %+v", a)
	}
	body := checkPage(t, get(t, s, "/"), 200)
	mustContain(t, body, "الأكثر تداولاً")
	mustHaveFollowed(t, body, el("a", "rising", "href", "/tags/rising", "dir", "auto"), el("span", "٦", "class", "count"), el("svg", ""))
	body = checkPage(t, get(t, s, "/sources"), 200)
	mustContain(t, body, "المقالات يومياً")
	mustHave(t, body, el("td", "٣٠", "data-label", "المقالات"))
	if td := findAll(parsePage(t, body), el("td", "٣٠", "data-label", "المقالات")); len(td) == 0 ||
		len(findAll(td[0], el("svg", "", "class", "spark"))) == 0 {
		t.Errorf("the sources page's count of articles has no sparkline")
	}
}

func TestSparkline(t *testing.T) {
	got := string(sparkline([]int{0, 2, 4}, 10))
	want := `<svg class="spark" width="14" height="10" viewBox="0 0 14 10" aria-hidden="true">` +
		`<path d="M2 10v-1m5 1v-5m5 5v-10"/></svg>`
	if got != want {
		t.Errorf("sparkline:\n got %s\nwant %s", got, want)
	}
	if sparkline(nil, 10) != "" {
		t.Errorf("empty sparkline not empty")
	}
}

// TestHomePageWeight fills a home page to the brim (a full page of
// articles with long titles and excerpts, six stories, twenty trends) and
// checks it stays under 50 KB.
func TestHomePageWeight(t *testing.T) {
	st := openStore(t)
	title := strings.Repeat("المبعوث الامريكي للتحالف الدولي لا خطط للانسحاب ", 2)
	text := strings.Repeat("قال المبعوث الامريكي للتحالف الدولي ان مهمة التحالف الدولي لم تنته بعد وانه لا توجد خطة للانسحاب. ", 10)
	var storyIDs []int64
	for i := range 80 {
		a := model.Article{URL: "https://s.example/" + strconv.Itoa(i), SourceName: "وكالة الأنباء " + strconv.Itoa(i%7), Title: title,
			Text: text, Published: testNow.Add(-time.Duration(i) * 15 * time.Minute), Language: "ar",
			Keywords: []string{"كلمة " + strconv.Itoa(i%12), "موضوع " + strconv.Itoa(i%9)},
			Entities: []model.Entity{{Name: "اسم " + strconv.Itoa(i%11), Type: "PERS"}}}
		if i < 24 && i%4 != 0 {
			a.StoryID = storyIDs[len(storyIDs)-1]
		}
		save(t, st, &a)
		if i < 24 && i%4 == 0 {
			storyIDs = append(storyIDs, a.StoryID)
		}
	}
	s, err := New(Config{Store: st, Search: searcher(st), Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	body := checkPage(t, get(t, s, "/"), 200)
	if n := strings.Count(body, `<li class="story">`); n != 6 {
		t.Errorf("%d stories", n)
	}
	if n := strings.Count(body, `<svg class="spark"`); n != 20 {
		t.Errorf("%d sparklines", n)
	}
	t.Logf("home page: %d bytes", len(body))
}

func TestStoryPagePaged(t *testing.T) {
	st := openStore(t)
	var storyID int64
	for i := range 60 {
		a := model.Article{URL: "https://s.example/" + strconv.Itoa(i), SourceName: "س", Title: "نسخة " + strconv.Itoa(i),
			Published: testNow.Add(time.Duration(i) * time.Minute), StoryID: storyID}
		save(t, st, &a)
		storyID = a.StoryID
	}
	s, err := New(Config{Store: st, Search: searcher(st)})
	if err != nil {
		t.Fatal(err)
	}
	path := "/stories/" + strconv.FormatInt(storyID, 10)
	body := checkPage(t, get(t, s, path), 200)
	if n := count(t, body, el("h3", "")); n != 50 {
		t.Errorf("page 1 lists %d versions", n)
	}
	mustHave(t, body, el("dd", "٦٠"), el("", "", "rel", "next"))
	body = checkPage(t, get(t, s, path+"?page=2"), 200)
	if n := count(t, body, el("h3", "")); n != 10 || !strings.Contains(body, "نسخة 59") {
		t.Errorf("page 2 lists %d versions", n)
	}
	checkPage(t, get(t, s, path+"?page=3"), 404)
}

// TestSourcesPageWeight: sixty fetched sources, each with a chart and a
// tenth failing with a long error, stay under 50 KB.
func TestSourcesPageWeight(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	for i := range 60 {
		src := model.Source{URL: "https://www.outlet" + strconv.Itoa(i) + ".example/feed/rss2/ar.xml", Title: "وكالة الأنباء العربية " + strconv.Itoa(i),
			LastFetched: testNow.Add(-time.Hour), NextFetch: testNow.Add(time.Hour)}
		if i%10 == 0 {
			src.LastError = "fetch: Get \"https://www.outlet.example/feed\": dial tcp 203.0.113.7:443: i/o timeout after 30s"
		}
		if err := st.AddSource(ctx, &src); err != nil {
			t.Fatal(err)
		}
		for d := range 14 {
			a := model.Article{URL: src.URL + "/" + strconv.Itoa(d), SourceID: src.ID, Title: "t", Published: testNow.Add(-time.Duration(d*24+1) * time.Hour)}
			save(t, st, &a)
		}
	}
	s, err := New(Config{Store: st, Search: searcher(st), Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	body := checkPage(t, get(t, s, "/sources"), 200)
	if n := strings.Count(body, `<svg class="spark"`); n != 60 {
		t.Errorf("%d charts", n)
	}
	t.Logf("sources page: %d bytes", len(body))
}

// TestRisingMeansSomething: on a busy last day (twice the articles of the
// days before), a name absent before and in 30 of its articles leads both
// rising lists; a word in most articles every day, an outlet's share
// button, a wire's name and an outlet's own name never appear, however
// they grow, nor does a topic that only grows with the day's volume.
func TestRisingMeansSomething(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	src := model.Source{URL: "https://alriyadh.example/feed", Title: "الرياض"}
	if err := st.AddSource(ctx, &src); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveOutlet(ctx, model.Outlet{Key: "okaz", NameAR: "عكاظ", NameEN: "Okaz"}); err != nil {
		t.Fatal(err)
	}
	outlets := []string{"عكاظ", "واس", "الرياض"}
	ent := func(name, typ string) model.Entity { return model.Entity{Name: name, Type: typ} }
	var batch []*model.Article
	n := 0
	for d := range trendDays + 1 {
		perOutlet := 12
		if d == trendDays {
			perOutlet = 24
		}
		for o, outlet := range outlets {
			for i := range perOutlet {
				n++
				a := &model.Article{URL: "https://news.example/" + strconv.Itoa(n), SourceName: outlet, Title: "خبر " + strconv.Itoa(n),
					Published: testNow.Add(-time.Duration(trendDays-d)*24*time.Hour - time.Duration(i+1)*time.Minute)}
				add := func(e model.Entity) {
					a.Keywords = append(a.Keywords, e.Name)
					a.Entities = append(a.Entities, e)
				}
				switch outlet {
				case "عكاظ":
					add(ent("فيسبوك", "ORG")) // the share bar of every page
				case "واس":
					add(ent("وكالة الأنباء السعودية", "ORG")) // the wire's own name
				}
				if i%10 < 7 {
					add(ent("السعودية", "LOC")) // in most articles, every day
				}
				if i%6 == 0 {
					add(ent("الطقس", "MISC")) // grows only with the day's volume
				}
				if d == trendDays {
					if i < 10 {
						add(ent("زيد الخيالي", "PERS")) // planted: 30 articles, absent before
					}
					if outlet != "واس" && i >= 10 && i < 14 {
						add(ent("وكالة الأنباء السعودية", "ORG")) // credited more today
						add(ent("صحيفة الرياض", "ORG"))           // a source's title
						add(ent("عكاظ", "ORG"))                   // an outlet profile's name
					}
				}
				if o == 0 && (d == trendDays && i >= 10 && i < 21 || d < trendDays && i == 0) {
					add(ent("الانتخابات", "MISC")) // a real rise: 1 a day, then 11 (under half the outlet's)
				}
				batch = append(batch, a)
			}
		}
	}
	if _, err := st.SaveArticles(ctx, batch, make([]store.IndexData, len(batch))); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Store: st, Search: searcher(st), Now: func() time.Time { return testNow },
		OutletNames: []string{"وكالة الأنباء السعودية", "واس"}})
	if err != nil {
		t.Fatal(err)
	}
	tags, ents, err := s.trends(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for kind, ts := range map[string][]Trend{"tags": tags, "entities": ents} {
		var terms []string
		for _, tr := range ts {
			terms = append(terms, tr.Term)
		}
		if len(ts) < 2 || ts[0].Term != "زيد الخيالي" || ts[1].Term != "الانتخابات" {
			t.Errorf("rising %s = %q, want the planted name first, then الانتخابات", kind, terms)
		}
		for _, never := range []string{"السعودية", "فيسبوك", "وكالة الأنباء السعودية", "صحيفة الرياض", "عكاظ", "الطقس"} {
			if slices.Contains(terms, never) {
				t.Errorf("rising %s = %q: holds %s", kind, terms, never)
			}
		}
		if len(ts) > 0 && ts[0].Expected != 0 {
			t.Errorf("planted name expected %v times, want 0", ts[0].Expected)
		}
	}
}
