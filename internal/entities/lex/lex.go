// Package lex holds the small lexical judgements that keyphrase extraction
// and entity recognition share: which normalized words look like verbs or
// particles, how to strip proclitics from a surface form while keeping its
// spelling, and how to present a surface form in standard Arabic letters.
//
// Every function works on one word and is safe for concurrent use; the
// tables are built once and never change.
package lex

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"khabar/internal/arabic"
)

// pastVerbs are reporting and action verbs of news prose in the past tense
// (curated for khabar). Their feminine (ـت) and plural (ـوا) forms and the
// conjunctions و/ف before them are recognized too.
var pastVerbs = []string{
	"قال", "أعلن", "أكد", "أضاف", "أوضح", "أشار", "كشف", "ذكر", "تابع", "شدد", "لفت", "اعتبر", "رأى",
	"أفاد", "صرح", "نفى", "دعا", "طالب", "أعرب", "أبدى", "أبلغ", "أفادت", "نقل", "وصف", "رحب", "حذر",
	"زار", "التقى", "استقبل", "بحث", "ناقش", "وقع", "أصدر", "قرر", "أمر", "أجرى", "عقد", "شارك", "ترأس",
	"افتتح", "أطلق", "بدأ", "انطلق", "انتهى", "أنهى", "استمر", "وصل", "غادر", "عاد", "توجه", "أسفر",
	"قتل", "أصيب", "اعتقل", "استهدف", "شن", "هاجم", "سقط", "تعرض", "تمكن", "تم", "جرى", "حدث", "وقعت",
	"يعد", "أصبح", "بات", "ظل", "صار", "أسس", "تولى", "حصل", "فاز", "خسر", "سجل", "ارتفع", "انخفض",
	"تراجع", "بلغ", "تجاوز", "أظهر", "أثار", "أعاد", "أدى", "أكدت", "قالت", "أوضحت", "أضافت", "كانت",
	"أرسل", "تلقى", "اتهم", "أدان", "رفض", "وافق", "قبل", "طلب", "اقترح", "أقر", "نشر", "أشاد",
	"اعترف", "أوقف", "منع", "سمح", "ساهم", "أسهم", "تحدث", "تطرق", "علق", "أجاب", "سأل", "أنشأ",
	"استأنف", "انسحب", "تقدم", "أبرم", "اجتمع", "تسلم", "سلم", "اختتم", "عبر", "أعلنت", "نفذ", "تبنى",
	// frequent imperfect forms too short for the pattern test
	"يتم", "سيتم", "تتم", "يجب", "يمكن", "يكون", "تكون", "يعد", "تعد",
}

var verbSet = buildVerbSet()

func buildVerbSet() *arabic.WordSet {
	set := arabic.NewWordSet()
	for _, v := range pastVerbs {
		n := arabic.Normalize(v)
		for _, form := range []string{n, n + "ت", n + "وا", n + "ا"} {
			for _, p := range []string{"", "و", "ف"} {
				set.Add(p + form)
			}
		}
	}
	return set
}

// particles are prepositions, conjunctions and other function words that
// the stop-word lists leave out or that a phrase must not start or end with.
var particles = buildSet(
	"في", "من", "الى", "علي", "عن", "مع", "ضد", "بين", "حول", "عبر", "نحو", "لدي", "لدى", "منذ", "حتي",
	"ان", "انه", "انها", "اذا", "لان", "كما", "لكن", "بل", "او", "ام", "ثم", "قد", "لقد", "لم", "لن",
	"لا", "ما", "هل", "سوف", "كل", "بعض", "غير", "سوي", "عند", "بعد", "قبل", "خلال", "ضمن", "دون",
	"وفي", "ومن", "والى", "وعلي", "وعن", "ومع", "فيما", "بما", "مما", "عما", "كان", "كانت", "يكون", "تكون",
	"هذا", "هذه", "ذلك", "تلك", "هؤلاء", "الذي", "التي", "الذين", "اللذين", "اللتين", "اي", "أي", "ايضا",
	"وقال", "وقالت", "فقد", "وقد", "ولا", "وما", "وهو", "وهي", "هو", "هي", "هم", "نحن", "انا", "انت",
	"اليوم", "امس", "الان", "حاليا", "بعدما", "عندما", "حيث", "حين", "بينما", "لدي", "وفقا", "اثر", "جراء",
	"بسبب", "لاجل", "اجل", "عليه", "عليها", "فيه", "فيها", "منه", "منها", "له", "لها", "به", "بها",
	"سواء", "رغم", "برغم", "مثل", "وسط", "امام", "خلف", "فوق", "تحت", "الا", "اما", "وان", "بان", "لانه",
	"لذا", "لذلك", "كذلك", "هكذا", "اذ", "اذن", "عقب", "قبيل", "ازاء", "حوالي", "نحو", "ضمن", "لدي",
)

func buildSet(words ...string) map[string]struct{} {
	set := make(map[string]struct{}, len(words))
	for _, w := range words {
		set[arabic.Normalize(w)] = struct{}{}
	}
	return set
}

// IsParticle reports whether norm, a normalized word, is a function word:
// a stop word or one of the prepositions and particles khabar adds.
func IsParticle(norm string) bool {
	if arabic.IsStopWord(norm) {
		return true
	}
	_, ok := particles[norm]
	return ok
}

// IsPastVerb reports whether norm is one of the common past-tense news verbs
// (قال، أعلن، أكد، أضاف ...), possibly with و/ف before it or ـت/ـوا after it.
func IsPastVerb(norm string) bool {
	return verbSet.Has(norm)
}

// LooksLikeVerb reports whether norm looks like a verb: a known past-tense
// news verb, or an imperfect form — a word starting with the prefixes ي or
// ت (after an optional و/ف/س/ل) with a three-letter stem, or with the
// plural and dual endings ون/ان/وا. Nouns of the تفعيل/تفاعل patterns are
// longer and are left alone.
func LooksLikeVerb(norm string) bool {
	if IsPastVerb(norm) {
		return true
	}
	s := norm
	// conjunction and future/purpose prefixes
	for utf8.RuneCountInString(s) > 4 && (strings.HasPrefix(s, "و") || strings.HasPrefix(s, "ف")) {
		s = s[len("و"):]
	}
	if derivedPast(s) {
		return true
	}
	if utf8.RuneCountInString(s) > 4 && (strings.HasPrefix(s, "س") || strings.HasPrefix(s, "ل")) {
		if rest := s[len("س"):]; strings.HasPrefix(rest, "ي") || strings.HasPrefix(rest, "ت") {
			s = rest
		}
	}
	n := utf8.RuneCountInString(s)
	if n < 4 {
		return false
	}
	yeh := strings.HasPrefix(s, "ي")
	if !yeh && !strings.HasPrefix(s, "ت") {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	switch {
	case n == 4:
		// يقول، تعمل، يؤكد; a ت-word ending in ه/ي/ا is usually a noun.
		if !yeh && (last == 'ه' || last == 'ي' || last == 'ا') {
			return false
		}
		if yeh {
			return last != 'ا' // سينما → ينما is no verb
		}
		// تفعل is a verb, تفاع… a noun pattern: look at the third letter
		_, size := utf8.DecodeRuneInString(s[len("ت"):])
		third, _ := utf8.DecodeRuneInString(s[len("ت")+size:])
		return third != 'ا'
	case n == 5 && !yeh:
		// تزداد، تنتقل: the imperfect of derived forms (تفتعل)
		_, s1 := utf8.DecodeRuneInString(s[len("ت"):])
		_, s2 := utf8.DecodeRuneInString(s[len("ت")+s1:])
		fourth, _ := utf8.DecodeRuneInString(s[len("ت")+s1+s2:])
		return fourth == 'ا' && last != 'ه' && last != 'ي'
	case n == 5 && yeh:
		// يتابع، يستمر (يوليو is a month)
		return last != 'ه' && last != 'ا' && last != 'و'
	case n >= 6 && n <= 7 && (strings.HasSuffix(s, "ون") || strings.HasSuffix(s, "وا")):
		return true
	}
	return false
}

// derivedPast reports whether s has the shape of a past verb of the derived
// forms X (استفعل، استفعلت: استفاد، استقبلت) or VIII (افتعل: اجتمع، اعتبر),
// whose verbal nouns are longer (استفعال، افتعال).
func derivedPast(s string) bool {
	r := make([]rune, 0, 8)
	for _, c := range s {
		if len(r) == 8 {
			return false
		}
		r = append(r, c)
	}
	n := len(r)
	switch {
	case n >= 6 && n <= 7 && r[0] == 'ا' && r[1] == 'س' && r[2] == 'ت':
		if n == 6 {
			return r[5] != 'ه' && r[5] != 'ي'
		}
		return r[5] != 'ا' && r[6] != 'ه' && r[6] != 'ي'
	case n == 5 && r[0] == 'ا' && r[2] == 'ت' && r[1] != 'ت' && r[3] != 'ا': // not انتاج، استاذ
		return r[4] != 'ه' && r[4] != 'ي' && r[4] != 'ا'
	case n == 6 && r[0] == 'ا' && r[2] == 'ت' && r[1] != 'ت' && r[5] == 'ت':
		return true
	}
	return false
}

// Standard replaces Persian and Urdu letter variants with the standard
// Arabic letters (ی → ي, ک → ك, ہ/ە → ه) and drops tatweel, harakat and
// format characters, keeping everything else (hamza forms, ة, ى) as written.
// It is the form shown to readers.
func Standard(s string) string {
	clean := true
	for _, r := range s {
		if needsStandard(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == 'ی' || r == 'ې' || r == 'ۍ':
			b.WriteRune('ي')
		case r == 'ک' || r == 'ڪ':
			b.WriteRune('ك')
		case r == 'ہ' || r == 'ە' || r == 'ھ':
			b.WriteRune('ه')
		case r == 'ۃ':
			b.WriteRune('ة')
		case r == 'ـ' || (r >= 0x064B && r <= 0x065F) || r == 0x0670 || unicode.Is(unicode.Cf, r):
			// drop
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsStandard(r rune) bool {
	switch r {
	case 'ی', 'ې', 'ۍ', 'ک', 'ڪ', 'ہ', 'ە', 'ھ', 'ۃ', 'ـ', 0x0670:
		return true
	}
	return (r >= 0x064B && r <= 0x065F) || (r >= 0x200B && r <= 0x200F) || unicode.Is(unicode.Cf, r)
}

// StripClitics removes the proclitics (و ف ب ك ل, and لل → ال) from surface,
// an original word, so that what is left normalizes to target, the word's
// normalized clitic-free form, or to target with the article (analysis
// tokens drop ال from Norm, a reader's tag keeps it). The rest keeps its
// original spelling: ("للتحالف", "تحالف") → "التحالف", ("وسوريا", "سوريا")
// → "سوريا". When no prefix of at most three letters explains target,
// surface is returned as is.
func StripClitics(surface, target string) string {
	if target == "" {
		return surface
	}
	match := func(s string) bool {
		n := arabic.Normalize(s)
		return n == target || (strings.HasPrefix(n, "ال") && n[len("ال"):] == target)
	}
	if match(surface) {
		return surface
	}
	rest := surface
	for k := 0; k < 3 && rest != ""; k++ {
		r, size := utf8.DecodeRuneInString(rest)
		if !isProclitic(r) {
			break
		}
		// لل stands for ل + ال: the second lam is the article's.
		if r == 'ل' && strings.HasPrefix(rest[size:], "ل") {
			if cand := "ا" + rest[size:]; match(cand) {
				return cand
			}
		}
		rest = rest[size:]
		if match(rest) {
			return rest
		}
	}
	return surface
}

func isProclitic(r rune) bool {
	switch r {
	case 'و', 'ف', 'ب', 'ك', 'ل':
		return true
	}
	return false
}

// CliticForms returns norm and the forms left after stripping its possible
// proclitics, in order of preference (the whole word first, so that names
// starting with a clitic letter such as بغداد or لبنان are found whole).
// Forms shorter than three letters are left out.
func CliticForms(norm string) []string {
	return AppendCliticForms(make([]string, 0, 4), norm)
}

// AppendCliticForms appends the forms CliticForms returns to dst.
func AppendCliticForms(dst []string, norm string) []string {
	dst = append(dst, norm)
	n0 := len(dst) - 1
	r, size := utf8.DecodeRuneInString(norm)
	if (r == 'و' || r == 'ف') && utf8.RuneCountInString(norm) >= 4 {
		dst = append(dst, norm[size:])
	}
	bases := len(dst)
	for k := n0; k < bases; k++ {
		b := dst[k]
		r, size := utf8.DecodeRuneInString(b)
		if r != 'ب' && r != 'ك' && r != 'ل' {
			continue
		}
		rest := b[size:]
		if r == 'ل' && strings.HasPrefix(rest, "ل") {
			if utf8.RuneCountInString(rest) >= 3 {
				dst = append(dst, "ا"+rest)
			}
			continue
		}
		if utf8.RuneCountInString(rest) >= 3 {
			dst = append(dst, rest)
		}
	}
	return dst
}

// IsDefinite reports whether norm starts with the article ال.
func IsDefinite(norm string) bool {
	return strings.HasPrefix(norm, "ال") && utf8.RuneCountInString(norm) > 3
}

// IsNisbaLike reports whether norm looks like a relative adjective with the
// article (الأمريكي، الدولية، العراقية): they follow names rather than
// being part of them.
func IsNisbaLike(norm string) bool {
	if !IsDefinite(norm) || utf8.RuneCountInString(norm) < 5 {
		return false
	}
	return strings.HasSuffix(norm, "ي") || strings.HasSuffix(norm, "يه") || strings.HasSuffix(norm, "يين") || strings.HasSuffix(norm, "يون")
}

// HasArabic reports whether s holds at least one Arabic letter.
func HasArabic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
