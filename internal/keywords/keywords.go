// Package keywords picks an article's keyphrases (كلمات دلالية): whole noun
// phrases of one to four words, ranked by how characteristic they are of the
// article against the statistics of the whole store.
//
// Candidates are n-grams of analysis tokens that never start or end with a
// stop word, particle or verb-looking word and never cross a sentence or
// punctuation boundary; their key is the space-joined clitic-free Norm
// forms, so التحالف, للتحالف and والتحالف are one phrase. Extract drops
// phrases another phrase dominates, ranks the rest by a linear score over
// their features (TF-IDF with document frequencies from Stats, which the
// store keeps current as articles arrive; first use and spread; length;
// first line; entity; ...) learned on akec-dev (ranker_weights.go,
// written by TestTrainRanker), and shows each in its most frequent written
// form without clitics, in standard Arabic letters.
//
// The package is pure: no I/O, no shared mutable state.
package keywords

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"khabar/internal/analysis"
	"khabar/internal/arabic"
	"khabar/internal/entities/lex"
	"khabar/internal/model"
)

// Stats gives document frequencies of normalized phrases over a corpus:
// how many documents contain each phrase, and how many documents there are.
// The store is one (store.Tags); an error is not a corpus of zero.
type Stats interface {
	DocFreq(ctx context.Context, phrases []string) (df map[string]int, docs int, err error)
}

// Limits.
const (
	maxGram    = 4     // words per phrase
	maxTokens  = 20000 // tokens examined per article: bounds the work on huge texts
	defaultTop = 10
)

// inner words that may sit inside a phrase although they are stop words:
// the links of a person's name.
var nameLinks = map[string]bool{"بن": true, "ابن": true, "بنت": true, "ابو": true, "عبد": true}

// tokenInfo is what the candidate rules need to know about one token.
type tokenInfo struct {
	start bool // may start a phrase
	end   bool // may end a phrase
	inner bool // may follow the first word of a phrase
	// coord: a word with the conjunction و; genitive: a word with لل. They
	// continue a phrase only in the cases continues allows.
	coord, genitive bool
	def             bool // carries the article ال
	brk             bool // a boundary follows the token
}

// classify decides, for each token, whether it can be part of a phrase.
// text may be empty (Candidates): then a gap of more than one byte between
// two tokens counts as punctuation.
func classify(text string, tokens []analysis.Token, names map[string]bool) []tokenInfo {
	info := make([]tokenInfo, len(tokens))
	// Words recur in an article: judge each written form once.
	seen := make(map[string]tokenInfo, len(tokens)/2)
	for k, t := range tokens {
		in := &info[k]
		brk := true
		if k+1 < len(tokens) {
			next := tokens[k+1]
			brk = next.Sentence != t.Sentence || gapBreaks(text, t.End, next.Start)
		}
		if k > 0 && t.Start == tokens[k-1].Start {
			// one written form normalized to several words: keep it out
			info[k-1] = tokenInfo{brk: info[k-1].brk}
			in.brk = brk
			continue
		}
		if t.Stop && !nameLinks[t.Norm] {
			in.brk = brk
			continue
		}
		c, ok := seen[t.Text]
		if !ok {
			c = judge(t, names)
			seen[t.Text] = c
		}
		*in = c
		in.brk = brk
	}
	return info
}

// judge decides what role the written word of t can play in a phrase.
func judge(t analysis.Token, names map[string]bool) tokenInfo {
	var in tokenInfo
	norm := t.Norm
	if norm == "" || utf8.RuneCountInString(norm) < 2 || !hasLetter(norm) {
		return in
	}
	if nameLinks[norm] {
		// عبد الله، أبو بكر start a name; بن and بنت only join one
		in.inner = true
		in.start = norm == "عبد" || norm == "ابو" || norm == "ابن"
		return in
	}
	if lex.IsParticle(norm) || dateWords[norm] {
		return in
	}
	surf := t.Normalized()
	named := names[norm] // a word of a recognized name (يحيى) is no verb
	if !named && lex.LooksLikeVerb(surf) {
		return in
	}
	if surf != norm && (lex.IsParticle(surf) || !named && lex.LooksLikeVerb(norm)) {
		return in
	}
	if !lex.HasArabic(norm) && !isLatinWord(norm) {
		return in
	}
	// A pronoun suffix (ديوانه، تجربتها، بلادهم) marks a word that refers
	// back to something else: never part of a tag.
	if pronounSuffix(t.Text, norm) {
		return in
	}
	in.def = definite(surf, norm)
	if lamMasdar(surf, norm) && !arabic.IsProtectedName(norm) {
		return in // لمحاربة، لانسحاب: a purpose clause, not a name
	}
	// A clitic joined to the word opens a new phrase (بالقاهرة، لوزارة): the
	// word may start one but not continue one, except a coordinated word
	// (المفكرين والأدباء) and a genitive with the article (الهيئة العامة
	// للكتاب), which continue a phrase where continues allows.
	if prefixed(surf, norm) {
		in.start, in.end = true, true
		switch {
		case strings.HasPrefix(surf, "وال") || strings.HasPrefix(surf, "و") && surf[len("و"):] == norm:
			in.coord = true
		case strings.HasPrefix(surf, "لل") && in.def:
			in.genitive = true
		}
		return in
	}
	in.start, in.end, in.inner = true, true, true
	return in
}

// pronounSuffix reports whether the written word ends in an attached
// pronoun: ـه written with heh (not teh marbuta), ـها, ـهم, ـهما, ـكم.
func pronounSuffix(text, norm string) bool {
	if utf8.RuneCountInString(norm) < 5 || arabic.IsProtectedName(norm) {
		return false
	}
	t := strings.TrimRight(text, "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")
	if strings.HasSuffix(t, "ه") && !strings.HasSuffix(t, "اه") && !strings.HasSuffix(t, "له") {
		return true // not اتجاه، مياه (ـاه) or الله، عبدالله
	}
	return strings.HasSuffix(t, "ها") || strings.HasSuffix(t, "هم") || strings.HasSuffix(t, "هما") || strings.HasSuffix(t, "كم")
}

// prefixed reports whether surf, the normalized surface, carries a
// preposition or conjunction that Norm dropped (the article alone is fine).
func prefixed(surf, norm string) bool {
	if surf == norm || surf == "ال"+norm {
		return false
	}
	return true
}

// definite reports whether the written word carries the article before
// its Norm (التحالف، للتحالف، والتحالف).
func definite(surf, norm string) bool {
	if !strings.HasSuffix(surf, norm) {
		return false
	}
	pre := surf[:len(surf)-len(norm)]
	return strings.HasSuffix(pre, "ال") || pre == "لل" || strings.HasSuffix(pre, "لل")
}

// lamMasdar reports whether a word the analyzer left whole is a verbal
// noun with the preposition ل (لمحاربة، لانسحاب، لتعزيز): such a word starts
// a purpose clause and never belongs to a keyphrase.
func lamMasdar(surf, norm string) bool {
	// Six letters or more after a bare ل is nearly always the preposition
	// on a noun the analyzer did not strip (لمحاربة، لجراحة).
	return surf == norm && strings.HasPrefix(norm, "ل") && utf8.RuneCountInString(norm) >= 6
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// isLatinWord accepts Latin-letter words of three letters or more (brand
// and product names); codes with digits and short words are left out.
func isLatinWord(s string) bool {
	n := 0
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			n++
			continue
		}
		return false
	}
	return n >= 3 && !latinStop[strings.ToLower(s)]
}

// latinStop are English words that show up in Arabic pages' bylines and
// dates.
var latinStop = map[string]bool{"the": true, "and": true, "for": true, "with": true, "gmt": true, "utc": true, "january": true,
	"february": true, "march": true, "april": true, "may": true, "june": true, "july": true, "august": true, "september": true,
	"october": true, "november": true, "december": true, "from": true, "this": true, "that": true, "news": true}

// dateWords are month and weekday names (normalized, without the article):
// they date an article, they do not describe it.
var dateWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`يناير فبراير مارس ابريل مايو يونيو يونيه يوليو يوليه اغسطس سبتمبر اكتوبر نوفمبر ديسمبر
		كانون شباط اذار نيسان ايار حزيران تموز اب ايلول تشرين جانفي فيفري افريل ماي جوان جويليه اوت
		سبت احد اثنين ثلاثاء اربعاء خميس جمعه محرم صفر ربيع جمادي رجب شعبان رمضان شوال القعده الحجه
		صباح مساء ظهر امس غدا`) {
		m[w] = true
	}
	return m
}()

// gapBreaks reports whether the text between two tokens separates them by
// more than white space. Without the text, anything longer than one byte
// does.
func gapBreaks(text string, a, b int) bool {
	if text == "" {
		return b-a > 1
	}
	if a < 0 || b > len(text) || a > b {
		return true
	}
	for _, r := range text[a:b] {
		if r == '\n' || (!unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r)) {
			return true
		}
	}
	return false
}

// occurrence is one candidate phrase found at tokens [i, j). key is only
// valid during the callback.
type occurrence struct {
	key  []byte
	i, j int
}

// scan calls fn for every candidate occurrence in tokens.
func scan(text string, tokens []analysis.Token, names map[string]bool, fn func(occurrence)) {
	if len(tokens) > maxTokens {
		tokens = tokens[:maxTokens]
	}
	info := classify(text, tokens, names)
	b := make([]byte, 0, 128)
	for i := range tokens {
		if !info[i].start {
			continue
		}
		b = b[:0]
		for j := i; j < len(tokens) && j-i < maxGram; j++ {
			if j > i {
				if info[j-1].brk || !continues(info, tokens, i, j) {
					break
				}
				b = append(b, ' ')
			}
			b = append(b, tokens[j].Norm...)
			if info[j].end {
				fn(occurrence{key: b, i: i, j: j + 1})
			}
		}
	}
}

// continues reports whether token j may extend the phrase that starts at
// token i and runs to j-1.
func continues(info []tokenInfo, tokens []analysis.Token, i, j int) bool {
	switch {
	case info[j].inner:
	case info[j].coord && info[j].def == info[j-1].def && j-1 == i:
		// "المفكرين والأدباء", "علوم وتكنولوجيا": two words only, so
		// that lists do not run on
	case info[j].genitive && info[j-1].def:
		// "الهيئة العامة للكتاب"
	default:
		return false
	}
	// Within a noun phrase, once a word takes the article the following
	// ones do too (التحالف الدولي، قوات التحالف); an indefinite word after a
	// definite one starts a new phrase.
	return !info[j-1].def || info[j].def || nameLinks[tokens[j].Norm]
}

// Candidates returns the distinct normalized candidate phrases of text, in
// order of first appearance: what Extract ranks and what the store counts
// document frequencies of. tokens are text's analysis tokens, ents its
// entities (a word of a recognized name is never taken for a verb).
func Candidates(text string, tokens []analysis.Token, ents []model.Entity) []string {
	ph := getPhrases()
	defer ph.release()
	list, _ := gather(text, tokens, ents, ph)
	return keysOf(list)
}

func keysOf(list []*candidate) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.key
	}
	return out
}

// candidate gathers a phrase's occurrences in one article.
type candidate struct {
	key    string
	words  int
	tf     int
	first  int      // token index of the first occurrence
	last   int      // token index of the last occurrence
	title  bool     // occurs in the first line (the title)
	at     [4]int32 // token index of the first occurrences, for the display form
	entity string   // canonical entity name, when the phrase is an entity
	score  float64
	gone   bool
}

// Extract returns up to top keyphrases of text (10 when top <= 0), best
// first, in display form. tokens are text's analysis tokens; ents its
// entities (they join the candidates under their canonical names); stats
// the corpus document frequencies, or nil for a built-in prior. The only
// error is stats'.
func Extract(ctx context.Context, text string, tokens []analysis.Token, ents []model.Entity, stats Stats, top int) ([]string, error) {
	kws, _, err := extract(ctx, text, tokens, ents, stats, top, defaultRanker)
	return kws, err
}

// ExtractWithCandidates returns both Extract and Candidates of text, from
// one pass over its tokens.
func ExtractWithCandidates(ctx context.Context, text string, tokens []analysis.Token, ents []model.Entity, stats Stats, top int) (keywords, candidates []string, err error) {
	return extract(ctx, text, tokens, ents, stats, top, defaultRanker)
}

// phrases holds the candidates of one text, in blocks that keep their
// addresses, with their list and index; reused from one text to the next
// (phrasesPool), as allocated anew for each they were a sixth of an
// import's garbage.
type phrases struct {
	blocks [][]candidate
	used   int // candidates handed out
	list   []*candidate
	byKey  map[string]*candidate
}

// phraseBlock is the number of candidates in a block; a text has a few
// hundred. phrasesKeep is how many candidates' room a pooled phrases
// keeps: one grown past it by a long text is trimmed, as clearing its map
// walks the whole table.
const (
	phraseBlock = 128
	phrasesKeep = 2048
)

var phrasesPool = sync.Pool{New: func() any { return &phrases{byKey: make(map[string]*candidate, 256)} }}

func getPhrases() *phrases { return phrasesPool.Get().(*phrases) }

// next returns a zero candidate; its address does not change.
func (p *phrases) next() *candidate {
	if p.used == len(p.blocks)*phraseBlock {
		p.blocks = append(p.blocks, make([]candidate, phraseBlock))
	}
	c := &p.blocks[p.used/phraseBlock][p.used%phraseBlock]
	p.used++
	return c
}

// release clears p (dropping the strings it holds) and pools it. Nothing
// of it may be used after: callers keep only the candidates' strings.
func (p *phrases) release() {
	for i := 0; i*phraseBlock < p.used; i++ {
		clear(p.blocks[i][:min(phraseBlock, p.used-i*phraseBlock)])
	}
	p.used = 0
	clear(p.list)
	p.list = p.list[:0]
	if len(p.byKey) > phrasesKeep {
		p.blocks = p.blocks[:phrasesKeep/phraseBlock]
		p.byKey = make(map[string]*candidate, 256)
	} else {
		clear(p.byKey)
	}
	phrasesPool.Put(p)
}

// gather finds the candidate phrases of text and their occurrences, in
// order of first appearance, with a map from key to candidate, in ph.
func gather(text string, tokens []analysis.Token, ents []model.Entity, ph *phrases) ([]*candidate, map[string]*candidate) {
	if len(tokens) > maxTokens {
		tokens = tokens[:maxTokens]
	}
	titleEnd := len(text)
	if nl := strings.IndexByte(text, '\n'); nl >= 0 {
		titleEnd = nl
	}
	var names map[string]bool
	for _, e := range ents {
		for _, m := range append([]string{e.Name}, e.Mentions...) {
			for _, w := range strings.Fields(phraseKey(m)) {
				if names == nil {
					names = map[string]bool{}
				}
				names[w] = true
			}
		}
	}
	byKey, list := ph.byKey, ph.list
	scan(text, tokens, names, func(o occurrence) {
		c := byKey[string(o.key)]
		if c == nil {
			c = ph.next()
			*c = candidate{key: string(o.key), words: o.j - o.i, first: o.i}
			byKey[c.key] = c
			list = append(list, c)
		}
		if c.tf < len(c.at) {
			c.at[c.tf] = int32(o.i)
		}
		c.last = o.i
		c.tf++
		if tokens[o.i].Start < titleEnd && titleEnd < len(text) {
			c.title = true
		}
	})
	ph.list = list
	return list, byKey
}

func extract(ctx context.Context, text string, tokens []analysis.Token, ents []model.Entity, stats Stats, top int, r *ranker) (keywords, candidates []string, err error) {
	if top <= 0 {
		top = defaultTop
	}
	if len(tokens) > maxTokens {
		tokens = tokens[:maxTokens]
	}
	ph := getPhrases()
	defer ph.release()
	list, byKey := gather(text, tokens, ents, ph)
	if len(list) == 0 {
		return nil, nil, nil
	}
	candidates = keysOf(list)
	mergeEntities(byKey, ents)
	removeDominated(list)
	if err := score(ctx, list, stats, tokens, r); err != nil {
		return nil, nil, err
	}
	live := list[:0]
	for _, c := range list {
		if !c.gone {
			live = append(live, c)
		}
	}
	sort.SliceStable(live, func(a, b int) bool {
		if live[a].score != live[b].score {
			return live[a].score > live[b].score
		}
		return live[a].first < live[b].first
	})
	out := make([]string, 0, top)
	shown := map[string]bool{}
	for _, c := range live {
		if len(out) == top {
			break
		}
		d := c.entity
		if d == "" {
			d = bestForm(text, tokens, c)
		}
		d = lex.Standard(d)
		k := arabic.Normalize(d)
		if d == "" || shown[k] {
			continue
		}
		shown[k] = true
		out = append(out, d)
	}
	return out, candidates, nil
}

// display is the written form of tokens [i, j): first, the first word
// without its proclitics, then the rest as written, white space collapsed.
func display(text string, tokens []analysis.Token, first string, i, j int) string {
	if j-i == 1 {
		return first
	}
	a, b := tokens[i].End, tokens[j-1].End
	if text == "" || a > b || b > len(text) {
		parts := []string{first}
		for k := i + 1; k < j; k++ {
			parts = append(parts, tokens[k].Text)
		}
		return strings.Join(parts, " ")
	}
	return first + " " + strings.Join(strings.Fields(text[a:b]), " ")
}

// bestForm is the most frequent display form of c's occurrences, ties
// broken by the shorter and then the smaller string, so the choice is stable.
// firstWord is token i without its proclitics.
func firstWord(tokens []analysis.Token, i int) string {
	return lex.StripClitics(tokens[i].Text, tokens[i].Norm)
}

func bestForm(text string, tokens []analysis.Token, c *candidate) string {
	forms := make(map[string]int, 2)
	for _, i := range c.at[:min(c.tf, len(c.at))] {
		first := lex.StripClitics(tokens[i].Text, tokens[i].Norm)
		forms[display(text, tokens, first, int(i), int(i)+c.words)]++
	}
	best, n := "", -1
	for f, k := range forms {
		if k > n || k == n && (len(f) < len(best) || len(f) == len(best) && f < best) {
			best, n = f, k
		}
	}
	return best
}

// mergeEntities makes each entity one candidate under its canonical name:
// the candidates of its mentions are folded into it.
func mergeEntities(byKey map[string]*candidate, ents []model.Entity) {
	for _, e := range ents {
		var parts []*candidate
		canonKey := phraseKey(e.Name)
		if !tagWorthy(canonKey) {
			continue
		}
		for _, m := range append([]string{e.Name}, e.Mentions...) {
			c := byKey[phraseKey(m)]
			if c == nil || c.gone || c.entity != "" && c.entity != e.Name || slices.Contains(parts, c) {
				continue
			}
			parts = append(parts, c)
		}
		if len(parts) == 0 {
			continue
		}
		// the host keeps the canonical name's key when it occurs, else the
		// most frequent mention's
		host := parts[0]
		if host.key != canonKey {
			for _, p := range parts[1:] {
				if p.tf > host.tf {
					host = p
				}
			}
		}
		for _, p := range parts {
			if p == host {
				continue
			}
			host.tf += p.tf
			host.title = host.title || p.title
			if p.first < host.first {
				host.first = p.first
			}
			host.last = max(host.last, p.last)
			p.gone = true
		}
		host.entity = e.Name
	}
}

// tagWorthy reports whether an entity name, as a key, could be a tag: it
// must not start or end with a function word or a verb (a name the
// recognizer ran on into the sentence).
func tagWorthy(key string) bool {
	words := strings.Fields(key)
	if len(words) == 0 || len(words) > maxGram+1 {
		return false
	}
	for _, w := range []string{words[0], words[len(words)-1]} {
		if lex.IsParticle(w) || arabic.IsStopWord(w) {
			return false
		}
	}
	return true
}

// Key returns the normalized key of a written phrase, such as a displayed
// tag or an entity mention: each word normalized and stripped of its
// clitics, as analysis tokens' Norm are, joined by one space — the form
// Candidates returns and Stats counts. Names the analyzer was told to keep
// whole may strip differently; for words of running text it agrees.
func Key(s string) string {
	return phraseKey(s)
}

// phraseKey is Key.
func phraseKey(s string) string {
	words := strings.Fields(arabic.Normalize(s))
	for i, w := range words {
		words[i] = arabic.StripClitics(w, nil)
	}
	return strings.Join(words, " ")
}

// removeDominated drops a phrase that occurs only inside a longer one (the
// same count) and a long phrase seen once whose shorter part recurs.
func removeDominated(list []*candidate) {
	byKey := make(map[string]*candidate, len(list))
	for _, c := range list {
		byKey[c.key] = c
	}
	var bounds [maxGram + 1]int // word boundaries in a key: starts, then the end
	for _, long := range list {
		if long.words < 2 || long.gone {
			continue
		}
		n := 0
		bounds[n] = 0
		for i := 0; i < len(long.key) && n < maxGram-1; i++ {
			if long.key[i] == ' ' {
				n++
				bounds[n] = i + 1
			}
		}
		n++
		bounds[n] = len(long.key) + 1
		for a := 0; a < n; a++ {
			for b := a + 1; b <= n; b++ {
				if b-a == n {
					continue
				}
				short := byKey[long.key[bounds[a]:bounds[b]-1]]
				if short == nil || short.gone {
					continue
				}
				switch {
				case short.tf <= long.tf && short.entity == "":
					short.gone = true
				case long.tf == 1 && short.tf >= 3 && long.entity == "":
					long.gone = true
				}
			}
		}
	}
}

// ranker scores a candidate by a linear function of its features (see
// features), standardized by the mean and spread of each feature over
// the training candidates. The weights are learned on akec-dev by
// logistic regression (train_test.go writes ranker_weights.go).
type ranker struct {
	mean, scale, w [numFeatures]float64
	bias           float64
}

// The features of a candidate.
const (
	fLogTF           = iota // 1 + ln(tf)
	fIDF                    // inverse document frequency in the store (a prior without one)
	fTFIDF                  // their product, the classic score
	fFirst                  // first occurrence, as a share of the text
	fEarly                  // first occurrence in the first tenth
	fSpread                 // last minus first occurrence, as a share of the text
	fOneWord                // a single word
	fTwoWords               // two words
	fLongPhrase             // three or four words
	fFirstLine              // occurs in the first line (the title, for an article)
	fEntity                 // a recognized named entity
	fUnseen                 // no other document of the store has it
	fOnce                   // seen once
	fRecurringMulti         // several words, seen more than once
	fCommon                 // a common news word
	fDefinite               // the first word carries the article
	fAdjectiveEnd           // the last word ends like a relative adjective (ـي، ـية)
	fLetters                // letters, over 10
	fInFirstSentence        // occurs in the first sentence
	fTFShare                // tf over the text's most frequent candidate's tf
	fLogTFIDF               // ln of the classic score
	fLogPosition            // ln(1 + 2.5 × the share of the text after the first occurrence)
	numFeatures
)

// featureNames name the features in ranker_weights.go and the training
// report.
var featureNames = [numFeatures]string{"log_tf", "idf", "tf_idf", "first", "early", "spread", "one_word", "two_words",
	"long_phrase", "first_line", "entity", "unseen", "once", "recurring_multi", "common", "definite", "adjective_end",
	"letters", "first_sentence", "tf_share", "log_tf_idf", "log_position"}

// features computes the feature vector of each live candidate.
func features(ctx context.Context, list []*candidate, stats Stats, tokens []analysis.Token, ntokens int) ([][numFeatures]float64, error) {
	var df map[string]int
	docs := 0
	if stats != nil {
		keys := make([]string, 0, len(list))
		for _, c := range list {
			if !c.gone {
				keys = append(keys, c.key)
			}
		}
		var err error
		if df, docs, err = stats.DocFreq(ctx, keys); err != nil {
			return nil, fmt.Errorf("keywords: document frequencies: %w", err)
		}
	}
	if ntokens < 1 {
		ntokens = 1
	}
	maxTF := 1
	for _, c := range list {
		if !c.gone {
			maxTF = max(maxTF, c.tf)
		}
	}
	firstSentence := -1
	if len(tokens) > 0 {
		firstSentence = tokens[0].Sentence
	}
	out := make([][numFeatures]float64, len(list))
	for k, c := range list {
		if c.gone {
			continue
		}
		x := &out[k]
		var idf float64
		unseen := false
		if docs > 0 {
			d := df[c.key]
			if d > docs {
				d = docs
			}
			unseen = d == 0
			idf = math.Log(float64(docs+1)/float64(d+1)) + 1
		} else {
			idf = priorIDF(c)
		}
		n := float64(ntokens)
		x[fLogTF] = 1 + math.Log(float64(c.tf))
		x[fIDF] = idf
		x[fTFIDF] = x[fLogTF] * idf
		x[fFirst] = float64(c.first) / n
		x[fEarly] = b2f(float64(c.first) < n/10)
		x[fSpread] = float64(c.last-c.first) / n
		x[fOneWord] = b2f(c.words == 1)
		x[fTwoWords] = b2f(c.words == 2)
		x[fLongPhrase] = b2f(c.words >= 3)
		x[fFirstLine] = b2f(c.title)
		x[fEntity] = b2f(c.entity != "")
		x[fUnseen] = b2f(unseen)
		x[fOnce] = b2f(c.tf == 1)
		x[fRecurringMulti] = b2f(c.words >= 2 && c.tf >= 2)
		x[fCommon] = b2f(c.words == 1 && commonNews[c.key])
		if c.first < len(tokens) {
			t := tokens[c.first]
			x[fDefinite] = b2f(definite(t.Normalized(), t.Norm))
			x[fInFirstSentence] = b2f(t.Sentence == firstSentence)
		}
		last := c.key[strings.LastIndexByte(c.key, ' ')+1:]
		x[fAdjectiveEnd] = b2f(utf8.RuneCountInString(last) >= 4 && (strings.HasSuffix(last, "ي") || strings.HasSuffix(last, "يه")))
		x[fLetters] = float64(utf8.RuneCountInString(c.key)) / 10
		x[fTFShare] = float64(c.tf) / float64(maxTF)
		x[fLogTFIDF] = math.Log(x[fTFIDF])
		x[fLogPosition] = math.Log(1 + 2.5*(1-x[fFirst]))
	}
	return out, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// apply is the ranker's score of a feature vector.
func (r *ranker) apply(x *[numFeatures]float64) float64 {
	s := r.bias
	for i, v := range x {
		sc := r.scale[i]
		if sc == 0 {
			continue
		}
		s += r.w[i] * (v - r.mean[i]) / sc
	}
	return s
}

// score sets each live candidate's score.
func score(ctx context.Context, list []*candidate, stats Stats, tokens []analysis.Token, r *ranker) error {
	xs, err := features(ctx, list, stats, tokens, len(tokens))
	if err != nil {
		return err
	}
	for k, c := range list {
		if !c.gone {
			c.score = r.apply(&xs[k])
		}
	}
	return nil
}

// priorIDF stands in for corpus statistics when there are none: phrases of
// several words are rarer than single words, and the most common words of
// news prose are common everywhere.
func priorIDF(c *candidate) float64 {
	if c.words >= 2 {
		return 4
	}
	if commonNews[c.key] {
		return 1
	}
	return 3
}

// commonNews are frequent content words of Arabic news (normalized, without
// the article) that rarely make a tag on their own.
var commonNews = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`عام يوم دوله حكومه رئيس وزير مصدر مصادر خبر تقرير عمليه جانب اطار شان مجال وقت
		مرحله نهايه بدايه نسبه عدد مليون مليار دولار سنوات سنه اخر كبير جديد اول ثاني مساء صباح امس ساعه ساعات
		شخص اشخاص طريق مكان مناطق منطقه بلاد بلد دول عالم اسبوع شهر اشهر ايام سابق حاليا امر امور حال حاله
		نحو اكثر اقل مستوي مستويات نوع انواع شكل جزء قسم عمل اعمال موضوع قضيه مسؤول مسؤولين مصدر بيان تصريح
		تصريحات مؤتمر صحفي وكاله انباء موقع صحيفه قناه مقابله سؤال جواب اجابه حديث كلمه كلام ضروره اهميه دور
		الي خاص عامه كافه جميع بعض اطراف طرف مدي فتره مده حد رقم نتيجه نتائج سبب اسباب هدف اهداف وضع اوضاع`) {
		m[w] = true
	}
	return m
}()
