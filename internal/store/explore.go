package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"khabar/internal/model"
)

// Filter narrows a text query, an attention count or an export to articles
// by what is known of them besides their words. Zero fields do not filter;
// the fields that are set must all hold.
type Filter struct {
	// Since (inclusive) and Until (exclusive) bound the article's time:
	// published, else fetched.
	Since, Until time.Time
	// SourceIDs and Outlets together: the article comes from one of these
	// sources or one of these outlets (by key, model.Article.Outlet), so
	// that imported articles, which have no source, filter too.
	SourceIDs []int64
	Outlets   []string
	// Countries and Kinds: the article's outlet profile has one of these
	// countries (ISO 3166-1 alpha-2, upper case) and one of these kinds
	// (model.OutletKinds). An article without a profile has neither.
	Countries []string
	Kinds     []string
	// Tag is a keyword, matched on its normalized form (NormalizeTag);
	// Entity an entity's canonical name.
	Tag    string
	Entity string
}

// IsZero reports whether f filters nothing.
func (f Filter) IsZero() bool {
	return f.Since.IsZero() && f.Until.IsZero() && len(f.SourceIDs) == 0 && len(f.Outlets) == 0 &&
		len(f.Countries) == 0 && len(f.Kinds) == 0 && f.Tag == "" && f.Entity == ""
}

// OutletCount is an outlet and how many articles it gave.
type OutletCount struct {
	Outlet   string // OutletKey of its articles
	Name     string // its display name: the profile's, else the source's name, else the key
	SourceID int64  // the one source its articles came from; 0 for none or several
	Country  string
	Count    int
}

// Attention is what a store counts of the full matches of a text query.
type Attention struct {
	Total int
	// Times are the times (published, else fetched) of the matches,
	// ascending: one a match, so that the caller buckets them in any
	// calendar and time zone.
	Times []time.Time
	// BySource counts the matches by outlet (OutletKey), most first, ties
	// by name; every match is counted once, so the counts sum to Total.
	BySource []OutletCount
	// ByCountry counts the matches by their outlet profile's country,
	// most first; matches without a country are left out.
	ByCountry []TermCount
	// TopEntities and TopTags count the matches that name each entity (with
	// its most frequent type) and carry each keyword (in its most frequent
	// written form), most first, at most the limit asked: among the
	// TopSample most recent matches (all of them when fewer), so that a
	// word in half the store costs no more than a rarer one.
	TopEntities []TermCount
	TopTags     []TermCount
}

// TopSample is how many of the most recent matches Attention's top
// entities and tags are counted among.
const TopSample = 1000

// MatchRow is one article of an export.
type MatchRow struct {
	ID        int64
	URL       string
	Title     string
	Source    string // display name (as Attention.BySource names it)
	Country   string // its outlet profile's country, "" for none
	Published time.Time
	Tags      []string // keywords, in the article's order
	Entities  []string // entity names, in the article's order
}

// Explorer counts and lists every full match of a text query: the
// monitor's view (attention over time, by outlet and country) and exports.
// A TextQuery's Any, Limit, Offset, Around and NoTotal are ignored here:
// every word must match (no partial matches ever enter these numbers). A
// query without clauses matches every article under its filter.
type Explorer interface {
	// Attention counts the matches of q; top bounds TopEntities and
	// TopTags (0 means 10).
	Attention(ctx context.Context, q TextQuery, top int) (Attention, error)
	// CountByTime counts the articles under f in each interval
	// [edges[i], edges[i+1]) (len(edges)-1 counts; edges ascending).
	CountByTime(ctx context.Context, f Filter, edges []time.Time) ([]int, error)
	// EachMatch calls fn for every match of q in id order, reading in
	// pages so that memory stays flat however many there are; an error
	// from fn stops it. fn must not keep row past its return.
	EachMatch(ctx context.Context, q TextQuery, fn func(row *MatchRow) error) error
}

// OutletGroup gathers the matches of one outlet (OutletKey) as a backend
// reads them, for CountOutlets.
type OutletGroup struct {
	Key        string
	SourceName string // the first non-empty source name seen
	minSrc     int64
	maxSrc     int64
	Count      int
}

// Add counts one article from source src named name.
func (g *OutletGroup) Add(src int64, name string) {
	if g.Count == 0 {
		g.minSrc, g.maxSrc = src, src
	}
	g.minSrc, g.maxSrc = min(g.minSrc, src), max(g.maxSrc, src)
	if g.SourceName == "" {
		g.SourceName = name
	}
	g.Count++
}

// CountOutlets turns the groups into Attention's BySource (names and
// countries from the profiles) and ByCountry, most first.
func CountOutlets(profiles []model.Outlet, groups map[string]*OutletGroup) ([]OutletCount, []TermCount) {
	byKey := make(map[string]model.Outlet, len(profiles))
	for _, o := range profiles {
		byKey[o.Key] = o
	}
	bySource := make([]OutletCount, 0, len(groups))
	countries := map[string]int{}
	for k, g := range groups {
		o := byKey[k]
		oc := OutletCount{Outlet: k, Name: OutletDisplayName(o.NameAR, o.NameEN, g.SourceName, k),
			Country: o.Country, Count: g.Count}
		if g.minSrc == g.maxSrc {
			oc.SourceID = g.minSrc
		}
		bySource = append(bySource, oc)
		if o.Country != "" {
			countries[o.Country] += g.Count
		}
	}
	slices.SortFunc(bySource, func(a, b OutletCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Outlet, b.Outlet))
	})
	byCountry := make([]TermCount, 0, len(countries))
	for c, n := range countries {
		byCountry = append(byCountry, TermCount{Term: c, Count: n})
	}
	slices.SortFunc(byCountry, func(a, b TermCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Term, b.Term))
	})
	return bySource, byCountry
}

// OutletDisplayName is the name readers see for an outlet: its profile's
// Arabic name, else its English one, else the source's name, else the key
// (model.Article.DisplaySource, with the key as a last resort).
func OutletDisplayName(nameAR, nameEN, sourceName, key string) string {
	return cmp.Or(nameAR, nameEN, sourceName, key)
}
