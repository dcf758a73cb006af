package entities

import "sync/atomic"

// A word's features split in two: those of the written form alone, the
// same wherever it stands (its forms, shape, cluster, flags; and its forms
// as a neighbour's), and those of its place in a sentence (the pairs with
// its neighbours, the gazetteer matches, the rules' tags). A written form's
// own features are worked out once, with the weights they give each tag in
// each of the five places of the window, and a recognizer keeps them for
// the forms it meets: news repeats its words, so most tokens cost the
// tagger five rows read from one place instead of some forty weights
// spread over megabytes.

// wtype is one written form as the tagger sees it. It is immutable once
// made, and shared between texts and goroutines.
type wtype struct {
	f     wfeat  // f.text and f.norm are the cache's key
	cl    uint16 // word cluster (FeatClusters), or clusterNone
	flags uint8  // trigger flags (FeatGazetteer), as in ttok
	// With a model: the weight of each tag (but O) of the form's own
	// features, counted at the token it is (0), at the token after it (1:
	// it is that token's word before), two after (2), before it (3: it is
	// that token's word after) and two before (4).
	rows [nPlaces][nRow]int32
}

// The places of a form in a token's window, as wtype.rows holds them.
const (
	placeSelf = iota
	placePrev1
	placePrev2
	placeNext1
	placeNext2
	nPlaces
)

// padType is the form of the tokens before the first and after the last.
var padType = wtype{f: wfeat{kind: 's', text: 1, norm: 1, core: 1, stem: 1}, cl: clusterNone - 1}

// typeSlots is the size of a recognizer's cache of forms: at 256 bytes a
// form, 8 MB. Over the first 8,000 SaudiNewsNet articles it finds 80% of
// the words; twice the slots find 86%, but the import, whose peak is
// twice what it holds, would rise 30 MB nearer its 1 GiB.
const typeSlots = 1 << 15

// typeCache keeps the forms a recognizer met, one per slot by the hash of
// the written form; a form that lands on a taken slot replaces it. A form
// is known by the 64-bit hashes of its written and normalized forms, not
// by their text, which the cache would have to copy (a word of an
// article holds the whole article's text) at a fifth more memory.
type typeCache struct {
	slots [typeSlots]atomic.Pointer[wtype]
}

// typer makes the forms of words for one model (nil when training, which
// reads the features, not their weights) and clusters.
type typer struct {
	g     *gazetteer
	m     *Model
	set   uint32    // feature sets (Feat*)
	cl    *Clusters // with FeatClusters
	cache *typeCache
	pad   *wtype // padType with its rows (with a model)
}

// newTyper returns the typer of a recognizer over g and m, with a cache.
func newTyper(g *gazetteer, m *Model) *typer {
	tp := &typer{g: g, m: m, set: m.feats, cl: m.cl, cache: &typeCache{}}
	p := padType
	tp.rows(&p)
	tp.pad = &p
	return tp
}

// plainTyper returns a typer without a model or cache: the words'
// features only (for training, and document consistency without a model).
func plainTyper(g *gazetteer, set uint32, cl *Clusters) *typer {
	return &typer{g: g, set: set, cl: cl}
}

// fill gives w its form, from the cache when it holds it.
func (tp *typer) fill(w *word) {
	if w.ty != nil {
		return
	}
	if tp.cache == nil {
		w.ty = tp.make(w)
		return
	}
	text, norm := formKey(w)
	slot := &tp.cache.slots[text&(typeSlots-1)]
	if e := slot.Load(); e != nil && e.f.text == text && e.f.norm == norm {
		w.ty = e
		return
	}
	e := tp.make(w)
	slot.Store(e)
	w.ty = e
}

// formKey is the cache's key of w: the hashes of its written and
// normalized forms (the same as wordFeatures gives it).
func formKey(w *word) (text, norm uint64) {
	text = strHash(w.text)
	if w.norm == "" {
		return text, text
	}
	return text, strHash(w.norm)
}

// make works out the form of w.
func (tp *typer) make(w *word) *wtype {
	e := &wtype{flags: w.flags}
	tp.g.wordFeatures(w, &e.f)
	e.cl = clusterNone
	if tp.set&FeatClusters != 0 && e.f.kind == 'a' {
		e.cl = tp.cl.lookup(e.f.core)
	}
	if tp.set&FeatGazetteer == 0 {
		e.flags = 0
	}
	tp.rows(e)
	return e
}

// rows works out e.rows from e's features (nothing without a model).
func (tp *typer) rows(e *wtype) {
	m := tp.m
	if m == nil {
		return
	}
	var buf [32]uint64
	mask := uint64(1)<<m.bits - 1
	for place := range nPlaces {
		fs := placeFeats(buf[:0], e, place, tp.set)
		r := &e.rows[place]
		for _, h := range fs {
			if w := m.row(h & mask); w != nil {
				for t := range nRow {
					r[t] += int32(w[t])
				}
			}
		}
	}
}

// placeFeats appends the features a form gives a token from place: its
// own (placeSelf) or a neighbour's.
func placeFeats(dst []uint64, e *wtype, place int, set uint32) []uint64 {
	f, cl, flags := &e.f, e.cl, e.flags
	lean := set&FeatLean != 0
	clusters := set&FeatClusters != 0
	gaz := set&FeatGazetteer != 0
	switch place {
	case placeSelf:
		dst = append(dst,
			fh(1),
			fh(2, f.norm),
			fh(4, f.core),
			fh(5, f.stem),
			fh(6, f.pre[0]), fh(7, f.pre[1]), fh(8, f.pre[2]),
			fh(9, f.suf[0]), fh(10, f.suf[1]), fh(11, f.suf[2]),
			fh(12, uint64(f.kind), uint64(f.lenb), uint64(boolByte(f.def))),
		)
		if !lean {
			dst = append(dst, fh(3, f.text))
		}
		if clusters {
			// the cluster at each level: top, mid, leaf
			c0, c1, c2 := uint64(cl>>6), uint64(cl>>3), uint64(cl)
			dst = append(dst, fh(50, c0), fh(51, c1), fh(52, c2), fh(61, c2, f.suf[0]))
		}
		if gaz {
			dst = append(dst, fh(30, uint64(flags)<<8|uint64(f.gflag)))
		}
	case placePrev1:
		dst = append(dst, fh(14, f.norm), fh(18, f.core))
		if !lean {
			dst = append(dst, fh(22, f.stem))
		}
		if clusters {
			dst = append(dst, fh(53, uint64(cl)), fh(55, uint64(cl>>3)))
		}
		if gaz {
			dst = append(dst, fh(31, uint64(flags)<<8|uint64(f.gflag)))
		}
	case placeNext1:
		dst = append(dst, fh(15, f.norm), fh(19, f.core), fh(24, f.suf[1], uint64(boolByte(f.def))))
		if !lean {
			dst = append(dst, fh(23, f.stem))
		}
		if clusters {
			dst = append(dst, fh(54, uint64(cl)), fh(56, uint64(cl>>3)))
		}
		if gaz {
			dst = append(dst, fh(32, uint64(flags)<<8|uint64(f.gflag)))
		}
	case placePrev2:
		dst = append(dst, fh(16, f.norm))
		if clusters && !lean {
			dst = append(dst, fh(57, uint64(cl>>3)))
		}
		if gaz {
			dst = append(dst, fh(33, uint64(flags)))
		}
	case placeNext2:
		dst = append(dst, fh(17, f.norm))
		if clusters && !lean {
			dst = append(dst, fh(58, uint64(cl>>3)))
		}
		if gaz {
			dst = append(dst, fh(34, uint64(flags)))
		}
	}
	return dst
}

// contextFeats appends the features of token i of ts that depend on
// where it stands: pairs of forms, gazetteer matches, the rules' tags.
func contextFeats(dst []uint64, ts []ttok, i int, set uint32) []uint64 {
	t, p1, p2, n1, n2 := window(ts, i)
	tf, pf, nf := &t.ty.f, &p1.ty.f, &n1.ty.f
	dst = append(dst,
		fh(13, uint64(pf.kind)<<16|uint64(tf.kind)<<8|uint64(nf.kind)),
		fh(20, pf.norm, tf.norm),
		fh(21, tf.norm, nf.norm),
	)
	if set&FeatPairs != 0 {
		dst = append(dst,
			fh(25, pf.core, tf.core),
			fh(26, tf.core, nf.core),
			fh(27, pf.norm, nf.norm),
			fh(28, p2.ty.f.norm, pf.norm),
			fh(29, nf.norm, n2.ty.f.norm),
		)
	}
	if set&FeatClusters != 0 {
		c1 := uint64(t.ty.cl >> 3)
		dst = append(dst, fh(59, uint64(p1.ty.cl>>3), c1), fh(60, c1, uint64(n1.ty.cl>>3)))
	}
	if set&FeatGazetteer != 0 {
		dst = append(dst,
			fh(35, uint64(t.gaz)),
			fh(36, uint64(p1.gaz)<<16|uint64(t.gaz)<<8|uint64(n1.gaz)),
			fh(37, uint64(t.gaz), tf.core),
		)
	}
	if set&FeatRules != 0 {
		dst = append(dst,
			fh(40, uint64(t.rule)),
			fh(41, uint64(p1.rule)<<16|uint64(t.rule)<<8|uint64(n1.rule)),
			fh(42, uint64(t.rule)<<8|uint64(t.gaz)),
		)
	}
	return dst
}

// window returns token i of ts and its neighbours, pad beyond the ends.
func window(ts []ttok, i int) (t, p1, p2, n1, n2 *ttok) {
	at := func(k int) *ttok {
		if k < 0 || k >= len(ts) {
			return &pad
		}
		return &ts[k]
	}
	return at(i), at(i - 1), at(i - 2), at(i + 1), at(i + 2)
}
