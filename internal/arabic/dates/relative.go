package dates

import "time"

// maxTerms bounds "1 عام، 1 شهر، 1 أسبوع …" so that a hostile line of
// repeated terms stays linear.
const maxTerms = 8

// vagueCount is the count read for a bare plural: "منذ ساعات" (some hours).
const vagueCount = 3

// relative reads a duration back from Now: "منذ 3 ساعات", "قبل يومين",
// "منذ ساعة و20 دقيقة", "3 hours ago", "3 ساعات مضت"; without a prefix or a
// suffix ("يومين", "4 عام") it is a date only on a date line.
func (p *parser) relative(start, k int, prefixed bool) (found, bool) {
	j := k
	for n := 0; n < 3 && p.isWord(j, "حوالي", "حوالى", "نحو", "قرابه", "زهاء", "ما", "يقارب", "اكثر", "اقل", "من", "about", "over", "almost", "nearly"); n++ {
		j++
	}
	if prefixed && p.isWord(j, "قليل", "لحظه") {
		// "منذ قليل", "قبل لحظة": just now.
		return found{start: start, end: j + 1, res: Result{Time: p.opts.Now, HasTime: true, Precision: PrecisionMinute}}, true
	}
	var years, months, days, secs int
	finest := unit(0)
	terms := 0
	for terms < maxTerms {
		count, u, n, ok := p.term(j, prefixed)
		if !ok {
			break
		}
		terms++
		switch u {
		case uSecond:
			secs += count
		case uMinute:
			secs += count * 60
		case uHour:
			secs += count * 3600
		case uDay:
			days += count
		case uWeek:
			days += 7 * count
		case uMonth:
			months += count
		case uYear:
			years += count
		}
		if finest == 0 || u < finest {
			finest = u
		}
		j = n
		// "ساعتين ونصف", "ساعة و نصف": half of the unit more.
		if p.isWord(j, "ونصف") || p.isWord(j, "و") && p.isWord(j+1, "نصف") {
			if p.isWord(j, "و") {
				j++
			}
			j++
			switch u {
			case uMinute:
				secs += 30
			case uHour:
				secs += 30 * 60
				finest = min(finest, uMinute)
			case uDay:
				secs += 12 * 3600
				finest = min(finest, uHour)
			}
		}
		// Joined by "و" or a comma; "و" may also be glued to the next term.
		if p.isWord(j, "و", "and") || p.punct(j, ",") {
			if _, _, _, ok := p.term(j+1, prefixed); ok {
				j++
			}
		}
	}
	if terms == 0 {
		return found{}, false
	}
	strong := prefixed
	if p.isWord(j, "ago", "مضت", "مضي", "خلت", "فاتت", "سابقه", "مضين", "پيش", "قبل") {
		j++
		strong = true
	}
	if years > 10000 || months > 120000 || days > 4000000 || secs > 1<<40 {
		return found{}, false
	}
	now := p.opts.Now
	t := now.AddDate(-years, -months, -days).Add(-time.Duration(secs) * time.Second)
	res := Result{Time: t}
	switch finest {
	case uSecond:
		res.HasTime, res.Precision = true, PrecisionSecond
	case uMinute:
		res.HasTime, res.Precision = true, PrecisionMinute
	case uHour:
		res.HasTime, res.Precision = true, PrecisionHour
	default:
		res.Time = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
		res.Precision = PrecisionDay
		if finest == uMonth {
			res.Precision = PrecisionMonth
		} else if finest == uYear {
			res.Precision = PrecisionYear
		}
	}
	return found{start: start, end: j, res: res, weak: !strong}, true
}

// term reads one "count unit": "3 ساعات", "ساعتين", "ساعة", "ثلاث ساعات",
// "ساعة واحدة", "وخمس دقائق".
func (p *parser) term(j int, prefixed bool) (count int, u unit, next int, ok bool) {
	count = -1
	if n, nd, isNum := p.num(j); isNum {
		if nd > 6 {
			return 0, 0, j, false
		}
		count = n
		j++
	} else if n, ok := p.wordValue(numberWords, j); ok {
		count = n
		j++
		// "أحد عشر", "ثلاثة عشر": 11–19.
		if n < 10 && p.isWord(j, "عشر", "عشره") {
			count += 10
			j++
		}
	}
	if count < 0 && p.isWord(j, "نصف", "ربع") && p.isWord(j+1, "ساعه") {
		// "منذ نصف ساعة", "قبل ربع ساعة".
		count = 30
		if p.word(j) == "ربع" {
			count = 15
		}
		return count, uMinute, j + 2, true
	}
	uw, ok := p.unitAt(j)
	if !ok {
		return 0, 0, j, false
	}
	j++
	switch {
	case count >= 0:
		if uw.count == 2 {
			return 0, 0, j, false // "3 يومين" is not a duration
		}
	case uw.count == 2, uw.count == 1 && (prefixed || p.isWord(j, "واحد", "واحده")):
		count = uw.count
		if _, _, isNum := p.num(j); isNum {
			return 0, 0, j, false // "منذ عام 2003" is a year, not a year ago
		}
	case prefixed:
		count = vagueCount
	default:
		return 0, 0, j, false
	}
	if p.isWord(j, "واحد", "واحده") {
		j++
	}
	return count, uw.u, j, true
}

// unitAt looks a unit word up, also with "و" glued to it.
func (p *parser) unitAt(j int) (unitWord, bool) {
	w := p.word(j)
	if uw, ok := unitWords[w]; ok {
		return uw, true
	}
	if len(w) > 4 && w[:2] == "و" {
		uw, ok := unitWords[w[2:]]
		return uw, ok
	}
	return unitWord{}, false
}

// wordValue looks a word up in a table, also with "و" glued to it.
func (p *parser) wordValue(table map[string]int, j int) (int, bool) {
	w := p.word(j)
	if v, ok := table[w]; ok {
		return v, true
	}
	if len(w) > 4 && w[:2] == "و" {
		v, ok := table[w[2:]]
		return v, ok
	}
	return 0, false
}

// dayWords are the named days around Now.
var dayWords = map[string]int{
	"امس": -1, "الامس": -1, "البارحه": -1, "yesterday": -1,
	"اليوم": 0, "today": 0, "الليله": 0, "tonight": 0,
	"غدا": 1, "الغد": 1, "غد": 1, "tomorrow": 1,
	"ديروز": -1, "امروز": 0, "فردا": 1, // Persian
}

// dayWord reads "أمس", "أول أمس", "أمس الأول", "يوم أمس", "اليوم السابق",
// "غداً", "بعد غد", "الآن", optionally with a time. Without a time they are
// dates only on a date line.
func (p *parser) dayWord(start, k int) (found, bool) {
	return p.dayWordAt(start, k, nil)
}

// dayWordAt is dayWord with a time already read before the word.
func (p *parser) dayWordAt(start, k int, c *clock) (found, bool) {
	j := k
	if p.isWord(j, "يوم") && !p.isWord(j+1, "يوم") {
		j++
	}
	w := p.word(j)
	off, ok := dayWords[w]
	switch {
	case ok:
		j++
	case w == "اول" && p.isWord(j+1, "امس"):
		off, j = -2, j+2
	case w == "اول" && p.isWord(j+1, "من") && p.isWord(j+2, "امس"):
		off, j = -2, j+3
	case w == "بعد" && p.isWord(j+1, "غد"):
		off, j = 2, j+2
	case (w == "الان" || w == "now" || w == "للتو" || w == "حالا") && c == nil:
		return found{start: start, end: j + 1, res: Result{Time: p.opts.Now, HasTime: true, Precision: PrecisionSecond}, weak: true}, true
	default:
		if len(w) > 4 && w[:2] == "و" {
			if v, ok := dayWords[w[2:]]; ok {
				off, j = v, j+1
				break
			}
		}
		return found{}, false
	}
	if off == -1 && p.isWord(j, "الاول") {
		off, j = -2, j+1
	}
	if off == 0 && p.isWord(j, "السابق") {
		off, j = -1, j+1
	}
	// "أمس الأحد", "اليوم الثلاثاء".
	if _, n, ok := p.lookup(weekdays, j); ok {
		j = n
	}
	var d parts
	if c != nil {
		d.hasTime, d.hh, d.mi, d.ss, d.ns, d.timePrec, d.zone = true, c.hh, c.mi, c.ss, c.ns, c.prec, c.zone
	} else if n, ok := p.timeAfter(&d, j); ok {
		j = n
	}
	if d.zone == nil {
		if loc, n, ok := p.zoneAt(j); ok {
			d.zone, j = loc, n
		}
	}
	loc := p.opts.Location
	if d.zone != nil {
		loc = d.zone
	}
	now := p.opts.Now.In(loc)
	day := time.Date(now.Year(), now.Month(), now.Day()+off, 0, 0, 0, 0, loc)
	res := Result{Time: day, Precision: PrecisionDay}
	if d.hasTime {
		res = Result{Time: time.Date(day.Year(), day.Month(), day.Day(), d.hh, d.mi, d.ss, d.ns, loc), HasTime: true, Precision: d.timePrec}
	}
	return found{start: start, end: j, res: res, weak: !d.hasTime}, true
}

// periodWords are the periods of "الأسبوع الماضي".
var periodWords = map[string]unit{"الاسبوع": uWeek, "الشهر": uMonth, "العام": uYear, "السنه": uYear}

// lastPeriod reads "الأسبوع الماضي", "الشهر الماضي", "العام الماضي": the
// period before the current one, as its start would be read one unit back.
func (p *parser) lastPeriod(i int) (found, bool) {
	u, ok := periodWords[p.word(i)]
	if !ok || !p.isWord(i+1, "الماضي", "الماضيه", "المنصرم", "الفائت", "المنصرمه", "الفائته") {
		return found{}, false
	}
	now := p.opts.Now
	var t time.Time
	prec := PrecisionDay
	switch u {
	case uWeek:
		t = time.Date(now.Year(), now.Month(), now.Day()-7, 0, 0, 0, 0, now.Location())
	case uMonth:
		t = time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, now.Location())
		prec = PrecisionMonth
	default:
		t = time.Date(now.Year()-1, 1, 1, 0, 0, 0, 0, now.Location())
		prec = PrecisionYear
	}
	return found{start: i, end: i + 2, res: Result{Time: t, Precision: prec}}, true
}
