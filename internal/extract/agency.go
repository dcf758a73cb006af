package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// agencies maps the ways news agencies are credited in Arabic datelines to
// the short name khabar shows. Keys are compared in labelKey form.
var agencies, agencyNames = func() (map[string]string, []string) {
	m := map[string]string{}
	var names []string
	add := func(name string, forms ...string) {
		m[labelKey(name)] = name
		names = append(names, name)
		for _, f := range forms {
			m[labelKey(f)] = name
			names = append(names, f)
		}
	}
	add("واس", "وكالة الأنباء السعودية", "وكالة الانباء السعودية")
	add("رويترز", "وكالة رويترز", "Reuters")
	add("أ ف ب", "أ.ف.ب", "أف ب", "ا ف ب", "فرانس برس", "وكالة فرانس برس", "فرانس بريس", "AFP")
	add("د ب أ", "د.ب.أ", "دب أ", "د ب ا", "الوكالة الألمانية", "وكالة الأنباء الألمانية", "DPA")
	add("أ ب", "أسوشيتد برس", "أسوشيتدبرس", "اسوشيتد برس", "وكالة أسوشيتد برس", "AP")
	add("الأناضول", "وكالة الأناضول", "الاناضول")
	add("سانا", "وكالة سانا", "الوكالة العربية السورية للأنباء")
	add("وام", "وكالة أنباء الإمارات")
	add("قنا", "وكالة الأنباء القطرية")
	add("كونا", "وكالة الأنباء الكويتية")
	add("بنا", "وكالة أنباء البحرين")
	add("العمانية", "وكالة الأنباء العمانية")
	add("أ ش أ", "أ.ش.أ", "ا ش ا", "وكالة أنباء الشرق الأوسط")
	add("وفا", "وكالة وفا", "وكالة الأنباء والمعلومات الفلسطينية")
	add("بترا", "وكالة الأنباء الأردنية")
	add("واع", "وكالة الأنباء العراقية")
	add("ومع", "وكالة المغرب العربي للأنباء", "لاماب")
	add("واج", "وكالة الأنباء الجزائرية")
	add("وات", "وكالة تونس أفريقيا للأنباء")
	add("سبأ", "وكالة سبأ")
	add("يونا", "اتحاد وكالات أنباء دول منظمة التعاون الإسلامي")
	add("مكين", "مكين للأنباء")
	add("شينخوا", "وكالة شينخوا", "Xinhua")
	add("سبوتنيك", "وكالة سبوتنيك")
	add("إرنا", "ارنا", "وكالة إرنا", "IRNA")
	add("تاس", "وكالة تاس", "TASS")
	add("إفي", "وكالة إفي", "EFE")
	add("معا", "وكالة معا")
	add("قدس برس")
	add("يو بي آي", "UPI")
	add("CNN", "سي إن إن", "سي ان ان")
	add("BBC", "بي بي سي")
	add("المستقلة", "وكالة الصحافة المستقلة")
	add("وكالات", "الوكالات")
	return m, names
}()

// AgencyNames returns every name and form of the agencies khabar
// recognises in credits (the rising lists leave them out).
func AgencyNames() []string {
	return append([]string(nil), agencyNames...)
}

// knownAgency returns the display name of a credited agency, or "".
func knownAgency(s string) string {
	return agencies[labelKey(s)]
}

var (
	// "المستقلة/-" or "بغداد/ المستقلة/-": the credit before "/-".
	slashDash = regexp.MustCompile(`^([^\n()\-–—:]{1,60}?)/\s*[-–—]`)
	// "(واس)", "(أ ف ب)", "دمشق، سوريا (CNN) --".
	parenCredit = regexp.MustCompile(`\(\s*([^()\d]{1,30}?)\s*\)\s*(--|[-–—:])?`)
	// "الرياض - واس" or "واس -": a dash-separated head of a dateline.
	dashHead = regexp.MustCompile(`^\s*([^-–—\n]{1,40}?)\s*(?:--|[-–—])\s*([^-–—\n:]{1,30}?)\s*(?:--|[-–—:])`)
	// "المصدر: وكالة الصحافة المستقلة".
	sourceLine = regexp.MustCompile(`^\(?\s*(?:المصدر|مصدر الخبر|المصدر الأصلي)\s*[:：]\s*(.{2,80}?)\s*\)?\.?$`)
)

// agency finds the agency the text credits: a "المصدر:" line, then the
// dateline at the start of the body.
func agency(text string, p *pageInfo) string {
	paras := strings.Split(text, "\n\n")
	for i := len(paras) - 1; i >= 0 && i >= len(paras)-8; i-- {
		if a := sourceCredit(paras[i]); a != "" {
			return a
		}
	}
	for i := 0; i < len(paras) && i < 3; i++ {
		if a := dateline(paras[i]); a != "" {
			return a
		}
	}
	if p != nil {
		for _, l := range p.lines {
			if utf8.RuneCountInString(l) <= 100 {
				if a := sourceCredit(l); a != "" {
					return a
				}
			}
		}
	}
	return ""
}

func sourceCredit(line string) string {
	m := sourceLine.FindStringSubmatch(strings.TrimSpace(line))
	if m == nil {
		return ""
	}
	name := strings.TrimSpace(m[1])
	if name == "" || strings.Contains(name, "://") {
		return ""
	}
	return name
}

// datelineWindow is how far into a paragraph a dateline may reach.
const datelineWindow = 160

// dateline reads the credit at the start of a paragraph.
func dateline(para string) string {
	head := para
	if utf8.RuneCountInString(head) > datelineWindow {
		head = string([]rune(head)[:datelineWindow])
	}
	if m := parenCredit.FindStringSubmatchIndex(head); m != nil {
		inner := head[m[2]:m[3]]
		if a := knownAgency(inner); a != "" {
			return a
		}
		// An unknown name in brackets followed by a dash, early in the
		// paragraph, is a dateline credit too: "(CNN) --".
		if m[4] >= 0 && utf8.RuneCountInString(head[:m[0]]) <= 60 && wordCount(inner) <= 3 {
			return strings.TrimSpace(inner)
		}
	}
	if m := dashHead.FindStringSubmatch(head); m != nil {
		if a := knownAgency(m[2]); a != "" {
			return a
		}
		if a := knownAgency(m[1]); a != "" {
			return a
		}
	}
	if m := slashDash.FindStringSubmatch(head); m != nil {
		segs := strings.Split(m[1], "/")
		credit := strings.TrimSpace(segs[len(segs)-1])
		if a := knownAgency(credit); a != "" {
			return a
		}
		if credit != "" && wordCount(credit) <= 3 {
			return credit
		}
	}
	// "واس - ..." or "رويترز: ..." at the very start.
	for _, sep := range []string{" - ", " – ", " — ", "-", ":"} {
		if i := strings.Index(head, sep); i > 0 && utf8.RuneCountInString(head[:i]) <= 30 {
			if a := knownAgency(head[:i]); a != "" {
				return a
			}
		}
	}
	return ""
}
