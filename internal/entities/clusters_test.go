package entities

import (
	"bytes"
	"slices"
	"testing"
)

// TestLearnClusters learns clusters twice from the same small corpus:
// the same bytes each time, a round trip through the encoding, and words
// used alike (the names after قال, the places after في) more often in one
// cluster than apart.
func TestLearnClusters(t *testing.T) {
	var texts []string
	people := []string{"محمد", "أحمد", "علي", "حسن", "خالد", "سعيد"}
	places := []string{"بغداد", "دمشق", "القاهرة", "الرياض", "عمان", "بيروت"}
	for i := range 60 {
		texts = append(texts, "قال "+people[i%len(people)]+" في "+places[(i*5)%len(places)]+" أمس")
		texts = append(texts, "وصل "+people[(i*5)%len(people)]+" إلى "+places[i%len(places)]+" اليوم")
	}
	opt := ClusterOptions{MinCount: 2, Dims: 32, Iter: 5}
	a := LearnClusters(slices.Values(texts), opt)
	b := LearnClusters(slices.Values(texts), opt)
	if !bytes.Equal(a.Encode(), b.Encode()) {
		t.Fatal("two learnings from the same texts differ")
	}
	if a.Len() < len(people)+len(places) {
		t.Fatalf("%d forms clustered, want at least %d", a.Len(), len(people)+len(places))
	}
	d, err := DecodeClusters(a.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Encode(), a.Encode()) {
		t.Fatal("decode and encode do not give the clusters back")
	}
	g := base()
	id := func(w string) uint16 {
		var buf []string
		x := g.newWord(w, w, &buf)
		var f wfeat
		g.wordFeatures(&x, &f)
		return a.lookup(f.core)
	}
	if c := id("كلمةلمترد"); c != clusterNone {
		t.Errorf("unseen word in cluster %d", c)
	}
	// leaf clusters of the top level: people together, places together
	same, apart := 0, 0
	for _, p := range people {
		for _, q := range people {
			if id(p)>>6 == id(q)>>6 {
				same++
			}
		}
		for _, q := range places {
			if id(p)>>6 == id(q)>>6 {
				apart++
			}
		}
	}
	if same <= apart {
		t.Errorf("people share a top cluster %d times with people, %d with places", same, apart)
	}
	for _, bad := range [][]byte{nil, {5}, {2, 0, 0, 0, 0}, {2, 1, 1, 0, 1}, {1, 0, 0, 7}, {1, 1, 0xff, 0x7f}} {
		if _, err := DecodeClusters(bad); err == nil {
			t.Errorf("DecodeClusters(%v) = nil error", bad)
		}
	}
}
