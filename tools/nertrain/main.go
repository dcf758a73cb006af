// Command nertrain trains khabar's named-entity tagger on the ANERcorp
// training corpus and writes the model that package entities embeds:
//
//	go run ./tools/nertrain
//
// reads ../shared/corpora/anercorp-train/anercorp-train.txt (the tagged
// sentences) and ../shared/corpora/saudinewsnet/zips (unlabeled news, for
// the word clusters) and writes internal/entities/data/ner.bin; the same
// corpora and options always give the same file, byte for byte.
//
// With -cv it reports instead the 5-fold cross-validated precision, recall
// and F1 per entity type of each combination of model features and rules
// (-configs), over the corpus less its held-out slice (the last tenth of
// its sentences, never used for development); -heldout trains on the rest
// and scores that slice once.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"khabar/internal/corpus"
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
	defaultConfig = "mgcl+sd"
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
	modes := fs.String("modes", "", "comma-separated tagging modes (s, f, o as after + in -configs) each scored with the model of each combination, instead of the combination's own")
	predDir := fs.String("pred", "", "with -cv or -heldout: write each combination's predictions and the gold tags here, for nerscore")
	limit := fs.Int("limit", 0, "use only the first N sentences (for quick checks)")
	unlabeled := fs.String("clusters", filepath.Join("..", "shared", "corpora", "saudinewsnet", "zips"), "the unlabeled news corpus (SaudiNewsNet: .zip, .json or .jsonl files, or a folder of them) the word clusters are learned from")
	cmin := fs.Int("cmin", 0, "least occurrences of a word form to be clustered (0: entities.ClusterOptions's default)")
	cctx := fs.Int("cctx", 0, "the number of most frequent forms used as contexts in clustering (0: the default)")
	cdims := fs.Int("cdims", 0, "dimensions of the projected context vectors in clustering (0: the default)")
	clusterCache := fs.String("clustercache", "", "keep the learned word clusters in this file and read them from it when it exists (to save time between runs)")
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
	// the word clusters, learned when a combination asks for them
	needClusters := false
	for _, c := range strings.Split(*configs, ",") {
		if cfg, err := parseConfig(strings.TrimSpace(c)); err == nil && cfg.features&entities.FeatClusters != 0 {
			needClusters = true
		}
	}
	if !*cv && !*heldout {
		cfg, err := parseConfig(defaultConfig)
		if err != nil {
			return err
		}
		needClusters = cfg.features&entities.FeatClusters != 0
	}
	if needClusters {
		cl, err := clusters(*unlabeled, *clusterCache, entities.ClusterOptions{MinCount: *cmin, Contexts: *cctx, Dims: *cdims}, stdout)
		if err != nil {
			return err
		}
		opt.Clusters = cl
	}
	if *cv || *heldout {
		dev, hold := split(data)
		for _, c := range strings.Split(*configs, ",") {
			cfg, err := parseConfig(strings.TrimSpace(c))
			if err != nil {
				return err
			}
			// the variants scored with the model of cfg: its own mode, or
			// those of -modes
			var vs []variant
			feat, _, _ := strings.Cut(strings.TrimSpace(c), "+")
			ms := []string{strings.TrimSpace(c)}
			if *modes != "" && cfg.mode&entities.ModeModel != 0 {
				ms = nil
				for _, m := range strings.Split(*modes, ",") {
					ms = append(ms, feat+"+"+strings.TrimSpace(m))
				}
			}
			for _, name := range ms {
				mc, err := parseConfig(name)
				if err != nil {
					return err
				}
				vs = append(vs, variant{name: name, mode: mc.mode})
			}
			var res []result
			if *cv {
				res, err = crossValidate(dev, 5, cfg, opt, vs)
			} else {
				res, err = evaluate(dev, hold, cfg, opt, vs)
			}
			if err != nil {
				return err
			}
			what := "5-fold CV"
			if *heldout {
				what = "held-out slice"
			}
			for vi, r := range res {
				sc, pred, gold := r.sc, r.pred, r.gold
				fmt.Fprintf(stdout, "%s, %s (%d sentences):\n%s\n", what, vs[vi].name, len(gold), sc.table())
				if *predDir != "" {
					name := strings.NewReplacer("+", "_").Replace(vs[vi].name)
					if err := writeCoNLL(filepath.Join(*predDir, name+".pred"), pred); err != nil {
						return err
					}
					if err := writeCoNLL(filepath.Join(*predDir, name+".gold"), gold); err != nil {
						return err
					}
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
		case 'p':
			c.features |= entities.FeatPairs
		case 'c':
			c.features |= entities.FeatClusters
		case 'l':
			c.features |= entities.FeatLean
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
		case 'o':
			c.mode |= entities.ModeOrgRules
		case 'd':
			c.mode |= entities.ModeConsistent
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

// variant is one way to tag with a trained model.
type variant struct {
	name string
	mode entities.Mode
}

// result is the score of one variant, with the predicted and gold tags.
type result struct {
	sc         score
	pred, gold []entities.Labeled
}

// crossValidate trains on k-1 contiguous folds and tags the k-th, k times.
func crossValidate(data []entities.Labeled, k int, cfg config, opt entities.TrainOptions, vs []variant) ([]result, error) {
	total := make([]result, len(vs))
	for f := range k {
		lo, hi := len(data)*f/k, len(data)*(f+1)/k
		train := slices.Concat(data[:lo], data[hi:])
		res, err := evaluate(train, data[lo:hi], cfg, opt, vs)
		if err != nil {
			return nil, err
		}
		for i, r := range res {
			total[i].sc.add(r.sc)
			total[i].pred = append(total[i].pred, r.pred...)
			total[i].gold = append(total[i].gold, r.gold...)
		}
	}
	return total, nil
}

// evaluate trains on train (unless cfg is rules alone) and scores test,
// tagging with each variant.
func evaluate(train, test []entities.Labeled, cfg config, opt entities.TrainOptions, vs []variant) ([]result, error) {
	var m *entities.Model
	if cfg.mode&entities.ModeModel != 0 {
		opt.Features = cfg.features
		var err error
		m, err = entities.Train(train, opt)
		if err != nil {
			return nil, err
		}
	}
	toks := make([][]string, len(test))
	for i, s := range test {
		toks[i] = s.Tokens
	}
	var out []result
	for _, v := range vs {
		o := entities.Options{Mode: v.mode}
		if m != nil {
			o.Model = m
		}
		tags := entities.New(o).TagCoNLLDocument(toks)
		var sc score
		pred := make([]entities.Labeled, len(test))
		for i, s := range test {
			sc.count(s.Tags, tags[i])
			pred[i] = entities.Labeled{Tokens: s.Tokens, Tags: tags[i]}
		}
		out = append(out, result{sc, pred, test})
	}
	return out, nil
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

// clusters learns the word clusters from the corpus files at path, or
// reads them from cache when it is set and exists (and writes them there
// when it does not).
func clusters(path, cache string, copt entities.ClusterOptions, stdout io.Writer) (*entities.Clusters, error) {
	if cache != "" {
		if b, err := os.ReadFile(cache); err == nil {
			return entities.DecodeClusters(b)
		}
	}
	files, err := corpus.Expand([]string{path})
	if err != nil {
		return nil, fmt.Errorf("nertrain: word clusters: %w", err)
	}
	var readErr error
	texts := func(yield func(string) bool) {
		for _, f := range files {
			items := make(chan corpus.Item, 64)
			done := make(chan error, 1)
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				done <- corpus.ReadFile(ctx, f, items)
				close(items)
			}()
			stop := false
			for it := range items {
				if stop || it.Err != nil {
					continue
				}
				if !yield(strings.TrimSpace(it.Record.Title) + "\n\n" + strings.TrimSpace(it.Record.Content)) {
					stop = true
					cancel()
				}
			}
			cancel()
			if err := <-done; err != nil && readErr == nil && !stop {
				readErr = err
			}
			if stop {
				return
			}
		}
	}
	cl := entities.LearnClusters(texts, copt)
	if readErr != nil {
		return nil, fmt.Errorf("nertrain: word clusters: %w", readErr)
	}
	if cl.Len() == 0 {
		return nil, fmt.Errorf("nertrain: word clusters: %s holds no words", path)
	}
	fmt.Fprintf(stdout, "learned the clusters of %d word forms from %d files\n", cl.Len(), len(files))
	if cache != "" {
		if err := os.WriteFile(cache, cl.Encode(), 0o644); err != nil {
			return nil, err
		}
	}
	return cl, nil
}
