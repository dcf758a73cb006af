package entities

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"khabar/internal/analysis"
	"khabar/internal/model"
)

var rec = New(Options{})

// rulesRec is the recognizer of gazetteers and context rules alone: the
// rules still find the names a store learns (NameObservations) and can be
// chosen with ModeRules, so their conventions stay tested here.
var rulesRec = New(Options{Mode: ModeRules | ModeSurnames})

func recognize(r *Recognizer, text string) []model.Entity {
	a := analysis.New(analysis.Options{Names: r.Names()})
	return r.Recognize(text, a.Analyze(text))
}

// find returns the entity of that type whose name or a mention is name.
func find(ents []model.Entity, typ, name string) (model.Entity, bool) {
	for _, e := range ents {
		if e.Type != typ {
			continue
		}
		if e.Name == name || slices.Contains(e.Mentions, name) {
			return e, true
		}
	}
	return model.Entity{}, false
}

func TestReferencePage(t *testing.T) {
	ents := recognize(rulesRec, referenceArticle(t))
	for _, want := range []struct{ typ, name string }{
		{model.EntityPerson, "مكاري"},
		{model.EntityPerson, "يحيى رسول"},
		{model.EntityPlace, "العراق"},
		{model.EntityPlace, "سوريا"},
		{model.EntityPlace, "بغداد"},
		{model.EntityOrg, "قناة الحرة"},
	} {
		if _, ok := find(ents, want.typ, want.name); !ok {
			t.Errorf("missing %s %q in %v", want.typ, want.name, ents)
		}
	}
	if e, ok := find(ents, model.EntityPerson, "مكاري"); ok && e.Name != "ألن مكاري" {
		t.Errorf("مكاري: canonical %q, want the full name ألن مكاري", e.Name)
	}
	daesh, ok := find(ents, model.EntityOrg, "داعش")
	if !ok || !slices.Contains(daesh.Mentions, "تنظيم الدولة") {
		t.Errorf("want one ORG joining داعش and تنظيم الدولة, got %+v", daesh)
	}
	for _, e := range ents {
		for _, s := range append([]string{e.Name}, e.Mentions...) {
			if strings.ContainsAny(s, "یک") {
				t.Errorf("%q: Persian letters in a name", s)
			}
		}
		// "قناة الحرة الامريكية" is the channel, not the channel plus its nationality
		if strings.Contains(e.Name, "الامريكية") {
			t.Errorf("%q: nationality adjective kept in a name", e.Name)
		}
	}
}

func TestClitics(t *testing.T) {
	text := "وصل الوفد لبغداد ثم توجه وسوريا تراقب ما يجري بالعراق وفي لبنان."
	ents := recognize(rec, text)
	for _, name := range []string{"بغداد", "سوريا", "العراق", "لبنان"} {
		e, ok := find(ents, model.EntityPlace, name)
		if !ok || e.Name != name {
			t.Errorf("want LOC %q, got %+v in %v", name, e, ents)
		}
	}
}

func TestRules(t *testing.T) {
	tests := []struct {
		name, text, typ, want string
	}{
		{"title", "وقال العقيد خالد المحمدي إن القوات تقدمت.", model.EntityPerson, "خالد المحمدي"},
		{"title with complement", "وأكد وزير الخارجية الأردني أيمن الصفدي أن الحل سياسي.", model.EntityPerson, "أيمن الصفدي"},
		{"ministry", "أعلنت وزارة الداخلية السعودية القبض على خلية.", model.EntityOrg, "وزارة الداخلية السعودية"},
		{"media nisba", "في مقابلة مع قناة الحرة الامريكية أمس.", model.EntityOrg, "قناة الحرة"},
		{"alias", "شن تنظيم الدولة الإسلامية هجوما.", model.EntityOrg, "داعش"},
		{"place noun", "وقع الانفجار في مدينة تدمر وسط البلاد.", model.EntityPlace, "تدمر"},
		{"event", "تستضيف قطر بطولة كأس العالم هذا العام.", model.EntityMisc, "كأس العالم"},
		{"persian yeh", "زار الرئیس الإیرانی طهران.", model.EntityPlace, "طهران"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ents := recognize(rulesRec, tt.text)
			e, ok := find(ents, tt.typ, tt.want)
			if !ok || e.Name != tt.want {
				t.Errorf("want %s %q, got %v", tt.typ, tt.want, ents)
			}
		})
	}
}

func TestSurnameJoin(t *testing.T) {
	text := "قال الدبلوماسي ألن مكاري إن المهمة مستمرة. وأضاف إيان مكاري في بيان أن الوضع معقد. ورأى مكاري أن الحل بعيد."
	ents := recognize(rec, text)
	var persons []model.Entity
	for _, e := range ents {
		if e.Type == model.EntityPerson {
			persons = append(persons, e)
		}
	}
	if len(persons) != 1 {
		t.Fatalf("want one person joined on the surname, got %v", persons)
	}
	if len(persons[0].Mentions) != 3 {
		t.Errorf("want mentions ألن مكاري, إيان مكاري, مكاري; got %q", persons[0].Mentions)
	}
}

func TestPrecisionTraps(t *testing.T) {
	// common words that look like names must not become entities
	text := "وقال المتحدث باسم الحكومة إن الخطة جيدة. وحصل على دعم مالي كبير. وأكد على ضرورة العمل."
	for _, e := range recognize(rec, text) {
		t.Errorf("unexpected entity %+v", e)
	}
}

func TestTagCoNLL(t *testing.T) {
	sent := []string{"وقال", "اللواء", "يحيى", "رسول", "إن", "قوات", "التحالف", "في", "بغداد", "،", "", "ABC", "2024", "لسوريا", "."}
	tags := rec.TagCoNLL(sent)
	if len(tags) != len(sent) {
		t.Fatalf("%d tags for %d tokens", len(tags), len(sent))
	}
	want := map[int]string{2: "B-PERS", 3: "I-PERS", 8: "B-LOC", 9: "O", 10: "O", 11: "O", 12: "O", 13: "B-LOC", 14: "O"}
	for i, w := range want {
		if tags[i] != w {
			t.Errorf("token %d %q: tag %s, want %s (all: %v)", i, sent[i], tags[i], w, tags)
		}
	}
	if got := rec.TagCoNLL(nil); len(got) != 0 {
		t.Errorf("nil sentence: %v", got)
	}
}

func TestNamesAndLearned(t *testing.T) {
	names := rec.Names()
	for _, n := range []string{"لبنان", "بحرين", "البحرين", "بغداد", "داعش", "مكه"} {
		if !names.Has(n) {
			t.Errorf("Names().Has(%q) = false", n)
		}
	}
	for _, n := range []string{"في", "وزاره", "الدول", "متحده"} {
		if names.Has(n) {
			t.Errorf("Names().Has(%q) = true: a common word kept from the stemmer", n)
		}
	}
	text := "وقال الناشط سامر زعيتر إن الحملة مستمرة. وأضاف زعيتر أن المشاركة واسعة."
	obs := rec.NameObservations(text, nil)
	if _, ok := find(obs, model.EntityPerson, "سامر زعيتر"); !ok {
		t.Fatalf("NameObservations: %v", obs)
	}
	learned := New(Options{Learned: obs})
	ents := recognize(learned, "التقى زعيتر بالوفد.")
	if e, ok := find(ents, model.EntityPerson, "زعيتر"); !ok || e.Name != "سامر زعيتر" {
		t.Errorf("learned name not recognized: %v", ents)
	}
	// the tagger may well read زعيتر as a name by itself: the gazetteers
	// the rules read are what learning must leave alone
	if ents := recognize(rulesRec, "التقى زعيتر بالوفد."); len(ents) != 0 {
		t.Errorf("base recognizer changed by learning: %v", ents)
	}
}

func TestBadInput(t *testing.T) {
	long := strings.Repeat("قال الرئيس محمد علي في بغداد إن تنظيم داعش انتهى. ", 5000)
	ents := rec.Recognize(long, nil)
	if len(ents) == 0 {
		t.Error("long article: no entities")
	}
	for _, text := range []string{"", "   ", "Hello world, no Arabic here.", "\xff\xfe\x00", "،،،؛؛", "12345"} {
		if ents := rec.Recognize(text, nil); len(ents) != 0 {
			t.Errorf("%q: %v", text, ents)
		}
	}
}

func FuzzRecognize(f *testing.F) {
	f.Add("قال اللواء يحيى رسول في بغداد")
	f.Add("قناة الحرة الامريكية، وزارة الداخلية؛ مدينة تدمر")
	f.Add("وسوريا لبغداد بالعراق \u200f ی ک")
	a := analysis.New(analysis.Options{Names: rec.Names()})
	// the default recognizer, every recognizer with the context rules, and
	// document consistency without the tagger
	recs := []*Recognizer{rec, New(Options{Mode: ModeRules}), New(Options{Mode: ModeModel | ModeRules | ModeSurnames}),
		New(Options{Mode: ModeRules | ModeConsistent})}
	f.Fuzz(func(t *testing.T, text string) {
		for _, r := range recs {
			for _, toks := range [][]analysis.Token{nil, a.Analyze(text)} {
				for _, e := range r.Recognize(text, toks) {
					if e.Name == "" || len(e.Mentions) == 0 || !utf8.ValidString(e.Name) {
						t.Fatalf("bad entity %+v", e)
					}
				}
				r.NameObservations(text, toks)
			}
			words := strings.Fields(text)
			if got := r.TagCoNLL(words); len(got) != len(words) {
				t.Fatalf("%d tags for %d tokens", len(got), len(words))
			}
		}
	})
}

func TestTagCoNLLDocument(t *testing.T) {
	doc := [][]string{
		{"قال", "المبعوث", "ألن", "مكاري", "إن", "المهمة", "مستمرة", "."},
		{"وأضاف", "مكاري", "أن", "الحل", "بعيد", "."},
		{},
		{" ", "x y", "؟؟", "مكاري"},
	}
	tags := rec.TagCoNLLDocument(doc)
	if len(tags) != len(doc) {
		t.Fatalf("%d tag slices for %d sentences", len(tags), len(doc))
	}
	for i := range doc {
		if len(tags[i]) != len(doc[i]) {
			t.Fatalf("sentence %d: %d tags for %d tokens", i, len(tags[i]), len(doc[i]))
		}
	}
	if tags[0][2] != "B-PERS" || tags[0][3] != "I-PERS" {
		t.Errorf("full name: %v", tags[0])
	}
	if tags[1][1] != "B-PERS" {
		t.Errorf("surname in a later sentence: %v", tags[1])
	}
	if tags[3][0] != "O" || tags[3][1] != "O" || tags[3][3] != "B-PERS" {
		t.Errorf("odd tokens: %v", tags[3])
	}
	// a sentence on its own knows no surnames from elsewhere (the tagger
	// may read مكاري as a name from its context: ask the rules)
	if got := rulesRec.TagCoNLL(doc[1]); got[1] != "O" {
		t.Errorf("TagCoNLL alone: %v", got)
	}
}

// TestRecognizeAll checks that the one-pass RecognizeAll returns exactly
// what Recognize and NameObservations return, over the development
// sentences (in groups of ten, so that names recur) and the reference page.
func TestRecognizeAll(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "dev.conll"))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	var b strings.Builder
	n := 0
	for line := range strings.SplitSeq(string(raw), "\n") {
		if strings.TrimSpace(line) == "" {
			if n++; n%10 == 0 && b.Len() > 0 {
				texts = append(texts, b.String())
				b.Reset()
			}
			continue
		}
		if f := strings.Fields(line); len(f) > 0 {
			b.WriteString(f[0] + " ")
		}
	}
	texts = append(texts, b.String(), "", "؟")
	a := analysis.New(analysis.Options{Names: rec.Names()})
	ents, names := 0, 0
	for _, text := range texts {
		toks := a.Analyze(text)
		gotE, gotN := rec.RecognizeAll(text, toks)
		wantE, wantN := rec.Recognize(text, toks), rec.NameObservations(text, toks)
		if !reflect.DeepEqual(gotE, wantE) || !reflect.DeepEqual(gotN, wantN) {
			t.Fatalf("%q:\nRecognizeAll %v, %v\nseparately   %v, %v", text, gotE, gotN, wantE, wantN)
		}
		ents += len(gotE)
		names += len(gotN)
	}
	if ents == 0 || names == 0 {
		t.Errorf("%d texts gave %d entities and %d names: nothing compared", len(texts), ents, names)
	}
}

// A title as the last word of a text (feed summaries are often cut there),
// or before a word that is not Arabic, announces no name: it used to read
// past the last word, or the missing forms of a non-Arabic word.
func TestTitleAtEnd(t *testing.T) {
	rules := New(Options{Mode: ModeRules})
	for _, r := range []*Recognizer{rec, rules} {
		for _, text := range []string{
			"زار الوزير مدينة د",
			"زار الوزير مدينة د hello",
			"زار الوزير مدينة د 2024",
			"حي الشيخ",
		} {
			for _, ents := range [][]model.Entity{r.Recognize(text, nil), recognize(r, text)} {
				for _, e := range ents {
					if e.Type == model.EntityPerson || e.Type == model.EntityPlace && strings.Contains(e.Name, " د") {
						t.Errorf("%q: a name after a title at the end: %+v", text, e)
					}
				}
			}
		}
	}
	// the rule the bound sits in still finds a place named after a person
	const sheikhJarrah = "وقعت المواجهات في حي الشيخ جراح أمس"
	if _, ok := find(recognize(rules, sheikhJarrah), model.EntityPlace, "الشيخ جراح"); !ok {
		t.Errorf("%s: %v", sheikhJarrah, recognize(rules, sheikhJarrah))
	}
}

// Words that name no one by themselves are no entities: the months of a
// date, a currency after a sum, God in a blessing, a given name alone. A
// longer name that holds them stays.
func TestNoEntityAlone(t *testing.T) {
	texts := []string{
		"قتل في 22 أبريل (نيسان) الماضي وسط مجموعة من المقاتلين.",
		"افتتح صاحب السمو الملكي الأمير خالد الفيصل حفظه الله سوق عكاظ بتكلفة 500 مليون ريال.",
		"وكان المخرج خالد قد أعلن أن العمل يعرض في رمضان، وأنه تلقى 300 ألف دولار.",
		"فاز ريال مدريد على برشلونة يوم السبت.",
	}
	var all []model.Entity
	for _, text := range texts {
		all = append(all, recognize(rec, text)...)
	}
	for _, e := range all {
		if notAlone[key(e.Name)] || e.Type == model.EntityPerson && e.Name == "خالد" {
			t.Errorf("%s %q is an entity: %v", e.Type, e.Name, all)
		}
	}
	if _, ok := find(all, model.EntityPerson, "خالد الفيصل"); !ok {
		t.Errorf("want PERS خالد الفيصل in %v", all)
	}
	if _, ok := find(all, model.EntityOrg, "ريال مدريد"); !ok {
		t.Errorf("want ORG ريال مدريد in %v", all)
	}
}
