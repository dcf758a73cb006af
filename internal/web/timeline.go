package web

import (
	"fmt"
	"time"

	"khabar/internal/model"
)

// timelineSVG is a story's timeline drawn as SVG (no script): one row per
// outlet, a dot per article at its publication, a ring per update, each a
// link to the article with its time in a tooltip.
type timelineSVG struct {
	Width, Height int
	LabelX        int // where the outlet names end (they are right-aligned there)
	Rows          []timelineRow
	Dots          []timelineDot
	Ticks         []timelineTick
	AxisY         int
	X0, X1        int
}

type timelineRow struct {
	Y     int
	Label string
}

type timelineDot struct {
	X, Y      int
	ArticleID int64
	Title     string
	Update    bool
}

type timelineTick struct {
	X     int
	Label string
}

// Sizes of the timeline, in SVG units.
const (
	tlWidth    = 720
	tlLabels   = 170 // width of the outlet names' column
	tlRow      = 22
	tlTop      = 14
	tlMaxRows  = 20
	tlMarginIn = 14
)

// newTimeline lays out the events; label formats a time for tooltips and
// ticks. It returns nil without events.
func newTimeline(ev []model.TimelineEvent, label func(time.Time) string, updateWord string) *timelineSVG {
	if len(ev) == 0 {
		return nil
	}
	t0, t1 := ev[0].Time, ev[0].Time
	rowOf := map[string]int{}
	var rows []string
	for _, e := range ev {
		if e.Time.Before(t0) {
			t0 = e.Time
		}
		if e.Time.After(t1) {
			t1 = e.Time
		}
		if _, ok := rowOf[e.Source]; !ok && len(rows) < tlMaxRows {
			rowOf[e.Source] = len(rows)
			rows = append(rows, e.Source)
		}
	}
	span := t1.Sub(t0)
	x0, x1 := tlLabels+tlMarginIn, tlWidth-tlMarginIn
	xOf := func(t time.Time) int {
		if span <= 0 {
			return (x0 + x1) / 2
		}
		return x0 + int(float64(x1-x0)*float64(t.Sub(t0))/float64(span))
	}
	tl := &timelineSVG{Width: tlWidth, LabelX: tlLabels, X0: x0, X1: x1}
	for i, r := range rows {
		tl.Rows = append(tl.Rows, timelineRow{Y: tlTop + i*tlRow, Label: r})
	}
	tl.AxisY = tlTop + len(rows)*tlRow
	tl.Height = tl.AxisY + 24
	for _, e := range ev {
		row, ok := rowOf[e.Source]
		if !ok {
			continue
		}
		title := e.Source + " · " + label(e.Time)
		if e.Update {
			title += " (" + updateWord + ")"
		}
		tl.Dots = append(tl.Dots, timelineDot{X: xOf(e.Time), Y: tlTop + row*tlRow, ArticleID: e.ArticleID, Title: title, Update: e.Update})
	}
	tl.Ticks = append(tl.Ticks, timelineTick{X: x0, Label: label(t0)})
	if span > 0 {
		tl.Ticks = append(tl.Ticks, timelineTick{X: x1, Label: label(t1)})
	}
	return tl
}

// ViewBox is the SVG's viewBox attribute.
func (t *timelineSVG) ViewBox() string { return fmt.Sprintf("0 0 %d %d", t.Width, t.Height) }
