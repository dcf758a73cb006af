package apitest

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// explored returns the articles matching q, by id: every clause's exact
// forms as substrings of the title and text (no analysis), under q's
// filters.
func (s *Store) explored(q store.TextQuery) []model.Article {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.sortedLocked(func(a *model.Article) bool {
		for _, c := range q.Clauses {
			if !strings.Contains(a.Title+" "+a.Text, strings.Join(c.Exact, " ")) {
				return false
			}
		}
		if len(q.SourceIDs) > 0 && !slices.Contains(q.SourceIDs, a.SourceID) {
			return false
		}
		return s.filterLocked(q.Filter, a)
	})
	slices.SortFunc(out, func(x, y model.Article) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

func (s *Store) filterLocked(f store.Filter, a *model.Article) bool {
	return filterMatch(f, a, s.outlets[a.Outlet])
}

// filterMatch reports whether f keeps a, whose outlet profile is o.
func filterMatch(f store.Filter, a *model.Article, o model.Outlet) bool {
	t := when(a)
	switch {
	case !f.Since.IsZero() && t.Before(f.Since), !f.Until.IsZero() && !t.Before(f.Until):
		return false
	case (len(f.SourceIDs) > 0 || len(f.Outlets) > 0) && !slices.Contains(f.SourceIDs, a.SourceID) && !slices.Contains(f.Outlets, a.Outlet):
		return false
	case len(f.Countries) > 0 && (a.Outlet == "" || !slices.Contains(f.Countries, o.Country)):
		return false
	case len(f.Kinds) > 0 && (a.Outlet == "" || !slices.Contains(f.Kinds, o.Kind)):
		return false
	case f.Tag != "" && !slices.ContainsFunc(a.Keywords, func(k string) bool { return strings.EqualFold(k, f.Tag) }):
		return false
	case f.Entity != "" && !slices.ContainsFunc(a.Entities, func(e model.Entity) bool { return e.Name == f.Entity }):
		return false
	}
	return true
}

// Attention implements store.Explorer.
func (s *Store) Attention(ctx context.Context, q store.TextQuery, top int) (store.Attention, error) {
	if top <= 0 {
		top = 10
	}
	out := store.Attention{Times: []time.Time{}}
	groups := map[string]*store.OutletGroup{}
	ents, tags := map[string]int{}, map[string]int{}
	types := map[string]string{}
	matches := s.explored(q)
	recent := slices.Clone(matches)
	slices.SortFunc(recent, func(x, y model.Article) int { return cmp.Or(when(&y).Compare(when(&x)), cmp.Compare(y.ID, x.ID)) })
	sample := map[int64]bool{}
	for _, a := range recent[:min(len(recent), store.TopSample)] {
		sample[a.ID] = true
	}
	for _, a := range matches {
		out.Times = append(out.Times, when(&a))
		k := store.OutletKey(&a)
		if groups[k] == nil {
			groups[k] = &store.OutletGroup{Key: k}
		}
		groups[k].Add(a.SourceID, a.SourceName)
		if !sample[a.ID] {
			continue
		}
		seen := map[string]bool{}
		for _, e := range a.Entities {
			if !seen[e.Name] {
				seen[e.Name] = true
				ents[e.Name]++
				types[e.Name] = e.Type
			}
		}
		for _, t := range a.Keywords {
			if !seen["#"+t] {
				seen["#"+t] = true
				tags[t]++
			}
		}
	}
	out.Total = len(out.Times)
	slices.SortFunc(out.Times, func(a, b time.Time) int { return a.Compare(b) })
	profiles, _ := s.ListOutlets(ctx)
	out.BySource, out.ByCountry = store.CountOutlets(profiles, groups)
	out.TopEntities = topCounts(ents, types, top)
	out.TopTags = topCounts(tags, nil, top)
	return out, nil
}

func topCounts(m map[string]int, types map[string]string, top int) []store.TermCount {
	out := []store.TermCount{}
	for k, n := range m {
		out = append(out, store.TermCount{Term: k, Type: types[k], Count: n})
	}
	slices.SortFunc(out, func(a, b store.TermCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Term, b.Term))
	})
	return out[:min(len(out), top)]
}

// CountByTime implements store.Explorer.
func (s *Store) CountByTime(_ context.Context, f store.Filter, edges []time.Time) ([]int, error) {
	if len(edges) < 2 {
		return []int{}, nil
	}
	counts := make([]int, len(edges)-1)
	for _, a := range s.explored(store.TextQuery{Filter: f}) {
		t := when(&a)
		i, found := slices.BinarySearchFunc(edges, t, func(e, t time.Time) int { return e.Compare(t) })
		if !found {
			i--
		}
		if i >= 0 && i < len(counts) {
			counts[i]++
		}
	}
	return counts, nil
}

// EachMatch implements store.Explorer.
func (s *Store) EachMatch(_ context.Context, q store.TextQuery, fn func(*store.MatchRow) error) error {
	for _, a := range s.explored(q) {
		s.mu.Lock()
		o := s.outlets[a.Outlet]
		s.mu.Unlock()
		row := store.MatchRow{ID: a.ID, URL: a.URL, Title: a.Title,
			Source: store.OutletDisplayName(o.NameAR, o.NameEN, a.SourceName, a.Outlet), Country: o.Country,
			Published: a.Published, Tags: a.Keywords}
		for _, e := range a.Entities {
			row.Entities = append(row.Entities, e.Name)
		}
		if err := fn(&row); err != nil {
			return err
		}
	}
	return nil
}
