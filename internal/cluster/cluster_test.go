package cluster

import (
	"encoding/binary"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"khabar/internal/dedup"
	"khabar/internal/sharedtest"
)

var t0 = time.Date(2024, 3, 2, 9, 0, 0, 0, time.UTC)

// memIndex is a tiny in-memory stand-in for the store: band key → article
// ids, and the candidates' fields.
type memIndex struct {
	bands map[uint64][]int64
	arts  map[int64]Candidate
	next  int64
	limit int                // the store's Candidates limit; 0 means none
	feat  map[int64]Features // kept when not nil, for diagnostics
}

func newMemIndex() *memIndex {
	return &memIndex{bands: map[uint64][]int64{}, arts: map[int64]Candidate{}}
}

func (m *memIndex) candidates(bands []uint64, since time.Time) []Candidate {
	shared := map[int64]int{}
	for _, b := range bands {
		for _, id := range m.bands[b] {
			shared[id]++
		}
	}
	var out []Candidate
	for id, n := range shared {
		c := m.arts[id]
		if c.Published.Before(since) {
			continue
		}
		c.Shared = n
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if a.Shared != b.Shared {
			return b.Shared - a.Shared
		}
		return int(a.ID - b.ID)
	})
	if m.limit > 0 && len(out) > m.limit {
		out = out[:m.limit]
	}
	return out
}

// add decides and stores f, returning its id and decision; stories are
// numbered by their first article's id, as the store does.
func (m *memIndex) add(f Features, opts Options) (int64, Decision) {
	d := Decide(f, m.candidates(f.Bands(), opts.Since(f.Published)), opts)
	m.next++
	id := m.next
	story := d.StoryID
	if story == 0 {
		story = id
	}
	m.arts[id] = Candidate{ID: id, SourceID: f.SourceID, StoryID: story, DuplicateOf: d.DuplicateOf,
		Published: f.Published, ContentHash: f.Text.Hash, Signature: Pack(f, d.StoryStart)}
	for _, b := range f.Bands() {
		m.bands[b] = append(m.bands[b], id)
	}
	// Roots joined to the article's root take their copies along.
	for _, r := range d.Joins {
		for k, c := range m.arts {
			if c.ID == r || c.DuplicateOf == r {
				c.DuplicateOf = d.DuplicateOf
				m.arts[k] = c
			}
		}
	}
	if m.feat != nil {
		m.feat[id] = f
	}
	return id, d
}

func readReference(t *testing.T) []string {
	t.Helper()
	p := sharedtest.Path(t, "reference", "aggregator-page.txt")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// TestReferencePage: the first article and a re-edited copy (new headline,
// another spelling, a sentence dropped, a word changed) are duplicates and
// share a story; the Syrian minister interview, also about the coalition,
// is neither.
func TestReferencePage(t *testing.T) {
	lines := readReference(t)
	if len(lines) < 22 || !strings.HasPrefix(lines[10], "إقرأ أيضاً") {
		t.Fatalf("reference page layout changed: %d lines", len(lines))
	}
	title1, body1 := lines[0], strings.Join(lines[3:9], "\n")
	title2, body2 := lines[11], strings.Join(lines[12:], "\n")

	copyTitle := "مكاري: مهمة التحالف ضد داعش لم تنته ولا خطط للانسحاب من العراق وسوريا"
	copyBody := strings.Join(lines[3:8], "\n") // the last paragraph trimmed
	copyBody = strings.ReplaceAll(copyBody, "المستقلة/- ", "بغداد – ")
	copyBody = strings.ReplaceAll(copyBody, "الامريكي", "الأمريكيّ") // hamza and shadda
	copyBody = strings.ReplaceAll(copyBody, "داعش", "داعـش")         // tatweel
	copyBody = strings.Replace(copyBody, "الليلة الماضية", "مساء أمس", 1)
	if copyBody == body1 {
		t.Fatal("copy not edited")
	}

	opts := DefaultOptions()
	idx := newMemIndex()
	f1 := testFeatures(title1, body1, 1, t0)
	id1, d1 := idx.add(f1, opts)
	if d1.StoryID != 0 || d1.DuplicateOf != 0 {
		t.Fatalf("first article: %+v, want a new story", d1)
	}
	f2 := testFeatures(title2, body2, 2, t0.Add(3*time.Hour))
	_, d2 := idx.add(f2, opts)
	if d2.DuplicateOf != 0 || d2.StoryID != 0 {
		t.Errorf("Syrian minister interview: %+v, want neither a copy nor the coalition story", d2)
	}
	fc := testFeatures(copyTitle, copyBody, 3, t0.Add(5*time.Hour))
	_, dc := idx.add(fc, opts)
	if dc.DuplicateOf != id1 || dc.StoryID != id1 {
		t.Errorf("re-edited copy: %+v, want duplicate of and story %d (similarity %.2f)",
			dc, id1, Similarity(f1, fc))
	}
	if !slices.ContainsFunc(fc.Bands(), func(k uint64) bool { return slices.Contains(f1.Bands(), k) }) {
		t.Error("copy shares no band key with the original")
	}
}

// Two cables from one template that congratulate different countries are
// not copies; the same cable under a new headline naming the same country
// is.
func TestTemplateCablesToOtherCountries(t *testing.T) {
	cable := func(country, leader string) string {
		return strings.Repeat("بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز ال سعود برقيه تهنئه لفخامه "+
			leader+" رئيس "+country+" بمناسبه ذكرى استقلال بلاده اعرب فيها عن اصدق التهاني واطيب التمنيات بالصحه والسعاده ", 2)
	}
	opts := DefaultOptions()
	idx := newMemIndex()
	f1 := testFeatures("القيادة تهنئ رئيس كولومبيا بذكرى الاستقلال", cable("كولومبيا", "الرئيس خوان مانويل سانتوس"), 1, t0)
	id1, _ := idx.add(f1, opts)
	f2 := testFeatures("القيادة تهنئ رئيس بيرو بذكرى الاستقلال", cable("بيرو", "الرئيس اويانتا هومالا"), 1, t0.Add(time.Hour))
	if dedup.NearScore(f1.Text, f2.Text) == 0 {
		t.Fatalf("the two cables are no near copies by text (similarity %.2f): the test says nothing", Similarity(f1, f2))
	}
	if _, d := idx.add(f2, opts); d.DuplicateOf != 0 {
		t.Errorf("cable to Peru: %+v, want no copy of the cable to Colombia (similarity %.2f)", d, Similarity(f1, f2))
	}
	f3 := testFeatures("خادم الحرمين يهنئ رئيس كولومبيا", cable("كولومبيا", "الرئيس خوان مانويل سانتوس"), 2, t0.Add(2*time.Hour))
	if _, d := idx.add(f3, opts); d.DuplicateOf != id1 {
		t.Errorf("the same cable to Colombia: %+v, want a copy of %d", d, id1)
	}
}

// A short item and the daily digest that quotes it whole: the digest is
// not a copy of the item, but the two are one story.
func TestDigestIsNoCopyOfItsItem(t *testing.T) {
	item := "اعلنت وزاره الصحه اليوم عن تسجيل حالات جديده في المنطقه الشرقيه وقالت الوزاره ان الحالات مستقره " +
		"وان الفرق الطبيه تتابع المخالطين في الاحساء والدمام والخبر وتعمل على فحصهم في المستشفيات"
	var other []string
	for i := range 6 {
		other = append(other, "وفي خبر اخر رقم "+strconv.Itoa(i)+" افتتح امير المنطقه مشروعا للطرق والجسور بتكلفه كبيره "+
			"في محافظه "+strings.Repeat("ا", i+2)+" وحضر الافتتاح عدد من المسؤولين والاهالي")
	}
	digest := strings.Join(other[:3], " ") + " " + item + " " + strings.Join(other[3:], " ")
	opts := DefaultOptions()
	idx := newMemIndex()
	fi := testFeatures("الصحة: حالات جديدة في الشرقية", item, 1, t0)
	id1, _ := idx.add(fi, opts)
	fd := testFeatures("حصاد اليوم", digest, 2, t0.Add(time.Hour))
	if j := Similarity(fi, fd); dedup.Containment(j, fi.Text.Shingles, fd.Text.Shingles) < dedup.DuplicateContainment {
		t.Fatalf("item not contained in the digest (similarity %.2f): the test says nothing", j)
	}
	_, d := idx.add(fd, opts)
	if d.DuplicateOf != 0 {
		t.Errorf("digest: %+v, want no copy of the item it quotes", d)
	}
	if d.StoryID != id1 {
		t.Errorf("digest: story %d, want the item's story %d", d.StoryID, id1)
	}
}

func TestPackUnpack(t *testing.T) {
	f := testFeatures("عنوان الخبر عن الاقتصاد في السعودية", strings.Repeat("نمو الاقتصاد السعودي في الربع الثاني ", 10), 4, t0)
	start := t0.Add(-time.Hour)
	p, err := Unpack(Pack(f, start))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Countries) == 0 {
		t.Fatal("title names no country: the test says nothing")
	}
	if !slices.Equal(p.Text, f.Text.Sig) || !slices.Equal(p.Topic, f.Topic) || !slices.Equal(p.Countries, f.Countries) ||
		p.Words != f.Text.Words || p.Shingles != f.Text.Shingles || !p.StoryStart.Equal(start) {
		t.Errorf("round trip lost data: %+v", p)
	}
	for name, sig := range map[string][]uint64{
		"nil":       nil,
		"magic":     {1, 2, 3},
		"truncated": Pack(f, start)[:10],
		"countries": func() []uint64 { s := Pack(f, start); s[3] = MaxCountries + 1; return s }(),
		"version":   func() []uint64 { s := Pack(f, start); s[0] = s[0]&^(0xff<<40) | 9<<40; return s }(),
	} {
		if _, err := Unpack(sig); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: got %v, want ErrBadSignature", name, err)
		}
	}
}

// Signatures written before titles' countries were kept still unpack.
func TestUnpackVersion1(t *testing.T) {
	f := testFeatures("عنوان الخبر عن الاقتصاد", strings.Repeat("نمو الاقتصاد السعودي في الربع الثاني ", 10), 4, t0)
	v1 := []uint64{uint64(packMagic)<<48 | 1<<40 | uint64(len(f.Text.Sig))<<24 | uint64(len(f.Topic))<<8 | uint64(len(f.Numbers)),
		uint64(f.Text.Words)<<32 | uint64(f.Text.Shingles), uint64(t0.Unix())}
	v1 = append(append(append(v1, f.Text.Sig...), f.Topic...), f.Numbers...)
	p, err := Unpack(v1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Text, f.Text.Sig) || !slices.Equal(p.Topic, f.Topic) || p.Countries != nil || !p.StoryStart.Equal(t0) {
		t.Errorf("version 1 read wrong: %+v", p)
	}
}

func TestTinyArticlesNeverJoin(t *testing.T) {
	opts := DefaultOptions()
	idx := newMemIndex()
	long := "اعلنت وزاره الصحه اليوم عن تسجيل حالات جديده في المنطقه الشرقيه وقالت الوزاره ان الحالات مستقره وان الفرق الطبيه تتابع المخالطين في الاحساء والدمام والخبر"
	idx.add(testFeatures("الصحه تسجل حالات جديده في الشرقيه", long, 1, t0), opts)
	for i, body := range []string{"", "عاجل", "الصحه"} {
		f := testFeatures("", body, 2, t0.Add(time.Duration(i+1)*time.Minute))
		if len(f.Bands()) != 0 {
			t.Errorf("%q: tiny article has %d band keys", body, len(f.Bands()))
		}
		_, d := idx.add(f, opts)
		if d.StoryID != 0 || d.DuplicateOf != 0 {
			t.Errorf("%q joined %+v", body, d)
		}
	}
	// A garbage signature from the store is ignored, not a panic.
	d := Decide(testFeatures("", long, 3, t0), []Candidate{{ID: 9, StoryID: 9, Signature: []uint64{1}}}, opts)
	if d.StoryID != 0 {
		t.Errorf("bad candidate joined: %+v", d)
	}
}

// TestBulletinsDoNotSnowball: one outlet's daily weather bulletin (same
// template, new numbers) over thirty days gives no story of more than a
// day, and same-day copies from other outlets still join.
func TestBulletinsDoNotSnowball(t *testing.T) {
	opts := DefaultOptions()
	idx := newMemIndex()
	members := map[int64]int{}
	for day := range 30 {
		body := bulletin(day)
		pub := t0.Add(time.Duration(day) * 24 * time.Hour)
		id, d := idx.add(testFeatures("حاله الطقس المتوقعه اليوم في المملكه", body, 7, pub), opts)
		story := d.StoryID
		if story == 0 {
			story = id
		}
		members[story]++
		// Another outlet republishes it an hour later.
		cid, cd := idx.add(testFeatures("الارصاد: طقس اليوم", body, 8, pub.Add(time.Hour)), opts)
		if cd.DuplicateOf != id || cd.StoryID != story {
			t.Errorf("day %d: republished bulletin %d: %+v, want copy of %d in story %d", day, cid, cd, id, story)
		}
	}
	for story, n := range members {
		if n > 1 {
			t.Errorf("story %d holds bulletins of %d days", story, n)
		}
	}
}

// bulletin is one day's weather bulletin: a fixed template, the day's
// date and figures.
func bulletin(day int) string {
	n := func(base int) string { return strconv.Itoa(base + day) }
	return "الرياض " + n(1) + " مارس توقع المركز الوطني للارصاد ان تكون درجات الحراره العظمي في الرياض " + n(40) +
		" درجه وفي جده " + n(36) + " درجه وفي الدمام " + n(44) + " درجه وفي مكه المكرمه " + n(42) +
		" درجه وفي المدينه المنوره " + n(41) + " درجه وفي ابها " + n(24) +
		" درجه مع رياح نشطه مثيره للاتربه والغبار علي اجزاء من المنطقه الشرقيه وسرعتها " + n(30) +
		" كيلومترا في الساعه وتكون الرؤيه الافقيه " + n(3) + " كيلومترات واضاف المركز ان حاله البحر الاحمر خفيفه الموج"
}

// TestStratifiedSample runs the corpus's stratified sample (210 articles
// spread over outlets and days, almost all unrelated) through the
// incremental assignment: unrelated news must not be filed as copies or
// gathered into large stories.
func TestStratifiedSample(t *testing.T) {
	arts := stratifiedSample(t)
	slices.SortStableFunc(arts, func(a, b snnArticle) int { return a.published.Compare(b.published) })
	opts := DefaultOptions()
	idx := newMemIndex()
	sources := map[string]int64{}
	stories := map[int64]int{}
	dups := 0
	for _, a := range arts {
		if sources[a.Source] == 0 {
			sources[a.Source] = int64(len(sources) + 1)
		}
		nb := testNormalize(a.Content)
		f := NewFeatures(nb, TopicTerms(testTerms(testNormalize(a.Title)), testTerms(nb), nil, isTestStop), sources[a.Source], a.published)
		id, d := idx.add(f, opts)
		if d.DuplicateOf != 0 {
			dups++
			t.Logf("copy: %q (%s) of %d", a.Title, a.Source, d.DuplicateOf)
		}
		story := d.StoryID
		if story == 0 {
			story = id
		}
		stories[story]++
	}
	largest := 0
	for _, n := range stories {
		largest = max(largest, n)
	}
	t.Logf("%d articles: %d copies, %d stories, largest %d", len(arts), dups, len(stories), largest)
	if dups > len(arts)/50 {
		t.Errorf("%d of %d sampled articles filed as copies", dups, len(arts))
	}
	if largest > 4 {
		t.Errorf("a story of %d unrelated sampled articles", largest)
	}
}

func TestHasDigit(t *testing.T) {
	for _, w := range []string{"", "خبر", "2015", "عام2015", "٢٠١٥", "۲۰۱۵", "१२", "ab", "a1", "\xff", "\xff9", "ـ", "ﻻ", "٣ملايين", "x\u0669"} {
		if got, want := hasDigit(w), strings.ContainsFunc(w, unicode.IsDigit); got != want {
			t.Errorf("hasDigit(%q) = %v, want %v", w, got, want)
		}
	}
}

func FuzzHasDigit(f *testing.F) {
	f.Add("عام ٢٠١٥")
	f.Fuzz(func(t *testing.T, w string) {
		if got, want := hasDigit(w), strings.ContainsFunc(w, unicode.IsDigit); got != want {
			t.Fatalf("hasDigit(%q) = %v, want %v", w, got, want)
		}
	})
}

// FuzzNumberHashes: the numbers of any text are sorted, distinct, at most
// MaxNumbers, and the same when its ASCII digits are written in
// Arabic-Indic.
func FuzzNumberHashes(f *testing.F) {
	f.Add("المعارض التجارية 2016م في 21 شوال 1436هـ")
	f.Add("٣٤٥ و 3٤5 و ۱۲")
	f.Fuzz(func(t *testing.T, text string) {
		words := dedup.Words(text)
		hs := numberHashes(words)
		if len(hs) > MaxNumbers || !slices.IsSorted(hs) || len(slices.Compact(slices.Clone(hs))) != len(hs) {
			t.Fatalf("numbers of %q: %v", text, hs)
		}
		indic := strings.Map(func(r rune) rune {
			if '0' <= r && r <= '9' {
				return '٠' + (r - '0')
			}
			return r
		}, text)
		if got := numberHashes(dedup.Words(indic)); !slices.Equal(got, hs) {
			t.Fatalf("numbers of %q: %v, of %q: %v", text, hs, indic, got)
		}
	})
}

// FuzzUnpack: any slice unpacks or fails with ErrBadSignature, never
// panics, and what Pack writes unpacks.
func FuzzUnpack(f *testing.F) {
	good := Pack(testFeatures("القيادة تهنئ رئيس كولومبيا", strings.Repeat("نمو الاقتصاد في الربع الثاني ", 8), 1, t0), t0)
	seed := func(sig []uint64) []byte {
		b := make([]byte, 0, 8*len(sig))
		for _, v := range sig {
			b = binary.LittleEndian.AppendUint64(b, v)
		}
		return b
	}
	f.Add(seed(good))
	f.Add(seed(good[:5]))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		sig := make([]uint64, len(b)/8)
		for i := range sig {
			sig[i] = binary.LittleEndian.Uint64(b[8*i:])
		}
		p, err := Unpack(sig)
		if err != nil {
			if !errors.Is(err, ErrBadSignature) {
				t.Fatalf("error %v is not ErrBadSignature", err)
			}
			return
		}
		if len(p.Countries) > MaxCountries {
			t.Fatalf("%d countries", len(p.Countries))
		}
	})
}

// Two edits of one text, each stored as a root because they fell just
// under the copy threshold of each other, and a third that is a copy of
// both: the third joins the later root to the earlier, so that the text
// has one root.
func TestCopyJoinsSplitRoots(t *testing.T) {
	letters := []rune("بتثجحخدذرزسشصضطظعغفقكلمنهوي")
	segment := func(k int) string {
		var ws []string
		for i := range 30 {
			n := k*30 + i
			ws = append(ws, string([]rune{letters[n%27], letters[n/27%27], letters[n/729%27], 'ا'}))
		}
		return strings.Join(ws, " ")
	}
	text := func(ks ...int) string {
		var ss []string
		for _, k := range ks {
			ss = append(ss, segment(k))
		}
		return strings.Join(ss, " ")
	}
	opts := DefaultOptions()
	idx := newMemIndex()
	fa := testFeatures("حريق في مستودع", text(1, 2, 3, 4, 5), 1, t0)
	fb := testFeatures("فرق الإطفاء تخمد حريقا", text(3, 4, 5, 6, 7), 2, t0.Add(time.Hour))
	fc := testFeatures("الدفاع المدني يسيطر على حريق", text(2, 3, 4, 5, 6), 3, t0.Add(2*time.Hour))
	if dedup.NearScore(fa.Text, fb.Text) > 0 || dedup.NearScore(fc.Text, fa.Text) == 0 || dedup.NearScore(fc.Text, fb.Text) == 0 {
		t.Fatalf("want A and B no copies, C a copy of both (similarities %.2f, %.2f, %.2f): the test says nothing",
			Similarity(fa, fb), Similarity(fc, fa), Similarity(fc, fb))
	}
	ida, _ := idx.add(fa, opts)
	idb, db := idx.add(fb, opts)
	if db.DuplicateOf != 0 {
		t.Fatalf("B: %+v, want a root of its own", db)
	}
	_, dc := idx.add(fc, opts)
	if dc.DuplicateOf != ida || !slices.Equal(dc.Joins, []int64{idb}) {
		t.Errorf("C: copy of %d joining %v, want a copy of the earliest root %d joining %d", dc.DuplicateOf, dc.Joins, ida, idb)
	}
	// A text that only B's group shares joins nothing.
	fd := testFeatures("حريق", text(5, 6, 7, 8, 9), 4, t0.Add(3*time.Hour))
	if _, dd := idx.add(fd, opts); len(dd.Joins) > 0 {
		t.Errorf("D: %+v, want no joins", dd)
	}
}

// A number is its digits, whatever letters are glued to it or whatever
// script writes it.
func TestNumberHashes(t *testing.T) {
	a := numberHashes(dedup.Words("طلبات المعارض التجارية 2016م في 21 شوال عام 1436هـ"))
	b := numberHashes(dedup.Words("طلبات المعارض التجارية ٢٠١٦ في 21 شوال عام 1436"))
	if len(a) != 3 || !slices.Equal(a, b) {
		t.Errorf("numbers %v and %v, want the same three", a, b)
	}
	if c := numberHashes(dedup.Words("عام 2015 و 21")); len(c) != 2 || sharedSorted(a, c) != 1 {
		t.Errorf("2015 and 21: %v, want two numbers, one of them (21) shared with %v", c, a)
	}
	if n := numberHashes(dedup.Words("بلا أرقام")); len(n) != 0 {
		t.Errorf("no numbers: %v", n)
	}
}
