// Package dates reads the dates Arabic news pages print: Gregorian months in
// their Egyptian, Levantine/Iraqi, Maghreb and Moroccan names (often two at
// once, "2 مارس (آذار) 2024"), Hijri dates converted with the Umm al-Qura
// calendar (and "… هـ الموافق …" pairs, where the Gregorian date wins),
// Solar Hijri dates of Persian pages, numeric day-first, ISO 8601 and RFC
// 1123/822/3339 forms, English forms found on Arabic pages, times with ص/م,
// صباحاً/مساءً and zones written in words ("بتوقيت مكة المكرمة"), labels
// around the date ("آخر تحديث:"), and relative expressions ("منذ ساعتين",
// "أول أمس", "الجمعة الماضية").
//
// Parse reads one date line; Find lists the dates of running text. The text
// is normalized (alef forms, ى/ي, ة/ه, Persian ی/ک, harakat, tatweel, bidi
// marks, Arabic-Indic and Persian digits) and tokenized once; expressions are
// recognised by table look-ups over the tokens with bounded look-ahead, so
// the work is linear in the input.
//
// A bare year ("2024") is not a date. Dates without a year take the most
// recent such day or month at or before Now. Results are in Options.Location
// unless the text names a zone.
package dates

import (
	"fmt"
	"time"
)

// Calendar tells how numeric dates without a marker are read.
type Calendar int

const (
	// Gregorian reads unmarked numeric dates as Gregorian, except four-digit
	// years in the Hijri range 1300–1500, which only a Hijri date can have on a
	// news page.
	Gregorian Calendar = iota
	// Hijri reads every unmarked numeric date as Umm al-Qura Hijri, including
	// two-digit years (90 → 1390).
	Hijri
)

// Options set the reference point of relative expressions and the zone of
// dates that name none.
type Options struct {
	// Now anchors relative expressions ("منذ ساعتين") and dates without a year;
	// the zero value means time.Now().
	Now time.Time
	// Location is the zone of dates that name none; nil means UTC.
	Location *time.Location
	// Calendar is how unmarked numeric dates are read; the zero value is
	// Gregorian.
	Calendar Calendar
	// Absolute accepts only dates that state their day, month and year
	// (with their time and zone, if given): no relative expressions
	// ("منذ ساعتين", "أمس", "الجمعة الماضية"), no bare times, and no dates
	// without a year, which all need Now. It is for dates written by a
	// machine for later reading, such as a feed's, whose Now is unknown.
	// A two-digit year then takes a fixed century: 69–99 the 1900s, 00–68
	// the 2000s (and a Hijri one the 1400s).
	Absolute bool
}

// Precision is the finest unit a parsed expression states.
type Precision int

// Precisions from coarse to fine.
const (
	PrecisionUnknown Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
	PrecisionHour
	PrecisionMinute
	PrecisionSecond
)

var precisionNames = [...]string{"unknown", "year", "month", "day", "hour", "minute", "second"}

func (p Precision) String() string {
	if p >= 0 && int(p) < len(precisionNames) {
		return precisionNames[p]
	}
	return fmt.Sprintf("Precision(%d)", int(p))
}

// Result is one parsed date.
type Result struct {
	// Time is the instant; without a stated time it is midnight of the day in
	// the zone of the result.
	Time time.Time
	// HasTime reports whether the expression stated a time of day (or a
	// relative offset in hours, minutes or seconds).
	HasTime bool
	// Precision is the finest unit the expression states.
	Precision Precision
}

// Match is a date found in running text.
type Match struct {
	// Start and End are byte offsets of the expression in the text.
	Start, End int
	// Text is text[Start:End].
	Text string
	// Result is the parsed date.
	Result Result
}

// Parse reads one date expression, such as the content of a date line on a
// page; labels around it ("آخر تحديث:", "نُشر في") are allowed. It reports false
// when s holds no date. Bare durations ("يومين"), bare times ("05:16 م") and
// bare month names, which Find ignores in running text, are accepted here.
func Parse(s string, opts Options) (Result, bool) {
	p := newParser(s, opts)
	var weak *found
	for i := 0; i < len(p.toks); {
		f, ok := p.matchAt(i)
		if !ok {
			i++
			continue
		}
		if f.invalid {
			i = max(f.end, i+1)
			continue
		}
		if !f.weak {
			return f.res, true
		}
		if weak == nil {
			w := f
			weak = &w
		}
		// A weak match may hide the start of a strong one ("يوم 5 مارس").
		i++
	}
	if weak != nil {
		return weak.res, true
	}
	return Result{}, false
}

// Find returns every date expression in running text, in order and without
// overlap. Expressions that are dates only in a date line (bare durations,
// times or month names, "اليوم") are left out.
func Find(text string, opts Options) []Match {
	p := newParser(text, opts)
	var out []Match
	for i := 0; i < len(p.toks); {
		f, ok := p.matchAt(i)
		if !ok {
			i++
			continue
		}
		if f.invalid {
			i = max(f.end, i+1)
			continue
		}
		if !f.weak {
			start, end := p.toks[f.start].start, p.toks[f.end-1].end
			out = append(out, Match{Start: start, End: end, Text: text[start:end], Result: f.res})
			i = f.end
			continue
		}
		i++
	}
	return out
}

// found is one recognised expression: tokens [start, end).
type found struct {
	start, end int
	res        Result
	weak       bool
	invalid    bool // a date in form only (31 February): skip it whole
	full       bool // a calendar date with its day and year stated
}

func newParser(s string, opts Options) *parser {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Now = opts.Now.In(opts.Location)
	return &parser{toks: tokenize(s), opts: opts}
}
