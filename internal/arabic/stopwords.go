package arabic

import (
	_ "embed"
	"strings"
)

// The two MIT-licensed Arabic stop-word lists (see data/*/LICENSE).
var (
	//go:embed data/stopwords-mohataher/list.txt
	stopListMohataher string
	//go:embed data/stopwords-iso/stopwords-ar.txt
	stopListISO string
)

// notStopWords are entries of the lists above that khabar keeps searchable:
// month and weekday names, currencies and content nouns that news readers
// look for ("مليار دولار", "الذهب", "شمال سوريا"). A stop word is dropped
// from the index, so a list entry that is a content word makes it
// unfindable.
var notStopWords = []string{
	// months: Gregorian, Levantine/Iraqi and Maghreb names
	"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
	"كانون", "شباط", "آذار", "نيسان", "أيار", "ايار", "حزيران", "تموز", "آب", "أيلول", "تشرين",
	"جانفي", "فيفري", "أفريل", "ماي", "جوان", "جويلية", "أوت", "صفر",
	// weekdays and parts of the day
	"أربعاء", "ثلاثاء", "خميس", "جمعة", "سبت", "صباح", "مساء",
	// currencies and magnitudes
	"جنيه", "درهم", "دولار", "دينار", "ريال", "سنتيم", "شيكل", "فلس", "قرش", "ليرة", "مليم", "هللة", "يورو", "مليار", "مليون",
	// content words
	"أبو", "وأبو", "إطار", "اطار", "إعادة", "اعادة", "برس", "حبيب", "رزق", "زيارة", "شمال", "يمين", "قوة", "لوكالة", "للامم",
	"ذهب", "علم", "عين", "سنة", "سنوات", "عام", "عاما", "يوم", "ايام", "شخصا", "نهاية",
	// the verb خبَّر of one list is written as the noun خبر (news) and the
	// city الخبر
	"خبر",
}

// stopWords is the set of normalized stop words, built once.
var stopWords = buildStopWords()

func buildStopWords() *WordSet {
	keep := make(map[string]struct{}, len(notStopWords))
	for _, w := range notStopWords {
		keep[Normalize(w)] = struct{}{}
	}
	set := NewWordSet()
	for _, list := range []string{stopListMohataher, stopListISO} {
		for _, line := range strings.Split(list, "\n") {
			w := Normalize(line)
			// Entries with spaces ("لا سيما") never match a single token,
			// and "?" marks broken entries in one list.
			if w == "" || strings.ContainsAny(w, " ?'") {
				continue
			}
			if _, ok := keep[w]; ok {
				continue
			}
			set.Add(w)
		}
	}
	// English and French function words: Arabic pages quote agencies and
	// titles in both, and their function words are as useless in an index.
	for _, lang := range []string{LangEnglish, LangFrench} {
		for _, w := range functionWords[lang] {
			set.Add(Normalize(w))
		}
	}
	return set
}

// IsStopWord reports whether norm, a Normalize()d word, is a stop word: an
// Arabic function word from the two lists (less the content words above),
// or a frequent English or French function word.
func IsStopWord(norm string) bool {
	return stopWords.Has(norm)
}
