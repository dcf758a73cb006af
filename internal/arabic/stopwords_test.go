package arabic

import "testing"

func TestIsStopWord(t *testing.T) {
	for _, w := range []string{"في", "من", "على", "الى", "إلى", "التي", "الذي", "هذا", "هذه", "ان", "أن", "لكن", "وقد", "عن", "the", "les"} {
		if !IsStopWord(Normalize(w)) {
			t.Errorf("%q should be a stop word", w)
		}
	}
	// Content words that the lists carry but news readers search for.
	for _, w := range []string{"دولار", "مارس", "آذار", "يناير", "مليار", "الخميس", "خميس", "ذهب", "شمال",
		"لبنان", "تحالف", "وزير", "مستشفى", "reuters", "خبر", "الخبر"} {
		if IsStopWord(Normalize(w)) {
			t.Errorf("%q should not be a stop word", w)
		}
	}
	if stopWords.Len() < 600 {
		t.Errorf("only %d stop words loaded", stopWords.Len())
	}
	for w := range stopWords.All() {
		if Normalize(w) != w {
			t.Errorf("stop word %q is not in normalized form", w)
		}
	}
}
