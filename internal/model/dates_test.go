package model

import (
	"strings"
	"testing"
	"time"
)

func TestDropImplausibleDates(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	fine := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name     string
		pub, mod time.Time
		wantPub  time.Time
		wantMod  time.Time
		dropped  int
	}{
		{"both fine", fine, fine, fine, fine, 0},
		{"unknown stays unknown", time.Time{}, time.Time{}, time.Time{}, time.Time{}, 0},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), fine, time.Time{}, fine, 1},
		{"before 1900", time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC), time.Unix(0, 0), time.Time{}, time.Unix(0, 0), 1},
		{"a year and a day ahead", now.Add(MaxAhead + 24*time.Hour), now.Add(MaxAhead - time.Hour), time.Time{}, now.Add(MaxAhead - time.Hour), 1},
		{"both bad", time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{}, time.Time{}, 2},
	} {
		a := &Article{Published: tt.pub, Modified: tt.mod}
		got := a.DropImplausibleDates(now)
		if len(got) != tt.dropped || !a.Published.Equal(tt.wantPub) || !a.Modified.Equal(tt.wantMod) {
			t.Errorf("%s: dropped %q, published %v, modified %v", tt.name, got, a.Published, a.Modified)
		}
		for _, d := range got {
			if !strings.Contains(d, "date") || !strings.Contains(d, "1900") {
				t.Errorf("%s: %q does not say what was dropped and why", tt.name, d)
			}
		}
	}
	a := &Article{Published: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if got := a.DropImplausibleDates(now); len(got) != 1 || !strings.Contains(got[0], "10000-01-01") {
		t.Errorf("year 10000: %q", got)
	}
}

func TestEncodable(t *testing.T) {
	for y, want := range map[int]bool{-1: false, 0: true, 2026: true, 9999: true, 10000: false} {
		if got := Encodable(time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC)); got != want {
			t.Errorf("year %d: %v", y, got)
		}
	}
}
