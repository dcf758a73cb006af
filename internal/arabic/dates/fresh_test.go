package dates

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFreshSet measures expressions written after development stopped
// (testdata/fresh.tsv) and fails below 90%: an estimate of accuracy on unseen
// input, not a list to fit.
func TestFreshSet(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "fresh.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	total, right := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 3 {
			t.Fatalf("fresh.tsv: %q", sc.Text())
		}
		total++
		r, ok := Parse(cols[1], Options{Now: devNow})
		if msg := checkDev(cols[2], r.Time, ok); msg != "" {
			t.Logf("miss %s %q: %s", cols[0], cols[1], msg)
			continue
		}
		right++
	}
	t.Logf("fresh set: %d/%d right", right, total)
	if right*10 < total*9 {
		t.Errorf("fresh set: %d/%d right, want at least 90%%", right, total)
	}
}
