package keywords

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"khabar/internal/analysis"
	"khabar/internal/arabic"
	"khabar/internal/entities"
	"khabar/internal/entities/lex"
	"khabar/internal/model"
	"khabar/internal/sharedtest"
)

var (
	rec = entities.New(entities.Options{})
	an  = analysis.New(analysis.Options{Names: rec.Names()})
)

// extractOK is Extract with stats that cannot fail.
func extractOK(text string, toks []analysis.Token, ents []model.Entity, stats Stats, top int) []string {
	kws, err := Extract(context.Background(), text, toks, ents, stats, top)
	if err != nil {
		panic(err)
	}
	return kws
}

// failingStats is a store that cannot answer.
type failingStats struct{}

func (failingStats) DocFreq(context.Context, []string) (map[string]int, int, error) {
	return nil, 0, errors.New("disk gone")
}

// TestExtractReportsStatsError checks that a failing store stops the
// ranking with its error instead of ranking as if the corpus were empty.
func TestExtractReportsStatsError(t *testing.T) {
	text := "قال وزير الخارجية إن المفاوضات مستمرة. وأضاف وزير الخارجية أن الاتفاق قريب."
	toks := an.Analyze(text)
	kws, err := Extract(context.Background(), text, toks, nil, failingStats{}, 5)
	if err == nil || !strings.Contains(err.Error(), "disk gone") || kws != nil {
		t.Errorf("Extract with a failing store = %q, %v; want no keyphrases and its error", kws, err)
	}
}

func tagText(text string, stats Stats) []string {
	toks := an.Analyze(text)
	return extractOK(text, toks, rec.Recognize(text, toks), stats, 10)
}

func referencePage(t testing.TB) string {
	raw, err := os.ReadFile(sharedtest.Path(t, "reference", "aggregator-page.txt"))
	if err != nil {
		t.Skipf("reference page: %v", err)
	}
	return string(raw)
}

// checkTags applies the rules every tag must follow.
func checkTags(t *testing.T, tags []string) {
	t.Helper()
	for _, tag := range tags {
		if strings.ContainsAny(tag, "یکـ") {
			t.Errorf("%q: Persian letters or tatweel", tag)
		}
		words := strings.Fields(tag)
		if len(words) == 0 || len(words) > maxGram {
			t.Errorf("%q: %d words", tag, len(words))
			continue
		}
		for _, w := range []string{words[0], words[len(words)-1]} {
			n := arabic.Normalize(w)
			if lex.IsParticle(n) || lex.IsPastVerb(n) {
				t.Errorf("%q starts or ends with a particle or verb %q", tag, w)
			}
		}
		if first := []rune(words[0]); len(first) > 3 && (strings.HasPrefix(words[0], "لل") || strings.HasPrefix(words[0], "وال") || strings.HasPrefix(words[0], "بال")) {
			t.Errorf("%q keeps a clitic", tag)
		}
	}
}

func TestReferencePage(t *testing.T) {
	text := referencePage(t)
	tags := tagText(text, nil)
	t.Logf("tags: %q", tags)
	if len(tags) < 3 || len(tags) > 10 {
		t.Errorf("%d tags, want 3–10", len(tags))
	}
	if !slices.Contains(tags, "التحالف الدولي") {
		t.Errorf("tags %q lack التحالف الدولي", tags)
	}
	for _, tag := range tags {
		if strings.Contains(tag, "لمحاربة") {
			t.Errorf("fragment %q", tag)
		}
	}
	checkTags(t, tags)
}

func TestVariantsAreOneTag(t *testing.T) {
	text := "أعلن التحالف الدولي خطة جديدة.\nوقال قائد للتحالف الدولي إن والتحالف الدولي مستمر. ودعا التحالف الدولی الدول الأعضاء إلى دعم التحالف الدولي."
	tags := tagText(text, nil)
	n := 0
	for _, tag := range tags {
		if arabic.Normalize(tag) == arabic.Normalize("التحالف الدولي") {
			n++
			if tag != "التحالف الدولي" {
				t.Errorf("display %q, want التحالف الدولي", tag)
			}
		}
	}
	if n != 1 {
		t.Errorf("التحالف الدولي appears %d times in %q", n, tags)
	}
	checkTags(t, tags)
}

func TestCandidates(t *testing.T) {
	text := "ارتفعت أسعار الأمن، الغذائي في المدينة المنورة؛ وقال يقول الخبراء إن الأمن الغذائي مهم."
	cands := Candidates(text, an.Analyze(text), nil)
	for _, c := range cands {
		if c == "امن غذائي" && strings.Count(text, "الأمن الغذائي") == 0 {
			t.Errorf("candidate crosses a comma: %q", c)
		}
		for _, w := range strings.Fields(c) {
			if w == "قال" || w == "يقول" || w == "في" || w == "ان" {
				t.Errorf("candidate %q holds %q", c, w)
			}
		}
	}
	if !slices.Contains(cands, "امن غذائي") || !slices.Contains(cands, "مدينه منوره") {
		t.Errorf("candidates %q lack امن غذائي or مدينه منوره", cands)
	}
	if got := Candidates("", nil, nil); len(got) != 0 {
		t.Errorf("no tokens: %q", got)
	}
}

// fixedStats reports the same frequencies for every call.
type fixedStats struct {
	df   map[string]int
	docs int
}

func (s fixedStats) DocFreq(context.Context, []string) (map[string]int, int, error) {
	return s.df, s.docs, nil
}

func TestStatsChangeRanking(t *testing.T) {
	text := "المشروع الجديد في المدينة. المشروع يخدم السكان والمشروع كبير. الطاقة الشمسية مصدر الكهرباء في المشروع والطاقة الشمسية رخيصة."
	toks := an.Analyze(text)
	common := fixedStats{df: map[string]int{"مشروع": 900}, docs: 1000}
	rare := fixedStats{df: map[string]int{"مشروع": 1}, docs: 1000}
	a := extractOK(text, toks, nil, common, 10)
	b := extractOK(text, toks, nil, rare, 10)
	ia, ib := slices.Index(a, "المشروع"), slices.Index(b, "المشروع")
	if ib < 0 || (ia >= 0 && ia <= ib) {
		t.Errorf("a frequent phrase should rank lower: common stats %q, rare stats %q", a, b)
	}
}

func TestBadInput(t *testing.T) {
	long := strings.Repeat("أعلنت وزارة الصحة عن حملة تطعيم واسعة ضد الإنفلونزا الموسمية في المدارس. ", 4000)
	if tags := tagText(long, nil); len(tags) < 3 {
		t.Errorf("long article: %q", tags)
	}
	for _, text := range []string{"", " \n ", "Only English words here, nothing else.", "\xff\xfe", "،؛؟...", "١٢٣ 456"} {
		tags := tagText(text, nil)
		checkTags(t, tags)
		if text == "" && len(tags) != 0 {
			t.Errorf("empty text: %q", tags)
		}
	}
	// tokens that do not belong to the text must not crash Extract
	toks := an.Analyze("التحالف الدولي والتحالف الدولي")
	extractOK("قصير", toks, nil, nil, 5)
	extractOK("", toks, nil, nil, -1)
}

func FuzzExtract(f *testing.F) {
	f.Add("المبعوث الامريكي للتحالف الدولي لمحاربة تنظيم الدولة: لا توجد خطط")
	f.Add("الدولی، لمحاربة؛ التحالف\n\nقوات التحالف 2024م")
	f.Fuzz(func(t *testing.T, text string) {
		toks := an.Analyze(text)
		tags := extractOK(text, toks, rec.Recognize(text, toks), nil, 10)
		if len(tags) > 10 {
			t.Fatalf("%d tags", len(tags))
		}
		for _, tag := range tags {
			if tag == "" || !utf8.ValidString(tag) {
				t.Fatalf("bad tag %q", tag)
			}
		}
		Candidates(text, toks, nil)
	})
}

// sampleArticles reads up to n SaudiNewsNet sample articles from ../shared
// (research only: read in place, never copied).
func sampleArticles(b testing.TB, n int) []string {
	path := sharedtest.Path(b, "corpora", "saudinewsnet", "stratified-sample.jsonl")
	f, err := os.Open(path)
	if err != nil {
		b.Skipf("SaudiNewsNet sample: %v", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() && len(out) < n {
		var a struct{ Title, Content string }
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			b.Fatalf("%s: %v", path, err)
		}
		out = append(out, a.Title+"\n"+a.Content)
	}
	return out
}

// BenchmarkTagging measures entities and keyphrases per article (tokens
// analysed beforehand: analysis has its own benchmark), over 100 real articles.
func BenchmarkTagging(b *testing.B) {
	arts := sampleArticles(b, 100)
	toks := make([][]analysis.Token, len(arts))
	for i, a := range arts {
		toks[i] = an.Analyze(a)
	}
	b.ResetTimer()
	for b.Loop() {
		for i, a := range arts {
			ents := rec.Recognize(a, toks[i])
			extractOK(a, toks[i], ents, nil, 10)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(arts))/1e6, "ms/article")
}

func TestKey(t *testing.T) {
	text := "للتحالف الدولي"
	toks := an.Analyze(text)
	if got := Key("التحالف الدولي"); !slices.Contains(Candidates(text, toks, nil), got) {
		t.Errorf("Key = %q, not among the candidates %q", got, Candidates(text, toks, nil))
	}
	if Key("التحالف الدولی") != Key("والتحالف الدولي") {
		t.Error("Key differs across variants")
	}
}
