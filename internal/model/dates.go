package model

import (
	"fmt"
	"time"
)

// The dates khabar keeps on an article. Before MinDate there is no news
// khabar can have fetched or imported with a meaningful date (an epoch or
// a parser's default slipped through), and more than MaxAhead after now
// is a typo or a parser's misreading (year 10,000 cannot even be written
// in RFC 3339, so the store could not give it back in JSON).
var MinDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// MaxAhead is how far past now a date may lie: scheduled publications and
// time-zone slips are hours or days ahead, never a year.
const MaxAhead = 365 * 24 * time.Hour

// PlausibleDate reports whether t, a non-zero date, lies between MinDate
// and MaxAhead after now: a date khabar can store and show.
func PlausibleDate(t, now time.Time) bool {
	return !t.Before(MinDate) && !t.After(now.Add(MaxAhead))
}

// Encodable reports whether t can be written as RFC 3339, which JSON
// needs: years 0 to 9999.
func Encodable(t time.Time) bool {
	y := t.Year()
	return y >= 0 && y <= 9999
}

// DropImplausibleDates sets the Published and Modified dates of a that are
// not PlausibleDate to zero (unknown), and describes each one it dropped,
// for a warning; the article itself is kept.
func (a *Article) DropImplausibleDates(now time.Time) []string {
	var dropped []string
	for _, d := range []struct {
		name string
		t    *time.Time
	}{{"published", &a.Published}, {"modified", &a.Modified}} {
		if d.t.IsZero() || PlausibleDate(*d.t, now) {
			continue
		}
		dropped = append(dropped, fmt.Sprintf("%s date %s is outside %d to %s", d.name, formatAnyYear(*d.t), MinDate.Year(), now.Add(MaxAhead).Format(time.DateOnly)))
		*d.t = time.Time{}
	}
	return dropped
}

// formatAnyYear writes t in RFC 3339 when it can, and otherwise with its
// year in full.
func formatAnyYear(t time.Time) string {
	if Encodable(t) {
		return t.UTC().Format(time.RFC3339)
	}
	u := t.UTC()
	return fmt.Sprintf("%d-%02d-%02d", u.Year(), int(u.Month()), u.Day())
}
