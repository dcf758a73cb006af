package search

import (
	"html"
	"strings"
	"unicode/utf8"

	"khabar/internal/analysis"
)

// Snippet returns an HTML-escaped excerpt of text around the densest run of
// matched words, each match wrapped in <mark>. The excerpt is taken from the
// original text by the tokens' byte offsets, so the reader sees the
// article's own spelling. With no match it returns the text's opening.
func Snippet(an *analysis.Analyzer, text string, q Query, maxRunes int) string {
	if maxRunes <= 0 {
		maxRunes = 240
	}
	toks := an.Analyze(text)
	if len(toks) == 0 {
		return html.EscapeString(truncate(strings.TrimSpace(text), maxRunes))
	}
	match := make([]bool, len(toks))
	any := false
	for i, t := range toks {
		if (t.Norm != "" && q.Norms[t.Norm]) || (t.Stem != "" && q.Stems[t.Stem]) {
			match[i] = true
			any = true
		}
	}
	// The window starting at a matched token that holds the most matches
	// within maxRunes; a few words of context are then added before it.
	best, bestCount := 0, 0
	if any {
		for i := range toks {
			if !match[i] {
				continue
			}
			count := 0
			for j := i; j < len(toks) && utf8.RuneCountInString(text[toks[i].Start:toks[j].End]) <= maxRunes; j++ {
				if match[j] {
					count++
				}
			}
			if count > bestCount {
				best, bestCount = i, count
			}
		}
		first := best
		for best > 0 && first-best < 4 && utf8.RuneCountInString(text[toks[best-1].Start:toks[first].End]) < maxRunes/3 {
			best--
		}
	}
	start := toks[best].Start
	var b strings.Builder
	if best > 0 {
		b.WriteString("… ")
	}
	pos := start
	i := best
	for ; i < len(toks); i++ {
		t := toks[i]
		if utf8.RuneCountInString(text[start:t.End]) > maxRunes {
			break
		}
		b.WriteString(html.EscapeString(text[pos:t.Start]))
		if match[i] {
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(text[t.Start:t.End]))
			b.WriteString("</mark>")
		} else {
			b.WriteString(html.EscapeString(text[t.Start:t.End]))
		}
		pos = t.End
	}
	if i == len(toks) {
		b.WriteString(html.EscapeString(text[pos:])) // the closing punctuation
	} else {
		b.WriteString(" …")
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func truncate(s string, n int) string {
	// Only the first n runes are read: related reading truncates every
	// candidate it scores, and a candidate may be a megabyte long.
	i := 0
	for range n {
		if i >= len(s) {
			return s
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i >= len(s) {
		return s
	}
	return s[:i] + "…"
}
