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
	ff := FilterForm{From: first("from"), To: first("to"), TZ: first("tz"), Source: first("source"),
		Country: first("country"), Kind: first("kind"), Tag: first("tag"), Entity: first("entity")}
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
