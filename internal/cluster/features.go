package cluster

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"khabar/internal/arabic"
	"khabar/internal/dedup"
)

// Limits of the topic feature.
const (
	// MaxTopicTerms is the most salient terms kept per article.
	MaxTopicTerms = 24
	// MaxBodyTerms is the most frequent body words added to the title's.
	MaxBodyTerms = 12
	// MinTopicTerms is the fewest distinct terms that give topic band keys;
	// fewer say too little about the event to find its story.
	MinTopicTerms = 4
	// TopicHashes is the number of MinHash values behind the topic bands.
	TopicHashes = 24
	// TopicBandRows is the number of values in one topic band: two terms
	// must be shared at once, which keeps common single words (a country
	// name) from making everything a candidate.
	TopicBandRows = 2
	// MaxNumbers is the most distinct numbers kept per article.
	MaxNumbers = 32
)

// topicBandDomain separates topic band keys from dedup's text band keys.
const topicBandDomain = 0x746f70696362616e // "topicban"

// Features is what cluster knows of one article: its text for copies, its
// salient terms for stories, and when and where it was published.
type Features struct {
	Text    dedup.Doc
	Topic   []uint64 // sorted distinct hashes of the salient terms
	Numbers []uint64 // sorted distinct hashes of the numbers in the text (at most MaxNumbers)
	// Countries are the sorted distinct hashes of the countries the
	// title names (TitleCountries); two texts whose titles both name
	// countries but none in common are not copies.
	Countries []uint64
	SourceID  int64
	Published time.Time
}

// NewFeatures computes the features of an article from its normalized body
// text (arabic.Normalize of the text without the headline, so that a new
// headline does not hide a copy) and its salient terms (see TopicTerms).
func NewFeatures(normText string, topicTerms []string, sourceID int64, published time.Time) Features {
	words := dedup.Words(normText)
	return Features{
		Text:      dedup.NewDocWords(words),
		Topic:     HashTerms(topicTerms),
		Numbers:   numberHashes(words),
		SourceID:  sourceID,
		Published: published,
	}
}

// TopicTerms picks the salient terms of an article for its story feature:
// the title's words, then extra (keywords and entity names, normalized),
// then the body's most frequent words (at least 3 letters, seen at least
// twice), distinct and at most MaxTopicTerms. All inputs are normalized
// forms (analysis Token.Norm or arabic.Normalize'd words); isStop, when not
// nil, drops stop words (arabic.IsStopWord). Multi-word extras are kept
// whole: a name is one term.
func TopicTerms(titleWords, bodyWords, extra []string, isStop func(string) bool) []string {
	seen := make(map[string]bool, MaxTopicTerms)
	out := make([]string, 0, MaxTopicTerms)
	add := func(w string, minRunes int) {
		if len(out) >= MaxTopicTerms || seen[w] || utf8.RuneCountInString(w) < minRunes {
			return
		}
		if isStop != nil && isStop(w) {
			return
		}
		seen[w] = true
		out = append(out, w)
	}
	for _, w := range titleWords {
		add(w, 2)
	}
	for _, w := range extra {
		add(w, 2)
	}
	type wc struct {
		w     string
		n     int
		first int
	}
	// Sized for the usual share of distinct words, so that neither grows
	// word by word (their growth was 7% of an import's garbage).
	counts := make(map[string]int32, len(bodyWords)/2) // word → its entry in order
	order := make([]wc, 0, len(bodyWords)/2)
	for i, w := range bodyWords {
		if utf8.RuneCountInString(w) < 3 || isDigits(w) {
			continue
		}
		if j, ok := counts[w]; ok {
			order[j].n++
			continue
		}
		counts[w] = int32(len(order))
		order = append(order, wc{w: w, n: 1, first: i})
	}
	slices.SortStableFunc(order, func(a, b wc) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		return cmp.Compare(a.first, b.first)
	})
	added := 0
	for _, c := range order {
		if c.n < 2 || added >= MaxBodyTerms || len(out) >= MaxTopicTerms {
			break
		}
		before := len(out)
		add(c.w, 3)
		if len(out) > before {
			added++
		}
	}
	return out
}

// numberHashes returns the sorted distinct hashes of the first MaxNumbers
// distinct numbers of the words: the runs of digits, whatever letters are
// glued to them ("2016م" is 2016, as "2016" is in its copy), each digit
// read as its value (Arabic-Indic ٢ is 2).
func numberHashes(words []string) []uint64 {
	var (
		hs  []uint64
		run []byte
	)
	// end ends the number being read; false once MaxNumbers are found.
	end := func() bool {
		if len(run) > 0 {
			if h := dedup.HashString(string(run)); !slices.Contains(hs, h) {
				hs = append(hs, h)
			}
			run = run[:0]
		}
		return len(hs) < MaxNumbers
	}
words:
	for _, w := range words {
		if !hasDigit(w) {
			continue
		}
		for _, r := range w {
			if d, ok := digitValue(r); ok {
				run = append(run, '0'+byte(d))
			} else if !end() {
				break words
			}
		}
		if !end() {
			break
		}
	}
	slices.Sort(hs)
	return hs
}

// digitValue is the value of a decimal digit of any script.
func digitValue(r rune) (int, bool) {
	if '0' <= r && r <= '9' {
		return int(r - '0'), true
	}
	if r < utf8.RuneSelf || !unicode.IsDigit(r) {
		return 0, false
	}
	// Unicode decimal digits come in runs of ten from zero.
	for z := r; z > r-10; z-- {
		if !unicode.IsDigit(z - 1) {
			return int(r - z), true
		}
	}
	return 0, false
}

// hasDigit is strings.ContainsFunc(w, unicode.IsDigit), without the
// Unicode table look-up for each Arabic letter (no Arabic letter is a
// digit): it runs over every word of every article.
func hasDigit(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c < utf8.RuneSelf {
			if c >= '0' && c <= '9' {
				return true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		if (r < 0x0621 || r > 0x064A) && unicode.IsDigit(r) {
			return true
		}
		i += size - 1
	}
	return false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// MaxCountries is the most title countries kept per article.
const MaxCountries = 16

// TitleCountries returns the hashes of the countries a title names by
// their Arabic names or adjectives (arabic.Countries), for
// Features.Countries.
func TitleCountries(title string) []uint64 {
	codes := arabic.Countries(title)
	if len(codes) > MaxCountries {
		codes = codes[:MaxCountries]
	}
	hs := make([]uint64, 0, len(codes))
	for _, c := range codes {
		hs = append(hs, dedup.HashString("country:"+c))
	}
	slices.Sort(hs)
	return slices.Compact(hs)
}

// HashTerms returns the sorted distinct hashes of terms (at most
// MaxTopicTerms, the first ones kept).
func HashTerms(terms []string) []uint64 {
	if len(terms) > MaxTopicTerms {
		terms = terms[:MaxTopicTerms]
	}
	hs := make([]uint64, 0, len(terms))
	for _, t := range terms {
		if t == "" {
			continue
		}
		hs = append(hs, dedup.HashString(t))
	}
	slices.Sort(hs)
	return slices.Compact(hs)
}

// TopicBands returns the LSH band keys of the topic: a small MinHash over
// the term hashes cut into bands of TopicBandRows. Topics with fewer than
// MinTopicTerms terms give none.
func TopicBands(topic []uint64) []uint64 {
	if len(topic) < MinTopicTerms {
		return nil
	}
	var sig [TopicHashes]uint64
	for i := range sig {
		seed := dedup.Mix64(uint64(i+1) * 0x9e3779b97f4a7c15)
		m := ^uint64(0)
		for _, h := range topic {
			if v := dedup.Mix64(h ^ seed); v < m {
				m = v
			}
		}
		sig[i] = m
	}
	return dedup.BandKeys(sig[:], TopicBandRows, topicBandDomain)
}

// TextBands returns the text band keys of f (none for an empty text).
func (f Features) TextBands() []uint64 { return dedup.Bands(f.Text.Sig) }

// TopicBands returns the topic band keys of f.
func (f Features) TopicBands() []uint64 { return TopicBands(f.Topic) }

// Bands returns every band key of f, text then topic: what the store keeps
// in IndexData.Bands and what Candidates is asked with. Tiny texts give no
// text bands: they are matched by content hash only.
func (f Features) Bands() []uint64 {
	var text []uint64
	if f.Text.Words >= dedup.MinWords {
		text = f.TextBands()
	}
	return append(text, f.TopicBands()...)
}

// Signature layout (one []uint64 per article in the store):
//
//	[0] header: magic (16 bits) | version (8) | text length (16) | topic length (16) | numbers length (8)
//	[1] words (32 bits) | distinct shingles (32 bits)
//	[2] story start, Unix seconds (int64 bits)
//	[3] title countries length (version 2 only)
//	[... ] text MinHash signature, then topic term hashes, then number
//	hashes, then (version 2) title country hashes
//
// Version 1 signatures, written before titles' countries were kept, are
// still read: they name no countries.
const (
	packMagic    = 0x6b68 // "kh"
	packVersion  = 2
	packHeader   = 4
	packHeaderV1 = 3
)

// ErrBadSignature is returned by Unpack for a signature it cannot read.
var ErrBadSignature = errors.New("cluster: bad signature")

// Packed is an article's stored signature, unpacked.
type Packed struct {
	Text       []uint64
	Words      int
	Shingles   int
	Topic      []uint64
	Numbers    []uint64
	Countries  []uint64  // hashes of the countries the title names
	StoryStart time.Time // publication of the story's first article
}

// Pack lays out f's signatures and the start of the story it joined (from
// Decision.StoryStart) in one slice for model.Article.Signature.
func Pack(f Features, storyStart time.Time) []uint64 {
	text, topic, nums, countries := f.Text.Sig, f.Topic, f.Numbers, f.Countries
	if len(text) > 0xffff {
		text = text[:0xffff]
	}
	if len(topic) > 0xffff {
		topic = topic[:0xffff]
	}
	if len(nums) > 0xff {
		nums = nums[:0xff]
	}
	if len(countries) > MaxCountries {
		countries = countries[:MaxCountries]
	}
	out := make([]uint64, 0, packHeader+len(text)+len(topic)+len(nums)+len(countries))
	out = append(out,
		uint64(packMagic)<<48|uint64(packVersion)<<40|uint64(len(text))<<24|uint64(len(topic))<<8|uint64(len(nums)),
		uint64(clampU32(f.Text.Words))<<32|uint64(clampU32(f.Text.Shingles)),
		uint64(unixOrZero(storyStart)),
		uint64(len(countries)),
	)
	out = append(out, text...)
	out = append(out, topic...)
	out = append(out, nums...)
	return append(out, countries...)
}

func clampU32(n int) uint32 {
	if n < 0 {
		return 0
	}
	if n > 0xffffffff {
		return 0xffffffff
	}
	return uint32(n)
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// Unpack reads a slice written by Pack (this version or version 1). The
// returned slices alias sig.
func Unpack(sig []uint64) (Packed, error) {
	if len(sig) < packHeaderV1 {
		return Packed{}, fmt.Errorf("%w: %d values, want at least %d", ErrBadSignature, len(sig), packHeaderV1)
	}
	h := sig[0]
	if h>>48 != packMagic {
		return Packed{}, fmt.Errorf("%w: unknown layout", ErrBadSignature)
	}
	header, nCountries := packHeaderV1, 0
	switch v := h >> 40 & 0xff; v {
	case 1:
	case packVersion:
		if len(sig) < packHeader {
			return Packed{}, fmt.Errorf("%w: %d values, want at least %d", ErrBadSignature, len(sig), packHeader)
		}
		header = packHeader
		if sig[3] > MaxCountries {
			return Packed{}, fmt.Errorf("%w: %d countries, at most %d", ErrBadSignature, sig[3], MaxCountries)
		}
		nCountries = int(sig[3])
	default:
		return Packed{}, fmt.Errorf("%w: version %d", ErrBadSignature, v)
	}
	nText, nTopic, nNums := int(h>>24&0xffff), int(h>>8&0xffff), int(h&0xff)
	if want := header + nText + nTopic + nNums + nCountries; len(sig) != want {
		return Packed{}, fmt.Errorf("%w: %d values, header says %d", ErrBadSignature, len(sig), want)
	}
	at := header
	next := func(n int) []uint64 {
		s := sig[at : at+n : at+n]
		at += n
		return s
	}
	p := Packed{
		Words:    int(sig[1] >> 32),
		Shingles: int(sig[1] & 0xffffffff),
	}
	p.Text, p.Topic, p.Numbers, p.Countries = next(nText), next(nTopic), next(nNums), next(nCountries)
	if len(p.Countries) == 0 {
		p.Countries = nil
	}
	if s := int64(sig[2]); s != 0 {
		p.StoryStart = time.Unix(s, 0).UTC()
	}
	return p, nil
}

// Similarity returns the estimated Jaccard similarity of two articles'
// texts (for logs and tests).
func Similarity(a, b Features) float64 { return dedup.Similarity(a.Text.Sig, b.Text.Sig) }
