package extract

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"khabar/internal/arabic/dates"
)

func dateOptions(opts Options) dates.Options {
	return dates.Options{Now: opts.Now, Location: opts.Location}
}

// parseTextDate reads a date written in words, such as a meta tag holding
// "2 مارس 2024" or a <time> element without a datetime attribute.
func parseTextDate(s string, opts Options) (time.Time, bool) {
	if utf8.RuneCountInString(s) > maxLineRunes {
		return time.Time{}, false
	}
	r, ok := dates.Parse(s, dateOptions(opts))
	if !ok || r.Precision < dates.PrecisionDay {
		return time.Time{}, false
	}
	return r.Time, true
}

// dateLabel says which date a visible label announces.
type dateLabel uint8

const (
	noLabel dateLabel = iota
	publishedLabel
	modifiedLabel
)

// visibleLabels are the words pages print before their dates, in labelKey
// form; longer labels come first so that "تاريخ التحديث" wins over "تاريخ".
var visibleLabels = func() []struct {
	key  string
	kind dateLabel
} {
	var out []struct {
		key  string
		kind dateLabel
	}
	add := func(kind dateLabel, labels ...string) {
		for _, l := range labels {
			out = append(out, struct {
				key  string
				kind dateLabel
			}{labelKey(l), kind})
		}
	}
	add(modifiedLabel, "آخر تحديث", "اخر تحديث", "تاريخ التحديث", "تم التحديث", "تم تحديثه", "حدث في",
		"محدث", "تحديث", "updated on", "last updated", "updated", "modified")
	add(publishedLabel, "تاريخ النشر", "نشر في", "نشر بتاريخ", "تم النشر", "نشرت في", "نشر يوم", "نشر",
		"تاريخ الإضافة", "أضيف في", "أضيف بتاريخ", "بتاريخ", "published on", "published", "posted on", "posted")
	return out
}()

// labelIn returns the last date label in s (in labelKey form): the label
// nearest to the date that follows s.
func labelIn(s string) dateLabel {
	key := " " + labelKey(s) + " "
	best, bestAt := noLabel, -1
	for _, l := range visibleLabels {
		if i := strings.LastIndex(key, " "+l.key+" "); i > bestAt {
			best, bestAt = l.kind, i
		}
	}
	return best
}

// unlabelledWindow is how many visible lines after the headline may hold an
// unlabelled publication date; further down, dates belong to other things.
const unlabelledWindow = 12

// visibleDates reads dates printed on the page: those after a label
// ("تاريخ النشر:", "آخر تحديث:") anywhere in a short line, and else the first
// full date printed just below the headline.
func visibleDates(p *pageInfo, opts Options) (pub, mod time.Time) {
	var firstNear time.Time
	dopts := dateOptions(opts)
	for i, line := range p.lines {
		if !hasDigitOrRelative(line) {
			continue
		}
		matches := dates.Find(line, dopts)
		if len(matches) == 0 {
			if l := labelIn(line); l != noLabel {
				if r, ok := dates.Parse(line, dopts); ok && r.Precision >= dates.PrecisionDay && plausible(r.Time, opts.Now) {
					matches = []dates.Match{{Start: len(line), End: len(line), Result: r}}
				}
			}
		}
		prev := 0
		for _, m := range matches {
			r := m.Result
			before := line[prev:min(m.Start, len(line))]
			prev = m.End
			if r.Precision < dates.PrecisionDay || !plausible(r.Time, opts.Now) {
				continue
			}
			switch labelIn(before) {
			case publishedLabel:
				if pub.IsZero() {
					pub = r.Time
				}
			case modifiedLabel:
				if mod.IsZero() {
					mod = r.Time
				}
			default:
				if firstNear.IsZero() && p.h1Line >= 0 && i >= p.h1Line && i <= p.h1Line+unlabelledWindow {
					firstNear = r.Time
				}
			}
		}
		if !pub.IsZero() && !mod.IsZero() {
			break
		}
	}
	if pub.IsZero() {
		pub = firstNear
	}
	return pub, mod
}

func hasDigitOrRelative(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return strings.Contains(s, "منذ") || strings.Contains(s, "أمس") || strings.Contains(s, "امس") || strings.Contains(s, "قبل")
}
