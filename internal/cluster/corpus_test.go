package cluster

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"khabar/internal/sharedtest"
)

// snnArticle is one SaudiNewsNet article. The corpus is research-only: it
// is read from ../shared at test time and never copied into the repository.
type snnArticle struct {
	Source    string `json:"source"`
	URL       string `json:"url"`
	Date      string `json:"date_extracted"`
	Title     string `json:"title"`
	Author    string `json:"author"`
	Content   string `json:"content"`
	published time.Time
}

// loadSaudiNewsNet reads every zip of the corpus, in publication order
// (extraction time, then file order), or skips when the corpus is absent.
func loadSaudiNewsNet(t testing.TB) []snnArticle {
	t.Helper()
	dir := sharedtest.Path(t, "corpora", "saudinewsnet", "zips")
	files, err := filepath.Glob(filepath.Join(dir, "*.zip"))
	if err != nil || len(files) == 0 {
		t.Skipf("no SaudiNewsNet zips in %s", dir)
	}
	slices.Sort(files)
	var all []snnArticle
	for _, f := range files {
		arts, err := readZip(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, arts...)
	}
	slices.SortStableFunc(all, func(a, b snnArticle) int { return a.published.Compare(b.published) })
	return all
}

func readZip(path string) ([]snnArticle, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer zr.Close()
	var out []snnArticle
	for _, zf := range zr.File {
		if !strings.HasSuffix(zf.Name, ".json") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", path, zf.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", path, zf.Name, err)
		}
		var arts []snnArticle
		if err := json.Unmarshal(data, &arts); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", path, zf.Name, err)
		}
		for i := range arts {
			tm, err := time.Parse(time.DateTime, arts[i].Date)
			if err != nil {
				return nil, fmt.Errorf("%s: article %d: bad date %q: %w", zf.Name, i, arts[i].Date, err)
			}
			// Extraction times are Riyadh time (UTC+3).
			arts[i].published = tm.Add(-3 * time.Hour).UTC()
		}
		out = append(out, arts...)
	}
	return out, nil
}

// stratifiedSample reads the corpus's stratified sample (JSON lines).
func stratifiedSample(t testing.TB) []snnArticle {
	t.Helper()
	data, err := os.ReadFile(sharedtest.Path(t, "corpora", "saudinewsnet", "stratified-sample.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []snnArticle
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var a snnArticle
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("sample line %d: %v", i+1, err)
		}
		tm, err := time.Parse(time.DateTime, a.Date)
		if err != nil {
			t.Fatalf("sample line %d: %v", i+1, err)
		}
		a.published = tm.Add(-3 * time.Hour).UTC()
		out = append(out, a)
	}
	return out
}
