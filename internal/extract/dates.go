package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"khabar/internal/arabic"
)

// publishedKeys and modifiedKeys are meta keys that carry the article's
// dates, most trusted first.
var publishedKeys = []string{
	"article:published_time", "og:published_time", "og:article:published_time", "article:published",
	"datepublished", "publishdate", "publish-date", "publish_date", "pubdate", "publication_date",
	"published_time", "published-date", "sailthru.date", "parsely-pub-date", "dc.date.issued",
	"dcterms.issued", "dc.date", "dcterms.date", "dcterms.created", "date", "article.published",
	"cxenseparse:recs:publishtime", "original-publish-date", "rnews:datepublished", "datecreated",
	"article_date_original", "timestamp",
}

var modifiedKeys = []string{
	"article:modified_time", "og:updated_time", "article:modified", "datemodified", "modified_time",
	"og:modified_time", "dcterms.modified", "dc.date.modified", "last-modified", "lastmod",
	"article.updated", "updated_time", "revised",
}

// isoLayouts are the machine-written forms found in metadata.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 Z0700",
	"2006-01-02 15:04:05.999999999 -07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"20060102",
	"20060102150405",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon Jan 2 15:04:05 MST 2006",
	"January 2, 2006",
	"Jan 2, 2006",
}

// parseMetaDate reads a machine-written date: ISO 8601 and its common
// variants, RFC 1123, Unix seconds; Arabic-Indic digits allowed. Dates
// without a zone are in loc.
func parseMetaDate(s string, loc *time.Location) (t time.Time, utc bool, ok bool) {
	s = strings.TrimSpace(arabic.NormalizeDigits(s))
	if s == "" || len(s) > 64 {
		return time.Time{}, false, false
	}
	for _, layout := range isoLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "+00:00") || strings.HasSuffix(s, "GMT"), true
		}
	}
	if len(s) == 10 || len(s) == 13 {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			if len(s) == 13 {
				n /= 1000
			}
			return time.Unix(n, 0).UTC(), true, true
		}
	}
	return time.Time{}, false, false
}

// plausible rejects dates before the web's news era and in the future
// (a day of slack for zones).
func plausible(t time.Time, now time.Time) bool {
	return t.Year() >= 1995 && !t.After(now.Add(48*time.Hour))
}

// dated is one date candidate with whether it was written in UTC.
type dated struct {
	t   time.Time
	utc bool
}

func firstMetaDate(p *pageInfo, keys []string, opts Options) dated {
	for _, k := range keys {
		for _, v := range p.metas[k] {
			if t, utc, ok := parseDateString(v, opts); ok && plausible(t, opts.Now) {
				return dated{t, utc}
			}
		}
	}
	return dated{}
}

// parseDateString reads a metadata date, machine-written or in words.
func parseDateString(s string, opts Options) (time.Time, bool, bool) {
	if t, utc, ok := parseMetaDate(s, opts.Location); ok {
		return t, utc, true
	}
	if t, ok := parseTextDate(s, opts); ok {
		return t, false, true
	}
	return time.Time{}, false, false
}

// urlDate finds /2024/03/02/, /2024-03-02 or /20240302 in a URL path.
var urlDatePattern = regexp.MustCompile(`/(20\d\d|19\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/-]|$)|/(20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/`)

func urlDate(u string, loc *time.Location) (time.Time, bool) {
	m := urlDatePattern.FindStringSubmatch(u)
	if m == nil {
		return time.Time{}, false
	}
	y, mo, d := m[1], m[2], m[3]
	if y == "" {
		y, mo, d = m[4], m[5], m[6]
	}
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(mo)
	dd, _ := strconv.Atoi(d)
	return time.Date(yy, time.Month(mm), dd, 12, 0, 0, 0, loc), true
}

// pageDates decides the published and modified dates.
func pageDates(p *pageInfo, canonical string, opts Options, cfg config) (published, modified time.Time) {
	var pub, mod dated
	if t, utc, ok := parseDateString(p.ld.datePublished, opts); ok && plausible(t, opts.Now) {
		pub = dated{t, utc}
	}
	if t, utc, ok := parseDateString(p.ld.dateModified, opts); ok && plausible(t, opts.Now) {
		mod = dated{t, utc}
	}
	if pub.t.IsZero() {
		pub = firstMetaDate(p, publishedKeys, opts)
	}
	if mod.t.IsZero() {
		mod = firstMetaDate(p, modifiedKeys, opts)
	}
	if pub.t.IsZero() || mod.t.IsZero() {
		tp, tm := timeTagDates(p, opts)
		if pub.t.IsZero() {
			pub = tp
		}
		if mod.t.IsZero() {
			mod = tm
		}
	}
	if cfg.visibleDay && (pub.t.IsZero() || mod.t.IsZero()) {
		vp, vm := visibleDates(p, opts)
		if pub.t.IsZero() {
			pub = dated{t: vp}
		}
		if mod.t.IsZero() {
			mod = dated{t: vm}
		}
	}
	ud, hasURLDate := urlDate(canonical, opts.Location)
	if pub.t.IsZero() && hasURLDate && plausible(ud, opts.Now) {
		pub = dated{t: ud}
	}
	if hasURLDate {
		pub.t = alignToDay(pub, ud)
		mod.t = alignToDay(mod, ud)
	}
	if !pub.t.IsZero() && !mod.t.IsZero() && mod.t.Before(pub.t) {
		// A modification before publication is a template's stale field.
		mod = dated{}
	}
	return pub.t, mod.t
}

// alignToDay shows a UTC instant in the smallest whole-hour offset that puts
// it on the day the URL names, when the two are a day apart: a page dated
// /2026/7/28/ whose JSON-LD says 2026-07-27T21:02Z was published just after
// midnight in its own zone. The instant does not change.
func alignToDay(d dated, day time.Time) time.Time {
	if d.t.IsZero() || !d.utc {
		return d.t
	}
	t := d.t.UTC()
	y, m, dd := day.Date()
	want := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	got := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch want.Sub(got) {
	case 24 * time.Hour:
		// Needs a positive offset of at least the time left to midnight.
		left := want.Sub(t)
		h := int((left + time.Hour - 1) / time.Hour)
		if h <= 14 {
			return t.In(time.FixedZone("", h*3600))
		}
	case -24 * time.Hour:
		h := int(t.Sub(got)/time.Hour) + 1
		if h <= 12 {
			return t.In(time.FixedZone("", -h*3600))
		}
	}
	return d.t
}

// timeTagDates reads <time> elements: those marked as the publication or
// modification first, then the first one with a machine-readable date.
func timeTagDates(p *pageInfo, opts Options) (pub, mod dated) {
	var first dated
	for _, tt := range p.times {
		src := tt.datetime
		if src == "" {
			src = tt.text
		}
		t, utc, ok := parseDateString(src, opts)
		if !ok || !plausible(t, opts.Now) {
			continue
		}
		d := dated{t, utc}
		switch {
		case strings.Contains(tt.itemprop, "modified") || strings.Contains(tt.class, "modif") || strings.Contains(tt.class, "update"):
			if mod.t.IsZero() {
				mod = d
			}
		case tt.pubdate || strings.Contains(tt.itemprop, "published") || strings.Contains(tt.class, "publish"):
			if pub.t.IsZero() {
				pub = d
			}
		default:
			if first.t.IsZero() && tt.datetime != "" {
				first = d
			}
		}
	}
	if pub.t.IsZero() {
		pub = first
	}
	return pub, mod
}
