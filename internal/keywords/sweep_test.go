package keywords

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"khabar/internal/sharedtest"
)

// akecKey folds a phrase the way ../shared/eval/kpscore does (letter
// variants, marks, the article on each word), so that weights can be
// compared without running kpscore for each setting.
func akecKey(s string) string {
	fold := map[rune]rune{'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ی': 'ي', 'ک': 'ك', 'ة': 'ه', 'ؤ': 'و', 'ئ': 'ي'}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) || r == 'ـ' || unicode.Is(unicode.Cf, r) {
			continue
		}
		if f, ok := fold[r]; ok {
			r = f
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		} else {
			space = true
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		for _, p := range []string{"وال", "بال", "كال", "فال", "لل", "ال"} {
			if strings.HasPrefix(w, p) && len([]rune(w))-len([]rune(p)) >= 2 {
				w = strings.TrimPrefix(w, p)
				break
			}
		}
		words[i] = w
	}
	return strings.Join(words, " ")
}

func readGold(t *testing.T, path string) map[string][]string {
	f, err := os.Open(path)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	gold := map[string][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		id, rest, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "\ufeff"), " : ")
		if !ok {
			continue
		}
		for _, p := range strings.Split(rest, ",") {
			if p = strings.TrimSpace(p); p != "" {
				gold[strings.TrimSpace(id)] = append(gold[strings.TrimSpace(id)], p)
			}
		}
	}
	return gold
}

// f1At10 is kpscore's F1@10 (macro P and R, then F1).
func f1At10(gold, pred map[string][]string) (p, r, f float64) {
	for id, g := range gold {
		all := map[string]bool{}
		for _, x := range g {
			all[akecKey(x)] = true
		}
		ps := pred[id]
		if len(ps) > 10 {
			ps = ps[:10]
		}
		got := map[string]bool{}
		hits := 0
		for _, x := range ps {
			k := akecKey(x)
			got[k] = true
			if all[k] {
				hits++
			}
		}
		p += float64(hits) / 10
		top := g
		if len(top) > 10 {
			top = top[:10]
		}
		found := 0
		for _, x := range top {
			if got[akecKey(x)] {
				found++
			}
		}
		r += float64(found) / float64(len(top))
	}
	n := float64(len(gold))
	p, r = p/n, r/n
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// candidateRecallFloor is the share of akec-dev's gold top-10 phrases
// that are candidates (0.789 when last measured), less a margin.
const candidateRecallFloor = 0.78

// TestCandidateRecall measures how many gold top-10 phrases are
// candidates at all, the ceiling of any ranking, and fails when it drops
// below candidateRecallFloor.
func TestCandidateRecall(t *testing.T) {
	docs, goldPath := readAKEC(t)
	gold := readGold(t, goldPath)
	total, found := 0, 0
	missed := map[int]int{}
	var examples []string
	for _, d := range docs {
		toks := an.Analyze(d.text)
		have := map[string]bool{}
		scan(d.text, toks, nil, func(o occurrence) {
			have[akecKey(display(d.text, toks, firstWord(toks, o.i), o.i, o.j))] = true
		})
		g := gold[d.id]
		if len(g) > 10 {
			g = g[:10]
		}
		for _, p := range g {
			total++
			if have[akecKey(p)] {
				found++
			} else {
				missed[len(strings.Fields(p))]++
				if len(examples) < 60 {
					examples = append(examples, p)
				}
			}
		}
	}
	t.Logf("gold top-10 phrases that are candidates: %d of %d; missed by length %v", found, total, missed)
	t.Logf("examples: %q", examples)
	if total == 0 {
		t.Fatal("no gold phrases read")
	}
	if r := float64(found) / float64(total); r < candidateRecallFloor {
		t.Errorf("candidate recall %.3f is below %.2f", r, candidateRecallFloor)
	}
}

// snnArticles reads up to n articles from the SaudiNewsNet zips in ../shared
// (research only: read in place).
func snnArticles(t testing.TB, n int) []string {
	files, _ := filepath.Glob(sharedtest.Path(t, "corpora", "saudinewsnet", "zips", "*.zip"))
	var out []string
	for _, f := range files {
		zr, err := zip.OpenReader(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range zr.File {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			var arts []struct{ Title, Content string }
			err = json.NewDecoder(rc).Decode(&arts)
			rc.Close()
			if err != nil {
				t.Fatalf("%s: %v", zf.Name, err)
			}
			for _, a := range arts {
				if len(out) == n {
					zr.Close()
					return out
				}
				out = append(out, a.Title+"\n"+a.Content)
			}
		}
		zr.Close()
	}
	return out
}

// candidatesOf is Candidates of a text, analysed and its entities found
// as the pipeline does.
func candidatesOf(text string) []string {
	toks := an.Analyze(text)
	return Candidates(text, toks, rec.Recognize(text, toks))
}
