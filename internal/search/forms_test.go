package search

import (
	"context"
	"strconv"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite/sqlitetest"
)

// TestCliticForms: a word with a conjunction, a preposition or the article
// is searched as the word without them, names and words that a name list
// holds with their clitics included (words that searched nothing once).
func TestCliticForms(t *testing.T) {
	an := analysis.New(analysis.Options{Names: entities.BuiltinNames()})
	pairs := [][2]string{
		{"بالرياض", "الرياض"}, {"بالطائف", "الطائف"}, {"بالمملكة", "المملكة"}, {"بالقصيم", "القصيم"},
		{"للمعلمين", "المعلمين"}, {"للشباب", "الشباب"}, {"للسيارات", "السيارات"}, {"للقضاء", "القضاء"},
		{"والصين", "الصين"}, {"والدواء", "الدواء"}, {"والفنون", "الفنون"}, {"وأعضاء", "أعضاء"},
		{"والتنمية", "التنمية"}, {"للطاقة", "الطاقة"}, {"للأمم", "الأمم"}, {"والهرسك", "الهرسك"},
		{"للبنان", "لبنان"}, {"والبحرين", "البحرين"}, {"بمصر", "مصر"}, {"لله", "الله"}, {"للجنة", "اللجنة"},
	}
	for _, p := range pairs {
		a, b := Parse(an, p[0]).Clauses, Parse(an, p[1]).Clauses
		if len(a) != 1 || len(b) != 1 || a[0].Exact[0] != b[0].Exact[0] || a[0].Stem != b[0].Stem {
			t.Errorf("%s → %+v, %s → %+v: want the same forms", p[0], a, p[1], b)
		}
	}
	for w, want := range map[string]string{"وزير": "وزير", "بالغ": "بالغ", "لبنان": "لبنان", "البحرين": "بحرين", "ولاية": "ولايه"} {
		if q := Parse(an, w).Clauses; len(q) != 1 || q[0].Exact[0] != want {
			t.Errorf("%s → %+v, want %s: a word's own letters were taken for clitics", w, q, want)
		}
	}
}

// TestLooseHamza: a word typed without the hamza that makes its first
// letters a word of their own (الغاء for إلغاء) finds the word.
func TestLooseHamza(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	an := analysis.New(analysis.Options{Names: entities.BuiltinNames()})
	a := &model.Article{URL: "https://example.com/1", Title: "إلغاء الرسوم على الألعاب", Text: "قرار بإلغاء الرسوم", Published: time.Now()}
	if _, err := st.SaveArticle(ctx, a, IndexText(an, a.Title, a.Text)); err != nil {
		t.Fatal(err)
	}
	svc := New(st, an)
	for _, q := range []string{"الغاء", "الغاء الرسوم", "بالغاء", "العاب", "الالعاب", "إلغاء"} {
		res, err := svc.Search(ctx, Request{Query: q})
		if err != nil || res.Total != 1 {
			t.Errorf("%q: %d results, %v; want the article", q, res.Total, err)
		}
	}
}

// TestEnsureIndex: a store indexed under older forms is reindexed once,
// and then finds what the new forms find.
func TestEnsureIndex(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	an := analysis.New(analysis.Options{Names: entities.BuiltinNames()})
	a := &model.Article{URL: "https://example.com/1", Title: "اجتماع للمعلمين بالرياض", Text: "حضره أعضاء الهيئة", Published: time.Now()}
	// Forms from older rules: the clitics left on.
	old := store.IndexData{TitleTerms: "اجتماع للمعلمين بالرياض", TitleStems: "اجتماع للمعلمين بالرياض", BodyTerms: "حضره اعضاء هيئه", BodyStems: "حضر اعضاء هيء"}
	if _, err := st.SaveArticle(ctx, a, old); err != nil {
		t.Fatal(err)
	}
	svc := New(st, an)
	count := func(q string) int {
		res, err := svc.Search(ctx, Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if count("المعلمين") != 0 {
		t.Fatal("the old forms already match: the test shows nothing")
	}
	n, err := EnsureIndex(ctx, st, an)
	if err != nil || n != 1 {
		t.Fatalf("EnsureIndex = %d, %v; want 1 article reindexed", n, err)
	}
	for _, q := range []string{"المعلمين", "للمعلمين", "الرياض", "بالرياض", "وأعضاء"} {
		if count(q) != 1 {
			t.Errorf("%q after reindex: not found", q)
		}
	}
	if n, err := EnsureIndex(ctx, st, an); err != nil || n != 0 {
		t.Errorf("second EnsureIndex = %d, %v; want nothing to do", n, err)
	}
	if v, err := st.GetSetting(ctx, FormsVersionKey); err != nil || v != strconv.Itoa(analysis.FormsVersion) {
		t.Errorf("recorded version = %q, %v", v, err)
	}
}
