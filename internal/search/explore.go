package search

import (
	"context"
	"fmt"
	"time"

	"khabar/internal/store"
)

// Intervals of an attention series.
const (
	IntervalDay   = "day"
	IntervalWeek  = "week"
	IntervalMonth = "month"
)

// MaxBuckets bounds the points of an attention series; MaxQueries the
// queries compared side by side.
const (
	MaxBuckets = 2000
	MaxQueries = 5
)

// AttentionRequest asks how much one or more queries are covered, when,
// where and by whom.
type AttentionRequest struct {
	Queries []string
	Filter  store.Filter
	// Location is the zone days, weeks (from Monday) and months are
	// counted in; nil means UTC.
	Location *time.Location
	// Interval is IntervalDay, IntervalWeek or IntervalMonth; "" picks
	// one from the span: days up to 120 days, weeks up to two years,
	// months beyond.
	Interval string
	// Top bounds the entities and tags of each query (0 means 10).
	Top int
}

// Point is one interval of a series: the matches published in it, and
// their share of every article of the interval under the same filters.
type Point struct {
	Start time.Time // the interval's start in the request's zone
	Count int
	Share float64
}

// Attention is what one query gets: the numbers agree, as the series
// and BySource sum to Total, which is the search total for the same
// query and filters (full matches only).
type Attention struct {
	Query       string
	Total       int
	Series      []Point
	BySource    []store.OutletCount
	ByCountry   []store.TermCount
	TopEntities []store.TermCount
	TopTags     []store.TermCount
}

// AttentionResult holds one Attention a query, in the request's order,
// over the same intervals.
type AttentionResult struct {
	Interval string
	Location *time.Location
	Queries  []Attention
}

// Explorer is the monitor's view over full matches, which the portal and
// the API use: Service implements it.
type Explorer interface {
	Attention(ctx context.Context, req AttentionRequest) (AttentionResult, error)
	// Export calls fn for every article matching every word of query under
	// f, in id order (the rows of Results.Total for the same request).
	Export(ctx context.Context, query string, f store.Filter, fn func(*store.MatchRow) error) error
}

var _ Explorer = (*Service)(nil)

// Attention counts each query's full matches by interval, outlet, country,
// entity and tag. Every query is counted over the same intervals, from
// the filter's bounds or, without them, from the first to the last match
// of any query.
func (s *Service) Attention(ctx context.Context, req AttentionRequest) (AttentionResult, error) {
	if len(req.Queries) == 0 {
		return AttentionResult{}, filterErr("q", "a query is required")
	}
	if len(req.Queries) > MaxQueries {
		return AttentionResult{}, filterErr("q", "at most %d queries side by side, got %d", MaxQueries, len(req.Queries))
	}
	loc := req.Location
	if loc == nil {
		loc = time.UTC
	}
	switch req.Interval {
	case "", IntervalDay, IntervalWeek, IntervalMonth:
	default:
		return AttentionResult{}, filterErr("interval", "want day, week or month, got %q", req.Interval)
	}
	counts := make([]store.Attention, len(req.Queries))
	var first, last time.Time
	for i, q := range req.Queries {
		parsed := Parse(s.an, q)
		if len(parsed.Clauses) == 0 {
			// Nothing to match (punctuation only): no article matches.
			counts[i] = store.Attention{}
			continue
		}
		a, err := s.st.Attention(ctx, store.TextQuery{Clauses: parsed.Clauses, Filter: req.Filter}, req.Top)
		if err != nil {
			return AttentionResult{}, fmt.Errorf("search: attention %q: %w", q, err)
		}
		counts[i] = a
		if n := len(a.Times); n > 0 {
			if first.IsZero() || a.Times[0].Before(first) {
				first = a.Times[0]
			}
			if a.Times[n-1].After(last) {
				last = a.Times[n-1]
			}
		}
	}
	start, end := req.Filter.Since, req.Filter.Until
	if start.IsZero() {
		start = first
	}
	if end.IsZero() && !last.IsZero() {
		end = last.Add(time.Microsecond)
	}
	out := AttentionResult{Interval: req.Interval, Location: loc}
	var edges []time.Time
	if !start.IsZero() && !end.IsZero() && start.Before(end) {
		if out.Interval == "" {
			out.Interval = autoInterval(start, end)
		}
		var err error
		if edges, err = Edges(start, end, out.Interval, loc); err != nil {
			return AttentionResult{}, err
		}
	} else if out.Interval == "" {
		out.Interval = IntervalDay
	}
	var all []int
	if len(edges) > 1 {
		var err error
		if all, err = s.st.CountByTime(ctx, req.Filter, edges); err != nil {
			return AttentionResult{}, fmt.Errorf("search: attention: all articles: %w", err)
		}
	}
	for i, q := range req.Queries {
		c := counts[i]
		a := Attention{Query: q, Total: c.Total, BySource: nonNil(c.BySource), ByCountry: nonNil(c.ByCountry),
			TopEntities: nonNil(c.TopEntities), TopTags: nonNil(c.TopTags), Series: []Point{}}
		if len(edges) > 1 {
			a.Series = make([]Point, len(edges)-1)
			j := 0
			for k := range a.Series {
				a.Series[k].Start = edges[k]
				for j < len(c.Times) && c.Times[j].Before(edges[k+1]) {
					if !c.Times[j].Before(edges[k]) {
						a.Series[k].Count++
					}
					j++
				}
				if all[k] > 0 {
					a.Series[k].Share = float64(a.Series[k].Count) / float64(all[k])
				}
			}
		}
		out.Queries = append(out.Queries, a)
	}
	return out, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// autoInterval picks days up to 120 days, weeks up to two years, months
// beyond.
func autoInterval(start, end time.Time) string {
	switch d := end.Sub(start); {
	case d <= 120*24*time.Hour:
		return IntervalDay
	case d <= 2*366*24*time.Hour:
		return IntervalWeek
	}
	return IntervalMonth
}

// BucketStart is the start of the interval holding t in loc: its day's
// midnight, the Monday of its week, the first of its month.
func BucketStart(t time.Time, interval string, loc *time.Location) time.Time {
	lt := t.In(loc)
	y, m, d := lt.Date()
	switch interval {
	case IntervalWeek:
		wd := (int(lt.Weekday()) + 6) % 7 // Monday 0
		return time.Date(y, m, d-wd, 0, 0, 0, 0, loc)
	case IntervalMonth:
		return time.Date(y, m, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// Edges returns the starts of the intervals covering [start, end) and
// the end of the last one: len(intervals)+1 times. More than MaxBuckets
// intervals is an error naming the interval.
func Edges(start, end time.Time, interval string, loc *time.Location) ([]time.Time, error) {
	e := BucketStart(start, interval, loc)
	edges := []time.Time{e}
	for e.Before(end) {
		if len(edges) > MaxBuckets {
			return nil, filterErr("interval", "more than %d %ss between %s and %s; choose a longer interval or narrow from and to",
				MaxBuckets, interval, start.In(loc).Format("2006-01-02"), end.In(loc).Format("2006-01-02"))
		}
		y, m, d := e.Date()
		switch interval {
		case IntervalWeek:
			e = time.Date(y, m, d+7, 0, 0, 0, 0, loc)
		case IntervalMonth:
			e = time.Date(y, m+1, 1, 0, 0, 0, 0, loc)
		default:
			e = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
		}
		edges = append(edges, e)
	}
	if len(edges) < 2 {
		edges = append(edges, end)
	}
	return edges, nil
}

// Export calls fn for every article matching every word of query under
// f, in id order: exactly the articles Search counts in Results.Total
// for the same query and filter. A query with nothing to match gives
// none.
func (s *Service) Export(ctx context.Context, query string, f store.Filter, fn func(*store.MatchRow) error) error {
	q := Parse(s.an, query)
	if len(q.Clauses) == 0 {
		return nil
	}
	if err := s.st.EachMatch(ctx, store.TextQuery{Clauses: q.Clauses, Filter: f}, fn); err != nil {
		return fmt.Errorf("search: export %q: %w", query, err)
	}
	return nil
}
