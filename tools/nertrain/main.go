// Command nertrain trains khabar's named-entity tagger on the ANERcorp
// training corpus and writes the model that package entities embeds:
//
//	go run ./tools/nertrain
//
// reads ../shared/corpora/anercorp-train/anercorp-train.txt and writes
// internal/entities/data/ner.bin; the same corpus and options always give
// the same file, byte for byte.
//
// With -cv it reports instead the 5-fold cross-validated precision, recall
// and F1 per entity type of each combination of model features and rules
// (-configs), over the corpus less its held-out slice (the last tenth of
// its sentences, never used for development); -heldout trains on the rest
// and scores that slice once.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"khabar/internal/entities"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "nertrain:", err)
		os.Exit(1)
	}
}

// Defaults of the shipped model.
const (
	defaultConfig = "mg+s"
	defaultEpochs = 10
	defaultBits   = 20
	defaultSeed   = 1
)

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("nertrain", flag.ContinueOnError)
	corpus := fs.String("corpus", filepath.Join("..", "shared", "corpora", "anercorp-train", "anercorp-train.txt"), "the ANERcorp training file (`word TAG` lines)")
	out := fs.String("out", filepath.Join("internal", "entities", "data", "ner.bin"), "where to write the model")
	cv := fs.Bool("cv", false, "report 5-fold cross-validation on the corpus less its held-out slice; write no model")
	heldout := fs.Bool("heldout", false, "train on the corpus less its held-out slice and score the slice; write no model")
	configs := fs.String("configs", defaultConfig, "comma-separated combinations for -cv and -heldout: rules, or m + features (g gazetteers, r rule tags) [+ s surnames, f rule spans where the model found none]")
	epochs := fs.Int("epochs", defaultEpochs, "training passes")
	bits := fs.Uint("bits", defaultBits, "log2 of the feature buckets")
	seed := fs.Uint64("seed", defaultSeed, "seed of the training order")
	predDir := fs.String("pred", "", "with -cv or -heldout: write each combination's predictions and the gold tags here, for nerscore")
	limit := fs.Int("limit", 0, "use only the first N sentences (for quick checks)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	data, err := readCorpus(*corpus)
	if err != nil {
		return err
	}
	if *limit > 0 && *limit < len(data) {
		data = data[:*limit]
	}
	opt := entities.TrainOptions{Epochs: *epochs, Bits: uint32(*bits), Seed: *seed}
	if *cv || *heldout {
		dev, hold := split(data)
		for _, c := range strings.Split(*configs, ",") {
			cfg, err := parseConfig(strings.TrimSpace(c))
			if err != nil {
				return err
			}
			var sc score
			var pred, gold []entities.Labeled
			if *cv {
				sc, pred, gold, err = crossValidate(dev, 5, cfg, opt)
			} else {
				sc, pred, gold, err = evaluate(dev, hold, cfg, opt)
			}
			if err != nil {
				return err
			}
			what := "5-fold CV"
			if *heldout {
				what = "held-out slice"
			}
			fmt.Fprintf(stdout, "%s, %s (%d sentences):\n%s\n", what, c, len(gold), sc.table())
			if *predDir != "" {
				name := strings.NewReplacer("+", "_").Replace(c)
				if err := writeCoNLL(filepath.Join(*predDir, name+".pred"), pred); err != nil {
					return err
				}
				if err := writeCoNLL(filepath.Join(*predDir, name+".gold"), gold); err != nil {
					return err
				}
			}
		}
		return nil
	}
	cfg, err := parseConfig(defaultConfig)
	if err != nil {
		return err
	}
	opt.Features = cfg.features
	m, err := entities.Train(data, opt)
	if err != nil {
		return err
	}
	b := m.Encode()
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trained on %d sentences; wrote %s (%d bytes)\n", len(data), *out, len(b))
	return nil
}

// config is one combination of model features and recognizers.
type config struct {
	features uint32
	mode     entities.Mode
}

func parseConfig(s string) (config, error) {
	if s == "rules" {
		return config{mode: entities.ModeRules | entities.ModeSurnames}, nil
	}
	feat, mode, _ := strings.Cut(s, "+")
	if !strings.HasPrefix(feat, "m") {
		return config{}, fmt.Errorf("combination %q: want rules or m[g][r][+s][f]", s)
	}
	c := config{mode: entities.ModeModel}
	for _, r := range feat[1:] {
		switch r {
		case 'g':
			c.features |= entities.FeatGazetteer
		case 'r':
			c.features |= entities.FeatRules
		default:
			return config{}, fmt.Errorf("combination %q: unknown feature set %q", s, r)
		}
	}
	for _, r := range mode {
		switch r {
		case 's':
			c.mode |= entities.ModeSurnames
		case 'f':
			c.mode |= entities.ModeRules
		default:
			return config{}, fmt.Errorf("combination %q: unknown mode %q", s, r)
		}
	}
	return c, nil
}

// split keeps the last tenth of the sentences apart as the held-out slice.
func split(data []entities.Labeled) (dev, hold []entities.Labeled) {
	n := len(data) * 9 / 10
	return data[:n], data[n:]
}

// crossValidate trains on k-1 contiguous folds and tags the k-th, k times.
func crossValidate(data []entities.Labeled, k int, cfg config, opt entities.TrainOptions) (score, []entities.Labeled, []entities.Labeled, error) {
	var total score
	var preds, golds []entities.Labeled
	for f := range k {
		lo, hi := len(data)*f/k, len(data)*(f+1)/k
		train := slices.Concat(data[:lo], data[hi:])
		sc, p, g, err := evaluate(train, data[lo:hi], cfg, opt)
		if err != nil {
			return score{}, nil, nil, err
		}
		total.add(sc)
		preds, golds = append(preds, p...), append(golds, g...)
	}
	return total, preds, golds, nil
}

// evaluate trains on train (unless cfg is rules alone) and scores test.
func evaluate(train, test []entities.Labeled, cfg config, opt entities.TrainOptions) (score, []entities.Labeled, []entities.Labeled, error) {
	o := entities.Options{Mode: cfg.mode}
	if cfg.mode&entities.ModeModel != 0 {
		opt.Features = cfg.features
		m, err := entities.Train(train, opt)
		if err != nil {
			return score{}, nil, nil, err
		}
		o.Model = m
	}
	rec := entities.New(o)
	toks := make([][]string, len(test))
	for i, s := range test {
		toks[i] = s.Tokens
	}
	tags := rec.TagCoNLLDocument(toks)
	var sc score
	pred := make([]entities.Labeled, len(test))
	for i, s := range test {
		sc.count(s.Tags, tags[i])
		pred[i] = entities.Labeled{Tokens: s.Tokens, Tags: tags[i]}
	}
	return sc, pred, test, nil
}

// readCorpus reads `word TAG` lines, a blank line after each sentence.
func readCorpus(path string) ([]entities.Labeled, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("nertrain: %w", err)
	}
	defer f.Close()
	var out []entities.Labeled
	var cur entities.Labeled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimSpace(sc.Text())
		if l == "" {
			if len(cur.Tokens) > 0 {
				out = append(out, cur)
				cur = entities.Labeled{}
			}
			continue
		}
		i := strings.LastIndexAny(l, " \t")
		if i < 0 {
			return nil, fmt.Errorf("nertrain: %s:%d: want `word TAG`, got %q", path, line, l)
		}
		cur.Tokens = append(cur.Tokens, strings.TrimSpace(l[:i]))
		cur.Tags = append(cur.Tags, l[i+1:])
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("nertrain: %s: %w", path, err)
	}
	if len(cur.Tokens) > 0 {
		out = append(out, cur)
	}
	if len(out) == 0 {
		return nil, errors.New("nertrain: " + path + " holds no sentences")
	}
	return out, nil
}

func writeCoNLL(path string, sents []entities.Labeled) error {
	var b strings.Builder
	for _, s := range sents {
		for i := range s.Tokens {
			fmt.Fprintf(&b, "%s %s\n", s.Tokens[i], s.Tags[i])
		}
		b.WriteString("\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// score counts exact-span matches per type, as conlleval does.
type score struct {
	tp, fp, fn map[string]int
}

var types = []string{"PERS", "LOC", "ORG", "MISC"}

func (s *score) init() {
	if s.tp == nil {
		s.tp, s.fp, s.fn = map[string]int{}, map[string]int{}, map[string]int{}
	}
}

func (s *score) add(o score) {
	s.init()
	for k, v := range o.tp {
		s.tp[k] += v
	}
	for k, v := range o.fp {
		s.fp[k] += v
	}
	for k, v := range o.fn {
		s.fn[k] += v
	}
}

type ent struct {
	i, j int
	typ  string
}

func spansOf(tags []string) map[ent]bool {
	out := map[ent]bool{}
	start, kind := -1, ""
	flush := func(end int) {
		if start >= 0 {
			out[ent{start, end, kind}] = true
		}
		start, kind = -1, ""
	}
	for i, tag := range tags {
		p, k, _ := strings.Cut(tag, "-")
		switch {
		case tag == "O":
			flush(i)
		case p == "B" || k != kind:
			flush(i)
			start, kind = i, k
		}
	}
	flush(len(tags))
	return out
}

func (s *score) count(gold, pred []string) {
	s.init()
	g, p := spansOf(gold), spansOf(pred)
	for e := range p {
		if g[e] {
			s.tp[e.typ]++
		} else {
			s.fp[e.typ]++
		}
	}
	for e := range g {
		if !p[e] {
			s.fn[e.typ]++
		}
	}
}

func prf(tp, fp, fn int) (p, r, f float64) {
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

func (s *score) table() string {
	var b strings.Builder
	b.WriteString("| type | precision | recall | F1 |\n|---|---|---|---|\n")
	var at, af, an int
	for _, t := range types {
		p, r, f := prf(s.tp[t], s.fp[t], s.fn[t])
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f |\n", t, p, r, f)
		at, af, an = at+s.tp[t], af+s.fp[t], an+s.fn[t]
	}
	p, r, f := prf(at, af, an)
	fmt.Fprintf(&b, "| all | %.3f | %.3f | **%.3f** |\n", p, r, f)
	return b.String()
}
