package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// chaosOut, when set, is where TestChaosImport writes the file it
// generates, and then stops, to import it with a built khabar (say under
// /usr/bin/time -v):
//
//	go test ./internal/cli -run TestChaosImport -args -chaos.out /tmp/chaos.jsonl
var chaosOut = flag.String("chaos.out", "", "write the chaos import's generated records to this file and skip the test")

// chaosRecords is how many records the chaos import generates.
const chaosRecords = 20000

// chaosRecord is one generated line and what the import must do with it.
type chaosRecord struct {
	line string
	url  string // "" when the record has none a store would keep
	// mustStore: a valid URL and well-formed JSON: nothing in the text
	// may keep it out of the store.
	mustStore bool
}

// chaosGen writes records of every hostile kind khabar meets in the wild
// and in the fuzzers' findings. It is deterministic.
type chaosGen struct {
	r       *rand.Rand
	scripts []string
	runes   map[string][]rune
	marks   []rune
	vocab   []string
	common  bool // this record is written in ordinary news words
}

func newChaosGen() *chaosGen {
	g := &chaosGen{r: rand.New(rand.NewPCG(16, 4)), runes: map[string][]rune{}}
	for name, tab := range unicode.Scripts {
		var rs []rune
		each(tab, func(r rune) bool {
			rs = append(rs, r)
			return len(rs) < 4000
		})
		if len(rs) > 0 {
			g.scripts = append(g.scripts, name)
			g.runes[name] = rs
		}
	}
	sort.Strings(g.scripts)
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى")
	for len(g.vocab) < 5000 {
		var b strings.Builder
		if g.r.IntN(3) == 0 {
			b.WriteString("ال")
		}
		for range 3 + g.r.IntN(4) {
			b.WriteRune(letters[g.r.IntN(len(letters))])
		}
		g.vocab = append(g.vocab, b.String())
	}
	each(unicode.Mn, func(r rune) bool {
		g.marks = append(g.marks, r)
		return true
	})
	return g
}

// each calls f with the runes of tab until f returns false.
func each(tab *unicode.RangeTable, f func(rune) bool) {
	for _, r := range tab.R16 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			if !f(c) {
				return
			}
		}
	}
	for _, r := range tab.R32 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			if !f(c) {
				return
			}
		}
	}
}

var (
	chaosPersian = strings.Fields(`وزیر امور خارجه ایران گفت که مذاکرات هسته‌ای در ژنو ادامه پیدا می‌کند و گزارش‌ها نشان می‌دهد
		چهارشنبه پیشنهاد کشورهای اروپایی بررسی خواهد شد`)
	chaosUrdu = strings.Fields(`وزیراعظم نے کہا کہ حکومت مہنگائی پر قابو پانے کے لیے اقدامات کر رہی ہے اور پاکستان کی معیشت بہتر ہوگی
		لاہور میں ڈاکٹروں کی ہڑتال جاری ہے ٹیکس ریٹرن`)
	chaosKurdish = strings.Fields(`سەرۆکی هەرێمی کوردستان ڕایگەیاند کە حکومەت بەڵێنی داوە مووچەی فەرمانبەران بدات لە هەولێر و سلێمانی
		پەرلەمان کۆبوونەوەی ئەمڕۆ دواخرا`)
	chaosVoweled = strings.Fields(`مُحَمَّدٌ رَسُولُ اللَّهِ قَالَ الْوَزِيرُ إِنَّ الْحُكُومَةَ سَتُنَفِّذُ الْمَشْرُوعَ فِي مَدِينَةِ الرِّيَاضِ غَدًا`)
	chaosEmoji   = []string{"😀", "👨‍👩‍👧‍👦", "🇸🇦", "🇵🇸", "👍🏽", "1️⃣", "❤️", "🏳️‍🌈", "🧕🏾", "☪︎", "🕋", "📰", "\U0001FAE0", "🫱🏿‍🫲🏻"}
	chaosBidi    = []string{"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", "\u034f"}
	chaosHTML    = []string{
		`<script>alert("x")</script>`, `<img src=x onerror=alert(1)>`, `<a href="javascript:alert(1)">اضغط</a>`,
		`<style>body{display:none}</style>`, `<!-- تعليق`, `<![CDATA[ نص ]]>`, `&lt;b&gt;`, `&#x202E;`, `&amp;&amp;&`,
		`<iframe src="https://evil.example/"></iframe>`, `<svg onload=alert(1)>`, `</p></div></body>`, `<p>فقرة`,
		`<b>ال</b>قدس`, `<scr<script>ipt>`, `jAvAsCrIpT:alert(1)`, `<meta http-equiv="refresh" content="0;url=https://evil.example/">`,
		`{{.}}`, `${7*7}`, `'); DROP TABLE articles;--`, `" OR 1=1 --`, `%00`, `\u0000`,
	}
	chaosLoneLetters = []string{"د", "ب", "ل", "و", "ف", "ك", "ال", "لل", "ـ", "ء", "ة", "ى", "آ", "ؤ", "ئ"}
	chaosSurrogates  = []string{`\ud800`, `\udfff`, `\ud83d`, `\ude00\ud83d`, `\udbff\udbff`, `\ud800\u0041`, `\udc00`}
	chaosNumbers     = []string{"0", "-0", "1e308", "٣٤٥", "۱۲۳۴", "١٢٫٥", "3.14159", "1,000,000", "١٬٠٠٠", "99999999999999999999", "٠٠٠", "NaN", "Infinity", "½", "²", "Ⅻ", "௰", "𝟘𝟙"}
	chaosDates       = []string{
		`253402300800`, `253402300800000`, `-62135596800`, `0`, `-1`, `1e20`, `"10000-01-01T00:00:00Z"`, `"0001-01-01"`,
		`"1899-12-31"`, `"9999-12-31T23:59:59Z"`, `"2099-01-01"`, `"٢٠٢٤/٠٣/٠١"`, `"15 رمضان 1445"`, `"منذ 3 ساعات"`, `"غدا"`,
		`"2024-02-30"`, `"2024-13-45T25:61:61Z"`, `"+275760-09-13"`, `""`, `null`, `true`, `[]`, `{}`, `"1000-1-1+1:0A000000000"`,
		`"Mon, 02 Jan 2006 15:04:05 +9999"`, `"2024-03-01T10:00:00+14:00"`, `"2024-03-01T10:00:00-12:00"`,
	}
)

func (g *chaosGen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// arabic is n words of Arabic: one record in fifty of ordinary news
// words, shared by hundreds of records (and by the giants), the others of
// a vocabulary of 5,000 made-up words, so that most records have few
// related articles and small stories, and 20,000 of them import in CI.
func (g *chaosGen) arabic(n int) string {
	list := g.vocab
	if g.common {
		list = words
	}
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.pick(list)
	}
	return strings.Join(ws, " ")
}

// script is n "words" of runes of one Unicode script.
func (g *chaosGen) script(name string, n int) string {
	rs := g.runes[name]
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		for range 1 + g.r.IntN(6) {
			b.WriteRune(rs[g.r.IntN(len(rs))])
		}
	}
	return b.String()
}

// cut cuts s at rune index i of its last word or cluster.
func cutRunes(s string, keep int) string {
	rs := []rune(s)
	return string(rs[:min(keep, len(rs))])
}

// chaosKinds are the generators of the ordinary-sized records; each
// returns a title and a text. Texts are kept to a few hundred bytes so
// that 20,000 of them import in CI; the giants are added separately.
var chaosKinds = []struct {
	name string
	gen  func(g *chaosGen, i int) (title, text string)
}{
	{"cut-mid-word", func(g *chaosGen, i int) (string, string) {
		s := g.arabic(8 + g.r.IntN(20))
		last := strings.LastIndexByte(s, ' ')
		tail := []rune(s[last+1:])
		return cutRunes(g.arabic(4), 2+g.r.IntN(20)), s[:last+1] + string(tail[:1+g.r.IntN(max(1, len(tail)-1))])
	}},
	{"cut-mid-cluster", func(g *chaosGen, i int) (string, string) {
		// A voweled word cut between its letter and its marks, or an emoji
		// sequence cut inside its joiners.
		w := []rune(g.pick(chaosVoweled))
		e := []rune(g.pick(chaosEmoji))
		return string(w[:1+g.r.IntN(len(w))]), g.arabic(6+g.r.IntN(10)) + " " + string(w[:1+g.r.IntN(len(w))]) + " " + string(e[:1+g.r.IntN(len(e))])
	}},
	{"cut-lone-letter", func(g *chaosGen, i int) (string, string) {
		l := g.pick(chaosLoneLetters)
		return "زار الوزير مدينة " + l, g.arabic(5+g.r.IntN(15)) + " " + l
	}},
	{"cut-mid-byte", func(g *chaosGen, i int) (string, string) {
		// invalid UTF-8, written raw into the JSON line
		s := g.arabic(6 + g.r.IntN(10))
		return s[:len(s)-1], s[:len(s)-1] + "\xff\xfe " + g.arabic(3) + "\xd8"
	}},
	{"unicode-script", func(g *chaosGen, i int) (string, string) {
		name := g.scripts[(i/16)%len(g.scripts)]
		return g.script(name, 3), g.script(name, 20+g.r.IntN(30)) + "\n" + g.script(name, 10)
	}},
	{"marks-without-base", func(g *chaosGen, i int) (string, string) {
		var b strings.Builder
		for range 20 + g.r.IntN(40) {
			if g.r.IntN(4) == 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(g.marks[g.r.IntN(len(g.marks))])
		}
		s := b.String()
		return s, s + " " + g.arabic(3) + "\n" + s
	}},
	{"bidi-controls", func(g *chaosGen, i int) (string, string) {
		var b strings.Builder
		for range 10 + g.r.IntN(20) {
			b.WriteString(g.pick(chaosBidi))
			if g.r.IntN(2) == 0 {
				b.WriteString(g.pick(words))
			} else {
				b.WriteString("abc 123")
			}
		}
		return g.pick(chaosBidi) + g.arabic(3) + g.pick(chaosBidi), b.String()
	}},
	{"lone-surrogates", func(g *chaosGen, i int) (string, string) {
		// sur() marks become JSON escapes of lone surrogates
		return sur(g.pick(chaosSurrogates)) + g.arabic(2), g.arabic(5) + sur(g.pick(chaosSurrogates)) + g.arabic(5) + sur(g.pick(chaosSurrogates))
	}},
	{"html-and-scripts", func(g *chaosGen, i int) (string, string) {
		return g.pick(chaosHTML) + g.arabic(2), g.arabic(4) + g.pick(chaosHTML) + g.arabic(4) + "\n" + g.pick(chaosHTML) + g.pick(chaosHTML)
	}},
	{"numbers-only", func(g *chaosGen, i int) (string, string) {
		var ns []string
		for range 5 + g.r.IntN(30) {
			ns = append(ns, g.pick(chaosNumbers))
		}
		return g.pick(chaosNumbers), strings.Join(ns, " ")
	}},
	{"emoji", func(g *chaosGen, i int) (string, string) {
		var b strings.Builder
		for range 10 + g.r.IntN(30) {
			b.WriteString(g.pick(chaosEmoji))
			if g.r.IntN(3) == 0 {
				b.WriteString(" " + g.pick(words) + " ")
			}
		}
		return g.pick(chaosEmoji) + g.pick(chaosEmoji), b.String()
	}},
	{"persian-urdu-kurdish", func(g *chaosGen, i int) (string, string) {
		lang := [][]string{chaosPersian, chaosUrdu, chaosKurdish}[i%3]
		ws := make([]string, 15+g.r.IntN(30))
		for j := range ws {
			ws[j] = lang[g.r.IntN(len(lang))]
		}
		return strings.Join(ws[:4], " "), strings.Join(ws, " ")
	}},
	{"empty", func(g *chaosGen, i int) (string, string) {
		switch i % 4 {
		case 0:
			return "", g.arabic(10)
		case 1:
			return g.arabic(3), ""
		case 2:
			return "", ""
		}
		return " \t\u00a0\u3000", "\n\n\r\n \u2028\u2029\u0085"
	}},
	{"controls-and-breaks", func(g *chaosGen, i int) (string, string) {
		return "\x00\x02" + g.arabic(2) + "\x7f", g.arabic(4) + "\x00\x1b[31m" + g.arabic(3) + "\r" + g.arabic(3) + "\u2028" + g.arabic(2) + "\f\v" + strings.Repeat("\n", 50) + g.arabic(2)
	}},
	{"mixed", func(g *chaosGen, i int) (string, string) {
		parts := []string{g.arabic(5), g.script(g.scripts[g.r.IntN(len(g.scripts))], 5), g.pick(chaosEmoji), g.pick(chaosBidi),
			g.pick(chaosHTML), g.pick(chaosNumbers), string(g.marks[g.r.IntN(len(g.marks))]), g.pick(chaosLoneLetters)}
		g.r.Shuffle(len(parts), func(a, b int) { parts[a], parts[b] = parts[b], parts[a] })
		return parts[0] + parts[1], strings.Join(parts, " ")
	}},
}

// surrogate escapes travel through the text as \x01 plus the escape, and
// quote writes them as they are.
func sur(esc string) string { return "\x01" + esc + "\x01" }

// quote writes s as a JSON string the way a careless exporter would: raw
// bytes, invalid UTF-8 included, with only what JSON requires escaped.
func quote(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 1:
			if j := strings.IndexByte(s[i+1:], 1); j >= 0 {
				b.WriteString(s[i+1 : i+1+j])
				i += j + 1
				continue
			}
			b.WriteString(`\u0001`)
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// generateChaos returns n records: the ordinary kinds in turn, the giants
// (1 MB paragraphs, a 100,000-word article, a 1 MB title), far and odd
// dates on every kind, and records an import must refuse (broken JSON,
// no URL, bad URLs, values of the wrong type, a URL seen before).
func generateChaos(n int) []chaosRecord {
	g := newChaosGen()
	out := make([]chaosRecord, 0, n)
	record := func(u, title, text, date string, extra string) chaosRecord {
		var b strings.Builder
		b.WriteString(`{"url": `)
		quote(&b, u)
		b.WriteString(`, "title": `)
		quote(&b, title)
		b.WriteString(`, "text": `)
		quote(&b, text)
		if date != "" {
			b.WriteString(`, "published": ` + date)
		}
		b.WriteString(extra)
		b.WriteString(`, "source": "chaos"}`)
		return chaosRecord{line: b.String(), url: u, mustStore: true}
	}
	giants := map[int]func(i int) chaosRecord{
		11: func(i int) chaosRecord { // a 1 MB paragraph of Arabic words
			var b strings.Builder
			for b.Len() < 1<<20 {
				b.WriteString(g.pick(words) + " ")
			}
			return record(fmt.Sprintf("https://chaos.example/giant/%d", i), "فقرة من ميغابايت", b.String(), "", "")
		},
		5011: func(i int) chaosRecord { // a 1 MB paragraph that is one word
			return record(fmt.Sprintf("https://chaos.example/giant/%d", i), "كلمة واحدة طويلة", strings.Repeat("ال", 1<<18), "", "")
		},
		9011: func(i int) chaosRecord { // a 1 MB paragraph of every script
			var b strings.Builder
			for b.Len() < 1<<20 {
				b.WriteString(g.script(g.scripts[g.r.IntN(len(g.scripts))], 8) + g.pick(chaosEmoji) + g.pick(chaosBidi) + " ")
			}
			return record(fmt.Sprintf("https://chaos.example/giant/%d", i), g.arabic(4), b.String(), "", "")
		},
		13011: func(i int) chaosRecord { // a 100,000-word article in paragraphs
			g.common = true
			var b strings.Builder
			for p := range 1000 {
				if p > 0 {
					b.WriteString("\n\n")
				}
				b.WriteString(g.arabic(100) + ".")
			}
			return record(fmt.Sprintf("https://chaos.example/giant/%d", i), "مقال من مئة ألف كلمة", b.String(), "", "")
		},
		17011: func(i int) chaosRecord { // a 1 MB title
			g.common = true
			return record(fmt.Sprintf("https://chaos.example/giant/%d", i), strings.Repeat(g.arabic(10)+" ", 1<<20/100), g.arabic(50), "", "")
		},
	}
	refused := []func(i int) chaosRecord{
		func(i int) chaosRecord {
			return chaosRecord{line: `{"url": "https://chaos.example/broken/` + strconv.Itoa(i) + `", "title": "مقطوع`}
		},
		func(i int) chaosRecord { return chaosRecord{line: `{"title": "لا رابط", "text": "نص"}`} },
		func(i int) chaosRecord {
			return chaosRecord{line: `{"url": "javascript:alert(1)", "title": "رابط خطر", "text": "نص"}`}
		},
		func(i int) chaosRecord {
			return chaosRecord{line: `{"url": "https://user:pw@chaos.example/` + strconv.Itoa(i) + `", "title": "رابط بكلمة سر", "text": "نص"}`}
		},
		func(i int) chaosRecord {
			return chaosRecord{line: `{"url": "https://chaos.example/` + strings.Repeat("a", 3000) + `", "title": "رابط طويل", "text": "نص"}`}
		},
		func(i int) chaosRecord {
			return chaosRecord{line: `{"url": "https://chaos.example/type/` + strconv.Itoa(i) + `", "title": 42, "text": ["نص"]}`}
		},
		func(i int) chaosRecord { return chaosRecord{line: `[1, 2, 3]`} },
		func(i int) chaosRecord { return chaosRecord{line: `"just a string"`} },
		func(i int) chaosRecord { return chaosRecord{line: `{"url": "` + sur(`\ud800`) + `", "title": "x"}`} },
	}
	for i := 0; len(out) < n; i++ {
		if gen, ok := giants[i]; ok {
			out = append(out, gen(i))
			continue
		}
		switch {
		case i%97 == 50:
			r := refused[(i/97)%len(refused)](i)
			r.line = strings.ReplaceAll(r.line, "\x01", "")
			out = append(out, r)
			continue
		case i%211 == 100 && i > 0:
			// the URL of a record before: stored once, counted as already stored
			prev := out[i-50]
			if prev.url != "" {
				out = append(out, chaosRecord{line: prev.line, url: prev.url})
				continue
			}
		}
		k := chaosKinds[i%len(chaosKinds)]
		g.common = i%50 == 3
		title, text := k.gen(g, i)
		date := ""
		if i%3 == 0 {
			date = g.pick(chaosDates)
		} else if i%3 == 1 {
			date = fmt.Sprintf(`"2024-%02d-%02dT%02d:00:00Z"`, 1+i%12, 1+i%28, i%24)
		}
		extra := ""
		if i%13 == 0 {
			extra = `, "author": ` + []string{`"` + g.pick(chaosEmoji) + `"`, `["أ", "ب"]`, `null`, `42`, `{"name": "x"}`}[i%5]
		}
		out = append(out, record(fmt.Sprintf("https://chaos.example/%s/%d", k.name, i), title, text, date, extra))
	}
	return out
}

func writeChaos(path string, recs []chaosRecord) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, r := range recs {
		w.WriteString(r.line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// TestChaosImport imports 20,000 generated hostile records with the real
// import command into a store that already holds articles, then checks
// that it exits 0, that each record is stored or reported with its line,
// that nothing stored before changed, and that every stored article's page
// answers 200. Its peak memory is measured on the generated file with a
// built khabar (see chaosOut).
func TestChaosImport(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 20,000 records")
	}
	ctx := context.Background()
	recs := generateChaos(chaosRecords)
	dir := t.TempDir()
	file := filepath.Join(dir, "chaos.jsonl")
	if err := writeChaos(file, recs); err != nil {
		t.Fatal(err)
	}
	if *chaosOut != "" {
		if err := writeChaos(*chaosOut, recs); err != nil {
			t.Fatal(err)
		}
		t.Skipf("wrote %d records to %s", len(recs), *chaosOut)
	}

	// What was stored before: an ordinary corpus.
	data := t.TempDir()
	before := syntheticCorpus(t, 300)
	if code, out, errOut := runCode(ctx, data, "", "import", before); code != 0 {
		t.Fatalf("first import: exit %d: %s\n%s", code, out, errOut)
	}
	exportBefore := exportAll(t, ctx, data)

	// The import runs as a child process, khabar alone, so that its peak
	// memory is its own.
	start := time.Now()
	code, out, errOut, peak := runChild(t, "--data", data, "--allow-private-networks", "import", file)
	t.Logf("import took %s, peak resident memory %d MiB", time.Since(start).Round(time.Millisecond), peak>>20)
	if code != 0 {
		t.Fatalf("chaos import: exit %d: %s\n%s", code, out, tail(errOut, 4000))
	}
	switch {
	case peak == 0:
		t.Log("no peak memory figure: /proc/self/status is Linux's")
	case peak >= 1<<30:
		t.Errorf("chaos import peaked at %d MiB of resident memory, want under 1 GiB", peak>>20)
	}
	t.Logf("%s", strings.TrimSpace(out))
	if strings.Contains(errOut, "analysis failed") || strings.Contains(errOut, "panic") {
		t.Errorf("the analysis failed on a record:\n%s", tail(errOut, 4000))
	}
	// Which lines were reported, and why.
	reported := map[int]string{}
	lineRe := regexp.MustCompile(`chaos\.jsonl:(\d+): (.*) \(skipped\)`)
	for _, m := range lineRe.FindAllStringSubmatch(errOut, -1) {
		n, _ := strconv.Atoi(m[1])
		reported[n] = m[2]
	}

	after := exportAll(t, ctx, data)
	for u, a := range exportBefore {
		b, ok := after[u]
		if !ok {
			t.Errorf("%s was stored before the chaos import and is gone", u)
			continue
		}
		if a.Title != b.Title || a.Text != b.Text || !sameTime(a.Published, b.Published) || a.ID != b.ID {
			t.Errorf("%s changed: %q/%v → %q/%v", u, a.Title, a.Published, b.Title, b.Published)
		}
	}
	stored := 0
	for i, r := range recs {
		line := i + 1
		why, wasReported := reported[line]
		_, isStored := after[r.url]
		switch {
		case r.mustStore && !isStored:
			t.Errorf("chaos.jsonl:%d (%s) is not stored (reported: %q)", line, r.url, why)
		case r.mustStore && wasReported:
			t.Errorf("chaos.jsonl:%d (%s) is stored and reported: %q", line, r.url, why)
		case !isStored && !wasReported:
			t.Errorf("chaos.jsonl:%d is neither stored nor reported: %.200s", line, r.line)
		}
		if r.mustStore {
			stored++
		}
	}
	if len(after) != len(exportBefore)+stored {
		t.Errorf("the store holds %d articles, want %d before + %d new", len(after), len(exportBefore), stored)
	}
	if !strings.Contains(out, fmt.Sprintf("imported %d articles", stored)) {
		t.Errorf("import said %q, want %d new", out, stored)
	}

	// Every stored article's page and API record answer 200.
	base, stop := serveUnlimited(t, ctx, data)
	defer stop()
	ids := make([]int64, 0, len(after))
	for _, a := range after {
		ids = append(ids, a.ID)
	}
	slices.Sort(ids)
	start = time.Now()
	var (
		mu   sync.Mutex
		bad  []string
		wg   sync.WaitGroup
		next = make(chan int64)
	)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	// Every article's page; the API's record of one article in ten and of
	// the giants (an article's record holds its whole story, and the
	// identical hostile records make stories of hundreds).
	giant := map[int64]bool{}
	for u, a := range after {
		if strings.Contains(u, "/giant/") {
			giant[a.ID] = true
		}
	}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				paths := []string{"/articles/%d"}
				if id%10 == 0 || giant[id] {
					paths = append(paths, "/api/v1/articles/%d")
				}
				for _, p := range paths {
					u := base + fmt.Sprintf(p, id)
					resp, err := client.Get(u)
					if err != nil {
						mu.Lock()
						bad = append(bad, fmt.Sprintf("%s: %v", u, err))
						mu.Unlock()
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						mu.Lock()
						bad = append(bad, fmt.Sprintf("%s: %d", u, resp.StatusCode))
						mu.Unlock()
					}
				}
			}
		}()
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	t.Logf("%d articles' pages read in %s", len(ids), time.Since(start).Round(time.Millisecond))
	if len(bad) > 0 {
		t.Errorf("%d requests failed, the first: %v", len(bad), bad[:min(len(bad), 20)])
	}
	for _, p := range []string{"/", "/api/v1/articles?limit=100", "/api/v1/stories", "/search?q=" + urlQuery("الوزير"), "/feed.xml"} {
		if code, body := get(t, base+p); code != 200 && !(p == "/feed.xml" && code == 404) {
			t.Errorf("%s: %d %.300s", p, code, body)
		}
	}
}

// serveUnlimited starts `khabar serve --no-crawl` over data without the
// per-client rate limit, for a test that reads every page.
func serveUnlimited(t *testing.T, ctx context.Context, data string) (string, func()) {
	t.Helper()
	var out lockedBuffer
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() {
		done <- Run(sctx, []string{"--data", data, "serve", "--no-crawl", "--addr", "127.0.0.1:0"},
			[]string{"KHABAR_LOG_LEVEL=warn", "KHABAR_RATE_LIMIT=0"}, strings.NewReader(""), &out, io.Discard)
	}()
	stop := func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	}
	addrRe := regexp.MustCompile(`serving on (http://\S+)`)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(out.String()); m != nil {
			return m[1], stop
		}
	}
	stop()
	t.Fatalf("serve did not start: %s", out.String())
	return "", nil
}

func sameTime(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}

// exportAll is the store's articles by URL, as export gives them.
func exportAll(t *testing.T, ctx context.Context, data string) map[string]exportJSON {
	t.Helper()
	code, out, errOut := runCode(ctx, data, "", "export")
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	all := map[string]exportJSON{}
	dec := json.NewDecoder(strings.NewReader(out))
	for {
		var e exportJSON
		if err := dec.Decode(&e); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("export: %v", err)
		}
		all[e.URL] = e
	}
	return all
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return "…" + s[i:]
}

// runChild runs khabar with args as a child process of the test binary
// (TestMain) and returns its exit code, output and peak resident memory in
// bytes, as the child measured it.
func runChild(t *testing.T, args ...string) (code int, stdout, stderr string, peak int64) {
	t.Helper()
	peakFile := filepath.Join(t.TempDir(), "peak")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "KHABAR_TEST_CHILD_ARGS="+strings.Join(args, "\x1f"), "KHABAR_TEST_CHILD_PEAK="+peakFile,
		"KHABAR_PER_HOST_DELAY=0s", "KHABAR_LOG_LEVEL=warn")
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("khabar %s: %v", strings.Join(args, " "), err)
	}
	if b, err := os.ReadFile(peakFile); err == nil {
		peak, _ = strconv.ParseInt(string(b), 10, 64)
	}
	return code, out.String(), errb.String(), peak
}
