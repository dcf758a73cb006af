package coverage

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"khabar/internal/arabic"
	"khabar/internal/model"
)

// normSet is a word set of the normalized forms (arabic.Normalize) of words.
func normSet(words ...string) *arabic.WordSet {
	for i, w := range words {
		words[i] = arabic.Normalize(w)
	}
	return arabic.NewWordSet(words...)
}

// speechVerbs introduce what someone said (without a leading و or ف).
var speechVerbs = normSet(
	"قال", "قالت", "يقول", "تقول", "أكد", "أكدت", "يؤكد", "تؤكد", "أضاف", "أضافت", "يضيف", "تضيف",
	"أوضح", "أوضحت", "يوضح", "توضح", "صرح", "صرحت", "يصرح", "تابع", "تابعت", "يتابع", "أشار", "أشارت", "يشير",
	"لفت", "لفتت", "شدد", "شددت", "يشدد", "ذكر", "ذكرت", "بينت", "أفاد", "أفادت", "استطرد", "استطردت",
	"اختتم", "اختتمت", "ختم", "ختمت", "زاد", "اعتبر", "اعتبرت", "رأى", "رأت", "علق", "علقت", "كتب", "كتبت",
	"غرد", "غردت", "نقل", "نقلت", "أعلن", "أعلنت", "طالب", "طالبت", "دعا", "دعت", "حذر", "حذرت", "تساءل", "تساءلت",
	"أجاب", "أجابت", "رد", "ردت", "قالوا", "أكدوا", "أضافوا", "أوضحوا", "يقولون", "أعرب", "أعربت", "وصف", "وصفت",
	"أبلغ", "أبلغت", "أخبر", "أخبرت", "ناشد", "ناشدت", "اعترف", "اعترفت", "روى", "روت", "يروي", "أردف", "أردفت",
	"تعهد", "تعهدت", "أفصح", "أفصحت", "نوه", "نوهت", "أكمل", "أكملت", "قالا", "يضيفون", "تصف", "يصف",
	"يتساءل", "تتساءل", "يعلق", "تعلق", "يبين", "تبين",
	// Revealing and condemning are said: "كشف الفنان … أن", "واستنكر
	// التركي «…»".
	"كشف", "كشفت",
	"استنكر", "استنكرت", "أدان", "أدانت", "دان", "دانت", "ندد", "نددت",
	// بين alone is "between"; with و before it, at a clause's start, it is
	// "and he made clear".
	"وبين",
)

// speechParticiples continue the sentence's subject as the speaker
// ("… مؤكدا أن «…»").
var speechParticiples = normSet(
	"مؤكدا", "مؤكدة", "مضيفا", "مضيفة", "موضحا", "موضحة", "قائلا", "قائلة", "مشيرا", "مشيرة", "مشددا", "مشددة",
	"معتبرا", "معتبرة", "لافتا", "لافتة", "منوها", "منوهة", "متسائلا", "محذرا", "مطالبا", "داعيا", "مختتما", "مبينا",
	"مستطردا", "متابعا", "مردفا",
)

// sayingNouns stand for "his saying" or "the saying": "نقل عن الملك قوله
// «…»", "وخلص إلى القول «…»".
var sayingNouns = normSet("قوله", "قولها", "قولهم", "بقوله", "بقولها", "تصريحه", "تصريحها", "القول")

// statementNouns say that the sentence's subject said it: "اكتفى
// الناطق … بالتأكيد على أن «…»".
var statementNouns = normSet("بالتأكيد", "بالقول", "بالإشارة", "بالتشديد", "بالتوضيح")

// introducers may stand right before a short quotation.
var introducers = normSet("أن", "إن", "بأن", "أنه", "إنه", "بأنه", "أنها", "إنها", "بأنها", "أنهم", "إنهم", "وإنه", "وأنه", "وإن", "وأن")

// selfRefs are titles used as pronouns: the speaker is the one named before.
var selfRefs = normSet("سموه", "معاليه", "سماحته", "فضيلته", "جلالته", "فخامته", "سعادته", "دولته", "نيافته")

// stopSpeaker ends a speaker's name: prepositions, conjunctions, "that",
// time words, and nouns of the occasion.
var stopSpeakerWords = []string{"في", "عن", "خلال", "أمام", "على", "إلى", "عبر", "من", "مع", "بعد", "قبل",
	"أثناء", "حول", "ضمن", "لدى", "أن", "إن", "بأن", "أنه", "إنه", "أنها", "إنها", "بأنه", "بأنها", "أنهم", "لها", "له", "لهم", "اليوم",
	"أمس", "يوم", "حيث", "كما", "والتي", "الذي", "التي", "الذين", "و", "أو", "ثم", "بل", "لكن", "إذ", "بحسب", "حسب",
	"وفق", "وفقا", "نقلا", "منذ", "عندما", "بينما", "فيما", "بيان", "تصريح", "تصريحات", "تصريحه", "كلمة", "كلمته", "مؤتمر",
	"لقاء", "حديث", "حديثه", "مقابلة", "اتصال", "هاتفي", "أيضا", "كذلك", "قائلا", "قوله", "بقوله", "الليلة", "صباح",
	"مساء", "الماضي", "الجاري", "خطاب", "خطابه", "القول",
	// A demonstrative opens the object ("واعتبر الحزب هذا القصف"); قد
	// the verb ("وكان الوزير قد أكد").
	"هذا", "هذه", "ذلك", "تلك", "هؤلاء", "قد", "وقد", "لقد", "رسالة", "تغريدة", "حسابه", "حسابها",
	// A preposition with a pronoun ("أوضح خلاله أن", "أكمل معه") names no one.
	"معه", "معها", "معهم", "خلاله", "خلالها", "فيه", "فيها", "منه", "منها", "عنه", "عنها", "إليه", "إليها",
	"لي", "عليه", "عليها",
}

var (
	stopSpeaker = normSet(slices.Clone(stopSpeakerWords)...)
	// stopSeats holds, for each stop word that opens with a hamza on
	// alef, the seats it is written with (أ for أمام, إ for إلى): إمام
	// (imam) normalizes as أمام (before) does, and is a name's word.
	stopSeats = hamzaSeats(stopSpeakerWords)
)

func hamzaSeats(words []string) map[string]string {
	m := map[string]string{}
	for _, w := range words {
		if r, _ := utf8.DecodeRuneInString(w); strings.ContainsRune("أإآ", r) {
			m[arabic.Normalize(w)] += string(r)
		}
	}
	return m
}

// isStop reports a word that ends a speaker's name (stopSpeaker), read as
// written: علي is a name where على is not, إمام where أمام is not.
func isStop(raw, norm string) bool {
	if !stopSpeaker.Has(norm) || raw == "علي" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(raw)
	seats, ok := stopSeats[norm]
	return !ok || !strings.ContainsRune("أإآ", r) || strings.ContainsRune(seats, r)
}

// closingVerbs also mean "concluded" and "followed": with an event after
// them ("اختتم مهرجان …", "تابع فعاليات …") they are not speech.
var closingVerbs = normSet("اختتم", "اختتمت", "ختم", "ختمت", "تابع", "تابعت", "يتابع")

// events are occasions and works.
var events = normSet("مهرجان", "معرض", "حفل", "احتفال", "احتفالية", "فعاليات", "فعالية", "مسابقة", "بطولة",
	"موسم", "عرض", "فيلم", "مسلسل", "مباراة", "سباق", "دوري", "أعمال", "جلسة", "جلسات", "زيارة", "جولة")

// objectNouns are verbal nouns that a speech verb takes as its object:
// "وأكد وجود «…»", "وأكد استنكار وإدانة أهالي …", "وجدد العبادي
// تأييده". They are no speaker, nor part of one.
var objectNouns = normSet("ضرورة", "أهمية", "وجود", "حرص", "استمرار", "رفض", "دعم", "التزام", "عدم", "استعداد",
	"استنكار", "إدانة", "تأييد", "ترحيب", "تمسك")

// objectNoun reports a word of objectNouns, with or without a pronoun
// after it (تأييده).
func objectNoun(norm string) bool {
	if objectNouns.Has(norm) {
		return true
	}
	for _, suf := range []string{"ه", "ها", "هم"} {
		if st, ok := strings.CutSuffix(norm, suf); ok && objectNouns.Has(st) {
			return true
		}
	}
	return false
}

// reflexives are objects: "يصف نفسه بالشافعي" describes, it does not
// quote.
var reflexives = normSet("نفسه", "نفسها", "نفسهم", "أنفسهم", "نفسي", "نفسك", "أنفسنا")

// proverbs are sayings no one in the text said: "كما يقول المثل «…»".
var proverbs = normSet("المثل", "مثل", "المثال")

// notSaying reports a speech verb (verb, as verbForm gives it) used in
// another sense, as the words of s after it show: a closing verb before
// an event, or any before a reflexive object or a proverb.
func notSaying(verb, s string) bool {
	ws := wordsOf(s)
	if len(ws) == 0 || ws[0].start > 0 && strings.TrimSpace(s[:ws[0].start]) != "" {
		return false
	}
	if reflexives.Has(ws[0].norm) || proverbs.Has(ws[0].norm) {
		return true
	}
	return closingVerbs.Has(verb) && (events.Has(ws[0].norm) || events.Has(strings.TrimPrefix(ws[0].norm, "ال")))
}

// roles are the words of a position that follows a name ("دون لاجوينز نائب
// رئيس …"): the name ends before them.
var roles = normSet("رئيس", "استشاري", "أستاذ", "مندوب", "المندوب", "نائب", "وزير", "وزيرة", "مدير", "مديرة", "المتحدث", "الناطق", "متحدث", "ناطق",
	"عضو", "أمين", "مستشار", "سفير", "قائد", "المدير", "الرئيس", "الأمين", "رئيسة", "محافظ", "أمير", "مساعد",
	"وكيل", "المدرب", "مدرب", "لاعب", "اللاعب", "الخبير", "خبير", "المحلل", "محلل", "الكاتب", "الباحث", "مؤسس",
	"المنسقة", "منسق", "منسقة", "ممثل", "المسؤول", "مسؤول", "عميد", "مفتي", "شيخ", "الشيخ", "النائب", "الوزير",
	"رئيسة", "المستشار", "السفير", "القائد", "المحافظ", "الأمير", "نائبة", "وزيرة", "سفيرة", "مستشارة",
	"المتحدثة", "متحدثة", "الناطقة", "ناطقة",
)

// generic speakers are described, not named: their description is kept.
var generic = normSet("مصدر", "مصادر", "مسؤول", "مسؤولون", "متحدث", "ناطق", "المتحدث", "الناطق", "مسؤولة",
	"متحدثة", "ناطقة", "المتحدثة", "الناطقة",
	"مصدرا", "شهود", "شاهد", "مواطنون", "مواطن", "خبراء", "خبير", "محللون", "دبلوماسي", "دبلوماسيون", "ناشطون", "ناشط",
	"سكان", "مراقبون", "عضو", "أعضاء", "المصدر", "المسؤول", "مغرد", "مغردة", "مغردون",
)

// nameContexts before a quoted span mean it is a name, not a quotation
// (صحيفة «ديلي تايمز»).
var nameContexts = normSet("صحيفة", "جريدة", "موقع", "قناة", "وكالة", "مجلة", "برنامج", "كتاب",
	"فيلم", "مسلسل", "أغنية", "عملية", "حملة", "شعار", "عنوان", "بعنوان", "لقب", "وسم", "هاشتاق", "هاشتاغ", "مركز",
	"مجموعة", "شركة", "تطبيق", "مبادرة", "مشروع", "مسابقة", "جائزة", "مهرجان", "معرض", "منتدى", "مؤتمر", "نادي",
	"تنظيم", "جماعة", "حركة", "حزب", "فندق", "مستشفى", "ندوة", "مسرحية", "رواية", "ديوان", "قصيدة", "اسم", "باسم", "مسمى",
	// A position right before a quoted span: the body it heads (رئيس «…»).
	"رئيس", "رئيسة", "مدير", "مديرة", "مؤسس", "مؤسسة", "عضو", "منتج", "مالك",
)

// minQuoteWords is the fewest words a quotation has; a quotation of exactly
// that many must follow an introducer (a speech verb, أن, a colon).
const minQuoteWords = 3

// spoken is a speaker named by a speech verb, quoted or not, at an offset.
type spoken struct {
	at      int
	speaker string
}

// Quotes returns the direct quotations of text: spans between «», “” or
// "" marks that a speech verb introduces (قال، أكد، أضاف، أوضح، صرح …),
// with their speaker: the person or organisation named after the verb
// (the canonical name of ents' entity when one of its mentions is there),
// or, after a verb without a subject ("وأضاف:"), the person named first in
// the sentence or else the last speaker named. Text is verbatim, without
// the marks. Quoted names and scare quotes are left out.
func Quotes(text string, ents []model.Entity) []model.Quote {
	var (
		out   []model.Quote
		sents = arabic.SplitSentences(text)
		spans = quoteSpans(text)
		said  = speakersOf(text, spans, sents, ents)
	)
	var quoted []spoken // the speakers of the quotations found so far
	lastBefore := func(at int) (string, int) { return lastSpeaker(at, nil, said, quoted) }
	for _, sp := range spans {
		inner := strings.TrimSpace(text[sp.innerStart:sp.innerEnd])
		n := countWords(inner)
		if n < minQuoteWords || startsWithPunct(inner) {
			continue
		}
		// The speaker is looked for among the last words before the
		// quote (see the loop below): a sentence of a thousand quotes is
		// not read again for each.
		start := max(startOf(sents, sp.open), runeStart(text, sp.open-maxBefore))
		before := text[start:sp.open]
		if isNameContext(before) || followedByColonQuote(text[sp.close:]) {
			continue
		}
		words := wordsOf(before)
		if n == minQuoteWords && !introduced(before, words) || opensList(before, words) {
			continue
		}
		speaker, found := "", false
		for i := len(words) - 1; i >= 0 && i >= len(words)-30; i-- {
			w := words[i].verb()
			if sayingNouns.Has(words[i].norm) && (words[i].norm != "القول" || i >= len(words)-2) {
				// القول introduces only what follows it ("وخلص إلى القول
				// «…»", "عن المسؤول القول إن «…»"); farther back it is
				// "one may say" (يمكن القول).
				// "عن الملك فيصل قوله «…»": the name before.
				if strings.HasPrefix(words[i].norm, "بقول") {
					// "يؤكد عليه العلي بقوله: «…»": the verb's subject.
					speaker = subjectJustBefore(before[:words[i].start], ents)
				} else {
					speaker = sayingSubject(before[:words[i].start], ents)
				}
				found = true
			} else if acc := strings.TrimPrefix(words[i].norm, "و"); acc == "بحسب" || acc == "حسب" {
				// "بحسب المصادر، فقد «…»"
				speaker = speakerAfter(before[words[i].end:], ents)
				found = speaker != ""
			} else if speechParticiples.Has(w) || statementNouns.Has(words[i].norm) {
				speaker = sentenceSubject(before[:words[i].start], ents)
				found = true
			} else if speechVerbs.Has(w) && !notSaying(w, before[words[i].end:]) && !(i > 0 && preposition(before, words[i-1])) {
				if i > 0 && relatives.Has(words[i-1].norm) {
					speaker = antecedent(before, words[:i-1], ents) // "الوزير الذي قال: «…»"
				}
				if speaker == "" {
					speaker = speakerAfter(before[words[i].end:], ents)
				}
				if w == "نقل" || w == "نقلت" {
					// "نقلت الوكالة عن المتحدث سوسن شبلي: «…»": the one
					// quoted is named after عن.
					if who := quotedVia(before[words[i].end:], ents); who != "" {
						speaker = who
					}
				}
				if speaker == "" {
					speaker = firstPerson(before[:words[i].start], ents)
				}
				if speaker == "" {
					speaker = subjectFirst(before[:words[i].start], ents)
				}
				found = true
			}
			if found {
				break
			}
		}
		if !found && strings.TrimSpace(before) == "" {
			// A quotation that opens its sentence continues the speaker
			// of the sentence before.
			if who, at := lastBefore(sp.open); at >= 0 && sp.open-at < 600 {
				speaker, found = who, true
			}
		}
		if !found {
			// The verb right after the quote: "«…»، قال الوزير".
			after := text[sp.close:min(len(text), sp.close+200)]
			if i := strings.IndexAny(after, ".\n"); i >= 0 {
				after = after[:i]
			}
			aw := wordsOf(after)
			for i := 0; i < len(aw) && i < 2; i++ {
				if speechVerbs.Has(aw[i].verb()) && !notSaying(aw[i].verb(), after[aw[i].end:]) {
					speaker = speakerAfter(after[aw[i].end:], ents)
					found = speaker != ""
					break
				}
			}
		}
		if found && speaker == "" {
			speaker, _ = lastBefore(sp.open)
		}
		if speaker == "" {
			continue
		}
		speaker = resolveDefinite(text[runeStart(text, sp.open-maxDefinite):sp.open], resolveRole(text, speaker, ents))
		if isStatement(speaker) {
			// "وقال البيان": the statement of the last one named as
			// speaking, when one was named shortly before.
			issuer := func(s string) bool { return !isStatement(s) }
			if who, at := lastSpeaker(sp.open, issuer, said, quoted); at >= 0 && sp.open-at < statementReach {
				speaker = who
			}
		}
		quoted = append(quoted, spoken{sp.open, speaker})
		out = append(out, model.Quote{Speaker: speaker, Text: inner})
	}
	return out
}

// lastSpeaker is the last speaker (of said or quoted, each in text order)
// before offset at that keep accepts (nil: any), and where it was named;
// -1 when none.
func lastSpeaker(at int, keep func(string) bool, lists ...[]spoken) (string, int) {
	// Each list is in text order: the search starts at the last speaker
	// before at, found by binary search, not at the first of the text.
	sp, where := "", -1
	for _, list := range lists {
		k := sort.Search(len(list), func(k int) bool { return list[k].at >= at })
		for k--; k >= 0 && list[k].at > where; k-- {
			if keep == nil || keep(list[k].speaker) {
				sp, where = list[k].speaker, list[k].at
				break
			}
		}
	}
	return sp, where
}

// statementReach is how far before a quotation "البيان" may find the one
// whose statement it is.
const statementReach = 1500

// isStatement reports a speaker that is a statement (البيان، بيان صحافي),
// not who issued it.
func isStatement(speaker string) bool {
	ws := wordsOf(speaker)
	return len(ws) > 0 && len(ws) <= 2 && (ws[0].norm == "البيان" || ws[0].norm == "بيان")
}

// speakersOf lists, in text order, the speakers that speech verbs name
// outside quotations (indirect speech included), for verbs without a
// subject later on ("وأضاف:").
func speakersOf(text string, spans []quoteSpan, sents []arabic.Span, ents []model.Entity) []spoken {
	var out []spoken
	// spans are in text order and do not overlap.
	inQuote := func(i int) bool {
		k := sort.Search(len(spans), func(k int) bool { return spans[k].close > i })
		return k < len(spans) && i >= spans[k].open
	}
	ws := wordsOf(text)
	for k, w := range ws {
		v := w.verb()
		rel := k > 0 && relatives.Has(ws[k-1].norm)
		if rel && w.norm == "بين" {
			v = "وبين" // after الذي it is "made clear", not "between"
		}
		if !speechVerbs.Has(v) && !speechParticiples.Has(v) || inQuote(w.start) || k > 0 && preposition(text, ws[k-1]) {
			continue
		}
		rest := text[w.end:min(len(text), w.end+300)]
		if notSaying(v, rest) {
			continue
		}
		sp := ""
		if rel {
			// "وزير الطاقة الإماراتي الذي بين أهمية القرار": the one
			// before الذي spoke; the words after the verb are its object.
			if sp = antecedent(text, ws[:k-1], ents); sp == "" {
				continue
			}
		} else if speechVerbs.Has(v) {
			sp = speakerAfter(rest, ents)
		}
		if sp == "" {
			head := text[max(startOf(sents, w.start), runeStart(text, w.start-maxBefore)):w.start]
			if sp = firstPerson(head, ents); sp == "" {
				sp = subjectFirst(head, ents)
			}
		}
		if sp != "" {
			out = append(out, spoken{w.start, sp})
		}
	}
	return out
}

// prepositions make the word after them a noun: "على وصف أحد العاملين"
// is "on the description by", not "described"
var prepositions = normSet("في", "عن", "على", "إلى", "من", "مع", "بعد", "قبل", "حول", "خلال", "عبر", "لدى",
	// and so does عدم: "طلب عدم كشف اسمه".
	"عدم")

// preposition reports a word of s that is one of prepositions (علي, a
// name, is not على).
func preposition(s string, w word) bool {
	return prepositions.Has(w.norm) && s[w.start:w.end] != "علي"
}

// relatives are the relative pronouns that a speech verb may follow.
var relatives = normSet("الذي", "التي", "الذين")

// antecedent is the person or body that the words ws of text end with,
// before a relative pronoun: a name of ents, or a position or a
// description (وزير الطاقة الإماراتي); "" for anything else (القرار).
func antecedent(text string, ws []word, ents []model.Entity) string {
	i := trailingRun(text, ws, maxSpeakerWords, func(w word) bool { return isStop(text[w.start:w.end], w.norm) })
	if i == len(ws) {
		return ""
	}
	phrase := text[ws[i].start:ws[len(ws)-1].end]
	if e := entityIn(phrase, ents); e != "" {
		return e
	}
	for i < len(ws) && honorifics.Has(ws[i].norm) {
		i++
	}
	if i < len(ws) && (roles.Has(ws[i].norm) || generic.Has(ws[i].norm)) {
		return phrase
	}
	return ""
}

// trailingRun is where the run of words that ws (words of text) ends with
// starts: at most limit words, none that stop accepts, nothing but spaces
// between them. len(ws) when the last word stops it.
func trailingRun(text string, ws []word, limit int, stop func(word) bool) int {
	i := len(ws)
	for i > 0 && len(ws)-i < limit {
		w := ws[i-1]
		if stop(w) || i < len(ws) && strings.TrimSpace(text[w.end:ws[i].start]) != "" {
			break
		}
		i--
	}
	return i
}

// quoteSpan is a quoted span: the opening mark at open, the closing mark
// ending at close, the text between them.
type quoteSpan struct{ open, innerStart, innerEnd, close int }

// quoteSpans finds the spans between «», “” (or ”” as some sites write
// them) and "" marks, outermost only, each within its paragraph.
func quoteSpans(text string) []quoteSpan {
	var out []quoteSpan
	// The closing mark of each « of the line at hand, found in one pass
	// over the line when its first « is met: searching from every « would
	// read a long line once per mark.
	var (
		closing  map[int]int
		lineDone = -1
	)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		var closers string
		switch r {
		case '«':
			closers = "»"
		case '“', '”':
			closers = "”“"
		case '"':
			closers = "\""
		}
		// A mark other than « glued to the word before it closes a
		// quotation that opened elsewhere (a nested one, or a stray mark:
		// "بموقع تويتر”: “…”"), so it opens none; glued to a one-letter
		// conjunction (و"من آذى …") it opens.
		if r != '«' && i > 0 && gluedToWord(text[:i]) {
			closers = ""
		}
		if closers == "" {
			i += size
			continue
		}
		end := -1
		if r == '«' {
			if i >= lineDone {
				closing, lineDone = matchGuillemets(text, i)
			}
			if e, ok := closing[i]; ok {
				end = e
			}
		}
		// The other marks do not nest: the next closer on the line closes.
		for j := i + size; r != '«' && j < len(text); {
			c, cs := utf8.DecodeRuneInString(text[j:])
			if c == '\n' {
				break
			}
			if strings.ContainsRune(closers, c) {
				end = j
				break
			}
			j += cs
		}
		if end < 0 {
			i += size
			continue
		}
		if r != '«' && countWords(text[i+size:end]) == 0 {
			// Marks with no word between them ("”: “") quote nothing: the
			// second may open the quotation that follows.
			i += size
			continue
		}
		_, cs := utf8.DecodeRuneInString(text[end:])
		out = append(out, quoteSpan{open: i, innerStart: i + size, innerEnd: end, close: end + cs})
		i = end + cs
	}
	return out
}

// gluedToWord reports text ending in a letter or digit that is not a
// one-letter word (و، ف، ب، ل، ك), or in a full stop, ! or ?.
func gluedToWord(text string) bool {
	p, size := utf8.DecodeLastRuneInString(text)
	if strings.ContainsRune(".!?؟", p) {
		return true // "زيارة ألمانيا.”": the end of a sentence quoted
	}
	if !unicode.IsLetter(p) && !unicode.IsDigit(p) {
		return false
	}
	q, _ := utf8.DecodeLastRuneInString(text[:len(text)-size])
	return !strings.ContainsRune("وفبلك", p) || unicode.IsLetter(q) || unicode.IsDigit(q)
}

// matchGuillemets pairs each « from offset i to the end of its line with
// the » that closes it, nested pairs counted, and returns the pairs and
// where the line ends.
func matchGuillemets(text string, i int) (map[int]int, int) {
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		end = len(text)
	} else {
		end += i
	}
	pairs := map[int]int{}
	var open []int
	for j := i; j < end; {
		c, cs := utf8.DecodeRuneInString(text[j:])
		switch c {
		case '«':
			open = append(open, j)
		case '»':
			if n := len(open); n > 0 {
				pairs[open[n-1]] = j
				open = open[:n-1]
			}
		}
		j += cs
	}
	return pairs, end
}

// startOf returns the start of the sentence holding offset i.
func startOf(ss []arabic.Span, i int) int {
	k := sort.Search(len(ss), func(k int) bool { return ss[k].Start > i })
	if k == 0 {
		return 0
	}
	return ss[k-1].Start
}

// How far before a quote its speaker, and the full form of a definite
// noun ("المصدر"), are looked for, in bytes: the 30 words the speaker
// search reads fit in maxBefore.
const (
	maxBefore   = 1000
	maxDefinite = 4000
)

// runeStart is i, or 0 when negative, moved back to the start of a rune.
func runeStart(s string, i int) int {
	if i <= 0 {
		return 0
	}
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

type word struct {
	start, end int
	norm       string
	// rootInitial: the word's leading و or ف is its first root letter,
	// not a conjunction (ودّعت "bade farewell", not و + دعت).
	rootInitial bool
	// taMarbuta: the word ends in ة, which Normalize writes ه but which
	// is no object pronoun (وإدانة is not و + أدان + ه).
	taMarbuta bool
}

// wordsOf returns the words of s (runs of letters and digits) with their
// offsets and normalized forms.
func wordsOf(s string) []word { return leadWords(s, -1) }

func newWord(s string, start, end int) word {
	raw := s[start:end]
	return word{start, end, arabic.Normalize(raw), geminateSecond(raw), strings.HasSuffix(strings.TrimRightFunc(raw, func(r rune) bool { return unicode.Is(unicode.Mn, r) }), "ة")}
}

// geminateSecond reports a word whose second letter bears a shadda after
// a leading و or ف. No verb stem opens with a doubled letter, so that و or
// ف is a root letter: ودّع (bade farewell), فكّر (thought).
func geminateSecond(raw string) bool {
	r, size := utf8.DecodeRuneInString(raw)
	if r != 'و' && r != 'ف' {
		return false
	}
	rest := strings.TrimLeftFunc(raw[size:], func(r rune) bool { return unicode.Is(unicode.Mn, r) })
	_, size = utf8.DecodeRuneInString(rest)
	if size == 0 {
		return false
	}
	for _, m := range rest[size:] {
		if m == '\u0651' {
			return true
		}
		if !unicode.Is(unicode.Mn, m) {
			break
		}
	}
	return false
}

// verb is the speech verb or participle w stands for (see verbForm); a
// word whose و or ف is a root letter is only itself.
func (w word) verb() string {
	if w.rootInitial {
		return w.norm
	}
	return verbForm(w.norm, !w.taMarbuta)
}

// verbForm strips from a normalized word a leading و or ف and, when
// pronoun, a trailing object pronoun (وصفته → وصفت), when that leaves a
// speech verb or participle.
func verbForm(w string, pronoun bool) string {
	known := func(x string) bool { return speechVerbs.Has(x) || speechParticiples.Has(x) }
	if known(w) {
		return w
	}
	for _, p := range []string{"", "و", "ف"} {
		rest, ok := strings.CutPrefix(w, p)
		if !ok || utf8.RuneCountInString(rest) < 2 {
			continue
		}
		if known(rest) {
			return rest
		}
		for _, suf := range []string{"ه", "ها", "هم", "نا"} {
			if stem, ok := strings.CutSuffix(rest, suf); pronoun && ok && utf8.RuneCountInString(stem) >= 2 && speechVerbs.Has(stem) {
				return stem
			}
		}
	}
	return w
}

func countWords(s string) int { return len(wordsOf(s)) }

// leadWords is the first n words of s (all of them when n < 0), read no
// further.
func leadWords(s string, n int) []word {
	var out []word
	start := -1
	for i, r := range s {
		isW := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 'ـ'
		if isW && start < 0 {
			start = i
		} else if !isW && start >= 0 {
			if out = append(out, newWord(s, start, i)); len(out) == n {
				return out
			}
			start = -1
		}
	}
	if start >= 0 && (n < 0 || len(out) < n) {
		out = append(out, newWord(s, start, len(s)))
	}
	return out
}

// startsWithPunct reports a span that begins with punctuation: the inside
// of two quotations, not one.
func startsWithPunct(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsPunct(r) && r != '(' && r != '«'
}

// followedByColonQuote reports a quoted name followed by a colon and a
// quotation: «إيه بي سي»: «…».
func followedByColonQuote(after string) bool {
	after = strings.TrimLeft(after, " ")
	rest, ok := strings.CutPrefix(after, ":")
	if !ok {
		return false
	}
	rest = strings.TrimLeft(rest, " ")
	return strings.HasPrefix(rest, "«") || strings.HasPrefix(rest, "\"") || strings.HasPrefix(rest, "“")
}

// introduced reports whether a short quotation follows an introducer: a
// colon, a speech verb, أن or قوله.
func introduced(before string, words []word) bool {
	b := strings.TrimRightFunc(before, unicode.IsSpace)
	if strings.HasSuffix(b, ":") || strings.HasSuffix(b, "،") && len(words) > 0 && speechParticiples.Has(words[len(words)-1].verb()) {
		return true
	}
	if len(words) == 0 || words[len(words)-1].end < len(b) {
		return false
	}
	w, v := words[len(words)-1].norm, words[len(words)-1].verb()
	return introducers.Has(w) || speechVerbs.Has(v) || speechParticiples.Has(v) || sayingNouns.Has(w) || statementNouns.Has(w)
}

// isNameContext reports whether the text just before a quote makes it a
// name: لـ or ل glued to it, or a word such as صحيفة or وكالة.
func isNameContext(before string) bool {
	if strings.HasSuffix(before, "لـ") || strings.HasSuffix(before, "بـ") {
		return true
	}
	ws := wordsOf(before)
	if len(ws) == 0 {
		return false
	}
	last := ws[len(ws)-1]
	if last.end == len(before) && (last.norm == "ل" || last.norm == "ب" || last.norm == "و" && len(ws) > 1 && isNameWord(ws[len(ws)-2].norm)) {
		return true
	}
	if strings.TrimRightFunc(before[last.end:], unicode.IsSpace) != "" {
		return false // punctuation between the word and the quote
	}
	return isNameWord(last.norm)
}

func isNameWord(w string) bool {
	if nameContexts.Has(w) || w == "مع" {
		// With someone: "تواصلت مع «حديقة فقيه أكواريوم»".
		return true
	}
	if rest, ok := strings.CutPrefix(w, "ال"); ok && nameContexts.Has(rest) {
		return true
	}
	for _, p := range []string{"و", "ب", "ل", "ف"} {
		if rest, ok := strings.CutPrefix(w, p); ok && (nameContexts.Has(rest) || nameContexts.Has(strings.TrimPrefix(rest, "ال"))) {
			return true
		}
	}
	return false
}

// maxSpeakerWords bounds a speaker named without a known entity.
const maxSpeakerWords = 6

// isObjectWord reports a word that cannot start or continue a name: one
// with ل or لل before it and an object pronoun after (لنظرائها).
func isObjectWord(raw, norm string) bool {
	if strings.HasPrefix(raw, "لـ") || strings.HasPrefix(norm, "لل") {
		return true
	}
	if strings.HasPrefix(norm, "ل") {
		for _, suf := range []string{"ها", "هم", "ه", "كم", "نا"} {
			if strings.HasSuffix(norm, suf) && utf8.RuneCountInString(norm) > 4 {
				return true
			}
		}
	}
	return false
}

// prepositional reports a word that is a preposition's phrase: ب or ك
// glued to the article (بالكارثية) or written with a tatweel (بـ). No
// subject opens with one.
func prepositional(raw, norm string) bool {
	return strings.HasPrefix(raw, "بـ") || strings.HasPrefix(raw, "كـ") ||
		(strings.HasPrefix(norm, "بال") || strings.HasPrefix(norm, "كال")) && utf8.RuneCountInString(norm) > 5
}

// speakerAfter is the speaker named right after a speech verb: the words
// up to a preposition, "أن", a comma or a colon (at most maxSpeakerWords),
// or the entity mentioned there. A described speaker (مصدر عسكري) keeps its
// description, a named one loses the position after the name.
func speakerAfter(s string, ents []model.Entity) string {
	s = skipOutlet(s)
	if name := appositive(s, ents); name != "" {
		return name
	}
	if name := quotedName(s); name != "" {
		return name
	}
	if name := personAfterRole(s, ents); name != "" {
		return name
	}
	if i := strings.IndexAny(s, ":،,؛.\n«\"“”("); i >= 0 {
		s = s[:i]
	}
	ws := wordsOf(s)
	if len(ws) > 0 && selfRefs.Has(ws[0].norm) {
		return ""
	}
	isGeneric := len(ws) > 0 && generic.Has(ws[0].norm)
	n := 0
	for n < len(ws) && n < maxSpeakerWords+2 {
		w := ws[n].norm
		if accusative(s[ws[n].start:ws[n].end], w) {
			// "وأضاف مستهجناً:" says how, not who; "تصف الصحيفة شيئا من
			// سر الراحل": the object follows the subject.
			break
		}
		if n == 0 && w == "بيان" && len(ws) > 1 {
			n++ // "قال بيان الرئاسة": the statement, and whose it is
			continue
		}
		if isObjectWord(s[ws[n].start:ws[n].end], w) || reflexives.Has(w) || objectNoun(w) {
			break
		}
		if n == 0 && prepositional(s[ws[n].start:ws[n].end], w) {
			break // "وصفها بالكارثية", "طالب بالإفراج": not a subject
		}
		if n > 0 && speechVerbs.Has(ws[n].verb()) {
			break // the next clause: "مغرد يصف نفسه …"
		}
		// علي is a name; على, which normalizes the same, is not.
		if isStop(s[ws[n].start:ws[n].end], w) {
			// A described speaker goes on: "مسؤول كبير من حزب الشعب".
			if !(isGeneric && (w == "من" || w == "في") && n+1 < len(ws)) {
				break
			}
		}
		if n > 0 && !isGeneric && roles.Has(w) && n >= 2 {
			break
		}
		n++
	}
	if n == 0 {
		return ""
	}
	if !isGeneric {
		// The name of a person or body in the words read wins, even past
		// the bound: "إمام وخطيب المسجد الحرام الدكتور سعود الشريم".
		if e := entityIn(s[ws[0].start:ws[n-1].end], ents); e != "" {
			return e
		}
		n = min(n, maxSpeakerWords)
	}
	for n > 1 && isStop(s[ws[n-1].start:ws[n-1].end], ws[n-1].norm) {
		n-- // "مصدر مطلع في تصريح": the description ends before في
	}
	return strings.TrimSpace(s[ws[0].start:ws[n-1].end])
}

// accusative reports an indefinite word in the accusative, which a
// subject never is: its tanween written (مستهجناً), or its alef after a
// hamza seat (شيئا، جزءا).
func accusative(raw, norm string) bool {
	return strings.ContainsRune(raw, '\u064B') || strings.HasSuffix(norm, "ئا") || strings.HasSuffix(norm, "ءا")
}

// quotedVia is the speaker named after "عن" in what follows نقل: "وكالة
// الأنباء عن الوزير". It is "" when no عن comes before the quotation.
func quotedVia(s string, ents []model.Entity) string {
	if j := strings.IndexAny(s, ":.\n«\"“”"); j >= 0 {
		s = s[:j]
	}
	for _, w := range wordsOf(s) {
		if w.norm == "عن" {
			return speakerAfter(s[w.end:], ents)
		}
	}
	return ""
}

// skipOutlet skips, at the start of s, the outlet a speaker talked to:
// "وأكد لـ«الاقتصادية» مصدر خاص" names the speaker after it.
func skipOutlet(s string) string {
	t := strings.TrimLeft(s, " ")
	rest, ok := strings.CutPrefix(t, "لـ")
	if !ok {
		rest, ok = strings.CutPrefix(t, "ل")
	}
	if !ok {
		return s
	}
	rest = strings.TrimLeft(rest, " ")
	r, size := utf8.DecodeRuneInString(rest)
	closers := map[rune]string{'«': "»", '"': "\"", '“': "”“", '”': "”“"}[r]
	if closers == "" {
		return s
	}
	end := strings.IndexAny(rest[size:], closers+"\n")
	if end < 0 || rest[size+end] == '\n' {
		return s
	}
	_, cs := utf8.DecodeRuneInString(rest[size+end:])
	return rest[size+end+cs:]
}

// maxQuotedName bounds a speaker written in quotation marks.
const maxQuotedName = 4

// quotedName is a speaker written in quotation marks right after the
// verb, "وأكد «الأزهر» في بيان", when a preposition, a comma, a colon or
// أن follows it (else the marks open the quotation itself).
func quotedName(s string) string {
	name, rest := leadingQuoted(s)
	if name == "" {
		return ""
	}
	if strings.HasPrefix(rest, "،") || strings.HasPrefix(rest, ",") || strings.HasPrefix(rest, ":") {
		return name // وقال "البرقان": "…"
	}
	rw := wordsOf(rest)
	if len(rw) == 0 || rw[0].start != 0 || !isStop(rest[rw[0].start:rw[0].end], rw[0].norm) {
		return ""
	}
	return name
}

// leadingQuoted is the name in quotation marks that opens s (at most
// maxQuotedName words, no punctuation), and the text after its marks.
func leadingQuoted(s string) (name, rest string) {
	t := strings.TrimLeft(s, " ")
	r, size := utf8.DecodeRuneInString(t)
	closers := map[rune]string{'«': "»", '"': "\"", '“': "”“"}[r]
	if closers == "" {
		return "", ""
	}
	end := strings.IndexAny(t[size:], closers+"\n")
	if end < 0 || t[size+end] == '\n' {
		return "", ""
	}
	name = strings.TrimSpace(t[size : size+end])
	if n := countWords(name); n == 0 || n > maxQuotedName || strings.ContainsAny(name, ".،,:؛") {
		return "", ""
	}
	_, cs := utf8.DecodeRuneInString(t[size+end:])
	return name, strings.TrimLeft(t[size+end+cs:], " ")
}

// maxRoleWords bounds how far after a position its holder's name may come:
// "وقال المدير الطبي للعيادات التخصصية السعودية الدكتور محمد الزعبي إن".
const maxRoleWords = 10

// personAfterRole is the person of ents named after a position that
// opens s, before a comma, أن or إن, within maxRoleWords words.
func personAfterRole(s string, ents []model.Entity) string {
	if j := strings.IndexAny(s, ":،,؛.\n«\"“”("); j >= 0 {
		s = s[:j]
	}
	ws := wordsOf(s)
	i := 0
	for i < len(ws) && honorifics.Has(ws[i].norm) {
		i++
	}
	if i >= len(ws) || !roles.Has(ws[i].norm) {
		return ""
	}
	end := len(s)
	for k := i + 1; k < len(ws) && k <= i+maxRoleWords; k++ {
		if ws[k].start >= end {
			break
		}
		if introducers.Has(ws[k].norm) {
			end = ws[k].start
			break
		}
	}
	if k := min(len(ws), i+maxRoleWords+1); k < len(ws) && ws[k].start < end {
		end = ws[k].start
	}
	return firstOfType(s[:end], ents, model.EntityPerson)
}

// maxAppositiveWords bounds a name given after a position and a comma.
const maxAppositiveWords = 4

// appositive is the name that follows a position and a comma right
// before the quotation: "وقالت رئيسة الكتلة البرلمانية لحزب اليسار،
// زارا فاجنكنشت: «…»". It is "" for any other speaker.
func appositive(s string, ents []model.Entity) string {
	comma := strings.IndexAny(s, "،,")
	if comma < 0 {
		return ""
	}
	head := s[:comma]
	if strings.ContainsAny(head, ":؛.\n«\"“”(") {
		return ""
	}
	hw := wordsOf(head)
	for len(hw) > 0 && honorifics.Has(hw[0].norm) {
		hw = hw[1:]
	}
	if len(hw) < 2 || !roles.Has(hw[0].norm) && !definiteReferent(hw[0].norm) {
		return ""
	}
	for _, w := range hw {
		if introducers.Has(w.norm) || speechVerbs.Has(w.verb()) {
			return "" // more than a position: "الشيخ فلان إن الأمة …،"
		}
	}
	_, size := utf8.DecodeRuneInString(s[comma:])
	tail := s[comma+size:]
	end := strings.IndexAny(tail, ":«\"“")
	if c := strings.IndexAny(tail, "،,"); c >= 0 && (end < 0 || c < end) {
		// The name between two commas: "وأوضح المتحدث الإعلامي لصحة
		// المنطقة، أسعد سعود، أن …".
		end = c
	}
	if end < 0 || strings.ContainsAny(tail[:end], "،,؛.\n(") {
		return ""
	}
	name := strings.TrimSpace(tail[:end])
	nw := wordsOf(name)
	if len(nw) == 0 || len(nw) > maxAppositiveWords {
		return ""
	}
	for _, w := range nw {
		if isStop(name[w.start:w.end], w.norm) || roles.Has(w.norm) || speechVerbs.Has(w.verb()) {
			return ""
		}
	}
	if e := entityIn(name, ents); e != "" {
		return e
	}
	return name
}

// sayingReach is how many words before قوله its "عن" may stand.
const sayingReach = 12

// sayingSubject is the name before "قوله": after the last عن, else the
// words just before.
func sayingSubject(s string, ents []model.Entity) string {
	ws := wordsOf(s)
	// "عن ماجوميد دينييف من وزارة الداخلية الشيشانية في جروزني قوله":
	// the one named after عن, whatever describes him before قوله.
	for i := len(ws) - 1; i >= max(0, len(ws)-sayingReach); i-- {
		if ws[i].norm != "عن" {
			continue
		}
		if i < len(ws)-4 {
			if who := speakerAfter(s[ws[i].end:], ents); who != "" {
				return who
			}
		}
		break
	}
	from := max(0, len(ws)-4)
	for i := len(ws) - 1; i >= from; i-- {
		if ws[i].norm == "عن" {
			from = i + 1
			break
		}
	}
	if from >= len(ws) {
		return ""
	}
	if from == max(0, len(ws)-4) && (from >= len(ws) || ws[max(0, from-1)].norm != "عن") {
		return "" // no "عن X": the speaker named before
	}
	phrase := s[ws[from].start:ws[len(ws)-1].end]
	if e := entityIn(phrase, ents); e != "" {
		return e
	}
	return phrase
}

// subjectJustBefore is the name that s ends with (at most four words,
// no function word, speech verb or punctuation among them): the subject
// of the verb before "بقوله". "" when s ends otherwise ("على ذلك").
func subjectJustBefore(s string, ents []model.Entity) string {
	ws := wordsOf(s)
	if len(ws) == 0 || strings.TrimSpace(s[ws[len(ws)-1].end:]) != "" {
		return ""
	}
	i := trailingRun(s, ws, 4, func(w word) bool {
		return functionWord(s[w.start:w.end], w.norm) || speechVerbs.Has(w.verb())
	})
	if i == len(ws) {
		return ""
	}
	phrase := s[ws[i].start:ws[len(ws)-1].end]
	if e := entityIn(phrase, ents); e != "" {
		return e
	}
	return phrase
}

// functionWord reports a particle, a pronoun or another function word
// (arabic.IsStopWord, or stopSpeaker read as isStop reads it).
func functionWord(raw, norm string) bool {
	if stopSpeaker.Has(norm) {
		return isStop(raw, norm)
	}
	return raw != "علي" && arabic.IsStopWord(norm)
}

// sentenceSubject is the speaker of a participle ("… مؤكدا"): the first
// person or organisation named in the sentence before it, else the
// words after the sentence's first verb.
func sentenceSubject(s string, ents []model.Entity) string {
	if p := firstOfType(s, ents, model.EntityPerson); p != "" {
		return p
	}
	ws := wordsOf(s)
	if len(ws) > 0 && speechParticiples.Has(ws[0].verb()) {
		return "" // "مؤكدا …، قائلا:" opens its sentence: the last speaker's
	}
	for i, w := range ws {
		if i > 3 {
			break
		}
		if w.norm == "ثم" || w.norm == "كما" || w.norm == "قد" || w.norm == "وقد" {
			continue
		}
		sp := speakerAfter(s[w.end:], ents)
		// Drop an object after the name: "وجه بهتشلي كلماته".
		if f := strings.Fields(sp); len(f) > 1 {
			lastW := arabic.Normalize(f[len(f)-1])
			if strings.HasSuffix(lastW, "ته") || strings.HasSuffix(lastW, "اته") {
				sp = strings.Join(f[:len(f)-1], " ")
			}
		}
		if sp != "" {
			return sp
		}
		break
	}
	return firstOfType(s, ents, model.EntityOrg)
}

// subjectFirst is the subject of a sentence that names its speaker
// before the verb, by a position or a description: "استشاري أمراض القلب
// بمستشفى ساوثهامبتون … قال «…»". s is the sentence up to the verb; it is
// "" when s opens otherwise.
func subjectFirst(s string, ents []model.Entity) string {
	// "وكانت قوات الدفاع الشعبي، الجناح العسكري …، دانت": كان only
	// carries the tense.
	if ws := leadWords(s, 2); len(ws) > 1 && auxiliaries.Has(ws[0].norm) {
		s = s[ws[1].start:]
	}
	if name := nameThenRole(s, ents); name != "" {
		return name
	}
	ws := leadWords(s, 6)
	i := 0
	for i < len(ws) && honorifics.Has(ws[i].norm) {
		i++
	}
	if i >= len(ws) || !roles.Has(ws[i].norm) && !generic.Has(ws[i].norm) {
		return ""
	}
	return speakerAfter(s[ws[0].start:], ents)
}

// auxiliaries open a sentence whose subject comes after them.
var auxiliaries = normSet("كان", "كانت", "وكان", "وكانت", "فكان", "فكانت")

// nameThenRole is the name that opens s when a position or another
// description follows it between commas, right before the verb: "مهاب
// مميش، رئيس هيئة القناة، قال …", "قوات الدفاع الشعبي، الجناح العسكري
// لحزب العمال، دانت …".
func nameThenRole(s string, ents []model.Entity) string {
	comma := strings.IndexAny(s, "،,")
	if comma < 0 {
		return ""
	}
	name := strings.TrimSpace(s[:comma])
	nw := leadWords(name, maxAppositiveWords+1)
	if len(nw) == 0 || len(nw) > maxAppositiveWords || strings.ContainsAny(name, ".:؛\n«\"“”(") {
		return ""
	}
	for _, w := range nw {
		if functionWord(name[w.start:w.end], w.norm) || roles.Has(w.norm) || speechVerbs.Has(w.verb()) {
			return ""
		}
	}
	_, size := utf8.DecodeRuneInString(s[comma:])
	rw := leadWords(s[comma+size:], 4)
	i := 0
	for i < len(rw) && honorifics.Has(rw[i].norm) {
		i++
	}
	if i >= len(rw) || !roles.Has(rw[i].norm) && !strings.HasPrefix(rw[i].norm, "ال") {
		return ""
	}
	// The description ends with a comma right before the verb.
	last := strings.LastIndexAny(s, "،,")
	if tail := strings.TrimSpace(s[last:]); last <= comma || tail != "،" && tail != "," {
		return ""
	}
	if e := entityIn(name, ents); e != "" {
		return e
	}
	return name
}

// firstPerson is the first person (else organisation) of ents mentioned
// in s.
func firstPerson(s string, ents []model.Entity) string {
	if p := firstOfType(s, ents, model.EntityPerson); p != "" {
		return p
	}
	return firstOfType(s, ents, model.EntityOrg)
}

// indexWord is the offset of the first m in s that stands as whole words
// (no letter glued after it, none before it but a proclitic: وبوتين,
// المنظمة), or -1: the mention رافت is not in كرافت.
func indexWord(s, m string) int {
	for off := 0; m != ""; {
		i := strings.Index(s[off:], m)
		if i < 0 {
			return -1
		}
		i += off
		n, _ := utf8.DecodeRuneInString(s[i+len(m):])
		if proclitics[gluedBefore(s[:i])] && (i+len(m) == len(s) || !unicode.IsLetter(n) && !unicode.Is(unicode.Mn, n)) {
			return i
		}
		off = i + 1
		for off < len(s) && !utf8.RuneStart(s[off]) {
			off++
		}
	}
	return -1
}

// proclitics may be glued before a name: conjunctions, prepositions and
// the article (ك, "as", is left out: a name's first letter more often).
var proclitics = func() map[string]bool {
	m := map[string]bool{"": true}
	for _, p := range []string{"و", "ف", "ب", "ل", "ال", "وال", "فال", "بال", "لل", "ولل", "فلل", "وب", "ول", "فب", "فل", "وبال", "فبال"} {
		m[p] = true
	}
	return m
}()

// gluedBefore is the run of letters at the end of s (what is glued to a
// word that follows it).
func gluedBefore(s string) string {
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			break
		}
		i -= size
	}
	return arabic.Normalize(s[i:])
}

// endsWithWord reports s ending in m with no letter glued before it.
func endsWithWord(s, m string) bool {
	if m == "" || !strings.HasSuffix(s, m) {
		return false
	}
	p, _ := utf8.DecodeLastRuneInString(s[:len(s)-len(m)])
	return len(s) == len(m) || !unicode.IsLetter(p) && !unicode.Is(unicode.Mn, p)
}

// firstOfType is the first entity of type typ mentioned in s.
func firstOfType(s string, ents []model.Entity, typ string) string {
	best, at := "", len(s)+1
	for _, e := range ents {
		if e.Type != typ {
			continue
		}
		for _, m := range append([]string{e.Name}, e.Mentions...) {
			if i := indexWord(s, m); m != "" && i >= 0 && i < at {
				best, at = e.Name, i
			}
		}
	}
	return best
}

// honorifics may stand before a position: "سمو رئيس الوزراء".
var honorifics = normSet("سمو", "معالي", "سماحة", "فضيلة", "جلالة", "فخامة", "سعادة", "دولة", "صاحب")

// resolveRole names the person a position stands for: a speaker given as
// a position only ("رئيس الوزراء البريطاني") is the person the text names
// right before or after that position ("رئيس الوزراء البريطاني ديفيد
// كاميرون"). Other speakers are returned as they are.
func resolveRole(text, speaker string, ents []model.Entity) string {
	ws := wordsOf(speaker)
	for len(ws) > 0 && honorifics.Has(ws[0].norm) {
		ws = ws[1:]
	}
	if len(ws) < 2 || !roles.Has(ws[0].norm) {
		return speaker
	}
	role := speaker[ws[0].start:ws[len(ws)-1].end]
	if who := holderOf(text, role, nil, ents); who != "" {
		return who
	}
	if len(ws) < 3 {
		return speaker
	}
	// The position and what it heads, written with the place in other
	// words: "رئيس الوزراء البحريني" is "رئيس الوزراء بمملكة البحرين".
	var stems []string
	for _, w := range ws[2:] {
		st := nisbaStem(w.norm)
		if utf8.RuneCountInString(st) < 3 {
			return speaker
		}
		stems = append(stems, st)
	}
	if who := holderOf(text, speaker[ws[0].start:ws[1].end], stems, ents); who != "" {
		return who
	}
	return speaker
}

// holderOf is the person of ents named right before or after a mention
// of role in text whose next words hold each of stems; "" when none.
func holderOf(text, role string, stems []string, ents []model.Entity) string {
	for off := 0; ; {
		i := strings.Index(text[off:], role)
		if i < 0 {
			return ""
		}
		i += off
		off = i + len(role)
		if len(stems) > 0 {
			end := len(text)
			if off+nisbaReach < end {
				end = runeStart(text, off+nisbaReach)
			}
			next := arabic.Normalize(text[off:end])
			if !allIn(next, stems) {
				continue
			}
		}
		for _, e := range ents {
			if e.Type != model.EntityPerson {
				continue
			}
			for _, m := range append([]string{e.Name}, e.Mentions...) {
				if m == "" {
					continue
				}
				b := strings.TrimRight(text[:i], " ،,")
				a := strings.TrimLeft(text[off:], " ،,")
				if endsWithWord(b, m) || indexWord(a, m) == 0 {
					return e.Name
				}
			}
		}
	}
}

// nisbaReach is how far after a position, in bytes, the place its
// adjective names is looked for.
const nisbaReach = 60

func allIn(s string, subs []string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}

// nisbaStem is a normalized word without its article and the ending of a
// relative adjective: البحريني → بحرين, الفرنسية → فرنس.
func nisbaStem(norm string) string {
	w := strings.TrimPrefix(norm, "ال")
	for _, suf := range []string{"يه", "ي"} {
		if st, ok := strings.CutSuffix(w, suf); ok {
			return st
		}
	}
	return w
}

// listHeads before a colon open a list, not a quotation: "منها: «…»".
var listHeads = normSet("منها", "منه", "يلي", "التالي", "التالية", "وهي", "هي", "فهي", "وهما", "أبرزها", "أهمها", "وأبرزها",
	// "تتلخص رؤيتها في: «…»": what the preposition governs, not speech.
	"في")

// opensList reports a quote that follows "منها:" and the like.
func opensList(before string, words []word) bool {
	if !strings.HasSuffix(strings.TrimRightFunc(before, unicode.IsSpace), ":") || len(words) == 0 {
		return false
	}
	return listHeads.Has(words[len(words)-1].norm)
}

// entityIn is the canonical name of the person (else organisation) of
// ents mentioned in phrase, the longest mention winning.
func entityIn(phrase string, ents []model.Entity) string {
	best, bestLen, bestPers := "", 0, false
	for _, e := range ents {
		if e.Type != model.EntityPerson && e.Type != model.EntityOrg {
			continue
		}
		pers := e.Type == model.EntityPerson
		for _, m := range append([]string{e.Name}, e.Mentions...) {
			if m == "" || indexWord(phrase, m) < 0 {
				continue
			}
			if pers && !bestPers || pers == bestPers && len(m) > bestLen {
				best, bestLen, bestPers = e.Name, len(m), pers
			}
		}
	}
	return best
}

// referents are the nouns a text names once in full ("مصدر عسكري موال
// لهادي", "صحيفة غارديان") and then by the noun alone ("المصدر").
var referents = normSet("مصدر", "مسؤول", "متحدث", "ناطق", "صحيفة", "وكالة", "وزارة", "منظمة", "شركة", "هيئة",
	"لجنة", "حكومة", "سفارة", "رئاسة", "مسؤولة", "مجلة", "قناة", "جمعية", "مؤسسة", "محكمة", "شرطة", "بيان", "كاتب")

// definiteReferent reports a referent noun with the article: الشركة،
// الوكالة (as in "الشركة الاستشارية، كابيتال إيكونوميكس،").
func definiteReferent(norm string) bool {
	noun, ok := strings.CutPrefix(norm, "ال")
	return ok && referents.Has(noun)
}

// resolveDefinite names what a bare definite noun stands for: "المصدر"
// after "مصدر عسكري موال لهادي" is that source. before is the text before
// the quotation.
func resolveDefinite(before, speaker string) string {
	ws := wordsOf(speaker)
	if len(ws) > 1 && len(ws) <= 3 && definiteReferent(ws[0].norm) {
		// "الشركة الاستشارية، كابيتال إيكونوميكس، …" named the body the
		// description stands for.
		for b := before; ; {
			i := strings.LastIndex(b, speaker)
			if i < 0 {
				return speaker
			}
			if name := appositive(b[i:], nil); name != "" {
				return name
			}
			b = b[:i]
		}
	}
	if len(ws) != 1 {
		return speaker
	}
	noun, ok := strings.CutPrefix(ws[0].norm, "ال")
	if !ok || !referents.Has(noun) {
		return speaker
	}
	bw := wordsOf(before)
	for i := len(bw) - 2; i >= 0; i-- {
		w := bw[i].norm
		// The noun alone or with a clitic (و، ل، ب), or once more with the
		// article (الكاتب، للكاتب).
		for _, p := range []string{"", "و", "ل", "ب", "ال", "وال", "بال", "لل"} {
			x, ok := strings.CutPrefix(w, p)
			if !ok || x != noun {
				continue
			}
			// The noun and the words that describe it: "مصدر عسكري"; with
			// the article, only a description of two words or more
			// ("الكاتب الصحفي فلان", not "المصدر نفسه").
			definite := strings.HasSuffix(p, "ال") || p == "لل"
			if name, _ := leadingQuoted(before[bw[i].end:]); name != "" && !definite {
				return name // صحيفة "نيويورك تايمز" … الصحيفة
			}
			desc := speakerAfter(before[bw[i].end:], nil)
			if desc == "" || definite && len(wordsOf(desc)) < 2 {
				continue
			}
			raw := before[bw[i].start:bw[i].end]
			if !strings.HasPrefix(raw, p) {
				return speaker // the written word differs from its normal form
			}
			if raw = raw[len(p):]; definite {
				raw = "ال" + raw
			}
			return raw + " " + desc
		}
	}
	return speaker
}
