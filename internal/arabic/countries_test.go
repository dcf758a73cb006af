package arabic

import (
	"slices"
	"testing"
)

func TestCountries(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"القيادة تهنئ رئيس كولومبيا بذكرى الاستقلال", []string{"COL"}},
		{"خادم الحرمين يبحث مع جعجع أوضاع لبنان", []string{"LBN"}},
		{"27 قتيلاً بانفجار في بلدة تركية على حدود سوريا", []string{"SYR", "TUR"}},
		{"رئيس وزراء تركيا يهيئ حزبه لانتخابات مبكرة", []string{"TUR"}},
		{"وزير الخارجية يصل إلى الولايات المتحدة الأمريكية وبريطانيا", []string{"GBR", "USA"}},
		{"دعم للسعودية وبالإمارات وفي البحرين", []string{"ARE", "BHR", "SAU"}},
		{"المملكة العربية السعودية ترحب", []string{"SAU"}},
		{"تقرير مالي عن أسعار النفط في عمان", nil},
		{"الألمانية والتركية", []string{"DEU", "TUR"}},
		{"وزير الداخلية البحريني لإيران: تدخلاتكم مرفوضة", []string{"BHR", "IRN"}},
		{"كاميرون يدعو لدور بريطاني أوسع في مواجهة داعش", []string{"GBR"}},
		{"السوريين والعراقيون في المجرى", []string{"IRQ", "SYR"}},
		{"", nil},
	} {
		if got := Countries(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Countries(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func FuzzCountries(f *testing.F) {
	f.Add("دعم للسعودية وبالإمارات وفي البحرين")
	f.Add("لل و ف")
	f.Fuzz(func(t *testing.T, s string) {
		got := Countries(s)
		if !slices.IsSorted(got) {
			t.Fatalf("not sorted: %v", got)
		}
		for _, c := range got {
			if len(c) != 3 {
				t.Fatalf("bad code %q", c)
			}
		}
	})
}
