package dates

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fixtureNow is the reference time for the relative cases of the dateparser
// table.
var fixtureNow = time.Date(2024, 9, 10, 15, 30, 0, 0, time.UTC)

// TestDateparserCases runs every absolute, relative, hijri and search case of
// the Arabic cases transcribed from scrapinghub/dateparser's tests.
func TestDateparserCases(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "dateparser-arabic", "test-cases.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line, checked := 0, 0
	for sc.Scan() {
		line++
		if strings.HasPrefix(sc.Text(), "#") || sc.Text() == "" {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			t.Fatalf("line %d: %d columns", line, len(cols))
		}
		kind, input, want := cols[0], cols[1], cols[2]
		name := fmt.Sprintf("%d_%s", line, kind)
		switch kind {
		case "absolute":
			checked++
			t.Run(name, func(t *testing.T) {
				w, err := time.Parse("2 January 2006 03:04 PM", englishTitle(want))
				if err != nil {
					t.Fatalf("expectation %q: %v", want, err)
				}
				r, ok := Parse(input, Options{Now: fixtureNow})
				if !ok || !r.Time.Equal(w) {
					t.Errorf("Parse(%q) = %s, %v; want %s", input, r.Time, ok, w)
				}
			})
		case "relative":
			checked++
			t.Run(name, func(t *testing.T) {
				w, fine := relativeExpectation(t, want)
				r, ok := Parse(input, Options{Now: fixtureNow})
				if !ok {
					t.Fatalf("Parse(%q) failed, want %s", input, w)
				}
				if fine && !r.Time.Equal(w) || !fine && r.Time.Format(time.DateOnly) != w.Format(time.DateOnly) {
					t.Errorf("Parse(%q) = %s, want %s", input, r.Time, w)
				}
			})
		case "hijri":
			checked++
			t.Run(name, func(t *testing.T) {
				w, err := time.Parse("2006-01-02T15:04", want)
				if err != nil {
					t.Fatalf("expectation %q: %v", want, err)
				}
				// dateparser ran these with its Hijri calendar: two-digit years
				// are Hijri only then.
				r, ok := Parse(input, Options{Now: fixtureNow, Calendar: Hijri})
				if !ok || !r.Time.Equal(w) {
					t.Errorf("Parse(%q, Hijri) = %s, %v; want %s", input, r.Time, ok, w)
				}
				// Four-digit Hijri years need no option.
				if strings.Contains(input, "14") {
					r, ok := Parse(input, Options{Now: fixtureNow})
					if !ok || !r.Time.Equal(w) {
						t.Errorf("Parse(%q) = %s, %v; want %s", input, r.Time, ok, w)
					}
				}
			})
		case "search":
			checked++
			t.Run(name, func(t *testing.T) {
				var pairs [][2]string
				if err := json.Unmarshal([]byte(want), &pairs); err != nil {
					t.Fatalf("expectation: %v", err)
				}
				got := Find(input, Options{Now: fixtureNow})
				if len(got) != len(pairs) {
					t.Fatalf("Find found %d dates, want %d: %+v", len(got), len(pairs), got)
				}
				for i, p := range pairs {
					w, _ := time.Parse("2006-01-02T15:04", p[1])
					if !strings.Contains(p[0], got[i].Text) || !got[i].Result.Time.Equal(w) {
						t.Errorf("match %d = %q %s, want %q %s", i, got[i].Text, got[i].Result.Time, p[0], w)
					}
				}
			})
		case "applicable", "not_applicable":
			// Language detection cases: not the parser's job.
		default:
			t.Errorf("line %d: unknown kind %q", line, kind)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if checked < 25 {
		t.Fatalf("checked %d cases, want the whole table", checked)
	}
}

// englishTitle turns "6 january 2015 05:16 pm" into Go's layout case.
func englishTitle(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		switch {
		case w == "am" || w == "pm":
			f[i] = strings.ToUpper(w)
		case w != "" && w[0] >= 'a' && w[0] <= 'z':
			f[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(f, " ")
}

// relativeExpectation reads dateparser's "ago 2 hour", "4 year", "0 day ago",
// "ago years=1 months=1 …" as an instant before fixtureNow; fine reports
// whether the finest unit is below a day.
func relativeExpectation(t *testing.T, s string) (time.Time, bool) {
	t.Helper()
	var y, mo, d, secs int
	fine := false
	add := func(n int, unit string) {
		switch strings.TrimSuffix(unit, "s") {
		case "year":
			y += n
		case "month":
			mo += n
		case "week":
			d += 7 * n
		case "day":
			d += n
		case "hour":
			secs += 3600 * n
			fine = true
		case "minute":
			secs += 60 * n
			fine = true
		case "second":
			secs += n
			fine = true
		default:
			t.Fatalf("expectation %q: unit %q", s, unit)
		}
	}
	f := strings.Fields(s)
	for i := 0; i < len(f); i++ {
		w := f[i]
		if w == "ago" {
			continue
		}
		if k, v, ok := strings.Cut(w, "="); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("expectation %q: %v", s, err)
			}
			add(n, k)
			continue
		}
		n, err := strconv.Atoi(w)
		if err != nil || i+1 >= len(f) {
			t.Fatalf("expectation %q: cannot read %q", s, w)
		}
		add(n, f[i+1])
		i++
	}
	return fixtureNow.AddDate(-y, -mo, -d).Add(-time.Duration(secs) * time.Second), fine
}

// ldml is the part of a CLDR locale file that holds month names.
type ldml struct {
	Calendars []struct {
		Type     string `xml:"type,attr"`
		Contexts []struct {
			Type   string `xml:"type,attr"`
			Widths []struct {
				Type   string `xml:"type,attr"`
				Months []struct {
					Type string `xml:"type,attr"`
					Name string `xml:",chardata"`
				} `xml:"month"`
			} `xml:"monthWidth"`
		} `xml:"months>monthContext"`
	} `xml:"dates>calendars>calendar"`
}

// TestCLDRMonths parses "12 <month> 2023" for every format and stand-alone
// Gregorian month name, wide and abbreviated, of Arabic and its regional
// variants in CLDR 41, and "12 <month> 1445" for the Islamic month names.
func TestCLDRMonths(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cldr-41-arabic", "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CLDR files: %v", err)
	}
	names := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc ldml
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		locale := strings.TrimSuffix(filepath.Base(file), ".xml")
		for _, cal := range doc.Calendars {
			if cal.Type != "gregorian" && cal.Type != "islamic" {
				continue
			}
			for _, ctx := range cal.Contexts {
				for _, w := range ctx.Widths {
					if w.Type != "wide" && w.Type != "abbreviated" {
						continue
					}
					for _, m := range w.Months {
						month, err := strconv.Atoi(m.Type)
						if err != nil {
							t.Fatalf("%s: month type %q", file, m.Type)
						}
						names++
						if cal.Type == "gregorian" {
							in := "12 " + m.Name + " 2023"
							r, ok := Parse(in, Options{Now: fixtureNow})
							want := time.Date(2023, time.Month(month), 12, 0, 0, 0, 0, time.UTC)
							if !ok || !r.Time.Equal(want) || r.Precision != PrecisionDay {
								t.Errorf("%s %s/%s: Parse(%q) = %s, %v", locale, ctx.Type, w.Type, in, r.Time, ok)
							}
							continue
						}
						in := "12 " + m.Name + " 1445"
						days, _, _ := hijriToDays(1445, month, 12)
						want := time.Unix(int64(days)*86400, 0).UTC()
						r, ok := Parse(in, Options{Now: fixtureNow})
						if !ok || !r.Time.Equal(want) {
							t.Errorf("%s %s/%s: Parse(%q) = %s, %v; want %s", locale, ctx.Type, w.Type, in, r.Time, ok, want)
						}
					}
				}
			}
		}
	}
	if names < 100 {
		t.Fatalf("read %d month names, want the whole data", names)
	}
	t.Logf("%d CLDR month names parsed", names)
}
