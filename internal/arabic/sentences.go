package arabic

import (
	"unicode"
	"unicode/utf8"
)

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// SplitSentences splits text into sentences and returns their byte spans,
// trimmed of surrounding white space. A sentence ends at ؟ ? ! . ۔ … or a
// line break; the Arabic comma ، and semicolon ؛ do not end one. Closing
// quotes and brackets after the end mark stay with the sentence. A full
// stop does not end a sentence inside a number (3.5) or a name (example.com),
// or after a one-letter abbreviation (د. محمد, U.S.) unless that letter
// follows a number ("عام 2024 م." ends a sentence).
//
// Invalid UTF-8 is treated like any other non-space text.
func SplitSentences(text string) []Span {
	var spans []Span
	start := -1          // start of the current sentence, -1 before its first rune
	wordStart := -1      // start of the current word, -1 between words
	lastNumeric := false // the last complete word was a number
	add := func(end int) {
		if start >= 0 {
			end = trimRight(text, start, end)
			if end > start {
				spans = append(spans, Span{start, end})
			}
		}
		start = -1
	}
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		// Most runes are letters: no need to ask the Unicode tables whether
		// they are spaces.
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			if wordStart < 0 {
				wordStart = i
			}
			i += size
			continue
		}
		switch {
		case r == '\n' || r == '\r' || r == 0x2029 || r == 0x2028 || r == 0x85:
			add(i)
			i += size
			wordStart, lastNumeric = -1, false
			continue
		case r == ' ' || r == '\t' || r >= utf8.RuneSelf && unicode.IsSpace(r) || r == '\v' || r == '\f':
			if wordStart >= 0 {
				lastNumeric = isNumber(text[wordStart:i])
			}
			i += size
			wordStart = -1
			continue
		}
		if start < 0 {
			start = i
		}
		word, before := "", lastNumeric
		if wordStart >= 0 {
			word = text[wordStart:i]
			lastNumeric = isNumber(word)
		}
		wordStart = -1
		if !isSentenceEnd(r) {
			i += size
			continue
		}
		j := i + size
		if r == '.' {
			next, _ := utf8.DecodeRuneInString(text[j:])
			if j < len(text) && isWordRune(next) {
				i = j // 3.5, example.com, U.S.A
				continue
			}
			// د. محمد, but not "عام 2024 م." where م is the era.
			if utf8.RuneCountInString(word) == 1 && !before {
				i = j
				continue
			}
		}
		// Take the rest of a run of end marks (?!, ...) and the closing
		// quotes and brackets that follow.
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if !isSentenceEnd(r2) && !isCloser(r2) {
				break
			}
			j += s2
		}
		add(j)
		i = j
	}
	add(len(text))
	return spans
}

// isNumber reports whether w is all digits (of any script).
func isNumber(w string) bool {
	for _, r := range w {
		if !isDigit(r) {
			return false
		}
	}
	return w != ""
}

// isDigit is unicode.IsDigit without a table search below U+0800, where
// the decimal digits are ASCII's, the two Arabic-Indic sets and N'Ko's.
func isDigit(r rune) bool {
	if r < 0x800 {
		return '0' <= r && r <= '9' || 0x660 <= r && r <= 0x669 || 0x6F0 <= r && r <= 0x6F9 || 0x7C0 <= r && r <= 0x7C9
	}
	return unicode.IsDigit(r)
}

func isSentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '؟', '۔', '…', '‼', '⁇', '⁈', '⁉', '。':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '}', '»', '”', '’', '›':
		return true
	}
	return unicode.Is(unicode.Pe, r) || unicode.Is(unicode.Pf, r)
}

// isWordRune reports whether r belongs to a word: letters, marks, digits.
func isWordRune(r rune) bool {
	if r < rune(len(lowWordRunes)) {
		return lowWordRunes[r]
	}
	return slowWordRune(r)
}

// lowWordRunes caches isWordRune below U+0800, where most text is.
var lowWordRunes = func() (t [0x800]bool) {
	for r := range rune(len(t)) {
		t[r] = slowWordRune(r)
	}
	return t
}()

func slowWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func trimRight(text string, start, end int) int {
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			break
		}
		end -= size
	}
	return end
}
