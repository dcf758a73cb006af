package search

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/model"
	"khabar/internal/sharedtest"
	"khabar/internal/store"
	"khabar/internal/store/sqlite/sqlitetest"
)

// fixtureFiles are the repository's real Arabic texts: news pages, a
// feed, hand-tagged sentences, stemmer words and CLDR's place names.
var fixtureFiles = []string{
	"../extract/testdata/*/*.html",
	"../extract/testdata/*/*.json",
	"../extract/testdata/*/*.txt",
	"../feed/testdata/aljazeera-arabic-2026-07-28/feed.xml",
	"../entities/testdata/dev.conll",
	"../arabic/testdata/arabicstemmer-golden/golden_corpus_arabic.json",
	"../arabic/dates/testdata/cldr-41-arabic/ar.xml",
	"../cli/testdata/newsroom/*.html",
}

var (
	tagRE    = regexp.MustCompile(`<[^>]*>`)
	arabicRE = regexp.MustCompile(`[\x{0600}-\x{06FF}]`)
)

// fixtureDocs cuts the fixtures into documents of at most 120 words: the
// Arabic lines of each file, markup removed.
func fixtureDocs(t *testing.T) []string {
	var docs []string
	for _, pat := range fixtureFiles {
		files, err := filepath.Glob(pat)
		if err != nil || len(files) == 0 {
			t.Fatalf("fixture %s: none found (%v)", pat, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text := tagRE.ReplaceAllString(string(b), " ")
			if strings.HasSuffix(f, ".conll") {
				text = conllText(text)
			}
			var cur []string
			flush := func() {
				if len(cur) > 0 {
					docs = append(docs, strings.Join(cur, " "))
					cur = cur[:0]
				}
			}
			for line := range strings.SplitSeq(text, "\n") {
				if !arabicRE.MatchString(line) {
					continue
				}
				for _, w := range strings.Fields(line) {
					cur = append(cur, w)
					if len(cur) == 120 {
						flush()
					}
				}
			}
			flush()
		}
	}
	return docs
}

// conllText turns CoNLL "word TAG" lines into sentences.
func conllText(s string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(s, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			b.WriteByte('\n')
			continue
		}
		b.WriteString(f[0])
		b.WriteByte(' ')
	}
	return b.String()
}

// checkAgreement indexes docs as ingest does, then searches every distinct
// written word of them and checks that each finds every document holding
// it: the index and the query make a word's forms in one place
// (analysis.Token.IndexForm), so no stored word can give an empty answer.
// It returns the number of words in the documents and of distinct words
// searched.
func checkAgreement(t *testing.T, docs []string) (words, distinct int) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	an := analysis.New(analysis.Options{Names: entities.BuiltinNames()})
	holders := map[string]map[int64]bool{} // written word → documents
	now := time.Date(2015, 8, 1, 0, 0, 0, 0, time.UTC)
	as := make([]*model.Article, 0, len(docs))
	idxs := make([]store.IndexData, 0, len(docs))
	for i, d := range docs {
		title, body, ok := strings.Cut(d, "\n\n")
		if f := strings.Fields(d); !ok && len(f) > 12 { // a title, then a body
			title, body = strings.Join(f[:8], " "), strings.Join(f[8:], " ")
		}
		as = append(as, &model.Article{URL: fmt.Sprintf("https://example.com/%d", i), Title: title, Text: body,
			Published: now.Add(time.Duration(i) * time.Minute), SourceName: "fixture"})
		idxs = append(idxs, IndexText(an, title, body))
	}
	for i := 0; i < len(as); i += 500 {
		j := min(i+500, len(as))
		if _, err := st.SaveArticles(ctx, as[i:j], idxs[i:j]); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range as {
		for _, tok := range an.Analyze(a.Title + "\n\n" + a.Text) {
			words++
			if _, _, ok := tok.IndexForm(); !ok {
				continue // a stop word: the index leaves it out
			}
			if holders[tok.Text] == nil {
				holders[tok.Text] = map[int64]bool{}
			}
			holders[tok.Text][a.ID] = true
		}
	}
	missed, empty := 0, 0
	for w, want := range holders {
		q := Parse(an, w)
		hits, _, err := st.SearchText(ctx, store.TextQuery{Clauses: q.Clauses, Limit: len(docs)})
		if err != nil {
			t.Fatalf("search %q: %v", w, err)
		}
		got := make(map[int64]bool, len(hits))
		for _, h := range hits {
			got[h.ID] = true
		}
		if len(got) == 0 {
			empty++
		}
		for id := range want {
			if !got[id] {
				missed++
				if missed <= 20 {
					t.Errorf("searching %q does not find article %d that holds it (clauses %+v)", w, id, q.Clauses)
				}
				break
			}
		}
	}
	if missed > 0 {
		t.Errorf("%d of %d distinct words miss an article that holds them; %d give no result", missed, len(holders), empty)
	}
	return words, len(holders)
}

// TestQueryFindsEveryStoredWord is the agreement property over the
// repository's own Arabic fixtures.
func TestQueryFindsEveryStoredWord(t *testing.T) {
	docs := fixtureDocs(t)
	words, distinct := checkAgreement(t, docs)
	if words < 10000 {
		t.Fatalf("only %d words in the fixtures; the property needs 10,000 or more", words)
	}
	t.Logf("%d documents, %d words, %d distinct words searched", len(docs), words, distinct)
}

// TestQueryFindsEveryStoredWordSaudiNewsNet is the same property over
// SaudiNewsNet articles (../shared; skipped without it): 500 in the
// ordinary run, KHABAR_AGREE_ARTICLES of them when set (10000 for the
// search issue's full sample, which takes minutes).
func TestQueryFindsEveryStoredWordSaudiNewsNet(t *testing.T) {
	if testing.Short() {
		t.Skip("short: the corpus run takes a while")
	}
	n := 500
	if v := os.Getenv("KHABAR_AGREE_ARTICLES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("KHABAR_AGREE_ARTICLES=%q: want a number of articles", v)
		}
	}
	dir := sharedtest.Path(t, "corpora", "saudinewsnet", "zips")
	docs := saudiNewsNet(t, dir, n)
	words, distinct := checkAgreement(t, docs)
	t.Logf("%d articles, %d words, %d distinct words searched", len(docs), words, distinct)
}

// saudiNewsNet reads up to n articles (title and text) from the corpus
// zips, a few from each file.
func saudiNewsNet(t testing.TB, dir string, n int) []string {
	zips, err := filepath.Glob(filepath.Join(dir, "*.zip"))
	if err != nil || len(zips) == 0 {
		t.Skipf("no SaudiNewsNet zips in %s", dir)
	}
	per := max(1, n/len(zips))
	var docs []string
	for _, z := range zips {
		zr, err := zip.OpenReader(z)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if len(docs) >= n || strings.HasSuffix(f.Name, "/") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			var arts []struct {
				Title   string `json:"title"`
				Content string `json:"content"`
			}
			err = json.NewDecoder(bufio.NewReader(rc)).Decode(&arts)
			io.Copy(io.Discard, rc)
			rc.Close()
			if err != nil {
				continue
			}
			for i, a := range arts {
				if i >= per || len(docs) >= n {
					break
				}
				docs = append(docs, a.Title+"\n\n"+a.Content)
			}
		}
		zr.Close()
	}
	return docs
}
