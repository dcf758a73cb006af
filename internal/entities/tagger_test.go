package entities

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"khabar/internal/analysis"
	"khabar/internal/model"
	"khabar/internal/sharedtest"
)

// anercorp reads the first n sentences of the ANERcorp training corpus
// from ../shared (skipping when it is absent).
func anercorp(t testing.TB, n int) []Labeled {
	t.Helper()
	path := sharedtest.Path(t, "corpora", "anercorp-train", "anercorp-train.txt")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("ANERcorp: %v", err)
	}
	defer f.Close()
	var out []Labeled
	var cur Labeled
	sc := bufio.NewScanner(f)
	for sc.Scan() && len(out) < n {
		l := strings.TrimSpace(sc.Text())
		if l == "" {
			if len(cur.Tokens) > 0 {
				out = append(out, cur)
				cur = Labeled{}
			}
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		if i < 0 {
			t.Fatalf("bad corpus line %q", l)
		}
		cur.Tokens = append(cur.Tokens, l[:i])
		cur.Tags = append(cur.Tags, l[i+1:])
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTrainDeterministic trains twice on a slice of the corpus: the two
// models must be the same bytes, and decoding must give the model back.
func TestTrainDeterministic(t *testing.T) {
	data := anercorp(t, 300)
	opt := TrainOptions{Epochs: 3, Bits: 16, Features: FeatGazetteer, Seed: 7}
	a, err := Train(data, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(data, opt)
	if err != nil {
		t.Fatal(err)
	}
	ea, eb := a.Encode(), b.Encode()
	if !bytes.Equal(ea, eb) {
		t.Fatalf("two trainings on the same data differ (%d and %d bytes)", len(ea), len(eb))
	}
	d, err := DecodeModel(ea)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Encode(), ea) {
		t.Fatal("decode and encode do not give the model back")
	}
	// The model learnt something: it tags most of its training names.
	r := New(Options{Model: d, Mode: ModeModel})
	var gold, hit int
	for _, s := range data {
		tags := r.TagCoNLL(s.Tokens)
		for i, g := range s.Tags {
			if g != "O" {
				gold++
				if tags[i] == g {
					hit++
				}
			}
		}
	}
	if hit*2 < gold {
		t.Errorf("the model tags %d of %d name tokens of its own training data", hit, gold)
	}
	c, err := Train(data, TrainOptions{Epochs: 3, Bits: 16, Features: FeatGazetteer, Seed: 8})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(c.Encode(), ea) {
		t.Error("another seed gave the same model: the seed is not used")
	}
}

func TestTrainBadInput(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []Labeled
		opt  TrainOptions
		want string
	}{
		{"empty", nil, TrainOptions{}, "no training sentences"},
		{"lengths", []Labeled{{Tokens: []string{"a", "b"}, Tags: []string{"O"}}}, TrainOptions{}, "2 tokens and 1 tags"},
		{"tag", []Labeled{{Tokens: []string{"a"}, Tags: []string{"B-PER"}}}, TrainOptions{}, `unknown tag "B-PER"`},
		{"bits", []Labeled{{Tokens: []string{"a"}, Tags: []string{"O"}}}, TrainOptions{Bits: 40}, "bucket bits"},
		{"clusters", []Labeled{{Tokens: []string{"a"}, Tags: []string{"O"}}}, TrainOptions{Features: FeatClusters}, "without clusters"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Train(tt.data, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func TestDecodeModelBadInput(t *testing.T) {
	good := BuiltinModel().Encode()
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "bad header"},
		{"header", []byte("khabar-ner\x01"), "bad header"}, // the format before word clusters
		{"truncated", good[:len(good)/2], "truncated"},
		{"stray", append(append([]byte{}, good...), 0), "stray bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeModel(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func FuzzDecodeModel(f *testing.F) {
	m, err := Train([]Labeled{{Tokens: []string{"قال", "محمد", "علي", "في", "بغداد"}, Tags: []string{"O", "B-PERS", "I-PERS", "O", "B-LOC"}}},
		TrainOptions{Epochs: 1, Bits: 8})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(m.Encode())
	f.Add([]byte(modelMagic))
	cl := LearnClusters(slices.Values([]string{"قال محمد علي في بغداد", "قال أحمد حسن في دمشق"}), ClusterOptions{MinCount: 1, Dims: 8, Iter: 2})
	mc, err := Train([]Labeled{{Tokens: []string{"قال", "محمد", "علي", "في", "بغداد"}, Tags: []string{"O", "B-PERS", "I-PERS", "O", "B-LOC"}}},
		TrainOptions{Epochs: 1, Bits: 8, Features: FeatClusters | FeatGazetteer, Clusters: cl})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(mc.Encode())
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeModel(data)
		if err != nil {
			return
		}
		New(Options{Model: m, Mode: ModeModel}).TagCoNLL([]string{"قال", "محمد", "في", "بغداد"})
	})
}

// TestBuiltinModel checks the embedded model on the reference article:
// people, places and an organization with its alias.
func TestBuiltinModel(t *testing.T) {
	m := BuiltinModel()
	if m.Features()&FeatGazetteer == 0 {
		t.Errorf("built-in model features %b: want the gazetteers", m.Features())
	}
	ents := recognize(rec, referenceArticle(t))
	for _, want := range []struct{ typ, name string }{
		{model.EntityPerson, "مكاري"},
		{model.EntityPerson, "يحيى رسول"},
		{model.EntityPlace, "العراق"},
		{model.EntityPlace, "سوريا"},
		{model.EntityPlace, "بغداد"},
		{model.EntityOrg, "داعش"},
	} {
		if _, ok := find(ents, want.typ, want.name); !ok {
			t.Errorf("missing %s %q in %v", want.typ, want.name, ents)
		}
	}
	if e, ok := find(ents, model.EntityPerson, "مكاري"); ok && e.Name != "ألن مكاري" {
		t.Errorf("مكاري: canonical %q, want the full name ألن مكاري", e.Name)
	}
	if e, ok := find(ents, model.EntityOrg, "داعش"); !ok || e.Name != "داعش" {
		t.Errorf("want the gazetteer's canonical داعش, got %+v", e)
	}
}

// TestModelSentences: the punctuation between words is a token for the
// tagger, and a name never runs over it.
func TestModelSentences(t *testing.T) {
	text := "زار الرئيس الفرنسي إيمانويل ماكرون بيروت، ثم التقى ميشال عون. وقالت وزارة الخارجية في بيان إن الزيارة ناجحة."
	ents := recognize(rec, text)
	for _, e := range ents {
		for _, m := range e.Mentions {
			if strings.ContainsAny(m, "،.") {
				t.Errorf("%+v: a mention runs over punctuation", e)
			}
		}
	}
	if _, ok := find(ents, model.EntityPlace, "بيروت"); !ok {
		t.Errorf("want LOC بيروت in %v", ents)
	}
	if _, ok := find(ents, model.EntityPerson, "ميشال عون"); !ok {
		t.Errorf("want PERS ميشال عون in %v", ents)
	}
}

// saudiSample reads the SaudiNewsNet stratified sample (title and text).
func saudiSample(b testing.TB) []string {
	raw, err := os.ReadFile(sharedtest.Path(b, "corpora", "saudinewsnet", "stratified-sample.jsonl"))
	if err != nil {
		b.Skipf("SaudiNewsNet sample: %v", err)
	}
	var out []string
	for _, line := range bytes.Split(raw, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var a struct{ Title, Content string }
		if err := json.Unmarshal(line, &a); err != nil {
			b.Fatal(err)
		}
		out = append(out, strings.TrimSpace(a.Title)+"\n\n"+strings.TrimSpace(a.Content))
	}
	return out
}

// BenchmarkRecognizeSaudiNewsNet reports the time per average article of
// the SaudiNewsNet sample (210 articles, 280 words each on average), on one
// goroutine (wall time, and the processor time used, which a shared
// machine does not inflate), for the tagger alone, the rules alone, and the default
// combination (what the ingest pipeline runs):
//
//	go test -run '^$' -bench RecognizeSaudiNewsNet -cpu 1 ./internal/entities
func BenchmarkRecognizeSaudiNewsNet(b *testing.B) {
	texts := saudiSample(b)
	an := analysis.New(analysis.Options{Names: rec.Names()})
	toks := make([][]analysis.Token, len(texts))
	for i, s := range texts {
		toks[i] = an.Analyze(s)
	}
	for _, bc := range []struct {
		name string
		r    *Recognizer
	}{
		{"model", New(Options{Mode: ModeModel})},
		{"rules", rulesRec},
		{"default", rec},
	} {
		b.Run(bc.name, func(b *testing.B) {
			n := 0
			cpu0 := cpuTime()
			for b.Loop() {
				for i, s := range texts {
					bc.r.RecognizeAll(s, toks[i])
					n++
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n)/1e6, "ms/article")
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(n)/1e6, "cpu-ms/article")
		})
	}
}
