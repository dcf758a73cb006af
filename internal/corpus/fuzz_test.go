package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// FuzzRecords feeds a corpus file's bytes through the record reader and
// every record through Article, as khabar import does.
func FuzzRecords(f *testing.F) {
	for _, s := range []string{
		`{"url": "https://example.com/a1", "title": "خبر أول", "content": "نص\r\n\r\n  الخبر  ", "date_extracted": "2015-07-21 02:51:32", "source": "aawsat", "author": "الرياض: كاتب"}`,
		"{\"url\": \"https://example.com/a2\", \"text\": \"نص\", \"published\": 1700000000}\n{not json\n\n{\"title\": \"لا رابط\"}",
		`[{"url": "https://example.com/a3", "date": "مارس 2, 2024", "author": ["أ", " ", "ب"]}, {"url": 5}, {"url": "ftp://x"}]`,
		`[{"url": "https://example.com/a4", "published": 253402300800}, {"url": "https://example.com/a5", "published": "1850-01-01", "date": "2024-03-01"}`,
		"\xef\xbb\xbf[\n{\"url\": \"https://example.com/a6\", \"published\": 253402300800000, \"title\": 7}\n]",
		`{"url": "https://example.com/a7", "date": "١٤ رمضان ١٤٤٥ هـ", "language": "ar"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out := make(chan Item)
		var items []Item
		done := make(chan struct{})
		go func() {
			for it := range out {
				items = append(items, it)
			}
			close(done)
		}()
		err := Read(context.Background(), "f.json", bytes.NewReader(data), out)
		close(out)
		<-done
		lines := bytes.Count(data, []byte("\n")) + 1
		if !isArray(data) {
			if err != nil {
				t.Fatalf("JSON Lines: error %v", err)
			}
			// A byte order mark opens the file; it is not a record.
			nonBlank := 0
			for _, l := range bytes.Split(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), []byte("\n")) {
				if len(bytes.TrimSpace(l)) > 0 {
					nonBlank++
				}
			}
			if len(items) != nonBlank {
				t.Fatalf("%d items for %d non-blank lines", len(items), nonBlank)
			}
		}
		prev := 0
		now := time.Now()
		for _, it := range items {
			n, ok := strings.CutPrefix(it.Where, "f.json:")
			line, err := strconv.Atoi(n)
			if !ok || err != nil || line < 1 || line > lines || line < prev {
				t.Fatalf("where %q: not a line of the file (%d lines, previous %d)", it.Where, lines, prev)
			}
			prev = line
			if it.Err != nil {
				continue
			}
			a, err := it.Record.Article()
			if err != nil {
				if a != nil {
					t.Fatalf("an article with the error %v", err)
				}
				continue
			}
			if u, err := url.Parse(a.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("article URL %q from %q", a.URL, it.Record.URL)
			}
			if a.Text != strings.TrimSpace(a.Text) || strings.Contains(a.Text, "\n\n\n") || strings.Contains(a.Text, "\r\n") {
				t.Fatalf("text not in paragraphs: %q", a.Text)
			}
			for _, au := range a.Authors {
				if au == "" || strings.TrimFunc(au, unicode.IsSpace) != au {
					t.Fatalf("author %q", au)
				}
			}
			a.DropImplausibleDates(now)
			if _, err := json.Marshal(a.Published); err != nil {
				t.Fatalf("published %v cannot be written back: %v", a.Published, err)
			}
			// The record survives a round trip through JSON: the same
			// article comes out.
			enc, err := json.Marshal(it.Record)
			if err != nil {
				t.Fatalf("record does not encode: %v", err)
			}
			var back Record
			if err := json.Unmarshal(enc, &back); err != nil {
				t.Fatalf("record %s does not decode: %v", enc, err)
			}
			b, err := back.Article()
			if err != nil {
				t.Fatalf("round trip: %v", err)
			}
			b.DropImplausibleDates(now)
			if b.URL != a.URL || b.Title != a.Title || b.Text != a.Text || !b.Published.Equal(a.Published) || strings.Join(b.Authors, "|") != strings.Join(a.Authors, "|") {
				t.Fatalf("round trip changed the article:\n%+v\n%+v", a, b)
			}
		}
	})
}

func isArray(data []byte) bool {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(trimmed) > 0 && trimmed[0] == '['
}

// A relative date has nothing to count from in a corpus record: it is no
// date, not the moment of the import.
func TestRelativeRecordDate(t *testing.T) {
	for _, s := range []string{`"منذ ساعتين"`, `"الآن"`, `"أمس"`} {
		if got, ok := parseRecordTime(json.RawMessage(s)); ok {
			t.Errorf("%s: read as %v", s, got)
		}
	}
	if got, ok := parseRecordTime(json.RawMessage(`"مارس 2, 2024"`)); !ok || got.Year() != 2024 || got.Month() != time.March || got.Day() != 2 {
		t.Errorf("an absolute Arabic date: %v %v", got, ok)
	}
	// A two-digit year is this century's, not the one before.
	if got, ok := parseRecordTime(json.RawMessage(`"21/07/15"`)); !ok || got.Year() != 2015 || got.Month() != time.July || got.Day() != 21 {
		t.Errorf("21/07/15: %v %v, want 21 July 2015", got, ok)
	}
	if got, ok := parseRecordTime(json.RawMessage(`"28 يوليو"`)); ok {
		t.Errorf("a day without a year: read as %v", got)
	}
}
