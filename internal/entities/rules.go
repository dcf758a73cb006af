package entities

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"khabar/internal/entities/lex"
	"khabar/internal/model"
)

// Limits of the context rules, in words.
const (
	maxComplement = 8 // between a title and the name: "المبعوث الأمريكي للتحالف الدولي لمحاربة تنظيم الدولة"
	maxNameWords  = 4 // a person's name, connectors (بن، عبد، أبو) included
	maxOrgChain   = 4 // words after an organization head noun
	maxMiscChain  = 3 // words after an event or law head noun
)

// connectors join the parts of a person's name.
var connectors = map[string]bool{"بن": true, "ابن": true, "بنت": true, "ابو": true, "عبد": true, "ال": true, "ام": true}

// notNames are adjectives and nouns that follow titles but never name
// anyone ("وزير سوري سابق").
var notNames = buildNotNames(
	"سابق", "سابقه", "السابق", "السابقه", "الاسبق", "اسبق", "الحالي", "الحاليه", "حالي", "المقبل", "الجديد", "جديد",
	"الراحل", "الراحله", "المنتخب", "منتخب", "المكلف", "مكلف", "المؤقت", "مؤقت", "المساعد", "مساعد", "العام", "عام",
	"الاول", "اول", "الثاني", "ثاني", "الاعلي", "اعلي", "الاسبوع", "الخاص", "خاص", "الرسمي", "رسمي", "المستقيل",
	"المقال", "الفخري", "السياسي", "سياسي", "الدائم", "دائم", "الاممي", "اممي", "الجمهوري", "الديمقراطي",
)

func buildNotNames(words ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(words))
	for _, w := range words {
		m[w] = struct{}{}
	}
	return m
}

// find returns the entity spans of ws, left to right, without overlaps.
func (g *gazetteer) find(ws []word) []span {
	var out []span
	personAt := map[int]int{} // name start → length, announced by a title
	n := len(ws)
	for i := 0; i < n; {
		if ws[i].skip {
			i++
			continue
		}
		if l, ok := personAt[i]; ok {
			if gs, ok := g.matchGaz(ws, i); ok && gs.typ == model.EntityPerson && gs.j >= i+l {
				out = append(out, gs)
				i = gs.j
				continue
			}
			out = append(out, span{i: i, j: i + l, typ: model.EntityPerson, form: ws[i].forms[0], context: true})
			i += l
			continue
		}
		if tl := g.matchTitle(ws, i); tl > 0 && g.afterPlaceNoun(ws, i) {
			// "منطقة السيدة زينب", "حي الشيخ جراح": a place named after a person
			if l := g.nameRun(ws, i+tl); l > 0 && joined(ws, i+tl) {
				out = append(out, span{i: i, j: i + tl + l, typ: model.EntityPlace, form: ws[i].forms[0], context: true})
				i += tl + l
				continue
			}
		}
		if tl := g.matchTitle(ws, i); tl > 0 {
			if p, l, ok := g.personAfterTitle(ws, i+tl); ok {
				personAt[p] = l
			}
			i += tl
			continue
		}
		best, found := g.matchGaz(ws, i)
		if found && !g.plausible(ws, best) {
			found = false
		}
		for _, rule := range [...]func([]word, int) (span, bool){g.matchOrg, g.matchDefiniteOrg, g.matchMisc, g.matchPerson} {
			if s, ok := rule(ws, i); ok && (!found || s.j > best.j) {
				best, found = s, true
			}
		}
		if found {
			out = append(out, best)
			i = best.j
			continue
		}
		if s, ok := g.matchPlace(ws, i); ok {
			out = append(out, s)
			i = s.j
			continue
		}
		i++
	}
	return out
}

// afterPlaceNoun reports whether word i follows a place noun.
func (g *gazetteer) afterPlaceNoun(ws []word, i int) bool {
	if !joined(ws, i) {
		return false
	}
	return ws[i-1].flags&fPlace != 0 && g.placeHead(ws[i-1]) != ""
}

// placeHead is the place noun word w is, or "".
func (g *gazetteer) placeHead(w word) string {
	for _, f := range w.forms {
		if _, ok := g.placeWords[f]; ok {
			return f
		}
	}
	return ""
}

// joined reports whether words k-1 and k may belong to one name.
func joined(ws []word, k int) bool {
	return k > 0 && k < len(ws) && !ws[k-1].brk && !ws[k].skip && !ws[k-1].skip
}

// matchGaz finds the longest gazetteer phrase starting at i, trying the
// word whole first and then without its proclitics.
func (g *gazetteer) matchGaz(ws []word, i int) (span, bool) {
	if ws[i].flags&fPhrase == 0 {
		return span{}, false
	}
	for _, f := range ws[i].forms {
		_, whole := g.phrases[f]
		_, pre := g.prefixes[f]
		if !whole && !pre {
			continue
		}
		best := -1
		if whole {
			best = i + 1
		}
		cur := f
		for k := i + 1; pre && k < len(ws) && k-i < g.maxWords; k++ {
			if !joined(ws, k) {
				break
			}
			cur += " " + ws[k].norm
			if _, ok := g.phrases[cur]; ok {
				best = k + 1
			}
			_, pre = g.prefixes[cur]
		}
		if best < 0 {
			continue
		}
		e := g.phrases[phraseKey(ws, i, best, f)]
		return span{i: i, j: best, typ: e.typ, canon: e.canon, form: f}, true
	}
	return span{}, false
}

func phraseKey(ws []word, i, j int, first string) string {
	if j-i == 1 {
		return first
	}
	var b strings.Builder
	b.WriteString(first)
	for k := i + 1; k < j; k++ {
		b.WriteByte(' ')
		b.WriteString(ws[k].norm)
	}
	return b.String()
}

// matchTitle returns the number of words of the longest title at i.
func (g *gazetteer) matchTitle(ws []word, i int) int {
	if ws[i].flags&fTitle == 0 {
		return 0
	}
	for _, f := range ws[i].forms {
		best := 0
		cur := f
		if _, ok := g.titles[cur]; ok {
			best = 1
		}
		for k := i + 1; k < len(ws) && k-i < g.titleMax; k++ {
			if !joined(ws, k) {
				break
			}
			cur += " " + ws[k].norm
			if _, ok := g.titles[cur]; ok {
				best = k - i + 1
			}
		}
		if best > 0 {
			return best
		}
	}
	return 0
}

// personAfterTitle finds the name a title at s-… announces: right after it,
// or after its complement (a nationality, a ministry, an organization:
// "وزير الإسكان السوري السابق والأكاديمي ياسر النجار").
func (g *gazetteer) personAfterTitle(ws []word, s int) (int, int, bool) {
	for k := s; k < len(ws) && k-s <= maxComplement; k++ {
		if !joined(ws, k) {
			return 0, 0, false
		}
		if g.isNameStart(ws, k) {
			if l := g.nameRun(ws, k); l > 0 {
				return k, l, true
			}
			return 0, 0, false
		}
		if !g.isComplement(ws, k) {
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// isComplement reports whether word k can sit between a title and a name.
func (g *gazetteer) isComplement(ws []word, k int) bool {
	w := ws[k]
	f0 := w.forms[0]
	if lex.IsParticle(f0) || lex.LooksLikeVerb(f0) {
		return f0 == "باسم"
	}
	for _, f := range w.forms {
		if lex.IsDefinite(f) {
			return true
		}
	}
	if _, ok := g.matchGaz(ws, k); ok {
		return true
	}
	if g.isPatternWord(f0) {
		return true
	}
	if strings.HasPrefix(f0, "ل") && utf8.RuneCountInString(f0) >= 5 {
		return true // لمحاربة، لشؤون
	}
	// an indefinite noun in construct: "وزير خارجية قطر"
	if k+1 < len(ws) && joined(ws, k+1) && !ws[k+1].skip {
		if _, ok := g.firstNames[f0]; !ok {
			next := ws[k+1].forms[0]
			if lex.IsDefinite(next) {
				return true
			}
			if _, ok := g.matchGaz(ws, k+1); ok {
				return true
			}
		}
	}
	return false
}

// isNameStart reports whether word k can start a person's name.
func (g *gazetteer) isNameStart(ws []word, k int) bool {
	w := ws[k]
	f := w.forms[0]
	if _, ok := g.firstNames[f]; ok {
		return !g.isFalseAli(ws, k)
	}
	if e, ok := g.phrases[f]; ok && e.typ == model.EntityPerson {
		return true
	}
	for _, x := range w.forms {
		if lex.IsDefinite(x) {
			return false // "للتحالف", "والمحلل": a complement, not a name
		}
	}
	if strings.HasPrefix(f, "و") || strings.HasPrefix(f, "ف") {
		return false // "وأشارك": a conjunction starts a clause, not a name
	}
	return g.namePart(f, true)
}

// namePart reports whether the normalized word f can be part of a name.
func (g *gazetteer) namePart(f string, first bool) bool {
	if utf8.RuneCountInString(f) < 2 || lex.IsParticle(f) || lex.LooksLikeVerb(f) || g.isPatternWord(f) {
		return false
	}
	if _, ok := g.nisba[f]; ok {
		return false
	}
	if _, ok := notNames[f]; ok {
		return false
	}
	if e, ok := g.phrases[f]; ok && e.typ != model.EntityPerson {
		return false
	}
	// pronoun suffixes mark common nouns: منصبه، بلادهم
	if strings.HasSuffix(f, "ها") || strings.HasSuffix(f, "هم") || strings.HasSuffix(f, "هما") || strings.HasSuffix(f, "كم") {
		return false
	}
	if first {
		// a first word in ـة is an adjective or a common noun unless it is a given name
		if _, ok := g.firstNames[f]; !ok && strings.HasSuffix(f, "ه") {
			return false
		}
	}
	return true
}

// prepositional reports whether w carries a preposition or conjunction
// before a definite word or a head noun (بقصر، بالقاهرة، والحكومة): such a
// word starts a new phrase and never continues a name.
func (g *gazetteer) prepositional(w word) bool {
	for _, f := range w.forms[1:] {
		if lex.IsDefinite(f) || g.isPatternWord(f) {
			return true
		}
	}
	return false
}

// nameRun returns how many words from k form a person's name (0 if none):
// a first word, then name words, connectors (بن، عبد، أبو) joined to the
// word after them; a definite word (a family name such as النجار) ends it.
// Past the last word, or on a word that is no Arabic word (it has no forms),
// there is no name.
func (g *gazetteer) nameRun(ws []word, k int) int {
	if k < 0 || k >= len(ws) || ws[k].skip || len(ws[k].forms) == 0 {
		return 0
	}
	if !g.namePart(ws[k].forms[0], true) {
		if _, ok := g.firstNames[ws[k].forms[0]]; !ok {
			return 0
		}
	}
	j := k + 1
	for j < len(ws) && j-k < maxNameWords && joined(ws, j) {
		f := ws[j].norm
		if connectors[f] {
			if j+1 < len(ws) && joined(ws, j+1) && g.namePart(ws[j+1].norm, false) {
				j += 2
				continue
			}
			break
		}
		if !g.namePart(f, false) || g.prepositional(ws[j]) || participle(f) {
			break
		}
		// a third word is a family name (العنزي) or a father's given name
		// (محمد علي حسن); "ايمانويل ريفيير خطر" has run into the sentence
		if j-k == 2 && !lex.IsDefinite(f) {
			if _, ok := g.firstNames[f]; !ok {
				break
			}
		}
		j++
		if lex.IsDefinite(f) {
			break
		}
	}
	return j - k
}

// participle reports whether a definite word has the shape of a
// participle (المنتقل، المدرب، المتحدث): an adjective after a name, not a
// family name, which would rather be a relative adjective (المالكي).
func participle(f string) bool {
	return strings.HasPrefix(f, "الم") && utf8.RuneCountInString(f) >= 6 && !strings.HasSuffix(f, "ي") && !strings.HasSuffix(f, "يه")
}

func hasConnector(ws []word) bool {
	for _, w := range ws {
		if connectors[w.norm] {
			return true
		}
	}
	return false
}

// isFalseAli reports whether word k is the preposition على rather than the
// name علي: written with alef maqsura, or followed by a definite word.
func (g *gazetteer) isFalseAli(ws []word, k int) bool {
	if ws[k].forms[0] != "علي" {
		return false
	}
	if strings.HasSuffix(ws[k].text, "ى") {
		return true
	}
	return k+1 < len(ws) && lex.IsDefinite(ws[k+1].norm)
}

// matchPerson finds a name that starts with a known given name: "ألن مكاري",
// "ياسر النجار". Given names that are also common words need a second
// given name after them.
func (g *gazetteer) matchPerson(ws []word, i int) (span, bool) {
	if ws[i].flags&fFirst == 0 {
		return span{}, false
	}
	for _, f := range ws[i].forms {
		amb, ok := g.firstNames[f]
		if !ok {
			continue
		}
		if g.isFalseAli(ws, i) || !joined(ws, i+1) {
			return span{}, false
		}
		next := ws[i+1].norm
		if f == "حسن" && lex.IsDefinite(next) {
			return span{}, false // حسن النية، حسن الجوار
		}
		if amb {
			if _, ok := g.firstNames[next]; !ok {
				return span{}, false
			}
		}
		if connectors[next] || g.namePart(next, false) {
			// the given name itself must not be read as a common word: the
			// word after it must look like a name, not an adjective
			l := g.nameRun(ws, i)
			if l < 2 {
				return span{}, false
			}
			// without a title, a name of more than three words is a name
			// run on into the sentence, unless connectors (بن، عبد) join it
			if l > 3 && !hasConnector(ws[i:i+l]) {
				l = 3
				if lex.IsDefinite(ws[i+1].norm) {
					l = 2
				}
			}
			return span{i: i, j: i + l, typ: model.EntityPerson, form: f}, true
		}
		return span{}, false
	}
	return span{}, false
}

// matchOrg finds an organization introduced by a head noun in construct:
// "وزارة الداخلية", "قناة الحرة", "وكالة الصحافة المستقلة".
func (g *gazetteer) matchOrg(ws []word, i int) (span, bool) {
	if ws[i].flags&fOrg == 0 {
		return span{}, false
	}
	var p pattern
	var head string
	for _, f := range ws[i].forms {
		if q, ok := g.orgWords[f]; ok {
			p, head = q, f
			break
		}
	}
	if head == "" {
		return span{}, false
	}
	last, nat, gaz, adj := i, false, false, false
	var gazCanon string
	var gazTyp string
	for k := i + 1; k < len(ws) && k-i <= maxOrgChain && joined(ws, k); {
		x := ws[k]
		f0 := x.forms[0]
		if lex.IsParticle(f0) || lex.LooksLikeVerb(f0) {
			break
		}
		if gs, ok := g.matchGaz(ws, k); ok && gs.typ != model.EntityPerson && (k == i+1 || !p.single) {
			if k == i+1 && gs.form == f0 {
				gaz, gazCanon, gazTyp = true, gs.canon, gs.typ
			} else {
				gaz = false
			}
			last = gs.j - 1
			k = gs.j
			if p.single {
				break
			}
			continue
		}
		if lex.IsDefinite(f0) {
			_, isNat := g.nisba[f0]
			// "وكالة الأنباء السعودية": a news agency keeps its nationality
			agency := k == i+2 && ws[i+1].forms[0] == "الانباء"
			if p.single && !agency && (isNat || (k > i+1 && lex.IsNisbaLike(f0))) {
				break
			}
			// after an adjective only adjectives follow: "وزارة الداخلية
			// السعودية القبض" ends before القبض
			if adj && !lex.IsNisbaLike(f0) {
				break
			}
			adj = adj || lex.IsNisbaLike(f0)
			if isNat {
				nat = true
			}
			gaz = false
			last = k
			k++
			if p.single && k-i > 2 {
				break
			}
			continue
		}
		if !p.single && k > i+1 && strings.HasPrefix(x.norm, "لل") {
			gaz = false
			last = k
			k++
			continue
		}
		if p.single && k == i+1 && g.namePart(f0, true) && !strings.HasSuffix(f0, "ي") && lex.HasArabic(f0) {
			last = k
		}
		break
	}
	if last == i || (p.weak && !nat) {
		return span{}, false
	}
	sp := span{i: i, j: last + 1, typ: model.EntityOrg, form: head, context: true}
	if e, ok := g.phrases[phraseKey(ws, i, last+1, head)]; ok {
		sp.typ, sp.canon, sp.context = e.typ, e.canon, false
	} else if gaz && gazTyp == model.EntityOrg && last+1 == i+1+len(strings.Fields(key(gazCanon))) {
		// "حركة حماس": the head noun adds nothing to a known organization
		sp.canon, sp.context = gazCanon, false
	}
	if gaz && gazTyp == model.EntityOrg {
		sp.context = false
	}
	return sp, true
}

// orgAdjectives are adjectives that, after a definite head noun, make an
// organization's name though they are not relative adjectives.
var orgAdjectives = map[string]bool{
	"الحر": true, "العامه": true, "العام": true, "العليا": true, "الاعلي": true, "الكبري": true, "المستقل": true,
	"المستقله": true, "المتحده": true, "الموحد": true, "الموحده": true,
}

// matchDefiniteOrg finds an organization named by a definite head noun and
// its adjectives ("البنك المركزي المصري", "الائتلاف الوطني السوري",
// "الهيئة العامة للأرصاد الجوية"). Heads that name forces (قوات، جيش) are
// left out: "القوات العراقية" describes rather than names.
func (g *gazetteer) matchDefiniteOrg(ws []word, i int) (span, bool) {
	w := ws[i]
	var head string
	for _, f := range w.forms {
		if bare, ok := strings.CutPrefix(f, "ال"); ok {
			if p, ok := g.orgWords[bare]; ok && !p.weak && !p.single {
				head = f
				break
			}
		}
	}
	if head == "" {
		return span{}, false
	}
	last, adj := i, false
	for k := i + 1; k < len(ws) && k-i <= maxOrgChain && joined(ws, k); k++ {
		f := ws[k].forms[0]
		switch {
		case lex.IsDefinite(f) && (lex.IsNisbaLike(f) || orgAdjectives[f]):
			adj = true
			last = k
			continue
		case adj && strings.HasPrefix(ws[k].norm, "لل"):
			// a genitive after the adjectives: "للأرصاد الجوية"
			last = k
			continue
		case adj && strings.HasPrefix(ws[k].norm, "ل") && !lamVerbalNoun(ws[k].norm) && joined(ws, k+1) && lex.IsDefinite(ws[k+1].norm) && !lex.LooksLikeVerb(ws[k].norm):
			// "لحقوق الإنسان"
			last = k + 1
			k++
			continue
		case adj && last == k-1 && strings.HasPrefix(ws[last].norm, "ل") && strings.HasPrefix(ws[k].norm, "وال"):
			// "للحساسية والمناعة"
			last = k
			continue
		}
		break
	}
	if !adj {
		return span{}, false
	}
	return span{i: i, j: last + 1, typ: model.EntityOrg, form: head, context: true}, true
}

// lamVerbalNoun reports whether a word is ل before a verbal noun of the
// تفعيل، افتعال، استفعال or مفاعلة patterns ("لتحقيق"): a purpose, not
// part of a name.
func lamVerbalNoun(norm string) bool {
	rest := strings.TrimPrefix(norm, "ل")
	return strings.HasPrefix(rest, "ت") || strings.HasPrefix(rest, "ا") || strings.HasPrefix(rest, "م")
}

// plausible rejects a gazetteer match that context shows to be something
// else: a country name shaped like an adjective right after an indefinite
// noun ("جهات سورية معارضة": Syrian, not Syria).
func (g *gazetteer) plausible(ws []word, sp span) bool {
	if sp.typ != model.EntityPlace || sp.j-sp.i != 1 || !strings.HasSuffix(sp.form, "يه") || lex.IsDefinite(sp.form) || sp.form != ws[sp.i].norm {
		return true
	}
	if !joined(ws, sp.i) {
		return true
	}
	prev := ws[sp.i-1].forms[0]
	if lex.IsParticle(prev) || lex.LooksLikeVerb(prev) || lex.IsDefinite(prev) || g.isPatternWord(prev) || ws[sp.i-1].flags&fPhrase != 0 {
		return true
	}
	return false
}

// matchMisc finds an event, law or prize: a head noun in construct with one
// to three definite words ("كأس العالم", "قانون الأحوال الشخصية").
func (g *gazetteer) matchMisc(ws []word, i int) (span, bool) {
	if ws[i].flags&fMisc == 0 {
		return span{}, false
	}
	var head string
	for _, f := range ws[i].forms {
		if _, ok := g.miscWords[f]; ok {
			head = f
			break
		}
	}
	if head == "" {
		return span{}, false
	}
	last := i
	for k := i + 1; k < len(ws) && k-i <= maxMiscChain && joined(ws, k); k++ {
		f0 := ws[k].forms[0]
		if !lex.IsDefinite(f0) || lex.IsParticle(f0) {
			break
		}
		last = k
	}
	if last == i {
		return span{}, false
	}
	return span{i: i, j: last + 1, typ: model.EntityMisc, form: head, context: true}, true
}

// strongPlaceWords take a definite name after them ("محافظة الأنبار",
// "مخيم الهول"); the others only an indefinite one ("منطقة تدمر").
var strongPlaceWords = map[string]bool{
	"مدينه": true, "محافظه": true, "ولايه": true, "مخيم": true, "قريه": true, "بلده": true, "حي": true,
	"جزيره": true, "اقليم": true, "قضاء": true, "ناحيه": true, "ضاحيه": true, "بلديه": true, "مقاطعه": true,
}

// placeCompounds are first words of two-word place names.
var placeCompounds = map[string]bool{
	"تل": true, "عين": true, "بئر": true, "دير": true, "خان": true, "راس": true, "جبل": true, "كفر": true, "سانت": true,
	"سان": true, "بيت": true, "ام": true, "ابو": true, "سيدي": true, "بني": true, "جسر": true, "باب": true, "مرج": true,
	"نهر": true, "وادي": true, "قصر": true, "برج": true, "بنت": true, "حمام": true, "شرم": true,
}

// matchPlace finds a place named after a place noun: "مدينة تدمر". The
// place is the name, not the noun.
func (g *gazetteer) matchPlace(ws []word, i int) (span, bool) {
	if ws[i].flags&fPlace == 0 {
		return span{}, false
	}
	var head string
	for _, f := range ws[i].forms {
		if _, ok := g.placeWords[f]; ok {
			head = f
			break
		}
	}
	k := i + 1
	if head == "" || !joined(ws, k) {
		return span{}, false
	}
	if _, ok := g.matchGaz(ws, k); ok {
		return span{}, false // the gazetteer takes it from here
	}
	f0 := ws[k].forms[0]
	if !strongPlaceWords[head] || !g.namePart(f0, true) || g.prepositional(ws[k]) {
		// after "منطقة" or "دولة" only the gazetteer names a place:
		// "منطقة نفوذ" is a sphere of influence
		return span{}, false
	}
	if lex.IsDefinite(f0) {
		// "قرية التويمية" is a name, "منطقة العمليات" is not
		if !strongPlaceWords[head] {
			return span{}, false
		}
		return span{i: k, j: k + 1, typ: model.EntityPlace, form: f0, context: true}, true
	}
	if strings.HasSuffix(f0, "ي") || strings.HasSuffix(f0, "يه") {
		return span{}, false // an indefinite adjective: "منطقة عسكرية"
	}
	if strings.HasSuffix(f0, "ين") || strings.HasSuffix(f0, "ون") || strings.HasSuffix(f0, "ات") {
		return span{}, false // a plural: "مخيم لاجئين"
	}
	j := k + 1
	// compound names: "تل حلف", "سانت كاترين", "بيت لحم"
	if placeCompounds[f0] && joined(ws, j) && !lex.IsDefinite(ws[j].forms[0]) && g.namePart(ws[j].forms[0], false) &&
		!g.prepositional(ws[j]) && !strings.HasSuffix(ws[j].forms[0], "ه") {
		return span{i: k, j: j + 1, typ: model.EntityPlace, form: f0, context: true}, true
	}
	// a two-word name: "عين الحلوة"
	if joined(ws, j) {
		if f1 := ws[j].forms[0]; ws[j].norm == f1 && lex.IsDefinite(f1) && !lex.IsNisbaLike(f1) && g.namePart(f1, false) && !strings.HasSuffix(f1, "ه") {
			j++
		}
	}
	return span{i: k, j: j, typ: model.EntityPlace, form: f0, context: true}, true
}

// surnames returns the normalized last words of the full person names
// (two words or more, not from the gazetteer) among spans.
func surnames(ws []word, spans []span) []string {
	var out []string
	for _, sp := range spans {
		if sp.typ == model.EntityPerson && sp.canon == "" && sp.j-sp.i >= 2 {
			last := ws[sp.j-1].norm
			if utf8.RuneCountInString(last) >= 3 && !lex.IsParticle(last) {
				out = append(out, last)
			}
		}
	}
	return out
}

// joinSurnames adds, within one text, mentions of a person by surname
// alone ("مكاري" after "ألن مكاري").
func (g *gazetteer) joinSurnames(ws []word, spans []span) []span {
	sur := surnames(ws, spans)
	if len(sur) == 0 {
		return spans
	}
	return addSurnames(ws, spans, func(f string) bool { return slices.Contains(sur, f) })
}

// addSurnames tags as a person every word outside spans whose form known
// accepts.
func addSurnames(ws []word, spans []span, known func(string) bool) []span {
	covered := make([]bool, len(ws))
	for _, sp := range spans {
		for k := sp.i; k < sp.j; k++ {
			covered[k] = true
		}
	}
	added := false
	for k, w := range ws {
		if covered[k] || w.skip {
			continue
		}
		for _, f := range w.forms {
			if known(f) {
				spans = append(spans, span{i: k, j: k + 1, typ: model.EntityPerson, form: f})
				added = true
				break
			}
		}
	}
	if added {
		sort.Slice(spans, func(a, b int) bool { return spans[a].i < spans[b].i })
	}
	return spans
}
