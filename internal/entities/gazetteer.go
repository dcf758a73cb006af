package entities

import (
	"embed"
	"strings"
	"sync"
	"unicode/utf8"

	"khabar/internal/arabic"
	"khabar/internal/entities/lex"
	"khabar/internal/model"
)

// data holds the gazetteers: derived place lists (countries.tsv under the
// ODbL, cldr-places.tsv under the Unicode licence, both written by gen.go)
// and the lists curated for khabar. data/README.md says where each comes from.
//
//go:embed data/*.tsv data/*.txt
var data embed.FS

// entry is what a gazetteer phrase stands for.
type entry struct {
	canon string // canonical display name
	typ   string // model.Entity* type
}

// pattern is a head word that introduces a name.
type pattern struct {
	single bool // the name is one word: stop before a following adjective (media, companies)
	weak   bool // needs a nationality adjective after it to count (قوات الأمن العراقية)
}

// gazetteer is the immutable lexicon a Recognizer works from.
type gazetteer struct {
	phrases  map[string]entry    // normalized phrase → entry
	prefixes map[string]struct{} // normalized proper prefixes of multi-word phrases
	maxWords int

	titles     map[string]struct{} // normalized titles (may be several words)
	titleMax   int
	orgWords   map[string]pattern
	placeWords map[string]struct{}
	miscWords  map[string]struct{}
	firstNames map[string]bool // value: ambiguous (also a common word)
	nisba      map[string]struct{}
	names      *arabic.WordSet // for Names(): forms kept out of the stemmer

	// flags says, for a normalized word, which rules it can trigger, so
	// that the common word costs one map lookup.
	flags map[string]uint8
}

// Trigger flags of a word.
const (
	fPhrase uint8 = 1 << iota // starts a gazetteer phrase (or is one)
	fTitle                    // starts a title
	fOrg                      // an organization head noun
	fPlace                    // a place noun
	fMisc                     // an event or law head noun
	fFirst                    // a given name
)

// base is built once from the embedded files; Recognizers share it.
var base = sync.OnceValue(buildBase)

func readLines(name string) []string {
	raw, err := data.ReadFile("data/" + name)
	if err != nil {
		// The files are embedded at build time; a missing one is a build bug.
		panic("entities: embedded gazetteer missing: " + name)
	}
	var out []string
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}

// key is the normalized form of a phrase: words normalized and joined by
// one space.
func key(s string) string {
	return strings.Join(strings.Fields(arabic.Normalize(s)), " ")
}

func newGazetteer() *gazetteer {
	return &gazetteer{
		phrases:    map[string]entry{},
		prefixes:   map[string]struct{}{},
		titles:     map[string]struct{}{},
		orgWords:   map[string]pattern{},
		placeWords: map[string]struct{}{},
		miscWords:  map[string]struct{}{},
		firstNames: map[string]bool{},
		nisba:      map[string]struct{}{},
		names:      arabic.NewWordSet(),
		flags:      map[string]uint8{},
	}
}

// add records phrase as a name of e; earlier additions win, so curated
// lists are loaded first.
func (g *gazetteer) add(phrase string, e entry) {
	k := key(phrase)
	if k == "" || utf8.RuneCountInString(k) < 2 {
		return
	}
	if _, ok := g.phrases[k]; ok {
		return
	}
	words := strings.Split(k, " ")
	if len(words) == 1 && lex.IsParticle(k) {
		return
	}
	g.phrases[k] = e
	g.flags[words[0]] |= fPhrase
	if len(words) > g.maxWords {
		g.maxWords = len(words)
	}
	for i := 1; i < len(words); i++ {
		g.prefixes[strings.Join(words[:i], " ")] = struct{}{}
	}
}

func buildBase() *gazetteer {
	g := newGazetteer()
	ambiguous := map[string]struct{}{}
	for _, w := range readLines("ambiguous.txt") {
		ambiguous[key(w)] = struct{}{}
	}
	// Curated names first: they carry the aliases and canonical spellings.
	for _, line := range readLines("names.tsv") {
		f := strings.Split(line, "\t")
		if len(f) < 2 {
			continue
		}
		e := entry{canon: f[1], typ: f[0]}
		g.add(f[1], e)
		if len(f) > 2 {
			for _, a := range strings.Split(f[2], "|") {
				g.add(a, e)
			}
		}
	}
	for _, line := range readLines("countries.tsv") {
		f := strings.Split(line, "\t")
		if len(f) < 2 {
			continue
		}
		e := entry{canon: f[1], typ: model.EntityPlace}
		for _, n := range f[1:] {
			if _, amb := ambiguous[key(n)]; !amb {
				g.add(n, e)
			}
		}
	}
	for _, line := range readLines("cldr-places.tsv") {
		f := strings.Split(line, "\t")
		if len(f) != 2 {
			continue
		}
		if _, amb := ambiguous[key(f[1])]; amb {
			continue
		}
		g.add(f[1], entry{canon: f[1], typ: model.EntityPlace})
	}
	for _, t := range readLines("titles.txt") {
		k := key(t)
		g.titles[k] = struct{}{}
		g.flags[strings.Fields(k)[0]] |= fTitle
		if n := len(strings.Fields(k)); n > g.titleMax {
			g.titleMax = n
		}
	}
	for _, w := range readLines("org-words.txt") {
		p := pattern{single: strings.HasSuffix(w, "*")}
		w = strings.TrimSuffix(w, "*")
		g.orgWords[key(w)] = p
		g.flags[strings.Fields(key(w))[0]] |= fOrg
	}
	for _, w := range []string{"قوات", "جيش", "مركز", "مكتب", "دائره", "سوق", "لجنه", "محكمه", "تحالف", "تيار", "مستشفي", "مديريه", "فصيل", "ميليشيا", "ميليشيات", "كتائب", "سرايا", "بورصه", "كليه", "برلمان", "مجموعه", "صندوق"} {
		if p, ok := g.orgWords[w]; ok {
			p.weak = true
			g.orgWords[w] = p
		}
	}
	for _, w := range readLines("place-words.txt") {
		g.placeWords[key(w)] = struct{}{}
		g.flags[key(w)] |= fPlace
	}
	for _, w := range readLines("misc-words.txt") {
		g.miscWords[key(w)] = struct{}{}
		g.flags[key(w)] |= fMisc
	}
	for _, w := range readLines("first-names.txt") {
		amb := strings.HasSuffix(w, "*")
		g.firstNames[key(strings.TrimSuffix(w, "*"))] = amb
		g.flags[key(strings.TrimSuffix(w, "*"))] |= fFirst
	}
	g.buildNisba()
	g.buildNames()
	return g
}

// buildNisba derives nationality adjectives from single-word place names
// (العراق → العراقي/العراقية, سوريا → السوري, أمريكا → الأمريكي): a name
// followed by one of them is not extended by it.
func (g *gazetteer) buildNisba() {
	for k, e := range g.phrases {
		if e.typ != model.EntityPlace || strings.Contains(k, " ") {
			continue
		}
		stem := strings.TrimPrefix(k, "ال")
		for _, suf := range []string{"يه", "يا", "ه", "ا"} {
			if strings.HasSuffix(stem, suf) && utf8.RuneCountInString(stem) > len([]rune(suf))+2 {
				stem = strings.TrimSuffix(stem, suf)
				break
			}
		}
		if utf8.RuneCountInString(stem) < 3 {
			continue
		}
		for _, f := range []string{"ال" + stem + "ي", "ال" + stem + "يه", "ال" + stem + "يين", "ال" + stem + "يون", stem + "ي", stem + "يه", stem + "يين", stem + "يون"} {
			g.nisba[f] = struct{}{}
		}
	}
	for _, w := range []string{"الاسرائيلي", "الاسرائيليه", "الفلسطيني", "الفلسطينيه", "الاوروبي", "الاوروبيه", "الامريكي", "الامريكيه", "الاميركي", "الاميركيه", "البريطاني", "البريطانيه", "الخليجي", "الخليجيه", "العربي", "العربيه", "الكردي", "الكرديه", "الاممي", "الامميه", "الغربي", "الغربيه", "اسرائيلي", "اسرائيليه", "فلسطيني", "فلسطينيه", "اوروبي", "اوروبيه", "امريكي", "امريكيه", "اميركي", "اميركيه", "بريطاني", "بريطانيه", "عربي", "عربيه", "كردي", "كرديه", "غربي", "غربيه"} {
		g.nisba[w] = struct{}{}
	}
}

// buildNames collects the forms the stemmer must leave whole: every
// gazetteer phrase, its distinctive single words (not pattern words,
// adjectives or function words), with and without the article, and the
// given names.
func (g *gazetteer) buildNames() {
	for k := range g.phrases {
		g.addName(k)
	}
	for k := range g.firstNames {
		g.names.Add(k)
	}
}

func (g *gazetteer) addName(k string) {
	g.names.Add(k)
	words := strings.Split(k, " ")
	if len(words) == 1 {
		if bare := strings.TrimPrefix(k, "ال"); bare != k && utf8.RuneCountInString(bare) >= 3 {
			g.names.Add(bare)
		}
		return
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) < 3 || lex.IsParticle(w) || lex.IsNisbaLike(w) || g.isPatternWord(w) {
			continue
		}
		// A definite part is a common noun or adjective (الدول، المتحدة)
		// unless it names something on its own.
		if _, alone := g.phrases[w]; lex.IsDefinite(w) && !alone {
			continue
		}
		g.names.Add(w)
		if bare := strings.TrimPrefix(w, "ال"); bare != w && utf8.RuneCountInString(bare) >= 3 {
			g.names.Add(bare)
		}
	}
}

func (g *gazetteer) isPatternWord(w string) bool {
	if _, ok := g.orgWords[w]; ok {
		return true
	}
	if _, ok := g.placeWords[w]; ok {
		return true
	}
	if _, ok := g.miscWords[w]; ok {
		return true
	}
	_, ok := g.titles[w]
	return ok
}

// withLearned returns a gazetteer that adds the learned entities to g
// without changing g: only the phrase tables are copied.
func (g *gazetteer) withLearned(learned []model.Entity) *gazetteer {
	if len(learned) == 0 {
		return g
	}
	c := *g
	c.phrases = make(map[string]entry, len(g.phrases)+len(learned))
	for k, v := range g.phrases {
		c.phrases[k] = v
	}
	c.prefixes = make(map[string]struct{}, len(g.prefixes))
	for k := range g.prefixes {
		c.prefixes[k] = struct{}{}
	}
	c.flags = make(map[string]uint8, len(g.flags))
	for k, v := range g.flags {
		c.flags[k] = v
	}
	c.names = g.names.Clone()
	for _, e := range learned {
		switch e.Type {
		case model.EntityPerson, model.EntityPlace, model.EntityOrg, model.EntityMisc:
		default:
			continue
		}
		name := strings.TrimSpace(lex.Standard(e.Name))
		if !c.learnable(name) {
			continue
		}
		en := entry{canon: name, typ: e.Type}
		(&c).add(name, en)
		c.addName(key(name))
		aliases := e.Mentions
		if e.Type == model.EntityPerson {
			// a learned person is also found by surname alone
			if f := strings.Fields(name); len(f) >= 2 && utf8.RuneCountInString(f[len(f)-1]) >= 4 {
				aliases = append(aliases[:len(aliases):len(aliases)], f[len(f)-1])
			}
		}
		for _, m := range aliases {
			if m = strings.TrimSpace(lex.Standard(m)); c.learnable(m) {
				(&c).add(m, en)
				c.addName(key(m))
			}
		}
	}
	return &c
}

// learnable rejects names that would make the gazetteer match common words:
// function words, pattern words alone, and very short names.
func (g *gazetteer) learnable(name string) bool {
	k := key(name)
	if utf8.RuneCountInString(k) < 3 || !lex.HasArabic(k) {
		return false
	}
	if !strings.Contains(k, " ") && (lex.IsParticle(k) || g.isPatternWord(k) || lex.LooksLikeVerb(k)) {
		return false
	}
	return true
}
