package arabic

import (
	"encoding/xml"
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

func TestDetectLanguageSentences(t *testing.T) {
	tests := []struct{ want, text string }{
		{"ar", "قال وزير الخارجية إن المحادثات التي جرت في القاهرة كانت بناءة، وإن الطرفين اتفقا على مواصلة الحوار خلال الأسابيع المقبلة."},
		{"ar", "أعلنت وزارة الصحة عن افتتاح مستشفى جديد في المدينة"},
		{"ar", "الدولی للتنمیة یعلن عن مشروع جدید فی الیمن"}, // Arabic with Persian yeh, as some sites write it
		{"fa", "وزیر امور خارجه ایران روز دوشنبه گفت که مذاکرات با کشورهای اروپایی ادامه خواهد داشت و این موضوع برای ما مهم است."},
		{"fa", "به گزارش خبرگزاری‌ها، قیمت نفت در بازارهای جهانی امروز افزایش یافت."},
		{"ur", "پاکستان کے وزیر اعظم نے کہا ہے کہ حکومت معیشت کی بہتری کے لیے اقدامات کر رہی ہے اور عوام کو ریلیف دیا جائے گا۔"},
		{"ckb", "سەرۆکی هەرێمی کوردستان ئەمڕۆ لەگەڵ شاندێکی حکومەتی عێراق کۆبووەوە و باسی پرسی بودجەیان کرد."},
		{"ckb", "خەڵکی شاری سلێمانی بۆ خۆپیشاندان لە بەردەم پەرلەمان کۆبوونەوە"},
		{"en", "The foreign minister said on Monday that the talks with European countries would continue and that this was important."},
		{"en", "Oil prices rose in world markets today after the announcement by the producers."},
		{"fr", "Le ministre des Affaires étrangères a déclaré lundi que les négociations avec les pays européens se poursuivraient."},
		{"fr", "Les prix du pétrole ont augmenté aujourd'hui sur les marchés mondiaux après l'annonce des producteurs."},
		{"", "Der Außenminister sagte am Montag, dass die Gespräche fortgesetzt würden."},
		{"", "Министр иностранных дел заявил в понедельник"},
		{"", "١٢٣"},
		{"", ""},
		{"", "\xff\xfe\xfd"},
	}
	for _, tt := range tests {
		if got := DetectLanguage(tt.text); got != tt.want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestDetectLanguageUrduFeed runs the detector over every item of a real
// BBC Urdu feed: title and description together, as ingest sees them.
func TestDetectLanguageUrduFeed(t *testing.T) {
	var feed struct {
		Items []struct {
			Title       string `xml:"title"`
			Description string `xml:"description"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal([]byte(readTestdata(t, "bbc-urdu-2018/feed.xml")), &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Items) < 20 {
		t.Fatalf("feed has %d items", len(feed.Items))
	}
	right, titlesRight := 0, 0
	for _, it := range feed.Items {
		if got := DetectLanguage(it.Title + "\n" + it.Description); got == "ur" {
			right++
		} else {
			t.Logf("item %q: got %q", it.Title, got)
		}
		if DetectLanguage(it.Title) == "ur" {
			titlesRight++
		}
	}
	t.Logf("BBC Urdu: %d/%d items, %d/%d titles alone detected as ur", right, len(feed.Items), titlesRight, len(feed.Items))
	if right < len(feed.Items) {
		t.Errorf("%d of %d items not detected as Urdu", len(feed.Items)-right, len(feed.Items))
	}
}

var tagRE = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)

func TestDetectLanguageArabicPages(t *testing.T) {
	pages := []string{
		"cnn-arabic-newspaper4k/expected-text.txt",
		"skynews-almasryalyoum-fetchutil/almasryalyoum_article.html",
		"skynews-almasryalyoum-fetchutil/skynewsarabia_article.html",
		"assabah-trafilatura/source.html",
	}
	for _, p := range pages {
		text := html.UnescapeString(tagRE.ReplaceAllString(readTestdata(t, p), " "))
		if got := DetectLanguage(text); got != "ar" {
			t.Errorf("%s: DetectLanguage = %q, want ar", p, got)
		}
		// Every paragraph of some length that is mostly Arabic letters,
		// on its own too.
		lines, right := 0, 0
		for line := range strings.SplitSeq(text, "\n") {
			if arabicShare(line) < 0.8 || len([]rune(line)) < 60 {
				continue
			}
			lines++
			if got := DetectLanguage(line); got == "ar" {
				right++
			} else {
				t.Errorf("%s: line %q detected as %q", p, strings.TrimSpace(line), got)
			}
		}
		t.Logf("%s: %d/%d Arabic lines detected as ar", p, right, lines)
	}
}

func arabicShare(s string) float64 {
	var ar, all int
	for _, r := range s {
		if unicode.IsLetter(r) {
			all++
			if unicode.Is(unicode.Arabic, r) {
				ar++
			}
		}
	}
	if all == 0 {
		return 0
	}
	return float64(ar) / float64(all)
}

func BenchmarkDetectLanguage(b *testing.B) {
	text := readTestdata(b, "cnn-arabic-newspaper4k/expected-text.txt")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		DetectLanguage(text)
	}
}
