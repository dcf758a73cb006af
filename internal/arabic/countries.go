package arabic

import (
	"slices"
	"strings"
	"unicode"
)

// countryNames maps a normalized country name, as news writes it, to the
// country's ISO 3166 alpha-3 code: the common Arabic names of the country
// table (see names.go) and the other forms news uses. Names that are also
// common words (مالي "financial", بنين "sons") or that name a capital as
// well as another country (عمان is Amman and Oman) are left out, so that a
// word is taken for a country only when it can be nothing else.
var countryNames, countryMaxWords = buildCountryNames()

// countryFirst holds the first words of countryNames: most words of a
// text are none, and are passed over with one look-up per form.
var countryFirst = func() map[string]bool {
	m := make(map[string]bool, len(countryNames))
	for n := range countryNames {
		first, _, _ := strings.Cut(n, " ")
		m[first] = true
	}
	return m
}()

// ambiguousCountries are common names of the table left out of
// countryNames (normalized).
var ambiguousCountries = map[string]bool{"مالي": true, "بنين": true, "عمان": true, "جورجيا": true, "جرزي": true, "جيرزي": true}

// ambiguousAdjectives are adjective forms that are also common words
// (مجري "course", the adjective of المجر).
var ambiguousAdjectives = map[string]bool{"مجري": true, "المجري": true, "مجريه": true, "المجريه": true}

// adjective returns the masculine relative adjective of a normalized
// one-word country name, without the article, or "" when it is not made
// the regular way.
func adjective(name string) string {
	base := name
	if name != "المانيا" && name != "البانيا" { // there ال is no article
		base = strings.TrimPrefix(name, "ال")
	}
	switch {
	case len([]rune(base)) < 3, strings.HasSuffix(base, "ي"), strings.HasSuffix(base, "و"):
		return ""
	case strings.HasSuffix(base, "يه"): // السعوديه
		return strings.TrimSuffix(base, "ه")
	case strings.HasSuffix(base, "يا"): // بريطانيا
		return strings.TrimSuffix(base, "ا")
	case strings.HasSuffix(base, "ا"): // امريكا
		return strings.TrimSuffix(base, "ا") + "ي"
	case strings.HasSuffix(base, "ه"):
		return ""
	}
	return base + "ي"
}

// extraCountries are forms of country names that the table does not give.
var extraCountries = map[string]string{
	"أمريكا": "USA", "أميركا": "USA", "الولايات المتحدة الأمريكية": "USA", "الولايات المتحدة الأميركية": "USA",
	"بريطانيا": "GBR", "المملكة المتحدة": "GBR", "سورية": "SYR", "المكسيك": "MEX", "سلطنة عمان": "OMN",
	"الجمهورية التركية": "TUR", "الهند": "IND", "ميانمار": "MMR", "بورما": "MMR", "الصرب": "SRB", "صربيا": "SRB",
	"روسيا الاتحادية": "RUS", "ساحل العاج": "CIV", "كوت ديفوار": "CIV", "اليابان": "JPN", "كوريا الجنوبية": "KOR",
	"كوريا الشمالية": "PRK", "جمهورية مصر العربية": "EGY", "المملكة العربية السعودية": "SAU",
	"الإمارات العربية المتحدة": "ARE", "التشيك": "CZE", "هولندا": "NLD", "إيرلندا": "IRL", "ايرلندا": "IRL",
}

func buildCountryNames() (map[string]string, int) {
	m := make(map[string]string, 300)
	most := 1
	add := func(name, code string) {
		n := strings.Join(countryWords(name), " ")
		if n == "" || ambiguousCountries[n] {
			return
		}
		if _, ok := m[n]; !ok {
			m[n] = code
		}
		most = max(most, strings.Count(n, " ")+1)
	}
	for i, line := range strings.Split(countriesTSV, "\n") {
		cols := strings.Split(line, "\t")
		if i == 0 || len(cols) < 4 || cols[3] == "" {
			continue
		}
		add(strings.TrimPrefix(cols[3], "جمهورية "), cols[1])
		if len(cols) > 4 && cols[4] != "" {
			add(cols[4], cols[1])
		}
	}
	for name, code := range extraCountries {
		add(name, code)
	}
	// Relative adjectives of one-word names: بريطانيا → بريطاني،
	// البريطانية، البريطانيين; السعودية → السعودي. A headline says "the
	// Bahraini minister" as often as "the minister of Bahrain".
	var adjs [][2]string
	for n, code := range m {
		if strings.Contains(n, " ") {
			continue
		}
		if adj := adjective(n); adj != "" {
			adjs = append(adjs, [2]string{adj, code})
		}
	}
	for _, a := range adjs {
		for _, form := range []string{a[0], a[0] + "ه", a[0] + "ين", a[0] + "ون"} {
			for _, f := range []string{form, "ال" + form} {
				if _, ok := m[f]; !ok && !ambiguousAdjectives[f] {
					m[f] = a[1]
				}
			}
		}
	}
	return m, most
}

// countryWords splits text into normalized words (letters and digits).
func countryWords(text string) []string {
	return strings.FieldsFunc(Normalize(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Countries returns the ISO 3166 alpha-3 codes of the countries text names
// by their Arabic names (والسعودية، بتركيا، للسعودية included), sorted and
// distinct. Adjectives (التركية) are not names and are not counted.
func Countries(text string) []string {
	words := countryWords(text)
	var out []string
	for i := 0; i < len(words); i++ {
		var firsts []string
		for _, f := range clitics(words[i]) {
			if countryFirst[f] {
				firsts = append(firsts, f)
			}
		}
		if len(firsts) == 0 {
			continue
		}
		for n := min(countryMaxWords, len(words)-i); n >= 1; n-- {
			rest := strings.Join(words[i+1:i+n], " ")
			code := ""
			for _, f := range firsts {
				k := f
				if rest != "" {
					k += " " + rest
				}
				if c, ok := countryNames[k]; ok {
					code = c
					break
				}
			}
			if code != "" {
				out = append(out, code)
				i += n - 1
				break
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// clitics returns w and the forms of w without one proclitic: a
// conjunction or preposition (و ف ب ك ل), and لل read as ل + ال.
func clitics(w string) []string {
	forms := []string{w}
	rest := w
	if r, ok := strings.CutPrefix(rest, "و"); ok && len([]rune(r)) >= 3 {
		forms = append(forms, r)
		rest = r
	} else if r, ok := strings.CutPrefix(rest, "ف"); ok && len([]rune(r)) >= 3 {
		forms = append(forms, r)
		rest = r
	}
	if r, ok := strings.CutPrefix(rest, "لل"); ok && len([]rune(r)) >= 2 {
		forms = append(forms, "ال"+r)
	}
	for _, p := range []string{"ب", "ك", "ل"} {
		if r, ok := strings.CutPrefix(rest, p); ok && len([]rune(r)) >= 3 {
			forms = append(forms, r)
		}
	}
	return forms
}
