package dates

// The Solar Hijri (Persian) calendar of Persian news pages: months 1–6 have
// 31 days, 7–11 have 30, Esfand 29 or 30. Leap years follow the 33-year
// arithmetic rule, which matches the astronomical calendar throughout
// 1300–1500 SH save for rare single years; the year starts are counted from
// 1 Farvardin 1403 = 20 March 2024.

const (
	solarAnchorYear = 1403
	solarAnchorDays = 19802 // 2024-03-20 in days since 1970-01-01
	solarFirstYear  = 1200
	solarLastYear   = 1600
)

func solarLeap(y int) bool {
	return (25*y+11)%33 < 8
}

func solarYearLength(y int) int {
	if solarLeap(y) {
		return 366
	}
	return 365
}

func solarMonthLength(y, m int) int {
	switch {
	case m <= 6:
		return 31
	case m <= 11:
		return 30
	case solarLeap(y):
		return 30
	}
	return 29
}

// solarToDays converts a Solar Hijri date to days since 1970-01-01.
func solarToDays(y, m, d int) (int, bool) {
	if y < solarFirstYear || y > solarLastYear || m < 1 || m > 12 || d < 1 || d > solarMonthLength(y, m) {
		return 0, false
	}
	days := solarAnchorDays
	for yy := solarAnchorYear; yy < y; yy++ {
		days += solarYearLength(yy)
	}
	for yy := y; yy < solarAnchorYear; yy++ {
		days -= solarYearLength(yy)
	}
	for mm := 1; mm < m; mm++ {
		days += solarMonthLength(y, mm)
	}
	return days + d - 1, true
}

// daysToSolar converts days since 1970-01-01 to a Solar Hijri date.
func daysToSolar(days int) (y, m, d int) {
	y = solarAnchorYear
	start := solarAnchorDays
	for days < start && y > solarFirstYear {
		y--
		start -= solarYearLength(y)
	}
	for days >= start+solarYearLength(y) && y < solarLastYear {
		start += solarYearLength(y)
		y++
	}
	rest := days - start
	m = 1
	for m < 12 && rest >= solarMonthLength(y, m) {
		rest -= solarMonthLength(y, m)
		m++
	}
	return y, m, rest + 1
}
