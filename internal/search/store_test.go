package search

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite/sqlitetest"
)

// TestSearchOverStore indexes articles the way ingest does and checks the
// search semantics issue 3 asks for, end to end through SQLite.
func TestSearchOverStore(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	an := analysis.New(analysis.Options{})
	docs := map[string]string{
		"iran":      "زيارة وزير الخارجية إلى إيران لبحث الملف النووي",
		"coalition": "قال المبعوث إن مهمة للتحالف الدولی لم تنته بعد والتحالف باق في العراق",
		"year":      "خطة التنمية لعام ٢٠٢٤ تشمل بناء مستشفى جديد",
		"quds":      "مسيرة في ٱلقدس دعما للأسرى",
		"yemen":     "الأمم المتحدة تدعو إلى هدنة في الیمن",
		"library":   "افتتاح مكتبة عامة جديدة في الحي",
		"lebanon":   "انتخابات بلدية في لبنان الأسبوع المقبل",
		"milk":      "ارتفاع أسعار اللبن والأجبان في الأسواق",
		"bahrain":   "منتخب البحرين يفوز في البطولة",
		"sea":       "ارتفاع الأمواج في البحر الأحمر",
		"oman":      "سلطنة عمان تستضيف المؤتمر",
		"khobar":    "افتتاح ممشى جديد على كورنيش الخبر",
	}
	ids := map[string]int64{}
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for name, text := range docs {
		a := &model.Article{URL: "https://example.com/" + name, Title: name, Text: text, Published: now, SourceName: "مثال"}
		idx := store.IndexData{}
		idx.BodyTerms, idx.BodyStems = an.IndexForms(text)
		idx.TitleTerms, idx.TitleStems = an.IndexForms(name)
		if _, err := st.SaveArticle(ctx, a, idx); err != nil {
			t.Fatal(err)
		}
		ids[name] = a.ID
	}
	svc := New(st, an)
	find := func(q string) map[int64]bool {
		res, err := svc.Search(ctx, Request{Query: q, Limit: 50})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		got := map[int64]bool{}
		for _, r := range res.Results {
			got[r.ID] = true
		}
		return got
	}
	for _, tt := range []struct {
		q        string
		want     []string
		wantNone []string
	}{
		{"ايران", []string{"iran"}, nil},
		{"ایران", []string{"iran"}, nil},
		{"إيران", []string{"iran"}, nil},
		{"الدولي", []string{"coalition"}, nil},
		{"التحالف", []string{"coalition"}, nil},
		{"2024", []string{"year"}, nil},
		{"مستشفي", []string{"year"}, nil},
		{"القدس", []string{"quds"}, nil},
		{"اليمن", []string{"yemen"}, nil},
		{"المكتبات", []string{"library"}, nil},
		{"لبنان", []string{"lebanon"}, []string{"milk"}},
		{"لبن", []string{"milk"}, []string{"lebanon"}},
		{"البحرين", []string{"bahrain"}, []string{"sea"}},
		{"البحر", []string{"sea"}, []string{"bahrain"}},
		{"عمان", []string{"oman"}, nil},
		{"الخبر", []string{"khobar"}, nil},
		{"بالخبر", []string{"khobar"}, nil},
		{`"التحالف الدولي"`, []string{"coalition"}, nil},
		{`"الدولي التحالف"`, nil, []string{"coalition"}},
	} {
		got := find(tt.q)
		for _, w := range tt.want {
			if !got[ids[w]] {
				t.Errorf("%q does not find %s", tt.q, w)
			}
		}
		for _, w := range tt.wantNone {
			if got[ids[w]] {
				t.Errorf("%q finds %s", tt.q, w)
			}
		}
	}
	// snippets highlight the article's own spelling
	res, _ := svc.Search(ctx, Request{Query: "الدولي"})
	if len(res.Results) == 0 || !strings.Contains(res.Results[0].Snippet, "<mark>الدولی</mark>") {
		t.Errorf("snippet: %+v", res.Results)
	}
	// exact forms rank above stem-only matches
	for i, text := range []string{"معرض المكتبات العربية", "مكتبه المدرسة"} {
		a := &model.Article{URL: fmt.Sprintf("https://example.com/rank%d", i), Title: "عنوان", Text: text, Published: now}
		idx := store.IndexData{}
		idx.BodyTerms, idx.BodyStems = an.IndexForms(text)
		st.SaveArticle(ctx, a, idx)
	}
	res, _ = svc.Search(ctx, Request{Query: "المكتبات"})
	if len(res.Results) < 2 || !strings.Contains(res.Results[0].URL, "rank0") {
		t.Errorf("exact match not first: %+v", res.Results)
	}
}
