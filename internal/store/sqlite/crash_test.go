package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
)

// crashEnv makes the test binary a child that writes until it is killed.
const crashEnv = "KHABAR_SQLITE_CRASH_DIR"

const crashBatch = 10

func crashArticle(i int) (*model.Article, store.IndexData) {
	a := &model.Article{
		URL:        fmt.Sprintf("https://crash.example/%d", i),
		Title:      fmt.Sprintf("خبر رقم %d عن لبنان", i),
		Text:       strings.Repeat("نص الخبر عن تحالف دولي في البحرين. ", 60),
		SourceName: fmt.Sprintf("مصدر %d", i%7),
		Published:  time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		Keywords:   []string{"لبنان", fmt.Sprintf("كلمة %d", i%13)},
		Signature:  []uint64{uint64(i), uint64(i * 7)},
	}
	ix := store.IndexData{
		TitleTerms: "خبر رقم لبنان", TitleStems: "خبر رقم لبنان",
		BodyTerms: "نص خبر تحالف دولي بحرين", BodyStems: "نص خبر تحالف دول بحرين",
		Phrases: []string{"لبنان", "تحالف دولي", fmt.Sprintf("عبارة %d", i%50)},
		Bands:   []uint64{uint64(i % 97), uint64(1000 + i%31)},
	}
	return a, ix
}

// TestCrashChild is the child side of TestCrashSafety; it does nothing in
// a normal run.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("only runs as the child of TestCrashSafety")
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, dir)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	deadline := time.Now().Add(time.Minute) // never outlive a vanished parent for long
	for b := 0; time.Now().Before(deadline); b++ {
		as := make([]*model.Article, crashBatch)
		ixs := make([]store.IndexData, crashBatch)
		for j := range as {
			as[j], ixs[j] = crashArticle(b*crashBatch + j)
		}
		if _, err := s.SaveArticles(ctx, as, ixs); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Println("committed", (b+1)*crashBatch)
	}
	os.Exit(3)
}

// TestCrashSafety kills a writing process with SIGKILL and checks that
// every committed batch is there, once, whole, and that the file is sound;
// then "imports again" and checks nothing is duplicated.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committed := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "committed "); ok {
			committed, _ = strconv.Atoi(n)
			if committed >= 300 {
				break
			}
		} else if strings.HasPrefix(line, "error") {
			t.Fatalf("child: %s", line)
		}
	}
	// Kill it in the middle of its next batch.
	time.Sleep(3 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if committed < 300 {
		t.Fatalf("child committed only %d before it ended", committed)
	}

	ctx := t.Context()
	s, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer s.Close()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := s.CountArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n < committed || n%crashBatch != 0 {
		t.Fatalf("%d articles after the crash; %d were reported committed, in whole batches of %d", n, committed, crashBatch)
	}
	for i := range n {
		a, _ := crashArticle(i)
		got, err := s.GetArticleByURL(ctx, a.URL)
		if err != nil {
			t.Fatalf("article %d: %v", i, err)
		}
		if got.Title != a.Title || len(got.Keywords) != 2 {
			t.Fatalf("article %d: %+v", i, got)
		}
	}
	df, docs, err := s.DocFreq(ctx, []string{"لبنان"})
	if err != nil || df["لبنان"] != n || docs != n {
		t.Errorf("DocFreq after crash = %v, %d, %v; want %d", df, docs, err, n)
	}

	// The same import again, a little further: no duplicates, counts exact.
	total := n + 2*crashBatch
	for b := 0; b < total/crashBatch; b++ {
		as := make([]*model.Article, crashBatch)
		ixs := make([]store.IndexData, crashBatch)
		for j := range as {
			as[j], ixs[j] = crashArticle(b*crashBatch + j)
		}
		created, err := s.SaveArticles(ctx, as, ixs)
		if err != nil {
			t.Fatal(err)
		}
		for j, c := range created {
			if want := b*crashBatch+j >= n; c != want {
				t.Fatalf("article %d: created = %v, want %v", b*crashBatch+j, c, want)
			}
		}
	}
	if got, _ := s.CountArticles(ctx); got != total {
		t.Errorf("after re-import: %d articles, want %d", got, total)
	}
	if list, tot, err := s.ListArticles(ctx, store.ArticleFilter{Tag: "لبنان", Limit: 1}); err != nil || tot != total || len(list) != 1 {
		t.Errorf("tag count after re-import: %d, %v", tot, err)
	}
	df, _, _ = s.DocFreq(ctx, []string{"لبنان"})
	if df["لبنان"] != total {
		t.Errorf("DocFreq after re-import = %d, want %d", df["لبنان"], total)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}
