package dates

import (
	"strings"
	"testing"
	"time"
)

// canonicalMonths are month names as dictionaries print them, written here
// independently of the package tables.
var canonicalMonths = map[int][]string{
	1:  {"يناير", "كانون الثاني", "جانفي"},
	2:  {"فبراير", "شباط", "فيفري"},
	3:  {"مارس", "آذار"},
	4:  {"أبريل", "إبريل", "نيسان", "أفريل"},
	5:  {"مايو", "أيار", "ماي"},
	6:  {"يونيو", "يونيه", "حزيران", "جوان"},
	7:  {"يوليو", "يوليه", "تموز", "جويلية", "يوليوز"},
	8:  {"أغسطس", "آب", "أوت", "غشت"},
	9:  {"سبتمبر", "أيلول", "شتنبر"},
	10: {"أكتوبر", "تشرين الأول"},
	11: {"نوفمبر", "تشرين الثاني", "نونبر"},
	12: {"ديسمبر", "كانون الأول", "دجنبر"},
}

// spellings returns the ways sites write a name: without hamza, with ى for
// final ي, ه for ة, Persian ی and ک, tatweel and harakat.
func spellings(name string) []string {
	out := []string{name}
	add := func(s string) {
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	add(strings.NewReplacer("أ", "ا", "إ", "ا", "آ", "ا").Replace(name))
	if strings.HasSuffix(name, "ي") {
		add(strings.TrimSuffix(name, "ي") + "ى")
	}
	add(strings.ReplaceAll(name, "ة", "ه"))
	add(strings.NewReplacer("ي", "ی", "ك", "ک").Replace(name))
	r := []rune(name)
	if len(r) > 2 {
		add(string(r[:2]) + "ـ" + string(r[2:]))      // tatweel
		add(string(r[:1]) + "\u064e" + string(r[1:])) // fatha
		add("\u200f" + name)                          // right-to-left mark
	}
	return out
}

func TestSpellingVariants(t *testing.T) {
	forms := []struct {
		layout string // {d} day, {m} month name
		want   func(m int) time.Time
	}{
		{"الأحد، 12 {m} 2023", func(m int) time.Time { return time.Date(2023, time.Month(m), 12, 0, 0, 0, 0, time.UTC) }},
		{"١٢ {m} ٢٠٢٣ - ١٠:٣٠ م", func(m int) time.Time { return time.Date(2023, time.Month(m), 12, 22, 30, 0, 0, time.UTC) }},
		{"{m} 2023", func(m int) time.Time { return time.Date(2023, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }},
		{"{m} 12, 2023", func(m int) time.Time { return time.Date(2023, time.Month(m), 12, 0, 0, 0, 0, time.UTC) }},
	}
	n := 0
	for m, names := range canonicalMonths {
		for _, name := range names {
			for _, sp := range spellings(name) {
				for _, f := range forms {
					in := strings.ReplaceAll(f.layout, "{m}", sp)
					n++
					r, ok := Parse(in, Options{Now: devNow})
					if w := f.want(m); !ok || !r.Time.Equal(w) {
						t.Errorf("Parse(%q) = %s, %v; want %s", in, r.Time, ok, w)
					}
				}
			}
		}
	}
	t.Logf("%d spellings checked", n)
}

var canonicalHijriMonths = map[int][]string{
	1: {"محرم"}, 2: {"صفر"}, 3: {"ربيع الأول"}, 4: {"ربيع الآخر", "ربيع الثاني"},
	5: {"جمادى الأولى"}, 6: {"جمادى الآخرة", "جمادى الثانية"}, 7: {"رجب"}, 8: {"شعبان"},
	9: {"رمضان"}, 10: {"شوال"}, 11: {"ذو القعدة", "ذي القعدة"}, 12: {"ذو الحجة", "ذي الحجة"},
}

func TestHijriSpellingVariants(t *testing.T) {
	for m, names := range canonicalHijriMonths {
		days, _, _ := hijriToDays(1445, m, 12)
		want := time.Unix(int64(days)*86400, 0).UTC()
		for _, name := range names {
			for _, sp := range spellings(name) {
				for _, in := range []string{"12 " + sp + " 1445 هـ", "الخميس ١٢ " + sp + " ١٤٤٥هـ"} {
					r, ok := Parse(in, Options{Now: devNow})
					if !ok || !r.Time.Equal(want) {
						t.Errorf("Parse(%q) = %s, %v; want %s", in, r.Time, ok, want)
					}
				}
			}
		}
	}
}
