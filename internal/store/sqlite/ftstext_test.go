package sqlite

import (
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

func TestFTSText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"التحالف الدولي", "التحالف الدولي"},
		{"covid 19 Riyadh", "covid 19 Riyadh"}, // ASCII: the tokenizer folds it
		{"ÉCOLE café", "éCOLE café"},           // the tokenizer folds ASCII itself
		{"a©b", "a b"},
		{"س«ع»", "س ع "},
		{"a\u200cb", "a b"}, // ZWNJ
		{"ab\xffc", "ab c"}, // invalid UTF-8
		{"e\u0301t", "e t"}, // a combining mark separates, as in PostgreSQL
		{"٢٠١٥ ۴", "٢٠١٥ ۴"},
	}
	for _, c := range cases {
		if got := ftsText(c.in); got != c.want {
			t.Errorf("ftsText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFTSTextKeepsAnalysedWordsUncopied(t *testing.T) {
	s := "وزير الخارجيه السعودي عادل الجبير 2015"
	got := ftsText(s)
	if got != s || unsafeData(got) != unsafeData(s) {
		t.Errorf("ftsText copied or changed %q", s)
	}
}

func unsafeData(s string) *byte { return unsafe.StringData(s) }

// FuzzFTSText: the result is valid UTF-8 of the same words: no character
// the tokenizer could read differently from khabar's analysis (a non-ASCII
// non-word character, or a capital letter) is left, and applying it again
// changes nothing.
func FuzzFTSText(f *testing.F) {
	for _, s := range []string{"التحالف الدولي", "ÉCOLE café", "a©b", "ab\xffc", "İstanbul", "ΣΟΦΙΑ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ftsText(s)
		if !utf8.ValidString(got) {
			t.Fatalf("ftsText(%q) = %q: not UTF-8", s, got)
		}
		for _, r := range got {
			if r >= utf8.RuneSelf && !keptAsIs(r) {
				t.Fatalf("ftsText(%q) = %q keeps %U", s, got, r)
			}
		}
		if again := ftsText(got); again != got {
			t.Fatalf("ftsText not idempotent on %q: %q then %q", s, got, again)
		}
		if strings.Count(got, " ") < strings.Count(s, " ") {
			t.Fatalf("ftsText(%q) = %q lost a space", s, got)
		}
	})
}

func BenchmarkFTSText(b *testing.B) {
	s := strings.Repeat("اعلن التحالف الدولي ضد داعش في العراق وسوريا 2015 ", 100)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		ftsText(s)
	}
}
