package arabic

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestWordSet holds WordSet to a map over words like Arabic ones (shared
// prefixes, two-byte letters) and short and long Latin ones, while it
// grows past several filter sizes.
func TestWordSet(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأ")
	word := func() string {
		if r.IntN(4) == 0 {
			return fmt.Sprintf("w%d", r.IntN(100000))
		}
		out := []rune("ال")[:r.IntN(3)]
		for range 1 + r.IntN(12) {
			out = append(out, letters[r.IntN(len(letters))])
		}
		return string(out)
	}
	var s WordSet
	want := map[string]bool{}
	if s.Has("") || s.Has("كتاب") {
		t.Fatal("the empty set has a word")
	}
	for i := range 20000 {
		w := word()
		s.Add(w)
		want[w] = true
		if i%1000 != 0 {
			continue
		}
		if s.Len() != len(want) {
			t.Fatalf("Len = %d, want %d", s.Len(), len(want))
		}
		for range 2000 {
			q := word()
			if s.Has(q) != want[q] {
				t.Fatalf("Has(%q) = %v after %d words", q, s.Has(q), i+1)
			}
		}
		for w := range want {
			if !s.Has(w) {
				t.Fatalf("Has(%q) = false after %d words", w, i+1)
			}
		}
	}
	n := 0
	for w := range s.All() {
		if !want[w] {
			t.Errorf("All gave %q", w)
		}
		n++
	}
	if n != len(want) {
		t.Errorf("All gave %d words, want %d", n, len(want))
	}
}

// TestWordSetFilter: the filter sends few words not in the set on to the
// map (it would still answer correctly if it sent them all).
func TestWordSetFilter(t *testing.T) {
	s := NewWordSet()
	for i := range 3000 {
		s.Add(fmt.Sprintf("الكلمة%d", i))
	}
	passed := 0
	for i := range 100000 {
		w := fmt.Sprintf("كلمة%dاخرى", i)
		h := wordHash(w)
		if b := filterBits(h); s.bits[h>>12&uint64(len(s.bits)-1)]&b == b {
			passed++
		}
	}
	if passed > 5000 {
		t.Errorf("the filter let %d of 100000 absent words through", passed)
	}
}

func BenchmarkWordSet(b *testing.B) {
	ws := slices.Collect(stopWords.All())
	text := strings.Fields(Normalize(readTestdata(b, "cnn-arabic-newspaper4k/expected-text.txt")))
	b.Run("map", func(b *testing.B) {
		m := map[string]struct{}{}
		for _, w := range ws {
			m[w] = struct{}{}
		}
		for i := 0; b.Loop(); i++ {
			_, _ = m[text[i%len(text)]]
		}
	})
	b.Run("WordSet", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			stopWords.Has(text[i%len(text)])
		}
	})
}
