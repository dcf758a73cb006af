package fever

import (
	"slices"
	"strings"
	"testing"
)

func TestParseIDs(t *testing.T) {
	got, err := ParseIDs(" 3,1 ,,20", 50)
	if err != nil || !slices.Equal(got, []int64{3, 1, 20}) {
		t.Errorf("ParseIDs = %v, %v", got, err)
	}
	for _, bad := range []string{"1,x", "0", "-2", "1.5", "99999999999999999999"} {
		if ids, err := ParseIDs(bad, 50); err == nil {
			t.Errorf("ParseIDs(%q) = %v, want an error", bad, ids)
		}
	}
	if _, err := ParseIDs(strings.Repeat("1,", 51), 50); err == nil {
		t.Error("51 ids accepted, at most 50")
	}
}

func TestGroupID(t *testing.T) {
	if GroupID("اقتصاد") != GroupID("اقتصاد") || GroupID("a") == GroupID("b") || GroupID("") <= 0 {
		t.Error("group ids are not stable, distinct and positive")
	}
}

// FuzzParseIDs: no input panics; what parses is at most max positive ids.
func FuzzParseIDs(f *testing.F) {
	for _, s := range []string{"1,2,3", "", ",", "x", "1,,2", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ids, err := ParseIDs(s, 50)
		if err != nil {
			return
		}
		if len(ids) > 50 {
			t.Fatalf("%d ids", len(ids))
		}
		for _, id := range ids {
			if id < 1 {
				t.Fatalf("ParseIDs(%q) gave %d", s, id)
			}
		}
	})
}
