package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"khabar/internal/ingest/bulk"
	"khabar/internal/model"
	"khabar/internal/store/sqlite"
)

// TestMain lets a test start khabar as a child process (to kill it).
func TestMain(m *testing.M) {
	if args := os.Getenv("KHABAR_TEST_CHILD_ARGS"); args != "" {
		os.Unsetenv("KHABAR_TEST_CHILD_ARGS")
		code := Main(strings.Split(args, "\x1f"), os.Environ(), os.Stdin, os.Stdout, os.Stderr)
		if f := os.Getenv("KHABAR_TEST_CHILD_PEAK"); f != "" {
			// The child's own peak: its rusage maxrss, as the parent sees
			// it, also counts the parent's resident memory when it forked.
			os.WriteFile(f, []byte(strconv.FormatInt(peakRSS(), 10)), 0o644)
		}
		os.Exit(code)
	}
	os.Exit(m.Run())
}

var words = strings.Fields(`الحكومة وزارة الاقتصاد السوق النفط الرياض جدة مكة المدينة الشركة الأسهم البنك المركزي
التعليم الجامعة الطلاب الصحة المستشفى الأطباء المرضى المشروع البناء الطرق النقل المطار الرحلات السياحة الفنادق
المنتخب المباراة الدوري الملعب اللاعبين المدرب الأمطار الطقس الحرارة الرياح البحر الصيد الزراعة المياه الكهرباء
الطاقة الشمسية المؤتمر القمة الرئيس الوزير السفير الاتفاقية التعاون التجارة الصادرات الواردات الميزانية العام المقبل
أعلن أكد أوضح أشار قال أضاف بدأ افتتح وقع استقبل ناقش بحث اجتمع زار أطلق دعا طالب حذر كشف`)

// syntheticCorpus writes n articles of varied text as JSON Lines.
func syntheticCorpus(t *testing.T, n int) string {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for i := range n {
		var text []string
		for range 60 + r.IntN(120) {
			text = append(text, words[r.IntN(len(words))])
		}
		rec := map[string]string{
			"url":     fmt.Sprintf("https://news.example/%d", i),
			"title":   strings.Join([]string{words[r.IntN(len(words))], words[r.IntN(len(words))], words[r.IntN(len(words))]}, " "),
			"content": strings.Join(text, " "),
			"date":    time.Date(2015, 7, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			"source":  fmt.Sprintf("outlet%d", i%14),
		}
		line, _ := json.Marshal(rec)
		b.Write(line)
		b.WriteByte('\n')
	}
	f := filepath.Join(t.TempDir(), "corpus.jsonl")
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestImportSurvivesSIGKILL kills an import midway, runs it again, and
// checks every article is there once and the database is sound.
func TestImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	// Several batches (bulk.DefaultSize), so that the child is killed with some
	// committed and more to come.
	const n = 3*bulk.DefaultSize + 500
	corpus := syntheticCorpus(t, n)
	data := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(), "KHABAR_TEST_CHILD_ARGS="+strings.Join([]string{"--data", data, "import", "--related=false", corpus}, "\x1f"), "KHABAR_LOG_LEVEL=error")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	ctx := context.Background()
	// wait until some articles are committed, then kill
	deadline := time.Now().Add(3 * time.Minute)
	var lastErr error
	for {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the child never committed an article (last error: %v)", lastErr)
		}
		select {
		case err := <-exited:
			t.Fatalf("the child ended before it was killed: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		if _, err := os.Stat(filepath.Join(data, "khabar.db")); err != nil {
			continue
		}
		st, err := sqlite.Open(ctx, data)
		if err != nil {
			lastErr = err
			continue
		}
		c, err := st.CountArticles(ctx)
		st.Close()
		lastErr = err
		if err == nil && c > 50 {
			if c >= n {
				t.Fatalf("the child finished (%d articles) before it could be killed", c)
			}
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited

	// Related reading is left out: its pass runs after every article is
	// saved, so it is not what is killed, and over this small vocabulary
	// every article matches every other.
	code, out, errOut := runCode(ctx, data, "", "import", "--related=false", corpus)
	if code != 0 {
		t.Fatalf("second import: %s %s", out, errOut)
	}
	st, err := sqlite.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatalf("integrity: %v", err)
	}
	if c, _ := st.CountArticles(ctx); c != n {
		t.Errorf("%d articles after the second import, want %d", c, n)
	}
	seen := map[string]int{}
	st.EachArticle(ctx, func(a *model.Article) error { seen[a.URL]++; return nil })
	for u, k := range seen {
		if k != 1 {
			t.Errorf("%s stored %d times", u, k)
		}
	}
	if len(seen) != n {
		t.Errorf("%d distinct URLs, want %d", len(seen), n)
	}
}
