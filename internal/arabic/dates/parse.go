package dates

import (
	"strings"
	"time"
)

type parser struct {
	toks []tok
	opts Options
}

// parts is a date being assembled from tokens.
type parts struct {
	y, m, d      int
	hasY, hasD   bool
	hijri        bool // y/m/d are Hijri (Umm al-Qura)
	solar        bool // y/m/d are Solar Hijri (Persian pages)
	numeric      bool // written with digits only: a Hijri marker may still follow
	twoDigitYear bool
	partialDay   int // 1, 15 or -1 (last day) for "مطلع/منتصف/نهاية"; month precision
	rel          int // without a year: relPast "الماضي", relNext "المقبل", relCurrent "الجاري"

	hasTime        bool
	hh, mi, ss, ns int
	timePrec       Precision

	zone *time.Location
}

// Small look-ups over the token slice; out-of-range indexes are "nothing".

func (p *parser) word(i int) string {
	if i >= 0 && i < len(p.toks) && p.toks[i].kind == tWord {
		return p.toks[i].s
	}
	return ""
}

func (p *parser) num(i int) (n, digits int, ok bool) {
	if i >= 0 && i < len(p.toks) && p.toks[i].kind == tNum && p.toks[i].n >= 0 {
		return p.toks[i].n, p.toks[i].nd, true
	}
	return 0, 0, false
}

func (p *parser) punct(i int, set string) bool {
	return i >= 0 && i < len(p.toks) && p.toks[i].kind == tPunct && strings.Contains(set, p.toks[i].s)
}

// glued reports that token i follows token i-1 without whitespace.
func (p *parser) glued(i int) bool {
	return i > 0 && i < len(p.toks) && !p.toks[i].space
}

// isWord reports whether token i is one of the words (normalized).
func (p *parser) isWord(i int, words ...string) bool {
	w := p.word(i)
	if w == "" {
		return false
	}
	for _, x := range words {
		if w == x {
			return true
		}
	}
	return false
}

// clitics that may be glued to a month or day word: و ب ل ف and pairs.
var clitics = []string{"و", "ب", "ل", "ف", "وب", "ول", "فب", "فل"}

// lookup finds a one- or two-token name from table at token i, also with a
// clitic glued to the first word, and returns its value and the next index.
func (p *parser) lookup(table nameTable, i int) (int, int, bool) {
	w := p.word(i)
	if w == "" {
		return 0, i, false
	}
	try := func(first string) (int, int, bool) {
		if table.firsts[first] && i+1 < len(p.toks) && p.toks[i+1].kind != tPunct {
			if v, ok := table.names[first+" "+p.toks[i+1].s]; ok {
				return v, i + 2, true
			}
		}
		if v, ok := table.names[first]; ok {
			return v, i + 1, true
		}
		return 0, i, false
	}
	if v, n, ok := try(w); ok {
		return v, n, ok
	}
	for _, c := range clitics {
		if len(w) > len(c)+2 && strings.HasPrefix(w, c) {
			if v, n, ok := try(w[len(c):]); ok {
				return v, n, ok
			}
		}
	}
	return 0, i, false
}

// matchAt recognises the longest expression starting at token i.
func (p *parser) matchAt(i int) (found, bool) {
	if p.opts.Absolute {
		return p.absoluteAt(i)
	}
	t := p.toks[i]
	switch t.kind {
	case tNum:
		if f, ok := p.dateExpr(i, i); ok {
			return f, true
		}
		if f, ok := p.timeFirst(i, i); ok {
			return f, true
		}
		if f, ok := p.relative(i, i, false); ok {
			return f, true
		}
	case tWord:
		w := t.s
		if wd, k, ok := p.lookup(weekdays, i); ok {
			if f, ok := p.relativeWeekday(i, wd, k); ok {
				return f, true
			}
			k = p.skipSeps(k)
			if f, ok := p.dateExpr(i, k); ok {
				return f, true
			}
			if f, ok := p.timeFirst(i, k); ok {
				return f, true
			}
			if f, ok := p.dayWord(i, k); ok {
				return f, true
			}
			return found{}, false
		}
		if f, ok := p.dateExpr(i, i); ok {
			return f, true
		}
		switch w {
		case "منذ", "قبل", "مند", "since":
			return p.relative(i, i+1, true)
		case "الساعه", "ساعه", "at", "في", "عند":
			if f, ok := p.timeFirst(i, i+1); ok {
				return f, true
			}
		}
		if f, ok := p.dayWord(i, i); ok {
			return f, true
		}
		if f, ok := p.lastPeriod(i); ok {
			return f, true
		}
		if f, ok := p.relative(i, i, false); ok {
			return f, true
		}
	}
	return found{}, false
}

// absoluteAt recognises a date that states its day, month and year at
// token i, after a weekday name or before a time if there is one
// (Options.Absolute).
func (p *parser) absoluteAt(i int) (found, bool) {
	k := i
	if _, next, ok := p.lookup(weekdays, i); ok && p.toks[i].kind == tWord {
		k = p.skipSeps(next)
	}
	if f, ok := p.dateExpr(i, k); ok && (f.invalid || f.full) {
		return f, true
	}
	if p.isWord(k, "الساعه", "ساعه", "at", "في", "عند") {
		k++
	}
	if f, ok := p.timeFirst(i, k); ok && f.full {
		return f, true
	}
	// A day without a year, a month without a day or a time alone needs
	// Now: no date here, but one may start inside it ("Jul 28, 2026").
	return found{}, false
}

// skipSeps skips commas, dashes and similar marks between parts.
func (p *parser) skipSeps(k int) int {
	for n := 0; n < 3 && p.punct(k, ",-|•·;"); n++ {
		k++
	}
	return k
}

// dateExpr reads a calendar date at token k (the expression starts at start),
// then its tail: era marker, a second calendar, time and zone.
func (p *parser) dateExpr(start, k int) (found, bool) {
	d, next, ok := p.dateAt(k)
	if !ok {
		return found{}, false
	}
	if d.hijri && !d.hasD && !d.hasY && d.partialDay == 0 {
		return found{}, false // "صفر" and "رمضان" alone are words, not dates
	}
	next = p.tail(&d, next)
	res, ok := p.resolve(d)
	if !ok {
		// "31 فبراير 2024" is no date, and "فبراير 2024" inside it is not one
		// either: the caller skips the whole expression.
		return found{start: start, end: next, invalid: true}, true
	}
	return found{start: start, end: next, res: res, weak: d.weakDate(), full: d.hasY && d.hasD}, true
}

// weakDate: a bare month name is a date only on a date line.
func (d *parts) weakDate() bool {
	return !d.hasY && !d.hasD && d.partialDay == 0 && !d.hasTime && d.rel == 0
}

const (
	relPast = iota + 1
	relNext
	relCurrent
)

// monthModifier reads "الماضي", "المقبل", "الجاري" after a month without a
// year.
func (p *parser) monthModifier(d *parts, j int) int {
	if d.hasY {
		return j
	}
	switch p.word(j) {
	case "الماضي", "المنصرم", "الفائت", "السابق", "last":
		d.rel = relPast
	case "المقبل", "القادم", "next":
		d.rel = relNext
	case "الجاري", "الحالي", "this":
		d.rel = relCurrent
	default:
		return j
	}
	return j + 1
}

// yearFor picks the year of month m when the text names none: the most recent
// such month at or before the current one, or as the modifier says.
func yearFor(rel, m, day, curY, curM, curD int) int {
	switch rel {
	case relPast:
		if m < curM {
			return curY
		}
		return curY - 1
	case relNext:
		if m > curM {
			return curY
		}
		return curY + 1
	case relCurrent:
		return curY
	}
	if m < curM || m == curM && day <= curD {
		return curY
	}
	return curY - 1
}

// dateAt reads the date part of an expression at token k.
func (p *parser) dateAt(k int) (parts, int, bool) {
	if d, n, ok := p.numericDate(k); ok {
		return d, n, true
	}
	if d, n, ok := p.dayMonth(k); ok {
		return d, n, true
	}
	if d, n, ok := p.monthFirst(k); ok {
		return d, n, true
	}
	if d, n, ok := p.partialMonth(k); ok {
		return d, n, true
	}
	return parts{}, k, false
}

// numericDate reads D/M/Y, Y/M/D (also with - or .) and their two-digit-year
// forms.
func (p *parser) numericDate(k int) (parts, int, bool) {
	a, da, ok1 := p.num(k)
	if !ok1 || !p.punct(k+1, "/-.") {
		return parts{}, k, false
	}
	sep := p.toks[k+1].s
	b, db, ok2 := p.num(k + 2)
	if !ok2 || !p.punct(k+3, sep) {
		return parts{}, k, false
	}
	c, dc, ok3 := p.num(k + 4)
	if !ok3 || db > 2 {
		return parts{}, k, false
	}
	// Some sites print the time glued to the year: "9/9/202410:47".
	glued := dc == 6 && da <= 2 && p.punct(k+5, ":") && p.glued(k+5)
	if glued {
		c, dc = c/100, 4
	}
	// Dotted and dashed dates are written without spaces; a space inside
	// suggests a list or a range, not a date.
	if sep == "." && (p.toks[k+1].space || p.toks[k+2].space || p.toks[k+3].space || p.toks[k+4].space) {
		return parts{}, k, false
	}
	if sep == "-" && (p.toks[k+1].space || p.toks[k+4].space) && !(da == 4 || dc == 4) {
		return parts{}, k, false // "3 - 1 - 2": a score or a list
	}
	// A further ".5" or "/7" means a version number or an address.
	if p.punct(k+5, sep) && p.glued(k+5) {
		if _, _, ok := p.num(k + 6); ok && p.glued(k+6) {
			return parts{}, k, false
		}
	}
	var d parts
	d.numeric = true
	switch {
	case da == 4 && dc <= 2:
		d.y, d.m, d.d = a, b, c
	case dc == 4 && da <= 2:
		d.y, d.m, d.d = c, b, a
		if d.m > 12 && a <= 12 {
			d.m, d.d = a, b // month first, as some sites print it
		}
	case dc == 2 && da <= 2:
		d.y, d.m, d.d = c, b, a
		d.twoDigitYear = true
		if d.m > 12 && a <= 12 {
			d.m, d.d = a, b
		}
	default:
		return parts{}, k, false
	}
	if d.m < 1 || d.m > 12 || d.d < 1 || d.d > 31 {
		return parts{}, k, false
	}
	d.hasY, d.hasD = true, true
	if p.opts.Calendar == Hijri || (!d.twoDigitYear && d.y >= uqFirstYear && d.y <= uqLastYear) {
		d.hijri = true
		// Persian pages print Solar Hijri years, in Persian digits.
		if p.opts.Calendar != Hijri && (p.toks[k].fa || p.toks[k+4].fa) {
			d.hijri, d.solar = false, true
		}
	}
	if glued {
		hh := p.toks[k+4].n % 100
		mi, nm, ok := p.num(k + 6)
		if ok && nm == 2 && hh < 24 && mi < 60 {
			d.hasTime, d.hh, d.mi, d.timePrec = true, hh, mi, PrecisionMinute
			return d, k + 7, true
		}
		return parts{}, k, false
	}
	return d, k + 5, true
}

// monthName reads a month name at k, Gregorian or Hijri, with a second name
// of the same month after it ("مارس/آذار", "2 مارس (آذار)", "شباط فبراير").
func (p *parser) monthName(k int) (m int, cal calendarKind, next int, ok bool) {
	if p.isWord(k, "شهر", "لشهر", "بشهر", "month") {
		if m, c, n, ok := p.monthName(k + 1); ok {
			return m, c, n, ok
		}
	}
	if m, n, ok := p.lookup(gregorianMonths, k); ok {
		// "ربيع" alone is not a month; "اب" alone is a weak one handled by
		// the callers' need for a day or a year.
		// Up to two more names: "تموز/يوليو/جويلية".
		return m, calGregorian, p.secondName(gregorianMonths, m, p.secondName(gregorianMonths, m, n)), true
	}
	if m, n, ok := p.lookup(hijriMonths, k); ok {
		return m, calHijri, n, true
	}
	if m, n, ok := p.lookup(solarMonths, k); ok {
		return m, calSolar, n, true
	}
	return 0, calGregorian, k, false
}

type calendarKind int

const (
	calGregorian calendarKind = iota
	calHijri
	calSolar
)

func (d *parts) cal() calendarKind {
	switch {
	case d.hijri:
		return calHijri
	case d.solar:
		return calSolar
	}
	return calGregorian
}

func (d *parts) setCal(c calendarKind) {
	d.hijri, d.solar = c == calHijri, c == calSolar
}

// secondName consumes a second spelling of month m after index n.
func (p *parser) secondName(table nameTable, m, n int) int {
	j := n
	open := false
	if p.punct(j, "/-(,|\\") {
		open = p.toks[j].s == "("
		j++
	}
	m2, j2, ok := p.lookup(table, j)
	if !ok || m2 != m {
		return n
	}
	if open && p.punct(j2, ")") {
		j2++
	}
	return j2
}

// ordinalSuffixes are glued after a day number: 2nd, 1er.
var ordinalSuffixes = map[string]bool{"st": true, "nd": true, "rd": true, "th": true, "er": true, "e": true}

// dayNumber reads a day 1–31 at k, as digits (with an English ordinal suffix)
// or an Arabic ordinal word ("الأول").
func (p *parser) dayNumber(k int) (int, int, bool) {
	if n, nd, ok := p.num(k); ok && nd <= 2 && n >= 1 && n <= 31 {
		k++
		if ordinalSuffixes[p.word(k)] && p.glued(k) {
			k++
		}
		return n, k, true
	}
	w := p.word(k)
	n, ok := ordinalDays[w]
	if !ok {
		switch w {
		case "الحادي":
			n, ok = 1, p.isWord(k+1, "عشر", "والعشرين", "والثلاثين")
		case "العشرين":
			return 20, k + 1, true
		case "الثلاثين":
			return 30, k + 1, true
		}
		if !ok {
			return 0, k, false
		}
	}
	k++
	// "الحادي عشر", "الخامس والعشرين", "الحادي والثلاثين".
	switch {
	case n < 10 && p.isWord(k, "عشر"):
		n, k = n+10, k+1
	case n < 10 && p.isWord(k, "والعشرين"):
		n, k = n+20, k+1
	case n < 2 && p.isWord(k, "والثلاثين"):
		n, k = n+30, k+1
	case n == 1 && w == "الحادي":
		return 0, k, false
	}
	return n, k, true
}

// dayMonth reads "2 مارس 2024", "2nd, March 2024", "الأول من مارس".
func (p *parser) dayMonth(k int) (parts, int, bool) {
	day, j, ok := p.dayNumber(k)
	if !ok {
		return parts{}, k, false
	}
	dashed := false
	switch {
	case p.punct(j, ",."):
		j++
	case p.punct(j, "-/") && p.glued(j) && p.glued(j+1):
		j++ // "02-Mar-2024", "2/مارس/2024"
		dashed = true
	}
	if p.isWord(j, "من", "of", "مِن") {
		j++
	}
	m, cal, j, ok := p.monthName(j)
	if !ok {
		return parts{}, k, false
	}
	d := parts{m: m, d: day, hasD: true}
	d.setCal(cal)
	hijri := cal == calHijri
	if dashed {
		// "02-Mar-2024" needs its year: "4-صفر" is a score.
		if y, nd, ok := p.num(j + 1); ok && p.punct(j, p.toks[k+1].s) && p.glued(j) && p.glued(j+1) && (nd == 4 || nd == 2) {
			d.y, d.hasY, d.twoDigitYear = y, true, nd == 2
			return d, j + 2, true
		}
		return parts{}, k, false
	}
	j = p.year(&d, j)
	if hijri && m == 2 && !d.hasY || d.solar && !d.hasY {
		// "صفر" is also zero ("فاز 3 صفر" is a score); Persian month names
		// such as "مهر" and "دی" are words too.
		return parts{}, k, false
	}
	j = p.monthModifier(&d, j)
	return d, j, true
}

// monthFirst reads "March 2, 2024", "مارس 2, 2024", "فبراير/شباط 2024" and a
// bare month name.
func (p *parser) monthFirst(k int) (parts, int, bool) {
	m, cal, j, ok := p.monthName(k)
	if !ok {
		return parts{}, k, false
	}
	d := parts{m: m}
	d.setCal(cal)
	if p.punct(j, ".") && p.isLatin(j-1) && p.glued(j) {
		j++ // "Sep. 9, 2024"
	}
	if n, nd, ok := p.num(j); ok && nd <= 2 && n >= 1 && n <= 31 && !p.punct(j+1, ":") {
		jj := j + 1
		if ordinalSuffixes[p.word(jj)] && p.glued(jj) {
			jj++
		}
		d2 := d
		d2.d, d2.hasD = n, true
		if jj2 := p.year(&d2, jj); d2.hasY {
			return d2, jj2, true
		}
		// "Mon Jan 2 15:04:05 MST 2006": Unix date and C's asctime write
		// the year after the time and zone.
		if n2, ok := p.timeAfter(&d2, jj); ok {
			if loc, n3, ok := p.zoneAt(n2); ok {
				d2.zone, n2 = loc, n3
			}
			if _, nd, ok := p.num(n2); ok && nd == 4 {
				if n4 := p.year(&d2, n2); d2.hasY {
					return d2, n4, true
				}
			}
		}
	}
	j = p.year(&d, j)
	j = p.monthModifier(&d, j)
	if d.solar && !d.hasY {
		return parts{}, k, false
	}
	return d, j, true
}

// partialMonth reads "منتصف شباط", "مطلع مارس 2024", "نهاية العام"-free forms.
func (p *parser) partialMonth(k int) (parts, int, bool) {
	var day int
	switch p.word(k) {
	case "منتصف", "اواسط", "وسط", "mid":
		day = 15
	case "مطلع", "بدايه", "اوائل", "مستهل", "غره", "اول", "early", "بداية":
		day = 1
	case "نهايه", "اواخر", "ختام", "اخر", "late", "end":
		day = -1
	default:
		return parts{}, k, false
	}
	j := k + 1
	if p.isWord(j, "من", "of") {
		j++
	}
	m, cal, j, ok := p.monthName(j)
	if !ok || cal == calSolar {
		return parts{}, k, false
	}
	d := parts{m: m, partialDay: day}
	d.setCal(cal)
	j = p.year(&d, j)
	j = p.monthModifier(&d, j)
	return d, j, true
}

// year reads an optional year after a month name: "2024", "، 2024",
// "من عام 2024", "سنة 1445". Two-digit years are read only after a Latin
// month name in RFC 822 form.
func (p *parser) year(d *parts, j int) int {
	k := j
	if p.punct(k, ",.") {
		k++
	}
	for n := 0; n < 2 && p.isWord(k, "من", "عام", "سنه", "لعام", "لسنه", "العام", "of", "year"); n++ {
		k++
	}
	y, nd, ok := p.num(k)
	if !ok || (nd <= 2 && p.punct(k+1, ":")) {
		return j // an hour, not a year
	}
	switch {
	case nd == 4 && y >= 1000:
	case nd == 2 && k == j && p.isLatin(j-1):
		d.twoDigitYear = true
	default:
		return j
	}
	d.y, d.hasY = y, true
	return k + 1
}

// isLatin reports whether token i is a Latin word.
func (p *parser) isLatin(i int) bool {
	w := p.word(i)
	return w != "" && w[0] < 0x80
}

// Era markers after a year.
var (
	gregorianEra = map[string]bool{"م": true, "ميلادي": true, "ميلاديه": true, "للميلاد": true, "ad": true, "مـ": true}
	hijriEra     = map[string]bool{"ه": true, "هـ": true, "هجري": true, "هجريه": true, "للهجره": true, "ah": true, "هجرية": true, "ق": true}
)

// tail reads what may follow a date: an era marker, the same day in the
// other calendar ("الموافق …"), a time and a zone.
func (p *parser) tail(d *parts, k int) int {
	for steps := 0; steps < 8; steps++ {
		w := p.word(k)
		switch {
		case d.hasY && !d.hasTime && hijriEra[w]:
			k++
			if p.punct(k, ".") {
				k++
			}
			// "هـ.ش" / "هجري شمسي" mark the Solar Hijri calendar, "هـ.ق" the lunar.
			solar := p.isWord(k, "ش", "شمسي", "خورشيدي")
			if solar || p.isWord(k, "ق", "قمري") {
				k++
			}
			if d.numeric {
				d.setCal(calHijri)
				if solar {
					d.setCal(calSolar)
				}
			}
			continue
		case d.hasY && !d.hasTime && gregorianEra[w]:
			if d.numeric && p.opts.Calendar != Hijri {
				d.setCal(calGregorian)
			}
			k++
			continue
		}
		if n, ok := p.otherCalendar(d, k); ok {
			k = n
			continue
		}
		if !d.hasTime {
			if n, ok := p.timeAfter(d, k); ok {
				k = n
				continue
			}
		}
		if d.zone == nil {
			if loc, n, ok := p.zoneAt(k); ok {
				d.zone = loc
				k = n
				continue
			}
		}
		break
	}
	return k
}

// otherCalendar reads "الموافق 10 أغسطس 2015 م" or "(10 أغسطس 2015)" after a
// date: the Gregorian form wins over the Hijri one.
func (p *parser) otherCalendar(d *parts, k int) (int, bool) {
	j := k
	paren := false
	marked := false
	switch {
	case p.isWord(j, "الموافق", "الموافقه", "موافق", "الموافق", "يوافقه", "ويوافقه", "الموافق"):
		j++
		marked = true
		if p.isWord(j, "ل", "لـ") {
			j++
		}
	case p.punct(j, "("):
		j++
		paren = true
	case p.punct(j, "-/|,="):
		j++
	}
	if p.punct(j, ":") {
		j++
	}
	if _, n, ok := p.lookup(weekdays, j); ok {
		j = p.skipSeps(n)
	}
	o, n, ok := p.dateAt(j)
	if !ok || !o.hasY {
		return k, false
	}
	// Era markers of the second date decide its calendar.
	for s := 0; s < 2; s++ {
		w := p.word(n)
		if hijriEra[w] {
			if o.numeric {
				o.setCal(calHijri)
			}
			n++
		} else if gregorianEra[w] {
			if o.numeric {
				o.setCal(calGregorian)
			}
			n++
		} else {
			break
		}
	}
	if o.cal() == d.cal() && !marked {
		return k, false // a range or a list, not the same day twice
	}
	if paren && p.punct(n, ")") {
		n++
	}
	if d.cal() != calGregorian && o.cal() == calGregorian {
		o.hasTime, o.hh, o.mi, o.ss, o.ns, o.timePrec, o.zone = d.hasTime, d.hh, d.mi, d.ss, d.ns, d.timePrec, d.zone
		*d = o
	}
	return n, true
}

// timeAfter reads a time after a date, with the words and marks that join
// them: "، الساعة 05:16 مساءً", "- 10:30", "T10:00:00Z", "at 5 pm".
func (p *parser) timeAfter(d *parts, k int) (int, bool) {
	j := k
	for n := 0; n < 3; n++ {
		switch {
		case p.punct(j, ",-|•·@;:"):
			j++
			continue
		case p.isWord(j, "الساعه", "ساعه", "في", "عند", "at", "t", "علي", "الوقت", "وقت", "h"):
			j++
			continue
		}
		break
	}
	hourOnly := p.isWord(j-1, "الساعه", "at")
	t, n, ok := p.timeAt(j, hourOnly)
	if !ok {
		return k, false
	}
	d.hasTime, d.hh, d.mi, d.ss, d.ns, d.timePrec = true, t.hh, t.mi, t.ss, t.ns, t.prec
	if t.zone != nil {
		d.zone = t.zone
	}
	return n, true
}

type clock struct {
	hh, mi, ss, ns int
	prec           Precision
	zone           *time.Location
}

// timeAt reads H:MM[:SS[.fff]] with an optional meridiem word and zone; with
// hourOnly a bare hour followed by a meridiem word is accepted ("5 مساء").
func (p *parser) timeAt(j int, hourOnly bool) (clock, int, bool) {
	if hourOnly {
		if c, k, ok := p.hourWords(j); ok {
			return c, k, true
		}
	}
	h, nh, ok := p.num(j)
	if !ok || nh > 2 || h > 24 {
		return clock{}, j, false
	}
	c := clock{hh: h, prec: PrecisionHour}
	k := j + 1
	// "10.47 ص": a dot separates hour and minutes only with a meridiem or
	// after "الساعة"; elsewhere 10.47 is a number.
	if p.punct(k, ".") && p.glued(k) && p.glued(k+1) {
		if mi, nm, ok := p.num(k + 1); ok && nm == 2 && mi <= 59 {
			if _, isMer := meridiems[p.word(k+2)]; isMer || hourOnly {
				c.mi, c.prec = mi, PrecisionMinute
				k += 2
			}
		}
	}
	if c.prec == PrecisionHour && p.punct(k, ":") {
		mi, nm, ok := p.num(k + 1)
		if !ok || nm != 2 || mi > 59 {
			return clock{}, j, false
		}
		c.mi, c.prec = mi, PrecisionMinute
		k += 2
		if p.punct(k, ":") {
			if s, ns, ok := p.num(k + 1); ok && ns == 2 && s <= 60 {
				c.ss, c.prec = min(s, 59), PrecisionSecond
				k += 2
				if p.punct(k, ".,") && p.glued(k) {
					if f, nf, ok := p.num(k + 1); ok && p.glued(k+1) {
						c.ns = fraction(f, nf)
						k += 2
					}
				}
			}
		}
	} else if c.prec == PrecisionHour && !hourOnly && (p.isWord(k, "م", "ص") || meridiems[p.word(k)] == 0 || h > 12) {
		// A bare hour needs "الساعة" or a meridiem word that cannot be an
		// era marker: "10 صباحاً", not "2024 م".
		return clock{}, j, false
	}
	mer, ok := meridiems[p.word(k)]
	if ok {
		k++
	} else if p.isWord(k, "بعد", "قبل") && p.isWord(k+1, "الظهر", "الظهيره") {
		mer = merPM
		if p.word(k) == "قبل" {
			mer = merAM
		}
		k += 2
	} else if p.isWord(k, "a", "p") && p.punct(k+1, ".") && p.isWord(k+2, "m") {
		mer = merAM
		if p.word(k) == "p" {
			mer = merPM
		}
		k += 3
		if p.punct(k, ".") {
			k++
		}
	} else if c.prec == PrecisionHour {
		return clock{}, j, false
	}
	return p.finishClock(c, mer, j, k)
}

// finishClock applies the meridiem to a clock, checks it and reads a zone
// after it.
func (p *parser) finishClock(c clock, mer meridiem, j, k int) (clock, int, bool) {
	switch mer {
	case merAM, merDawn:
		if c.hh == 12 {
			c.hh = 0
		}
	case merPM:
		if c.hh < 12 {
			c.hh += 12
		}
	case merNoon:
		if c.hh <= 6 {
			c.hh += 12
		}
	case merEvening:
		if c.hh >= 6 && c.hh < 12 {
			c.hh += 12
		} else if c.hh == 12 {
			c.hh = 0
		}
	}
	if c.hh == 24 {
		if c.mi != 0 || c.ss != 0 {
			return clock{}, j, false
		}
		c.hh = 0 // 24:00 is the next midnight; read as the day's 00:00
	}
	if c.hh > 23 {
		return clock{}, j, false
	}
	if loc, n, ok := p.zoneAt(k); ok {
		c.zone = loc
		k = n
	}
	return c, k, true
}

// hourWords reads a time in words after "الساعة": "الخامسة مساءً",
// "العاشرة والنصف صباحاً", "الثانية عشرة ظهراً".
func (p *parser) hourWords(j int) (clock, int, bool) {
	h, ok := hourWordValues[p.word(j)]
	if !ok {
		return clock{}, j, false
	}
	k := j + 1
	if h <= 2 && p.isWord(k, "عشره", "عشر") {
		h += 10
		k++
	}
	c := clock{hh: h, prec: PrecisionHour}
	w := p.word(k)
	switch {
	case w == "والنصف" || (w == "و" && p.isWord(k+1, "النصف")):
		c.mi, c.prec = 30, PrecisionMinute
	case w == "والربع" || (w == "و" && p.isWord(k+1, "الربع")):
		c.mi, c.prec = 15, PrecisionMinute
	case w == "والثلث" || (w == "و" && p.isWord(k+1, "الثلث")):
		c.mi, c.prec = 20, PrecisionMinute
	case w == "الا" && p.isWord(k+1, "ربعا", "ربع"):
		c.hh, c.mi, c.prec = (h+11)%12+0, 45, PrecisionMinute
		if c.hh == 0 {
			c.hh = 12
		}
	}
	if c.prec == PrecisionMinute {
		k += 2
		if w == "والنصف" || w == "والربع" || w == "والثلث" {
			k--
		}
	}
	mer, ok := meridiems[p.word(k)]
	if ok {
		k++
	}
	return p.finishClock(c, mer, j, k)
}

// hourWordValues are the ordinal hours of "الساعة الخامسة".
var hourWordValues = func() map[string]int {
	m := map[string]int{}
	for i, w := range strings.Fields("الواحده الثانيه الثالثه الرابعه الخامسه السادسه السابعه الثامنه التاسعه العاشره الحاديه") {
		m[w] = i + 1
	}
	m["الحاديه"] = 1 // with عشرة: 11
	return m
}()

func fraction(f, digits int) int {
	for digits < 9 {
		f *= 10
		digits++
	}
	for digits > 9 {
		f /= 10
		digits--
	}
	return f
}

// zoneAt reads a zone: GMT/UTC/Z with an optional offset, +03:00, +0300,
// "بتوقيت مكة المكرمة", "ت.غ", "(GMT+3)".
func (p *parser) zoneAt(k int) (*time.Location, int, bool) {
	j := k
	paren := p.punct(j, "(")
	if paren {
		j++
	}
	var loc *time.Location
	w := p.word(j)
	switch {
	case w == "بتوقيت" || w == "توقيت" || w == "بالتوقيت" || w == "التوقيت" || w == "حسب" || w == "بحسب" || w == "وفق":
		j++
		for n := 0; n < 2 && p.isWord(j, "التوقيت", "توقيت", "دوله", "مدينه", "العاصمه", "عاصمه"); n++ {
			j++
		}
		if p.isWord(j, "المحلي", "محلي") {
			return p.opts.Location, j + 1, true
		}
		l, ok := placeZones[p.word(j)]
		if !ok {
			if n, ok2 := zoneAbbrevs[p.word(j)]; ok2 {
				l, ok = time.FixedZone("", n*3600), true
			}
		}
		if !ok {
			return nil, k, false
		}
		loc = l
		j++
		// "مكة المكرمة", "أبو ظبي": the second word of a place.
		if _, ok := placeZones[p.word(j)]; ok && p.toks[j].kind == tWord {
			j++
		}
	case w == "ت" && p.punct(j+1, ".") && p.isWord(j+2, "غ"):
		loc, j = time.UTC, j+3
	case w == "ت" && p.isWord(j+1, "غ"), w == "تغ":
		loc = time.UTC
		j += 2
		if w == "تغ" {
			j--
		}
	case w == "غرينتش" || w == "غرينيتش" || w == "جرينتش" || w == "جرينيتش":
		loc, j = time.UTC, j+1
	case w == "z" && !paren && p.glued(j):
		return time.UTC, j + 1, true
	default:
		if n, ok := zoneAbbrevs[w]; ok && w != "z" {
			loc, j = time.FixedZone("", n*3600), j+1
			if n == 0 {
				loc = time.UTC
			}
		}
	}
	// An offset, alone or after GMT/UTC ("GMT+3", "غرينتش +3").
	if loc == nil || loc == time.UTC {
		if off, n, ok := p.offsetAt(j, loc != nil); ok {
			loc = time.FixedZone("", off)
			j = n
		}
	}
	if loc == nil {
		return nil, k, false
	}
	if paren {
		if !p.punct(j, ")") {
			return nil, k, false
		}
		j++
	}
	return loc, j, true
}

// offsetAt reads +03:00, +0300, +3 or -05:00. A minus sign counts only when
// glued to the digits, so "10:30 - 12 مارس" stays a separator.
func (p *parser) offsetAt(j int, afterName bool) (int, int, bool) {
	if !p.punct(j, "+-") {
		return 0, j, false
	}
	sign := 1
	if p.toks[j].s == "-" {
		sign = -1
	}
	n, nd, ok := p.num(j + 1)
	if !ok || (p.toks[j+1].space) {
		return 0, j, false
	}
	var h, m int
	next := j + 2
	switch {
	case nd == 4:
		h, m = n/100, n%100
	case nd <= 2:
		h = n
		// A colon counts only with two digits of minutes after it: in
		// "+1:0" the "+1" stands alone, and so the rules below for a
		// bare hour apply (Find's span and Parse must agree on it).
		if mm, nmm, ok := p.num(next + 1); ok && nmm == 2 && p.punct(next, ":") {
			m = mm
			next += 2
		} else if !afterName && sign < 0 {
			return 0, j, false
		} else if !afterName && p.toks[j].s == "+" && nd == 1 {
			// "+3" alone is an offset only after a zone name.
			return 0, j, false
		}
	default:
		return 0, j, false
	}
	if h > 14 || m > 59 {
		return 0, j, false
	}
	return sign * (h*3600 + m*60), next, true
}

// timeFirst reads a time followed by its date ("05:16 م، 6 يناير 2015") or, on
// a date line, a bare time meaning today.
func (p *parser) timeFirst(start, j int) (found, bool) {
	hourOnly := p.isWord(j-1, "الساعه", "at")
	c, k, ok := p.timeAt(j, hourOnly)
	if !ok {
		return found{}, false
	}
	k2 := k
	for n := 0; n < 3; n++ {
		if p.punct(k2, ",-|•·/;") || p.isWord(k2, "في", "on", "من", "يوم") {
			k2++
			continue
		}
		break
	}
	if _, n, ok := p.lookup(weekdays, k2); ok {
		k2 = p.skipSeps(n)
	}
	if d, n, ok := p.dateAt(k2); ok && (d.hasD || d.hasY) {
		d.hasTime, d.hh, d.mi, d.ss, d.ns, d.timePrec = true, c.hh, c.mi, c.ss, c.ns, c.prec
		d.zone = c.zone
		n = p.tail(&d, n)
		if res, ok := p.resolve(d); ok {
			return found{start: start, end: n, res: res, full: d.hasY && d.hasD}, true
		}
	}
	if f, ok := p.dayWordAt(start, k2, &c); ok {
		return f, true
	}
	loc := p.opts.Location
	if c.zone != nil {
		loc = c.zone
	}
	now := p.opts.Now.In(loc)
	t := time.Date(now.Year(), now.Month(), now.Day(), c.hh, c.mi, c.ss, c.ns, loc)
	return found{start: start, end: k, res: Result{Time: t, HasTime: true, Precision: c.prec}, weak: true}, true
}

// resolve turns assembled parts into a Result, checking that the date
// exists.
func (p *parser) resolve(d parts) (Result, bool) {
	loc := p.opts.Location
	if d.zone != nil {
		loc = d.zone
	}
	now := p.opts.Now.In(loc)
	day := d.d
	if !d.hasD {
		day = 1
		if d.partialDay > 0 {
			day = d.partialDay
		}
	}
	y := d.y
	if d.hijri {
		if !d.hasY {
			hy, hm, hd := daysToHijri(daysOf(now))
			y = yearFor(d.rel, d.m, max(day, 1), hy, hm, hd)
		} else if d.twoDigitYear || y < 100 {
			y += 1400
			// Relative to today, a year ahead at most; an absolute date
			// (Options.Absolute) may not depend on today, so it stays in
			// the 15th century AH (1979–2076).
			if hy, _, _ := daysToHijri(daysOf(now)); y > hy+1 && !p.opts.Absolute {
				y -= 100
			}
		}
		if d.partialDay == -1 && !d.hasD {
			day = hijriMonthLength(y, d.m)
		}
		// Where the month was sighted a day later than Umm al-Qura computed,
		// a page may print the 30th of a 29-day month: it is the next day.
		extra := 0
		if day == 30 && hijriMonthLength(y, d.m) == 29 {
			day, extra = 29, 1
		}
		days, ok, _ := hijriToDays(y, d.m, day)
		if !ok {
			return Result{}, false
		}
		days += extra
		g := time.Unix(int64(days)*86400, 0).UTC()
		if g.Year() < 1000 || g.Year() > 2200 {
			return Result{}, false
		}
		return p.finish(d, g.Year(), int(g.Month()), g.Day(), loc), true
	}
	if d.solar {
		if !d.hasY {
			sy, sm, sd := daysToSolar(daysOf(now))
			y = yearFor(d.rel, d.m, max(day, 1), sy, sm, sd)
		}
		if d.partialDay == -1 && !d.hasD {
			day = solarMonthLength(y, d.m)
		}
		days, ok := solarToDays(y, d.m, day)
		if !ok {
			return Result{}, false
		}
		g := time.Unix(int64(days)*86400, 0).UTC()
		return p.finish(d, g.Year(), int(g.Month()), g.Day(), loc), true
	}
	if !d.hasY {
		y = yearFor(d.rel, d.m, max(day, 1), now.Year(), int(now.Month()), now.Day())
	} else if d.twoDigitYear {
		y += 2000
		switch {
		case p.opts.Absolute:
			// An absolute date may not depend on today: the POSIX window,
			// 69–99 in the 1900s and 00–68 in the 2000s, as Go's time
			// package reads "06".
			if y >= 2069 {
				y -= 100
			}
		case y > now.Year()+1:
			y -= 100
		}
	}
	if y < 1000 || y > 2200 {
		return Result{}, false
	}
	if d.partialDay == -1 && !d.hasD {
		day = daysIn(y, d.m)
	}
	if d.m < 1 || d.m > 12 || day < 1 || day > daysIn(y, d.m) {
		return Result{}, false
	}
	return p.finish(d, y, d.m, day, loc), true
}

func (p *parser) finish(d parts, y, m, day int, loc *time.Location) Result {
	r := Result{Precision: PrecisionDay}
	if !d.hasD {
		r.Precision = PrecisionMonth
	}
	if d.hasTime {
		r.HasTime = true
		r.Precision = d.timePrec
		r.Time = time.Date(y, time.Month(m), day, d.hh, d.mi, d.ss, d.ns, loc)
		return r
	}
	r.Time = time.Date(y, time.Month(m), day, 0, 0, 0, 0, loc)
	return r
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// daysOf is the civil day of t (in its own zone) as days since 1970-01-01.
func daysOf(t time.Time) int {
	u := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix()
	return int(u / 86400)
}

// relativeWeekday reads "الجمعة الماضية" (the last Friday before today) and
// "الأحد المقبل" (the next Sunday after today); wd is 1 for Sunday.
func (p *parser) relativeWeekday(start, wd, k int) (found, bool) {
	dir := 0
	switch p.word(k) {
	case "الماضي", "الماضيه", "المنصرم", "الفائت", "last":
		dir = -1
	case "المقبل", "المقبله", "القادم", "القادمه", "next":
		dir = 1
	default:
		return found{}, false
	}
	loc := p.opts.Location
	now := p.opts.Now
	target := time.Weekday(wd - 1)
	diff := int(target - now.Weekday())
	if dir < 0 {
		diff = (diff - 7) % 7
		if diff == 0 {
			diff = -7
		}
	} else {
		diff = (diff + 7) % 7
		if diff == 0 {
			diff = 7
		}
	}
	t := time.Date(now.Year(), now.Month(), now.Day()+diff, 0, 0, 0, 0, loc)
	return found{start: start, end: k + 1, res: Result{Time: t, Precision: PrecisionDay}}, true
}
