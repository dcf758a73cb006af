// Command scalecorpus multiplies a corpus for scale benchmarks: it reads
// SaudiNewsNet records as JSON Lines (what `khabar import` reads) and
// writes them -times times, copy k moved k months later and given URLs of
// its own (the query parameter copy=k), so that an import of the output
// builds a store of that many times the articles with the corpus's own
// text, outlets and daily rhythm:
//
//	go run ./tools/scalecorpus -times 10 < snn.jsonl > snn-310k.jsonl
//	khabar --data D import --related=false snn-310k.jsonl
//
// Records are written copy after copy, each copy in the input's order. A
// record whose date_extracted is not "2006-01-02 15:04:05" is written
// unmoved in every copy (its own URL still differs).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"
)

func main() {
	times := flag.Int("times", 10, "how many copies of the corpus to write (1 to 1000)")
	flag.Parse()
	if err := run(os.Stdin, os.Stdout, *times); err != nil {
		fmt.Fprintln(os.Stderr, "scalecorpus:", err)
		os.Exit(1)
	}
}

const dateLayout = "2006-01-02 15:04:05"

func run(in io.Reader, out io.Writer, times int) error {
	if times < 1 || times > 1000 {
		return fmt.Errorf("-times %d: want 1 to 1000", times)
	}
	var recs []map[string]any
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for k := range times {
		for _, r := range recs {
			c := make(map[string]any, len(r))
			for key, v := range r {
				c[key] = v
			}
			if k > 0 {
				if s, ok := r["url"].(string); ok {
					c["url"] = withCopy(s, k)
				}
				if s, ok := r["date_extracted"].(string); ok {
					if t, err := time.Parse(dateLayout, s); err == nil {
						c["date_extracted"] = t.AddDate(0, k, 0).Format(dateLayout)
					}
				}
			}
			if err := enc.Encode(c); err != nil {
				return err
			}
		}
	}
	return w.Flush()
}

// withCopy is u with the query parameter copy=k added.
func withCopy(u string, k int) string {
	p, err := url.Parse(u)
	if err != nil {
		return fmt.Sprintf("%s#copy=%d", u, k)
	}
	q := p.Query()
	q.Set("copy", fmt.Sprint(k))
	p.RawQuery = q.Encode()
	return p.String()
}
