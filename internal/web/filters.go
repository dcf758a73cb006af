package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store"
)

// option is one choice of a select.
type option struct {
	Value, Label string
}

// FilterForm is the search filters as the reader gave them, the choices
// the form offers, and the filters as a query string for links (the
// explore page, the CSV export, the feed).
type FilterForm struct {
	From, To, TZ, Source, Country, Kind, Tag, Entity string
	Sources, Countries, Kinds                        []option
	// MoreSources are the sources given beyond the one the select shows
	// (source is repeatable, or comma-separated), kept as hidden fields so
	// that submitting the form again keeps them.
	MoreSources []string
	// FromType and ToType are the inputs' types: "date" for a day, "text"
	// for a time, which a date input would drop.
	FromType, ToType string
	// Encoded is the filters' URL query ("" when none), without q.
	Encoded string
	// Set is true when any filter is given.
	Set bool
}

// parseFilterForm reads the filters of r (search.ParseFilter) and fills
// the form's choices from the store. A filter that cannot be read gives
// a message for the page naming it.
func (s *Server) parseFilterForm(ctx context.Context, r *http.Request, t *Strings) (FilterForm, store.Filter, *time.Location, string, error) {
	q := r.URL.Query()
	first := func(n string) string { return strings.TrimSpace(q.Get(n)) }
	ff := FilterForm{From: first("from"), To: first("to"), TZ: first("tz"),
		Country: first("country"), Kind: first("kind"), Tag: first("tag"), Entity: first("entity")}
	ff.FromType, ff.ToType = dateInputType(ff.From), dateInputType(ff.To)
	keep := url.Values{}
	for _, n := range search.FilterParams {
		for _, v := range q[n] {
			if v = strings.TrimSpace(v); v != "" {
				keep.Add(n, v)
			}
		}
	}
	ff.Encoded, ff.Set = keep.Encode(), len(keep) > 0
	srcs, err := s.cfg.Store.ListSources(ctx)
	if err != nil {
		return ff, store.Filter{}, nil, "", fmt.Errorf("web: filters: sources: %w", err)
	}
	outs, err := s.cfg.Store.ListOutlets(ctx)
	if err != nil {
		return ff, store.Filter{}, nil, "", fmt.Errorf("web: filters: outlets: %w", err)
	}
	for _, src := range srcs {
		ff.Sources = append(ff.Sources, option{strconv.FormatInt(src.ID, 10), cmpOr(src.Title, src.URL)})
	}
	var countries []string
	for _, o := range outs {
		name := o.Name()
		if t.Lang == "en" && o.NameEN != "" {
			name = o.NameEN
		}
		ff.Sources = append(ff.Sources, option{o.Key, name})
		if o.Country != "" && !slices.Contains(countries, o.Country) {
			countries = append(countries, o.Country)
		}
	}
	// The select shows the first source it offers; every other one given
	// rides along hidden.
	for _, v := range q["source"] {
		for _, one := range strings.Split(v, ",") {
			one = strings.TrimSpace(one)
			switch {
			case one == "" || one == ff.Source || slices.Contains(ff.MoreSources, one):
			case ff.Source == "" && slices.ContainsFunc(ff.Sources, func(o option) bool { return o.Value == one }):
				ff.Source = one
			default:
				ff.MoreSources = append(ff.MoreSources, one)
			}
		}
	}
	slices.Sort(countries)
	for _, c := range countries {
		ff.Countries = append(ff.Countries, option{c, c})
	}
	for _, k := range model.OutletKinds {
		ff.Kinds = append(ff.Kinds, option{k, kindName(t, k)})
	}
	f, loc, err := search.ParseFilter(func(n string) []string { return q[n] })
	if err != nil {
		if fe, ok := err.(*search.FilterError); ok {
			return ff, f, nil, t.BadFilter + " (" + fe.Param + ": " + fe.Msg + ")", nil
		}
		return ff, f, nil, "", err
	}
	return ff, f, loc, "", nil
}

// dateInputType is the type of the input that shows v without losing it:
// a date input holds a day (YYYY-MM-DD) only.
func dateInputType(v string) string {
	if _, err := time.Parse(time.DateOnly, v); v == "" || err == nil {
		return "date"
	}
	return "text"
}
