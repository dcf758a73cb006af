package search

import (
	"slices"
	"strings"
	"testing"

	"khabar/internal/analysis"
	"khabar/internal/arabic"
)

// FuzzParse parses any reader query.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`"وزارة الخارجية" السعودية`, `«التحالف الدولي» في العراق`, `“lebanon” لبنان`, `"unclosed phrase`,
		"في من على", "٢٠٢٤م \x00 تقرير\u200c", `"" « » “”`, "ﷺ ﻟﺒﻨﺎﻥ ⼼ \u0711\uf900",
	} {
		f.Add(s)
	}
	an := analysis.New(analysis.Options{})
	f.Fuzz(func(t *testing.T, q string) {
		pq := Parse(an, q)
		inClauses := map[string]bool{}
		singles := map[string]bool{}
		for _, c := range pq.Clauses {
			if len(c.Exact) == 0 {
				t.Fatalf("%q: a clause without terms: %+v", q, pq.Clauses)
			}
			for _, e := range c.Exact {
				if e == "" || strings.ContainsAny(e, " \t\n") || arabic.Normalize(e) != e || !pq.Norms[e] {
					t.Fatalf("%q: term %q is not an analysed word (%+v)", q, e, pq)
				}
				inClauses[e] = true
			}
			for _, alt := range c.Alt {
				if alt == "" || !pq.Norms[alt] {
					t.Fatalf("%q: alternative form %q of %+v", q, alt, c)
				}
				inClauses[alt] = true
			}
			if c.Stem != "" {
				if len(c.Exact) != 1 || c.Stem == c.Exact[0] || !pq.Stems[c.Stem] {
					t.Fatalf("%q: stem clause %+v", q, c)
				}
			}
		}
		for n := range pq.Norms {
			if !inClauses[n] {
				t.Fatalf("%q: highlighted form %q matches no clause", q, n)
			}
		}
		// Without quotes, the query's words are the indexer's: the
		// non-stop token forms of the same text (its stop words when it
		// has nothing else), each once.
		if !strings.ContainsAny(q, "\"“”«»") {
			var want, stops []string
			for _, tk := range an.Analyze(q) {
				switch {
				case tk.Norm == "":
				case tk.Stop:
					stops = append(stops, tk.Norm)
				default:
					want = append(want, tk.Norm)
				}
			}
			if len(want) == 0 {
				want = stops
			}
			want = uniq(want)
			var got []string
			for _, c := range pq.Clauses {
				got = append(got, c.Exact...)
				if singles[c.Exact[0]] {
					t.Fatalf("%q: word %q twice", q, c.Exact[0])
				}
				singles[c.Exact[0]] = true
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%q: query words %q, indexer's %q", q, got, want)
			}
		}
	})
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
