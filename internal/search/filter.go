package search

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // tz names work on machines without a zone database
	"unicode"
	"unicode/utf8"

	"khabar/internal/model"
	"khabar/internal/store"
)

// FilterParams are the names of the search filters in a URL query (and,
// as --flags, on the command line): the same everywhere.
var FilterParams = []string{"from", "to", "tz", "source", "country", "kind", "tag", "entity"}

// FilterError is a filter that cannot be read; its message names the
// parameter and says what was wrong.
type FilterError struct {
	Param string
	Msg   string
}

func (e *FilterError) Error() string { return "search: " + e.Param + ": " + e.Msg }

func filterErr(param, format string, args ...any) error {
	return &FilterError{Param: param, Msg: fmt.Sprintf(format, args...)}
}

// Limits of a filter's values.
const (
	maxFilterValues = 50  // values of one repeatable parameter
	maxFilterRunes  = 200 // characters of one value
)

// ParseFilter reads the search filters from get (a URL query's values by
// name, url.Values works):
//
//   - from, to: a day (2016-01-31), a time without a zone
//     (2016-01-31T15:04, seconds optional) or an RFC 3339 time
//     (2016-01-31T15:04:05+03:00). Days and times without a zone are in
//     tz. A day given as to counts whole: to=2016-01-31 ends at the start of
//     February 1st. from is inclusive, to exclusive for times.
//   - tz: an IANA zone name (Asia/Riyadh) or an offset (+03:00); UTC when
//     not given.
//   - source: repeatable (or comma-separated); a source id, or an outlet
//     key (alriyadh), so that imported articles, which have no source,
//     filter too. An article from any of them matches.
//   - country: repeatable; an ISO 3166-1 alpha-2 code of the outlet's
//     country, any case.
//   - kind: repeatable; an outlet kind (wire, state, public, private).
//   - tag: a keyword; entity: an entity's name.
//
// It returns the filter, the zone days are read in, and an error naming
// the parameter at fault (a *FilterError).
func ParseFilter(get func(name string) []string) (store.Filter, *time.Location, error) {
	var f store.Filter
	loc := time.UTC
	one := func(name string) (string, error) {
		vs := get(name)
		v := ""
		for _, x := range vs {
			if x = strings.TrimSpace(x); x != "" {
				if v != "" && x != v {
					return "", filterErr(name, "given twice (%q and %q); give it once", v, x)
				}
				v = x
			}
		}
		if err := checkValue(name, v); err != nil {
			return "", err
		}
		return v, nil
	}
	many := func(name string) ([]string, error) {
		var out []string
		for _, v := range get(name) {
			for _, x := range strings.Split(v, ",") {
				if x = strings.TrimSpace(x); x == "" {
					continue
				}
				if err := checkValue(name, x); err != nil {
					return nil, err
				}
				if !slices.Contains(out, x) {
					out = append(out, x)
				}
				if len(out) > maxFilterValues {
					return nil, filterErr(name, "at most %d values", maxFilterValues)
				}
			}
		}
		return out, nil
	}
	tz, err := one("tz")
	if err != nil {
		return f, nil, err
	}
	if tz != "" {
		if loc, err = ParseZone(tz); err != nil {
			return f, nil, err
		}
	}
	from, err := one("from")
	if err != nil {
		return f, nil, err
	}
	if from != "" {
		if f.Since, _, err = ParseTime(from, loc); err != nil {
			return f, nil, filterErr("from", "%v", err)
		}
	}
	to, err := one("to")
	if err != nil {
		return f, nil, err
	}
	if to != "" {
		var isDay bool
		if f.Until, isDay, err = ParseTime(to, loc); err != nil {
			return f, nil, filterErr("to", "%v", err)
		}
		if isDay {
			f.Until = f.Until.AddDate(0, 0, 1)
		}
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return f, nil, filterErr("to", "must be after from (%s is not before %s)", from, to)
	}
	sources, err := many("source")
	if err != nil {
		return f, nil, err
	}
	for _, s := range sources {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			if id < 1 {
				return f, nil, filterErr("source", "a source id must be positive, got %d", id)
			}
			if !slices.Contains(f.SourceIDs, id) { // 1 and 01 are one source
				f.SourceIDs = append(f.SourceIDs, id)
			}
			continue
		}
		f.Outlets = append(f.Outlets, s)
	}
	countries, err := many("country")
	if err != nil {
		return f, nil, err
	}
	for _, c := range countries {
		if len(c) != 2 || !isASCIILetters(c) {
			return f, nil, filterErr("country", "want a two-letter ISO 3166-1 code such as SA, got %q", c)
		}
		f.Countries = append(f.Countries, strings.ToUpper(c))
	}
	kinds, err := many("kind")
	if err != nil {
		return f, nil, err
	}
	for _, k := range kinds {
		k = strings.ToLower(k)
		if !slices.Contains(model.OutletKinds, k) {
			return f, nil, filterErr("kind", "want one of %s, got %q", strings.Join(model.OutletKinds, ", "), k)
		}
		f.Kinds = append(f.Kinds, k)
	}
	if f.Tag, err = one("tag"); err != nil {
		return f, nil, err
	}
	if f.Entity, err = one("entity"); err != nil {
		return f, nil, err
	}
	return f, loc, nil
}

func checkValue(name, v string) error {
	if !utf8.ValidString(v) {
		return filterErr(name, "not valid UTF-8")
	}
	if utf8.RuneCountInString(v) > maxFilterRunes {
		return filterErr(name, "at most %d characters", maxFilterRunes)
	}
	if strings.ContainsFunc(v, unicode.IsControl) {
		return filterErr(name, "holds a control character")
	}
	return nil
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// Layouts of ParseTime, without a zone.
var localLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}

// ParseTime reads a day (2016-01-31: its start in loc; isDay is true), a
// time without a zone (2016-01-31T15:04, seconds optional, in loc) or an
// RFC 3339 time. Years are 0001 to 9999.
func ParseTime(s string, loc *time.Location) (t time.Time, isDay bool, err error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, false, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("want a day (2016-01-31) or a time (2016-01-31T15:04, or with its zone: 2016-01-31T15:04:05+03:00), got %q", s)
}

// ParseZone reads an IANA zone name (Asia/Riyadh, UTC) or an offset from
// UTC (+03:00, -0430, +3).
func ParseZone(s string) (*time.Location, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.UTC, nil
	}
	if s[0] == '+' || s[0] == '-' {
		if d, ok := parseOffset(s[1:]); ok {
			if s[0] == '-' {
				d = -d
			}
			return time.FixedZone(s, int(d/time.Second)), nil
		}
		return nil, filterErr("tz", "want an offset such as +03:00, got %q", s)
	}
	if strings.Contains(s, "..") || strings.HasPrefix(s, "/") || strings.ContainsAny(s, `\`) {
		return nil, filterErr("tz", "want a zone name such as Asia/Riyadh, got %q", s)
	}
	loc, err := time.LoadLocation(s)
	if err != nil || s == "Local" {
		return nil, filterErr("tz", "unknown zone %q (want a name such as Asia/Riyadh or an offset such as +03:00)", s)
	}
	return loc, nil
}

// parseOffset reads hh, hh:mm or hhmm (at most 14 hours).
func parseOffset(s string) (time.Duration, bool) {
	h, m := s, "0"
	switch {
	case strings.Contains(s, ":"):
		h, m, _ = strings.Cut(s, ":")
	case len(s) == 4:
		h, m = s[:2], s[2:]
	}
	if len(h) == 0 || len(h) > 2 || len(m) == 0 || len(m) > 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 14 || mm < 0 || mm > 59 || !isDigits(h) || !isDigits(m) {
		return 0, false
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FilterValues writes f back as URL query values (the inverse of
// ParseFilter for the values it gives, with days read in loc), for links
// that keep a page's filters.
func FilterValues(f store.Filter, loc *time.Location) map[string][]string {
	if loc == nil {
		loc = time.UTC
	}
	out := map[string][]string{}
	if loc != time.UTC {
		out["tz"] = []string{loc.String()}
	}
	if !f.Since.IsZero() {
		out["from"] = []string{formatBound(f.Since, loc, false)}
	}
	if !f.Until.IsZero() {
		out["to"] = []string{formatBound(f.Until, loc, true)}
	}
	for _, id := range f.SourceIDs {
		out["source"] = append(out["source"], strconv.FormatInt(id, 10))
	}
	out["source"] = append(out["source"], f.Outlets...)
	out["country"] = f.Countries
	out["kind"] = f.Kinds
	if f.Tag != "" {
		out["tag"] = []string{f.Tag}
	}
	if f.Entity != "" {
		out["entity"] = []string{f.Entity}
	}
	for k, v := range out {
		if len(v) == 0 {
			delete(out, k)
		}
	}
	return out
}

// formatBound writes a bound as a day when it falls on a midnight in loc
// (an upper bound as the day before, which ParseFilter counts whole), else
// as an RFC 3339 time.
func formatBound(t time.Time, loc *time.Location, upper bool) string {
	lt := t.In(loc)
	if lt.Hour() == 0 && lt.Minute() == 0 && lt.Second() == 0 && lt.Nanosecond() == 0 {
		if upper {
			lt = lt.AddDate(0, 0, -1)
		}
		return lt.Format("2006-01-02")
	}
	return t.Format(time.RFC3339Nano)
}

// IsFilterError reports whether err is a filter that cannot be read.
func IsFilterError(err error) bool {
	var fe *FilterError
	return errors.As(err, &fe)
}
