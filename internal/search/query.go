// Package search turns what a reader types into a backend-neutral
// store.TextQuery, runs it on the store's Searcher capability, and builds
// highlighted snippets from the articles' original text.
//
// Every word is analysed exactly as the indexer analysed the articles
// (package analysis), so a query finds an article whatever letter variants,
// digits or clitics either uses; a known name is kept out of the stemmer on
// both sides, so لبنان never finds لبن.
package search

import (
	"slices"
	"strings"
	"unicode"

	"khabar/internal/analysis"
	"khabar/internal/arabic"
	"khabar/internal/store"
)

// Query is a parsed reader query.
type Query struct {
	Clauses []store.Clause
	// Words are every analysed form that counts as a match, for highlighting.
	Norms map[string]bool
	Stems map[string]bool
}

// Parse splits q into quoted phrases and single words and analyses them.
// Stop words are dropped unless the query has nothing else; a phrase keeps
// its stop words out too, as the index does not hold them.
func Parse(an *analysis.Analyzer, q string) Query {
	out := Query{Norms: map[string]bool{}, Stems: map[string]bool{}}
	var words []analysis.Token
	var stops []analysis.Token
	for _, part := range splitQuoted(q) {
		toks := an.Analyze(part.text)
		if part.phrase {
			var exact []string
			for _, t := range toks {
				term, _, ok := t.IndexForm()
				if !ok {
					continue
				}
				exact = append(exact, term)
				out.Norms[term] = true
			}
			if len(exact) > 0 {
				// A phrase, or a quoted single word: exact forms only, no stem.
				out.Clauses = append(out.Clauses, store.Clause{Exact: exact})
			}
			continue
		}
		for _, t := range toks {
			if t.Norm == "" {
				continue
			}
			if t.Stop {
				stops = append(stops, t)
				continue
			}
			words = append(words, t)
		}
	}
	if len(words) == 0 && len(out.Clauses) == 0 {
		words = stops
	}
	seen := map[string]bool{}
	for _, t := range words {
		if seen[t.Norm] {
			continue
		}
		seen[t.Norm] = true
		// A word takes its forms from where the indexer takes them; a
		// stop word (only when the query has nothing else) keeps its Norm.
		term, stem, ok := t.IndexForm()
		if !ok {
			term, stem = t.Norm, t.Norm
		}
		c := store.Clause{Exact: []string{term}}
		if stem != term {
			c.Stem = stem
			out.Stems[stem] = true
		}
		out.Norms[term] = true
		for _, alt := range hamzaAlts(an, t.Text, term, stem) {
			c.Alt = append(c.Alt, alt)
			out.Norms[alt] = true
		}
		out.Clauses = append(out.Clauses, c)
	}
	return out
}

// hamzaAlts returns the forms of a word typed with a bare alef before a
// lam at its start (after a conjunction or a preposition, if any) as it
// would be with a hamza on that alef: people type الغاء for إلغاء, which
// the index holds as الغاء, while a bare ال is taken for the article
// (غاء). Forms equal to term or stem are left out.
func hamzaAlts(an *analysis.Analyzer, written, term, stem string) []string {
	h := arabic.NormalizeKeepHamza(written)
	i := 0
	for _, pre := range []string{"و", "ف"} {
		if strings.HasPrefix(h[i:], pre) {
			i += len(pre)
			break
		}
	}
	for _, pre := range []string{"ب", "ك", "ل"} {
		if strings.HasPrefix(h[i:], pre) && strings.HasPrefix(h[i+len(pre):], "ال") {
			i += len(pre)
			break
		}
	}
	if !strings.HasPrefix(h[i:], "ال") {
		return nil
	}
	var out []string
	for _, hamza := range []string{"أ", "إ"} {
		toks := an.Analyze(h[:i] + hamza + h[i+len("ا"):])
		if len(toks) != 1 {
			continue
		}
		t2, s2, ok := toks[0].IndexForm()
		if !ok {
			continue
		}
		for _, f := range []string{t2, s2} {
			if f != term && f != stem && !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

type queryPart struct {
	text   string
	phrase bool
}

// splitQuoted separates "quoted phrases" (straight or typographic quotes,
// and the « » guillemets Arabic writers use) from the words around them.
// An unclosed quote runs to the end of the query.
func splitQuoted(q string) []queryPart {
	var parts []queryPart
	var b strings.Builder
	in := false
	flush := func() {
		if s := strings.TrimSpace(b.String()); s != "" {
			parts = append(parts, queryPart{text: s, phrase: in})
		}
		b.Reset()
	}
	for _, r := range q {
		switch {
		case r == '"' || r == '“' || r == '”' || r == '«' || r == '»':
			open := r == '"' && !in || r == '“' || r == '«'
			closeQ := r == '"' && in || r == '”' || r == '»'
			if open && !in {
				flush()
				in = true
			} else if closeQ && in {
				flush()
				in = false
			}
		case unicode.IsControl(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	flush()
	return parts
}
