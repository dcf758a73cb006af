package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store"
)

// Charts are drawn here, as SVG the page carries (no script): attention
// over time as one line a query, outlets and countries as bars. In a
// right-to-left page time runs from right to left and bars grow from the
// right, where their labels stand. Every chart has a table under it with
// the same numbers, for screen readers and for copying.

// Sizes of the charts, in SVG units.
const (
	chartWidth   = 720
	chartHeight  = 220
	chartPad     = 36 // room for the axis labels
	barRow       = 22
	barLabels    = 170
	maxChartBars = 15
)

// lineChart is attention over time: a polyline a query.
type lineChart struct {
	Width, Height int
	Lines         []chartLine
	XTicks        []chartTick
	YTicks        []chartTick
	AxisY         int // the baseline's y
	X0, X1        int // the baseline's ends
	Top           int
}

type chartLine struct {
	Class  string // q0, q1 …: a colour a query
	Points string // the polyline's points
	Dots   []chartDot
}

type chartDot struct {
	X, Y  int
	Title string
}

type chartTick struct {
	X, Y   int
	Label  string
	Anchor string
}

// ViewBox is the SVG's viewBox attribute.
func (c *lineChart) ViewBox() string { return fmt.Sprintf("0 0 %d %d", c.Width, c.Height) }

// newLineChart lays out the series of each query (all over the same
// intervals); label writes an interval's start, num a count. nil when
// there is no interval.
func newLineChart(qs []search.Attention, rtl bool, label func(time.Time) string, num func(int) string) *lineChart {
	if len(qs) == 0 || len(qs[0].Series) == 0 {
		return nil
	}
	n := len(qs[0].Series)
	peak := 1
	for _, q := range qs {
		for _, p := range q.Series {
			peak = max(peak, p.Count)
		}
	}
	c := &lineChart{Width: chartWidth, Height: chartHeight, Top: 12}
	c.X0, c.X1, c.AxisY = chartPad+12, chartWidth-12, chartHeight-chartPad
	if rtl {
		c.X0, c.X1 = 12, chartWidth-chartPad-12
	}
	xOf := func(i int) int {
		f := 0.5
		if n > 1 {
			f = float64(i) / float64(n-1)
		}
		if rtl {
			f = 1 - f
		}
		return c.X0 + int(f*float64(c.X1-c.X0))
	}
	yOf := func(v int) int { return c.AxisY - int(float64(v)/float64(peak)*float64(c.AxisY-c.Top)) }
	for k, q := range qs {
		l := chartLine{Class: "q" + strconv.Itoa(k%4)}
		var pts []string
		for i, p := range q.Series {
			x, y := xOf(i), yOf(p.Count)
			pts = append(pts, strconv.Itoa(x)+","+strconv.Itoa(y))
			if n <= 120 {
				l.Dots = append(l.Dots, chartDot{X: x, Y: y, Title: q.Query + " · " + label(p.Start) + " · " + num(p.Count)})
			}
		}
		l.Points = strings.Join(pts, " ")
		c.Lines = append(c.Lines, l)
	}
	first, last := qs[0].Series[0].Start, qs[0].Series[n-1].Start
	c.XTicks = append(c.XTicks, chartTick{X: xOf(0), Y: c.AxisY + 18, Label: label(first), Anchor: "middle"})
	if n > 1 {
		c.XTicks = append(c.XTicks, chartTick{X: xOf(n - 1), Y: c.AxisY + 18, Label: label(last), Anchor: "middle"})
	}
	if n > 4 {
		c.XTicks = append(c.XTicks, chartTick{X: xOf(n / 2), Y: c.AxisY + 18, Label: label(qs[0].Series[n/2].Start), Anchor: "middle"})
	}
	yx, anchor := c.X0-6, "end"
	if rtl {
		yx, anchor = c.X1+6, "start"
	}
	c.YTicks = []chartTick{{X: yx, Y: c.AxisY, Label: num(0), Anchor: anchor}, {X: yx, Y: c.Top + 4, Label: num(peak), Anchor: anchor}}
	// Ticks at the ends would be cut: keep them inside.
	for i := range c.XTicks {
		c.XTicks[i].X = min(max(c.XTicks[i].X, 70), chartWidth-70)
	}
	return c
}

// barChart is counts by outlet or country: a bar a row, longest first.
type barChart struct {
	Width, Height int
	Bars          []chartBar
	LabelledBy    string // the id of the heading that names the chart
}

type chartBar struct {
	X, Y, W, H  int
	Label       string
	LabelX      int
	LabelAnchor string
	Value       string
	ValueX      int
	ValueAnchor string
	Title       string
}

// ViewBox is the SVG's viewBox attribute.
func (c *barChart) ViewBox() string { return fmt.Sprintf("0 0 %d %d", c.Width, c.Height) }

type barItem struct {
	Label string
	Count int
}

// newBarChart draws up to maxChartBars items; nil without any.
func newBarChart(items []barItem, rtl bool, num func(int) string) *barChart {
	if len(items) == 0 {
		return nil
	}
	items = items[:min(len(items), maxChartBars)]
	peak := 1
	for _, it := range items {
		peak = max(peak, it.Count)
	}
	c := &barChart{Width: chartWidth, Height: len(items)*barRow + 8}
	span := chartWidth - barLabels - 60
	for i, it := range items {
		w := max(1, int(float64(it.Count)/float64(peak)*float64(span)))
		b := chartBar{Y: 4 + i*barRow, W: w, H: barRow - 6, Label: it.Label, Value: num(it.Count),
			Title: it.Label + ": " + num(it.Count)}
		if rtl {
			b.LabelX, b.LabelAnchor = chartWidth-4, "end"
			b.X = chartWidth - barLabels - w
			b.ValueX, b.ValueAnchor = b.X-4, "end"
		} else {
			b.LabelX, b.LabelAnchor = barLabels-8, "end"
			b.X = barLabels
			b.ValueX, b.ValueAnchor = b.X+w+4, "start"
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// exploreBlock is one query on the explore page.
type exploreBlock struct {
	search.Attention
	Outlets   *barChart
	Countries *barChart
	QS        string // the query and filters, for the search and CSV links
}

type explorePage struct {
	Base
	Queries  []string // what the form shows: the queries, and one empty to add
	Filters  FilterForm
	Interval string
	Error    string
	Result   *search.AttentionResult
	Blocks   []exploreBlock
	Chart    *lineChart
	// Rows are the series as a table: an interval a row, a count and a
	// share a query.
	Rows []exploreRow
	// Alert, when the page shows a saved alert's attention.
	Alert *model.Alert
}

type exploreRow struct {
	Start time.Time
	Cells []exploreCell // a query each
}

type exploreCell struct {
	Count int
	Share string
}

// Share writes a share as a percentage with one decimal.
func (p *explorePage) Share(f float64) string {
	tenths := int(f*1000 + 0.5)
	sep, pct := "٫", "٪"
	if p.Digits == DigitsLatn {
		sep, pct = ".", "%"
	}
	return p.Num(tenths/10) + sep + p.Num(tenths%10) + pct
}

// Period names an interval by its start: the day, the week's Monday, the
// month.
func (p *explorePage) Period(t time.Time) string {
	if p.Result != nil && p.Result.Interval == search.IntervalMonth {
		return p.T.Months[t.Month()-1] + " " + p.Num(t.Year())
	}
	return p.Date(t)
}

// explore answers GET /explore?q=…: the attention a query (or several,
// side by side) gets, as charts and tables.
func (s *Server) explore(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Explore == nil {
		s.notFound(w, r)
		return
	}
	p := &explorePage{Base: s.newBase(r, "")}
	p.Title = p.T.Explore
	var qs []string
	for _, q := range r.URL.Query()["q"] {
		if q = strings.TrimSpace(q); q != "" {
			qs = append(qs, q)
		}
	}
	if len(qs) > 0 {
		p.Query = qs[0]
	}
	s.renderExplore(w, r, p, qs)
}

// renderExplore fills p with the attention of qs under the filters of r
// and renders it.
func (s *Server) renderExplore(w http.ResponseWriter, r *http.Request, p *explorePage, qs []string) {
	ctx := r.Context()
	ff, filter, loc, bad, err := s.parseFilterForm(ctx, r, p.T)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: explore: %w", err))
		return
	}
	p.Filters = ff
	p.Interval = strings.TrimSpace(r.URL.Query().Get("interval"))
	p.Queries = append(append([]string{}, qs...), "")
	if len(p.Queries) > search.MaxQueries {
		p.Queries = p.Queries[:search.MaxQueries]
	}
	page := "explore"
	if p.Alert != nil {
		page = "alert"
	}
	if len(qs) == 0 {
		s.render(w, r, http.StatusOK, page, p)
		return
	}
	p.Title = strings.Join(qs, " · ") + " - " + p.T.Explore
	if p.Alert != nil {
		p.Title = p.Alert.Query + " - " + p.T.AlertPage
	}
	for _, q := range qs {
		if utf8.RuneCountInString(q) > maxQuery {
			p.Error = p.T.QueryTooLong
		}
	}
	if len(qs) > search.MaxQueries {
		p.Error = p.T.BadFilter + fmt.Sprintf(" (q: %d > %d)", len(qs), search.MaxQueries)
	}
	if bad != "" {
		p.Error = bad
	}
	if p.Error != "" {
		s.render(w, r, http.StatusBadRequest, page, p)
		return
	}
	res, err := s.cfg.Explore.Attention(ctx, search.AttentionRequest{Queries: qs, Filter: filter, Location: loc, Interval: p.Interval})
	var fe *search.FilterError
	if errors.As(err, &fe) {
		p.Error = p.T.BadFilter + " (" + fe.Param + ": " + fe.Msg + ")"
		s.render(w, r, http.StatusBadRequest, page, p)
		return
	}
	if errors.Is(err, store.ErrInvalid) {
		p.Error = p.T.InvalidQuery + " (" + err.Error() + ")"
		s.render(w, r, http.StatusBadRequest, page, p)
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: explore %q: %w", qs, err))
		return
	}
	p.Result = &res
	rtl := p.T.Dir == "rtl"
	p.Chart = newLineChart(res.Queries, rtl, p.Period, p.Num)
	for bi, a := range res.Queries {
		b := exploreBlock{Attention: a}
		b.QS = url.Values{"q": {a.Query}}.Encode()
		if ff.Encoded != "" {
			b.QS += "&" + ff.Encoded
		}
		var outs, ctry []barItem
		for _, o := range a.BySource {
			outs = append(outs, barItem{o.Name, o.Count})
		}
		for _, c := range a.ByCountry {
			ctry = append(ctry, barItem{c.Term, c.Count})
		}
		b.Outlets, b.Countries = newBarChart(outs, rtl, p.Num), newBarChart(ctry, rtl, p.Num)
		if b.Outlets != nil {
			b.Outlets.LabelledBy = fmt.Sprintf("b%d-o", bi)
		}
		if b.Countries != nil {
			b.Countries.LabelledBy = fmt.Sprintf("b%d-c", bi)
		}
		p.Blocks = append(p.Blocks, b)
	}
	if len(res.Queries) > 0 {
		for i, pt := range res.Queries[0].Series {
			row := exploreRow{Start: pt.Start}
			for _, a := range res.Queries {
				row.Cells = append(row.Cells, exploreCell{a.Series[i].Count, p.Share(a.Series[i].Share)})
			}
			p.Rows = append(p.Rows, row)
		}
	}
	s.render(w, r, http.StatusOK, page, p)
}

// alertPage answers GET /alerts/{id}: a saved alert is a saved
// exploration, and its page shows the attention its query gets (under
// its sources and its one name, when it has one) with the filters of the
// URL on top. It is for its owners — the readers who saved it as a search
// (a search follow of the alert) — and the admin; to anyone else it is not
// found. Only the admin sees its webhook and address.
func (s *Server) alertPage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Explore == nil {
		s.notFound(w, r)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.notFound(w, r)
		return
	}
	t := s.stringsFor(r)
	if s.cfg.CheckToken == nil {
		s.denied(w, r, http.StatusForbidden, t.WritesDisabled)
		return
	}
	se, ok := s.session(r)
	if !ok {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if !se.admin() {
		fs, err := s.cfg.Store.ListFollows(r.Context(), se.user)
		if err != nil {
			s.fail(w, r, fmt.Errorf("web: alert %d: follows: %w", id, err))
			return
		}
		if !slices.ContainsFunc(fs, func(f model.Follow) bool { return f.Kind == model.FollowSearch && f.AlertID == id }) {
			s.notFound(w, r)
			return
		}
	}
	a, err := s.cfg.Store.GetAlert(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: alert %d: %w", id, err))
		return
	}
	// The alert's own narrowing joins the URL's filters.
	q := r.URL.Query()
	for _, sid := range a.SourceIDs {
		q.Add("source", strconv.FormatInt(sid, 10))
	}
	if len(a.Entities) == 1 && q.Get("entity") == "" {
		q.Set("entity", a.Entities[0])
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	if !se.admin() {
		a.Webhook, a.Email = "", ""
	}
	p := &explorePage{Base: s.newBase(r, ""), Alert: &a}
	p.Query = a.Query
	s.renderExplore(w, r2, p, []string{a.Query})
}
