package arabic

import (
	"iter"
	"maps"
	"slices"
)

// WordSet is a set of words for look-ups made for every word of every
// article (stop words, known names, verbs). Most such look-ups ask about a
// word not in the set; a bit filter of 16 bits a word, small enough to stay
// in the CPU's nearest cache, answers nearly all of those without the
// map's hashing, probing and key comparison. Build it with Add, then share
// it: Has is safe for concurrent use once no Add runs.
type WordSet struct {
	m    map[string]struct{}
	bits []uint64
}

// NewWordSet returns the set of words.
func NewWordSet(words ...string) *WordSet {
	s := &WordSet{m: make(map[string]struct{}, len(words))}
	for _, w := range words {
		s.Add(w)
	}
	return s
}

// Add adds w.
func (s *WordSet) Add(w string) {
	if s.m == nil {
		s.m = map[string]struct{}{}
	}
	if _, ok := s.m[w]; ok {
		return
	}
	s.m[w] = struct{}{}
	if 64*len(s.bits) < 16*len(s.m) {
		n := 64 // words of the filter: a power of two
		for 64*n < 32*len(s.m) {
			n *= 2
		}
		s.bits = make([]uint64, n)
		for w := range s.m {
			s.mark(w)
		}
		return
	}
	s.mark(w)
}

func (s *WordSet) mark(w string) {
	h := wordHash(w)
	s.bits[h>>12&uint64(len(s.bits)-1)] |= filterBits(h)
}

// filterBits are the two bits of hash h within its filter word.
func filterBits(h uint64) uint64 { return 1<<(h&63) | 1<<(h>>6&63) }

// Has reports whether w is in the set.
func (s *WordSet) Has(w string) bool {
	if len(s.bits) == 0 {
		return false
	}
	h := wordHash(w)
	if b := filterBits(h); s.bits[h>>12&uint64(len(s.bits)-1)]&b != b {
		return false
	}
	_, ok := s.m[w]
	return ok
}

// Clone returns a copy of s, to which words can be added without
// changing s.
func (s *WordSet) Clone() *WordSet {
	c := &WordSet{m: make(map[string]struct{}, len(s.m)), bits: slices.Clone(s.bits)}
	for w := range s.m {
		c.m[w] = struct{}{}
	}
	return c
}

// Len is the number of words in the set.
func (s *WordSet) Len() int { return len(s.m) }

// All returns the words of the set, in no order.
func (s *WordSet) All() iter.Seq[string] { return maps.Keys(s.m) }

// wordHash is a quick hash of w for the filter: its length and its first
// and last eight bytes (all of a word of up to sixteen bytes: eight
// Arabic letters), mixed. Words that differ only in the middle of a long
// word share it, which costs only a map look-up.
func wordHash(w string) uint64 {
	n := len(w)
	var a, b uint64
	if n >= 8 {
		a = load64(w)
		b = load64(w[n-8:])
	} else {
		for i := range n {
			a = a<<8 | uint64(w[i])
		}
	}
	h := (a ^ uint64(n)*0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9
	h ^= b * 0x94d049bb133111eb
	h ^= h >> 31
	h *= 0x9e3779b97f4a7c15
	return h ^ h>>29
}

// load64 reads the first eight bytes of s, little-endian.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
