package arabic

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clitic stripping and light stemming work on Normalize()d words, where
// every Arabic letter is two bytes in UTF-8; the prefixes and suffixes below
// are compared as strings and lengths are always counted in runes.

// minRest is the fewest letters a word may keep after any prefix or suffix
// is removed: below it, what looks like an affix is usually part of the
// word (لبن, الحق, وطن).
const minRest = 3

// letterCount counts the letters of a word that isArabicWord accepted:
// each is two bytes in UTF-8, so no decoding is needed.
func letterCount(s string) int { return len(s) / 2 }

// wawInitial are common words that begin with و (or ف) as a root letter,
// so that a leading و is not taken for the conjunction "and": وزير is not
// و + زير. They are compared after LightStem, which also covers their
// inflections (وزراء is listed; وزارات → وزار like وزارة).
var wawInitial = []string{
	"وزير", "وزيرة", "وزراء", "وزارة", "وزارات", "ولاية", "ولايات", "وكالة", "وكالات", "وكيل", "وكلاء",
	"وطن", "وطني", "وطنية", "وقت", "أوقات", "وضع", "وجه", "وجهة", "وجود", "واجب", "واجبات", "واقع", "واقعة",
	"وحدة", "وحدات", "وحيد", "وفد", "وفود", "وفاة", "وفيات", "وسط", "وسيط", "وسطاء", "وسائل", "وسيلة",
	"وثيقة", "وثائق", "وثائقي", "وصول", "وصل", "ورقة", "ورق", "ولد", "ولادة", "والد", "والدة", "والدين",
	"وليد", "ولي", "وعد", "وعود", "وعي", "وظيفة", "وظائف", "وقف", "وقوف", "وقود", "وقائع", "ودائع", "وديعة",
	"وادي", "واحد", "واحدة", "واحة", "واسع", "واسعة", "واضح", "واضحة", "وارد", "واردات", "وباء", "ورشة",
	"وتيرة", "وداع", "ودية", "وصية", "وصف", "وفاق", "وفق", "وفقا", "وفرة", "وفير", "وراثة", "وريث", "وهم",
	"وهمي", "ولاء", "وسام", "وشك", "وحشي", "وجبة", "وجيز", "وراء", "وزن", "وضوح", "وقاية", "وميض", "وعاء",
	"وكر", "والي", "واشنطن", "وهران", "ويلز", "وارسو", "وول", "ويكيبيديا", "واتساب", "وثيق", "وسام",
	"وقاحة", "وئام", "وصاية", "وكيلة", "ولاة", "وجهاء", "واجهة", "واجهات", "وقع", "وقائي", "ورود", "وحل",
	"وقوع", "وجوه", "وصفة", "وسائط", "وقفة", "وفاء", "وحوش", "وديان", "ورثة", "وسطى", "وصيف", "واعد",
	"واعدة", "واسطة", "وليمة", "وجيه", "ولادات", "وثبة", "وحدوي", "ورقي", "وزاري", "وهج",
	"فريق", "فترة", "فكرة", "فرصة", "فيلم", "فوز", "فصل", "فندق", "فساد", "فقر", "فرع", "فرد", "فلسطين",
}

// prepInitial are words that begin with ب ك or ل followed by ال without
// being a preposition and the article: بالغ is not ب + ال + غ.
var prepInitial = []string{
	"بالغ", "بالغة", "بالغين", "بالغون", "بالون", "بالونات", "باليه", "بالية", "بالي", "كالسيوم", "بالتيمور",
}

// prepWords is prepInitial after Normalize.
var prepWords = func() map[string]struct{} {
	set := make(map[string]struct{}, len(prepInitial))
	for _, w := range prepInitial {
		set[Normalize(w)] = struct{}{}
	}
	return set
}()

// lamInitial are common words that begin with ل. After the preposition ل
// and the article, Arabic writes only two lams (ل + اللجنة → للجنة), so
// للجنة must give لجنة, not جنة; for other words لل is ل + ال (للتحالف).
var lamInitial = []string{
	"لجنة", "لجان", "لقاء", "لقاءات", "لاعب", "لاعبين", "لاعبون", "لغة", "لغات", "لحظة", "لعبة", "لائحة",
	"لواء", "ليلة", "ليل", "لحم", "لون", "ألوان", "لوحة", "لقب", "ألقاب", "لهجة", "ليرة", "لقاح", "لقاحات",
	"لجوء", "لاجئ", "لاجئين", "لاجئون", "لص", "لمسة", "لياقة", "لوائح", "لجنتين", "لائق", "لطيف",
	"لوبي", "ليبرالي", "لوجستي", "ليزر", "لابتوب", "لقطة", "لقطات", "لاحق", "لازم", "لبنة",
}

// lamStems is lamInitial after Normalize and LightStem.
var lamStems = func() map[string]struct{} {
	set := make(map[string]struct{}, 2*len(lamInitial))
	for _, w := range lamInitial {
		n := Normalize(w)
		set[n] = struct{}{}
		set[LightStem(n)] = struct{}{}
	}
	return set
}()

// wawStems is wawInitial after Normalize and LightStem.
var wawStems = func() map[string]struct{} {
	set := make(map[string]struct{}, len(wawInitial))
	for _, w := range wawInitial {
		n := Normalize(w)
		set[n] = struct{}{}
		set[LightStem(n)] = struct{}{}
	}
	return set
}()

// Known reports whether a normalized word is a name the stemmer must keep
// whole. StripClitics and Stem always consult the built-in names too.
type Known func(norm string) bool

func (k Known) has(w string) bool {
	w = UnmarkHamza(w)
	if IsProtectedName(w) {
		return true
	}
	return k != nil && k(w)
}

// StripClitics removes from norm, a Normalize()d word, the proclitics that
// attach to Arabic words: the conjunctions و and ف, the prepositions ب ك ل,
// and the article ال (also the لل of ل + ال). It does not stem, so
// التحالف, والتحالف, للتحالف and بالتحالف all give تحالف, while البحر gives بحر and
// البحرين gives بحرين.
//
// It never leaves fewer than three letters, never splits a known name
// (لبنان stays لبنان; للبنان gives لبنان), and takes a leading و for the
// conjunction only when the rest starts with ال or a preposition, is a known
// name, or is long enough and the word is not a common و-initial word
// (وزير stays وزير). A bare ب ك ل or ف is stripped only before a known name
// (بمصر, لإيران), since many words begin with those letters.
// Words that are not written in Arabic letters alone (Persian ویژه, Latin)
// are returned unchanged.
//
// norm may also come from NormalizeKeepHamza: then a word that starts with
// أل or إل (ألعاب, إلغاء) is not taken for the article, so that ألعاب and
// الألعاب both give العاب. The result is always fully normalized.
func StripClitics(norm string, known Known) string {
	return UnmarkHamza(stripClitics(norm, known))
}

// UnmarkHamza turns the أ that NormalizeKeepHamza keeps into ا, which
// gives Normalize's form of the same text.
func UnmarkHamza(w string) string {
	// أ is the bytes D8 A3; a byte loop finds them faster in a word than
	// strings.Contains, and this runs for every form of every word.
	for i := 1; i < len(w); i++ {
		if w[i] == 0xA3 && w[i-1] == 0xD8 {
			return strings.ReplaceAll(w, "أ", "ا")
		}
	}
	return w
}

func stripClitics(norm string, known Known) string {
	if norm == "" {
		return norm
	}
	if !isArabicWord(norm) {
		return norm
	}
	// A known name is left whole, unless it is written with a clitic and
	// the article (cliticArticle).
	clitic := cliticArticle(norm)
	if !clitic && known.has(norm) {
		return dropNameArticle(norm)
	}
	w := norm
	if c, rest, ok := cutLetter(w, 'و', 'ف'); ok && letterCount(rest) >= minRest && stripConj(c, w, rest, known) {
		w = rest
	}
	if (w != norm || !clitic) && known.has(w) {
		return dropNameArticle(w)
	}
	// ب ك ل + ال, and لل (ل + ال with the alef elided)
	if p, rest, ok := cutLetter(w, 'ب', 'ك', 'ل'); ok {
		if _, ok := prepWords[UnmarkHamza(w)]; ok {
			return w
		}
		if known.has(rest) {
			return dropNameArticle(rest)
		}
		if after, ok := strings.CutPrefix(rest, "ال"); ok && letterCount(after) >= 1 {
			if letterCount(after) >= minRest && !known.has(rest) {
				return after
			}
			return rest // بالحق → الحق: the article stays on a short word
		}
		if after, ok := strings.CutPrefix(rest, "ل"); ok && p == 'ل' && letterCount(after) >= 1 {
			if known.has("ال" + after) {
				return dropNameArticle("ال" + after)
			}
			if known.has("الل" + after) {
				return dropNameArticle("الل" + after) // لله = ل + الله
			}
			if _, ok := lamStems[LightStem(UnmarkHamza(rest))]; ok {
				return rest // للجنة = ل + اللجنة
			}
			if letterCount(after) >= minRest {
				return after
			}
			return "ال" + after // للحق → الحق
		}
		return w
	}
	return dropArticle(w)
}

// cliticArticle reports whether w starts with a conjunction or a
// preposition and the article (وال، بال، كال، فال، لل، وبال، ولل ...) before
// at least minRest letters. Such a word is a name only by accident of a
// name list that holds one word of a longer name as written in it (the
// والهرسك of البوسنة والهرسك, the للطاقة of a body's name): its clitics
// come off all the same, so that it is found with and without them.
func cliticArticle(w string) bool {
	_, rest, conj := cutLetter(w, 'و', 'ف')
	if conj {
		w = rest
	}
	var after string
	var ok bool
	if _, rest, prep := cutLetter(w, 'ب', 'ك'); prep {
		after, ok = strings.CutPrefix(rest, "ال")
	} else if after, ok = strings.CutPrefix(w, "لل"); !ok && conj {
		after, ok = strings.CutPrefix(w, "ال")
	}
	return ok && letterCount(after) >= minRest
}

// stripConj decides whether the leading و or ف (c) of w is a conjunction.
func stripConj(c rune, w, rest string, known Known) bool {
	if isWawWord(UnmarkHamza(w)) {
		return false
	}
	if strings.HasPrefix(rest, "ال") || strings.HasPrefix(rest, "لل") || known.has(rest) {
		return true
	}
	if _, r2, ok := cutLetter(rest, 'ب', 'ك', 'ل'); ok && (strings.HasPrefix(r2, "ال") || known.has(r2)) {
		return true
	}
	if IsStopWord(UnmarkHamza(rest)) {
		return true
	}
	// و is by far the most frequent proclitic and few words begin with it
	// outside the list above; ف begins many more words, so it needs proof.
	return c == 'و' && letterCount(rest) >= minRest
}

// isArabicWord reports whether w is written only in the letters of the
// Arabic alphabet (ء to ي after Normalize). Words with Persian, Urdu or
// Kurdish letters (پ چ ژ گ ڤ ے ۆ ...) and Latin words are not Arabic, and
// their leading و or ب is not an Arabic clitic.
func isArabicWord(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i += 2 {
		// Letters U+0621–U+064A are two bytes: D8 A1 … D9 8A.
		if i+1 >= len(w) {
			return false
		}
		c0, c1 := w[i], w[i+1]
		if !(c0 == 0xD8 && c1 >= 0xA1 && c1 <= 0xBF || c0 == 0xD9 && c1 >= 0x80 && c1 <= 0x8A) {
			return false
		}
	}
	return true
}

// isWawWord reports whether w is one of wawInitial, inflected: as listed,
// with suffixes LightStem removes, or with the accusative ا (واحدا) or the
// feminine past ت (وصلت) that it does not.
func isWawWord(w string) bool {
	if _, ok := wawStems[w]; ok {
		return true
	}
	if _, ok := wawStems[LightStem(w)]; ok {
		return true
	}
	for _, end := range []string{"ا", "ت"} {
		if base, ok := strings.CutSuffix(w, end); ok && letterCount(base) >= minRest {
			if _, ok := wawStems[base]; ok {
				return true
			}
			if _, ok := wawStems[LightStem(base)]; ok {
				return true
			}
		}
	}
	return false
}

// dropNameArticle is dropArticle for a known name: a built-in name written
// with أل or إل (ألمانيا) keeps its first letters.
func dropNameArticle(w string) string {
	if _, ok := alefLamNames[UnmarkHamza(w)]; ok {
		return w
	}
	return dropArticle(w)
}

// dropArticle removes a leading ال when at least minRest letters remain.
func dropArticle(w string) string {
	if rest, ok := strings.CutPrefix(w, "ال"); ok && letterCount(rest) >= minRest {
		return rest
	}
	return w
}

// cutLetter removes a leading letter that is one of letters.
func cutLetter(w string, letters ...rune) (rune, string, bool) {
	r, size := utf8.DecodeRuneInString(w)
	for _, l := range letters {
		if r == l {
			return r, w[size:], true
		}
	}
	return 0, w, false
}

// pronounSuffixes are the attached pronouns, longest first; at most one is
// removed. stemSuffixes follow, each at most once and in this order:
// plural, dual and verbal plural endings, then the feminine ending (ة, normalized to ه)
// and the nisba ي. Together they are the suffix half of Larkey's light10
// plus the object and possessive pronouns, which news text attaches often
// (مطالبهم, حكومتنا). Every removal must leave minRest letters.
var (
	pronounSuffixes = []string{"هما", "كما", "هم", "هن", "كم", "كن", "ها", "نا"}
	stemSuffixes    = []string{"ات", "وا", "ان", "ون", "ين", "يه", "ه", "ي"}
)

// LightStem removes common suffixes from an Arabic word that has already
// been through Normalize and StripClitics: المكتبات → مكتبات → مكتب and
// مكتبة → مكتب. It removes no prefix: a bare ب ك ل or ف that StripClitics
// kept is far more often the word's own first letter (كتائب, فيروسات) than
// a clitic. The hamza seats ؤ and ئ become ء (مسئول and مسؤول share the
// stem مسءول). It does not look at names; use Stem for that. Words that are not Arabic are returned
// unchanged.
func LightStem(w string) string {
	if !isArabicWord(w) {
		return w
	}
	n := letterCount(w)
	pronoun := false
	for _, s := range pronounSuffixes {
		if strings.HasSuffix(w, s) && n-letterCount(s) >= minRest {
			w, n, pronoun = w[:len(w)-len(s)], n-letterCount(s), true
			break
		}
	}
	// Before a pronoun the feminine ة is written ت (حكومتنا, مدينتهم,
	// كرامته, حكومتي); drop it as the ه of the bare word is dropped below.
	if pronoun && strings.HasSuffix(w, "ت") && n-1 >= minRest {
		return foldHamzaSeats(w[:len(w)-len("ت")])
	}
	if !pronoun && n-2 >= minRest && (strings.HasSuffix(w, "ته") || strings.HasSuffix(w, "تي")) {
		return foldHamzaSeats(w[:len(w)-len("ته")])
	}
	for _, s := range stemSuffixes {
		if strings.HasSuffix(w, s) && n-letterCount(s) >= minRest {
			w, n = w[:len(w)-len(s)], n-letterCount(s)
		}
	}
	return foldHamzaSeats(w)
}

// foldHamzaSeats writes the hamza on its seats ؤ and ئ as a bare ء, so
// that the Egyptian spelling مسئول and the common مسؤول (شئون, شؤون) share
// a stem. Normalize keeps the seats: they are the word as written.
func foldHamzaSeats(w string) string {
	if !strings.Contains(w, "ؤ") && !strings.Contains(w, "ئ") {
		return w
	}
	return hamzaSeats.Replace(w)
}

var hamzaSeats = strings.NewReplacer("ؤ", "ء", "ئ", "ء")

// Stem is LightStem that leaves known names whole: for a name it returns
// norm itself, so لبنان never becomes لبن and بحرين never becomes بحر.
func Stem(norm string, known Known) string {
	// The built-in names hold both forms; ask the caller's names about the
	// form with the article only when there are any.
	if known.has(norm) || (known != nil && known("ال"+norm)) {
		return norm
	}
	return LightStem(norm)
}

// NormPhrase returns the exact search form of written text, word by word:
// each word normalized (keeping the hamza that tells ألعاب from ال + عاب)
// and stripped of its clitics, joined by single spaces. For every word it
// is the Norm that package analysis gives the same word, stop words
// included, so phrases built from mentions (entities, keywords) compare
// equal to phrases built from tokens.
func NormPhrase(written string, known Known) string {
	var b strings.Builder
	b.Grow(len(written))
	// Cut words where the analyzer cuts them (Words), then normalize each
	// as it does: a word whose normal form is several words (the ligature
	// ﷺ) gives each of them; a part that starts with a mark is trimmed.
	for w := range Words(written) {
		h := NormalizeKeepHamza(written[w.Start:w.End])
		for part := range strings.SplitSeq(h, " ") {
			if part = strings.TrimLeftFunc(part, unicode.IsMark); part == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(StripClitics(part, known))
		}
	}
	return b.String()
}
