package sqlite

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"khabar/internal/store"
)

// ftsText returns s as the full-text index reads it: runs of
// store.IsWordRune runes, lowercased, with every other character a space.
// Words from khabar's analysis are already so, and come back unchanged and
// uncopied. The index's ascii tokenizer (migration 0007)
// splits only at ASCII characters other than letters and digits and folds
// only ASCII case, so this is what makes a word with, say, a non-ASCII
// punctuation mark or capital letter mean the same in an article and in a
// query as it would in khabar's analysis.
func ftsText(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		// Two-byte sequences (all of Arabic) decoded inline: this runs
		// over every indexed word on the store's single writer.
		if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			if lowWordRunes[rune(c&0x1F)<<6|rune(s[i+1]&0x3F)] {
				i += 2
				continue
			}
			return ftsTextSlow(s, i)
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < rune(len(lowWordRunes)) && lowWordRunes[r] || r >= rune(len(lowWordRunes)) && keptAsIs(r) {
			i += n
			continue
		}
		return ftsTextSlow(s, i)
	}
	return s
}

// ftsTextSlow is ftsText of s from byte i, the first that changes.
func ftsTextSlow(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
		case r == utf8.RuneError || !store.IsWordRune(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// keptAsIs reports whether ftsText keeps the non-ASCII rune r unchanged.
func keptAsIs(r rune) bool {
	return r != utf8.RuneError && store.IsWordRune(r) && unicode.ToLower(r) == r
}

// lowWordRunes caches keptAsIs below U+0800 (Latin, Greek, Cyrillic,
// Hebrew, Arabic).
var lowWordRunes = func() (t [0x800]bool) {
	for r := rune(utf8.RuneSelf); r < rune(len(t)); r++ {
		t[r] = keptAsIs(r)
	}
	return t
}()
