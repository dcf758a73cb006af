// Package corpus reads news corpora: JSON arrays or JSON Lines of
// article records, bare or in zip files, one record at a time, and turns
// each record into an article, with the field names of the common corpus
// layouts (SaudiNewsNet's among them) and their date and author forms.
package corpus

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"khabar/internal/arabic/dates"
	"khabar/internal/model"
	"khabar/internal/outlets"
	"khabar/internal/weburl"
)

// Record is one article in a corpus file. Field names follow the
// common news-corpus layouts (SaudiNewsNet's among them).
type Record struct {
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

// Item is a decoded record, or the error that stopped it, with where it was.
type Item struct {
	Where  string // file and line
	Record Record
	Err    error
}

// Expand replaces each folder by the corpus files in it (.zip, .json,
// .jsonl, .ndjson), sorted.
func Expand(paths []string) ([]string, error) {
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

// ReadFiles sends the records of each file in turn (ReadFile), and stops
// at the first file that cannot be read.
func ReadFiles(ctx context.Context, paths []string, out chan<- Item) error {
	for _, path := range paths {
		if err := ReadFile(ctx, path, out); err != nil {
			return err
		}
	}
	return nil
}

// ReadFile sends the records of a .jsonl, .json or .zip file to out, and
// stops early when ctx ends. Files are read as a stream: a record is held
// in memory while it is decoded, never the whole file.
func ReadFile(ctx context.Context, path string, out chan<- Item) error {
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
			err = Read(ctx, path+":"+f.Name, rc, out)
			rc.Close()
			if err != nil {
				return err
			}
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return Read(ctx, path, f, out)
}

// Read sends the records of a JSON array or JSON Lines read from r; name
// is the file's name in the places reported. A bad JSON Lines line is
// reported and skipped; a syntax error inside an array stops that array,
// since nothing after it can be trusted to be where it seems. An error
// reading r ends the file.
func Read(ctx context.Context, name string, r io.Reader, out chan<- Item) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	// An array when the first byte that is not white space is '['.
	isArray := false
	for i := 1; i <= br.Size(); i++ {
		b, err := br.Peek(i)
		if len(b) < i {
			break
		}
		if c := b[i-1]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			isArray = c == '['
			break
		}
		if err != nil {
			break
		}
	}
	if isArray {
		return readArray(ctx, name, br, out)
	}
	for n := 1; ; n++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		line, rerr := br.ReadBytes('\n')
		if rerr != nil && rerr != io.EOF {
			return fmt.Errorf("%s:%d: %w", name, n, rerr)
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			var r Record
			err := json.Unmarshal(line, &r)
			if err != nil {
				err = fmt.Errorf("invalid JSON: %w", err)
			}
			if !send(ctx, out, Item{Where: name + ":" + strconv.Itoa(n), Record: r, Err: err}) {
				return ctx.Err()
			}
		}
		if rerr == io.EOF {
			return nil
		}
	}
}

// readArray decodes a JSON array of records from r.
func readArray(ctx context.Context, name string, r io.Reader, out chan<- Item) error {
	lt := &lineTracker{r: r, line: 1}
	dec := json.NewDecoder(lt)
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for dec.More() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		off := dec.InputOffset()
		// One pass over the record: a value of the wrong type (a number
		// for a title) fails this record only, as the decoder reads the
		// value whole before it reports it; broken JSON ends the array.
		var r Record
		err := dec.Decode(&r)
		// The record starts after the separators that follow off, read
		// by now.
		where := fmt.Sprintf("%s:%d", name, lt.lineAt(off+int64(leadingSpace(lt.after(off)))))
		var typeErr *json.UnmarshalTypeError
		if err != nil && !errors.As(err, &typeErr) {
			send(ctx, out, Item{Where: where, Err: fmt.Errorf("invalid JSON, the rest of this array is skipped: %w", err)})
			return ctx.Err()
		}
		if !send(ctx, out, Item{Where: where, Record: r, Err: err}) {
			return ctx.Err()
		}
	}
	return nil
}

// lineTracker passes a reader on and keeps the bytes read past the last
// offset asked about, to tell the line of a later offset; offsets asked
// about must not decrease.
type lineTracker struct {
	r    io.Reader
	buf  []byte // the bytes read from offset base on
	base int64
	line int // the 1-based line at base
}

func (t *lineTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// after returns the bytes read after off.
func (t *lineTracker) after(off int64) []byte {
	return t.buf[min(max(off-t.base, 0), int64(len(t.buf))):]
}

// lineAt returns the line of offset off, and forgets the bytes before it.
func (t *lineTracker) lineAt(off int64) int {
	k := min(max(off-t.base, 0), int64(len(t.buf)))
	t.line += bytes.Count(t.buf[:k], []byte("\n"))
	t.buf = append(t.buf[:0], t.buf[k:]...)
	t.base += k
	return t.line
}

// send passes r on unless ctx ends first.
func send(ctx context.Context, out chan<- Item, r Item) bool {
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

// Article turns a record into an article, or says what is missing.
func (r Record) Article() (*model.Article, error) {
	u, err := weburl.Check(r.URL)
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
		Outlet:     outlets.Key(r.Source),
		Language:   r.Language,
	}
	// A record may carry only its URL (SaudiNewsNet has 57 whose crawler
	// got nothing else): it is still an article the corpus lists.
	// The first date field that holds a date khabar can keep wins; when
	// none does, the first date read is left for the pipeline to drop
	// with a warning.
	now := time.Now()
	for _, raw := range []json.RawMessage{r.Published, r.Date, r.DateExtracted} {
		t, ok := parseRecordTime(raw)
		if !ok {
			continue
		}
		if model.PlausibleDate(t, now) {
			a.Published = t
			break
		}
		if a.Published.IsZero() {
			a.Published = t
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
	// A record has no moment to count a relative date from ("منذ ساعة",
	// "الآن"), nor a year to complete "28 يوليو" with: dates.Parse's
	// absolute mode, which feeds use too, reads only dates that state
	// their day, month and year, and two-digit years in a fixed century.
	r, ok := dates.Parse(s, dates.Options{Location: time.UTC, Absolute: true})
	if !ok {
		return time.Time{}, false
	}
	return r.Time, true
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
