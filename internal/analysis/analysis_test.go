package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"khabar/internal/arabic"
)

type nameSet map[string]bool

func (s nameSet) Has(n string) bool { return s[n] }

func norms(a *Analyzer, text string) []string {
	var out []string
	for _, t := range a.Analyze(text) {
		out = append(out, t.Norm)
	}
	return out
}

func one(t *testing.T, a *Analyzer, word string) Token {
	t.Helper()
	toks := a.Analyze(word)
	if len(toks) != 1 {
		t.Fatalf("Analyze(%q) gave %d tokens, want 1: %+v", word, len(toks), toks)
	}
	return toks[0]
}

// TestSearchSemantics holds the search promises of issue 3: variants meet,
// clitics go, stems meet, and names never meet their look-alike stems.
func TestSearchSemantics(t *testing.T) {
	a := New(Options{})
	sameNorm := [][]string{
		{"ايران", "إيران", "ایران"},
		{"الدولی", "الدولي"},
		{"٢٠٢٤", "2024", "۲۰۲۴"},
		{"مستشفى", "مستشفي"},
		{"ٱلقدس", "القدس", "والقدس", "بالقدس"},
		{"الیمن", "اليمن", "واليمن", "لليمن"},
		{"التحالف", "والتحالف", "للتحالف", "بالتحالف", "فالتحالف", "وللتحالف", "وبالتحالف", "كالتحالف"},
		{"البحرين", "والبحرين", "للبحرين", "بالبحرين"},
		{"لبنان", "للبنان", "ولبنان", "بلبنان"},
		{"الوزير", "وزير", "والوزير"},
		{"الوزارة", "وزارة"},
		{"الولاية", "ولاية"},
		{"الوكالة", "وكالة"},
		{"ايران", "لإيران", "وإيران"},
		{"مصر", "بمصر", "لمصر", "ومصر"},
		{"الله", "لله", "بالله", "والله"},
		{"الحق", "للحق", "بالحق"},
		{"ألعاب", "الألعاب", "والألعاب", "للألعاب"},
		{"إلغاء", "الإلغاء"},
		{"اللجنة", "للجنة", "واللجنة", "لجنة"},
		{"الأردن", "الاردن", "والأردن", "للأردن"},
	}
	for _, g := range sameNorm {
		want := one(t, a, g[0]).Norm
		for _, w := range g[1:] {
			if got := one(t, a, w).Norm; got != want {
				t.Errorf("Norm(%q) = %q, Norm(%q) = %q: want the same", w, got, g[0], want)
			}
		}
	}
	wantNorm := map[string]string{
		"التحالف": "تحالف", "البحرين": "بحرين", "البحر": "بحر", "لبنان": "لبنان", "عمان": "عمان",
		"وزير": "وزير", "وزارة": "وزاره", "ولاية": "ولايه", "وكالة": "وكاله", "فلسطين": "فلسطين",
		"فرنسا": "فرنسا", "بريطانيا": "بريطانيا", "كندا": "كندا", "لندن": "لندن", "ليبيا": "ليبيا",
		"وقال": "قال", "وأكد": "اكد", "٢٠٢٤": "2024", "Reuters": "reuters", "لبن": "لبن", "الله": "الله",
		"بشكل": "بشكل", "فريق": "فريق", "كتاب": "كتاب", "بيروت": "بيروت", "ولد": "ولد",
	}
	for w, want := range wantNorm {
		if got := one(t, a, w).Norm; got != want {
			t.Errorf("Norm(%q) = %q, want %q", w, got, want)
		}
	}
	differ := [][2]string{{"لبنان", "لبن"}, {"البحرين", "البحر"}, {"عمان", "عم"}, {"السودان", "السود"}, {"اليونان", "اليون"}}
	for _, p := range differ {
		x, y := one(t, a, p[0]), one(t, a, p[1])
		if x.Norm == y.Norm || x.Stem == y.Stem || x.Stem == y.Norm {
			t.Errorf("%q (%q/%q) and %q (%q/%q) must stay apart", p[0], x.Norm, x.Stem, p[1], y.Norm, y.Stem)
		}
	}
	for _, name := range []string{"لبنان", "البحرين", "عمان", "السودان", "ايران", "باكستان", "افغانستان", "اليونان", "تونس", "الجزائر", "المغرب", "الكويت", "الأردن", "اليمن"} {
		tok := one(t, a, name)
		if tok.Stem != tok.Norm {
			t.Errorf("name %q: Stem %q != Norm %q", name, tok.Stem, tok.Norm)
		}
	}
	sameStem := [][]string{
		{"المكتبات", "مكتبة", "مكتبات", "والمكتبة"},
		{"مستشفى", "مستشفي", "المستشفى"},
		{"المعلمون", "المعلمين", "معلم"},
		{"المسئولين", "المسؤولين", "مسؤول", "مسئول"},
		{"حكومتهم", "الحكومة", "حكومته", "حكومتنا"},
	}
	for _, g := range sameStem {
		want := one(t, a, g[0]).Stem
		for _, w := range g[1:] {
			if got := one(t, a, w).Stem; got != want {
				t.Errorf("Stem(%q) = %q, Stem(%q) = %q: want the same", w, got, g[0], want)
			}
		}
	}
}

// TestNormPhraseMatchesTokens checks that arabic.NormPhrase, which other
// packages use on written mentions, gives the analyzer's Norm word by word.
func TestNormPhraseMatchesTokens(t *testing.T) {
	a := New(Options{})
	text := readArticle(t) + " ألمانيا والألعاب الإلكترونية للجنة ﷺ"
	var norms []string
	for _, tk := range a.Analyze(text) {
		norms = append(norms, tk.Norm)
	}
	if got, want := arabic.NormPhrase(text, nil), strings.Join(norms, " "); got != want {
		t.Errorf("NormPhrase and token Norms differ:\n got %s\nwant %s", got, want)
	}
}

func TestNamesKeptOutOfStemmer(t *testing.T) {
	plain := New(Options{})
	if tok := one(t, plain, "الحسينين"); tok.Stem == tok.Norm {
		t.Fatalf("test needs a word the stemmer changes, got %+v", tok)
	}
	named := New(Options{Names: nameSet{"الحسينين": true}})
	tok := one(t, named, "والحسينين")
	if tok.Norm != "حسينين" || tok.Stem != "حسينين" {
		t.Errorf("known name: got Norm %q Stem %q, want حسينين for both", tok.Norm, tok.Stem)
	}
	// A name known without its article.
	named = New(Options{Names: nameSet{"كرمان": true}})
	if tok := one(t, named, "كرمان"); tok.Stem != "كرمان" {
		t.Errorf("كرمان known: Stem %q", tok.Stem)
	}
	if tok := one(t, plain, "كرمان"); tok.Stem == "كرمان" {
		t.Errorf("كرمان unknown should be stemmed, got %q", tok.Stem)
	}
}

func TestAnalyzeOffsetsAndSentences(t *testing.T) {
	a := New(Options{})
	text := "قال مُحَمَّدٌ: إنّ «التحالف» وصل إلى ٱلقدس عام ٢٠٢٤م. هل يعود؟\nنعم، Reuters‏ ترى ذلك"
	toks := a.Analyze(text)
	var got []string
	for _, tk := range toks {
		if text[tk.Start:tk.End] != tk.Text {
			t.Errorf("token %+v: Text differs from original[Start:End]", tk)
		}
		got = append(got, tk.Text+"/"+tk.Norm+"/"+string(rune('0'+tk.Sentence)))
	}
	want := "قال/قال/0 مُحَمَّدٌ/محمد/0 إنّ/ان/0 التحالف/تحالف/0 وصل/وصل/0 إلى/الي/0 ٱلقدس/قدس/0 عام/عام/0 ٢٠٢٤/2024/0 م/م/0 " +
		"هل/هل/1 يعود/يعود/1 نعم/نعم/2 Reuters/reuters/2 ترى/تري/2 ذلك/ذلك/2"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("tokens:\n got %s\nwant %s", g, want)
	}
	stops := map[string]bool{}
	for _, tk := range toks {
		stops[tk.Norm] = tk.Stop
	}
	if !stops["الي"] || !stops["ذلك"] || !stops["ان"] || stops["تحالف"] || stops["2024"] {
		t.Errorf("stop flags wrong: %v", stops)
	}
}

func TestAnalyzeWordShapes(t *testing.T) {
	a := New(Options{})
	tests := []struct{ in, want string }{
		{"كـــتاب", "كتاب"},                  // tatweel inside a word
		{"می\u200cشود", "ميشود"},             // ZWNJ joins
		{"\u200fالقدس\u200f", "قدس"},         // bidi marks at the edges
		{"COVID-19 G20", "covid 19 g20"},     // Latin with digits stays whole
		{"2024م ١٠ساعات", "2024 م 10 ساعات"}, // digits split from Arabic letters
		{"ﷺ", "صلي الله عليه سلم"},           // one glyph, several words
		{"ـــ", ""}, // only tatweel: no token
		{"l'État français", "l état français"},
		{"bad\xffbytes", "bad bytes"},
	}
	for _, tt := range tests {
		if got := strings.Join(norms(a, tt.in), " "); got != tt.want {
			t.Errorf("Analyze(%q) norms = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIndexForms(t *testing.T) {
	a := New(Options{})
	terms, stems := a.IndexForms("وقال الوزير إن المكتبات في لبنان والبحرين")
	if terms != "وزير مكتبات لبنان بحرين" {
		t.Errorf("terms = %q", terms)
	}
	if stems != "وزير مكتب لبنان بحرين" {
		t.Errorf("stems = %q", stems)
	}
}

func TestAnalyzeArticle(t *testing.T) {
	a := New(Options{})
	text := readArticle(t)
	toks := a.Analyze(text)
	if len(toks) < 300 {
		t.Fatalf("only %d tokens in a 3 KB article", len(toks))
	}
	last := toks[len(toks)-1]
	if last.Sentence < 5 {
		t.Errorf("article has %d sentences, want more", last.Sentence+1)
	}
	checkTokens(t, text, toks)
}

func checkTokens(t *testing.T, text string, toks []Token) {
	t.Helper()
	// Rune boundaries as a decoder sees them: an invalid byte is one rune.
	boundary := make([]bool, len(text)+1)
	for i := 0; i < len(text); {
		boundary[i] = true
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	boundary[len(text)] = true
	prevStart, prevSent := 0, 0
	for _, tk := range toks {
		if tk.Start < prevStart || tk.Start >= tk.End || tk.End > len(text) {
			t.Fatalf("token %+v: bad offsets (text %d bytes, previous start %d)", tk, len(text), prevStart)
		}
		if !boundary[tk.Start] || !boundary[tk.End] {
			t.Fatalf("token %+v: offsets not on rune boundaries", tk)
		}
		if text[tk.Start:tk.End] != tk.Text {
			t.Fatalf("token %+v: Text != original[Start:End]", tk)
		}
		if tk.Norm == "" || tk.Stem == "" || !utf8.ValidString(tk.Norm) || !utf8.ValidString(tk.Stem) || strings.Contains(tk.Norm, " ") {
			t.Fatalf("token %+v: bad Norm or Stem", tk)
		}
		if tk.Surface != arabic.Normalize(tk.Text) {
			t.Fatalf("token %+v: Surface is not Normalize(Text) %q", tk, arabic.Normalize(tk.Text))
		}
		if arabic.Normalize(tk.Norm) != tk.Norm || arabic.Normalize(tk.Stem) != tk.Stem {
			t.Fatalf("token %+v: Norm or Stem not in normal form", tk)
		}
		if tk.Sentence < prevSent {
			t.Fatalf("token %+v: sentence index went back from %d", tk, prevSent)
		}
		prevStart, prevSent = tk.Start, tk.Sentence
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"", "قال مُحَمَّدٌ: إنّ «التحالف» وصل.", "ﷺ ﻟﺒﻨﺎﻥ", "\xff\u200c\u0654ـ", "2024م", "a\u0301 b", "د. محمد؟\nنعم"} {
		f.Add(s)
	}
	a := New(Options{Names: nameSet{"بحرين": true}})
	f.Fuzz(func(t *testing.T, s string) {
		toks := a.Analyze(s)
		checkTokens(t, s, toks)
		norms := make([]string, len(toks))
		for i, tk := range toks {
			norms[i] = tk.Norm
		}
		if got, want := arabic.NormPhrase(s, nil), strings.Join(norms, " "); got != want && utf8.ValidString(s) {
			t.Fatalf("NormPhrase(%q) = %q, token Norms %q", s, got, want)
		}
		terms, stems := a.IndexForms(s)
		if len(strings.Fields(terms)) != len(strings.Fields(stems)) {
			t.Fatalf("IndexForms(%q): %q and %q differ in length", s, terms, stems)
		}
	})
}

func BenchmarkAnalyze(b *testing.B) {
	a := New(Options{})
	text := readArticle(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		a.Analyze(text)
	}
}

func readArticle(tb testing.TB) string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "extract", "testdata", "cnn-arabic-newspaper4k", "expected-text.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

func TestAnalyzeConcurrent(t *testing.T) {
	a := New(Options{Names: nameSet{"دمشق": true}})
	text := readArticle(t)
	want := a.Analyze(text)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			got := a.Analyze(text)
			if len(got) != len(want) {
				errs <- "token count differs"
				return
			}
			for i := range got {
				if got[i] != want[i] {
					errs <- got[i].Text
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent Analyze differs: %s", e)
	}
}
