// Command searcheval measures known-item search on SaudiNewsNet side by
// side: khabar's search and bleve's stock Arabic analyzer over the same
// articles and the same queries, reporting MRR@10 for each half of the
// query set (one half to tune on, the other held out).
//
// A query is three consecutive words of an article's title, none of them
// a stop word; every other query is typed loosely, as people type: no
// hamza on alef, ه for a final ة, ي for a final ى. The article, or any
// verbatim copy of it (same title and text), is the answer.
//
//	cd tools/searcheval && go run . -data /tmp/khabar-eval
//
// The corpus is read from ../shared (research use only, never copied);
// -data keeps khabar's store and bleve's index between runs. bleve lives
// in this module only: khabar's own go.mod never requires it.
package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"

	"khabar/internal/analysis"
	"khabar/internal/arabic"
	"khabar/internal/cli"
	"khabar/internal/entities"
	"khabar/internal/search"
	"khabar/internal/store/sqlite"
)

type article struct {
	URL     string `json:"url"`
	Title   string `json:"title"`
	Content string `json:"content"`
}

type query struct {
	text   string
	target int // corpus index
	loose  bool
}

func main() {
	corpus := flag.String("corpus", "../../../shared/corpora/saudinewsnet/zips", "SaudiNewsNet zips")
	data := flag.String("data", filepath.Join(os.TempDir(), "khabar-searcheval"), "folder for khabar's store and bleve's index")
	n := flag.Int("n", 300, "known-item queries")
	seed := flag.Uint64("seed", 2015, "query sampling seed")
	skipBleve := flag.Bool("no-bleve", false, "measure khabar only")
	show := flag.Int("show", 0, "print this many of khabar's misses on the tuning half")
	zero := flag.Bool("zero", false, "also count zero-result answers for frequent title words with clitics")
	flag.Parse()
	ctx := context.Background()

	arts, err := readCorpus(*corpus)
	if err != nil {
		log.Fatal(err)
	}
	groups := map[uint64][]int{} // verbatim copies
	keys := make([]uint64, len(arts))
	for i, a := range arts {
		keys[i] = key(a.Title, a.Content)
		groups[keys[i]] = append(groups[keys[i]], i)
	}
	qs := knownItems(arts, *n, *seed)
	fmt.Printf("%d articles, %d queries (%d loose)\n", len(arts), len(qs), countLoose(qs))

	if err := os.MkdirAll(*data, 0o755); err != nil {
		log.Fatal(err)
	}
	khabarRanks, err := runKhabar(ctx, *data, *corpus, qs, keys, *show, *zero, arts)
	if err != nil {
		log.Fatal(err)
	}
	report("khabar", qs, khabarRanks)
	if *skipBleve {
		return
	}
	bleveRanks, err := runBleve(filepath.Join(*data, "bleve"), arts, qs, keys)
	if err != nil {
		log.Fatal(err)
	}
	report("bleve-ar", qs, bleveRanks)
}

// report prints MRR@10 of each half: even queries (tuning), odd (held out).
func report(name string, qs []query, ranks []int) {
	for half, label := range []string{"tuning", "held-out"} {
		var sum float64
		var n, first, none, loose int
		var looseSum float64
		for i, r := range ranks {
			if i%2 != half {
				continue
			}
			n++
			if r > 0 && r <= 10 {
				sum += 1 / float64(r)
				if qs[i].loose {
					looseSum += 1 / float64(r)
				}
			}
			if qs[i].loose {
				loose++
			}
			if r == 1 {
				first++
			}
			if r < 0 {
				none++
			}
		}
		fmt.Printf("%-8s %-8s MRR@10 %.3f  first %d/%d  no result %d  (loose MRR %.3f, exact MRR %.3f)\n",
			name, label, sum/float64(n), first, n, none, looseSum/float64(loose), (sum-looseSum)/float64(n-loose))
	}
}

func countLoose(qs []query) int {
	c := 0
	for _, q := range qs {
		if q.loose {
			c++
		}
	}
	return c
}

// readCorpus reads every article of the zips, in file order.
func readCorpus(dir string) ([]article, error) {
	zips, err := filepath.Glob(filepath.Join(dir, "*.zip"))
	if err != nil || len(zips) == 0 {
		return nil, fmt.Errorf("searcheval: no zips in %s (%v)", dir, err)
	}
	slices.Sort(zips)
	var out []article
	for _, z := range zips {
		zr, err := zip.OpenReader(z)
		if err != nil {
			return nil, fmt.Errorf("searcheval: %s: %w", z, err)
		}
		for _, f := range zr.File {
			if strings.HasSuffix(f.Name, "/") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil, err
			}
			var as []article
			if err := json.Unmarshal(b, &as); err != nil {
				return nil, fmt.Errorf("searcheval: %s/%s: %w", z, f.Name, err)
			}
			out = append(out, as...)
		}
		zr.Close()
	}
	return out, nil
}

func key(title, text string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strings.Join(strings.Fields(title), " ")))
	h.Write([]byte{0})
	h.Write([]byte(strings.Join(strings.Fields(text), " ")))
	return h.Sum64()
}

// knownItems draws n queries: three consecutive non-stop words of a title.
func knownItems(arts []article, n int, seed uint64) []query {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	order := r.Perm(len(arts))
	var out []query
	seenTitle := map[string]bool{}
	for _, i := range order {
		if len(out) >= n {
			break
		}
		t := strings.Join(strings.Fields(arts[i].Title), " ")
		if seenTitle[t] || strings.TrimSpace(arts[i].Content) == "" {
			continue
		}
		var words []string
		for _, w := range strings.Fields(t) {
			w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			words = append(words, w)
		}
		var starts []int
		for s := 0; s+3 <= len(words); s++ {
			ok := true
			for _, w := range words[s : s+3] {
				if w == "" || arabic.IsStopWord(arabic.Normalize(w)) || !strings.ContainsFunc(w, func(r rune) bool { return unicode.In(r, unicode.Arabic) }) {
					ok = false
				}
			}
			if ok {
				starts = append(starts, s)
			}
		}
		if len(starts) == 0 {
			continue
		}
		seenTitle[t] = true
		s := starts[r.IntN(len(starts))]
		q := query{text: strings.Join(words[s:s+3], " "), target: i}
		if len(out)%2 == 1 == (r.IntN(2) == 0) { // about half of each half
			q.text, q.loose = loosely(q.text), true
		}
		out = append(out, q)
	}
	return out
}

// loosely types text as people do: no hamza on alef, ه for a final ة, ي
// for a final ى.
func loosely(text string) string {
	text = strings.NewReplacer("أ", "ا", "إ", "ا", "آ", "ا").Replace(text)
	words := strings.Fields(text)
	for i, w := range words {
		if s, ok := strings.CutSuffix(w, "ة"); ok {
			w = s + "ه"
		}
		if s, ok := strings.CutSuffix(w, "ى"); ok {
			w = s + "ي"
		}
		words[i] = w
	}
	return strings.Join(words, " ")
}

// rank is the 1-based rank of the first hit in the answer's copy group
// among keys, 0 when none of the first ten is, -1 for no hit at all.
func rank(hits []uint64, want uint64) int {
	if len(hits) == 0 {
		return -1
	}
	for i, h := range hits {
		if h == want {
			return i + 1
		}
	}
	return 0
}

func runKhabar(ctx context.Context, data, corpus string, qs []query, keys []uint64, show int, zero bool, arts []article) ([]int, error) {
	dir := filepath.Join(data, "khabar")
	if _, err := os.Stat(filepath.Join(dir, "khabar.db")); err != nil {
		start := time.Now()
		if code := cli.Run(ctx, []string{"--data", dir, "import", corpus}, []string{"KHABAR_LOG_LEVEL=error"},
			strings.NewReader(""), io.Discard, os.Stderr); code != 0 {
			return nil, fmt.Errorf("searcheval: khabar import exited %d", code)
		}
		fmt.Printf("khabar import: %v\n", time.Since(start).Round(time.Second))
	}
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	an := analysis.New(analysis.Options{Names: entities.BuiltinNames()})
	if n, err := search.EnsureIndex(ctx, st, an); err != nil {
		return nil, err
	} else if n > 0 {
		fmt.Printf("khabar: reindexed %d articles\n", n)
	}
	svc := search.New(st, an)
	ranks := make([]int, len(qs))
	shown := 0
	for i, q := range qs {
		res, err := svc.Search(ctx, search.Request{Query: q.text, Limit: 10, AllowPartial: true})
		if err != nil {
			return nil, err
		}
		var hits []uint64
		for _, r := range res.Results {
			a, err := st.GetArticle(ctx, r.ID)
			if err != nil {
				return nil, err
			}
			hits = append(hits, key(a.Title, a.Text))
		}
		ranks[i] = rank(hits, keys[q.target])
		if i%2 == 0 && ranks[i] != 1 && shown < show {
			shown++
			fmt.Printf("miss %q (rank %d, %d results): %s\n", q.text, ranks[i], res.Total, arts[q.target].Title)
			for j, r := range res.Results[:min(3, len(res.Results))] {
				fmt.Printf("    %d. %.2f %s %s\n", j+1, r.Score, r.Published.Format("01-02"), r.Title)
			}
		}
	}
	if zero {
		zeroCounts(ctx, svc, arts)
	}
	return ranks, nil
}

// zeroCounts searches the 40 most frequent title words of each clitic form
// (بال… لل… وال… و…) and counts those that find nothing.
func zeroCounts(ctx context.Context, svc *search.Service, arts []article) {
	freq := map[string]int{}
	for _, a := range arts {
		seen := map[string]bool{}
		for _, w := range strings.Fields(a.Title) {
			w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
			if !seen[w] {
				seen[w] = true
				freq[w]++
			}
		}
	}
	for _, pre := range []string{"بال", "لل", "وال", "و"} {
		var ws []string
		for w := range freq {
			if strings.HasPrefix(w, pre) && (pre != "و" || !strings.HasPrefix(w, "وال")) {
				ws = append(ws, w)
			}
		}
		slices.SortFunc(ws, func(a, b string) int {
			if freq[a] != freq[b] {
				return freq[b] - freq[a]
			}
			return strings.Compare(a, b)
		})
		ws = ws[:min(40, len(ws))]
		var empty []string
		for _, w := range ws {
			res, err := svc.Search(ctx, search.Request{Query: w, Limit: 1})
			if err != nil {
				log.Fatal(err)
			}
			if res.Total == 0 {
				empty = append(empty, w)
			}
		}
		fmt.Printf("zero-result %s…: %d of %d %v\n", pre, len(empty), len(ws), empty)
		if f, err := os.OpenFile(filepath.Join(os.TempDir(), "searcheval-words.txt"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintln(f, strings.Join(ws, "\n"))
			f.Close()
		}
	}
}

func runBleve(dir string, arts []article, qs []query, keys []uint64) ([]int, error) {
	idx, err := bleve.Open(dir)
	if err != nil {
		m := bleve.NewIndexMapping()
		m.DefaultAnalyzer = ar.AnalyzerName
		if idx, err = bleve.New(dir, m); err != nil {
			return nil, err
		}
		start := time.Now()
		b := idx.NewBatch()
		for i, a := range arts {
			if err := b.Index(strconv.Itoa(i), map[string]any{"title": a.Title, "content": a.Content}); err != nil {
				return nil, err
			}
			if b.Size() >= 1000 {
				if err := idx.Batch(b); err != nil {
					return nil, err
				}
				b = idx.NewBatch()
			}
		}
		if err := idx.Batch(b); err != nil {
			return nil, err
		}
		fmt.Printf("bleve index: %v\n", time.Since(start).Round(time.Second))
	}
	defer idx.Close()
	ranks := make([]int, len(qs))
	for i, q := range qs {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchQuery(q.text), 10, 0, false)
		res, err := idx.Search(req)
		if err != nil {
			return nil, err
		}
		var hits []uint64
		for _, h := range res.Hits {
			j, _ := strconv.Atoi(h.ID)
			hits = append(hits, keys[j])
		}
		ranks[i] = rank(hits, keys[q.target])
	}
	return ranks, nil
}
