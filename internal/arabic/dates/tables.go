package dates

import (
	"strings"
	"time"
	// Named zones ("بتوقيت القدس") need the tz database; embedding it keeps
	// their daylight-saving rules right on hosts without one.
	_ "time/tzdata"
)

// The tables hold normalized forms (see foldLetter): ا for every alef, ي for
// ى, ه for ة, no harakat, lower-case Latin. Multi-word names are joined by one
// space. They are built once and never modified.

// gregorianMonths maps month names of every Arabic naming system, English,
// French and Persian transliterations to 1–12.
var gregorianMonths = buildTable(map[int]string{
	1:  "يناير ينايير يناىر كانون_الثاني كانون_ثاني جانفي جانفيه january jan janvier janv ژانویه",
	2:  "فبراير فبرايير فبرير شباط فيفري فيفريه فبراىر february feb fevrier fevr فوريه",
	3:  "مارس اذار march mar mars",
	4:  "ابريل ابريال نيسان افريل april apr avril اوريل",
	5:  "مايو ايار ماي مايس may mai مه",
	6:  "يونيو يونيه حزيران جوان june jun juin ژوئن",
	7:  "يوليو يوليه تموز جويليه جويلييه يوليوز july jul juillet juil ژوئیه",
	8:  "اغسطس اغشت اب اوت غشت august aug aout",
	9:  "سبتمبر ايلول شتنبر شتمبر سيبتمبر september sep sept septembre سپتامبر سبتامبر",
	10: "اكتوبر تشرين_الاول تشرين_اول اكتوبير october oct octobre اكتبر",
	11: "نوفمبر تشرين_الثاني تشرين_ثاني نونبر نوفمبير november nov novembre نوامبر",
	12: "ديسمبر كانون_الاول كانون_اول دجنبر دجمبر ديسيمبر december dec decembre دسامبر",
})

// hijriMonths maps the Hijri month names, with the common spellings of the
// composite ones, to 1–12.
var hijriMonths = buildTable(map[int]string{
	1:  "محرم المحرم",
	2:  "صفر",
	3:  "ربيع_الاول ربيع_اول ربيع_الاولي ربيع_1",
	4:  "ربيع_الاخر ربيع_الثاني ربيع_اخر ربيع_ثاني ربيع_الاخره ربيع_2",
	5:  "جمادي_الاولي جمادي_الاول جمادي_اولي جمادي_اول جماد_الاول جماد_الاولي جمادي_1",
	6:  "جمادي_الاخره جمادي_الاخر جمادي_الثانيه جمادي_الثاني جمادي_اخره جماد_الاخر جماد_الثاني جماد_الاخره جمادي_2",
	7:  "رجب",
	8:  "شعبان",
	9:  "رمضان",
	10: "شوال",
	11: "ذو_القعده ذي_القعده ذوالقعده ذيالقعده ذو_القعد",
	12: "ذو_الحجه ذي_الحجه ذوالحجه ذيالحجه",
})

// solarMonths are the Solar Hijri month names of Persian pages.
var solarMonths = buildTable(map[int]string{
	1: "فروردین", 2: "اردیبهشت", 3: "خرداد", 4: "تیر", 5: "مرداد امرداد", 6: "شهریور",
	7: "مهر", 8: "آبان", 9: "آذر", 10: "دی", 11: "بهمن", 12: "اسفند",
})

// weekdays: Arabic with and without the article, English and Persian.
var weekdays = buildTable(map[int]string{
	1: "الاحد احد sunday sun يكشنبه",
	2: "الاثنين اثنين الاتنين monday mon دوشنبه",
	3: "الثلاثاء ثلاثاء الثلاثا tuesday tue tues سهشنبه",
	4: "الاربعاء اربعاء الاربعا wednesday wed چهارشنبه",
	5: "الخميس خميس thursday thu thur thurs پنجشنبه",
	6: "الجمعه جمعه friday fri جمعه",
	7: "السبت سبت saturday sat شنبه",
})

// Units of relative expressions.
type unit int

const (
	uSecond unit = iota + 1
	uMinute
	uHour
	uDay
	uWeek
	uMonth
	uYear
)

// unitWord is a unit with the count its form implies: 1 for a singular, 2 for
// a dual, 0 for a plural that needs a number.
type unitWord struct {
	u     unit
	count int
}

var unitWords = func() map[string]unitWord {
	m := map[string]unitWord{}
	add := func(u unit, count int, words string) {
		for _, w := range strings.Fields(words) {
			m[normalizePhrase(w)] = unitWord{u, count}
		}
	}
	add(uSecond, 1, "ثانيه second sec ثانية لحظه")
	add(uSecond, 0, "لحظات ث")
	add(uMinute, 0, "د")
	add(uHour, 0, "س")
	// Accusative singulars after numbers 11–99: "منذ 15 يوماً".
	add(uDay, 0, "يوما")
	add(uWeek, 0, "اسبوعا")
	add(uMonth, 0, "شهرا")
	add(uYear, 0, "عاما")
	// Persian: "۳ ساعت پیش".
	add(uSecond, 0, "ثانیه")
	add(uMinute, 0, "دقیقه")
	add(uHour, 0, "ساعت")
	add(uDay, 0, "روز")
	add(uWeek, 0, "هفته")
	add(uMonth, 0, "ماه")
	add(uYear, 0, "سال")
	add(uSecond, 2, "ثانيتين ثانيتان")
	add(uSecond, 0, "ثوان ثواني seconds secs ثوانی")
	add(uMinute, 1, "دقيقه minute min")
	add(uMinute, 2, "دقيقتين دقيقتان")
	add(uMinute, 0, "دقائق دقايق minutes mins")
	add(uHour, 1, "ساعه hour hr")
	add(uHour, 2, "ساعتين ساعتان")
	add(uHour, 0, "ساعات hours hrs")
	add(uDay, 1, "يوم day")
	add(uDay, 2, "يومين يومان")
	add(uDay, 0, "ايام days")
	add(uWeek, 1, "اسبوع week")
	add(uWeek, 2, "اسبوعين اسبوعان")
	add(uWeek, 0, "اسابيع weeks")
	add(uMonth, 1, "شهر month")
	add(uMonth, 2, "شهرين شهران")
	add(uMonth, 0, "اشهر شهور months")
	add(uYear, 1, "سنه عام year")
	add(uYear, 2, "سنتين سنتان عامين عامان")
	add(uYear, 0, "سنوات سنين اعوام years")
	return m
}()

// numberWords are the counts written in words after "منذ".
var numberWords = func() map[string]int {
	m := map[string]int{}
	add := func(n int, words string) {
		for _, w := range strings.Fields(words) {
			m[normalizePhrase(w)] = n
		}
	}
	add(1, "واحد واحده احد احدي a an one")
	add(2, "اثنين اثنان اثنتين اثنتان اثنا اثني اثنتا اثنتي two")
	add(3, "ثلاث ثلاثه three بضع بضعه عده few several")
	add(4, "اربع اربعه four")
	add(5, "خمس خمسه five")
	add(6, "ست سته six")
	add(7, "سبع سبعه seven")
	add(8, "ثماني ثمان ثمانيه eight")
	add(9, "تسع تسعه nine")
	add(10, "عشر عشره ten")
	add(20, "عشرين عشرون")
	add(30, "ثلاثين ثلاثون")
	return m
}()

// ordinalDays are days written as ordinals: "الأول من مارس".
var ordinalDays = func() map[string]int {
	m := map[string]int{}
	for i, w := range strings.Fields("الاول الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع العاشر") {
		m[w] = i + 1
	}
	for i, w := range strings.Fields("first second third fourth fifth sixth seventh eighth ninth tenth") {
		m[w] = i + 1
	}
	return m
}()

// Meridiem words: the part of the day a 12-hour time belongs to.
type meridiem int

const (
	merAM meridiem = iota + 1
	merPM
	merNoon    // ظهرا: 1–5 are afternoon, 11 and 12 stay
	merEvening // ليلا: 6–11 are evening, 12 is midnight
	merDawn    // فجرا: early morning, 12 is midnight
)

var meridiems = func() map[string]meridiem {
	m := map[string]meridiem{}
	add := func(v meridiem, words string) {
		for _, w := range strings.Fields(words) {
			m[normalizePhrase(w)] = v
		}
	}
	add(merAM, "ص صباحا صباح صباحاً am")
	add(merPM, "م مساء مساءا مساءً عصرا عصر pm")
	add(merNoon, "ظهرا ظهر الظهر")
	add(merEvening, "ليلا ليل")
	add(merDawn, "فجرا فجر")
	return m
}()

// Zones written as words after "بتوقيت" / "توقيت" / "بالتوقيت". Named zones
// follow daylight saving when the tz database is available; otherwise their
// standard offset is used.
var placeZones = func() map[string]*time.Location {
	m := map[string]*time.Location{}
	add := func(name string, std int, words string) {
		loc, err := time.LoadLocation(name)
		if err != nil {
			loc = time.FixedZone(name, std*3600)
		}
		for _, w := range strings.Fields(words) {
			m[w] = loc
		}
	}
	gmt := "غرينتش غرينيتش جرينتش جرينيتش غرينيش غرنتش جرنتش قرينتش greenwich gmt utc العالمي الدولي"
	for _, w := range strings.Fields(gmt) {
		m[w] = time.UTC
	}
	fixed := func(off int, words string) {
		loc := time.FixedZone("", off*3600)
		for _, w := range strings.Fields(words) {
			m[w] = loc
		}
	}
	fixed(3, "مكه المكرمه السعوديه الرياض جده المدينه الكويت الدوحه قطر المنامه البحرين بغداد العراق صنعاء اليمن عدن موسكو")
	fixed(4, "الامارات ابوظبي ابو ظبي دبي مسقط سلطنه الشارقه")
	add("Asia/Jerusalem", 2, "القدس فلسطين غزه رام الله تل ابيب اسرائيل")
	add("Africa/Cairo", 2, "القاهره مصر")
	add("Asia/Beirut", 2, "بيروت لبنان")
	add("Asia/Damascus", 3, "دمشق سوريا سوريه")
	add("Asia/Amman", 3, "عمان الاردن")
	add("Africa/Casablanca", 1, "الرباط المغرب الدار البيضاء")
	add("Africa/Algiers", 1, "الجزائر")
	add("Africa/Tunis", 1, "تونس")
	add("Africa/Tripoli", 2, "طرابلس ليبيا")
	add("Africa/Khartoum", 2, "الخرطوم السودان")
	add("Africa/Nouakchott", 0, "نواكشوط موريتانيا")
	add("Asia/Tehran", 3, "طهران ايران")
	add("Europe/Istanbul", 3, "انقره تركيا اسطنبول")
	add("Europe/London", 0, "لندن بريطانيا")
	add("Europe/Paris", 1, "باريس فرنسا")
	add("America/New_York", -5, "واشنطن نيويورك")
	add("Europe/Berlin", 1, "برلين المانيا")
	add("Asia/Shanghai", 8, "بكين الصين")
	add("Asia/Dubai", 4, "الخليج")
	return m
}()

// zoneAbbrevs are zone abbreviations written after a time.
var zoneAbbrevs = map[string]int{
	"gmt": 0, "utc": 0, "ut": 0, "z": 0, "cet": 1, "cest": 2, "eet": 2, "eest": 3,
	"bst": 1, "msk": 3, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7,
	"mdt": -6, "pst": -8, "pdt": -7, "ksa": 3,
}

// nameTable maps normalized names of one or two words to a value.
type nameTable struct {
	names map[string]int
	// firsts holds the first words of two-word names, so that a look-up
	// builds a two-word key only when one can match.
	firsts map[string]bool
}

// buildTable turns "name other_name" lists into a table keyed by the
// space-joined normalized phrase; "_" in a list joins words of one name.
func buildTable(src map[int]string) nameTable {
	t := nameTable{names: map[string]int{}, firsts: map[string]bool{}}
	for v, names := range src {
		for _, n := range strings.Fields(names) {
			key := normalizePhrase(strings.ReplaceAll(n, "_", " "))
			t.names[key] = v
			if first, _, two := strings.Cut(key, " "); two {
				t.firsts[first] = true
			}
		}
	}
	return t
}

// normalizePhrase folds a table entry the way tokenize folds text.
func normalizePhrase(s string) string {
	var parts []string
	for _, t := range tokenize(s) {
		parts = append(parts, t.s)
	}
	return strings.Join(parts, " ")
}
