package arabic

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"alef hamza above", "أحمد", "احمد"},
		{"alef hamza below", "إيران", "ايران"},
		{"alef madda", "آخر", "اخر"},
		{"alef wasla", "ٱلقدس", "القدس"},
		{"alef maqsura", "مستشفى", "مستشفي"},
		{"persian yeh", "الیمن", "اليمن"},
		{"persian yeh final", "الدولی", "الدولي"},
		{"keheh", "کتاب", "كتاب"},
		{"teh marbuta", "مدينة", "مدينه"},
		{"heh doachashmee and goal", "ھذا ہذا", "هذا هذا"},
		{"tatweel", "كـــتاب", "كتاب"},
		{"harakat", "مُحَمَّدٌ", "محمد"},
		{"superscript alef", "هٰذا", "هذا"},
		{"quranic marks", "الرَّحِيمِ ۝ ذَٰلِكَ ٱلۡكِتَٰبُ لَا رَيۡبَۛ", "الرحيم ذلك الكتب لا ريب"}, // superscript alef is dropped, as in modern هذا,
		{"arabic-indic digits", "٢٠٢٤", "2024"},
		{"persian digits", "۱۴۰۳", "1403"},
		{"decimal separator", "٣٫٥", "3.5"},
		{"lam-alef ligature", "ﻻ", "لا"},
		{"presentation forms", "ﻟﺒﻨﺎﻥ", "لبنان"},
		{"salla ligature", "محمد ﷺ", "محمد صلي الله عليه وسلم"},
		{"allah ligature", "ﷲ", "الله"},
		{"decomposed hamza on waw", "مو\u0654تمر", "مؤتمر"},
		{"decomposed hamza on yeh", "ري\u0654يس", "رئيس"},
		{"decomposed alef hamza", "ا\u0654حمد", "احمد"},
		{"bidi marks", "\u200fالقدس\u200e \u202bغزة\u202c \u2067x\u2069 \u061cب", "القدس غزه x ب"},
		{"bom", "\ufeffخبر", "خبر"},
		{"zwnj joins persian compounds", "می\u200cشود", "ميشود"},
		{"latin lower case", "Hello WORLD", "hello world"},
		{"latin accents kept", "Élysée", "élysée"},
		{"combining accent composed", "e\u0301t\u0065\u0301", "été"},
		{"fullwidth", "ＡＢＣ", "abc"},
		{"ligature fi", "ﬁnance", "finance"},
		{"canonical singletons", "\uf900 \u212b \u2126", "\u8c48 \u00e5 \u03c9"},
		{"canonical singleton after a mark", "\u0711\uf900", "\u0711\u8c48"},
		{"whitespace collapsed", "  a \t\n b\u00a0\u2003c  ", "a b c"},
		{"controls are separators", "a\x00b\x07c", "a b c"},
		{"invalid utf-8", "ab\xffcd\xc3", "ab\ufffdcd\ufffd"},
		{"empty", "", ""},
		{"only marks", "\u064e\u0650\u0640", ""},
		{"mixed directions", "قال Trump إن", "قال trump ان"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestNormalizeVariantPairs holds the spelling variants of issue 3 that a
// search must treat as one word.
func TestNormalizeVariantPairs(t *testing.T) {
	groups := [][]string{
		{"ايران", "إيران", "ایران", "اِيران"},
		{"الدولی", "الدولي", "الدولى"},
		{"٢٠٢٤", "2024", "۲۰۲۴"},
		{"مستشفى", "مستشفي", "مستشفی"},
		{"ٱلقدس", "القدس", "الْقُدْس"},
		{"الیمن", "اليمن", "اليَمَن"},
		{"كتاب", "کتاب", "كـتـاب", "ﻛﺘﺎﺏ"},
	}
	for _, g := range groups {
		want := Normalize(g[0])
		for _, v := range g[1:] {
			if got := Normalize(v); got != want {
				t.Errorf("Normalize(%q) = %q, Normalize(%q) = %q: want the same", v, got, g[0], want)
			}
		}
	}
}

func TestNormalizeDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"١٥/٠٨/٢٠٢٤", "15/08/2024"},
		{"۱۴۰۳ و ٢٠٢٤", "1403 و 2024"},
		{"plain 2024", "plain 2024"},
		{"مُحَمَّد ٣", "مُحَمَّد 3"}, // only digits change
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeDigits(tt.in); got != tt.want {
			t.Errorf("NormalizeDigits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeArticleIdempotent(t *testing.T) {
	text := readTestdata(t, "cnn-arabic-newspaper4k/expected-text.txt")
	n := Normalize(text)
	if n2 := Normalize(n); n2 != n {
		t.Errorf("Normalize is not idempotent on the article")
	}
	if strings.ContainsAny(n, "أإآةى\u064e\u0640\n") {
		t.Errorf("normalized article still holds a variant letter, mark, tatweel or newline")
	}
	if !strings.Contains(n, "دمشق، سوريا (cnn)") {
		t.Errorf("normalized article lost its opening: %q", n[:80])
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "أحمد", "مُحَمَّدٌ ﷺ", "e\u0301", "\xff\xfe", "ٱلقدس ٢٠٢٤", "ﻟﺒﻨﺎﻥ", "و\u0654", "\u200fa\u200c b", "ＡＢＣ ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if n2 := Normalize(n); n2 != n {
			t.Fatalf("not idempotent: Normalize(%q) = %q, Normalize of that = %q", s, n, n2)
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("Normalize(%q) = %q: white space not collapsed", s, n)
		}
		if h := NormalizeKeepHamza(s); Normalize(h) != n {
			t.Fatalf("Normalize(NormalizeKeepHamza(%q)) = %q, want %q", s, Normalize(h), n)
		}
		if d := NormalizeDigits(s); utf8.ValidString(s) && !utf8.ValidString(d) {
			t.Fatalf("NormalizeDigits(%q) = %q: invalid UTF-8", s, d)
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	text := readTestdata(b, "cnn-arabic-newspaper4k/expected-text.txt")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Normalize(text)
	}
}
