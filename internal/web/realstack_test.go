package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/extract"
	"khabar/internal/keywords"
	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store"
)

// The browser and load tests run the portal over the real stack: the
// SQLite store, the analyzer, the entity recognizer, keyphrases and the
// search service, as `khabar serve` wires them.

// seeder analyses and saves articles as the ingest pipeline does, minus
// dedup and clustering (every article starts its own story unless told).
type seeder struct {
	st  store.Store
	an  *analysis.Analyzer
	rec *entities.Recognizer
}

func newSeeder(st store.Store) *seeder {
	rec := entities.New(entities.Options{})
	return &seeder{st: st, an: analysis.New(analysis.Options{Names: rec.Names()}), rec: rec}
}

func (sd *seeder) search() *search.Service { return search.New(sd.st, sd.an) }

// save fills a's entities and keywords when it has none and stores it with
// its index data.
func (sd *seeder) save(ctx context.Context, a *model.Article) error {
	full := a.Title + "\n\n" + a.Text
	toks := sd.an.Analyze(full)
	if a.Entities == nil {
		a.Entities = sd.rec.Recognize(full, toks)
	}
	if a.Keywords == nil {
		var err error
		if a.Keywords, err = keywords.Extract(ctx, full, toks, a.Entities, nil, 8); err != nil {
			return err
		}
	}
	idx := store.IndexData{Phrases: keywords.Candidates(full, toks, a.Entities)}
	idx.TitleTerms, idx.TitleStems = sd.an.IndexForms(a.Title)
	idx.BodyTerms, idx.BodyStems = sd.an.IndexForms(a.Text)
	if _, err := sd.st.SaveArticle(ctx, a, idx); err != nil {
		return fmt.Errorf("save %s: %w", a.URL, err)
	}
	return nil
}

// newsroomTable lists the real Arabic news pages that package cli's
// end-to-end test serves (name, then path below internal/); they are read
// in place, not copied.
const newsroomTable = "../cli/testdata/newsroom/pages.tsv"

// newsroomArticles extracts the article of every page in newsroomTable.
func newsroomArticles(t testing.TB) []model.Article {
	t.Helper()
	table, err := os.ReadFile(newsroomTable)
	if err != nil {
		t.Fatalf("the browser test reads package cli's newsroom: %v", err)
	}
	type page struct{ name, path string }
	var pages []page
	for _, line := range strings.Split(string(table), "\n") {
		if n, p, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
			pages = append(pages, page{strings.TrimSuffix(n, ".html"), filepath.Join("..", filepath.FromSlash(p))})
		}
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].name < pages[j].name })
	var out []model.Article
	for _, pg := range pages {
		p, name := pg.path, pg.name
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		u := "https://" + name + ".example/news/" + name
		res, err := extract.Extract(data, u, extract.Options{Now: testNow})
		if err != nil {
			t.Fatalf("extract %s: %v", p, err)
		}
		if res.Title == "" || res.Text == "" {
			t.Fatalf("extract %s: no title or text", p)
		}
		a := model.Article{URL: u, Title: res.Title, Text: res.Text, Summary: res.Description, Authors: res.Authors,
			Published: res.Published, Modified: res.Modified, Language: "ar", SiteName: res.SiteName, Agency: res.Agency,
			Fetched: testNow}
		if a.Published.IsZero() {
			a.Published = testNow.Add(-48 * time.Hour)
		}
		out = append(out, a)
	}
	return out
}
