package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"khabar/internal/feed"
	"khabar/internal/model"
	"khabar/internal/outlets"
	"khabar/internal/store"
	"khabar/internal/weburl"
)

func runSources(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("want a subcommand: add, list, edit, remove, import or export")
	}
	switch args[0] {
	case "add":
		return sourcesAdd(ctx, a, args[1:])
	case "list":
		return sourcesList(ctx, a, args[1:])
	case "edit":
		return sourcesEdit(ctx, a, args[1:])
	case "remove", "rm":
		return sourcesRemove(ctx, a, args[1:])
	case "import":
		return sourcesImport(ctx, a, args[1:])
	case "export":
		return sourcesExport(ctx, a, args[1:])
	}
	return usagef("unknown subcommand %q: want add, list, edit, remove, import or export", args[0])
}

func addSource(ctx context.Context, st store.Store, rawURL, title string) (model.Source, error) {
	u, err := weburl.Check(rawURL)
	if err != nil {
		return model.Source{}, err
	}
	now := time.Now()
	s := model.Source{URL: u, Title: strings.TrimSpace(title), NextFetch: now, CreatedAt: now}
	if err := st.AddSource(ctx, &s); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return s, fmt.Errorf("source %s is already added", u)
		}
		return s, err
	}
	return s, nil
}

func sourcesAdd(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "sources add")
	title := fs.String("title", "", "title of the source (default: the feed's own)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one URL, got %d arguments", len(pos))
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	s, err := addSource(ctx, st, pos[0], *title)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "added source %d: %s\n", s.ID, s.URL)
	return nil
}

// sourceJSON is the shape of a source in `sources list --json`.
type sourceJSON struct {
	ID          int64         `json:"id"`
	URL         string        `json:"url"`
	Title       string        `json:"title"`
	SiteURL     string        `json:"site_url,omitempty"`
	Language    string        `json:"language,omitempty"`
	LastError   string        `json:"last_error"`
	LastFetched *time.Time    `json:"last_fetched"`
	NextFetch   *time.Time    `json:"next_fetch"`
	Articles    int           `json:"articles"`
	Outlet      *model.Outlet `json:"outlet"`
}

// outletOrNil is the source's outlet profile, nil when it has no key.
func outletOrNil(o model.Outlet) *model.Outlet {
	if o.Key == "" {
		return nil
	}
	return &o
}

// optString is a flag that records whether it was given.
type optString struct{ v *string }

func (o *optString) String() string {
	if o.v == nil {
		return ""
	}
	return *o.v
}
func (o *optString) Set(s string) error { o.v = &s; return nil }

// sourcesEdit is `khabar sources edit ID|KEY --name-ar … --name-en …
// --country SA --kind private`: it edits the profile of a source's outlet,
// or of an outlet known by key only (an imported one such as "was").
func sourcesEdit(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "sources edit")
	var nameAR, nameEN, country, kind optString
	fs.Var(&nameAR, "name-ar", "the outlet's Arabic name")
	fs.Var(&nameEN, "name-en", "the outlet's English name")
	fs.Var(&country, "country", "the outlet's country, an ISO 3166-1 alpha-2 code such as SA")
	fs.Var(&kind, "kind", "wire, state, public or private")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one source id or outlet key, then --name-ar, --name-en, --country or --kind")
	}
	e := outlets.Edit{NameAR: nameAR.v, NameEN: nameEN.v, Country: country.v, Kind: kind.v}
	if e.Empty() {
		return usagef("nothing to change: give --name-ar, --name-en, --country or --kind")
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	o, id, err := outlets.EditSource(ctx, st, pos[0], e)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no source with id %s", pos[0])
	}
	if err != nil {
		return err
	}
	what := "outlet " + o.Key
	if id != 0 {
		what = fmt.Sprintf("source %d (outlet %s)", id, o.Key)
	}
	fmt.Fprintf(a.stdout, "%s: %s / %s, country %s, kind %s\n", what, orDash(o.NameAR), orDash(o.NameEN), orDash(o.Country), orDash(o.Kind))
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// timeOrNil is t in UTC for JSON, or nil when unknown or when it cannot be
// written as RFC 3339 (a year past 9999 stored before dates were checked).
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() || !model.Encodable(t) {
		return nil
	}
	u := t.UTC()
	return &u
}

// listCommand parses the flags of a listing subcommand (--json alone)
// and opens the store: it reports whether to print JSON.
func listCommand(ctx context.Context, a *app, name string, args []string) (store.Store, bool, error) {
	fs := newFlags(a, name)
	asJSON := fs.Bool("json", false, "print a JSON array")
	if _, err := parseFlags(fs, args); err != nil {
		return nil, false, err
	}
	st, err := a.store(ctx)
	return st, *asJSON, err
}

func sourcesList(ctx context.Context, a *app, args []string) error {
	st, asJSON, err := listCommand(ctx, a, "sources list", args)
	if err != nil {
		return err
	}
	srcs, err := st.ListSources(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		out := make([]sourceJSON, 0, len(srcs))
		for _, s := range srcs {
			out = append(out, sourceJSON{
				ID: s.ID, URL: s.URL, Title: s.Title, SiteURL: s.SiteURL, Language: s.Language,
				LastError: s.LastError, LastFetched: timeOrNil(s.LastFetched),
				NextFetch: timeOrNil(s.NextFetch), Articles: s.Articles, Outlet: outletOrNil(s.Outlet),
			})
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tARTICLES\tLAST FETCH\tOUTLET\tNAME\tURL\tERROR")
	for _, s := range srcs {
		last := "never"
		if !s.LastFetched.IsZero() {
			last = s.LastFetched.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Articles, last, orDash(s.Outlet.Key), s.DisplayName(), s.URL, s.LastError)
	}
	return tw.Flush()
}

func sourcesRemove(ctx context.Context, a *app, args []string) error {
	return removeByID(ctx, a, args, "source", func(st store.Store) func(context.Context, int64) error { return st.DeleteSource })
}

// removeByID is `khabar sources remove ID` and `khabar alerts remove ID`:
// del picks the store's delete method for the kind of thing removed.
func removeByID(ctx context.Context, a *app, args []string, kind string, del func(store.Store) func(context.Context, int64) error) error {
	if len(args) != 1 {
		return usagef("want one %s id", kind)
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return usagef("%s id %q is not a number", kind, args[0])
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	if err := del(st)(ctx, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no %s with id %d", kind, id)
		}
		return err
	}
	fmt.Fprintf(a.stdout, "removed %s %d\n", kind, id)
	return nil
}

func sourcesImport(ctx context.Context, a *app, args []string) error {
	if len(args) != 1 {
		return usagef("want one OPML file")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	outs, err := feed.ParseOPML(data)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	added, skipped := 0, 0
	for _, o := range outs {
		if _, err := addSource(ctx, st, o.XMLURL, o.Title); err != nil {
			skipped++
			fmt.Fprintf(a.stderr, "skipped %q: %v\n", o.XMLURL, err)
			continue
		}
		added++
	}
	fmt.Fprintf(a.stdout, "imported %d sources, skipped %d\n", added, skipped)
	return nil
}

func sourcesExport(ctx context.Context, a *app, args []string) error {
	if len(args) != 0 {
		return usagef("takes no arguments; it writes OPML to standard output")
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	srcs, err := st.ListSources(ctx)
	if err != nil {
		return err
	}
	outs := make([]feed.Outline, 0, len(srcs))
	for _, s := range srcs {
		outs = append(outs, feed.Outline{Title: s.Title, XMLURL: s.URL, HTMLURL: s.SiteURL})
	}
	return feed.WriteOPML(a.stdout, "khabar sources", outs)
}
