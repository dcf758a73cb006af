package arabic

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns the search and comparison form of s:
//
//   - alef forms (أ إ آ ٱ ٲ ٳ ٵ) become ا; alef maqsura ى and Persian yeh ی
//     become ي; keheh ک becomes ك; teh marbuta ة and the heh variants
//     (ھ ۀ ہ ۂ ۃ) become ه;
//   - tatweel, all harakat, superscript alef, the Quranic annotation marks
//     (U+06D6–U+06ED) and every format character (bidi marks and embeddings,
//     U+061C, BOM, soft hyphen, ZWJ) are removed;
//   - ZWNJ (U+200C) is removed too, so a Persian compound written with or
//     without it (می‌شود / میشود) has one search form;
//   - presentation forms and other compatibility characters go through NFKC;
//   - Arabic-Indic and Persian digits become ASCII digits;
//   - letters are lower-cased, runs of white space and control characters
//     collapse to one space, and the result is trimmed.
//
// Invalid UTF-8 bytes become U+FFFD. Normalize never fails and is
// idempotent: Normalize(Normalize(s)) == Normalize(s). The original text
// stays the caller's to display; this form is for matching only.
func Normalize(s string) string {
	return normalize(s, false)
}

// NormalizeKeepHamza is Normalize except that alef with hamza (أ إ آ)
// becomes أ rather than ا. StripClitics reads it to tell a word that begins
// with أل or إل (ألعاب, إلغاء, ألمانيا) from the article ال; its result is
// fully normalized again. Normalize(NormalizeKeepHamza(s)) == Normalize(s).
func NormalizeKeepHamza(s string) string {
	return normalize(s, true)
}

// normalize is Normalize; with keepHamza the alef forms that carry a hamza
// (أ إ آ) become أ instead of ا, which tells the stemmer that the word's
// first letters are not the article (ألعاب, إلغاء).
func normalize(s string, keepHamza bool) string {
	out, slow := normalizePass(s, true, keepHamza)
	if !slow {
		return out
	}
	// Rare path: the text holds characters whose NFKC form depends on their
	// neighbours (combining marks outside Arabic, Hangul jamo, compatibility
	// characters outside the Arabic presentation blocks). Compose the whole
	// text first, then map; repeat while mapping exposed new compositions.
	out, _ = normalizePass(norm.NFKC.String(s), false, keepHamza)
	for range 3 {
		c := norm.NFKC.String(out)
		if c == out {
			break
		}
		out, _ = normalizePass(c, false, keepHamza)
	}
	return out
}

// NormalizeDigits replaces Arabic-Indic (٠–٩) and Persian (۰–۹) digits with
// ASCII digits and leaves everything else as it is.
func NormalizeDigits(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if digitValue(r) >= 0 && r >= 0x80 {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if d := digitValue(r); d >= 0 {
			b.WriteByte(byte('0' + d))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// digitValue is the value of an ASCII, Arabic-Indic or Persian digit, or -1.
func digitValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= 0x0660 && r <= 0x0669:
		return int(r - 0x0660)
	case r >= 0x06F0 && r <= 0x06F9:
		return int(r - 0x06F0)
	}
	return -1
}

// Actions of the Arabic block table.
const (
	actKeep    = iota // copy the rune
	actDrop           // remove it (marks, tatweel, format characters)
	actMap            // replace it with arabicMap[r-0x600]
	actHamza          // U+0654 hamza above: composes with a preceding و or ي
	actCompose        // other combining marks that NFC composes (madda, hamza below): drop
)

// arabicAct and arabicMap describe U+0600–U+06FF. They are filled once by
// buildArabicTables and only read afterwards.
var arabicAct, arabicMap = buildArabicTables()

func buildArabicTables() (act [256]uint8, to [256]rune) {
	set := func(r rune, a uint8, m rune) { act[r-0x600] = a; to[r-0x600] = m }
	for r := rune(0x600); r <= 0x605; r++ { // number signs (format)
		set(r, actDrop, 0)
	}
	for r := rune(0x610); r <= 0x61A; r++ { // honorific and Quranic marks
		set(r, actDrop, 0)
	}
	set(0x61C, actDrop, 0) // ARABIC LETTER MARK
	set(0x620, actMap, 'ي')
	for _, r := range []rune{0x622, 0x623, 0x625, 0x671, 0x672, 0x673, 0x675} {
		set(r, actMap, 'ا')
	}
	set(0x629, actMap, 'ه')
	set(0x640, actDrop, 0) // tatweel
	set(0x649, actMap, 'ي')
	for r := rune(0x64B); r <= 0x65F; r++ { // harakat and other marks
		set(r, actDrop, 0)
	}
	set(0x653, actCompose, 0)
	set(0x654, actHamza, 0)
	set(0x655, actCompose, 0)
	for r := rune(0x660); r <= 0x669; r++ {
		set(r, actMap, '0'+r-0x660)
	}
	set(0x66A, actMap, '%')
	set(0x66B, actMap, '.') // Arabic decimal separator
	set(0x66C, actMap, ',') // Arabic thousands separator
	set(0x670, actDrop, 0)  // superscript alef
	set(0x674, actDrop, 0)  // high hamza (what NFKC leaves of ٵ ٶ ٸ)
	set(0x676, actMap, 'و')
	set(0x677, actMap, 'ۇ')
	set(0x678, actMap, 'ي')
	set(0x6A9, actMap, 'ك')
	set(0x6AA, actMap, 'ك')
	for _, r := range []rune{0x6BE, 0x6C0, 0x6C1, 0x6C2, 0x6C3} {
		set(r, actMap, 'ه')
	}
	set(0x6CC, actMap, 'ي')
	set(0x6D3, actMap, 'ے')
	for r := rune(0x6D6); r <= 0x6ED; r++ { // Quranic annotation signs
		set(r, actDrop, 0)
	}
	for r := rune(0x6F0); r <= 0x6F9; r++ {
		set(r, actMap, '0'+r-0x6F0)
	}
	return act, to
}

// put appends r to buf, after a single space when one is pending and buf
// is not empty. It is written as a plain function over a local slice (not a
// method on a struct) so that the hot loop keeps buf in registers.
func put(buf []byte, space bool, r rune) []byte {
	if space && len(buf) > 0 {
		buf = append(buf, ' ')
	}
	if r < utf8.RuneSelf {
		return append(buf, byte(r))
	}
	return utf8.AppendRune(buf, r)
}

// putArabic appends the normalized form of r, a rune of U+0600–U+06FF, and
// reports whether the pending space is still pending.
func putArabic(buf []byte, space bool, r rune, keepHamza bool) ([]byte, bool) {
	if keepHamza && (r == 'أ' || r == 'إ' || r == 'آ') {
		return put(buf, space, 'أ'), false
	}
	switch arabicAct[r-0x600] {
	case actKeep:
		return put(buf, space, r), false
	case actMap:
		return put(buf, space, arabicMap[r-0x600]), false
	case actHamza:
		// A decomposed ؤ or ئ: NFC would compose it, so do the same. Alef
		// and heh with hamza above normalize to the bare letter anyway, so
		// the mark is simply dropped there.
		if !space {
			last, size := utf8.DecodeLastRune(buf)
			switch last {
			case 'و':
				return put(buf[:len(buf)-size], false, 'ؤ'), false
			case 'ي':
				return put(buf[:len(buf)-size], false, 'ئ'), false
			}
		}
	}
	return buf, space
}

// normalizePass is one left-to-right pass of Normalize. With check set it
// reports (slow == true) when it meets a character whose NFKC form depends
// on context and that the pass does not handle itself; the caller then runs
// the whole text through NFKC first and calls it again with check unset.
func normalizePass(s string, check, keepHamza bool) (out string, slow bool) {
	// Words (the analyzer normalizes one at a time) fit a buffer on the
	// stack; only the result is allocated, and not even that when the word
	// is already in normal form.
	var stack [64]byte
	buf := stack[:0]
	if len(s) > len(stack) {
		buf = make([]byte, 0, len(s))
	}
	space := false // a separator is pending
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case c <= ' ' || c == 0x7F:
				space = true
				continue
			}
			if space && len(buf) > 0 {
				buf = append(buf, ' ')
			}
			buf = append(buf, c)
			space = false
			continue
		}
		// Two-byte runes of the Arabic block, decoded by hand: the bulk of
		// Arabic text.
		if (c == 0xD8 || c == 0xD9 || c == 0xDA || c == 0xDB) && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			r := rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
			i += 2
			buf, space = putArabic(buf, space, r, keepHamza)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		seg := s[i : i+size]
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			buf, space = put(buf, space, utf8.RuneError), false
		case unicode.IsSpace(r) || unicode.IsControl(r) || r == 0x2028 || r == 0x2029:
			space = true
		case unicode.IsMark(r) && unicode.Is(unicode.Arabic, r):
			// marks of the Arabic supplement and extended blocks
		case unicode.Is(unicode.Cf, r):
			// bidi marks and embeddings, ZWNJ, ZWJ, BOM, soft hyphen: invisible
		case (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFE):
			// Arabic presentation forms: their compatibility decomposition
			// is Arabic letters, marks and spaces, which the table handles.
			d := norm.NFKC.PropertiesString(seg).Decomposition()
			if d == nil {
				buf, space = put(buf, space, r), false
				continue
			}
			for _, dr := range string(d) {
				switch {
				case dr == ' ':
					space = true
				case dr >= 0x600 && dr <= 0x6FF:
					buf, space = putArabic(buf, space, dr, keepHamza)
				default:
					buf, space = put(buf, space, unicode.ToLower(dr)), false
				}
			}
		default:
			if check {
				p := norm.NFKC.PropertiesString(seg)
				if p.CCC() != 0 || !p.BoundaryBefore() {
					return "", true
				}
				// A compatibility decomposition, or a canonical one that
				// NFC does not compose back (豈 U+F900 → U+8C48, Å U+212B
				// → U+00C5): the rune is not its own normal form.
				if kd := p.Decomposition(); kd != nil && (string(kd) != string(norm.NFC.PropertiesString(seg).Decomposition()) || !norm.NFC.IsNormalString(seg)) {
					return "", true
				}
			}
			buf, space = put(buf, space, unicode.ToLower(r)), false
		}
	}
	if string(buf) == s {
		return s, false
	}
	return string(buf), false
}
