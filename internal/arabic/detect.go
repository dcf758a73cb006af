package arabic

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Language codes DetectLanguage returns.
const (
	LangArabic  = "ar"
	LangPersian = "fa"
	LangUrdu    = "ur"
	LangSorani  = "ckb"
	LangEnglish = "en"
	LangFrench  = "fr"
)

// functionWords are frequent short words of each language, written as the
// language writes them (not normalized: the letter variants are evidence).
var functionWords = map[string][]string{
	LangArabic: {"في", "من", "على", "إلى", "الى", "أن", "ان", "التي", "الذي", "هذا", "هذه", "عن", "مع", "كان",
		"قال", "وفي", "ومن", "إن", "لا", "ما", "بين", "بعد", "كما", "أو", "حتى", "عام", "ذلك", "التى", "فى", "وقد",
		"قد", "لم", "لن", "خلال", "منذ", "حيث", "عند", "وقال", "كانت", "أكثر", "الذين", "اليوم", "إلا"},
	LangPersian: {"است", "را", "که", "از", "به", "این", "با", "در", "برای", "های", "شد", "کرد", "بود", "آن",
		"یک", "تا", "هم", "می", "شده", "کند", "نیز", "خود", "اند", "ها", "وی", "دارد", "باید", "کنند", "شود",
		"بر", "پس", "اما", "چه", "ای", "همه", "او", "آنها", "کرده", "گفت", "نمی", "هر", "تر"},
	LangUrdu: {"کے", "کی", "کا", "ہے", "میں", "نے", "کو", "سے", "اور", "پر", "ہیں", "یہ", "تھا", "بھی", "کہ",
		"گیا", "ہو", "تھی", "وہ", "ایک", "لیے", "کیا", "کر", "ہوں", "رہے", "جو", "تک", "گئی", "ان", "اس",
		"نہیں", "ہی", "بعد", "والے", "کیے", "گا", "تھے"},
	LangSorani: {"لە", "بە", "کە", "ئەم", "بۆ", "دە", "هەیە", "لەگەڵ", "ئەو", "و", "یان", "دەکات", "کرد",
		"ئێمە", "بوو", "نییە", "دوای", "سەر", "هەر", "ئەوە", "دا", "پێ", "تر", "کەوا", "هەروەها", "بەڵام",
		"وەک", "چەند", "کراوە", "دەڵێت", "زۆر", "ناو"},
	LangEnglish: {"the", "and", "of", "to", "in", "is", "that", "for", "on", "with", "as", "was", "by", "it",
		"at", "from", "he", "she", "be", "are", "this", "have", "has", "an", "said", "were", "not", "his",
		"her", "they", "will", "would", "which", "who", "their", "been", "after", "its", "but", "or"},
	LangFrench: {"le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "en", "dans", "que", "qui",
		"pour", "pas", "sur", "au", "aux", "avec", "il", "elle", "ce", "cette", "ont", "sont", "par", "plus",
		"ne", "se", "été", "mais", "ou", "son", "sa", "ses", "leur", "nous", "vous", "selon", "après", "a"},
}

// Indexes of the languages in score arrays.
const (
	iAr = iota
	iFa
	iUr
	iCkb
	iEn
	iFr
	iShared // پ چ ژ گ: Persian, Urdu and Sorani alike; evidence against Arabic
	nLangs
)

var langIndex = map[string]int{LangArabic: iAr, LangPersian: iFa, LangUrdu: iUr, LangSorani: iCkb, LangEnglish: iEn, LangFrench: iFr}

// wordLangs maps each function word to the languages that use it (a word
// such as "ان" can belong to more than one).
var wordLangs = func() map[string][]int {
	m := make(map[string][]int, 256)
	for lang, words := range functionWords {
		for _, w := range words {
			m[w] = append(m[w], langIndex[lang])
		}
	}
	return m
}()

// letterLang gives the language a letter points to among the
// Arabic-script ones, or -1.
func letterLang(r rune) int {
	switch r {
	case 'ۆ', 'ێ', 'ڵ', 'ڕ', 'ە':
		return iCkb
	case 'ٹ', 'ڈ', 'ڑ', 'ں', 'ے', 'ہ', 'ھ', 'ۓ', 'ۃ':
		return iUr
	case 'پ', 'چ', 'ژ', 'گ':
		return iShared
	case 'ة', 'ى', 'ي', 'ك', 'إ', 'أ', 'ؤ', 'ئ':
		return iAr
	}
	return -1
}

// DetectLanguage guesses the language of text among Arabic, Persian, Urdu,
// Sorani Kurdish, English and French, and returns its ISO 639 code ("ckb"
// for Sorani), or "" when the text is too short, in another language or
// script, or ambiguous. It counts script-specific letters and frequent
// function words, so it needs no models and almost no memory; a sentence
// is usually enough. Only the first 16 KB of a long text are read.
func DetectLanguage(text string) string {
	const maxBytes = 16 << 10
	if len(text) > maxBytes {
		text = text[:maxBytes]
	}
	var arabicScript, latin, other int
	var letters, words [nLangs]int
	for _, r := range text {
		switch {
		case r >= 0x600 && r <= 0x6FF || r >= 0x750 && r <= 0x77F || r >= 0xFB50 && r <= 0xFEFC:
			if isLetter(r) {
				arabicScript++
				if l := letterLang(r); l >= 0 {
					letters[l]++
				}
			}
		case r < 0x250 && isLetter(r):
			latin++
			if r >= 0xC0 && strings.ContainsRune("éèêàçùâîôûëïœ", unicode.ToLower(r)) {
				letters[iFr]++
			}
		case isLetter(r):
			other++
		}
	}
	if arabicScript+latin < 8 || other > arabicScript+latin {
		return ""
	}
	for w := range strings.FieldsFuncSeq(text, func(r rune) bool {
		return !isWordRune(r) && r != 0x200C && r != '\''
	}) {
		if strings.Contains(w, "\u200c") {
			w = strings.ReplaceAll(w, "\u200c", "")
		}
		if i := strings.LastIndexByte(w, '\''); i >= 0 {
			w = w[i+1:] // l'état, d'une
		}
		if latin > arabicScript {
			w = strings.ToLower(w)
		}
		for _, l := range wordLangs[w] {
			words[l]++
		}
		// The article ال is the surest sign of Arabic among the
		// Arabic-script languages.
		if strings.HasPrefix(w, "ال") && utf8.RuneCountInString(w) > 3 {
			letters[iAr] += 2
		}
	}
	if latin > arabicScript {
		return pickLatin(words[iEn], words[iFr]+letters[iFr]/2)
	}
	return pickArabicScript(&words, &letters, arabicScript)
}

// lowLetters caches unicode.IsLetter below U+0800.
var lowLetters = func() (t [0x800]bool) {
	for r := range rune(len(t)) {
		t[r] = unicode.IsLetter(r)
	}
	return t
}()

func isLetter(r rune) bool {
	if r >= 0 && r < rune(len(lowLetters)) {
		return lowLetters[r]
	}
	return unicode.IsLetter(r)
}

func pickLatin(en, fr int) string {
	switch {
	case en >= 2 && en > 2*fr:
		return LangEnglish
	case fr >= 2 && fr > 2*en:
		return LangFrench
	case en+fr >= 6 && en > fr:
		return LangEnglish
	case en+fr >= 6 && fr > en:
		return LangFrench
	}
	return ""
}

func pickArabicScript(words, letters *[nLangs]int, total int) string {
	var score [iCkb + 1]int
	for l := range score {
		score[l] = 4*words[l] + letters[l]
	}
	// پ چ ژ گ argue against Arabic; split their weight over the others.
	shared := letters[iShared]
	score[iFa] += shared
	score[iUr] += shared / 2
	score[iCkb] += shared / 2
	best, second := -1, -1
	for l := range score {
		switch {
		case best < 0 || score[l] > score[best]:
			best, second = l, best
		case second < 0 || score[l] > score[second]:
			second = l
		}
	}
	if score[best] < 3 {
		if total >= 8 && shared == 0 && letters[iUr] == 0 && letters[iCkb] == 0 {
			return LangArabic // Arabic-script letters with nothing pointing elsewhere
		}
		return ""
	}
	if score[best] < score[second]*5/4+1 {
		return ""
	}
	return [...]string{LangArabic, LangPersian, LangUrdu, LangSorani}[best]
}
