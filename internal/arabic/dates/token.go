package dates

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tWord tokKind = iota + 1
	tNum
	tPunct
)

// tok is one word, digit run or punctuation mark, with its normalized form
// and its byte span in the original text.
type tok struct {
	kind  tokKind
	s     string // normalized word, ASCII digits, or the punctuation mark
	n     int    // value of a digit run; -1 when it has more than nine digits
	nd    int    // digits in a digit run
	start int
	end   int
	space bool // whitespace (or a format character) precedes the token
	fa    bool // a digit run with Persian digits: Solar Hijri years on Persian pages
}

// maxDigits bounds the digit runs given a value; longer runs are not dates.
const maxDigits = 9

// tokenize normalizes and splits s in one pass. Letters are folded to the
// forms the tables use (alef variants → ا, ى → ي, ة → ه, Persian ی/ک,
// ASCII lower case); harakat and tatweel vanish inside words; Arabic-Indic
// and Persian digits become ASCII; invalid UTF-8 is a separator.
func tokenize(s string) []tok {
	toks := make([]tok, 0, len(s)/4+1)
	var b strings.Builder
	space := true
	cur := tok{}
	flush := func(end int) {
		if cur.kind == 0 {
			return
		}
		cur.end = end
		cur.s = b.String()
		if cur.kind == tNum {
			if cur.nd > maxDigits {
				cur.n = -1
			}
		}
		toks = append(toks, cur)
		b.Reset()
		cur = tok{}
	}
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w <= 1 {
			flush(i)
			space = true
			i += w
			continue
		}
		switch {
		case isMark(r):
			// Harakat and tatweel belong to the word they sit in.
			if cur.kind == tWord {
				i += w
				continue
			}
			flush(i)
			i += w
			continue
		case isFormat(r):
			// Direction marks are invisible: they neither split nor join.
			i += w
			continue
		case unicode.IsSpace(r):
			flush(i)
			space = true
			i += w
			continue
		}
		if d, ok := digitValue(r); ok {
			if cur.kind != tNum {
				flush(i)
				cur = tok{kind: tNum, start: i, space: space}
				space = false
			}
			cur.nd++
			if r >= '۰' && r <= '۹' {
				cur.fa = true
			}
			if cur.nd <= maxDigits {
				cur.n = cur.n*10 + d
			}
			if cur.nd <= 16 {
				b.WriteByte(byte('0' + d))
			}
			i += w
			continue
		}
		if unicode.IsLetter(r) {
			if cur.kind != tWord {
				flush(i)
				cur = tok{kind: tWord, start: i, space: space}
				space = false
			}
			if b.Len() < 64 {
				b.WriteRune(foldLetter(r))
			}
			i += w
			continue
		}
		flush(i)
		toks = append(toks, tok{kind: tPunct, s: string(foldPunct(r)), start: i, end: i + w, space: space})
		space = false
		i += w
	}
	flush(len(s))
	return toks
}

func digitValue(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= '٠' && r <= '٩':
		return int(r - '٠'), true
	case r >= '۰' && r <= '۹':
		return int(r - '۰'), true
	}
	return 0, false
}

// isMark reports harakat, Quranic marks, superscript alef and tatweel.
func isMark(r rune) bool {
	return (r >= 0x064B && r <= 0x065F) || r == 0x0670 || r == 0x0640 ||
		(r >= 0x06D6 && r <= 0x06ED && r != 0x06E5 && r != 0x06E6) ||
		(r >= 0x0610 && r <= 0x061A)
}

// isFormat reports bidi controls, zero-width characters and the BOM.
func isFormat(r rune) bool {
	return (r >= 0x200B && r <= 0x200F) || (r >= 0x202A && r <= 0x202E) ||
		(r >= 0x2066 && r <= 0x2069) || r == 0x061C || r == 0xFEFF || r == 0x00AD
}

func foldLetter(r rune) rune {
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ':
		return 'ا'
	case 'ى', 'ی', 'ې', 'ۍ':
		return 'ي'
	case 'ة', 'ۀ', 'ە':
		return 'ه'
	case 'ک', 'ڪ':
		return 'ك'
	case 'ؤ':
		return 'و'
	case 'é', 'è', 'ê', 'ë', 'É':
		return 'e'
	case 'à', 'â', 'ä':
		return 'a'
	case 'û', 'ù', 'ü':
		return 'u'
	case 'î', 'ï':
		return 'i'
	case 'ô', 'ö':
		return 'o'
	case 'ç':
		return 'c'
	}
	if r < 0x80 {
		return unicode.ToLower(r)
	}
	return unicode.ToLower(r)
}

func foldPunct(r rune) rune {
	switch r {
	case '،', '٬', '﹐', '，':
		return ','
	case '؛':
		return ';'
	case '۔', '٫':
		return '.'
	case '–', '—', '−', '‐', '‑', '‒', '－':
		return '-'
	case '／', '∕', '⁄':
		return '/'
	case '：':
		return ':'
	case '（', '﴾', '﴿', '[', '{', '«':
		if r == '﴿' {
			return ')'
		}
		return '('
	case '）', ']', '}', '»':
		return ')'
	}
	return r
}
