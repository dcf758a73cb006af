package entities

import (
	"errors"
	"fmt"
	"strings"

	"khabar/internal/arabic"
)

// Labeled is one training sentence: its tokens and their BIO tags
// (ANERcorp's: O and B-/I- of PERS, LOC, ORG, MISC).
type Labeled struct {
	Tokens []string
	Tags   []string
}

// TrainOptions set how Train learns a Model.
type TrainOptions struct {
	Epochs   int    // passes over the data; 0 means 10
	Bits     uint32 // log2 of the feature buckets; 0 means 20
	Features uint32 // Feat* flags
	Seed     uint64 // the order of sentences in each pass follows from it
	// Clusters are the word clusters of FeatClusters (see LearnClusters).
	Clusters *Clusters
}

// Train learns a tagger from data with the averaged structured perceptron.
// It reads only data and the built-in gazetteers (never learned names), and
// its arithmetic is integer, so the same data and options give the same
// model, byte for byte, on every machine.
func Train(data []Labeled, opt TrainOptions) (*Model, error) {
	if opt.Epochs == 0 {
		opt.Epochs = 10
	}
	if opt.Bits == 0 {
		opt.Bits = 20
	}
	if opt.Bits < 8 || opt.Bits > 26 {
		return nil, fmt.Errorf("entities: %d bucket bits, want 8 to 26", opt.Bits)
	}
	if len(data) == 0 {
		return nil, errors.New("entities: no training sentences")
	}
	if opt.Features&FeatClusters != 0 && opt.Clusters.Len() == 0 {
		return nil, errors.New("entities: cluster features without clusters")
	}
	g := base()
	tp := plainTyper(g, opt.Features, opt.Clusters)
	mask := uint64(1)<<opt.Bits - 1
	type sent struct {
		gold  []int
		feats [][]uint32 // bucket indexes of each token's features
	}
	sents := make([]sent, 0, len(data))
	var ts []ttok
	var fs []uint64
	for si, d := range data {
		if len(d.Tokens) != len(d.Tags) {
			return nil, fmt.Errorf("entities: sentence %d has %d tokens and %d tags", si+1, len(d.Tokens), len(d.Tags))
		}
		if len(d.Tokens) == 0 {
			continue
		}
		s := sent{gold: make([]int, len(d.Tags))}
		for i, tg := range d.Tags {
			t, ok := tagIndex(tg)
			if !ok {
				return nil, fmt.Errorf("entities: sentence %d token %d: unknown tag %q", si+1, i+1, tg)
			}
			s.gold[i] = t
		}
		ws := sentenceWords(g, d.Tokens)
		ts = tp.prepare(ws, ts)
		flat := make([]uint32, 0, len(ts)*48)
		idx := make([]int, 0, len(ts)+1)
		for i := range ts {
			fs = feats(fs[:0], ts, i, opt.Features)
			idx = append(idx, len(flat))
			for _, h := range fs {
				flat = append(flat, uint32(h&mask))
			}
		}
		idx = append(idx, len(flat))
		s.feats = make([][]uint32, len(ts))
		for i := range ts {
			s.feats[i] = flat[idx[i]:idx[i+1]:idx[i+1]]
		}
		sents = append(sents, s)
	}

	nw := (1 << opt.Bits) * nTags
	w := make([]int32, nw)
	u := make([]int64, nw) // sum of c*delta, for the average
	tw := make([]int32, (nTags+1)*nTags)
	tu := make([]int64, len(tw))
	c := int64(1)
	order := make([]int, len(sents))
	for i := range order {
		order[i] = i
	}
	rng := splitmix(opt.Seed)
	var sc []int32
	var pred []int
	var back []int8
	for range opt.Epochs {
		for i := len(order) - 1; i > 0; i-- {
			j := int(rng.next() % uint64(i+1))
			order[i], order[j] = order[j], order[i]
		}
		for _, si := range order {
			s := &sents[si]
			sc = sc[:0]
			for _, f := range s.feats {
				var row [nTags]int32
				for _, b := range f {
					k := int(b) * nTags
					for t := range nTags {
						row[t] += w[k+t]
					}
				}
				sc = append(sc, row[:]...)
			}
			pred, back = viterbi(len(s.gold), sc, makeTransTable(tw), pred, back)
			for i, gt := range s.gold {
				pt := pred[i]
				if gt != pt {
					for _, b := range s.feats[i] {
						k := int(b) * nTags
						w[k+gt]++
						u[k+gt] += c
						w[k+pt]--
						u[k+pt] -= c
					}
				}
				gp, pp := -1, -1
				if i > 0 {
					gp, pp = s.gold[i-1], pred[i-1]
				}
				if gt != pt || gp != pp {
					k := (gp+1)*nTags + gt
					tw[k]++
					tu[k] += c
					k = (pp+1)*nTags + pt
					tw[k]--
					tu[k] -= c
				}
			}
			c++
		}
	}
	// The average weight is w - u/c; scaled by c it is the integer w*c - u.
	// Each feature's weights are taken relative to O's (see nRow), and the
	// largest maps to maxWeight, the rest with it.
	const maxWeight = 1<<15 - 1
	rel := func(k, t int) int64 {
		return int64(w[k+t])*c - u[k+t] - (int64(w[k])*c - u[k])
	}
	var top int64 = 1
	for k := 0; k < nw; k += nTags {
		for t := 1; t < nTags; t++ {
			top = max(top, abs64(rel(k, t)))
		}
	}
	scale := func(v int64) int64 {
		// round half away from zero: v*maxWeight/top
		n := v * maxWeight
		if n < 0 {
			return -((-n + top/2) / top)
		}
		return (n + top/2) / top
	}
	m := &Model{bits: opt.Bits, feats: opt.Features, trans: make([]int32, len(tw))}
	if opt.Features&FeatClusters != 0 {
		m.cl = opt.Clusters
	}
	q := make([]int16, nw/nTags*nRow)
	for k := 0; k < nw; k += nTags {
		for t := 1; t < nTags; t++ {
			q[k/nTags*nRow+t-1] = int16(scale(rel(k, t)))
		}
	}
	for k := range tw {
		m.trans[k] = int32(scale(int64(tw[k])*c - tu[k]))
	}
	m.compact(q)
	return m, nil
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// splitmixState is a small deterministic random source (SplitMix64), so
// that the training order does not depend on a library's generator.
type splitmixState uint64

func splitmix(seed uint64) *splitmixState {
	s := splitmixState(seed)
	return &s
}

func (s *splitmixState) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// sentenceWords makes the words of one tokenized sentence, as
// TagCoNLLDocument reads them: a token that is not an Arabic word breaks
// a name.
func sentenceWords(g *gazetteer, toks []string) []word {
	n := min(len(toks), maxWords)
	ws := make([]word, n)
	buf := make([]string, 0, 2*n)
	for i := 0; i < n; i++ {
		text := strings.TrimSpace(toks[i])
		ws[i] = g.newWord(text, arabic.Normalize(text), &buf)
		ws[i].start, ws[i].end = i, i+1
		if ws[i].skip && i > 0 {
			ws[i-1].brk = true
		}
	}
	return ws
}
