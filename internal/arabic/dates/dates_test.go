package dates

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// devNow is the reference time of testdata/dev.tsv.
var devNow = time.Date(2024, 9, 10, 15, 30, 0, 0, time.UTC)

type devCase struct {
	kind, input, want string
	line              int
}

func loadDev(t testing.TB) []devCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "dev.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []devCase
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 3 {
			t.Fatalf("dev.tsv:%d: %d columns", line, len(cols))
		}
		cases = append(cases, devCase{cols[0], cols[1], cols[2], line})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// checkDev compares a parse result with an expectation of dev.tsv and
// returns "" when it holds.
func checkDev(want string, got time.Time, ok bool) string {
	if want == "-" {
		if ok {
			return fmt.Sprintf("want no date, got %s", got.Format(time.RFC3339))
		}
		return ""
	}
	if !ok {
		return "want " + want + ", got no date"
	}
	switch len(want) {
	case len("2006-01"):
		if g := got.Format("2006-01"); g != want {
			return "want " + want + ", got " + g
		}
	case len("2006-01-02"):
		if g := got.Format("2006-01-02"); g != want {
			return "want " + want + ", got " + g
		}
	default:
		w, err := time.Parse(time.RFC3339, want)
		if err != nil {
			return "bad expectation " + want
		}
		if !w.Equal(got) {
			return "want " + want + ", got " + got.Format(time.RFC3339)
		}
		_, wo := w.Zone()
		_, goff := got.Zone()
		if wo != goff {
			return fmt.Sprintf("want offset %d, got %s", wo, got.Format(time.RFC3339))
		}
	}
	return ""
}

func TestDevelopmentSet(t *testing.T) {
	cases := loadDev(t)
	if len(cases) < 150 {
		t.Fatalf("development set has %d cases, want at least 150", len(cases))
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d_%s", c.line, c.kind), func(t *testing.T) {
			r, ok := Parse(c.input, Options{Now: devNow})
			if msg := checkDev(c.want, r.Time, ok); msg != "" {
				t.Errorf("Parse(%q): %s", c.input, msg)
			}
		})
	}
}

func TestHijriKnownPairs(t *testing.T) {
	pairs := []struct {
		y, m, d int
		greg    string
	}{
		{1445, 9, 1, "2024-03-11"},
		{1446, 1, 1, "2024-07-07"},
		{1436, 10, 25, "2015-08-10"},
		{1445, 10, 1, "2024-04-10"},
		{1445, 12, 10, "2024-06-16"},
		{1444, 9, 1, "2023-03-23"},
		{1300, 1, 1, "1882-11-12"},
	}
	for _, p := range pairs {
		days, ok, table := hijriToDays(p.y, p.m, p.d)
		if !ok || !table {
			t.Errorf("%d-%d-%d: ok=%v table=%v", p.y, p.m, p.d, ok, table)
			continue
		}
		if g := time.Unix(int64(days)*86400, 0).UTC().Format("2006-01-02"); g != p.greg {
			t.Errorf("%d-%d-%d = %s, want %s", p.y, p.m, p.d, g, p.greg)
		}
		y, m, d := daysToHijri(days)
		if y != p.y || m != p.m || d != p.d {
			t.Errorf("daysToHijri(%s) = %d-%d-%d", p.greg, y, m, d)
		}
	}
}

func TestToHijri(t *testing.T) {
	riyadh := time.FixedZone("AST", 3*3600)
	cases := []struct {
		t       time.Time
		y, m, d int
	}{
		{time.Date(2024, 3, 11, 12, 0, 0, 0, time.UTC), 1445, 9, 1},
		{time.Date(2024, 7, 7, 0, 0, 0, 0, time.UTC), 1446, 1, 1},
		{time.Date(2015, 8, 10, 23, 59, 59, 0, time.UTC), 1436, 10, 25},
		{time.Date(2024, 6, 16, 8, 0, 0, 0, time.UTC), 1445, 12, 10},
		{time.Date(1882, 11, 12, 6, 0, 0, 0, time.UTC), 1300, 1, 1},
		// The civil day is the one in t's location: 22:30 UTC on 10 March is
		// already 11 March (1 Ramadan) in Riyadh; Shaban 1445 had 29 days.
		{time.Date(2024, 3, 10, 22, 30, 0, 0, time.UTC), 1445, 8, 29},
		{time.Date(2024, 3, 10, 22, 30, 0, 0, time.UTC).In(riyadh), 1445, 9, 1},
		// Outside the table: the arithmetic calendar (1 Muharram 1 AH is
		// 19 July 622 Gregorian, a Friday).
		{time.Date(622, 7, 19, 0, 0, 0, 0, time.UTC), 1, 1, 1},
	}
	for _, c := range cases {
		if y, m, d := ToHijri(c.t); y != c.y || m != c.m || d != c.d {
			t.Errorf("ToHijri(%s) = %d-%d-%d, want %d-%d-%d", c.t, y, m, d, c.y, c.m, c.d)
		}
	}
}

// TestHijriRoundTrip walks every day from 1200 to 1600 AH, inside and outside
// the Umm al-Qura table, and checks that both conversions agree and that the
// days are consecutive.
func TestHijriRoundTrip(t *testing.T) {
	prev, _, _ := hijriToDays(1200, 1, 1)
	prev--
	for y := 1200; y <= 1600; y++ {
		for m := 1; m <= 12; m++ {
			l := hijriMonthLength(y, m)
			if l != 29 && l != 30 {
				t.Fatalf("%d-%d has %d days", y, m, l)
			}
			for d := 1; d <= l; d++ {
				days, ok, _ := hijriToDays(y, m, d)
				if !ok || days != prev+1 {
					t.Fatalf("%d-%d-%d: days %d after %d", y, m, d, days, prev)
				}
				prev = days
				if yy, mm, dd := daysToHijri(days); yy != y || mm != m || dd != d {
					t.Fatalf("daysToHijri(%d) = %d-%d-%d, want %d-%d-%d", days, yy, mm, dd, y, m, d)
				}
			}
			if _, ok, _ := hijriToDays(y, m, l+1); ok {
				t.Fatalf("%d-%d-%d accepted", y, m, l+1)
			}
		}
	}
}

func TestFind(t *testing.T) {
	text := "قال الوزير يوم الاثنين 9 سبتمبر 2024 إن الاجتماع المقبل سيعقد منتصف تشرين الأول، " +
		"بعد لقاء جرى منذ 3 أيام. وكان الاتفاق قد وُقّع في 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م، " +
		"ونشر البيان الساعة 10:30 ص بتوقيت مكة المكرمة. وحضر 2024 شخصاً يمثلون 15 دولة."
	got := Find(text, Options{Now: devNow})
	want := []struct{ text, date string }{
		{"الاثنين 9 سبتمبر 2024", "2024-09-09"},
		{"منتصف تشرين الأول", "2023-10-15"},
		{"منذ 3 أيام", "2024-09-07"},
		{"25 شوال 1436 هـ الموافق 10 اغسطس 2015 م", "2015-08-10"},
	}
	if len(got) != len(want) {
		for _, g := range got {
			t.Logf("found %q %s", g.Text, g.Result.Time)
		}
		t.Fatalf("found %d dates, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Text != w.text || g.Text != text[g.Start:g.End] {
			t.Errorf("match %d text %q, want %q", i, g.Text, w.text)
		}
		if d := g.Result.Time.Format("2006-01-02"); d != w.date {
			t.Errorf("match %d (%q) = %s, want %s", i, g.Text, d, w.date)
		}
	}
}

func TestResultFields(t *testing.T) {
	riyadh := time.FixedZone("AST", 3*3600)
	opts := Options{Now: devNow, Location: riyadh}
	tests := []struct {
		in      string
		hasTime bool
		prec    Precision
		offset  int
	}{
		{"9 سبتمبر 2024", false, PrecisionDay, 3 * 3600},
		{"9 سبتمبر 2024 10:00", true, PrecisionMinute, 3 * 3600},
		{"9 سبتمبر 2024 10:00:05 GMT", true, PrecisionSecond, 0},
		{"مارس 2024", false, PrecisionMonth, 3 * 3600},
		{"منذ 3 ساعات", true, PrecisionHour, 3 * 3600},
		{"منذ سنة", false, PrecisionYear, 3 * 3600},
		{"2024-09-09T10:00:00+04:00", true, PrecisionSecond, 4 * 3600},
	}
	for _, tc := range tests {
		r, ok := Parse(tc.in, opts)
		if !ok {
			t.Errorf("Parse(%q) failed", tc.in)
			continue
		}
		_, off := r.Time.Zone()
		if r.HasTime != tc.hasTime || r.Precision != tc.prec || off != tc.offset {
			t.Errorf("Parse(%q) = hasTime %v precision %s offset %d; want %v %s %d", tc.in, r.HasTime, r.Precision, off, tc.hasTime, tc.prec, tc.offset)
		}
	}
	if _, ok := Parse("٢٠ رمضان", opts); ok {
		// A Hijri month needs a day and a year or a day: "٢٠ رمضان" has a day.
	} else {
		t.Errorf("Parse(%q) failed", "٢٠ رمضان")
	}
}

func TestBadInput(t *testing.T) {
	inputs := []string{
		"", " ", "\xff\xfe\xfd", "٢٠٢٤", strings.Repeat("9", 40), "99999999999/12/2024",
		"12 مارس 99999999999", "منذ 99999999999 سنة", "منذ 999999 سنة", "\u200f\u200e\u061c",
		"12\xff مارس 2024", strings.Repeat("منذ ", 1000), "24:30", "25:00 م",
	}
	for _, in := range inputs {
		r, ok := Parse(in, Options{Now: devNow})
		if ok && (r.Time.Year() < 1000 || r.Time.Year() > 3000) {
			t.Errorf("Parse(%q) = %s", in, r.Time)
		}
		_ = Find(in, Options{Now: devNow})
	}
}

var fuzzSeeds = []string{
	"آخر تحديث: مارس 2, 2024", "2nd, March 2024 GMT", "الاثنين 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م",
	"منذ ساعة و20 دقيقة", "١٥/٠٨/٢٠٢٤ 10:30 م بتوقيت مكة المكرمة", "2024-09-09T14:30:00.000+03:00",
	"منتصف شباط", "فبراير/شباط 2024", "\xff12 مارس", "الساعة العاشرة إلا ربعاً مساء أمس",
	"Mon, 09 Sep 2024 14:30:00 +0300", "30-02-1433", "قبل أحد عشر يوماً", "10 سبتمبر الجاري",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := Parse(s, Options{Now: devNow})
		if !ok {
			return
		}
		if y := r.Time.Year(); y < 1000 || y > 2300 {
			t.Fatalf("Parse(%q) = %s", s, r.Time)
		}
		if r.Precision < PrecisionYear || r.Precision > PrecisionSecond || r.HasTime != (r.Precision >= PrecisionHour) {
			t.Fatalf("Parse(%q): precision %s with HasTime %v", s, r.Precision, r.HasTime)
		}
		// An absolute date does not depend on Now.
		a1, ok1 := Parse(s, Options{Now: devNow, Absolute: true})
		a2, ok2 := Parse(s, Options{Now: devNow.AddDate(3, 5, 11), Absolute: true})
		if ok1 != ok2 || !a1.Time.Equal(a2.Time) || ok1 && a1.Precision < PrecisionDay {
			t.Fatalf("Parse(%q, Absolute) = %v %v (%s) or %v %v with another Now", s, a1.Time, ok1, a1.Precision, a2.Time, ok2)
		}
	})
}

func FuzzFind(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		opts := Options{Now: devNow}
		prev := 0
		for _, m := range Find(s, opts) {
			if m.Start < prev || m.End > len(s) || m.Start >= m.End || s[m.Start:m.End] != m.Text {
				t.Fatalf("Find(%q): bad span %d:%d after %d", s, m.Start, m.End, prev)
			}
			prev = m.End
			// What Find reports, Parse reads alike.
			r, ok := Parse(m.Text, opts)
			if !ok || !r.Time.Equal(m.Result.Time) {
				t.Fatalf("Find(%q) found %q = %s; Parse gives %s, %v", s, m.Text, m.Result.Time, r.Time, ok)
			}
		}
	})
}

// BenchmarkLongLine parses 10,000-character lines: mixed text with dates, and
// hostile repetitions of the pieces the parser looks ahead for.
func BenchmarkLongLine(b *testing.B) {
	units := map[string]string{
		"mixed":    "نشر في 12 تموز 2024 - 10:30 ص منذ 3 ساعات ١٥/٠٨/٢٠٢٤ وقال الوزير إن ",
		"weekdays": "الأحد، ",
		"terms":    "1 يوم، ",
		"numeric":  "1/2/",
		"months":   "مارس/آذار/",
		"since":    "منذ ",
		"digits":   "٣",
	}
	opts := Options{Now: devNow}
	for name, unit := range units {
		line := repeatRunes(unit, 10000)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				Parse(line, opts)
				Find(line, opts)
			}
		})
	}
}

// repeatRunes repeats unit up to exactly n runes.
func repeatRunes(unit string, n int) string {
	per := utf8.RuneCountInString(unit)
	s := strings.Repeat(unit, n/per+1)
	return string([]rune(s)[:n])
}

func BenchmarkParseShort(b *testing.B) {
	opts := Options{Now: devNow}
	for b.Loop() {
		Parse("آخر تحديث: الاثنين 9 سبتمبر 2024 - 15:00 بتوقيت مكة المكرمة", opts)
	}
}

func TestSolarKnownPairs(t *testing.T) {
	pairs := []struct {
		y, m, d int
		greg    string
	}{
		{1403, 1, 1, "2024-03-20"},
		{1400, 1, 1, "2021-03-21"},
		{1404, 1, 1, "2025-03-21"},
		{1399, 12, 30, "2021-03-20"},
		{1357, 11, 22, "1979-02-11"},
		{1403, 6, 19, "2024-09-09"},
	}
	for _, p := range pairs {
		days, ok := solarToDays(p.y, p.m, p.d)
		if !ok {
			t.Errorf("%d-%d-%d rejected", p.y, p.m, p.d)
			continue
		}
		if g := time.Unix(int64(days)*86400, 0).UTC().Format("2006-01-02"); g != p.greg {
			t.Errorf("%d-%d-%d = %s, want %s", p.y, p.m, p.d, g, p.greg)
		}
		if y, m, d := daysToSolar(days); y != p.y || m != p.m || d != p.d {
			t.Errorf("daysToSolar(%s) = %d-%d-%d", p.greg, y, m, d)
		}
	}
}

// TestAbsolute checks Options.Absolute over the development set: it never
// reads a date differently from Parse, it reads every date that does not
// depend on Now, and it refuses every one that does (relative
// expressions, days without a year, bare times and months).
func TestAbsolute(t *testing.T) {
	later := devNow.AddDate(1, 3, 17)
	kept, refused := 0, 0
	for _, c := range loadDev(t) {
		abs, aok := Parse(c.input, Options{Now: devNow, Absolute: true})
		r1, ok1 := Parse(c.input, Options{Now: devNow})
		r2, ok2 := Parse(c.input, Options{Now: later})
		anchored := ok1 && ok2 && r1.Time.Equal(r2.Time)
		switch {
		case aok && !(ok1 && abs.Time.Equal(r1.Time)):
			t.Errorf("dev.tsv:%d %q: absolute %v, Parse %v %v", c.line, c.input, abs.Time, r1.Time, ok1)
		case aok && !anchored:
			t.Errorf("dev.tsv:%d %q: absolute read %v, which depends on Now", c.line, c.input, abs.Time)
		case aok && abs.Precision < PrecisionDay:
			t.Errorf("dev.tsv:%d %q: absolute read %v at %v precision", c.line, c.input, abs.Time, abs.Precision)
		case aok:
			kept++
		case c.kind == "relative" || !ok1:
			refused++
		case anchored && r1.Precision >= PrecisionDay && c.kind != "weekday":
			t.Errorf("dev.tsv:%d %q: absolute refused %v, which does not depend on Now", c.line, c.input, r1.Time)
		default:
			refused++
		}
	}
	t.Logf("%d read, %d refused", kept, refused)
	for _, s := range []string{"منذ ساعتين", "أمس", "الجمعة الماضية", "قبل 3 أيام", "28 يوليو", "05:16 م", "مارس", "اليوم", "yesterday"} {
		if r, ok := Parse(s, Options{Now: devNow, Absolute: true}); ok {
			t.Errorf("Parse(%q, Absolute) = %v, want no date", s, r.Time)
		}
	}
	for _, s := range []string{"Tue Jul 28 09:39:20 +0300 2026", "الثلاثاء، 28 يوليو 2026 09:39:20 +0300", "28/07/2026", "2026-07-28T09:39:20Z"} {
		if r, ok := Parse(s, Options{Now: devNow, Absolute: true}); !ok || r.Time.Year() != 2026 || r.Time.Day() != 28 {
			t.Errorf("Parse(%q, Absolute) = %v, %v, want 28 July 2026", s, r.Time, ok)
		}
	}
	// A two-digit year takes a fixed century, whatever today is.
	for in, want := range map[string]int{"Mon, 09 Sep 24 14:30:00 +0300": 2024, "10/10/27": 2027, "10/10/68": 2068, "09 Sep 69": 1969, "1/2/99": 1999} {
		for _, now := range []time.Time{devNow, devNow.AddDate(-30, 0, 0), devNow.AddDate(40, 0, 0)} {
			if r, ok := Parse(in, Options{Now: now, Absolute: true}); !ok || r.Time.Year() != want {
				t.Errorf("Parse(%q, Absolute, Now %d) = %v, %v, want the year %d", in, now.Year(), r.Time, ok, want)
			}
		}
	}
}
