package web

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"khabar/internal/store"
)

// statsTTL is how long trend and per-source counts are reused: they cost
// a few dozen queries and change slowly.
const statsTTL = 5 * time.Minute

// trendDays is the history a trend is compared with (and its sparkline spans).
const trendDays = 7

// Trend is a term rising in the last day beyond what the week before
// makes expected.
type Trend struct {
	Term, Type string
	Count      int     // articles in the last 24 hours
	Before     float64 // articles per day over the week before
	// Expected is Count's expectation from the week before: the term's
	// share of the week's articles times the last day's articles.
	Expected float64
	Days     []int // articles per day, oldest first, the last day last
	Spark    template.HTML
}

// Activity is a source's articles per day, oldest first.
type Activity struct {
	Days  []int
	Total int
	Spark template.HTML
}

// statsCache keeps the last computed trends and source activity.
type statsCache struct {
	mu       sync.Mutex
	trendsAt time.Time
	tags     []Trend
	entities []Trend
	actAt    time.Time
	activity map[int64]Activity
}

// anchor is the end of the trend windows: now, or the newest article's date
// when the store holds only older news (an imported archive), so that
// trends mean something there too.
func (s *Server) anchor(ctx context.Context) (time.Time, error) {
	now := s.now()
	as, _, err := s.cfg.Store.ListArticles(ctx, store.ArticleFilter{Limit: 1})
	if err != nil {
		return now, err
	}
	if len(as) == 1 && !as[0].Published.IsZero() && as[0].Published.Before(now.Add(-24*time.Hour)) {
		return as[0].Published.Add(time.Second), nil
	}
	return now, nil
}

// Rising is judged against what the day's volume makes expected, not
// against a raw daily mean: on a busy day (twice the articles) every
// common word doubles, and a share button or a wire's name led the list.
const (
	// trendFloor is the fewest articles of the last day a rising term
	// needs: below it, chance.
	trendFloor = 5
	// trendRise is how many times its expectation (plus one) a term's
	// count (plus one) must be to rise at all.
	trendRise = 2.0
	// furnitureShare and furnitureMin: a term in at least this share of
	// the articles of the last day of one outlet having at least
	// furnitureMin of them is page furniture (a share button, the
	// outlet's own name, a section), never news.
	furnitureShare = 0.5
	furnitureMin   = 10
	// trendTop is how many of each day's terms are counted.
	trendTop = 1000
)

// trends returns the rising tags and entities, at most n of each. A term
// rises when its count over the last day is well above its expectation:
// its share of the week's articles before, times the last day's articles.
// Terms are ranked by (count+1)/(expected+1) × ln(1+count); a term needs
// trendFloor articles and to be trendRise times its expectation. Outlet
// and agency names (Config.OutletNames and the sources' titles) and page
// furniture (CommonTerms) never trend. The sparkline draws the term's share
// of each day's articles, so it shows the rise the ranking saw.
func (s *Server) trends(ctx context.Context, n int) (tags, ents []Trend, err error) {
	c := &s.stats
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.trendsAt.IsZero() && s.now().Sub(c.trendsAt) < statsTTL {
		return c.tags, c.entities, nil
	}
	end, err := s.anchor(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("web: trend anchor: %w", err)
	}
	dayEnd := func(i int) time.Time { return end.Add(-time.Duration(trendDays-i) * 24 * time.Hour) }
	// volume[i] counts the articles of day i, 0 the oldest, trendDays the last 24 hours.
	volume := make([]int, trendDays+1)
	for i := range volume {
		_, v, err := s.cfg.Store.ListArticles(ctx, store.ArticleFilter{Since: dayEnd(i).Add(-24 * time.Hour), Until: dayEnd(i), Limit: 1})
		if err != nil {
			return nil, nil, fmt.Errorf("web: trend volume: %w", err)
		}
		volume[i] = v
	}
	furniture, err := s.furniture(ctx, end)
	if err != nil {
		return nil, nil, err
	}
	names, err := s.outletNames(ctx)
	if err != nil {
		return nil, nil, err
	}
	count := func(top func(context.Context, time.Time, time.Time, int) ([]store.TermCount, error)) ([]Trend, error) {
		days := make([]map[[2]string]int, trendDays+1)
		for i := range days {
			ts, err := top(ctx, dayEnd(i).Add(-24*time.Hour), dayEnd(i), trendTop)
			if err != nil {
				return nil, err
			}
			days[i] = map[[2]string]int{}
			for _, t := range ts {
				days[i][[2]string{t.Term, t.Type}] = t.Count
			}
		}
		sumV := 0
		for _, v := range volume[:trendDays] {
			sumV += v
		}
		var out []Trend
		for k, cnt := range days[trendDays] {
			if key := s.nameKey(k[0]); cnt < trendFloor || furniture[key] || names[key] {
				continue
			}
			tr := Trend{Term: k[0], Type: k[1], Count: cnt, Days: make([]int, trendDays+1)}
			sum := 0
			for i := range days {
				tr.Days[i] = days[i][k]
				if i < trendDays {
					sum += tr.Days[i]
				}
			}
			tr.Before = float64(sum) / trendDays
			if sumV > 0 {
				tr.Expected = float64(sum) / float64(sumV) * float64(volume[trendDays])
			}
			if float64(cnt+1) < trendRise*(tr.Expected+1) {
				continue
			}
			shares := make([]int, len(tr.Days))
			for i, d := range tr.Days {
				if volume[i] > 0 {
					shares[i] = int(math.Round(10000 * float64(d) / float64(volume[i])))
				}
			}
			tr.Spark = sparkline(shares, 16)
			out = append(out, tr)
		}
		score := func(t Trend) float64 {
			return float64(t.Count+1) / (t.Expected + 1) * math.Log1p(float64(t.Count))
		}
		slices.SortFunc(out, func(a, b Trend) int {
			if d := score(b) - score(a); d != 0 {
				return int(math.Copysign(1, d))
			}
			return strings.Compare(a.Term, b.Term)
		})
		return out[:min(len(out), n)], nil
	}
	if tags, err = count(s.cfg.Store.TopTags); err != nil {
		return nil, nil, fmt.Errorf("web: trending tags: %w", err)
	}
	if ents, err = count(s.cfg.Store.TopEntities); err != nil {
		return nil, nil, fmt.Errorf("web: trending entities: %w", err)
	}
	c.trendsAt, c.tags, c.entities = s.now(), tags, ents
	return tags, ents, nil
}

// furniture returns the keywords and names that are page furniture of
// some outlet over the last day (furniture of every day is there too),
// as one set: a share label found as a name is furniture as a keyword
// too, where it was extracted from fewer pages.
func (s *Server) furniture(ctx context.Context, end time.Time) (map[string]bool, error) {
	out := map[string]bool{}
	ts, es, err := s.cfg.Store.CommonTerms(ctx, end.Add(-24*time.Hour), end, furnitureShare, furnitureMin)
	if err != nil {
		return nil, fmt.Errorf("web: page furniture: %w", err)
	}
	for _, t := range append(ts, es...) {
		out[s.nameKey(t)] = true
	}
	return out, nil
}

// outletNames returns the keys (nameKey) of the names that never trend:
// Config.OutletNames, the titles of the sources and the names of the
// outlet profiles, each also after the words news organisations are
// named with (وكالة، صحيفة ...).
func (s *Server) outletNames(ctx context.Context) (map[string]bool, error) {
	srcs, err := s.cfg.Store.ListSources(ctx)
	if err != nil {
		return nil, fmt.Errorf("web: outlet names: %w", err)
	}
	outs, err := s.cfg.Store.ListOutlets(ctx)
	if err != nil {
		return nil, fmt.Errorf("web: outlet names: %w", err)
	}
	names := slices.Clone(s.cfg.OutletNames)
	for _, src := range srcs {
		names = append(names, src.Title)
	}
	for _, o := range outs {
		names = append(names, o.NameAR, o.NameEN)
	}
	out := map[string]bool{}
	for _, n := range names {
		k := s.nameKey(n)
		if k == "" {
			continue
		}
		out[k] = true
		for _, head := range outletHeads {
			out[s.nameKey(head+" "+n)] = true
		}
	}
	return out, nil
}

// outletHeads are the words an outlet's name follows when it is written
// in full: "صحيفة عكاظ", "وكالة الأنباء السعودية".
var outletHeads = []string{"وكالة", "صحيفة", "جريدة", "قناة", "موقع", "مجلة", "إذاعة", "شبكة", "تلفزيون"}

// nameKey is Config.NameKey, or the term with its spaces collapsed.
func (s *Server) nameKey(t string) string {
	if s.cfg.NameKey != nil {
		return s.cfg.NameKey(t)
	}
	return strings.Join(strings.Fields(t), " ")
}

// activityDays is the span of the per-source chart.
const activityDays = 14

// activity counts each source's articles per day over the last two weeks.
func (s *Server) activity(ctx context.Context, ids []int64) (map[int64]Activity, error) {
	c := &s.stats
	c.mu.Lock()
	defer c.mu.Unlock()
	fresh := !c.actAt.IsZero() && s.now().Sub(c.actAt) < statsTTL
	if fresh {
		for _, id := range ids {
			if _, ok := c.activity[id]; !ok {
				fresh = false // a source added since
			}
		}
	}
	if fresh {
		return c.activity, nil
	}
	end, err := s.anchor(ctx)
	if err != nil {
		return nil, fmt.Errorf("web: activity anchor: %w", err)
	}
	out := make(map[int64]Activity, len(ids))
	for _, id := range ids {
		a := Activity{Days: make([]int, activityDays)}
		for i := range a.Days {
			until := end.Add(-time.Duration(activityDays-1-i) * 24 * time.Hour)
			_, n, err := s.cfg.Store.ListArticles(ctx, store.ArticleFilter{SourceID: id, Since: until.Add(-24 * time.Hour), Until: until, Limit: 1})
			if err != nil {
				return nil, fmt.Errorf("web: activity of source %d: %w", id, err)
			}
			a.Days[i] = n
			a.Total += n
		}
		a.Spark = sparkline(a.Days, 16)
		out[id] = a
	}
	c.actAt, c.activity = s.now(), out
	return out, nil
}

// sparkline draws counts (oldest first) as a small inline SVG bar chart:
// one path of vertical strokes 4 units wide, 5 apart, heights in whole
// units, so that sixty of them stay light. Only numbers reach the markup,
// so it is safe HTML by construction. Bars run left to right, oldest
// first, in both page directions, as charts of time do in Arabic print.
func sparkline(counts []int, h int) template.HTML {
	if len(counts) == 0 {
		return ""
	}
	w := 5*len(counts) - 1
	peak := slices.Max(counts)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="spark" width="%d" height="%d" viewBox="0 0 %d %d" aria-hidden="true"><path d="M2 %d`, w, h, w, h, h)
	prev := 0
	for i, c := range counts {
		bh := 1 // a hairline marks empty days
		if peak > 0 {
			bh = max(1, int(math.Round(float64(h*c)/float64(peak))))
		}
		if i > 0 {
			b.WriteString("m5 " + strconv.Itoa(prev))
		}
		b.WriteString("v-" + strconv.Itoa(bh))
		prev = bh
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String())
}
