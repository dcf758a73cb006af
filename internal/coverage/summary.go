package coverage

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"khabar/internal/arabic"
	"khabar/internal/model"
)

// Summary sizes.
const (
	summaryMin      = 3
	summaryMax      = 5
	minSentenceWord = 6
	maxSentenceWord = 60
	// maxShared is the most two summary sentences may share: the part of
	// the shorter one's distinct words.
	maxShared = 0.5
)

// sentence is a candidate sentence of an article.
type sentence struct {
	text   string
	art    *model.Article
	outlet string
	pos    int // its place in the article
	words  []string
	score  float64
	raw    []string // every distinct word, stop words too
}

// contentWords returns the distinct normalized words of s that are not
// stop words, without clitics.
func contentWords(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range wordsOf(s) {
		n := w.norm
		if arabic.IsStopWord(n) || utf8.RuneCountInString(n) < 2 {
			continue
		}
		n = arabic.StripClitics(n, nil)
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// sentencesOf returns the candidate sentences of the story's articles that
// are not copies of another.
func sentencesOf(arts []model.Article) []*sentence {
	var out []*sentence
	for i := range arts {
		a := &arts[i]
		if a.DuplicateOf != 0 && a.DuplicateOf != a.ID {
			continue
		}
		for pos, sp := range arabic.SplitSentences(a.Text) {
			t := strings.TrimSpace(a.Text[sp.Start:sp.End])
			n := countWords(t)
			if n < minSentenceWord || n > maxSentenceWord || strings.HasSuffix(t, ":") || !balanced(t) {
				continue
			}
			out = append(out, &sentence{text: t, art: a, outlet: outletKey(a), pos: pos, words: contentWords(t), raw: allWords(t)})
		}
	}
	return out
}

// allWords returns the distinct normalized words of s.
func allWords(s string) []string {
	var out []string
	for _, w := range wordsOf(s) {
		if !slices.Contains(out, w.norm) {
			out = append(out, w.norm)
		}
	}
	return out
}

// nearRepeat reports whether two sentences share more than half of the
// shorter one's words, counted either with or without stop words.
func nearRepeat(a, b *sentence) bool {
	return overlap(a.words, b.words) > maxShared || overlap(a.raw, b.raw) > maxShared
}

// balanced reports whether the quote marks and brackets of s close.
func balanced(s string) bool {
	return strings.Count(s, "«") == strings.Count(s, "»") && strings.Count(s, "(") == strings.Count(s, ")") &&
		strings.Count(s, "\"")%2 == 0
}

// overlap is the part of the shorter word set that the other shares.
func overlap(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	n := 0
	for _, w := range a {
		if slices.Contains(b, w) {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// Summary picks 3 to 5 verbatim sentences of the story's articles, each
// cited, for a story of at least 3 articles from at least 2 outlets (nil
// otherwise). Sentences are scored by how central their words are (in how
// many outlets' write-ups each appears) and how early they come, then
// chosen MMR-style: each next one the best that shares at most half of
// its words with every one chosen, from another outlet while one of the
// chosen outlets would otherwise give them all. They come in the order of
// the story.
func Summary(arts []model.Article) []model.SummarySentence {
	if len(arts) < 3 || !severalOutlets(arts) {
		return nil
	}
	cands := sentencesOf(arts)
	// Centrality: in how many outlets' originals a word appears.
	wordOutlets := map[string]map[string]bool{}
	for _, s := range cands {
		for _, w := range s.words {
			if wordOutlets[w] == nil {
				wordOutlets[w] = map[string]bool{}
			}
			wordOutlets[w][s.outlet] = true
		}
	}
	for _, s := range cands {
		var sum float64
		for _, w := range s.words {
			sum += float64(len(wordOutlets[w]) - 1)
		}
		s.score = sum / float64(len(s.words)+4) / (1 + 0.15*float64(s.pos))
	}
	slices.SortStableFunc(cands, func(a, b *sentence) int { return cmp.Compare(b.score, a.score) })
	var chosen []*sentence
	from := map[string]int{}
	for len(chosen) < summaryMax {
		var pick *sentence
		for _, s := range cands {
			if s.score <= 0 || slices.Contains(chosen, s) {
				continue
			}
			ok := true
			for _, c := range chosen {
				if nearRepeat(s, c) {
					ok = false
					break
				}
			}
			// Not all from one outlet while another has a sentence to give.
			if ok && len(chosen) > 0 && len(from) == 1 && from[s.outlet] == len(chosen) && len(chosen) >= summaryMin-1 {
				ok = !otherOutletCandidate(cands, chosen, s.outlet)
			}
			if ok {
				pick = s
				break
			}
		}
		if pick == nil {
			break
		}
		chosen = append(chosen, pick)
		from[pick.outlet]++
	}
	if len(chosen) < summaryMin {
		return nil
	}
	slices.SortFunc(chosen, func(a, b *sentence) int {
		return cmp.Or(when(a.art).Compare(when(b.art)), cmp.Compare(a.art.ID, b.art.ID), cmp.Compare(a.pos, b.pos))
	})
	out := make([]model.SummarySentence, 0, len(chosen))
	for _, s := range chosen {
		out = append(out, model.SummarySentence{Text: s.text, ArticleID: s.art.ID, Source: s.art.DisplaySource()})
	}
	return out
}

// otherOutletCandidate reports whether a sentence of an outlet other than
// outlet could still be chosen.
func otherOutletCandidate(cands, chosen []*sentence, outlet string) bool {
	for _, s := range cands {
		if s.outlet == outlet || s.score <= 0 {
			continue
		}
		ok := true
		for _, c := range chosen {
			if nearRepeat(s, c) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// severalOutlets reports whether arts come from two outlets or more.
func severalOutlets(arts []model.Article) bool {
	for i := 1; i < len(arts); i++ {
		if outletKey(&arts[i]) != outletKey(&arts[0]) {
			return true
		}
	}
	return false
}

// Adds returns, for each outlet of a story covered by at least two, what
// its write-ups have that the other outlets' lack: sentences most of whose
// words the others never use (at most 2), numbers and names (entities)
// the others do not give. Outlets with nothing of their own are left out.
func Adds(arts []model.Article) []model.OutletAdds {
	type outletText struct {
		key     string
		first   *model.Article
		words   map[string]bool
		numbers []string
		names   []string
		sents   []*sentence
	}
	// One outlet has nothing the others lack: say so before reading the
	// texts (most stories are one article).
	if !severalOutlets(arts) {
		return []model.OutletAdds{}
	}
	var order []*outletText
	by := map[string]*outletText{}
	for i := range arts {
		a := &arts[i]
		k := outletKey(a)
		o := by[k]
		if o == nil {
			o = &outletText{key: k, first: a, words: map[string]bool{}}
			by[k] = o
			order = append(order, o)
		}
		for _, w := range contentWords(a.Title + "\n" + a.Text) {
			o.words[w] = true
		}
		for _, n := range numbersOf(a.Text) {
			if !slices.Contains(o.numbers, n) {
				o.numbers = append(o.numbers, n)
			}
		}
		for _, e := range a.Entities {
			if !slices.Contains(o.names, e.Name) {
				o.names = append(o.names, e.Name)
			}
		}
	}
	if len(order) < 2 {
		return []model.OutletAdds{}
	}
	for _, s := range sentencesOf(arts) {
		by[s.outlet].sents = append(by[s.outlet].sents, s)
	}
	out := []model.OutletAdds{}
	for _, o := range order {
		others := map[string]bool{}
		var otherNums, otherNames []string
		for _, x := range order {
			if x == o {
				continue
			}
			for w := range x.words {
				others[w] = true
			}
			otherNums = append(otherNums, x.numbers...)
			otherNames = append(otherNames, x.names...)
		}
		add := model.OutletAdds{Source: o.first.DisplaySource(), ArticleID: o.first.ID,
			Sentences: []string{}, Numbers: []string{}, Names: []string{}}
		for _, n := range o.numbers {
			if !slices.Contains(otherNums, n) {
				add.Numbers = append(add.Numbers, n)
			}
		}
		for _, n := range o.names {
			if !slices.Contains(otherNames, n) {
				add.Names = append(add.Names, n)
			}
		}
		type novel struct {
			s    *sentence
			part float64
		}
		var ns []novel
		for _, s := range o.sents {
			n := 0
			for _, w := range s.words {
				if !others[w] {
					n++
				}
			}
			if part := float64(n) / float64(len(s.words)+1); part >= 0.5 {
				ns = append(ns, novel{s, part})
			}
		}
		slices.SortStableFunc(ns, func(a, b novel) int { return cmp.Compare(b.part, a.part) })
		for _, n := range ns[:min(2, len(ns))] {
			add.Sentences = append(add.Sentences, n.s.text)
			if len(add.Sentences) == 1 {
				add.ArticleID = n.s.art.ID
			}
		}
		add.Numbers = add.Numbers[:min(10, len(add.Numbers))]
		add.Names = add.Names[:min(10, len(add.Names))]
		if len(add.Sentences)+len(add.Numbers)+len(add.Names) > 0 {
			out = append(out, add)
		}
	}
	return out
}

// numbersOf returns the numbers written in text (Arabic-Indic digits as
// ASCII), years and small counts included, each once.
func numbersOf(text string) []string {
	var out []string
	for _, w := range wordsOf(text) {
		n := arabic.NormalizeDigits(w.norm)
		i := strings.IndexFunc(n, func(r rune) bool { return r >= '0' && r <= '9' })
		if i < 0 {
			continue
		}
		j := i
		for j < len(n) && (n[j] >= '0' && n[j] <= '9') {
			j++
		}
		if num := n[i:j]; !slices.Contains(out, num) {
			out = append(out, num)
		}
	}
	return out
}
