package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"khabar/internal/arabic/dates"
	"khabar/internal/ingest/bulk"
	"khabar/internal/model"
)

// importBatch is how many articles one import transaction saves: each
// commit rewrites every page it touched (phrase frequencies all over their
// table, a full-text segment), so bigger batches write less per article.
const importBatch = 2000

// importRecord is one article in an import file. Field names follow the
// common news-corpus layouts (SaudiNewsNet's among them).
type importRecord struct {
	URL           string          `json:"url"`
	Title         string          `json:"title"`
	Text          string          `json:"text"`
	Content       string          `json:"content"`
	Published     json.RawMessage `json:"published"`
	Date          json.RawMessage `json:"date"`
	DateExtracted json.RawMessage `json:"date_extracted"`
	Source        string          `json:"source"`
	Author        json.RawMessage `json:"author"`
	Language      string          `json:"language"`
}

// recordAt is a decoded record or the error that stopped it, with where it was.
type recordAt struct {
	where string // file and line
	rec   importRecord
	err   error
}

func runImport(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "import")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("want at least one file (.jsonl, .json or .zip) or folder of them")
	}
	files, err = expandImportPaths(files)
	if err != nil {
		return err
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	p, err := a.pipeline(ctx, st)
	if err != nil {
		return err
	}
	ctx, cancelRead := context.WithCancel(ctx)
	defer cancelRead()
	records := make(chan recordAt, 256)
	readErr := make(chan error, 1)
	go func() {
		defer close(records)
		for _, f := range files {
			if err := readImportFile(ctx, f, records); err != nil {
				readErr <- err
				return
			}
		}
		readErr <- nil
	}()

	type job struct {
		where string
		art   *model.Article
		pr    *bulk.Prepared
		err   error
		ready chan struct{}
	}
	var (
		imported, existing, bad int
		start                   = time.Now()
		lastShow                time.Time
		showProgress            = isTerminal(a.stderr)
	)
	show := func(final bool) {
		if !showProgress || (!final && time.Since(lastShow) < 200*time.Millisecond) {
			return
		}
		lastShow = time.Now()
		rate := float64(imported) / max(time.Since(start).Seconds(), 0.001)
		fmt.Fprintf(a.stderr, "\r\033[Kimport: %d new, %d already stored, %d bad (%.0f/s)", imported, existing, bad, rate)
	}
	// Analysis, and the search for each article's stored copy and story
	// candidates, run on every core; placing and saving happen one at a
	// time, in the file's order, so that copies find the articles before
	// them. The ordered queue lets the analysis go on while a batch
	// commits; it is not deeper because each article waiting in it holds
	// its candidates' signatures (a few hundred KB).
	batch, err := bulk.New(ctx, p, importBatch)
	if err != nil {
		return err
	}
	jobs := make(chan *job, 64)
	ordered := make(chan *job, 128)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.pr, j.err = batch.Prepare(ctx, j.art)
				if j.err == nil {
					j.err = batch.Prefetch(ctx, j.pr)
				}
				close(j.ready)
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(ordered)
		for r := range records {
			if ctx.Err() != nil {
				return
			}
			if r.err != nil {
				j := &job{where: r.where, err: r.err, ready: make(chan struct{})}
				close(j.ready)
				ordered <- j
				continue
			}
			art, err := r.rec.article()
			j := &job{where: r.where, art: art, err: err, ready: make(chan struct{})}
			if err == nil && batch.MayBeStored(art.URL) {
				if ok, herr := st.HasArticle(ctx, art.URL); herr == nil && ok {
					j.art = nil
				}
			}
			if err != nil || j.art == nil {
				close(j.ready)
			} else {
				jobs <- j
			}
			ordered <- j
		}
	}()
	var saveErr error
	for j := range ordered {
		<-j.ready
		switch {
		case saveErr != nil:
			// drain: the readers stop with the context below
		case j.err != nil:
			bad++
			fmt.Fprintf(a.stderr, "\r\033[Kkhabar import: %s: %v (skipped)\n", j.where, j.err)
		case j.art == nil:
			existing++
		default:
			if err := batch.Add(ctx, j.pr); err != nil {
				saveErr = err
				cancelRead()
			}
		}
		imported = batch.Created
		show(false)
	}
	if saveErr == nil {
		saveErr = batch.Flush(ctx)
	}
	imported = batch.Created
	existing += batch.Updated
	wg.Wait()
	a.waitAlerts(time.Minute)
	show(true)
	if showProgress {
		fmt.Fprintln(a.stderr)
	}
	if saveErr != nil {
		return fmt.Errorf("stopped after %d new articles: %w", imported, saveErr)
	}
	if err := <-readErr; err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	fmt.Fprintf(a.stdout, "imported %d articles (%d already stored, %d bad records) in %s\n",
		imported, existing, bad, time.Since(start).Round(time.Millisecond))
	return nil
}

// expandImportPaths replaces each folder by the import files in it, sorted.
func expandImportPaths(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		n := len(out)
		for _, e := range entries {
			switch strings.ToLower(filepath.Ext(e.Name())) {
			case ".zip", ".json", ".jsonl", ".ndjson":
				if !e.IsDir() {
					out = append(out, filepath.Join(p, e.Name()))
				}
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("%s holds no .zip, .json or .jsonl file", p)
		}
	}
	return out, nil
}

// readImportFile sends the records of a .jsonl, .json or .zip file.
func readImportFile(ctx context.Context, path string, out chan<- recordAt) error {
	if strings.EqualFold(filepath.Ext(path), ".zip") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			return fmt.Errorf("open %s: %w", path, err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if f.FileInfo().IsDir() || strings.HasPrefix(filepath.Base(f.Name), ".") {
				continue
			}
			ext := strings.ToLower(filepath.Ext(f.Name))
			if ext != ".json" && ext != ".jsonl" && ext != ".ndjson" {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return fmt.Errorf("%s: %s: %w", path, f.Name, err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return fmt.Errorf("%s: %s: %w", path, f.Name, err)
			}
			if err := readRecords(ctx, path+":"+f.Name, data, out); err != nil {
				return err
			}
		}
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return readRecords(ctx, path, data, out)
}

// readRecords decodes a JSON array or JSON Lines. A bad JSON Lines line is
// reported and skipped; a syntax error inside an array stops that array,
// since nothing after it can be trusted to be where it seems.
func readRecords(ctx context.Context, name string, data []byte, out chan<- recordAt) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		lineOf := lineCounter(data)
		dec := json.NewDecoder(bytes.NewReader(data))
		if _, err := dec.Token(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		for dec.More() {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			off := dec.InputOffset()
			line := lineOf(int(off) + leadingSpace(data[off:]))
			// One pass over the record: a value of the wrong type (a
			// number for a title) fails this record only, as the decoder
			// reads the value whole before it reports it; broken JSON
			// ends the array.
			var r importRecord
			err := dec.Decode(&r)
			var typeErr *json.UnmarshalTypeError
			if err != nil && !errors.As(err, &typeErr) {
				send(ctx, out, recordAt{where: fmt.Sprintf("%s:%d", name, line), err: fmt.Errorf("invalid JSON, the rest of this array is skipped: %w", err)})
				return ctx.Err()
			}
			if !send(ctx, out, recordAt{where: fmt.Sprintf("%s:%d", name, line), rec: r, err: err}) {
				return ctx.Err()
			}
		}
		return nil
	}
	for n, line := range bytes.Split(data, []byte("\n")) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var r importRecord
		err := json.Unmarshal(line, &r)
		if err != nil {
			err = fmt.Errorf("invalid JSON: %w", err)
		}
		if !send(ctx, out, recordAt{where: name + ":" + strconv.Itoa(n+1), rec: r, err: err}) {
			return ctx.Err()
		}
	}
	return nil
}

// send passes r on unless ctx ends first.
func send(ctx context.Context, out chan<- recordAt, r recordAt) bool {
	select {
	case out <- r:
		return true
	case <-ctx.Done():
		return false
	}
}

func leadingSpace(b []byte) int {
	n := 0
	for n < len(b) && (b[n] == ' ' || b[n] == '\n' || b[n] == '\r' || b[n] == '\t' || b[n] == ',') {
		n++
	}
	return n
}

// lineCounter returns a function giving the 1-based line of a byte offset;
// offsets must not decrease between calls.
func lineCounter(data []byte) func(off int) int {
	pos, line := 0, 1
	return func(off int) int {
		off = min(off, len(data))
		if off > pos {
			line += bytes.Count(data[pos:off], []byte("\n"))
			pos = off
		}
		return line
	}
}

// article turns a record into an article, or says what is missing.
func (r importRecord) article() (*model.Article, error) {
	u, err := checkFeedURL(r.URL)
	if r.URL == "" {
		return nil, fmt.Errorf("record has no url")
	}
	if err != nil {
		return nil, fmt.Errorf("url: %w", err)
	}
	text := r.Text
	if strings.TrimSpace(text) == "" {
		text = r.Content
	}
	a := &model.Article{
		URL:        u,
		Title:      strings.TrimSpace(r.Title),
		Text:       cleanParagraphs(text),
		SourceName: strings.TrimSpace(r.Source),
		Language:   r.Language,
	}
	// A record may carry only its URL (SaudiNewsNet has 57 whose crawler
	// got nothing else): it is still an article the corpus lists.
	for _, raw := range []json.RawMessage{r.Published, r.Date, r.DateExtracted} {
		if t, ok := parseRecordTime(raw); ok {
			a.Published = t
			break
		}
	}
	a.Authors = parseAuthors(r.Author)
	return a, nil
}

// cleanParagraphs trims each paragraph and joins them with a blank line.
func cleanParagraphs(s string) string {
	var paras []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}

func parseRecordTime(raw json.RawMessage) (time.Time, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, false
	}
	var n float64
	if err := json.Unmarshal(raw, &n); err == nil && n > 0 {
		if n > 1e12 {
			return time.UnixMilli(int64(n)).UTC(), true
		}
		return time.Unix(int64(n), 0).UTC(), true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || strings.TrimSpace(s) == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t, true
		}
	}
	if r, ok := dates.Parse(s, dates.Options{Location: time.UTC}); ok {
		return r.Time, true
	}
	return time.Time{}, false
}

func parseAuthors(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s = strings.TrimSpace(s); s != "" {
			return []string{s}
		}
		return nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		var out []string
		for _, x := range list {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
		return out
	}
	return nil
}
