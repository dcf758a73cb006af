package feed

import (
	"time"

	"khabar/internal/arabic/dates"
)

// ParseDate reads a feed date with the project's one date parser
// (arabic/dates): RFC 822/1123, ISO 8601, Unix date and their common
// variants, and the forms Arabic sites publish (Arabic month names of all
// three systems, Arabic-Indic digits, Arabic weekday names and comma,
// "GMT+3", ص/م). A date that names no zone is read as UTC, since the feed
// says nothing better. It reports false when s holds no date.
//
// Only absolute dates count: a feed's date is written when the feed is
// made and read whenever it is fetched, so "منذ ساعتين" or a day without a
// year has no anchor to be read against, and RSS and Atom both require a
// full date. Such an item gets no date from its feed rather than a wrong
// one. Years before 1900 are refused as well: no feed item is that old.
func ParseDate(s string) (time.Time, bool) {
	r, ok := dates.Parse(s, dates.Options{Absolute: true, Location: time.UTC})
	if !ok || r.Time.Year() < 1900 {
		return time.Time{}, false
	}
	return r.Time, true
}
