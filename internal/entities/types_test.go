package entities

import (
	"fmt"
	"strings"
	"testing"
)

// typeSentences are sentences with names, clitics, punctuation, digits,
// Latin and repeated forms, for the tests of forms.
var typeSentences = []string{
	"زار الرئيس الفرنسي إيمانويل ماكرون بيروت ، ثم التقى ميشال عون .",
	"وقالت وزارة الخارجية السعودية في بيان إن الأمير سعود الفيصل سيزور القاهرة يوم 12 مارس .",
	"أعلنت شركة Apple و شركة أرامكو عن صفقة بقيمة 3.5 مليار دولار ( نحو 13 مليار ريال ) .",
	"ماكرون ماكرون بيروت بيروت ، ، «الأهلي» فاز على الهلال في الدوري .",
	"x",
}

// emissionsOfFeats is what emissions must give: every feature of each
// token, its form's and its place's alike, looked up one by one.
func emissionsOfFeats(m *Model, ts []ttok) []int32 {
	var sc []int32
	mask := uint64(1)<<m.bits - 1
	for i := range ts {
		var row [nTags]int32
		for _, h := range feats(nil, ts, i, m.feats) {
			if w := m.row(h & mask); w != nil {
				for t := range nRow {
					row[t+1] += int32(w[t])
				}
			}
		}
		sc = append(sc, row[:]...)
	}
	return sc
}

// TestEmissionsFromForms checks that the scores from the forms' rows are
// those of the features one by one, the first time a form is met and when
// the cache gives it.
func TestEmissionsFromForms(t *testing.T) {
	m := BuiltinModel()
	tp := newTyper(base(), m)
	for pass := range 2 {
		for _, s := range typeSentences {
			ws := sentenceWords(tp.g, strings.Fields(s))
			ts := tp.prepare(ws, nil)
			_, got := tp.emissions(ts, nil, nil)
			want := emissionsOfFeats(m, ts)
			if len(got) != len(want) {
				t.Fatalf("pass %d %q: %d scores, want %d", pass, s, len(got), len(want))
			}
			for k := range got {
				if got[k] != want[k] {
					t.Fatalf("pass %d %q: token %d tag %d scores %d, want %d", pass, s, k/nTags, k%nTags, got[k], want[k])
				}
			}
		}
	}
}

// TestFormCacheKey checks that a slot holding another form is not taken
// for the word's own.
func TestFormCacheKey(t *testing.T) {
	tp := newTyper(base(), BuiltinModel())
	ws := sentenceWords(tp.g, []string{"بيروت", "ماكرون"})
	tp.fill(&ws[0])
	// the form of بيروت in the slot of ماكرون
	tp.cache.slots[strHash(ws[1].text)&(typeSlots-1)].Store(ws[0].ty)
	tp.fill(&ws[1])
	if ws[1].ty == ws[0].ty || ws[1].ty.f.text != strHash("ماكرون") {
		t.Fatal("ماكرون took the form of بيروت")
	}
	// and the cache then holds ماكرون, which the next word of it reuses
	again := sentenceWords(tp.g, []string{"ماكرون"})
	tp.fill(&again[0])
	if again[0].ty != ws[1].ty {
		t.Error("the second ماكرون was worked out again, not taken from the cache")
	}
}

// TestConsistentWithoutModel checks that document consistency over the
// rules' spans, which reads the words' forms, works without a tagger.
func TestConsistentWithoutModel(t *testing.T) {
	r := New(Options{Mode: ModeRules | ModeConsistent})
	// the title names برهومي twice; the third time only consistency does
	doc := [][]string{
		strings.Fields("وقال الوزير برهومي إن الزيارة ناجحة ."),
		strings.Fields("وأكد الوزير برهومي ذلك ."),
		strings.Fields("وغادر برهومي مساء أمس ."),
	}
	tags := r.TagCoNLLDocument(doc)
	if len(tags) != 3 || len(tags[2]) != len(doc[2]) {
		t.Fatalf("tags %v for %d sentences", tags, len(doc))
	}
	if tags[0][2] != "B-PERS" || tags[2][1] != "B-PERS" {
		t.Errorf("برهومي tagged %q then %q, want B-PERS both times", tags[0][2], tags[2][1])
	}
}

// FuzzEmissionsFromForms checks the scores from the forms' rows against
// the features looked up one by one for any words, with one cache kept
// across inputs as a recognizer keeps it across texts.
func FuzzEmissionsFromForms(f *testing.F) {
	for _, s := range typeSentences {
		f.Add(s)
	}
	f.Add("\u200f ی ک ، 2016م")
	m := BuiltinModel()
	tp := newTyper(base(), m)
	f.Fuzz(func(t *testing.T, text string) {
		ws := sentenceWords(tp.g, strings.Fields(text))
		ts := tp.prepare(ws, nil)
		_, got := tp.emissions(ts, nil, nil)
		want := emissionsOfFeats(m, ts)
		if len(got) != len(want) {
			t.Fatalf("%d scores, want %d", len(got), len(want))
		}
		for k := range got {
			if got[k] != want[k] {
				t.Fatalf("token %d tag %d scores %d, want %d", k/nTags, k%nTags, got[k], want[k])
			}
		}
	})
}

// TestFormsConcurrent tags the same sentences on several goroutines with
// one recognizer, whose cache they share and fill at once (run with
// -race): each gets the tags of a recognizer of its own.
func TestFormsConcurrent(t *testing.T) {
	var doc [][]string
	for _, s := range typeSentences {
		doc = append(doc, strings.Fields(s))
	}
	want := New(Options{}).TagCoNLLDocument(doc)
	shared := New(Options{})
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			for range 20 {
				got := shared.TagCoNLLDocument(doc)
				for i := range got {
					if strings.Join(got[i], " ") != strings.Join(want[i], " ") {
						errs <- fmt.Sprintf("sentence %d: %v, want %v", i, got[i], want[i])
						return
					}
				}
			}
			errs <- ""
		}()
	}
	for range 8 {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}
