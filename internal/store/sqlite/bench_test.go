package sqlite_test

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"khabar/internal/arabic"
	"khabar/internal/model"
	"khabar/internal/sharedtest"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
)

// The benchmarks read the SaudiNewsNet corpus (31,030 articles) from the
// shared folder beside the repository; they skip when it is absent. Its
// analysed forms come from a crude analyzer below (normalize, split, strip
// the article and a few suffixes), close enough in size and vocabulary to
// package analysis for timing the store.

type corpusRecord struct {
	Source        string `json:"source"`
	URL           string `json:"url"`
	DateExtracted string `json:"date_extracted"`
	Title         string `json:"title"`
	Author        string `json:"author"`
	Content       string `json:"content"`
}

func loadCorpus(tb testing.TB) []corpusRecord {
	zips, _ := filepath.Glob(sharedtest.Path(tb, "corpora", "saudinewsnet", "zips", "*.zip"))
	if len(zips) == 0 {
		tb.Skip("SaudiNewsNet zips not found")
	}
	sort.Strings(zips)
	var out []corpusRecord
	for _, z := range zips {
		zr, err := zip.OpenReader(z)
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				tb.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				tb.Fatal(err)
			}
			var recs []corpusRecord
			if err := json.Unmarshal(data, &recs); err != nil {
				tb.Fatalf("%s/%s: %v", z, f.Name, err)
			}
			out = append(out, recs...)
		}
		zr.Close()
	}
	return out
}

func crudeWords(s string) []string {
	return strings.FieldsFunc(arabic.Normalize(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

func crudeStem(w string) string {
	r := []rune(w)
	for _, p := range []string{"وال", "بال", "فال", "لل", "ال"} {
		pr := []rune(p)
		if len(r) > len(pr)+2 && string(r[:len(pr)]) == p {
			r = r[len(pr):]
			break
		}
	}
	for _, sfx := range []string{"ات", "ون", "ين", "ه"} {
		sr := []rune(sfx)
		if len(r) > len(sr)+2 && string(r[len(r)-len(sr):]) == sfx {
			r = r[:len(r)-len(sr)]
			break
		}
	}
	return string(r)
}

func crudeForms(text string) (terms, stems string, words []string) {
	words = crudeWords(text)
	st := make([]string, len(words))
	for i, w := range words {
		st[i] = crudeStem(w)
	}
	return strings.Join(words, " "), strings.Join(st, " "), words
}

func toArticle(i int, r corpusRecord) (*model.Article, store.IndexData) {
	t, err := time.Parse("2006-01-02 15:04:05", r.DateExtracted)
	if err != nil {
		t = time.Date(2015, 8, 1, 0, 0, 0, 0, time.UTC)
	}
	url := r.URL
	if url == "" {
		url = fmt.Sprintf("https://saudinewsnet.example/%d", i)
	}
	a := &model.Article{URL: url, SourceName: r.Source, Title: r.Title, Text: r.Content, Published: t, Fetched: t, Language: "ar"}
	if r.Author != "" {
		a.Authors = []string{r.Author}
	}
	var ix store.IndexData
	ix.TitleTerms, ix.TitleStems, _ = crudeForms(r.Title)
	var words []string
	ix.BodyTerms, ix.BodyStems, words = crudeForms(r.Content)
	// Phrases: distinct words and adjacent pairs of words of 3+ letters,
	// about what keywords.Candidates yields.
	seen := map[string]bool{}
	for j, w := range words {
		if len([]rune(w)) < 3 {
			continue
		}
		seen[w] = true
		if j+1 < len(words) && len([]rune(words[j+1])) >= 3 {
			seen[w+" "+words[j+1]] = true
		}
	}
	// keywords.Candidates gave 217 phrases per article on a sample of the
	// corpus where this gives 373: keep a pseudo-random 58%.
	for p := range seen {
		h := fnv.New32a()
		h.Write([]byte(p))
		if h.Sum32()%100 < 58 {
			ix.Phrases = append(ix.Phrases, p)
		}
	}
	slices.Sort(ix.Phrases)
	if len(ix.Phrases) > 3 {
		a.Keywords = ix.Phrases[:3]
	}
	// 16 band keys from word windows.
	for b := range 16 {
		h := fnv.New64a()
		fmt.Fprint(h, b)
		for j := b; j < len(words) && j < b+4; j++ {
			h.Write([]byte(words[j]))
		}
		ix.Bands = append(ix.Bands, h.Sum64())
	}
	return a, ix
}

// cpuTime is the process's user and system CPU time: with other work on the
// machine, CPU per operation is steadier than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// corpusDB builds (once, kept in the temp folder for later runs) a store
// holding the whole corpus and returns its directory.
func corpusDB(b *testing.B) string {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("khabar-sqlite-bench-v%d", sqlite.SchemaVersion()))
	if _, err := os.Stat(filepath.Join(dir, "done")); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	recs := loadCorpus(b)
	s, err := sqlite.Open(b.Context(), dir)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	const batch = 200
	for i := 0; i < len(recs); i += batch {
		var as []*model.Article
		var ixs []store.IndexData
		for j := i; j < min(i+batch, len(recs)); j++ {
			a, ix := toArticle(j, recs[j])
			as = append(as, a)
			ixs = append(ixs, ix)
		}
		if _, err := s.SaveArticles(b.Context(), as, ixs); err != nil {
			b.Fatal(err)
		}
	}
	el := time.Since(start)
	b.Logf("built corpus store: %d records in %v (%.0f articles/s, batches of %d)", len(recs), el, float64(len(recs))/el.Seconds(), batch)
	if err := os.WriteFile(filepath.Join(dir, "done"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// sample takes n records spread over the whole corpus.
func sample(recs []corpusRecord, n int) []corpusRecord {
	out := make([]corpusRecord, 0, n)
	for i := range n {
		out = append(out, recs[i*len(recs)/n])
	}
	return out
}

// BenchmarkSaveArticle saves real articles one transaction each into a
// store that grows as it goes.
func BenchmarkSaveArticle(b *testing.B) {
	recs := sample(loadCorpus(b), 3000)
	type item struct {
		a  model.Article
		ix store.IndexData
	}
	items := make([]item, len(recs))
	for i, r := range recs {
		a, ix := toArticle(i, r)
		items[i] = item{*a, ix}
	}
	s, err := sqlite.Open(b.Context(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	i := 0
	var bytes int
	c0 := cpuTime()
	for b.Loop() {
		it := items[i%len(items)]
		a := it.a
		a.URL = fmt.Sprintf("%s#%d", a.URL, i)
		bytes += len(a.Text)
		if _, err := s.SaveArticle(b.Context(), &a, it.ix); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(bytes)/float64(i), "text-bytes/article")
	b.ReportMetric(float64((cpuTime()-c0).Microseconds())/float64(i), "cpu-µs/article")
}

// BenchmarkSaveArticles saves batches of 100 in one transaction each.
func BenchmarkSaveArticles(b *testing.B) {
	recs := sample(loadCorpus(b), 3000)
	s, err := sqlite.Open(b.Context(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n := 0
	var cpu time.Duration
	for b.Loop() {
		var as []*model.Article
		var ixs []store.IndexData
		for range 100 {
			a, ix := toArticle(n, recs[n%len(recs)])
			a.URL = fmt.Sprintf("%s#%d", a.URL, n)
			as = append(as, a)
			ixs = append(ixs, ix)
			n++
		}
		c0 := cpuTime()
		if _, err := s.SaveArticles(b.Context(), as, ixs); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n), "µs/article")
	b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/article")
}

// BenchmarkSearchText runs queries from very common to rare words over
// the whole corpus and reports the 99th percentile latency beside the mean.
func BenchmarkSearchText(b *testing.B) {
	dir := corpusDB(b)
	s, err := sqlite.Open(b.Context(), dir)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	w := func(word string) store.Clause {
		n := arabic.Normalize(word)
		return store.Clause{Exact: []string{n}, Stem: crudeStem(n)}
	}
	phrase := func(ws ...string) store.Clause {
		var c store.Clause
		for _, x := range ws {
			c.Exact = append(c.Exact, arabic.Normalize(x))
		}
		return c
	}
	queries := []struct {
		name string
		q    store.TextQuery
	}{
		{"common/السعودية", store.TextQuery{Clauses: []store.Clause{w("السعودية")}}},
		{"common/في", store.TextQuery{Clauses: []store.Clause{w("في")}}},
		{"common-and/المملكة+الرياض", store.TextQuery{Clauses: []store.Clause{w("المملكة"), w("الرياض")}}},
		{"medium/النفط", store.TextQuery{Clauses: []store.Clause{w("النفط")}}},
		{"phrase/وزير الخارجية", store.TextQuery{Clauses: []store.Clause{phrase("وزير", "الخارجية")}}},
		{"rare/لبنان+بيروت", store.TextQuery{Clauses: []store.Clause{w("لبنان"), w("بيروت")}}},
		{"any/related", store.TextQuery{Clauses: []store.Clause{w("الهلال"), w("النصر"), w("الدوري"), w("مباراة")}, Any: true, Limit: 5}},
		{"page5/السعودية", store.TextQuery{Clauses: []store.Clause{w("السعودية")}, Offset: 80}},
	}
	for _, tc := range queries {
		b.Run(tc.name, func(b *testing.B) {
			var durs []time.Duration
			var total int
			for b.Loop() {
				start := time.Now()
				_, n, err := s.SearchText(b.Context(), tc.q)
				if err != nil {
					b.Fatal(err)
				}
				durs = append(durs, time.Since(start))
				total = n
			}
			slices.Sort(durs)
			b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(total), "matches")
		})
	}
}

// BenchmarkTopTerms times TopTags and TopEntities over one day of a store
// of 6,000 articles spread over 12 days, each with 8 keywords and 6
// entities drawn from a Zipf vocabulary of 20,000 names (two written forms
// each), asked for the 500 most frequent, as the home page's trends are.
func BenchmarkTopTerms(b *testing.B) {
	s, err := sqlite.Open(b.Context(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	r := rand.New(rand.NewPCG(3, 4))
	zipf := rand.NewZipf(r, 1.1, 1, 19999)
	start := time.Date(2015, 7, 1, 0, 0, 0, 0, time.UTC)
	const n, perDay = 6000, 500
	for i := 0; i < n; i += 500 {
		var as []*model.Article
		var ixs []store.IndexData
		for j := i; j < i+500; j++ {
			a := &model.Article{URL: fmt.Sprintf("https://example.com/%d", j), Title: "خبر",
				Published: start.Add(time.Duration(j) * 24 * time.Hour / perDay)}
			for range 8 {
				k := zipf.Uint64()
				a.Keywords = append(a.Keywords, fmt.Sprintf("كلمة%d%s", k, []string{"", "ة"}[r.IntN(2)]))
			}
			for range 6 {
				a.Entities = append(a.Entities, model.Entity{Name: fmt.Sprintf("اسم%d", zipf.Uint64()), Type: model.EntityPerson})
			}
			slices.Sort(a.Keywords)
			a.Keywords = slices.Compact(a.Keywords)
			as = append(as, a)
			ixs = append(ixs, store.IndexData{})
		}
		if _, err := s.SaveArticles(b.Context(), as, ixs); err != nil {
			b.Fatal(err)
		}
	}
	day := start.Add(11 * 24 * time.Hour)
	b.Run("tags", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.TopTags(b.Context(), day, day.Add(24*time.Hour), 500); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("entities", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.TopEntities(b.Context(), day, day.Add(24*time.Hour), 500); err != nil {
				b.Fatal(err)
			}
		}
	})
}
