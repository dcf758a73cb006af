package entities

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"khabar/internal/arabic"
	"khabar/internal/entities/lex"
)

// The tagger is a linear sequence model over BIO tags: each token's tag is
// scored by hashed features of the token and its neighbours (see feats),
// neighbouring tags by a transition table, and Viterbi decoding finds the
// best tag sequence under the BIO constraint (I-X follows B-X or I-X).
// Train learns the weights with the averaged structured perceptron.

// Tags of the tagger, in the order of a model's weight rows.
var tagNames = [...]string{"O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"}

const nTags = len(tagNames)

// nRow is the number of weights a feature has: one per tag but O. The
// weights are relative to O's: adding the same number to every tag of a
// token changes no decision, so O's weight is kept at zero, and a row of
// 8 int16 fills a quarter of a cache line, never straddling two.
const nRow = nTags - 1

// emissions adds a row's weights one by one: it must have eight.
var _, _ [nRow - 8][8 - nRow]struct{}

// tagTypes is the entity type of each tag ("" for O), as in model.Entity.
var tagTypes = [nTags]string{"", "PERS", "PERS", "LOC", "LOC", "ORG", "ORG", "MISC", "MISC"}

func tagIndex(s string) (int, bool) {
	for i, t := range tagNames {
		if t == s {
			return i, true
		}
	}
	return 0, false
}

// isInside reports whether tag t is an I- tag.
func isInside(t int) bool { return t > 0 && t%2 == 0 }

// allowed reports whether tag b may follow tag a (a < 0: sentence start).
func allowed(a, b int) bool {
	if !isInside(b) {
		return true
	}
	return a == b || a == b-1
}

// Feature sets a model may use, beyond the word's own form and context.
const (
	// FeatGazetteer adds the gazetteers' matches and the trigger flags of
	// the word and its neighbours (titles, head nouns, given names).
	FeatGazetteer uint32 = 1 << iota
	// FeatRules adds the tags the context rules give the word and its
	// neighbours.
	FeatRules
	// FeatPairs adds pairs of neighbouring word forms beyond the word's
	// own pairs with its neighbours.
	FeatPairs
	// FeatClusters adds the word clusters (see Clusters) of the word and
	// its neighbours; the model holds the cluster table.
	FeatClusters
	// FeatLean leaves out five features that overlap others (the word as
	// written, the neighbours' stems, the far neighbours' clusters): a
	// tenth fewer lookups a token.
	FeatLean
)

// Model holds the weights of a tagger. It is immutable once made.
type Model struct {
	bits  uint32 // log2 of the number of feature buckets
	feats uint32 // Feat* flags
	// trans[(a+1)*nTags+b] scores tag b after tag a; a = -1 at the start.
	trans []int32
	// The feature weights, compact: nz has bit b set when bucket b has a
	// weight, rank[b/64] counts the set bits before word b/64 of nz, and
	// rows holds the nRow weights of each bucket with a bit, in bucket
	// order. Most features of a text were never seen in training; the
	// bitmap answers for them from the processor's cache, and the rows of
	// the rest sit together in a few megabytes rather than spread over a
	// table of every bucket.
	nz   []uint64
	rank []uint32
	rows []int16
	tr   *transTable // trans, for viterbi
	cl   *Clusters   // with FeatClusters
}

// compact builds nz, rank and rows from dense weights w
// (w[bucket*nRow+t-1] scores tag t for a feature hashed to bucket).
func (m *Model) compact(w []int16) {
	m.tr = makeTransTable(m.trans)
	buckets := len(w) / nRow
	m.nz = make([]uint64, (buckets+63)/64)
	m.rank = make([]uint32, len(m.nz))
	m.rows = m.rows[:0]
	n := 0
	for k := 0; k < len(w); k += nRow {
		if zero(w[k : k+nRow]) {
			continue
		}
		b := k / nRow
		m.nz[b/64] |= 1 << (b % 64)
		n++
	}
	m.rows = make([]int16, 0, n*nRow)
	var total uint32
	for i, word := range m.nz {
		m.rank[i] = total
		total += uint32(bits.OnesCount64(word))
		for word != 0 {
			b := i*64 + bits.TrailingZeros64(word)
			word &= word - 1
			m.rows = append(m.rows, w[b*nRow:(b+1)*nRow]...)
		}
	}
}

// row returns the weights of bucket b, or nil when it has none.
func (m *Model) row(b uint64) []int16 {
	word := m.nz[b/64]
	bit := uint64(1) << (b % 64)
	if word&bit == 0 {
		return nil
	}
	r := int(m.rank[b/64]) + bits.OnesCount64(word&(bit-1))
	return m.rows[r*nRow : (r+1)*nRow : (r+1)*nRow]
}

// Features reports the feature sets of m (Feat* flags).
func (m *Model) Features() uint32 { return m.feats }

// modelMagic starts an encoded model; its last byte is the format version.
const modelMagic = "khabar-ner\x02"

// Encode returns m's compact, deterministic encoding: the header, the
// word clusters (with FeatClusters), the transition table, then each
// non-zero feature bucket as the gap from the previous one and its
// weights, all as varints.
func (m *Model) Encode() []byte {
	b := []byte(modelMagic)
	b = binary.AppendUvarint(b, uint64(m.bits))
	b = binary.AppendUvarint(b, uint64(m.feats))
	b = binary.AppendUvarint(b, uint64(nTags))
	if m.feats&FeatClusters != 0 {
		b = m.cl.encode(b)
	}
	for _, v := range m.trans {
		b = binary.AppendVarint(b, int64(v))
	}
	b = binary.AppendUvarint(b, uint64(len(m.rows)/nRow))
	prev, r := -1, 0
	for i, word := range m.nz {
		for word != 0 {
			bucket := i*64 + bits.TrailingZeros64(word)
			word &= word - 1
			b = binary.AppendUvarint(b, uint64(bucket-prev))
			prev = bucket
			for _, v := range m.rows[r*nRow : (r+1)*nRow] {
				b = binary.AppendVarint(b, int64(v))
			}
			r++
		}
	}
	return b
}

func zero(row []int16) bool {
	for _, v := range row {
		if v != 0 {
			return false
		}
	}
	return true
}

// DecodeModel reads a model written by Encode.
func DecodeModel(data []byte) (*Model, error) {
	rest, ok := strings.CutPrefix(string(data), modelMagic)
	if !ok {
		return nil, errors.New("entities: not a tagger model (bad header)")
	}
	b := []byte(rest)
	var err error
	uv := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			err = errors.New("entities: truncated tagger model")
			b = nil
			return 0
		}
		b = b[n:]
		return v
	}
	sv := func() int64 {
		v, n := binary.Varint(b)
		if n <= 0 {
			err = errors.New("entities: truncated tagger model")
			b = nil
			return 0
		}
		b = b[n:]
		return v
	}
	m := &Model{bits: uint32(uv()), feats: uint32(uv())}
	if nt := uv(); err == nil && nt != uint64(nTags) {
		return nil, fmt.Errorf("entities: tagger model has %d tags, want %d", nt, nTags)
	}
	if err != nil {
		return nil, err
	}
	if m.bits < 8 || m.bits > 26 {
		return nil, fmt.Errorf("entities: tagger model has %d bucket bits, want 8 to 26", m.bits)
	}
	if m.feats&FeatClusters != 0 {
		m.cl, b, err = decodeClusters(b)
		if err != nil {
			return nil, err
		}
	}
	m.trans = make([]int32, (nTags+1)*nTags)
	for i := range m.trans {
		m.trans[i] = int32(sv())
	}
	// The buckets come in order: the bitmap and rows are built as they
	// are read, never a table of every bucket (a gigabyte at 26 bits).
	buckets := 1 << m.bits
	n := uv()
	if err != nil {
		return nil, err
	}
	if n > uint64(buckets) {
		return nil, fmt.Errorf("entities: tagger model has %d buckets of %d", n, buckets)
	}
	if n > uint64(len(b)/(1+nRow)) {
		// each bucket takes a byte of gap and one a weight at least
		return nil, fmt.Errorf("entities: truncated tagger model: %d buckets in %d bytes", n, len(b))
	}
	m.tr = makeTransTable(m.trans)
	m.nz = make([]uint64, (buckets+63)/64)
	m.rank = make([]uint32, len(m.nz))
	m.rows = make([]int16, 0, int(n)*nRow)
	bucket := -1
	for range n {
		gap := uv()
		if err != nil {
			return nil, err
		}
		if gap == 0 || gap > uint64(buckets) {
			return nil, fmt.Errorf("entities: tagger model bucket gap %d out of order", gap)
		}
		bucket += int(gap)
		if bucket < 0 || bucket >= buckets {
			return nil, fmt.Errorf("entities: tagger model bucket %d out of range", bucket)
		}
		var row [nRow]int16
		for t := range nRow {
			v := sv()
			if v < -1<<15 || v >= 1<<15 {
				return nil, fmt.Errorf("entities: tagger model weight %d out of range", v)
			}
			row[t] = int16(v)
		}
		if err != nil {
			return nil, err
		}
		if zero(row[:]) {
			continue // as compact leaves it
		}
		m.nz[bucket/64] |= 1 << (bucket % 64)
		m.rows = append(m.rows, row[:]...)
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("entities: %d stray bytes after the tagger model", len(b))
	}
	var total uint32
	for i, word := range m.nz {
		m.rank[i] = total
		total += uint32(bits.OnesCount64(word))
	}
	return m, nil
}

// wfeat is what the tagger reads of a word by itself, worked out once
// per written form (newWord): its shape and the hashes of its forms.
type wfeat struct {
	kind  byte  // shape: 'a' Arabic, 'd' digits, 'l' Latin, 'p' punctuation, 'm' mixed
	lenb  byte  // length class of the core
	def   bool  // the core lost the article
	gflag uint8 // a nationality adjective (1), given name (2), never a name (4)
	// FNV-1a hashes of the word as written, normalized, without proclitics
	// and article (core), its light stem, the first 1-3 letters of the
	// normalized word and the last 1-3 of the core
	text, norm, core, stem uint64
	pre, suf               [3]uint64
}

// ttok is one token as the tagger sees it in its sentence.
type ttok struct {
	ty   *wtype // its form: features, cluster and trigger flags
	gaz  uint8  // gazetteer tag: 0, or 1+tag index of B-/I- of the matched type
	rule uint8  // rules' tag: 0 or 1+tag index
}

// strHash is FNV-1a of s.
func strHash(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// wordFeatures works out f, the tagger's view of word w by itself.
func (g *gazetteer) wordFeatures(w *word, f *wfeat) {
	f.kind = shapeKind(w.text)
	norm := w.norm
	if norm == "" {
		norm = w.text
	}
	core, def := coreForm(w.forms, norm)
	stem := core
	if f.kind == 'a' {
		stem = arabic.LightStem(core)
	}
	f.def, f.lenb = def, lenBucket(core)
	f.text, f.norm = formKey(w)
	f.core, f.stem = strHash(core), strHash(stem)
	for n := range 3 {
		f.pre[n] = strHash(prefixRunes(norm, n+1))
		f.suf[n] = strHash(suffixRunes(core, n+1))
	}
	if !w.skip {
		x := w.forms[0]
		if _, ok := g.nisba[x]; ok {
			f.gflag |= 1
		}
		if _, ok := g.firstNames[x]; ok {
			f.gflag |= 2
		}
		if _, ok := notNames[x]; ok {
			f.gflag |= 4
		}
	}
}

// shapeKind classifies a token.
func shapeKind(s string) byte {
	var ar, di, la, other bool
	for _, r := range s {
		switch {
		case r >= 0x0621 && r <= 0x064a && r != 0x0640: // Arabic letters (not the tatweel), the common case
			ar = true
		case r >= '0' && r <= '9' || unicode.IsDigit(r):
			di = true
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			ar = true
		case r < 0x250 && unicode.IsLetter(r):
			la = true
		case unicode.IsMark(r) || unicode.Is(unicode.Cf, r):
		default:
			other = true
		}
	}
	switch {
	case ar && !di && !la && !other:
		return 'a'
	case di && !ar && !la:
		return 'd'
	case la && !ar && !di:
		return 'l'
	case !ar && !di && !la:
		return 'p'
	}
	return 'm'
}

// coreForm is norm without proclitics and article: the last of its clitic
// forms, then without ال.
func coreForm(forms []string, norm string) (string, bool) {
	c := norm
	if len(forms) > 0 {
		c = forms[len(forms)-1]
	}
	if lex.IsDefinite(c) {
		return c[len("ال"):], true
	}
	return c, false
}

// prepare fills the tagger's view of the words of one sentence: their
// forms (from tp, which sets ws[k].ty), and, as the model asks, gazetteer
// matches and rule tags.
func (tp *typer) prepare(ws []word, out []ttok) []ttok {
	out = out[:0]
	for k := range ws {
		tp.fill(&ws[k])
		out = append(out, ttok{ty: ws[k].ty})
	}
	g := tp.g
	if tp.set&FeatGazetteer != 0 {
		for i := 0; i < len(ws); {
			if ws[i].skip {
				i++
				continue
			}
			sp, ok := g.matchGaz(ws, i)
			if !ok {
				i++
				continue
			}
			setTags(out, sp, func(t *ttok, v uint8) { t.gaz = v })
			i = sp.j
		}
	}
	if tp.set&FeatRules != 0 {
		for _, sp := range g.find(ws) {
			setTags(out, sp, func(t *ttok, v uint8) { t.rule = v })
		}
	}
	return out
}

func setTags(out []ttok, sp span, set func(*ttok, uint8)) {
	b, _ := tagIndex("B-" + typeTag(sp.typ))
	for k := sp.i; k < sp.j && k < len(out); k++ {
		v := uint8(b + 1)
		if k > sp.i {
			v++
		}
		set(&out[k], v)
	}
}

// typeTag is the CoNLL type of a model.Entity type (they are the same
// words today; one place to change if they part).
func typeTag(typ string) string { return typ }

// mix is the SplitMix64 finalizer: it spreads a combination of hashes
// over all 64 bits.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// fh is the hash of feature template t over the values v.
func fh(t byte, v ...uint64) uint64 {
	h := mix(uint64(t) * 0x9e3779b97f4a7c15)
	for _, x := range v {
		h = mix(h ^ x)
	}
	return h
}

// pad stands for the tokens before the first and after the last.
var pad = ttok{ty: &padType}

// prefixRunes and suffixRunes cut s to its first or last n runes ("" when
// s is not longer than n).
func prefixRunes(s string, n int) string {
	i := 0
	for k := 0; k < n; k++ {
		if i >= len(s) {
			return ""
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i >= len(s) {
		return ""
	}
	return s[:i]
}

func suffixRunes(s string, n int) string {
	i := len(s)
	for k := 0; k < n; k++ {
		if i <= 0 {
			return ""
		}
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	if i <= 0 {
		return ""
	}
	return s[i:]
}

func lenBucket(s string) byte {
	n := utf8.RuneCountInString(s)
	switch {
	case n <= 2:
		return byte(n)
	case n <= 4:
		return 3
	case n <= 6:
		return 4
	default:
		return 5
	}
}

// feats appends the feature hashes of token i of ts to dst: its form's,
// its neighbours' as neighbours, and those of its place (see types.go).
func feats(dst []uint64, ts []ttok, i int, set uint32) []uint64 {
	t, p1, p2, n1, n2 := window(ts, i)
	dst = placeFeats(dst, t.ty, placeSelf, set)
	dst = placeFeats(dst, p1.ty, placePrev1, set)
	dst = placeFeats(dst, p2.ty, placePrev2, set)
	dst = placeFeats(dst, n1.ty, placeNext1, set)
	dst = placeFeats(dst, n2.ty, placeNext2, set)
	return contextFeats(dst, ts, i, set)
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// maxFeats bounds the features of a token (feats gives fewer).
const maxFeats = 96

// emissions fills sc[i*nTags+t] with the score of tag t at token i: the
// rows the forms of the token and its neighbours carry (tp.fill worked
// them out), and the weights of the features of its place.
func (tp *typer) emissions(ts []ttok, fs []uint64, sc []int32) ([]uint64, []int32) {
	m := tp.m
	sc = sc[:0]
	mask := uint64(1)<<m.bits - 1
	ty := func(k int) *wtype {
		if k < 0 || k >= len(ts) {
			return tp.pad
		}
		return ts[k].ty
	}
	for i := range ts {
		var row [nTags]int32
		for place, k := range [nPlaces]int{placeSelf: i, placePrev1: i - 1, placePrev2: i - 2, placeNext1: i + 1, placeNext2: i + 2} {
			r := &ty(k).rows[place]
			for t := range nRow {
				row[t+1] += r[t]
			}
		}
		fs = contextFeats(fs[:0], ts, i, tp.set)
		// First the rows of the features that have weights, from the
		// bitmap (in cache); then their weights, whose loads, most of them
		// misses, no longer wait on each other's branches.
		var at [maxFeats]int32
		n := 0
		for _, h := range fs {
			b := h & mask
			word := m.nz[b/64]
			bit := uint64(1) << (b % 64)
			if word&bit != 0 && n < maxFeats {
				at[n] = int32(m.rank[b/64]) + int32(bits.OnesCount64(word&(bit-1)))
				n++
			}
		}
		for _, r := range at[:n] {
			w := (*[nRow]int16)(m.rows[int(r)*nRow:])
			row[1] += int32(w[0])
			row[2] += int32(w[1])
			row[3] += int32(w[2])
			row[4] += int32(w[3])
			row[5] += int32(w[4])
			row[6] += int32(w[5])
			row[7] += int32(w[6])
			row[8] += int32(w[7])
		}
		sc = append(sc, row[:]...)
	}
	return fs, sc
}

// transTable is a transition table for viterbi: t[(a+1)*nTags+b] scores
// tag b after tag a (a = -1 at the start), noTrans where BIO forbids it.
type transTable [(nTags + 1) * nTags]int64

const noTrans = -1 << 50

func makeTransTable(trans []int32) *transTable {
	var t transTable
	for a := -1; a < nTags; a++ {
		for b := range nTags {
			k := (a+1)*nTags + b
			if allowed(a, b) {
				t[k] = int64(trans[k])
			} else {
				t[k] = noTrans
			}
		}
	}
	return &t
}

// viterbi returns the best tags for emission scores sc of n tokens under
// transition table tr, into out.
func viterbi(n int, sc []int32, tr *transTable, out []int, back []int8) ([]int, []int8) {
	out = out[:0]
	if n == 0 {
		return out, back
	}
	var prev, cur [nTags]int64
	back = back[:0]
	for t := range nTags {
		prev[t] = int64(sc[t]) + tr[t]
	}
	for i := 1; i < n; i++ {
		for b := range nTags {
			best, arg := prev[0]+tr[nTags+b], 0
			for a := 1; a < nTags; a++ {
				if s := prev[a] + tr[(a+1)*nTags+b]; s > best {
					best, arg = s, a
				}
			}
			cur[b] = best + int64(sc[i*nTags+b])
			back = append(back, int8(arg))
		}
		prev = cur
	}
	best, arg := prev[0], 0
	for t := 1; t < nTags; t++ {
		if prev[t] > best {
			best, arg = prev[t], t
		}
	}
	for range n {
		out = append(out, 0)
	}
	out[n-1] = arg
	for i := n - 1; i > 0; i-- {
		arg = int(back[(i-1)*nTags+arg])
		out[i-1] = arg
	}
	return out, back
}

// tagScratch holds a tagger's buffers between sentences (and, in a
// scratch, between texts).
type tagScratch struct {
	ts    []ttok
	fs    []uint64
	sc    []int32
	tags  []int
	back  []int8
	spans []span
	// modelSpans: the words of one sentence with its punctuation, the
	// index in the text's words of each (-1: punctuation), their forms
	seq []word
	at  []int
	buf []string
}

// reset drops the strings s holds, keeping its arrays.
func (s *tagScratch) reset() {
	clear(s.seq)
	clear(s.buf)
	clear(s.spans)
	s.seq, s.buf, s.at, s.spans = s.seq[:0], s.buf[:0], s.at[:0], s.spans[:0]
	for i := range s.ts {
		s.ts[i].ty = nil
	}
}

// tagWords returns the tag indexes of the words of one sentence, whose
// forms it fills in.
func (tp *typer) tagWords(ws []word, s *tagScratch) []int {
	s.ts = tp.prepare(ws, s.ts)
	s.fs, s.sc = tp.emissions(s.ts, s.fs, s.sc)
	s.tags, s.back = viterbi(len(ws), s.sc, tp.m.tr, s.tags, s.back)
	return s.tags
}

// tagSpans turns tags into spans: B- starts one, I- of the same type
// continues it.
func tagSpans(tags []int, out []span) []span {
	start, typ := -1, 0
	flush := func(end int) {
		if start >= 0 {
			out = append(out, span{i: start, j: end, typ: tagTypes[typ]})
		}
		start = -1
	}
	for i, t := range tags {
		switch {
		case t == 0:
			flush(i)
		case !isInside(t) || start < 0 || t != typ+1:
			flush(i)
			start, typ = i, t
			if isInside(t) {
				typ = t - 1
			}
		}
	}
	flush(len(tags))
	return out
}

// fill adds to spans those of more that overlap none of them, in order.
func fill(spans, more []span) []span {
	if len(spans) == 0 {
		return append(spans, more...)
	}
	n := len(spans)
	for _, m := range more {
		free := true
		for _, s := range spans[:n] {
			if m.i < s.j && s.i < m.j {
				free = false
				break
			}
		}
		if free {
			spans = append(spans, m)
		}
	}
	if len(spans) > n {
		slices.SortStableFunc(spans, func(a, b span) int { return a.i - b.i })
	}
	return spans
}

// sentenceEnd reports whether punctuation p ends a sentence.
func sentenceEnd(p string) bool {
	return p == "." || p == "!" || p == "?" || p == "؟"
}

// modelSpans tags the words of a text sentence by sentence, with the
// punctuation between words as tokens (the tagger's corpus has them), and
// returns the entity spans over ws, each with its form and, when a
// gazetteer knows the name, its canonical name.
func (r *Recognizer) modelSpans(ws []word, sc *tagScratch) []span {
	seq, at, buf := sc.seq[:0], sc.at[:0], sc.buf[:0]
	// the forms of ws itself, which document consistency reads
	for k := range ws {
		r.types.fill(&ws[k])
	}
	var out []span
	flush := func() {
		if len(seq) == 0 {
			return
		}
		tags := r.types.tagWords(seq, sc)
		sc.spans = tagSpans(tags, sc.spans[:0])
		for _, sp := range sc.spans {
			// a span that runs over punctuation keeps its part before it
			i, j := sp.i, sp.i
			for j < sp.j && at[j] >= 0 {
				j++
			}
			for i < j && ws[at[i]].skip {
				i++
			}
			for j > i && ws[at[j-1]].skip {
				j--
			}
			if i < j {
				out = append(out, r.g.finish(ws, span{i: at[i], j: at[j-1] + 1, typ: sp.typ}))
			}
		}
		clear(seq)
		seq, at, buf = seq[:0], at[:0], buf[:0]
	}
	for k := range ws {
		seq = append(seq, ws[k])
		at = append(at, k)
		if p := ws[k].gap; p != "" {
			pw := r.g.newWord(p, arabic.Normalize(p), &buf)
			seq = append(seq, pw)
			at = append(at, -1)
		}
		if ws[k].eos || sentenceEnd(ws[k].gap) || len(seq) >= maxSentence {
			flush()
		}
	}
	flush()
	sc.seq, sc.at, sc.buf = seq, at, buf
	return out
}

// maxSentence caps the words tagged as one sentence.
const maxSentence = 400

// finish gives a span the model found the clitic-stripped form of its
// first word and, when a gazetteer holds the name with the same type, its
// canonical name.
func (g *gazetteer) finish(ws []word, sp span) span {
	w := ws[sp.i]
	sp.form = w.forms[0]
	chosen := false
	for _, f := range w.forms {
		if _, ok := g.phrases[f]; ok {
			sp.form, chosen = f, true
			break
		}
		if _, ok := g.prefixes[f]; ok && sp.j-sp.i > 1 {
			sp.form, chosen = f, true
			break
		}
		if _, ok := g.firstNames[f]; ok {
			sp.form, chosen = f, true
			break
		}
	}
	if !chosen {
		// والعراق → العراق, بالقاهرة → القاهرة, ومحمد → محمد
		for _, f := range w.forms[1:] {
			if lex.IsDefinite(f) && !lex.IsDefinite(w.forms[0]) {
				sp.form = f
				break
			}
		}
		if sp.form == w.forms[0] && len(w.forms) > 1 && strings.HasPrefix(w.forms[0], "و") && w.forms[1] == w.forms[0][len("و"):] {
			sp.form = w.forms[1]
		}
	}
	if e, ok := g.phrases[phraseKey(ws, sp.i, sp.j, sp.form)]; ok && e.typ == sp.typ {
		sp.canon = e.canon
	}
	return sp
}

// nerModel is the trained tagger, written by `go run ./tools/nertrain`
// from the ANERcorp training corpus (data/NER-MODEL.md says its terms).
//
//go:embed data/ner.bin
var nerModel []byte

// BuiltinModel returns the tagger embedded in khabar, decoded once.
func BuiltinModel() *Model { return builtinModel() }

var builtinModel = sync.OnceValue(func() *Model {
	m, err := DecodeModel(nerModel)
	if err != nil {
		// The model is embedded at build time; a bad one is a build bug.
		panic("entities: embedded tagger model: " + err.Error())
	}
	return m
})
