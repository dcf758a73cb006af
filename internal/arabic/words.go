package arabic

import (
	"iter"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Words is the one word splitter of khabar: the analyzer's tokens and
// NormPhrase both cut a text where it cuts, so a phrase's normal form is
// always the tokens' normal forms joined. Words are runs of letters,
// combining marks and digits (tatweel and invisible format characters such
// as ZWNJ inside a word are part of it); a run of digits next to Arabic
// letters is its own word (2024م → 2024, م).

// Rune classes of the tokenizer.
const (
	wordSep    = iota // separates words
	wordLetter        // a letter
	wordMark          // a combining mark: continues the word it follows
	wordDigit
	wordJoiner // invisible format characters: inside a word only
)

// lowWordClasses caches the class of every rune below U+0800 (Latin, Greek,
// Cyrillic, Hebrew, Arabic), where the unicode tables would be searched for
// almost every rune of a text.
var lowWordClasses = func() (t [0x800]uint8) {
	for r := range rune(len(t)) {
		t[r] = uint8(slowWordClass(r))
	}
	return t
}()

func wordClass(r rune, size int) int {
	if r < 0x800 {
		if r == utf8.RuneError && size == 1 {
			return wordSep
		}
		return int(lowWordClasses[r])
	}
	if r == utf8.RuneError && size == 1 {
		return wordSep
	}
	return slowWordClass(r)
}

func slowWordClass(r rune) int {
	switch {
	case r == 0x640:
		// Tatweel stretches the letter before it and normalization drops
		// it: like a mark it continues whatever it follows, so 0ـ0 is one
		// word, as arabic.NormPhrase (which never sees it) reads it.
		return wordMark
	case unicode.IsDigit(r):
		return wordDigit
	case unicode.IsLetter(r):
		return wordLetter
	case unicode.IsMark(r):
		return wordMark
	case unicode.Is(unicode.Cf, r):
		return wordJoiner
	case r >= 0x800 && compatLetters(r):
		// A symbol whose compatibility form is letters (⼼ → 心, ㎏ → kg)
		// is those letters after normalization: a word, as arabic.NormPhrase
		// reads it.
		return wordLetter
	}
	return wordSep
}

// compatLetters reports whether the NFKC form of r is letters and marks
// only.
func compatLetters(r rune) bool {
	d := norm.NFKC.PropertiesString(string(r)).Decomposition()
	if len(d) == 0 {
		return false
	}
	for _, c := range string(d) {
		if !unicode.IsLetter(c) && !unicode.IsMark(c) {
			return false
		}
	}
	return unicode.IsLetter([]rune(string(d))[0])
}

func isArabicWordLetter(r rune) bool {
	return r >= 0x600 && r <= 0x6FF || r >= 0x750 && r <= 0x77F || r >= 0x8A0 && r <= 0x8FF ||
		r >= 0xFB50 && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF
}

// Words yields the byte spans of the words of text.
func Words(text string) iter.Seq[Span] {
	return func(yield func(Span) bool) {
		start, end := -1, -1 // current word; end is after its last letter or digit
		var prevClass int
		var prevArabic bool
		flush := func() bool {
			ok := true
			if start >= 0 && end > start {
				ok = yield(Span{start, end})
			}
			start, end = -1, -1
			return ok
		}
		for i := 0; i < len(text); {
			r, size := utf8.DecodeRuneInString(text[i:])
			c := wordClass(r, size)
			switch c {
			case wordSep:
				if !flush() {
					return
				}
			case wordJoiner:
				// part of the word only if a letter or digit follows
			case wordMark:
				if start >= 0 {
					end = i + size // a mark continues whatever it follows
				}
			case wordLetter, wordDigit:
				ar := c == wordLetter && isArabicWordLetter(r)
				if start >= 0 && (prevClass == wordDigit && ar || prevClass == wordLetter && prevArabic && c == wordDigit) {
					if !flush() { // 2024م, م2024
						return
					}
				}
				if start < 0 {
					start = i
				}
				end = i + size
				prevClass, prevArabic = c, ar
			}
			i += size
		}
		flush()
	}
}
