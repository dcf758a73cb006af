package web

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/storyinfo/storyinfotest"
)

// TestStoryPageDetails: a story page tells who covers the story (names,
// never bare keys), who broke it, who copied whom, who said what, and
// draws a timeline as SVG without script.
func TestStoryPageDetails(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if err := st.AddOutlets(ctx, []model.Outlet{
		{Key: "was", NameAR: "وكالة الأنباء السعودية", Country: "SA", Kind: model.OutletWire},
		{Key: "okaz", NameAR: "عكاظ", Country: "SA", Kind: model.OutletPrivate},
		{Key: "aawsat", NameAR: "الشرق الأوسط", Country: "GB", Kind: model.OutletPrivate},
	}); err != nil {
		t.Fatal(err)
	}
	text := "أعلنت الوزارة بدء المرحلة الثانية من المشروع في المنطقة الشرقية اليوم.\n\nوقال المتحدث باسم الوزارة: «سنكمل المشروع قبل نهاية العام الجاري بإذن الله».\n\nوأوضحت الوزارة أن المرحلة تشمل عشرة أحياء في مدينة الدمام."
	wire := model.Article{URL: "https://spa.example/1", SourceName: "was", Outlet: "was", Title: "بدء المرحلة الثانية", Text: text,
		Agency: "واس", Published: testNow, Modified: testNow.Add(3 * time.Hour)}
	save(t, st, &wire)
	cp := model.Article{URL: "https://okaz.example/1", SourceName: "okaz", Outlet: "okaz", Title: "بدء المرحلة الثانية", Text: text,
		Published: testNow.Add(time.Hour), StoryID: wire.StoryID, DuplicateOf: wire.ID}
	own := model.Article{URL: "https://aawsat.example/1", SourceName: "aawsat", Outlet: "aawsat", Title: "مشروع الدمام",
		Text:      "بدأت المرحلة الثانية من مشروع تطوير الأحياء في الدمام وتشمل 10 أحياء بتكلفة 300 مليون ريال.\n\nوتوقع مهندسون أن تنتهي الأعمال في الربع الأول من العام المقبل.",
		Published: testNow.Add(2 * time.Hour), StoryID: wire.StoryID}
	for _, a := range []*model.Article{&cp, &own} {
		save(t, st, a)
	}
	s, err := New(Config{Store: st, Search: searcher(st)})
	if err != nil {
		t.Fatal(err)
	}
	path := "/stories/" + strconv.FormatInt(wire.StoryID, 10)
	body := checkPage(t, get(t, s, path), 200)
	mustContain(t, body,
		"وكالة الأنباء السعودية", "الشرق الأوسط", "عكاظ", // names, never keys
		"أول من نشرها", "من نقل عن من", "واس", "من قال ماذا",
		"سنكمل المشروع قبل نهاية العام الجاري بإذن الله", "المتحدث باسم الوزارة",
		"<svg", "<circle", "tl-update", "ما يضيفه كل مصدر", "300")
	if strings.Contains(body, "<script") {
		t.Error("the story page has a script")
	}
	for _, key := range []string{">was<", ">okaz<", ">aawsat<"} {
		if strings.Contains(body, key) {
			t.Errorf("a bare outlet key %s is shown", key)
		}
	}
	// Later pages list versions only.
	en := get(t, s, path+"?lang=en").Body.String()
	mustContain(t, en, "Who covers this story", "Timeline")
}

// TestOneSided: a story covered by three Saudi outlets while a British
// one publishes is listed on the home page and in /feeds/one-sided.xml.
func TestOneSided(t *testing.T) {
	st := openStore(t)
	story := storyinfotest.OneSided(t, st, testNow, func(a *model.Article) { save(t, st, a) })
	s, err := New(Config{Store: st, Search: searcher(st)})
	if err != nil {
		t.Fatal(err)
	}
	home := checkPage(t, get(t, s, "/"), 200)
	mustContain(t, home, "تغطية من جهة واحدة", "/stories/"+strconv.FormatInt(story, 10), storyinfotest.OneSidedTitle, "SA")
	w := get(t, s, "/feeds/one-sided.xml")
	if w.Code != 200 || !strings.Contains(w.Body.String(), storyinfotest.OneSidedTitle) || strings.Contains(w.Body.String(), storyinfotest.OtherTitle) {
		t.Errorf("one-sided feed: %d %s", w.Code, w.Body.String())
	}
}

// TestEnglishOutletNames: English pages name each outlet by its English
// name (story details, timeline, lists, the article page), Arabic pages
// by its Arabic one.
func TestEnglishOutletNames(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if err := st.AddOutlets(ctx, []model.Outlet{
		{Key: "was", NameAR: "وكالة الأنباء السعودية", NameEN: "Saudi Press Agency", Country: "SA", Kind: model.OutletWire},
		{Key: "okaz", NameAR: "عكاظ", NameEN: "Okaz", Country: "SA", Kind: model.OutletPrivate},
		{Key: "aawsat", NameAR: "الشرق الأوسط", NameEN: "Asharq Al-Awsat", Country: "GB", Kind: model.OutletPrivate},
	}); err != nil {
		t.Fatal(err)
	}
	text := "أعلنت الوزارة بدء المرحلة الثانية من المشروع في المنطقة الشرقية اليوم.\n\nوقال المتحدث باسم الوزارة: «سنكمل المشروع قبل نهاية العام الجاري بإذن الله».\n\nوأوضحت الوزارة أن المرحلة تشمل عشرة أحياء في مدينة الدمام."
	wire := model.Article{URL: "https://spa.example/1", SourceName: "was", Outlet: "was", Title: "بدء المرحلة الثانية", Text: text,
		Published: testNow, Modified: testNow.Add(3 * time.Hour)}
	save(t, st, &wire)
	cp := model.Article{URL: "https://okaz.example/1", SourceName: "okaz", Outlet: "okaz", Title: "بدء المرحلة الثانية", Text: text,
		Published: testNow.Add(time.Hour), StoryID: wire.StoryID, DuplicateOf: wire.ID}
	own := model.Article{URL: "https://aawsat.example/1", SourceName: "aawsat", Outlet: "aawsat", Title: "مشروع الدمام",
		Text:      "بدأت المرحلة الثانية من مشروع تطوير الأحياء في الدمام وتشمل 10 أحياء بتكلفة 300 مليون ريال.\n\nوتوقع مهندسون أن تنتهي الأعمال في الربع الأول من العام المقبل.",
		Published: testNow.Add(2 * time.Hour), StoryID: wire.StoryID}
	for _, a := range []*model.Article{&cp, &own} {
		save(t, st, a)
	}
	s, err := New(Config{Store: st, Search: searcher(st)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path            string
		arabic, english []string
	}{
		{"/stories/" + strconv.FormatInt(wire.StoryID, 10),
			[]string{"وكالة الأنباء السعودية", "عكاظ", "الشرق الأوسط"}, []string{"Saudi Press Agency", "Okaz", "Asharq Al-Awsat"}},
		{"/articles/" + strconv.FormatInt(cp.ID, 10),
			[]string{"وكالة الأنباء السعودية", "عكاظ", "الشرق الأوسط"}, []string{"Saudi Press Agency", "Okaz", "Asharq Al-Awsat"}},
		{"/", []string{"عكاظ", "الشرق الأوسط"}, []string{"Okaz", "Asharq Al-Awsat"}},
	} {
		w := get(t, s, tc.path+"?lang=en")
		en := w.Body.String()
		if w.Code != 200 {
			t.Fatalf("%s in English: status %d", tc.path, w.Code)
		}
		mustContain(t, en, tc.english...)
		for _, name := range tc.arabic {
			if strings.Contains(en, name) {
				t.Errorf("%s in English names the outlet %s in Arabic", tc.path, name)
			}
		}
		ar := checkPage(t, get(t, s, tc.path), 200)
		mustContain(t, ar, tc.arabic...)
		for _, name := range tc.english {
			if strings.Contains(ar, name) {
				t.Errorf("%s in Arabic names the outlet %s in English", tc.path, name)
			}
		}
	}
}

// TestArticlePageLargeStory: an article of a story larger than the page
// lists shows the story's first other versions and its count, and names
// its original even when the original is not among those first versions.
func TestArticlePageLargeStory(t *testing.T) {
	st := openStore(t)
	first := model.Article{URL: "https://a.example/0", SourceName: "المصدر 0", Title: "افتتاح معرض الكتاب في الرياض",
		Text: "افتتح معرض الكتاب أبوابه اليوم في الرياض بمشاركة دور نشر من ثلاثين دولة.", Published: testNow}
	save(t, st, &first)
	var early []model.Article
	for i := 1; i <= 7; i++ {
		a := model.Article{URL: "https://a.example/" + strconv.Itoa(i), SourceName: "المصدر " + strconv.Itoa(i),
			Title: "معرض الكتاب " + strconv.Itoa(i), Text: "تقرير رقم " + strconv.Itoa(i) + " عن معرض الكتاب في الرياض وزواره.",
			Published: testNow.Add(time.Duration(i) * time.Minute), StoryID: first.StoryID}
		save(t, st, &a)
		early = append(early, a)
	}
	wire := model.Article{URL: "https://wire.example/1", SourceName: "الوكالة", Title: "أرقام زوار معرض الكتاب",
		Text: "بلغ عدد زوار معرض الكتاب في يومه الأول مئة ألف زائر بحسب المنظمين.", Published: testNow.Add(time.Hour), StoryID: first.StoryID}
	save(t, st, &wire)
	cp := model.Article{URL: "https://copy.example/1", SourceName: "الناقل", Title: "أرقام زوار معرض الكتاب", Text: wire.Text,
		Published: testNow.Add(2 * time.Hour), StoryID: first.StoryID, DuplicateOf: wire.ID}
	save(t, st, &cp)
	s, err := New(Config{Store: st, Search: searcher(st)})
	if err != nil {
		t.Fatal(err)
	}
	body := checkPage(t, get(t, s, "/articles/"+strconv.FormatInt(cp.ID, 10)), 200)
	mustContain(t, body, "هذا المقال نسخة من", `<a href="/articles/`+strconv.FormatInt(wire.ID, 10)+`" dir="auto">`+wire.Title+`</a>`, "الوكالة",
		"/stories/"+strconv.FormatInt(first.StoryID, 10))
	// The other versions: the story's first five, in order.
	want := []string{first.Title}
	for _, a := range early[:4] {
		want = append(want, a.Title)
	}
	last := -1
	for _, title := range want {
		i := strings.Index(body, ">"+title+"<")
		if i < 0 || i < last {
			t.Errorf("other version %q missing or out of order", title)
		}
		last = i
	}
	if strings.Contains(body, ">"+early[4].Title+"<") {
		t.Errorf("the page lists more than five other versions")
	}
	mustContain(t, body, "١٠") // the story's count of versions
	// The first article's own page lists five others, not itself.
	body = checkPage(t, get(t, s, "/articles/"+strconv.FormatInt(first.ID, 10)), 200)
	if strings.Contains(body, ">"+first.Title+"</a>") || !strings.Contains(body, ">"+early[4].Title+"<") {
		t.Errorf("the first article's page lists itself, or not the five others after it")
	}
	if strings.Contains(body, "هذا المقال نسخة من") {
		t.Errorf("an article that is no copy is called one")
	}
}
