package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"khabar/internal/extract"
	"khabar/internal/model"
)

// articleJSON is an article as `khabar extract` prints it.
type articleJSON struct {
	File      string         `json:"file,omitempty"`
	URL       string         `json:"url"`
	Title     string         `json:"title"`
	Text      string         `json:"text"`
	Authors   []string       `json:"authors"`
	Published *time.Time     `json:"published"`
	Modified  *time.Time     `json:"modified"`
	Language  string         `json:"language"`
	Image     string         `json:"image"`
	SiteName  string         `json:"site_name"`
	Agency    string         `json:"agency"`
	Keywords  []string       `json:"keywords"`
	Entities  []model.Entity `json:"entities"`
	Error     string         `json:"error,omitempty"`
}

func runExtract(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "extract")
	pageURL := fs.String("url", "", "the page's URL (resolves links, names the site); with one file")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("want at least one HTML file")
	}
	if *pageURL != "" && len(files) > 1 {
		return usagef("--url names one page; give one file with it")
	}
	st, err := a.storeIfExists(ctx)
	if err != nil {
		return err
	}
	p, err := a.pipeline(ctx, st)
	if err != nil {
		return err
	}
	now := time.Now()
	results := make([]articleJSON, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = extractFile(ctx, p.Analyse, files[i], *pageURL, now)
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()

	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	if len(files) == 1 {
		if results[0].Error != "" {
			return fmt.Errorf("%s: %s", files[0], results[0].Error)
		}
		results[0].File = ""
		enc.SetIndent("", "  ")
	}
	for i := range results {
		if results[i].Error != "" {
			failed++
			fmt.Fprintf(a.stderr, "khabar extract: %s: %s\n", files[i], results[i].Error)
		}
		if err := enc.Encode(results[i]); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files failed", failed, len(files))
	}
	return nil
}

func extractFile(ctx context.Context, analyse func(context.Context, *model.Article) error, file, pageURL string, now time.Time) articleJSON {
	out := articleJSON{File: file, Authors: []string{}, Keywords: []string{}, Entities: []model.Entity{}}
	html, err := os.ReadFile(file)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	res, err := extract.Extract(html, pageURL, extract.Options{Now: now, Location: time.UTC})
	if err != nil {
		out.Error = err.Error()
		return out
	}
	art := &model.Article{
		URL: res.URL, Title: res.Title, Text: res.Text, Authors: res.Authors,
		Published: res.Published, Modified: res.Modified, Language: res.Language,
		Image: res.Image, SiteName: res.SiteName, Agency: res.Agency,
	}
	if err := analyse(ctx, art); err != nil {
		out.Error = err.Error()
		return out
	}
	out.URL, out.Title, out.Text = art.URL, art.Title, art.Text
	if art.Authors != nil {
		out.Authors = art.Authors
	}
	// The page's own offset is kept: it says where the outlet is.
	out.Published, out.Modified = localTimeOrNil(art.Published), localTimeOrNil(art.Modified)
	out.Language, out.Image, out.SiteName, out.Agency = art.Language, art.Image, art.SiteName, art.Agency
	if art.Keywords != nil {
		out.Keywords = art.Keywords
	}
	if art.Entities != nil {
		out.Entities = art.Entities
	}
	return out
}

// localTimeOrNil is timeOrNil without the move to UTC.
func localTimeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
