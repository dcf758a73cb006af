package arabic

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func sentences(text string) []string {
	var out []string
	for _, s := range SplitSentences(text) {
		out = append(out, text[s.Start:s.End])
	}
	return out
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"arabic comma and semicolon do not end", "قال الوزير، في بيان؛ إن الوضع مستقر. وأضاف أنه متفائل",
			[]string{"قال الوزير، في بيان؛ إن الوضع مستقر.", "وأضاف أنه متفائل"}},
		{"arabic question mark", "هل يعود؟ نعم!", []string{"هل يعود؟", "نعم!"}},
		{"urdu full stop", "یہ خبر ہے۔ دوسری خبر", []string{"یہ خبر ہے۔", "دوسری خبر"}},
		{"newlines", "العنوان\n\nالفقرة الأولى\r\nالثانية", []string{"العنوان", "الفقرة الأولى", "الثانية"}},
		{"closing quote stays", "قال: \"انتهى.\" ثم غادر", []string{"قال: \"انتهى.\"", "ثم غادر"}},
		{"guillemets", "قال «انتهى؟» ثم غادر", []string{"قال «انتهى؟»", "ثم غادر"}},
		{"decimal number", "ارتفع 3.5 بالمئة. ثم هبط", []string{"ارتفع 3.5 بالمئة.", "ثم هبط"}},
		{"one-letter abbreviation", "قال د. محمد إن الأمر خطير. انتهى", []string{"قال د. محمد إن الأمر خطير.", "انتهى"}},
		{"era letter after a year ends", "وقع ذلك عام 2024 م. ثم تغير", []string{"وقع ذلك عام 2024 م.", "ثم تغير"}},
		{"ellipsis run", "انتظر... ثم ماذا؟!", []string{"انتظر...", "ثم ماذا؟!"}},
		{"url", "زر example.com الآن. شكرا", []string{"زر example.com الآن.", "شكرا"}},
		{"white space only", " \n\t ", nil},
		{"no end mark", "بلا نهاية", []string{"بلا نهاية"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sentences(tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("SplitSentences(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzSplitSentences(f *testing.F) {
	f.Add("قال د. محمد: «انتهى؟» ثم\nغادر...")
	f.Add("\xff.\xfe؟")
	f.Fuzz(func(t *testing.T, s string) {
		boundary := make([]bool, len(s)+1)
		for i := 0; i < len(s); {
			boundary[i] = true
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		boundary[len(s)] = true
		prev := 0
		for _, sp := range SplitSentences(s) {
			if sp.Start < prev || sp.End <= sp.Start || sp.End > len(s) {
				t.Fatalf("bad span %+v in %q", sp, s)
			}
			if !boundary[sp.Start] || !boundary[sp.End] {
				t.Fatalf("span %+v not on rune boundaries in %q", sp, s)
			}
			prev = sp.End
		}
	})
}

func TestIsDigit(t *testing.T) {
	for r := rune(0); r < 0x1000; r++ {
		if isDigit(r) != unicode.IsDigit(r) {
			t.Errorf("isDigit(%U) = %v", r, isDigit(r))
		}
	}
}
