package extract

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// aggregatorPage follows the layout of a real Arabic aggregator article
// page (headline, publish and update lines, dateline credit, المصدر line,
// tags, "إقرأ أيضاً" with another article); the text is invented.
const aggregatorPage = `<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>وزير يعلن خطة جديدة لتطوير النقل العام في العاصمة - شبكة الأخبار</title>
<meta property="og:site_name" content="شبكة الأخبار">
<meta name="keywords" content="النقل، العاصمة, الحافلات">
<meta property="article:tag" content="الوزارة">
<link rel="canonical" href="/news/2024/03/02/transport-plan?utm=x#top">
<meta property="og:image" content="/img/lead.jpg">
</head><body>
<nav><a href="/">الرئيسية</a> <a href="/world">العالم</a> <a href="/sport">رياضة</a></nav>
<div class="top-bar">الأحد 1 ديسمبر 2024</div>
<article>
<h1>وزير يعلن خطة جديدة لتطوير النقل العام في العاصمة</h1>
<div class="meta"><span>تاريخ النشر: 2nd, March 2024 GMT</span></div>
<div class="meta2"><span>مارس 2, 2024</span><span>آخر تحديث: مارس 3, 2024</span></div>
<div class="share"><span>شارك</span> <a href="#">فيسبوك</a> <a href="#">تويتر</a></div>
<div class="body">
<p>المستقلة/- أعلن وزير النقل اليوم عن خطة جديدة لتطوير شبكة الحافلات في العاصمة تشمل خطوطا جديدة ومحطات حديثة في الأحياء الشرقية والغربية.</p>
<p>وقال الوزير في مؤتمر صحفي إن الخطة ستنفذ على ثلاث مراحل خلال العامين المقبلين، وإن المرحلة الأولى تبدأ مطلع الصيف المقبل بعد استكمال الدراسات الفنية اللازمة.</p>
<p>إقرأ أيضاً: <a href="/other">افتتاح جسر جديد فوق النهر</a></p>
<p>وأضاف أن الحكومة خصصت الميزانية اللازمة للمشروع، مؤكدا أن الهدف هو تخفيف الازدحام المروري وتقليل التلوث في المدينة وتحسين حياة السكان اليومية.</p>
<p>المصدر: وكالة الصحافة المستقلة</p>
</div>
<div class="tags">كلمات دلالية: <a href="/t/1">النقل</a> <a href="/t/2">العاصمة</a></div>
<div class="related"><h3>الأكثر قراءة</h3><ul><li><a href="/a">خبر أول عن الاقتصاد المحلي</a></li><li><a href="/b">خبر ثان عن الرياضة</a></li></ul></div>
</article>
<div class="cookie">نستخدم ملفات تعريف الارتباط لتحسين تجربتك على الموقع. <button>موافق</button></div>
</body></html>`

func TestAggregatorLayout(t *testing.T) {
	res, err := Extract([]byte(aggregatorPage), "https://news.example.test/x?id=1", Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "وزير يعلن خطة جديدة لتطوير النقل العام في العاصمة"; res.Title != want {
		t.Errorf("title = %q, want %q", res.Title, want)
	}
	if want := "https://news.example.test/news/2024/03/02/transport-plan?utm=x"; res.URL != want {
		t.Errorf("url = %q, want %q", res.URL, want)
	}
	if y, m, d := res.Published.Date(); y != 2024 || m != time.March || d != 2 {
		t.Errorf("published = %v, want 2024-03-02", res.Published)
	}
	if y, m, d := res.Modified.Date(); y != 2024 || m != time.March || d != 3 {
		t.Errorf("modified = %v, want 2024-03-03", res.Modified)
	}
	if res.Agency != "وكالة الصحافة المستقلة" {
		t.Errorf("agency = %q", res.Agency)
	}
	if res.Image != "https://news.example.test/img/lead.jpg" {
		t.Errorf("image = %q", res.Image)
	}
	if res.SiteName != "شبكة الأخبار" || res.Language != "ar" {
		t.Errorf("site = %q language = %q", res.SiteName, res.Language)
	}
	if got := strings.Join(res.MetaKeywords, "|"); got != "النقل|العاصمة|الحافلات|الوزارة" {
		t.Errorf("keywords = %q", got)
	}
	mustContain(t, res.Text,
		[]string{"المستقلة/- أعلن وزير النقل", "خصصت الميزانية", "المصدر: وكالة الصحافة المستقلة"},
		[]string{"الأكثر قراءة", "خبر أول", "كلمات دلالية", "إقرأ أيضاً", "افتتاح جسر", "ملفات تعريف الارتباط", "شارك", "فيسبوك", "الرئيسية"})
	// The headline stays where the page prints it, at the top of the body;
	// then the four paragraphs of the story.
	if paras := strings.Split(res.Text, "\n\n"); len(paras) != 5 || paras[0] != res.Title {
		t.Errorf("text has %d paragraphs, want the headline and 4:\n%s", len(paras), res.Text)
	}
}

// flatPage puts the tags and the next article in the same container as the
// story, as some aggregators print them.
const flatPage = `<html lang="ar"><head><title>خبر</title></head><body><div class="content">
<h1>انطلاق معرض الكتاب الدولي بمشاركة واسعة من دور النشر العربية</h1>
<p>الرياض - واس - انطلقت اليوم فعاليات معرض الكتاب الدولي بمشاركة أكثر من ألف دار نشر من مختلف الدول العربية والأجنبية، وسط إقبال كبير من الزوار.</p>
<p>ويتضمن المعرض برنامجا ثقافيا حافلا بالندوات والأمسيات الشعرية وورش العمل المخصصة للأطفال والشباب طوال أيام المعرض العشرة.</p>
<p>كلمات دلالية: معرض الكتاب الرياض الثقافة</p>
<p>إقرأ أيضاً:</p>
<p>ارتفاع أسعار النفط في الأسواق العالمية</p>
<p>ارتفعت أسعار النفط اليوم في الأسواق العالمية بعد إعلان الدول المنتجة خفض الإنتاج خلال الأشهر المقبلة بنسبة كبيرة.</p>
</div></body></html>`

func TestFlatTail(t *testing.T) {
	res, err := Extract([]byte(flatPage), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, res.Text, []string{"انطلقت اليوم فعاليات", "برنامجا ثقافيا"}, []string{"كلمات دلالية", "إقرأ أيضاً", "أسعار النفط"})
	if res.Agency != "واس" {
		t.Errorf("agency = %q, want واس", res.Agency)
	}
}

func TestDateline(t *testing.T) {
	cases := []struct{ para, want string }{
		{"المستقلة/- قال المبعوث الامريكي للتحالف الدولي", "المستقلة"},
		{"الرياض - واس - أعلنت وزارة الصحة اليوم", "واس"},
		{"الرياض 15 مارس (واس) - أعلنت وزارة الصحة", "واس"},
		{"واس - أعلنت وزارة الصحة اليوم عن", "واس"},
		{"بيروت (رويترز) - قال مسؤولون", "رويترز"},
		{"باريس (أ ف ب) - أعلنت الحكومة", "أ ف ب"},
		{"برلين (د ب أ) - قالت الشرطة", "د ب أ"},
		{"القاهرة (أ.ش.أ) - أعلن", "أ ش أ"},
		{"دمشق، سوريا (CNN) -- أكدت جهات سورية", "CNN"},
		{"أنقرة/ الأناضول/- أعلنت", "الأناضول"},
		{"قال الوزير (في تصريح) إن الخطة جاهزة", ""},
		{"أعلنت الحكومة اليوم أن الموازنة - كما هو متوقع - سترتفع", ""},
		{"ارتفعت الأسعار 5% في مارس", ""},
	}
	for _, c := range cases {
		if got := dateline(c.para); got != c.want {
			t.Errorf("dateline(%q) = %q, want %q", c.para, got, c.want)
		}
	}
}

func TestSourceCredit(t *testing.T) {
	cases := []struct{ line, want string }{
		{"المصدر: وكالة الصحافة المستقلة", "وكالة الصحافة المستقلة"},
		{"المصدر : الجزيرة + وكالات", "الجزيرة + وكالات"},
		{"(المصدر: رويترز)", "رويترز"},
		{"المصدر الرئيسي للمياه في المدينة هو النهر", ""},
	}
	for _, c := range cases {
		if got := sourceCredit(c.line); got != c.want {
			t.Errorf("sourceCredit(%q) = %q, want %q", c.line, got, c.want)
		}
	}
}

func TestStripSiteName(t *testing.T) {
	cases := []struct{ title, site, host, want string }{
		{"إيران تعلن موقفها من المفاوضات - الجزيرة نت", "الجزيرة نت", "aljazeera.net", "إيران تعلن موقفها من المفاوضات"},
		{"إيران تعلن موقفها من المفاوضات | الجزيرة نت", "", "aljazeera.net", "إيران تعلن موقفها من المفاوضات"},
		{"سكاي نيوز عربية | الشرع يلتقي ماكرون في دمشق", "سكاي نيوز عربية", "skynewsarabia.com", "الشرع يلتقي ماكرون في دمشق"},
		{"Biden signs the bill | CNN Politics", "CNN", "cnn.com", "Biden signs the bill"},
		{"غزة - قصف جديد على المدينة", "العربية", "alarabiya.net", "غزة - قصف جديد على المدينة"},
		{"الناشط لـ«الصباح»: كل الشروط متوفرة", "الصباح", "assabah.com.tn", "الناشط لـ«الصباح»: كل الشروط متوفرة"},
	}
	for _, c := range cases {
		if got := stripSiteName(c.title, c.site, c.host); got != c.want {
			t.Errorf("stripSiteName(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

func TestAlignToDay(t *testing.T) {
	// Al Jazeera: published 00:02 on the 28th in Doha, written in UTC.
	inst := time.Date(2026, 7, 27, 21, 2, 0, 0, time.UTC)
	day, _ := urlDate("https://www.aljazeera.net/news/liveblog/2026/7/28/x", time.UTC)
	got := alignToDay(dated{inst, true}, day)
	if !got.Equal(inst) {
		t.Fatalf("instant changed: %v", got)
	}
	if y, m, d := got.Date(); y != 2026 || m != 7 || d != 28 {
		t.Errorf("date = %v, want 2026-07-28 in its own zone", got)
	}
	// A date with its own offset is left alone.
	own := time.Date(2026, 7, 27, 23, 0, 0, 0, time.FixedZone("", -3600))
	if got := alignToDay(dated{own, false}, day); !got.Equal(own) || got.Location() != own.Location() {
		t.Errorf("explicit zone changed: %v", got)
	}
}

func TestParseMetaDate(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2024-03-02T10:15:00+03:00", time.Date(2024, 3, 2, 7, 15, 0, 0, time.UTC)},
		{"٢٠٢٦-٠٧-٠٧T١٤:٣٠:٠٠+٠٣:٠٠", time.Date(2026, 7, 7, 11, 30, 0, 0, time.UTC)},
		{"2024-03-02", time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)},
		{"2024-03-02 10:15:00", time.Date(2024, 3, 2, 10, 15, 0, 0, time.UTC)},
		{"Sat, 02 Mar 2024 10:15:00 GMT", time.Date(2024, 3, 2, 10, 15, 0, 0, time.UTC)},
		{"2024-03-02T10:15:00.000Z", time.Date(2024, 3, 2, 10, 15, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, _, ok := parseMetaDate(c.in, time.UTC)
		if !ok || !got.Equal(c.want) {
			t.Errorf("parseMetaDate(%q) = %v %v, want %v", c.in, got, ok, c.want)
		}
	}
	if _, _, ok := parseMetaDate("not a date", time.UTC); ok {
		t.Error("parseMetaDate accepted garbage")
	}
}

func TestJSONLD(t *testing.T) {
	page := `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[
	{"@type":"WebSite","name":"الموقع"},
	{"@type":"NewsArticle","headline":"عنوان الخبر","datePublished":"2026-07-27T21:02:00Z",
	 "author":[{"@type":"Person","name":"أحمد علي"},{"@type":"Person","name":"سارة حسن"}],
	 "image":{"@type":"ImageObject","url":"https://example.test/a.jpg"},
	 "publisher":{"@type":"Organization","name":"الناشر"},
	 "video":{"@type":"VideoObject","uploadDate":"2020-01-01T00:00:00Z"},
	 "keywords":"سياسة، اقتصاد"}]}</script></head>
	<body><p>نص قصير.</p></body></html>`
	res, err := Extract([]byte(page), "https://example.test/news/2026/7/28/slug", Options{Now: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Title != "عنوان الخبر" || res.SiteName != "الناشر" || res.Image != "https://example.test/a.jpg" {
		t.Errorf("title %q site %q image %q", res.Title, res.SiteName, res.Image)
	}
	if strings.Join(res.Authors, "|") != "أحمد علي|سارة حسن" {
		t.Errorf("authors = %q", res.Authors)
	}
	if y, m, d := res.Published.Date(); y != 2026 || m != 7 || d != 28 || res.Published.Hour() != 0 {
		t.Errorf("published = %v, want 2026-07-28 00:02 in the page's zone", res.Published)
	}
	if strings.Join(res.MetaKeywords, "|") != "سياسة|اقتصاد" {
		t.Errorf("keywords = %q", res.MetaKeywords)
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Extract(nil, "", Options{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty page: err = %v, want ErrEmpty", err)
	}
	if _, err := Extract([]byte("<p>x</p>"), "::not a url", Options{}); err == nil {
		t.Error("bad page URL accepted")
	}
	if _, err := Extract([]byte("<p>x</p>"), "/relative", Options{}); err == nil {
		t.Error("relative page URL accepted")
	}
	res, err := Extract([]byte("\xff\xfe<html><body><p>نص \xc3 مكسور</p></body></html>"), "", Options{})
	if err != nil {
		t.Fatalf("broken UTF-8: %v", err)
	}
	if !strings.Contains(res.Text, "مكسور") {
		t.Errorf("broken UTF-8 lost the text: %q", res.Text)
	}
}

func TestConcurrent(t *testing.T) {
	page := []byte(aggregatorPage)
	want, err := Extract(page, "https://news.example.test/x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := Extract(page, "https://news.example.test/x", Options{})
			if err != nil || got.Text != want.Text || got.Title != want.Title {
				t.Errorf("concurrent extraction differs: %v", err)
			}
		}()
	}
	wg.Wait()
}

func TestLanguageFallback(t *testing.T) {
	cases := []struct{ page, want string }{
		{`<html><body><p>قال الوزير إن الحكومة ستعلن خطة جديدة لتطوير النقل العام في المدينة خلال الأسبوع المقبل.</p></body></html>`, "ar"},
		{`<html lang="fa-IR"><body><p>متن</p></body></html>`, "fa"},
		{`<html><head><meta http-equiv="content-language" content="fr"></head><body><p>texte</p></body></html>`, "fr"},
		{`<html lang="ar_AR"><body><p>x</p></body></html>`, "ar"},
	}
	for _, c := range cases {
		res, err := Extract([]byte(c.page), "", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Language != c.want {
			t.Errorf("language = %q, want %q for %.60q", res.Language, c.want, c.page)
		}
	}
}

func TestTrimBoilerplateParagraphs(t *testing.T) {
	cases := []struct{ in, want string }{
		{"أ\n\nب\n\nكلمات دلالية: س ص\n\nخبر آخر", "أ\n\nب"},
		{"أ\n\nالأكثر قراءة\n\nخبر آخر", "أ"},
		{"أ\n\nاقرأ أيضا: عنوان\n\nب", "أ\n\nب"},
		{"أ\n\nشارك\n\nب", "أ\n\nب"},
		{"أ\n\nتعليقات الوزير: أثارت جدلا واسعا\n\nب", "أ\n\nتعليقات الوزير: أثارت جدلا واسعا\n\nب"},
		{"أ\n\nشاهد عيان قال إن الانفجار وقع صباحا\n\nب", "أ\n\nشاهد عيان قال إن الانفجار وقع صباحا\n\nب"},
	}
	for _, c := range cases {
		if got := trimBoilerplateParagraphs(c.in); got != c.want {
			t.Errorf("trim(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestHeadBytesKeepsLetters checks the cut of a long text for language
// detection: within the bytes allowed, and never inside a letter.
func TestHeadBytesKeepsLetters(t *testing.T) {
	for _, text := range []string{strings.Repeat("ب", 2001) + "x", "x" + strings.Repeat("ж", 2500), strings.Repeat("😀", 1001), "short"} {
		for _, n := range []int{0, 1, 3999, 4000, 4001} {
			got := headBytes(text, n)
			if len(got) > n && len(text) > n || !utf8.ValidString(got) || !strings.HasPrefix(text, got) || len(got) < min(n, len(text))-3 {
				t.Errorf("headBytes(%d bytes, %d) = %d bytes, valid %v", len(text), n, len(got), utf8.ValidString(got))
			}
		}
	}
}
