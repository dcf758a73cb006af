package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// labelKind says what a boilerplate label announces.
type labelKind uint8

const (
	// labelWidget heads a block of links or buttons (related articles,
	// most read, share bar, newsletter box): the block goes, the article
	// may go on after it.
	labelWidget labelKind = iota + 1
	// labelTail starts the part of a page that follows the article (tags,
	// comments, related lists): in the extracted text, everything from it on goes.
	labelTail
	// labelInline introduces a single link inside the article ("اقرأ أيضا:
	// …"): only that line goes.
	labelInline
)

// boilerLabels maps label keys (see labelKey) to their kind. The labels are
// what Arabic news templates print above their widgets.
var boilerLabels = func() map[string]labelKind {
	m := map[string]labelKind{}
	add := func(k labelKind, labels ...string) {
		for _, l := range labels {
			m[labelKey(l)] = k
		}
	}
	add(labelTail,
		"الأكثر قراءة", "الأكثر قراءة اليوم", "الأكثر مشاهدة", "الأكثر تداولا", "الأكثر شعبية", "الأكثر تعليقا",
		"الأكثر قراءة في", "الأكثر تفاعلا", "الاكثر قراءة",
		"أخبار ذات صلة", "أخبار متعلقة", "أخبار مرتبطة", "مواضيع ذات صلة", "المواضيع ذات الصلة", "مقالات ذات صلة",
		"موضوعات ذات صلة", "مواد ذات صلة", "ذات صلة", "أخبار ذات علاقة", "مواضيع متعلقة", "قصص ذات صلة",
		"قد يهمك أيضا", "قد يهمك", "قد يعجبك أيضا", "قد يعجبك", "ننصحك بقراءة", "المزيد من الأخبار",
		"كلمات دلالية", "الكلمات الدلالية", "الكلمات المفتاحية", "الوسوم", "وسوم", "العلامات", "التصنيفات",
		"التعليقات", "تعليقات", "أضف تعليق", "أضف تعليقك", "إضافة تعليق جديد", "اترك تعليقا", "اكتب تعليقك",
		"تعليقات القراء", "شارك برأيك",
	)
	add(labelInline,
		"اقرأ أيضا", "إقرأ أيضا", "اقرأ كذلك", "اقرأ المزيد", "إقرأ المزيد", "اقرأ أيضا من", "شاهد أيضا",
		"طالع أيضا", "للمزيد", "اقرأ", "إقرأ", "شاهد",
	)
	add(labelWidget,
		"شارك", "شارك الخبر", "شارك المقال", "شارك هذا المقال", "شارك هذا الخبر", "شاركها", "شاركه", "مشاركة",
		"مشاركة الخبر", "مشاركة المقال", "شارك على", "انشر", "شارك عبر", "مشاركة عبر",
		"تابعنا", "تابعونا", "تابعنا على", "تابعونا على", "تابعنا عبر", "تابعوا", "تابعوا آخر الأخبار",
		"النشرة البريدية", "النشرة الإخبارية", "اشترك في النشرة البريدية", "اشترك في نشرتنا", "اشترك", "اشترك الآن",
		"الأخبار العاجلة", "آخر الأخبار", "أخبار عاجلة", "إشعارات الأخبار", "افتح التطبيق", "حمل التطبيق",
		"تحميل التطبيق", "نسخ الرابط", "طباعة", "تكبير الخط", "تصغير الخط", "حجم الخط", "إعلان", "اعلان",
		"أحدث الأخبار", "آخر الأخبار", "الأخبار الرئيسية", "الرئيسية",
	)
	return m
}()

// labelKey is the comparison form of a short label: Arabic letter variants
// folded, marks and tatweel dropped, punctuation and spaces trimmed.
func labelKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch r {
		case 'أ', 'إ', 'آ', 'ٱ':
			r = 'ا'
		case 'ى':
			r = 'ي'
		case 'ة':
			r = 'ه'
		case 'ـ':
			continue
		}
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		space = true
	}
	return b.String()
}

// labelOf returns the kind of a label at the start of s and the rest of s
// after it; it tries the longest labels first by trying prefixes of up to
// six words.
func labelOf(s string) (labelKind, string) {
	key := labelKey(s)
	if k, ok := boilerLabels[key]; ok {
		return k, ""
	}
	words := strings.Fields(key)
	for n := min(6, len(words)-1); n >= 1; n-- {
		if k, ok := boilerLabels[strings.Join(words[:n], " ")]; ok {
			return k, strings.Join(words[n:], " ")
		}
	}
	return 0, ""
}

// isNotice recognises cookie consent notices and the disclaimers sites
// print above their comments ("الآراء الواردة أدناه لا تعبر عن رأي الموقع").
// Each needs two kinds of words, so that an article quoting "لا تعبر عن رأي
// الحكومة" keeps its paragraph.
func isNotice(text string) bool {
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(text, w) {
				return true
			}
		}
		return false
	}
	if has("ملفات تعريف الارتباط", "ملفات الكوكيز", "ملفات الارتباط", "الكوكيز") &&
		has("نستخدم", "يستخدم", "موافق", "قبول", "أوافق", "الموقع", "تصفح") {
		return true
	}
	return has("التعليقات", "الآراء الواردة", "تعليقك", "التعليق") &&
		has("لا تعبر", "لا تعبّر", "تعكس وجهات نظر", "إرشادات", "قبل نشرها", "شروط", "سياسة")
}

// textStats are rune counts of an element's text, all and inside links.
type textStats struct{ all, link int }

func collectStats(n *html.Node, stats map[*html.Node]textStats, inLink bool) textStats {
	var s textStats
	if n.Type == html.TextNode {
		c := 0
		for _, r := range n.Data {
			if !unicode.IsSpace(r) {
				c++
			}
		}
		s.all = c
		if inLink {
			s.link = c
		}
		return s
	}
	if n.Type == html.ElementNode && skipped[n.DataAtom] {
		return s
	}
	link := inLink || n.Type == html.ElementNode && (n.DataAtom == atom.A || n.DataAtom == atom.Button)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cs := collectStats(c, stats, link)
		s.all += cs.all
		s.link += cs.link
	}
	if n.Type == html.ElementNode {
		stats[n] = s
	}
	return s
}

// maxLabelRunes bounds the text of an element that is taken for a label.
const maxLabelRunes = 40

// pruneBoilerplate removes, before extraction, the blocks that Arabic
// templates label in words: related and most-read lists, share bars,
// "اقرأ أيضا" links, tag lists, comment forms, newsletter and cookie boxes.
// go-trafilatura recognises such blocks by English class names; Arabic
// sites often name them only in their visible labels.
func pruneBoilerplate(doc *html.Node) {
	stats := map[*html.Node]textStats{}
	collectStats(doc, stats, false)
	var remove []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if skipped[n.DataAtom] {
				return
			}
			st := stats[n]
			if st.all > 0 && st.all <= 400 {
				if target := boilerBlock(n, st, stats); target != nil {
					remove = append(remove, target...)
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, n := range remove {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// boilerBlock decides whether n is a boilerplate label or notice and
// returns the nodes to remove with it.
func boilerBlock(n *html.Node, st textStats, stats map[*html.Node]textStats) []*html.Node {
	switch n.DataAtom {
	case atom.Body, atom.Html, atom.Main, atom.Article, atom.Title, atom.Head:
		return nil
	}
	text := collapseSpace(textOf(n))
	if st.all <= 400 {
		if isNotice(text) {
			return []*html.Node{widgetOf(n, stats)}
		}
	}
	kind, rest := labelOf(text)
	if kind == 0 {
		return nil
	}
	restRunes := utf8.RuneCountInString(rest)
	switch {
	case rest == "" && st.all <= maxLabelRunes:
		// A bare label.
	case kind == labelInline && restRunes <= 200 && (st.link*2 >= st.all || hasColonAfterLabel(text)):
		// "اقرأ أيضا: <a>…</a>": a one-line teaser inside the article.
		return []*html.Node{n}
	case kind == labelTail && st.link*2 >= st.all && st.all <= 400:
		// "كلمات دلالية" followed by tag links.
	default:
		return nil
	}
	if kind == labelInline {
		// A bare "اقرأ أيضا" heading: it and the links right after it.
		out := []*html.Node{n}
		for s := nextElement(n); s != nil; s = nextElement(s) {
			ss := stats[s]
			if ss.all == 0 || ss.link*10 < ss.all*6 || ss.all > 600 {
				break
			}
			out = append(out, s)
		}
		return out
	}
	w := widgetOf(n, stats)
	out := []*html.Node{w}
	if w == n {
		// The label stands among the article's paragraphs; the link list
		// it announces follows it.
		for s := nextElement(n); s != nil; s = nextElement(s) {
			ss := stats[s]
			if ss.all == 0 || ss.link*10 < ss.all*6 || ss.all > 1500 {
				break
			}
			out = append(out, s)
		}
	}
	return out
}

// hasColonAfterLabel tells whether s opens with a whole label and a colon,
// as in "كلمات دلالية: …", and not with a label word that starts a sentence
// ("تعليقات الوزير: …").
func hasColonAfterLabel(s string) bool {
	i := strings.IndexAny(s, ":：")
	if i <= 0 || utf8.RuneCountInString(s[:i]) > 30 {
		return false
	}
	kind, rest := labelOf(s[:i])
	return kind != 0 && rest == ""
}

func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
			return nil
		}
	}
	return nil
}

// widgetOf climbs from a label to the block it heads: the largest ancestor
// whose other text is links or little else.
func widgetOf(n *html.Node, stats map[*html.Node]textStats) *html.Node {
	w := n
	for {
		p := w.Parent
		if p == nil || p.Type != html.ElementNode {
			return w
		}
		switch p.DataAtom {
		case atom.Body, atom.Html, atom.Main, atom.Article:
			return w
		}
		ps, ws := stats[p], stats[w]
		otherPlain := (ps.all - ps.link) - (ws.all - ws.link)
		if ps.all > 3000 || otherPlain > 150 && !(ps.link*2 >= ps.all && ps.all <= 1500) {
			return w
		}
		w = p
	}
}

// trimBoilerplateParagraphs drops from extracted text the label lines that
// survived extraction, and everything after a label that starts the page's
// tail (tags, comments, related lists) once the article has begun.
func trimBoilerplateParagraphs(text string) string {
	if text == "" {
		return text
	}
	paras := strings.Split(text, "\n\n")
	out := paras[:0]
	for i, p := range paras {
		kind, rest := labelOf(p)
		runes := utf8.RuneCountInString(p)
		switch {
		case kind == 0:
			out = append(out, p)
			continue
		case kind == labelTail && i > 0 && (rest == "" || runes <= 300 && hasColonAfterLabel(p)):
			return strings.Join(out, "\n\n")
		case rest == "" && runes <= maxLabelRunes:
			continue // a bare label
		case kind == labelInline && hasColonAfterLabel(p) && runes <= 200:
			continue // "اقرأ أيضا: …"
		}
		out = append(out, p)
	}
	return strings.Join(out, "\n\n")
}
