package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"regexp"
	"strings"

	"khabar/internal/search"
	"khabar/internal/store"
)

// multiFlag is a flag that may be given several times.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// filterFlags adds the search filters (search.FilterParams) to fs; the
// function returned reads them once fs is parsed.
func filterFlags(fs *flag.FlagSet) func() (store.Filter, error) {
	vals := map[string]*multiFlag{}
	help := map[string]string{
		"from":    "only articles from this day (2016-01-31) or time (2016-01-31T15:04, in --tz)",
		"to":      "only articles up to this day, inclusive, or before this time",
		"tz":      "zone of days and times without one: Asia/Riyadh, +03:00 (default UTC)",
		"source":  "a source id or an outlet key; repeatable",
		"country": "the outlet's country, ISO 3166-1 alpha-2 (SA); repeatable",
		"kind":    "the outlet's kind: wire, state, public, private; repeatable",
		"tag":     "a keyword the articles carry",
		"entity":  "a name the articles mention",
	}
	for _, n := range search.FilterParams {
		vals[n] = &multiFlag{}
		fs.Var(vals[n], n, help[n])
	}
	return func() (store.Filter, error) {
		f, _, err := search.ParseFilter(func(n string) []string { return *vals[n] })
		if fe, ok := err.(*search.FilterError); ok {
			return f, usagef("--%s: %s", fe.Param, fe.Msg)
		}
		return f, err
	}
}

func runSearch(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "search")
	asJSON := fs.Bool("json", false, `print {"results": [...], "total": N}`)
	asCSV := fs.Bool("csv", false, "print CSV: id, url, title, source, country, published, tags, entities (with --all)")
	all := fs.Bool("all", false, "every article matching every word, not a page (with --csv)")
	limit := fs.Int("limit", 10, "number of results (at most 100)")
	offset := fs.Int("offset", 0, "results to skip")
	filter := filterFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(strings.Join(pos, " "))
	if q == "" {
		return usagef("want a query")
	}
	f, err := filter()
	if err != nil {
		return err
	}
	if *asCSV != *all {
		return usagef("--csv and --all go together: --csv --all prints every match as CSV")
	}
	if *asCSV && *asJSON {
		return usagef("--csv and --json exclude each other")
	}
	if *asCSV {
		st, err := a.store(ctx)
		if err != nil {
			return err
		}
		an, _, err := a.analysis(ctx, st)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(a.stdout, 64<<10)
		cw, err := search.NewCSVWriter(bw)
		if err != nil {
			return err
		}
		if err := search.New(st, an).Export(ctx, q, f, cw.Write); err != nil {
			return err
		}
		if err := cw.Flush(); err != nil {
			return err
		}
		return bw.Flush()
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
	res, err := search.New(st, an).Search(ctx, search.Request{Query: q, Limit: *limit, Offset: *offset, AllowPartial: true, Filter: f})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	if res.Total == 0 && !res.Partial {
		fmt.Fprintln(a.stdout, "no results")
		return nil
	}
	if res.Partial {
		fmt.Fprintf(a.stdout, "%d results matching some of the words (no article holds them all)\n\n", res.PartialTotal)
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
