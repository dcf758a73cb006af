// Package analysis turns text into tokens for indexing, search, keywords
// and entity recognition. It follows bleve's pipeline (character filter →
// tokenizer → token filters) but fixes the pipeline instead of registering
// stages by name: words are cut from the original text, so every token
// keeps its byte offsets for highlighting, and each word is then normalized
// (package arabic), stripped of clitics and lightly stemmed, with known
// names kept out of the stemmer.
package analysis

import (
	"strings"
	"sync"
	"unicode"

	"khabar/internal/arabic"
)

// Token is one word of a text.
type Token struct {
	Text       string // the word as written, Text == original[Start:End]
	Start, End int    // byte offsets in the original text
	// Surface is the written word normalized (arabic.Normalize(Text)),
	// clitics kept: what the keyword and entity rules read the word as.
	Surface string
	// Norm is the normalized word with its proclitics (و ف ب ك ل, ال, لل)
	// removed but not stemmed: the exact search term.
	Norm string
	// Stem is the light stem of Norm; it equals Norm for known names.
	Stem     string
	Stop     bool // a stop word, left out of IndexForms
	Sentence int  // index of the sentence (arabic.SplitSentences) holding the word
}

// Names is a set of known names (places, people, organizations) that the
// stemmer must leave whole. Has receives arabic.Normalize()d single words:
// a token and the candidate forms of it that clitic stripping considers
// (without a leading و ف ب ك ل, with and without the article ال), so a set
// that holds البحرين or بحرين protects والبحرين too. Has must be safe for
// concurrent use if the Analyzer is shared.
type Names interface {
	Has(norm string) bool
}

// Options configure an Analyzer.
type Options struct {
	Names Names // nil: only the built-in names of package arabic
}

// Analyzer cuts text into tokens. It holds no mutable state, so one
// Analyzer is safe for concurrent use.
type Analyzer struct {
	known arabic.Known
}

// New returns an Analyzer.
func New(opts Options) *Analyzer {
	a := &Analyzer{}
	if opts.Names != nil {
		names := opts.Names
		a.known = func(w string) bool { return names.Has(w) }
	}
	return a
}

// Analyze returns the tokens of text in order. Words are runs of letters,
// combining marks and digits (tatweel and invisible format characters such
// as ZWNJ inside a word are part of it); a run of digits next to Arabic
// letters is its own token (2024م → 2024, م). A written form that
// normalizes to several words (the ligature ﷺ) gives one token per word,
// all with the same offsets; one that normalizes to nothing gives none.
func (a *Analyzer) Analyze(text string) []Token {
	return a.AnalyzeAppend(make([]Token, 0, len(text)/8), text)
}

// AnalyzeAppend appends the tokens of text to dst and returns the
// extended slice: Analyze into an array the caller reuses.
func (a *Analyzer) AnalyzeAppend(dst []Token, text string) []Token {
	sentences := arabic.SplitSentences(text)
	tokens := dst
	// A word recurs in a text: its forms are worked out once (a third of
	// a news article's words are repeats).
	seen := seenPool.Get().(map[string]int32) // written form → index in tokens
	defer func() {
		// Clearing walks the whole table, as large as the longest text it
		// ever held: a map grown that far is left to the collector.
		if len(seen) <= seenKeep {
			clear(seen)
			seenPool.Put(seen)
		}
	}()
	sent := 0
	for w := range arabic.Words(text) {
		for sent < len(sentences)-1 && w.Start >= sentences[sent].End {
			sent++
		}
		raw := text[w.Start:w.End]
		if at, ok := seen[raw]; ok {
			t := tokens[at]
			t.Text, t.Start, t.End, t.Sentence = raw, w.Start, w.End, sent
			tokens = append(tokens, t)
			continue
		}
		// Keep the hamza on alef until the clitics are off, so that ألعاب
		// is not read as the article ال + عاب.
		h := arabic.NormalizeKeepHamza(raw)
		if h == "" {
			continue
		}
		surface := arabic.UnmarkHamza(h) // == arabic.Normalize(raw)
		n := len(tokens)
		for part := range strings.SplitSeq(h, " ") {
			// A compatibility character can normalize to a space and a
			// combining mark (ͺ); a mark cannot start a word.
			if part = strings.TrimLeftFunc(part, unicode.IsMark); part != "" {
				t := a.token(raw, w.Start, w.End, part, sent)
				t.Surface = surface
				tokens = append(tokens, t)
			}
		}
		if len(tokens) == n+1 { // the usual one word (not ﷺ, not nothing)
			seen[raw] = int32(n)
		}
	}
	return tokens
}

// seenPool holds Analyze's maps of the words met so far, cleared; a map
// that held more than seenKeep words is not kept.
var seenPool = sync.Pool{New: func() any { return make(map[string]int32, 256) }}

const seenKeep = 1024

func (a *Analyzer) token(raw string, start, end int, h string, sent int) Token {
	norm := arabic.StripClitics(h, a.known)
	n := arabic.UnmarkHamza(h) // the whole word, normalized, for the stop list
	return Token{
		Text:     raw,
		Start:    start,
		End:      end,
		Norm:     norm,
		Stem:     arabic.Stem(norm, a.known),
		Stop:     arabic.IsStopWord(norm) || arabic.IsStopWord(n),
		Sentence: sent,
	}
}

// Normalized returns the written word normalized: Surface, or for a token
// not made by Analyze (without it), arabic.Normalize(Text).
func (t Token) Normalized() string {
	if t.Surface != "" {
		return t.Surface
	}
	return arabic.Normalize(t.Text)
}

// FormsVersion names the rules by which a word becomes its index forms
// (Token.IndexForm: normalization, clitic stripping, stemming, the stop
// list and the built-in names). A store records the version its index was
// built with; when the rules change this number goes up, and a store built
// with another is reindexed from its articles' text when it is opened.
const FormsVersion = 4

// IndexForm returns the two forms under which the index keeps the word
// and a query looks it up: term, the normalized word without its clitics
// (the exact form), and stem, its light stem (the word itself for a known
// name). ok is false for a word the index leaves out: a stop word, or one
// with no form. The indexer (Forms) and the query parser both take a
// word's forms from here, so a query finds every text that holds the word.
func (t Token) IndexForm() (term, stem string, ok bool) {
	if t.Stop || t.Norm == "" {
		return "", "", false
	}
	stem = t.Stem
	if stem == "" {
		stem = t.Norm
	}
	return t.Norm, stem, true
}

// Forms returns the space-joined index forms (IndexForm) of toks, in
// order: the terms and the stems, the two vocabularies the search index
// keeps. Both hold one entry per indexed word.
func Forms(toks []Token) (terms, stems string) {
	var tb, sb strings.Builder
	if len(toks) > 0 { // the text's length less the stop words, about
		n := toks[len(toks)-1].End - toks[0].Start
		tb.Grow(n)
		sb.Grow(n)
	}
	for _, t := range toks {
		term, stem, ok := t.IndexForm()
		if !ok {
			continue
		}
		if tb.Len() > 0 {
			tb.WriteByte(' ')
			sb.WriteByte(' ')
		}
		tb.WriteString(term)
		sb.WriteString(stem)
	}
	return tb.String(), sb.String()
}

// IndexForms returns Forms of the tokens of text.
func (a *Analyzer) IndexForms(text string) (terms, stems string) {
	return Forms(a.Analyze(text))
}
