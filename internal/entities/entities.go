// Package entities finds the people, places, organizations and other named
// things (events, laws, prizes) an Arabic news article mentions, with one
// canonical name per thing and the surface forms seen.
//
// Recognition is by gazetteer and context rules, not by a statistical
// model: the gazetteers (data/) hold country, region and city names derived
// from mledoze/countries and Unicode CLDR, and lists curated for khabar of
// well-known organizations, places and people with their aliases, titles,
// given names, and the head nouns that introduce organizations, places and
// events. The rules read a name after a title ("اللواء يحيى رسول"), after a
// given name ("ألن مكاري"), after an organization, place or event head noun
// ("قناة الحرة", "مدينة تدمر", "كأس العالم"), and within an article join a
// surname used alone ("مكاري") to the full name. Precision is preferred to
// recall: these names become tags shown to readers.
//
// The package is pure: no I/O; a Recognizer is immutable and safe for
// concurrent use.
package entities

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"khabar/internal/analysis"
	"khabar/internal/entities/lex"
	"khabar/internal/model"
)

// maxWords caps the words examined per article, so that a huge text costs
// bounded time; news articles are far shorter.
const maxWords = 20000

// Options configure a Recognizer.
type Options struct {
	// Learned are names the store has seen recur in naming contexts (see
	// NameObservations); they are added to the built-in gazetteers.
	Learned []model.Entity
	// Model is the trained tagger; nil means the built-in one.
	Model *Model
	// Mode says how the tagger and the rules combine; 0 means DefaultMode.
	Mode Mode
}

// Mode says which recognizers find the names, as a set of Mode* flags.
type Mode uint8

const (
	// ModeModel tags with the trained sequence model.
	ModeModel Mode = 1 << iota
	// ModeRules adds the gazetteer and context-rule spans (over the words
	// the model, when on, left out).
	ModeRules
	// ModeSurnames tags a surname alone after the full name was seen in
	// the same document.
	ModeSurnames
	// ModeOrgRules adds the organisations the gazetteers and head-noun
	// rules find (نادي الهلال، وزارة الداخلية) over the words the model
	// left out.
	ModeOrgRules
	// ModeConsistent tags a word the model left out with the type most of
	// its other mentions in the document have, when they are entities more
	// often than not.
	ModeConsistent
)

// DefaultMode is the combination that measured best in cross-validation
// on the training corpus (docs/DESIGN.md has the table).
const DefaultMode = ModeModel | ModeSurnames | ModeConsistent

// Recognizer finds entities. It is immutable and safe for concurrent use.
type Recognizer struct {
	g     *gazetteer
	m     *Model
	types *typer // the forms of words for the tagger (with a model, the forms it met)
	mode  Mode
}

// New returns a Recognizer over the built-in gazetteers and opts.Learned.
func New(opts Options) *Recognizer {
	r := &Recognizer{g: base().withLearned(opts.Learned), m: opts.Model, mode: opts.Mode}
	if r.mode == 0 {
		r.mode = DefaultMode
	}
	if r.mode&ModeModel != 0 && r.m == nil {
		r.m = BuiltinModel()
	}
	switch {
	case r.mode&ModeModel != 0:
		r.types = newTyper(r.g, r.m)
	case r.mode&ModeConsistent != 0:
		// document consistency reads the words' forms
		r.types = plainTyper(r.g, 0, nil)
	}
	return r
}

// Names returns the known names the stemmer must leave whole: the
// normalized forms of every gazetteer name and of their distinctive single
// words, with and without the article.
func (r *Recognizer) Names() analysis.Names {
	return r.g.names
}

// BuiltinNames returns Names of a Recognizer without learned names: the
// names of the built-in gazetteers alone. They change only with khabar
// itself, so an analyzer that keeps them out of the stemmer gives a word
// the same index forms at every crawl and every search (learned names
// grow with the store, and would make a query's forms drift from those of
// the articles indexed before).
func BuiltinNames() analysis.Names {
	return base().names
}

// word is one token as the rules see it.
type word struct {
	text       string   // as written
	norm       string   // arabic.Normalize(text), clitics kept
	forms      []string // norm and its clitic-stripped forms
	start, end int      // byte offsets (Recognize) or token index (TagCoNLL)
	brk        bool     // a sentence or punctuation boundary follows
	eos        bool     // the sentence ends after the word (Recognize)
	gap        string   // the punctuation after the word, if any (Recognize)
	skip       bool     // not an Arabic word: never part of an entity
	flags      uint8    // union of the trigger flags of its forms
	ty         *wtype   // what the tagger reads of the word by itself (typer.fill)
}

// span is an entity mention over words [i, j).
type span struct {
	i, j  int
	typ   string
	canon string // canonical name when a gazetteer gave one
	form  string // the clitic-stripped form of the first word used
	// how the span was found, for NameObservations
	context bool
}

// newWord makes a word of text, normalized as norm (arabic.Normalize(text));
// its forms are appended to buf, which the caller shares between words to
// save allocations.
func (g *gazetteer) newWord(text, norm string, buf *[]string) word {
	w := word{text: text, norm: norm}
	if w.norm == "" || strings.Contains(w.norm, " ") || !lex.HasArabic(w.norm) {
		w.skip = true
		return w
	}
	start := len(*buf)
	*buf = lex.AppendCliticForms(*buf, w.norm)
	w.forms = (*buf)[start:len(*buf):len(*buf)]
	for _, f := range w.forms {
		w.flags |= g.flags[f]
	}
	return w
}

// wordsFromTokens builds words from analysis tokens, marking a boundary
// where the text between two tokens holds anything but spaces (punctuation,
// quotes, brackets) or the sentence changes.
func (g *gazetteer) wordsFromTokens(text string, tokens []analysis.Token, sc *scratch) []word {
	if len(tokens) > maxWords {
		tokens = tokens[:maxWords]
	}
	ws := slices.Grow(sc.ws[:0], len(tokens))
	buf := slices.Grow(sc.buf[:0], len(tokens))
	// Words recur in an article: analyse each written form once.
	seen := sc.seen
	for k, t := range tokens {
		if k > 0 && t.Start == tokens[k-1].Start {
			continue // one written form normalized to several words
		}
		var w word
		if at, ok := seen[t.Text]; ok {
			w = ws[at]
			w.brk = false
		} else {
			w = g.newWord(t.Text, t.Normalized(), &buf)
			seen[t.Text] = int32(len(ws))
		}
		w.start, w.end = t.Start, t.End
		w.eos, w.gap = false, ""
		if k+1 < len(tokens) {
			next := tokens[k+1]
			if next.Sentence != t.Sentence || gapBreaks(text, t.End, next.Start) {
				w.brk = true
				w.gap = gapPunct(text, t.End, next.Start)
			}
			w.eos = next.Sentence != t.Sentence
		} else {
			w.brk, w.eos = true, true
			w.gap = gapPunct(text, t.End, len(text))
		}
		ws = append(ws, w)
	}
	sc.ws, sc.buf = ws, buf
	return ws
}

// gapBreaks reports whether text[a:b] separates two words by more than
// white space. Offsets outside text count as a break.
func gapBreaks(text string, a, b int) bool {
	if a < 0 || b > len(text) || a > b {
		return true
	}
	for _, r := range text[a:b] {
		if r == '\n' || !unicode.IsSpace(r) {
			if unicode.Is(unicode.Cf, r) {
				continue
			}
			return true
		}
	}
	return false
}

// gapPunct is the first character of text[a:b] that is neither space nor
// a format mark, as a string ("" when none): the tagger reads it as the
// punctuation token between two words, as in its training corpus.
func gapPunct(text string, a, b int) string {
	if a < 0 || b > len(text) || a > b {
		return ""
	}
	for i := a; i < b; {
		r, size := utf8.DecodeRuneInString(text[i:b])
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			return text[i : i+size]
		}
		i += size
	}
	return ""
}

// splitWords is the fallback tokenizer used when Recognize gets no tokens:
// runs of letters, marks and digits.
func splitWords(text string) []analysis.Token {
	var out []analysis.Token
	start := -1
	for i, r := range text {
		in := unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, analysis.Token{Text: text[start:i], Start: start, End: i})
			start = -1
		}
		if len(out) >= maxWords {
			return out
		}
	}
	if start >= 0 {
		out = append(out, analysis.Token{Text: text[start:], Start: start, End: len(text)})
	}
	return out
}

// Recognize returns the entities of text, most mentioned first. tokens are
// text's analysis tokens; when nil, text is split on non-letters.
func (r *Recognizer) Recognize(text string, tokens []analysis.Token) []model.Entity {
	sc := getScratch()
	defer putScratch(sc)
	ws, found := r.scan(text, tokens, sc)
	return r.entities(text, ws, found, sc)
}

// RecognizeAll returns what Recognize and NameObservations return, from
// one pass over the words (the pipeline wants both of every article).
func (r *Recognizer) RecognizeAll(text string, tokens []analysis.Token) (ents, names []model.Entity) {
	sc := getScratch()
	defer putScratch(sc)
	ws, found := r.scan(text, tokens, sc)
	names = r.names(text, ws, found) // first: entities may reuse found's array
	return r.entities(text, ws, found, sc), names
}

// scan returns the words of text (its tokens; split on non-letters when
// nil), made in sc, and the spans the rules find among them.
func (r *Recognizer) scan(text string, tokens []analysis.Token, sc *scratch) ([]word, []span) {
	if tokens == nil {
		tokens = splitWords(text)
	}
	ws := r.g.wordsFromTokens(text, tokens, sc)
	return ws, r.g.find(ws)
}

// scratch holds the words of a text and their forms while the rules run:
// a few hundred bytes a word, kept from one text for the next (nothing
// the Recognizer returns refers to them).
type scratch struct {
	ws   []word
	buf  []string
	seen map[string]int32 // written form → index in ws
	tag  tagScratch       // the tagger's buffers
}

// seenKeep is the most words a scratch's map is cleared for, not replaced.
const seenKeep = 1024

var scratchPool = sync.Pool{New: func() any { return &scratch{seen: make(map[string]int32, 256)} }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(sc *scratch) {
	// Drop the strings the words hold. Only up to the length: the rest of
	// the arrays was cleared before (or never written), and clearing the
	// whole capacity, grown once by a long text, would clear it again for
	// every short text after.
	clear(sc.ws)
	clear(sc.buf)
	sc.ws, sc.buf = sc.ws[:0], sc.buf[:0]
	sc.tag.reset()
	// Clearing a map walks its whole table, as large as the longest text
	// it ever held: one grown that far is replaced.
	if len(sc.seen) > seenKeep {
		sc.seen = make(map[string]int32, 256)
	} else {
		clear(sc.seen)
	}
	scratchPool.Put(sc)
}

// entities are the entities of the spans found, surnames joined.
func (r *Recognizer) entities(text string, ws []word, found []span, sc *scratch) []model.Entity {
	spans := found
	if r.mode&ModeModel != 0 {
		spans = r.modelSpans(ws, &sc.tag)
		if r.mode&ModeRules != 0 {
			spans = fill(spans, found)
		} else if r.mode&ModeOrgRules != 0 {
			spans = fill(spans, orgSpans(found))
		}
		if r.mode&ModeConsistent != 0 {
			one := [][]span{spans}
			consistent([][]word{ws}, one, func(_, k int, typ string) span {
				return r.g.finish(ws, span{i: k, j: k + 1, typ: typ})
			})
			spans = one[0]
		}
	} else if r.mode&ModeRules == 0 {
		spans = nil
	}
	if r.mode&ModeSurnames != 0 {
		spans = r.g.joinSurnames(ws, spans)
	}
	return r.g.collect(ws, r.g.named(ws, spans), func(sp span) string { return spanText(text, ws, sp) })
}

// notAlone are words that name no entity by themselves: God in a blessing
// (حفظه الله), a pronoun after a preposition, currencies after a sum,
// months and weekdays (نيسان in "أبريل (نيسان)" is no carmaker). Within a
// longer name they stay (ريال مدريد، عبدالله).
var notAlone = func() map[string]bool {
	m := map[string]bool{}
	// الريال alone is also what sports pages call Real Madrid: not here.
	for _, w := range strings.Fields(`الله لله له دولار دولارا دولارات الدولار ريال ريالا ريالات
		يورو اليورو جنيه الجنيه دينار الدينار درهم الدرهم ليرة الليرة
		يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر
		كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين
		محرم صفر ربيع جمادى رجب شعبان رمضان شوال القعدة الحجة
		السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة`) {
		m[key(w)] = true
	}
	return m
}()

// named drops, from the spans that become entities, the one-word spans
// that name no one in particular: a word of notAlone, or a person's given
// name alone (خالد, فهد), which the entity pages would otherwise gather
// from every Khalid in the news. Spans a gazetteer named stay.
func (g *gazetteer) named(ws []word, spans []span) []span {
	alone := func(sp span) bool {
		if sp.j-sp.i != 1 || sp.canon != "" || sp.i >= len(ws) {
			return false
		}
		if notAlone[sp.form] || notAlone[ws[sp.i].norm] {
			return true
		}
		_, first := g.firstNames[sp.form]
		return first && sp.typ == model.EntityPerson
	}
	// Most texts have none: their spans are returned as they are, not
	// copied (spans may share its array with the rules' spans).
	if !slices.ContainsFunc(spans, alone) {
		return spans
	}
	return slices.DeleteFunc(slices.Clone(spans), alone)
}

// names are the names of the spans found in naming contexts that no
// gazetteer knows.
func (r *Recognizer) names(text string, ws []word, found []span) []model.Entity {
	var ctx []span
	for _, sp := range found {
		if sp.context && sp.canon == "" {
			ctx = append(ctx, sp)
		}
	}
	return r.g.collect(ws, ctx, func(sp span) string { return spanText(text, ws, sp) })
}

// spanText is the surface form of sp in text, its proclitics stripped and
// its letters standard.
func spanText(text string, ws []word, sp span) string {
	first := ws[sp.i]
	lead := lex.StripClitics(first.text, sp.form)
	if sp.j-sp.i == 1 {
		return lex.Standard(lead)
	}
	end := ws[sp.j-1].end
	if first.end > len(text) || end > len(text) || first.end > end {
		return lex.Standard(lead)
	}
	rest := strings.Join(strings.Fields(text[first.end:end]), " ")
	return lex.Standard(lead + " " + rest)
}

// TagCoNLL tags one sentence given as tokens with BIO tags (B-PERS, I-LOC,
// O ...), one tag per token.
func (r *Recognizer) TagCoNLL(sentence []string) []string {
	return r.TagCoNLLDocument([][]string{sentence})[0]
}

// surnameWindow is how many sentences a surname seen in a full name keeps
// tagging the surname alone, in TagCoNLLDocument.
const surnameWindow = 25

// TagCoNLLDocument tags the sentences of one document, one tag slice per
// sentence, like TagCoNLL; with ModeSurnames a surname seen in a full name
// ("ألن مكاري") tags the surname alone ("مكاري") in the sentences that
// follow.
func (r *Recognizer) TagCoNLLDocument(sentences [][]string) [][]string {
	out := make([][]string, len(sentences))
	seen := map[string]int{} // surname → index of the last sentence naming it in full
	var sc tagScratch
	allWs := make([][]word, len(sentences))
	allSpans := make([][]span, len(sentences))
	for si, sentence := range sentences {
		ws := sentenceWords(r.g, sentence)
		allWs[si] = ws
		var spans []span
		if r.mode&ModeModel != 0 {
			spans = tagSpans(r.types.tagWords(ws, &sc), nil)
		}
		if r.mode&ModeRules != 0 {
			spans = fill(spans, r.g.find(ws))
		} else if r.mode&ModeOrgRules != 0 && r.mode&ModeModel != 0 {
			spans = fill(spans, orgSpans(r.g.find(ws)))
		}
		if r.mode&ModeSurnames != 0 {
			for _, s := range surnames(ws, spans) {
				seen[s] = si
			}
			spans = addSurnames(ws, spans, func(f string) bool {
				last, ok := seen[f]
				return ok && si-last <= surnameWindow
			})
		}
		allSpans[si] = spans
	}
	if r.mode&ModeConsistent != 0 {
		for _, ws := range allWs {
			for k := range ws {
				r.types.fill(&ws[k])
			}
		}
		consistent(allWs, allSpans, func(s, k int, typ string) span {
			return span{i: k, j: k + 1, typ: typ, form: allWs[s][k].forms[0]}
		})
	}
	for si, sentence := range sentences {
		tags := make([]string, len(sentence))
		for i := range tags {
			tags[i] = "O"
		}
		out[si] = tags
		for _, sp := range allSpans[si] {
			for k := sp.i; k < sp.j; k++ {
				if k == sp.i {
					tags[k] = "B-" + sp.typ
				} else {
					tags[k] = "I-" + sp.typ
				}
			}
		}
	}
	return out
}

// NameObservations returns the names text introduces in strong naming
// contexts — a person after a title, an organization after its head noun, a
// place after a place noun — that the gazetteers do not know yet. The store
// counts them across articles and feeds recurring ones back as
// Options.Learned.
func (r *Recognizer) NameObservations(text string, tokens []analysis.Token) []model.Entity {
	sc := getScratch()
	defer putScratch(sc)
	ws, found := r.scan(text, tokens, sc)
	return r.names(text, ws, found)
}

// collect groups spans into entities: one per canonical name (persons also
// by surname), mentions in order of first appearance, entities by number
// of mentions and then first appearance.
func (g *gazetteer) collect(ws []word, spans []span, surface func(span) string) []model.Entity {
	type agg struct {
		ent      model.Entity
		count    int
		first    int
		gazCanon bool
		seen     map[string]bool
	}
	var list []*agg
	byKey := map[string]*agg{}
	for _, sp := range spans {
		s := surface(sp)
		if s == "" {
			continue
		}
		k := sp.typ + "|" + key(s)
		if sp.canon != "" {
			k = sp.typ + "|" + key(sp.canon)
		}
		if sp.typ == model.EntityPerson && sp.canon == "" {
			k = sp.typ + "|~" + g.surnameKey(ws, sp)
		}
		a := byKey[k]
		if a == nil {
			a = &agg{ent: model.Entity{Type: sp.typ}, first: sp.i, seen: map[string]bool{}}
			byKey[k] = a
			list = append(list, a)
		}
		a.count++
		if !a.seen[s] {
			a.seen[s] = true
			a.ent.Mentions = append(a.ent.Mentions, s)
		}
		switch {
		case sp.canon != "":
			a.ent.Name, a.gazCanon = sp.canon, true
		case !a.gazCanon && better(s, a.ent.Name):
			a.ent.Name = s
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].count != list[j].count {
			return list[i].count > list[j].count
		}
		return list[i].first < list[j].first
	})
	out := make([]model.Entity, 0, len(list))
	for _, a := range list {
		a.ent.Name = lex.Standard(a.ent.Name)
		out = append(out, a.ent)
	}
	return out
}

// better reports whether s is a more complete name than cur: more words,
// then more letters.
func better(s, cur string) bool {
	if cur == "" {
		return true
	}
	ns, nc := len(strings.Fields(s)), len(strings.Fields(cur))
	if ns != nc {
		return ns > nc
	}
	return utf8.RuneCountInString(s) > utf8.RuneCountInString(cur)
}

// surnameKey is the normalized last word of a person span, which joins
// "ألن مكاري", "إيان مكاري" and "مكاري" within an article.
func (g *gazetteer) surnameKey(ws []word, sp span) string {
	last := ws[sp.j-1]
	if sp.j-sp.i == 1 {
		return sp.form
	}
	return last.norm
}

// orgSpans returns the organisations of spans, in a new slice.
func orgSpans(spans []span) []span {
	var out []span
	for _, sp := range spans {
		if sp.typ == model.EntityOrg {
			out = append(out, sp)
		}
	}
	return out
}

// consistent adds to the spans of the sentences of one document (spans[s]
// over words ws[s]) the words outside any span whose clitic-free form is,
// in most of its mentions and at least twice, a one-word entity of the
// same type; mk makes the span of word k of sentence s.
func consistent(ws [][]word, spans [][]span, mk func(s, k int, typ string) span) {
	// The forms of the one-word entities, a handful a text: a slice
	// searched in turn costs less than a map.
	type cand struct {
		core uint64
		n    int    // mentions
		by   [4]int // one-word entities of each type
		typ  int    // the type to give, or -1
	}
	var cs []cand
	for s := range ws {
		for _, sp := range spans[s] {
			if sp.j-sp.i != 1 || sp.i >= len(ws[s]) || ws[s][sp.i].skip || ws[s][sp.i].ty == nil {
				continue
			}
			t := slices.Index(consistentTypes[:], sp.typ)
			if t < 0 {
				continue
			}
			c := ws[s][sp.i].ty.f.core
			k := slices.IndexFunc(cs, func(x cand) bool { return x.core == c })
			if k < 0 {
				cs = append(cs, cand{core: c, typ: -1})
				k = len(cs) - 1
			}
			cs[k].by[t]++
		}
	}
	if len(cs) == 0 {
		return
	}
	for s := range ws {
		for k := range ws[s] {
			w := &ws[s][k]
			if w.skip || w.ty == nil || w.ty.f.kind != 'a' {
				continue
			}
			for i := range cs {
				if cs[i].core == w.ty.f.core {
					cs[i].n++
					break
				}
			}
		}
	}
	some := false
	for i := range cs {
		c := &cs[i]
		best := 0
		for t := range c.by {
			if c.by[t] > c.by[best] {
				best = t
			}
		}
		if c.by[best] >= 2 && 2*c.by[best] > c.n {
			c.typ, some = best, true
		}
	}
	if !some {
		return
	}
	for s := range ws {
		added := false
		for k := range ws[s] {
			w := &ws[s][k]
			if w.skip || w.ty == nil || w.ty.f.kind != 'a' {
				continue
			}
			i := slices.IndexFunc(cs, func(x cand) bool { return x.core == w.ty.f.core })
			if i < 0 || cs[i].typ < 0 || covered(spans[s], k) {
				continue
			}
			spans[s] = append(spans[s], mk(s, k, consistentTypes[cs[i].typ]))
			added = true
		}
		if added {
			slices.SortStableFunc(spans[s], func(a, b span) int { return a.i - b.i })
		}
	}
}

var consistentTypes = [4]string{model.EntityPerson, model.EntityPlace, model.EntityOrg, model.EntityMisc}

// covered reports whether a span of spans holds word k.
func covered(spans []span, k int) bool {
	for _, sp := range spans {
		if sp.i <= k && k < sp.j {
			return true
		}
	}
	return false
}
