package dedup

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// wire is a synthetic wire text long enough for near-duplicate rules.
var wire = strings.Join([]string{
	"قال المبعوث الامريكي للتحالف الدولي لمحاربه تنظيم الدوله ان مهمه التحالف الدولي لم تنته بعد",
	"وانه لا توجد حاليا خطه لانسحاب التحالف من المنطقه التي يتواجد فيها سواء في العراق او في سوريا",
	"واضاف في مقابله الليله الماضيه مع قناه الحره ان مهمه التحالف الدولي لمحاربه تنظيم داعش لم تنته",
	"وفي سؤال ان كان هناك اي اطار زمني لانسحاب قوات التحالف من العراق قال هناك مباحثات ثنائيه",
	"من اجل وضع اطار دائم للتعاون الامني بين البلدين وحاليا ليس هناك خطه لانسحاب التحالف الدولي",
}, " ")

func TestContentHash(t *testing.T) {
	const s = "اعلنت الوزاره اليوم عن نتائج القبول في الجامعات"
	a := ContentHash("اعلنت  الوزاره اليوم، عن نتائج\nالقبول في الجامعات.")
	b := ContentHash(s)
	if a == "" || a != b {
		t.Errorf("hash should ignore spacing and punctuation: %q vs %q", a, b)
	}
	if ContentHash(s+" الحكوميه") == a {
		t.Error("different words gave the same hash")
	}
	for _, short := range []string{"", " ،. ", "مساعد الزويهري"} {
		if h := ContentHash(short); h != "" {
			t.Errorf("%q: got %q, want no hash for a text this short", short, h)
		}
	}
}

func TestSignatureDeterministicAndShape(t *testing.T) {
	s1, s2 := Signature(wire), Signature(wire)
	if len(s1) != SignatureSize || !slices.Equal(s1, s2) {
		t.Fatalf("signature not deterministic or wrong size: %d", len(s1))
	}
	for i, v := range s1 {
		if v == emptyBin {
			t.Fatalf("bin %d left empty after densification", i)
		}
	}
	if Signature("") != nil {
		t.Error("empty text should have no signature")
	}
	if got := len(Signature("كلمه")); got != SignatureSize {
		t.Errorf("one-word text: signature size %d", got)
	}
	keys := Bands(s1)
	if len(keys) != NumBands {
		t.Fatalf("got %d bands, want %d", len(keys), NumBands)
	}
	// The band index is part of the key: a signature whose values are all
	// equal must still give distinct keys.
	same := make([]uint64, SignatureSize)
	k := Bands(same)
	slices.Sort(k)
	if len(slices.Compact(k)) != NumBands {
		t.Error("equal band values in different bands gave equal keys")
	}
}

func TestNearDuplicates(t *testing.T) {
	words := Words(wire)
	orig := NewDoc(wire)

	// A re-edit: one word replaced, one dropped, a phrase added at the end.
	edited := slices.Clone(words)
	edited[10] = "الجديده"
	edited = slices.Delete(edited, 30, 31)
	edited = append(edited, "بحسب", "ما", "نقلت", "الوكاله")
	ed := NewDoc(strings.Join(edited, " "))
	if !IsDuplicate(orig, ed) {
		t.Errorf("re-edited copy not a duplicate (similarity %.2f)", Similarity(orig.Sig, ed.Sig))
	}
	if !sharesBand(Bands(orig.Sig), Bands(ed.Sig)) {
		t.Error("re-edited copy shares no band")
	}

	// A trimmed copy: the first 60% of the text.
	trim := NewDoc(strings.Join(words[:len(words)*6/10], " "))
	if !IsDuplicate(orig, trim) {
		t.Errorf("trimmed copy not a duplicate (similarity %.2f, containment %.2f)",
			Similarity(orig.Sig, trim.Sig), Containment(Similarity(orig.Sig, trim.Sig), orig.Shingles, trim.Shingles))
	}

	// The same words shuffled are a different text.
	r := rand.New(rand.NewPCG(1, 2))
	shuf := slices.Clone(words)
	r.Shuffle(len(shuf), func(i, j int) { shuf[i], shuf[j] = shuf[j], shuf[i] })
	sd := NewDoc(strings.Join(shuf, " "))
	if IsDuplicate(orig, sd) {
		t.Errorf("shuffled words judged a copy (similarity %.2f)", Similarity(orig.Sig, sd.Sig))
	}
}

// A short item that a long digest quotes whole is contained in it, but it
// is not its copy: a copy is similar in both directions.
func TestContainedItemIsNoCopy(t *testing.T) {
	words := Words(wire)
	item := NewDoc(strings.Join(words[:30], " "))
	// a digest: other items (distinct words), then the item, three times
	// its length in all
	letters := []rune("بتثجحخدذرزسشصضطظعغفقكلمنهوي")
	var digest []string
	for i := range 60 {
		digest = append(digest, "خبر"+string(letters[i%len(letters)])+string(letters[i/len(letters)]))
	}
	digest = append(digest, words[:30]...)
	long := NewDoc(strings.Join(digest, " "))
	j := Similarity(item.Sig, long.Sig)
	if c := Containment(j, item.Shingles, long.Shingles); c < DuplicateContainment {
		t.Fatalf("item not contained in the digest (containment %.2f): the test says nothing", c)
	}
	if IsDuplicate(item, long) || IsDuplicate(long, item) {
		t.Errorf("item judged a copy of the digest that quotes it (share of the digest %.2f)",
			LongerShare(j, item.Shingles, long.Shingles))
	}
	if got := LongerShare(0.25, 10, 40); got != 0.25 {
		t.Errorf("LongerShare(0.25, 10, 40) = %v, want 0.25", got)
	}
	if got := LongerShare(0.5, 0, 0); got != 0 {
		t.Errorf("LongerShare of empty sets = %v, want 0", got)
	}
}

func TestTinyTextsOnlyExact(t *testing.T) {
	const brief = "حاله الطقس اليوم في الرياض غائم جزئيا مع امطار متفرقه"
	short := NewDoc(brief)
	long := NewDoc(brief + " " + wire)
	if IsDuplicate(short, long) {
		t.Error("a tiny text is contained in a longer one but must not be its copy")
	}
	if !IsDuplicate(short, NewDoc("حاله الطقس، اليوم في الرياض: غائم جزئيا مع امطار متفرقه")) {
		t.Error("equal short texts are exact copies")
	}
	if IsDuplicate(NewDoc("مساعد الزويهري"), NewDoc("مساعد الزويهري")) {
		t.Error("two bylines are not copies")
	}
	if IsDuplicate(NewDoc(""), NewDoc("")) {
		t.Error("empty texts are not copies of each other")
	}
}

func TestSimilarityEdgeCases(t *testing.T) {
	if Similarity(nil, nil) != 0 || Similarity([]uint64{1}, []uint64{1, 2}) != 0 {
		t.Error("empty or mismatched signatures must give 0")
	}
	if got := Containment(1, 0, 0); got != 0 {
		t.Errorf("containment of empty sets: %v", got)
	}
}

func sharesBand(a, b []uint64) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func BenchmarkSignature(b *testing.B) {
	text := strings.Repeat(wire+" ", 6) // about 500 words
	for b.Loop() {
		d := NewDoc(text)
		_ = Bands(d.Sig)
	}
}
