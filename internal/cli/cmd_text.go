package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"khabar/internal/arabic"
	"khabar/internal/arabic/dates"
	"khabar/internal/coverage"
	"khabar/internal/entities"
	"khabar/internal/keywords"
	"khabar/internal/model"
)

// eachLine calls fn for every line of r, whatever its length, without the
// line ending.
func eachLine(r io.Reader, fn func(line string) error) error {
	br := bufio.NewReaderSize(r, 1<<16)
	for {
		line, err := br.ReadString('\n')
		if len(line) > 0 || err == nil {
			line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
			if ferr := fn(line); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func runNormalize(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 {
		return usagef("reads lines on standard input; takes no arguments")
	}
	w := bufio.NewWriter(a.stdout)
	defer w.Flush()
	return eachLine(a.stdin, func(line string) error {
		_, err := fmt.Fprintln(w, arabic.Normalize(line))
		return err
	})
}

func runDates(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "dates")
	nowFlag := fs.String("now", "", "the time relative dates count from (RFC 3339; default: now)")
	tzFlag := fs.String("tz", "UTC", "zone of dates that name none (IANA name such as Asia/Riyadh, or UTC)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	loc, err := time.LoadLocation(*tzFlag)
	if err != nil {
		return usagef("--tz %q: %v", *tzFlag, err)
	}
	now := time.Now().In(loc)
	if *nowFlag != "" {
		now, err = time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usagef("--now %q is not RFC 3339: %v", *nowFlag, err)
		}
	}
	opts := dates.Options{Now: now, Location: loc}
	w := bufio.NewWriter(a.stdout)
	defer w.Flush()
	return eachLine(a.stdin, func(line string) error {
		out := "-"
		if r, ok := dates.Parse(line, opts); ok {
			out = r.Time.Format(time.RFC3339)
		}
		_, err := fmt.Fprintln(w, out)
		return err
	})
}

func runKeywords(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "keywords")
	top := fs.Int("top", 10, "keyphrases per file")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("want at least one plain-text file")
	}
	if *top < 1 {
		return usagef("--top must be at least 1, got %d", *top)
	}
	st, err := a.storeIfExists(ctx)
	if err != nil {
		return err
	}
	an, _, err := a.analysis(ctx, st)
	if err != nil {
		return err
	}
	// The entities that join the keyphrase candidates are the built-in
	// recognizer's: names learned from a store are too noisy to be tags
	// (on akec-dev they cost 0.04 F1@10; see keywords/train_test.go). The
	// analyzer still keeps them whole, as the store's counts were made so.
	rec := entities.New(entities.Options{})
	var stats keywords.Stats
	if st != nil {
		n, err := st.CountArticles(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			stats = st
		}
	}
	return a.eachTextFile("keywords", files, func(f, title, body string) (any, error) {
		// As the pipeline analyses an article: the title, a blank line,
		// the text; a file without a title has an empty first line.
		text := title + "\n\n" + body
		toks := an.Analyze(text)
		ents := rec.Recognize(text, toks)
		kws, err := keywords.Extract(ctx, text, toks, ents, stats, *top)
		if err != nil {
			return nil, err
		}
		if kws == nil {
			kws = []string{}
		}
		return struct {
			File     string   `json:"file"`
			Keywords []string `json:"keywords"`
		}{f, kws}, nil
	})
}

// eachTextFile reads each article text file (splitTitle), asks line for
// its JSON line and prints it. A file that cannot be read is reported and
// skipped, and the command fails at the end; an error from line stops it.
func (a *app) eachTextFile(cmd string, files []string, line func(file, title, body string) (any, error)) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(a.stderr, "khabar %s: %v\n", cmd, err)
			failed++
			continue
		}
		title, body := splitTitle(string(data))
		v, err := line(f, title, body)
		if err != nil {
			return err
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be read", failed, len(files))
	}
	return nil
}

// splitTitle reads an article's text file: when its first line is
// followed by a blank line, that line is the title and the rest the text;
// otherwise the whole file is the text. Invalid UTF-8 becomes U+FFFD.
func splitTitle(data string) (title, text string) {
	data = strings.ToValidUTF8(data, "\uFFFD")
	data = strings.TrimPrefix(data, "\uFEFF")
	data = strings.ReplaceAll(data, "\r\n", "\n")
	first, rest, ok := strings.Cut(data, "\n")
	if ok && strings.TrimSpace(first) != "" {
		if next, after, _ := strings.Cut(rest, "\n"); strings.TrimSpace(next) == "" && strings.TrimSpace(after) != "" {
			return strings.TrimSpace(first), strings.TrimSpace(after)
		}
	}
	return "", strings.TrimSpace(data)
}

// runQuotes is `khabar quotes FILE...`: for each article text file, one
// JSON line with its direct quotations and who said them.
func runQuotes(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "quotes")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("want at least one plain-text file")
	}
	st, err := a.storeIfExists(ctx)
	if err != nil {
		return err
	}
	an, rec, err := a.analysis(ctx, st)
	if err != nil {
		return err
	}
	type quoteJSON struct {
		Speaker string `json:"speaker"`
		Text    string `json:"text"`
	}
	return a.eachTextFile("quotes", files, func(f, _, body string) (any, error) {
		ents := rec.Recognize(body, an.Analyze(body))
		out := []quoteJSON{}
		for _, q := range coverage.Quotes(body, ents) {
			out = append(out, quoteJSON{q.Speaker, q.Text})
		}
		return struct {
			File   string      `json:"file"`
			Quotes []quoteJSON `json:"quotes"`
		}{f, out}, nil
	})
}

func runEntities(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "entities")
	conll := fs.Bool("conll", false, "read one token per line (blank line between sentences), print `token TAG`")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := a.storeIfExists(ctx)
	if err != nil {
		return err
	}
	an, rec, err := a.analysis(ctx, st)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(a.stdout)
	defer w.Flush()
	if *conll {
		// The whole input is read first: names join across the sentences
		// of one document (a surname alone after the full name).
		type line struct {
			tok      string
			sentence int // -1 for a blank line
		}
		var lines []line
		var sents [][]string
		var cur []string
		err := eachLine(a.stdin, func(l string) error {
			// A token line may carry other columns (a gold tag, a POS):
			// the token is the first field.
			fields := strings.Fields(l)
			if len(fields) == 0 {
				if len(cur) > 0 {
					sents = append(sents, cur)
					cur = nil
				}
				lines = append(lines, line{sentence: -1})
				return nil
			}
			cur = append(cur, strings.ToValidUTF8(fields[0], "\uFFFD"))
			lines = append(lines, line{tok: cur[len(cur)-1], sentence: len(sents)})
			return nil
		})
		if err != nil {
			return err
		}
		if len(cur) > 0 {
			sents = append(sents, cur)
		}
		tags := rec.TagCoNLLDocument(sents)
		pos := map[int]int{}
		for _, l := range lines {
			if l.sentence < 0 {
				if _, err := fmt.Fprintln(w); err != nil {
					return err
				}
				continue
			}
			i := pos[l.sentence]
			pos[l.sentence]++
			tag := "O"
			if l.sentence < len(tags) && i < len(tags[l.sentence]) && tags[l.sentence][i] != "" {
				tag = tags[l.sentence][i]
			}
			if _, err := fmt.Fprintf(w, "%s %s\n", l.tok, tag); err != nil {
				return err
			}
		}
		return nil
	}
	// Without --conll: the entities of the text on standard input, as JSON.
	data, err := io.ReadAll(a.stdin)
	if err != nil {
		return err
	}
	text := strings.ToValidUTF8(string(data), "\uFFFD")
	ents := rec.Recognize(text, an.Analyze(text))
	if ents == nil {
		ents = []model.Entity{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(ents)
}
