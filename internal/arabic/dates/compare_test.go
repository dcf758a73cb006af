package dates

import (
	"testing"
	"time"

	dateparser "github.com/markusmobius/go-dateparser"
)

// regionalLocales are the go-dateparser locales tried besides plain "ar" for
// the kinds of the development set that use a regional month system.
var regionalLocales = map[string][]string{
	"levant":  {"ar-LB", "ar-SY", "ar-IQ"},
	"double":  {"ar-LB"},
	"maghreb": {"ar-DZ", "ar-TN"},
	"morocco": {"ar-MA"},
}

// TestCompareGoDateparser measures this parser and go-dateparser (languages
// ["ar"], and the regional locale where it helps) on the development set and
// logs both accuracies. It fails only if this parser falls behind.
func TestCompareGoDateparser(t *testing.T) {
	if testing.Short() {
		t.Skip("comparison with go-dateparser skipped in short mode")
	}
	cases := loadDev(t)
	ours, theirs, theirsRegional := 0, 0, 0
	for _, c := range cases {
		r, ok := Parse(c.input, Options{Now: devNow})
		if checkDev(c.want, r.Time, ok) == "" {
			ours++
		}
		base := theirParse(c, &dateparser.Configuration{Languages: []string{"ar"}})
		if base {
			theirs++
		}
		best := base
		for _, loc := range regionalLocales[c.kind] {
			if !best {
				best = theirParse(c, &dateparser.Configuration{Locales: []string{loc}})
			}
		}
		if best {
			theirsRegional++
		} else {
			t.Logf("go-dateparser misses %s %q (want %s)", c.kind, c.input, c.want)
		}
	}
	n := float64(len(cases))
	t.Logf("development set: %d expressions", len(cases))
	t.Logf("khabar dates:                    %d/%d = %.1f%%", ours, len(cases), 100*float64(ours)/n)
	t.Logf("go-dateparser [ar]:              %d/%d = %.1f%%", theirs, len(cases), 100*float64(theirs)/n)
	t.Logf("go-dateparser [ar] or regional:  %d/%d = %.1f%%", theirsRegional, len(cases), 100*float64(theirsRegional)/n)
	if ours < theirsRegional {
		t.Errorf("khabar dates (%d) behind go-dateparser (%d)", ours, theirsRegional)
	}
}

// theirParse runs go-dateparser on one case the way an extractor would:
// surrounding text ignored, the same reference time and zone; Hijri cases also
// go through its Hijri parser.
func theirParse(c devCase, cfg *dateparser.Configuration) bool {
	cfg.CurrentTime = devNow
	cfg.DefaultTimezone = time.UTC
	cfg.IgnoreSurroundingText = true
	cfg.ReturnTimeAsPeriod = true
	d, err := dateparser.Parse(cfg, c.input)
	ok := err == nil && !d.IsZero()
	if checkDev(c.want, d.Time, ok) == "" {
		return true
	}
	if c.kind == "hijri" {
		d, err := dateparser.ParseHijri(cfg, c.input)
		return checkDev(c.want, d.Time, err == nil && !d.IsZero()) == ""
	}
	return false
}
