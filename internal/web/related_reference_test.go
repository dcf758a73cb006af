package web

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/sharedtest"
)

// TestReferencePageRelatedReading: the reference article in a store of
// twenty articles, one of them published a year later and sharing
// التحالف الدولي, داعش and سوريا, shows related reading, that article among
// it as a later development, on the first view and on a loaded server,
// from what was stored when the articles were saved. A hard window of 180
// days hid it and left the section empty.
func TestReferencePageRelatedReading(t *testing.T) {
	text, err := os.ReadFile(sharedtest.Path(t, "reference", "aggregator-page.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(text), "\n")
	ctx := context.Background()
	st := openStore(t)
	sd := newSeeder(st)
	published := time.Date(2024, 3, 2, 9, 30, 0, 0, time.UTC)
	ref := &model.Article{URL: "https://almustakillah.example/2024/03/coalition", SourceName: "المستقلة",
		Title: lines[0], Text: strings.Join(lines[3:9], "\n\n"), Published: published, Language: "ar"}
	later := &model.Article{URL: "https://arabi.example/2025/03/raid", SourceName: "عربي",
		Title:     "التحالف الدولي يعلن مقتل قيادي في تنظيم داعش بغارة شرق سوريا",
		Text:      "أعلن التحالف الدولي لمحاربة تنظيم داعش مقتل قيادي بارز في التنظيم بغارة جوية شرق سوريا.\n\nوقال بيان للتحالف الدولي إن العملية جرت بالتنسيق مع القوات المحلية، وإن داعش ما زال يشكل تهديدا في سوريا والعراق.",
		Published: published.AddDate(1, 0, 3), Language: "ar"}
	others := []string{
		"المنتخب الوطني يفوز على ضيفه بهدفين في تصفيات كأس العالم",
		"ارتفاع أسعار الذهب في الأسواق المحلية مع تراجع الدولار",
		"افتتاح معرض الكتاب الدولي بمشاركة مئات دور النشر",
		"الأرصاد تتوقع أمطارا غزيرة على المناطق الجبلية نهاية الأسبوع",
		"وزارة الصحة تطلق حملة تطعيم ضد الإنفلونزا الموسمية في المدارس",
		"البنك المركزي يبقي أسعار الفائدة دون تغيير للشهر الثالث",
		"انطلاق موسم الحصاد في السهول الزراعية وسط توقعات بإنتاج وفير",
		"شركة طيران جديدة تبدأ رحلاتها المنتظمة إلى العواصم الأوروبية",
		"مهرجان السينما يعلن أسماء الأفلام المشاركة في دورته المقبلة",
		"جامعة الملك سعود تستقبل الطلاب الجدد مع بداية العام الدراسي",
		"ارتفاع صادرات التمور إلى الأسواق الآسيوية بنسبة كبيرة",
		"افتتاح مستشفى جديد للأطفال بسعة مئتي سرير في العاصمة",
		"نادي الهلال يتعاقد مع مدرب جديد لقيادة الفريق الأول",
		"أسعار النفط تتراجع مع زيادة المخزونات الأمريكية",
		"بلدية المدينة تطلق مشروعا لزراعة مليون شجرة",
		"مؤتمر دولي للطاقة المتجددة يناقش مستقبل الهيدروجين الأخضر",
		"وزارة التعليم تعتمد مناهج جديدة للرياضيات والعلوم",
		"افتتاح أكبر مركز تجاري في المنطقة الشرقية",
	}
	arts := []*model.Article{ref, later}
	for i, title := range others {
		arts = append(arts, &model.Article{URL: fmt.Sprintf("https://news.example/%d", i), SourceName: "أخبار",
			Title: title, Text: title + ".\n\nوأوضح المسؤولون أن العمل سيستمر خلال الأشهر المقبلة وفق الخطة المعتمدة.",
			Published: published.AddDate(0, 0, i*20-60), Language: "ar"})
	}
	for _, a := range arts {
		if err := sd.save(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	// What ingest does after each save.
	svc := search.New(st, sd.an)
	for _, a := range arts {
		stored, err := st.GetArticle(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Refresh(ctx, stored); err != nil {
			t.Fatalf("refresh %s: %v", a.URL, err)
		}
	}
	// The page must not need a search: the searcher fails.
	failing := &slowSearcher{Searcher: sd.search()}
	failing.fail.Store(true)
	s, err := New(Config{Store: st, Search: failing, Now: func() time.Time { return later.Published.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	path := "/articles/" + itoa(ref.ID)
	for _, loaded := range []bool{false, true} {
		if loaded {
			s.busy.Add(int64(runtime.GOMAXPROCS(0)) + 1)
		}
		body := checkPage(t, get(t, s, path), 200)
		mustContain(t, body, "اقرأ أيضاً", "تطورات لاحقة", later.Title)
	}
	if n := failing.calls.Load(); n != 0 {
		t.Errorf("%d searches for a page whose related reading is stored", n)
	}
	// And the later article shows the reference as its background.
	body := checkPage(t, get(t, s, "/articles/"+itoa(later.ID)), 200)
	mustContain(t, body, "اقرأ أيضاً")
	if !strings.Contains(body, ref.Title) {
		t.Errorf("the later article's related reading lacks the reference article")
	}
}
