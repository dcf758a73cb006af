package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"

	"khabar/internal/search"
)

func runSearch(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "search")
	asJSON := fs.Bool("json", false, `print {"results": [...], "total": N}`)
	limit := fs.Int("limit", 10, "number of results (at most 100)")
	offset := fs.Int("offset", 0, "results to skip")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(strings.Join(pos, " "))
	if q == "" {
		return usagef("want a query")
	}
	if *limit < 1 || *limit > search.MaxLimit {
		return usagef("--limit must be between 1 and %d, got %d", search.MaxLimit, *limit)
	}
	if *offset < 0 {
		return usagef("--offset must not be negative, got %d", *offset)
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	an, _, err := a.analysis(ctx, st)
	if err != nil {
		return err
	}
	res, err := search.New(st, an).Search(ctx, search.Request{Query: q, Limit: *limit, Offset: *offset, AllowPartial: true})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	if res.Total == 0 {
		fmt.Fprintln(a.stdout, "no results")
		return nil
	}
	if res.Partial {
		fmt.Fprintf(a.stdout, "%d results matching some of the words (no article holds them all)\n\n", res.Total)
	} else {
		fmt.Fprintf(a.stdout, "%d results\n\n", res.Total)
	}
	for _, r := range res.Results {
		date := ""
		if !r.Published.IsZero() {
			date = r.Published.Format("2006-01-02")
		}
		fmt.Fprintf(a.stdout, "[%d] %s\n    %s · %s · %s\n    %s\n\n", r.ID, r.Title, r.Source, date, r.URL, plainSnippet(r.Snippet))
	}
	return nil
}

var markTag = regexp.MustCompile(`</?mark>`)

// plainSnippet shows a highlighted snippet on a terminal: matches in bold.
func plainSnippet(s string) string {
	s = markTag.ReplaceAllStringFunc(s, func(m string) string {
		if m == "<mark>" {
			return "\033[1m"
		}
		return "\033[0m"
	})
	return html.UnescapeString(s)
}
