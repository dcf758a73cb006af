package search

import (
	"testing"
	"time"
)

// FuzzRank: related reading keeps at most limit candidates, each with at
// least half the best score, nearer in time first among equal scores, and
// marks as later exactly those published more than LaterAfter after.
func FuzzRank(f *testing.F) {
	f.Add(int64(0), []byte{3, 10, 4, 200, 6, 1}, 5)
	f.Add(int64(-5000), []byte{9, 0, 3, 255, 3, 128, 8, 7}, 2)
	f.Fuzz(func(t *testing.T, at int64, raw []byte, limit int) {
		if limit < 1 || limit > 50 {
			return
		}
		base := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
		t0 := base.Add(time.Duration(at%100000) * time.Hour)
		var cands []candidate
		best := 0
		for i := 0; i+1 < len(raw); i += 2 {
			c := candidate{id: int64(i + 1), score: int(raw[i]%12) + 1, published: base.Add(time.Duration(int(raw[i+1])-128) * 24 * time.Hour)}
			best = max(best, c.score)
			cands = append(cands, c)
		}
		byID := map[int64]candidate{}
		for _, c := range cands {
			byID[c.id] = c
		}
		out := rank(t0, cands, limit)
		if len(out) > limit {
			t.Fatalf("%d links, limit %d", len(out), limit)
		}
		seen := map[int64]bool{}
		for i, l := range out {
			c, ok := byID[l.ID]
			if !ok || seen[l.ID] {
				t.Fatalf("link %+v unknown or repeated", l)
			}
			seen[l.ID] = true
			if 2*c.score < best || l.Score != float64(c.score) {
				t.Fatalf("link %+v: score %d, best %d", l, c.score, best)
			}
			if want := c.published.Sub(t0) > LaterAfter; l.Later != want {
				t.Fatalf("link %+v: later %v, want %v", l, l.Later, want)
			}
			if i > 0 {
				p := byID[out[i-1].ID]
				if p.score == c.score && daysApart(t0, p.published) > daysApart(t0, c.published) {
					t.Fatalf("equal scores, the farther first: %+v then %+v", p, c)
				}
			}
		}
	})
}
