package postgres

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// benchWords is a small Arabic vocabulary for synthetic analysed forms.
var benchWords = strings.Fields(`لبنان سوريا مصر تونس الاردن العراق حكومه رئيس وزير برلمان انتخابات اقتصاد
	نفط اسعار تحالف دولي مدينه قصف هجوم اتفاق مفاوضات مؤتمر امن جيش شرطه مستشفى مدرسه جامعه طلاب كهرباء ماء
	زلزال امطار فيضان رياضه مباراه منتخب بطوله فوز خساره مهرجان فيلم كتاب معرض`)

func benchIndex(r *rand.Rand, words int) store.IndexData {
	pick := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = benchWords[r.IntN(len(benchWords))] + fmt.Sprint(r.IntN(50))
		}
		return strings.Join(ws, " ")
	}
	title, body := pick(10), pick(words)
	return store.IndexData{TitleTerms: title, TitleStems: title, BodyTerms: body, BodyStems: body,
		Phrases: strings.Fields(pick(20)), Bands: []uint64{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}}
}

// BenchmarkSaveArticle: one new article of 400 words a call, over loopback.
func BenchmarkSaveArticle(b *testing.B) {
	s := openTemp(b)
	defer s.Close()
	r := rand.New(rand.NewPCG(1, 2))
	i := 0
	for b.Loop() {
		a := &model.Article{URL: fmt.Sprintf("https://bench.example/%d", i), Title: "خبر", Text: "نص",
			Published: base.Add(time.Duration(i) * time.Minute), Keywords: []string{"لبنان", "اقتصاد"}}
		if _, err := s.SaveArticle(b.Context(), a, benchIndex(r, 400)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSearch: a one-word query over 5000 articles of 400 words.
func BenchmarkSearch(b *testing.B) {
	s := openTemp(b)
	defer s.Close()
	r := rand.New(rand.NewPCG(1, 2))
	const n, batch = 5000, 250
	for i := 0; i < n; i += batch {
		as := make([]*model.Article, batch)
		ix := make([]store.IndexData, batch)
		for j := range as {
			as[j] = &model.Article{URL: fmt.Sprintf("https://bench.example/%d", i+j), Title: "خبر",
				Published: base.Add(time.Duration(i+j) * time.Minute)}
			ix[j] = benchIndex(r, 400)
		}
		if _, err := s.SaveArticles(b.Context(), as, ix); err != nil {
			b.Fatal(err)
		}
	}
	q := store.TextQuery{Clauses: []store.Clause{{Exact: []string{"لبنان7"}, Stem: "لبنان7"}}}
	var total int
	for b.Loop() {
		var err error
		if _, total, err = s.SearchText(b.Context(), q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total), "matches")
}
