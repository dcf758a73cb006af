package feed

import (
	"regexp"
	"strings"
	"time"
)

// monthNames maps the three Arabic month-name systems (Egyptian/Gulf,
// Levantine/Iraqi, Maghrebi) to English abbreviations. Longer names come
// first: the replacer takes the first match in argument order, so
// "كانون الثاني" must win over a bare "كانون" and "مايو" over "ماي".
var monthNames = strings.NewReplacer(
	"كانون الثاني", "Jan", "كانون الأول", "Dec", "كانون الاول", "Dec",
	"تشرين الأول", "Oct", "تشرين الاول", "Oct", "تشرين الثاني", "Nov",
	"يناير", "Jan", "فبراير", "Feb", "مارس", "Mar", "أبريل", "Apr", "ابريل", "Apr", "إبريل", "Apr",
	"مايو", "May", "يونيو", "Jun", "يونيه", "Jun", "يوليو", "Jul", "يوليه", "Jul",
	"أغسطس", "Aug", "اغسطس", "Aug", "سبتمبر", "Sep", "أكتوبر", "Oct", "اكتوبر", "Oct",
	"نوفمبر", "Nov", "ديسمبر", "Dec",
	"شباط", "Feb", "آذار", "Mar", "اذار", "Mar", "نيسان", "Apr", "أيار", "May", "ايار", "May",
	"حزيران", "Jun", "تموز", "Jul", "آب", "Aug", "أيلول", "Sep", "ايلول", "Sep",
	"جانفي", "Jan", "فيفري", "Feb", "أفريل", "Apr", "افريل", "Apr", "جوان", "Jun",
	"جويلية", "Jul", "أوت", "Aug", "اوت", "Aug", "ماي", "May",
	// Arabic-Indic and Persian digits, the Arabic comma, AM/PM markers.
	"٠", "0", "١", "1", "٢", "2", "٣", "3", "٤", "4", "٥", "5", "٦", "6", "٧", "7", "٨", "8", "٩", "9",
	"۰", "0", "۱", "1", "۲", "2", "۳", "3", "۴", "4", "۵", "5", "۶", "6", "۷", "7", "۸", "8", "۹", "9",
	"،", ",",
)

// weekdays are dropped: a date needs no day name, and feeds misspell them.
var weekdays = strings.NewReplacer(
	"الأحد", "", "الاحد", "", "الإثنين", "", "الاثنين", "", "الثلاثاء", "", "الأربعاء", "", "الاربعاء", "",
	"الخميس", "", "الجمعة", "", "السبت", "",
)

var (
	// leadingWeekday is a day name before a comma, in any language and in
	// any spelling ("Tues,", "الثلاثاء،"): it carries nothing a date needs.
	leadingWeekday = regexp.MustCompile(`^[^\d,]+,\s*`)
	// gmtOffset is "GMT+3", "UTC+03:00" or "+03:00" at the end.
	gmtOffset = regexp.MustCompile(`\s*(?:GMT|UTC)?\s*([+-])(\d{1,2}):?(\d{2})?$`)
	gmtZone   = regexp.MustCompile(`\s*(?:GMT|UTC)\s*([+-])(\d{1,2}):?(\d{2})?$`)
	// amPM are the Arabic markers ص (morning) and م (evening) after a time.
	am = regexp.MustCompile(`(\d)\s*ص(\s|$)`)
	pm = regexp.MustCompile(`(\d)\s*م(\s|$)`)
)

var dateLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -07:00",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04 MST",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"2 Jan 2006 3:04 PM",
	"2 Jan 2006 3:04:05 PM",
	"2 January 2006 15:04:05 -0700",
	"2 January 2006 15:04:05",
	"2 January 2006",
	"2 Jan 2006",
	"Jan 2, 2006 15:04:05 -0700",
	"Jan 2, 2006 15:04:05",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006",
	"January 2, 2006",
	time.RFC3339Nano,
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04-07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05-07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006/01/02",
	// Day first, as the Arab world writes numeric dates.
	"02/01/2006 15:04:05",
	"02/01/2006 15:04",
	"02/01/2006",
	"2/1/2006",
	"02-01-2006 15:04",
	"02-01-2006",
	"Mon Jan 2 15:04:05 MST 2006",
	"Mon Jan 2 15:04:05 -0700 2006",
}

// ParseDate reads a feed date: RFC 822/1123 and ISO 8601 with their common
// variants, and the forms Arabic sites publish — Arabic month names of all
// three systems, Arabic-Indic digits, Arabic weekday names and comma,
// "GMT+3", and no zone at all (read as UTC, since the feed says nothing
// better). It reports false when nothing fits.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	s = weekdays.Replace(s)
	s = monthNames.Replace(s)
	s = am.ReplaceAllString(s, "$1 AM$2")
	s = pm.ReplaceAllString(s, "$1 PM$2")
	s = strings.TrimSpace(s)
	s = leadingWeekday.ReplaceAllString(s, "")
	s = strings.Trim(strings.Join(strings.Fields(s), " "), " ,")
	// time.Parse reads "GMT+3" as a zone name and gets the offset wrong;
	// make it numeric first.
	if m := gmtZone.FindStringSubmatch(s); m != nil {
		s = s[:len(s)-len(m[0])] + " " + numericZone(m[1], m[2], m[3])
	}
	if t, ok := tryLayouts(s); ok {
		return t, true
	}
	// "GMT+3", "UTC+03:00", "+3" after a time: rewrite as a numeric zone.
	if m := gmtOffset.FindStringSubmatch(s); m != nil {
		prefix := s[:len(s)-len(m[0])]
		if strings.Contains(prefix, ":") {
			return tryLayouts(prefix + " " + numericZone(m[1], m[2], m[3]))
		}
	}
	return time.Time{}, false
}

// numericZone formats sign, hours and minutes as "+0300".
func numericZone(sign, hh, mm string) string {
	if len(hh) == 1 {
		hh = "0" + hh
	}
	if mm == "" {
		mm = "00"
	}
	return sign + hh + mm
}

func tryLayouts(s string) (time.Time, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() < 1900 || t.Year() > 2200 {
				continue
			}
			return t, true
		}
	}
	return time.Time{}, false
}
