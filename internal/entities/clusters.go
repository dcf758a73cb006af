package entities

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"khabar/internal/arabic"
)

// Word clusters give the tagger a view of words it never saw in its
// training corpus: words that appear in the same contexts of a large
// unlabeled news corpus share a cluster, so a name the tagger was not
// trained on still looks like the names it was. LearnClusters groups the
// clitic-free forms of a corpus's words by the words around them, in
// three levels (each cluster split in clusterFan); the model keeps the
// 32-bit hash of each form and its cluster, no text.

const (
	clusterTop = 16 // clusters of the first level
	clusterFan = 8  // sub-clusters of each cluster at the next levels
	// clusterNone is the cluster of a form the table does not hold.
	clusterNone = 0xffff
)

// Clusters maps the hashes of clitic-free word forms to their clusters.
type Clusters struct {
	keys []uint32 // sorted: the upper 32 bits of strHash(core form)
	ids  []uint16 // the cluster of keys[i]: (top*fan + mid)*fan + leaf
}

// Len is the number of word forms in c.
func (c *Clusters) Len() int {
	if c == nil {
		return 0
	}
	return len(c.keys)
}

// lookup returns the cluster of the form hashed to h, or clusterNone.
func (c *Clusters) lookup(h uint64) uint16 {
	if c == nil || len(c.keys) == 0 {
		return clusterNone
	}
	k := uint32(h >> 32)
	i, ok := slices.BinarySearch(c.keys, k)
	if !ok {
		return clusterNone
	}
	return c.ids[i]
}

// encode appends c: the number of forms, then each key as the gap from
// the previous one and its cluster, as varints.
func (c *Clusters) encode(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(c.Len()))
	prev := uint32(0)
	for i, k := range c.keys {
		b = binary.AppendUvarint(b, uint64(k-prev))
		b = binary.AppendUvarint(b, uint64(c.ids[i]))
		prev = k
	}
	return b
}

// decodeClusters reads what encode wrote at the start of b and returns the
// rest of b.
func decodeClusters(b []byte) (*Clusters, []byte, error) {
	trunc := errors.New("entities: truncated word clusters")
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return nil, nil, trunc
	}
	b = b[k:]
	// every form takes at least two bytes
	if n > uint64(len(b))/2 {
		return nil, nil, fmt.Errorf("entities: %d word clusters in %d bytes", n, len(b))
	}
	c := &Clusters{keys: make([]uint32, 0, n), ids: make([]uint16, 0, n)}
	var key uint64
	maxID := uint64(clusterTop * clusterFan * clusterFan)
	for i := range n {
		gap, k := binary.Uvarint(b)
		if k <= 0 {
			return nil, nil, trunc
		}
		b = b[k:]
		id, k := binary.Uvarint(b)
		if k <= 0 {
			return nil, nil, trunc
		}
		b = b[k:]
		if i > 0 && gap == 0 {
			return nil, nil, errors.New("entities: word cluster keys out of order")
		}
		key += gap
		if key > math.MaxUint32 {
			return nil, nil, errors.New("entities: word cluster key out of range")
		}
		if id >= maxID {
			return nil, nil, fmt.Errorf("entities: word cluster %d out of range", id)
		}
		c.keys = append(c.keys, uint32(key))
		c.ids = append(c.ids, uint16(id))
	}
	return c, b, nil
}

// ClusterOptions set how LearnClusters groups words.
type ClusterOptions struct {
	MinCount int // least occurrences of a form to be clustered; 0 means 5
	Contexts int // the most frequent forms used as contexts; 0 means 800
	Dims     int // dimensions of the projected context vectors; 0 means 128
	Iter     int // k-means passes at each level; 0 means 12
}

// LearnClusters clusters the clitic-free forms of the words of texts (each
// text is split on non-letters) by their left and right neighbours. It is
// deterministic: the same texts in the same order give the same clusters.
func LearnClusters(texts func(yield func(string) bool), opt ClusterOptions) *Clusters {
	if opt.MinCount <= 0 {
		opt.MinCount = 5
	}
	if opt.Contexts <= 0 {
		opt.Contexts = 800
	}
	if opt.Dims <= 0 {
		opt.Dims = 128
	}
	if opt.Iter <= 0 {
		opt.Iter = 12
	}
	g := base()
	// The corpus as a sequence of form ids (0 breaks: a non-word or the
	// end of a text), and each form's count.
	ids := map[string]uint32{} // written form → id
	var idHash []uint64        // id → hash of its core form
	formID := map[uint64]uint32{}
	var counts []int
	var seq []uint32
	var buf []string
	for text := range texts {
		for _, t := range splitWords(text) {
			id, ok := ids[t.Text]
			if !ok {
				buf = buf[:0]
				w := g.newWord(t.Text, arabic.Normalize(t.Text), &buf)
				var wf wfeat
				g.wordFeatures(&w, &wf)
				id = 0
				if !w.skip && wf.kind == 'a' {
					f, seen := formID[wf.core]
					if !seen {
						counts = append(counts, 0)
						idHash = append(idHash, wf.core)
						f = uint32(len(counts)) // ids start at 1
						formID[wf.core] = f
					}
					id = f
				}
				ids[t.Text] = id
			}
			seq = append(seq, id)
			if id > 0 {
				counts[id-1]++
			}
		}
		seq = append(seq, 0)
	}
	// Forms by count, ties by hash: the first Contexts are the contexts,
	// those seen MinCount times are clustered.
	order := make([]uint32, len(counts))
	for i := range order {
		order[i] = uint32(i + 1)
	}
	slices.SortFunc(order, func(a, b uint32) int {
		if ca, cb := counts[a-1], counts[b-1]; ca != cb {
			return cb - ca
		}
		ha, hb := idHash[a-1], idHash[b-1]
		switch {
		case ha < hb:
			return -1
		case ha > hb:
			return 1
		}
		return 0
	})
	nCtx := min(opt.Contexts, len(order))
	ctx := make([]int32, len(counts)+1) // id → context index, -1
	for i := range ctx {
		ctx[i] = -1
	}
	for i, id := range order[:nCtx] {
		ctx[id] = int32(i)
	}
	nT := 0
	for nT < len(order) && counts[order[nT]-1] >= opt.MinCount {
		nT++
	}
	target := make([]int32, len(counts)+1) // id → target index, -1
	for i := range target {
		target[i] = -1
	}
	for i, id := range order[:nT] {
		target[id] = int32(i)
	}
	// Co-occurrences (target, left context c or right context nCtx+c).
	var pairs []uint64
	for i, id := range seq {
		if id == 0 || target[id] < 0 {
			continue
		}
		t := uint64(target[id]) << 32
		if i > 0 && seq[i-1] != 0 && ctx[seq[i-1]] >= 0 {
			pairs = append(pairs, t|uint64(ctx[seq[i-1]]))
		}
		if i+1 < len(seq) && seq[i+1] != 0 && ctx[seq[i+1]] >= 0 {
			pairs = append(pairs, t|uint64(nCtx+int(ctx[seq[i+1]])))
		}
	}
	seq = nil
	slices.Sort(pairs)
	// Positive pointwise mutual information, projected on Dims random
	// directions (one ±1 vector per context), then normalized.
	dims := opt.Dims
	ctxCount := make([]float64, 2*nCtx)
	for _, p := range pairs {
		ctxCount[p&0xffffffff]++
	}
	tCount := make([]float64, nT)
	for _, p := range pairs {
		tCount[p>>32]++
	}
	total := float64(len(pairs))
	rng := splitmix(0x6b6861626172) // fixed: the projection is part of the method
	proj := make([]float32, 2*nCtx*dims)
	for i := range proj {
		if rng.next()&1 == 0 {
			proj[i] = 1
		} else {
			proj[i] = -1
		}
	}
	vec := make([]float32, nT*dims)
	for i := 0; i < len(pairs); {
		j := i
		for j < len(pairs) && pairs[j] == pairs[i] {
			j++
		}
		t, c := int(pairs[i]>>32), int(pairs[i]&0xffffffff)
		pmi := math.Log(float64(j-i) * total / (tCount[t] * ctxCount[c]))
		if pmi > 0 {
			v := vec[t*dims : (t+1)*dims]
			p := proj[c*dims : (c+1)*dims]
			w := float32(pmi)
			for d := range v {
				v[d] += float32(w * p[d])
			}
		}
		i = j
	}
	pairs = nil
	for t := range nT {
		normalize(vec[t*dims : (t+1)*dims])
	}
	// Three levels of spherical k-means: each cluster of a level is split
	// among its own members.
	members := make([]int32, nT)
	for i := range members {
		members[i] = int32(i)
	}
	cl := make([]uint16, nT)
	var split func(ms []int32, k, level int, prefix uint16)
	split = func(ms []int32, k, level int, prefix uint16) {
		assign := kmeans(vec, dims, ms, k, opt.Iter)
		for c := range k {
			var sub []int32
			for i, m := range ms {
				if assign[i] == c {
					sub = append(sub, m)
				}
			}
			id := prefix*uint16(k) + uint16(c)
			if level == 2 {
				for _, m := range sub {
					cl[m] = id
				}
				continue
			}
			split(sub, clusterFan, level+1, id)
		}
	}
	split(members, clusterTop, 0, 0)
	c := &Clusters{}
	type kv struct {
		k  uint32
		id uint16
	}
	all := make([]kv, 0, nT)
	for i, id := range order[:nT] {
		all = append(all, kv{uint32(idHash[id-1] >> 32), cl[i]})
	}
	slices.SortFunc(all, func(a, b kv) int {
		switch {
		case a.k < b.k:
			return -1
		case a.k > b.k:
			return 1
		}
		return int(a.id) - int(b.id)
	})
	for i, e := range all {
		if i > 0 && e.k == all[i-1].k {
			continue // two forms share a key: the first cluster stands
		}
		c.keys = append(c.keys, e.k)
		c.ids = append(c.ids, e.id)
	}
	return c
}

func normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for d := range v {
		v[d] *= inv
	}
}

// kmeans splits the vectors ms (rows of vec) into k groups by cosine,
// starting from members spread over ms (the most frequent first), and
// returns each member's group. Sums are in a fixed order and products
// are rounded before they are added, so the result is the same on every
// machine.
func kmeans(vec []float32, dims int, ms []int32, k, iter int) []int {
	assign := make([]int, len(ms))
	if len(ms) <= k {
		for i := range assign {
			assign[i] = i
		}
		return assign
	}
	cent := make([]float32, k*dims)
	for c := range k {
		m := ms[c*len(ms)/k]
		copy(cent[c*dims:(c+1)*dims], vec[int(m)*dims:(int(m)+1)*dims])
	}
	sum := make([]float64, k*dims)
	n := make([]int, k)
	for range iter {
		for i, m := range ms {
			v := vec[int(m)*dims : (int(m)+1)*dims]
			best, arg := float32(-2), 0
			for c := range k {
				ct := cent[c*dims : (c+1)*dims]
				var s float32
				for d, x := range v {
					s += float32(x * ct[d])
				}
				if s > best {
					best, arg = s, c
				}
			}
			assign[i] = arg
		}
		clear(sum)
		clear(n)
		for i, m := range ms {
			c := assign[i]
			n[c]++
			v := vec[int(m)*dims : (int(m)+1)*dims]
			for d, x := range v {
				sum[c*dims+d] += float64(x)
			}
		}
		for c := range k {
			if n[c] == 0 {
				continue // keeps its centroid
			}
			ct := cent[c*dims : (c+1)*dims]
			for d := range ct {
				ct[d] = float32(sum[c*dims+d])
			}
			normalize(ct)
		}
	}
	return assign
}

// Encode returns c's encoding, for DecodeClusters.
func (c *Clusters) Encode() []byte { return c.encode(nil) }

// DecodeClusters reads clusters written by Encode.
func DecodeClusters(b []byte) (*Clusters, error) {
	c, rest, err := decodeClusters(b)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("entities: %d stray bytes after the word clusters", len(rest))
	}
	return c, nil
}
