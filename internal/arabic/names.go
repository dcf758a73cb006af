package arabic

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// countriesTSV is the Arabic country table of mledoze/countries (ODbL 1.0,
// see data/countries-mledoze/LICENSE). Its fourth column is the common
// Arabic name.
//
//go:embed data/countries-mledoze/countries-ar.tsv
var countriesTSV string

// extraNames are frequent place names (capitals, big cities, regions) and a
// few other names whose letters look like clitics or suffixes, so that the
// stemmer leaves them whole even when no entity recognizer is wired in.
var extraNames = []string{
	// countries in the forms news uses beside the table's
	"بريطانيا", "أمريكا", "امريكا", "أميركا", "سورية", "موريتانيا", "الإمارات", "فلسطين", "إسرائيل",
	"المانيا", "روسيا", "أوكرانيا", "لبنان", "ليبيا", "السودان", "اليمن", "الصومال", "ايران", "تركيا",
	// capitals and big cities
	"واشنطن", "لندن", "باريس", "برلين", "موسكو", "بكين", "طوكيو", "روما", "مدريد", "بروكسل", "جنيف",
	"فيينا", "أثينا", "أنقرة", "إسطنبول", "اسطنبول", "طهران", "كابول", "بغداد", "دمشق", "بيروت", "عمان",
	"القاهرة", "الإسكندرية", "الرياض", "جدة", "مكة", "الدوحة", "دبي", "أبوظبي", "الشارقة", "المنامة",
	"مسقط", "الكويت", "صنعاء", "عدن", "الحديدة", "تعز", "مأرب", "الخرطوم", "طرابلس", "بنغازي", "مصراتة",
	"تونس", "الجزائر", "وهران", "الرباط", "مراكش", "فاس", "نواكشوط", "القدس", "غزة", "رفح",
	"خان", "الخليل", "نابلس", "جنين", "حلب", "حمص", "حماة", "إدلب", "اللاذقية", "الرقة",
	"الموصل", "البصرة", "أربيل", "كركوك", "الفلوجة", "النجف", "كربلاء", "الضفة", "الجولان", "سيناء",
	"الأقصى", "نيويورك", "كييف", "بيونغيانغ", "سيول", "نيودلهي", "كراتشي",
	// regions and bodies written as one word
	"أوروبا", "إفريقيا", "أفريقيا", "آسيا", "الخليج", "الناتو", "اليونسكو", "اليونيسف", "الأونروا",
	"الكرملين", "البنتاغون", "الكنيست", "الفاتيكان",
	// names of God and people that light stemmers mangle
	"الله", "بوتين", "بايدن", "لافروف", "ماكرون", "بلينكن", "كلينتون", "أوباما", "بلير", "بشار",
}

// protectedNames holds the normalized names, with and without the
// article. alefLamNames holds those whose ال is not the article, written
// أل or إل (ألمانيا), so that StripClitics keeps it even on text that lost
// its hamza. Both are built once from the country table and extraNames.
var protectedNames, alefLamNames = buildProtectedNames()

func buildProtectedNames() (set *WordSet, alefLam map[string]struct{}) {
	set = NewWordSet()
	alefLam = make(map[string]struct{})
	add := func(name string) {
		n := Normalize(name)
		if n == "" || strings.Contains(n, " ") {
			return
		}
		set.Add(n)
		if strings.HasPrefix(name, "أل") || strings.HasPrefix(name, "إل") {
			alefLam[n] = struct{}{}
			return
		}
		if rest, ok := strings.CutPrefix(n, "ال"); ok && utf8.RuneCountInString(rest) >= 3 {
			set.Add(rest)
		}
	}
	for i, line := range strings.Split(countriesTSV, "\n") {
		cols := strings.Split(line, "\t")
		if i == 0 || len(cols) < 4 {
			continue
		}
		name := strings.TrimPrefix(cols[3], "جمهورية ")
		add(name)
	}
	for _, n := range extraNames {
		add(n)
	}
	return set, alefLam
}

// IsProtectedName reports whether norm, a Normalize()d word with or without
// its article, is one of the built-in place and person names that the
// stemmer and the clitic stripper must leave whole (لبنان is not ل + بنان,
// البحرين is not البحر + ين).
func IsProtectedName(norm string) bool {
	return protectedNames.Has(norm)
}
