package dates

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

func TestScratchCorpus(t *testing.T) {
	f, err := os.Open("/work/shared/corpora/saudinewsnet/stratified-sample.jsonl")
	if err != nil {
		t.Skip()
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	n := 0
	for sc.Scan() && n < 400 {
		var rec map[string]any
		if json.Unmarshal(sc.Bytes(), &rec) != nil {
			continue
		}
		n++
		text, _ := rec["content"].(string)
		if text == "" {
			text, _ = rec["text"].(string)
		}
		for _, m := range Find(text, Options{Now: devNow}) {
			t.Logf("%-45s %s", m.Text, m.Result.Time.Format("2006-01-02T15:04"))
		}
	}
}

func TestScratch(t *testing.T) {
	f, err := os.Open("/tmp/hb/in.txt")
	if err != nil {
		t.Skip()
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		r, ok := Parse(sc.Text(), Options{Now: devNow})
		if !ok {
			t.Logf("%-50s -", sc.Text())
			continue
		}
		t.Logf("%-50s %s %v %s", sc.Text(), r.Time.Format("2006-01-02T15:04:05Z07:00"), r.HasTime, r.Precision)
	}
}
