package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"time"

	"khabar/internal/model"
)

// exportJSON is one article in `khabar export --format jsonl`.
type exportJSON struct {
	ID          int64          `json:"id"`
	URL         string         `json:"url"`
	GUID        string         `json:"guid,omitempty"`
	Title       string         `json:"title"`
	Text        string         `json:"text"`
	Published   *time.Time     `json:"published"`
	Modified    *time.Time     `json:"modified"`
	Fetched     *time.Time     `json:"fetched"`
	Source      string         `json:"source"`
	SourceID    *int64         `json:"source_id"`
	Authors     []string       `json:"authors"`
	Language    string         `json:"language"`
	Image       string         `json:"image,omitempty"`
	SiteName    string         `json:"site_name,omitempty"`
	Agency      string         `json:"agency"`
	Keywords    []string       `json:"keywords"`
	Entities    []model.Entity `json:"entities"`
	DuplicateOf *int64         `json:"duplicate_of"`
	Story       *int64         `json:"story"`
}

func idOrNil(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func runExport(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "export")
	format := fs.String("format", "jsonl", "output format: jsonl")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "jsonl" {
		return usagef("unknown format %q: want jsonl", *format)
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(a.stdout, 1<<16)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	err = st.EachArticle(ctx, func(ar *model.Article) error {
		return enc.Encode(exportJSON{
			ID: ar.ID, URL: ar.URL, GUID: ar.GUID, Title: ar.Title, Text: ar.Text,
			Published: timeOrNil(ar.Published), Modified: timeOrNil(ar.Modified), Fetched: timeOrNil(ar.Fetched),
			Source: ar.SourceName, SourceID: idOrNil(ar.SourceID), Authors: nonNil(ar.Authors),
			Language: ar.Language, Image: ar.Image, SiteName: ar.SiteName, Agency: ar.Agency,
			Keywords: nonNil(ar.Keywords), Entities: nonNil(ar.Entities),
			DuplicateOf: idOrNil(ar.DuplicateOf), Story: idOrNil(ar.StoryID),
		})
	})
	if err != nil {
		return err
	}
	return w.Flush()
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
