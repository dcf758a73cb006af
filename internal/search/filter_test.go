package search

import (
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"khabar/internal/store"
)

func parseQuery(t *testing.T, raw string) (store.Filter, *time.Location, error) {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	return ParseFilter(func(n string) []string { return v[n] })
}

func TestParseFilter(t *testing.T) {
	riyadh, err := time.LoadLocation("Asia/Riyadh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		raw  string
		want store.Filter
	}{
		{"", store.Filter{}},
		{"from=2016-01-02&to=2016-01-31", store.Filter{Since: time.Date(2016, 1, 2, 0, 0, 0, 0, time.UTC), Until: time.Date(2016, 2, 1, 0, 0, 0, 0, time.UTC)}},
		{"from=2016-01-02&tz=Asia/Riyadh", store.Filter{Since: time.Date(2016, 1, 2, 0, 0, 0, 0, riyadh)}},
		{"from=2016-01-02&tz=%2B03:00", store.Filter{Since: time.Date(2016, 1, 1, 21, 0, 0, 0, time.UTC)}},
		{"from=2016-01-02T10:30&tz=-0430", store.Filter{Since: time.Date(2016, 1, 2, 15, 0, 0, 0, time.UTC)}},
		{"to=2016-01-02T10:30:00Z&tz=Asia/Riyadh", store.Filter{Until: time.Date(2016, 1, 2, 10, 30, 0, 0, time.UTC)}},
		{"source=12&source=alriyadh,okaz&source=12", store.Filter{SourceIDs: []int64{12}, Outlets: []string{"alriyadh", "okaz"}}},
		{"country=sa&country=EG,sa", store.Filter{Countries: []string{"SA", "EG"}}},
		{"kind=Wire&kind=state", store.Filter{Kinds: []string{"wire", "state"}}},
		{"tag=%D8%A7%D9%84%D9%86%D9%81%D8%B7&entity=+%D8%A3%D8%B1%D8%A7%D9%85%D9%83%D9%88+", store.Filter{Tag: "النفط", Entity: "أرامكو"}},
	} {
		got, _, err := parseQuery(t, tc.raw)
		if err != nil {
			t.Errorf("%q: %v", tc.raw, err)
			continue
		}
		if !got.Since.Equal(tc.want.Since) || !got.Until.Equal(tc.want.Until) {
			t.Errorf("%q: since %v until %v, want %v and %v", tc.raw, got.Since, got.Until, tc.want.Since, tc.want.Until)
		}
		got.Since, got.Until, tc.want.Since, tc.want.Until = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q = %+v, want %+v", tc.raw, got, tc.want)
		}
	}
	for _, tc := range []struct{ raw, param string }{
		{"from=yesterday", "from"},
		{"from=2016-13-01", "from"},
		{"to=2016-02-30", "to"},
		{"from=2016-02-01&to=2016-01-01", "to"},
		{"from=2016-02-01&to=2016-02-01T00:00", "to"},
		{"tz=Mars/Olympus", "tz"},
		{"tz=../../etc/passwd", "tz"},
		{"tz=%2B25:00", "tz"},
		{"tz=Local", "tz"},
		{"source=0", "source"},
		{"source=-3", "source"},
		{"country=SAU", "country"},
		{"country=%D8%B3%D8%B9", "country"},
		{"kind=tabloid", "kind"},
		{"tag=a&tag=b", "tag"},
		{"entity=%00x", "entity"},
		{"tag=" + strings.Repeat("x", 201), "tag"},
		{"source=" + manyOutlets(51), "source"},
	} {
		_, _, err := parseQuery(t, tc.raw)
		fe, ok := err.(*FilterError)
		if !ok || fe.Param != tc.param || !strings.Contains(err.Error(), tc.param) {
			t.Errorf("%q: error %v, want one naming %s", tc.raw, err, tc.param)
		}
	}
}

// TestFilterValuesRoundTrip: the values FilterValues writes read back as
// the same filter.
func TestFilterValuesRoundTrip(t *testing.T) {
	for _, raw := range []string{
		"from=2016-01-02&to=2016-01-31&tz=Asia/Riyadh&source=3&source=okaz&country=SA&kind=wire&tag=x&entity=y",
		"from=2016-01-02T10:30:00Z&to=2016-01-03T00:00:00%2B03:00",
		"to=2016-03-27&tz=Europe/Paris",
	} {
		f, loc, err := parseQuery(t, raw)
		if err != nil {
			t.Fatal(err)
		}
		v := url.Values(FilterValues(f, loc))
		g, _, err := ParseFilter(func(n string) []string { return v[n] })
		if err != nil {
			t.Fatalf("%q → %q: %v", raw, v.Encode(), err)
		}
		if !g.Since.Equal(f.Since) || !g.Until.Equal(f.Until) || !slices.Equal(g.SourceIDs, f.SourceIDs) ||
			!slices.Equal(g.Outlets, f.Outlets) || g.Tag != f.Tag || g.Entity != f.Entity {
			t.Errorf("%q → %q → %+v, want %+v", raw, v.Encode(), g, f)
		}
	}
}

func TestEdges(t *testing.T) {
	riyadh, _ := time.LoadLocation("Asia/Riyadh")
	paris, _ := time.LoadLocation("Europe/Paris")
	d := func(loc *time.Location, y int, m time.Month, day, h int) time.Time {
		return time.Date(y, m, day, h, 0, 0, 0, loc)
	}
	for _, tc := range []struct {
		start, end time.Time
		interval   string
		loc        *time.Location
		want       []time.Time
	}{
		{d(time.UTC, 2016, 1, 30, 5), d(time.UTC, 2016, 2, 1, 1), IntervalDay, time.UTC,
			[]time.Time{d(time.UTC, 2016, 1, 30, 0), d(time.UTC, 2016, 1, 31, 0), d(time.UTC, 2016, 2, 1, 0), d(time.UTC, 2016, 2, 2, 0)}},
		// 22:00 UTC is the next day in Riyadh.
		{d(time.UTC, 2016, 1, 30, 22), d(time.UTC, 2016, 1, 30, 23), IntervalDay, riyadh,
			[]time.Time{d(riyadh, 2016, 1, 31, 0), d(riyadh, 2016, 2, 1, 0)}},
		// A Wednesday: its week starts on Monday.
		{d(time.UTC, 2016, 1, 6, 12), d(time.UTC, 2016, 1, 12, 0), IntervalWeek, time.UTC,
			[]time.Time{d(time.UTC, 2016, 1, 4, 0), d(time.UTC, 2016, 1, 11, 0), d(time.UTC, 2016, 1, 18, 0)}},
		{d(time.UTC, 2016, 1, 31, 12), d(time.UTC, 2016, 3, 1, 0), IntervalMonth, time.UTC,
			[]time.Time{d(time.UTC, 2016, 1, 1, 0), d(time.UTC, 2016, 2, 1, 0), d(time.UTC, 2016, 3, 1, 0)}},
		// The day clocks go forward has 23 hours.
		{d(paris, 2016, 3, 27, 1), d(paris, 2016, 3, 27, 23), IntervalDay, paris,
			[]time.Time{d(paris, 2016, 3, 27, 0), d(paris, 2016, 3, 28, 0)}},
	} {
		got, err := Edges(tc.start, tc.end, tc.interval, tc.loc)
		if err != nil || !slices.EqualFunc(got, tc.want, time.Time.Equal) {
			t.Errorf("Edges(%v, %v, %s, %v) = %v, %v; want %v", tc.start, tc.end, tc.interval, tc.loc, got, err, tc.want)
		}
	}
	if _, err := Edges(d(time.UTC, 2000, 1, 1, 0), d(time.UTC, 2016, 1, 1, 0), IntervalDay, time.UTC); !IsFilterError(err) {
		t.Errorf("Edges over 16 years of days: %v, want a filter error", err)
	}
}

// FuzzParseFilter reads any URL query as filters: never a panic; either a
// filter error naming a parameter, or a filter whose values are clean and
// whose bounds are ordered, which FilterValues writes back to the same
// filter.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"from=2016-01-02&to=2016-01-31&tz=Asia/Riyadh",
		"from=2016-01-02T10:30&tz=%2B03:00&source=3,okaz&country=sa&kind=wire&tag=x&entity=y",
		"to=0001-01-01", "to=9999-12-31&tz=%2B14", "from=2016-01-02T10:30:00.123456789-02:00",
		"tz=America/Argentina/Buenos_Aires", "source=%D8%B9%D9%83%D8%A7%D8%B8", "tz=-0", "tz=+1:5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, loc, err := ParseFilter(func(n string) []string { return v[n] })
		if err != nil {
			if !IsFilterError(err) {
				t.Fatalf("%q: error %v is not a FilterError", raw, err)
			}
			return
		}
		if loc == nil {
			t.Fatalf("%q: nil location", raw)
		}
		if !flt.Since.IsZero() && !flt.Until.IsZero() && !flt.Since.Before(flt.Until) {
			t.Fatalf("%q: since %v not before until %v", raw, flt.Since, flt.Until)
		}
		for _, s := range append(append(append(slices.Clone(flt.Outlets), flt.Countries...), flt.Kinds...), flt.Tag, flt.Entity) {
			if !utf8.ValidString(s) || s != strings.TrimSpace(s) {
				t.Fatalf("%q: value %q not clean", raw, s)
			}
		}
		back := url.Values(FilterValues(flt, loc))
		g, _, err := ParseFilter(func(n string) []string { return back[n] })
		if err != nil {
			t.Fatalf("%q → %q: %v", raw, back.Encode(), err)
		}
		if !g.Since.Equal(flt.Since) || !g.Until.Equal(flt.Until) || !slices.Equal(g.SourceIDs, flt.SourceIDs) ||
			!slices.Equal(g.Outlets, flt.Outlets) || !slices.Equal(g.Countries, flt.Countries) || g.Tag != flt.Tag {
			t.Fatalf("%q → %q → %+v, want %+v", raw, back.Encode(), g, flt)
		}
	})
}

func manyOutlets(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("o" + strconv.Itoa(i) + ",")
	}
	return b.String()
}
