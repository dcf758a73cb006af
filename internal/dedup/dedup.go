// Package dedup finds copies of the same text: exact copies by a content
// hash, near copies (a wire story republished with a new headline, trimmed
// or re-edited paragraphs, another spelling of the same letters) by MinHash
// over word shingles, and candidate pairs without comparing every pair by
// LSH banding of the MinHash signature.
//
// All functions take text that is already normalized (arabic.Normalize):
// spelling variants such as أ/ا or ى/ي are folded there, so here a word is
// a maximal run of letters, digits and combining marks and everything else
// separates words.
//
// Choices, and why:
//
//   - Shingles are 5 consecutive words. A copy shares long exact passages
//     with its original; a rewrite of the same press release shares many
//     word pairs and triples but few 5-word runs. On SaudiNewsNet, 5-word
//     shingles separate copies from rewrites better than 3 or 4 (see the
//     evaluation in package cluster), and more words gain nothing.
//   - The signature is one-permutation MinHash (one hash per shingle,
//     K=128 bins, minimum kept per bin) with optimal densification for
//     empty bins. It estimates Jaccard like K independent permutations but
//     costs one hash per shingle instead of K, which keeps Signature in
//     the microseconds even for long articles.
//   - Numbers are masked: every word with a digit counts as the same word.
//     A copy with one corrected figure stays a copy, and a bulletin that
//     reuses yesterday's template with new figures looks like yesterday's;
//     package cluster tells such templates from copies by their numbers.
//   - Hashing is FNV-1a per word followed by a SplitMix64 finalizer, with
//     fixed constants: signatures are the same on every run and machine,
//     so they can be stored and compared later.
//   - Copies are judged by containment: the share of the shorter text's
//     shingles found in the longer one, estimated from the Jaccard estimate
//     and the two shingle counts. An outlet that publishes only the first
//     paragraphs of a wire story, or adds its own paragraph to it, makes a
//     copy whose Jaccard with the original is low (a tenth of the silver
//     copies on SaudiNewsNet have 5-shingle Jaccard below 0.3) but whose
//     containment is high. A floor on the Jaccard keeps a short text
//     from being a copy of a long roundup that quotes one sentence of it.
//   - Bands: 64 bands of 2 rows, because copies with low Jaccard must still
//     meet: a pair with Jaccard 0.2 shares a band with probability 0.93,
//     at 0.3 with 0.998, while unrelated news (Jaccard about 0.01) shares
//     one with probability 0.006. Pairs that share only common phrases
//     (royal titles) meet more often; the store ranks candidates by the
//     number of shared bands, which true copies win. Each band key mixes in
//     its band index, so equal values in different bands never collide.
//   - A copy is similar in both directions: besides the containment of
//     the shorter text, the estimated share of the LONGER text's shingles
//     found in the shorter must reach MinLongerShare. A short item that a
//     long article or a daily digest quotes whole is contained in it, but
//     the digest is not its copy (package cluster still puts the two in
//     one story). On SaudiNewsNet a tenth of the copy links of the
//     containment rule alone joined such texts (see the evaluation in
//     package cluster).
//   - Texts shorter than MinWords words are copies only when their content
//     hashes are equal: a one-line text is "contained" in any article that
//     quotes it.
package dedup

import (
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"slices"
	"strings"
	"unicode"
)

const (
	// ShingleWords is the number of consecutive words in a shingle.
	ShingleWords = 5
	// SignatureSize is the number of MinHash values in a signature.
	SignatureSize = 128
	// BandRows is the number of signature values in one LSH band.
	BandRows = 2
	// NumBands is the number of LSH band keys of a signature.
	NumBands = SignatureSize / BandRows
	// MinWords is the smallest text, in words, that can be a near
	// duplicate; shorter texts are copies only when exactly equal.
	MinWords = 20
	// MinExactWords is the smallest text, in words, that has a content hash
	// and so can be an exact copy.
	MinExactWords = 8
)

// Thresholds used by IsDuplicate; see the package doc.
const (
	// DuplicateContainment is the estimated share of the shorter text's
	// shingles found in the longer one above which two texts are copies.
	DuplicateContainment = 0.7
	// MinDuplicateJaccard keeps containment from matching a short text
	// against a much longer article that merely quotes it.
	MinDuplicateJaccard = 0.15
	// MinLongerShare is the estimated share of the longer text's
	// shingles found in the shorter one below which two texts are not
	// copies, however much of the shorter the longer contains.
	MinLongerShare = 0.55
)

// Words splits normalized text into words: maximal runs of letters, digits
// and combining marks.
func Words(normText string) []string {
	// Room for a word every 10 bytes (an Arabic word of four or five
	// letters and a space), so that the list seldom grows: strings.FieldsFunc
	// grew a list of spans and then made the words (5% of an import's
	// garbage).
	out := make([]string, 0, len(normText)/10+1)
	for w := range strings.FieldsFuncSeq(normText, isSeparator) {
		out = append(out, w)
	}
	return out
}

func isSeparator(r rune) bool {
	switch {
	case r < 0x80:
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	case 0x0621 <= r && r <= 0x064A: // the Arabic letters, the common case
		return false
	case r == 0x060C || r == 0x061B || r == 0x061F || r == 0x06D4: // ، ؛ ؟ ۔
		return true
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
}

// ContentHash returns the exact-duplicate key of normalized text: the hex
// SHA-256 of its words joined by single spaces, so that whitespace and
// punctuation differences do not matter. Text of fewer than MinExactWords
// words gives "": a byline or a "read more" line is not an article, and two
// articles whose extracted bodies are both such a line are not copies.
func ContentHash(normText string) string {
	return hashWords(Words(normText))
}

// Doc is what IsDuplicate needs to know of one text.
type Doc struct {
	Hash     string   // ContentHash
	Sig      []uint64 // Signature
	Words    int      // number of words
	Shingles int      // number of distinct shingles (an estimate for long texts is fine)
}

// NewDoc computes the Doc of normalized text.
func NewDoc(normText string) Doc {
	return NewDocWords(Words(normText))
}

// NewDocWords computes the Doc of a text already split by Words.
func NewDocWords(words []string) Doc {
	sig, n := signatureOfWords(words)
	return Doc{Hash: hashWords(words), Sig: sig, Words: len(words), Shingles: n}
}

func hashWords(words []string) string {
	if len(words) < MinExactWords {
		return ""
	}
	h := sha256.New()
	for i, w := range words {
		if i > 0 {
			h.Write([]byte{' '})
		}
		h.Write([]byte(w))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Signature returns the MinHash signature (SignatureSize values) of the
// word shingles of normalized text. Text without words gives nil.
func Signature(normText string) []uint64 {
	sig, _ := signatureOfWords(Words(normText))
	return sig
}

// emptyBin marks a bin no shingle fell into before densification.
const emptyBin = ^uint64(0)

// SignatureOfWords is Signature over words already split by Words; it
// also returns the number of distinct shingles (counted exactly up to a
// few hundred, where it matters for containment, estimated above).
func SignatureOfWords(words []string) ([]uint64, int) {
	return signatureOfWords(words)
}

func signatureOfWords(words []string) ([]uint64, int) {
	if len(words) == 0 {
		return nil, 0
	}
	wh := make([]uint64, len(words))
	for i, w := range words {
		wh[i] = wordHash(w)
	}
	var sig [SignatureSize]uint64
	for i := range sig {
		sig[i] = emptyBin
	}
	add := func(x uint64) {
		x = mix64(x)
		bin := x >> (64 - 7) // SignatureSize == 128 == 1<<7
		// The value is compared within one bin only, so dropping the bin
		// bits loses nothing; keep the rest so that ties are rare.
		v := x << 7 >> 7
		if v < sig[bin] {
			sig[bin] = v
		}
	}
	var hs []uint64
	if len(words) < ShingleWords {
		// A text shorter than one shingle is its own single shingle.
		h := uint64(0x9e3779b97f4a7c15)
		for _, x := range wh {
			h = combine(h, x)
		}
		hs = []uint64{h}
	} else {
		hs = make([]uint64, 0, len(words)-ShingleWords+1)
		for i := 0; i+ShingleWords <= len(words); i++ {
			h := uint64(0x9e3779b97f4a7c15)
			for _, x := range wh[i : i+ShingleWords] {
				h = combine(h, x)
			}
			hs = append(hs, h)
		}
	}
	for _, h := range hs {
		add(h)
	}
	n := len(hs)
	if n <= maxExactCount {
		// Repeated phrases matter to containment in short texts; count
		// distinct shingles exactly (sorting in place: hs is done with).
		slices.Sort(hs)
		n = len(slices.Compact(hs))
	}
	densify(sig[:])
	return sig[:], n
}

// maxExactCount is the longest text, in shingles, whose distinct
// shingles are counted exactly; longer texts count every shingle.
const maxExactCount = 4096

// densify fills empty bins from non-empty ones chosen by a fixed hash of
// (bin, attempt), the "optimal densification" of one-permutation hashing:
// two texts fill the same empty bin from the same source bin when both
// are empty there, which keeps the Jaccard estimate unbiased.
func densify(sig []uint64) {
	filled := 0
	for _, v := range sig {
		if v != emptyBin {
			filled++
		}
	}
	if filled == 0 || filled == len(sig) {
		return
	}
	src := make([]uint64, len(sig))
	copy(src, sig)
	for i, v := range src {
		if v != emptyBin {
			continue
		}
		for attempt := uint64(1); ; attempt++ {
			j := mix64(uint64(i)<<32|attempt) % uint64(len(src))
			if src[j] != emptyBin {
				// Mix in the attempt so that a copied value is not simply
				// the same as its source bin's (which would double-count
				// one shingle); both texts do the same.
				sig[i] = mix64(src[j]^attempt) << 7 >> 7
				break
			}
		}
	}
}

// Bands returns the LSH band keys of a signature (NumBands keys for a full
// signature; a shorter signature gives keys for its full bands only). Each
// key depends on the band index and the band's values.
func Bands(sig []uint64) []uint64 {
	return BandKeys(sig, BandRows, textBandDomain)
}

// textBandDomain separates text band keys from other users of BandKeys.
const textBandDomain = 0x7465787462616e64 // "textband"

// BandKeys returns the band keys of sig cut into bands of rows values,
// each key mixing domain, the band index and the values. Other packages
// (cluster) use it with their own domain so that their keys never collide
// with text band keys.
func BandKeys(sig []uint64, rows int, domain uint64) []uint64 {
	if rows <= 0 || len(sig) < rows {
		return nil
	}
	keys := make([]uint64, 0, len(sig)/rows)
	for b := 0; (b+1)*rows <= len(sig); b++ {
		h := mix64(domain ^ uint64(b)*0x9e3779b97f4a7c15)
		for _, v := range sig[b*rows : (b+1)*rows] {
			h = combine(h, v)
		}
		keys = append(keys, h)
	}
	return keys
}

// Similarity returns the estimated Jaccard similarity of the texts whose
// signatures are a and b: the share of equal positions. Signatures of
// different lengths, or empty ones, give 0.
func Similarity(a, b []uint64) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	eq := 0
	for i := range a {
		if a[i] == b[i] {
			eq++
		}
	}
	return float64(eq) / float64(len(a))
}

// Containment estimates the share of the smaller shingle set found in the
// larger one from their Jaccard similarity j and sizes na, nb:
// |A∩B| = j(|A|+|B|)/(1+j).
func Containment(j float64, na, nb int) float64 {
	small := min(na, nb)
	if small <= 0 {
		return 0
	}
	c := j * float64(na+nb) / (1 + j) / float64(small)
	return min(c, 1)
}

// LongerShare estimates the share of the larger shingle set found in the
// smaller one from their Jaccard similarity j and sizes na, nb.
func LongerShare(j float64, na, nb int) float64 {
	big := max(na, nb)
	if big <= 0 {
		return 0
	}
	return min(j*float64(na+nb)/(1+j)/float64(big), 1)
}

// IsDuplicate reports whether a and b are copies of the same text: equal
// (non-empty) content hashes, or, when both have at least MinWords words,
// an estimated containment of at least DuplicateContainment, an estimated
// share of the longer text of at least MinLongerShare and an estimated
// Jaccard of at least MinDuplicateJaccard.
func IsDuplicate(a, b Doc) bool {
	if a.Hash != "" && a.Hash == b.Hash {
		return true
	}
	return NearScore(a, b) > 0
}

// NearScore returns the estimated Jaccard similarity of a and b when they
// are near duplicates by the rules of IsDuplicate (ignoring the content
// hash), and 0 otherwise; callers use it to pick the closest copy.
func NearScore(a, b Doc) float64 {
	if a.Words < MinWords || b.Words < MinWords {
		return 0
	}
	j := Similarity(a.Sig, b.Sig)
	if j >= MinDuplicateJaccard && Containment(j, a.Shingles, b.Shingles) >= DuplicateContainment &&
		LongerShare(j, a.Shingles, b.Shingles) >= MinLongerShare {
		return j
	}
	return 0
}

// numberHash stands for every word that contains a digit.
var numberHash = hashString("#")

// wordHash is the shingle hash of a word: numbers (ASCII, Arabic-Indic or
// Persian digits, should the text not be normalized) are masked, so that a
// text and its copy with a corrected figure stay alike, and one template
// filled with other figures is found as alike (package cluster then tells
// templates from copies by their numbers).
func wordHash(w string) uint64 {
	for _, r := range w {
		if '0' <= r && r <= '9' || 0x0660 <= r && r <= 0x0669 || 0x06F0 <= r && r <= 0x06F9 {
			return numberHash
		}
	}
	return hashString(w)
}

// hashString is 64-bit FNV-1a followed by a finalizer (FNV alone mixes the
// last bytes poorly).
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return mix64(h)
}

// HashString is the stable 64-bit hash dedup uses for words; cluster uses
// it for terms.
func HashString(s string) uint64 { return hashString(s) }

// mix64 is the SplitMix64 finalizer: a fast bijection with good avalanche.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Mix64 exposes the finalizer for packages that derive their own keys.
func Mix64(x uint64) uint64 { return mix64(x) }

// combine folds v into the running hash h, order-sensitively.
func combine(h, v uint64) uint64 {
	return mix64(bits.RotateLeft64(h, 23) ^ v + 0x632be59bd9b4e019)
}
