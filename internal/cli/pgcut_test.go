package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestWorkersSurviveLostDatabase runs two `khabar crawl` processes against
// one PostgreSQL store and, while they crawl, cuts every connection they
// hold (pg_terminate_backend), twice: both reconnect and finish, and every
// feed's article is stored, once.
func TestWorkersSurviveLostDatabase(t *testing.T) {
	db := postgresURL(t)
	if testing.Short() {
		t.Skip("two crawls of 60 slow feeds take tens of seconds")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const feeds = 60
	// Each answer after 150 ms: the crawl lasts a few seconds, and the
	// connections are cut while sources and articles are being saved. The
	// feeds are spread over 10 hosts: a host is crawled by one worker at a
	// time, so both workers crawl only when there are hosts for both.
	f := newHostFarm(t, 10, 150*time.Millisecond)
	// The farm holds its answers until both workers are asking, so that
	// both crawl; held counts the requests waiting. A worker asks at most
	// 3 hosts at once (KHABAR_WORKERS=3), one request at a time each, so
	// 4 waiting means both are asking.
	gate := make(chan struct{})
	var held atomic.Int32
	for _, srv := range f.srvs {
		farm := srv.Config.Handler
		srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			held.Add(1)
			defer held.Add(-1)
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
			farm.ServeHTTP(w, r)
		})
	}
	setup := t.TempDir()
	var opml strings.Builder
	opml.WriteString(`<?xml version="1.0"?><opml version="2.0"><head><title>farm</title></head><body>`)
	for i, u := range f.feeds(feeds) {
		fmt.Fprintf(&opml, `<outline type="rss" text="f%d" xmlUrl="%s"/>`, i, u)
	}
	opml.WriteString(`</body></opml>`)
	file := setup + "/farm.opml"
	if err := os.WriteFile(file, []byte(opml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCode2(ctx, setup, db, "sources", "import", file); code != 0 {
		t.Fatalf("sources import: %s %s", out, errOut)
	}

	// The workers' connections carry a name of their own, so that only
	// theirs are cut and not those of other tests sharing the server.
	app := fmt.Sprintf("khabar_cut_%d", time.Now().UnixNano())
	type result struct {
		code           int
		stdout, stderr string
	}
	results := make([]result, 2)
	var wg sync.WaitGroup
	start := func(i int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			args := strings.Join([]string{"--data", t.TempDir(), "--allow-private-networks", "crawl"}, "\x1f")
			workerDB := fmt.Sprintf("%s&application_name=%s_%d", db, app, i)
			cmd.Env = append(os.Environ(), "KHABAR_TEST_CHILD_ARGS="+args, "KHABAR_DATABASE_URL="+workerDB,
				"KHABAR_PER_HOST_DELAY=0s", "KHABAR_WORKERS=3", "KHABAR_FETCH_TIMEOUT=150s", "KHABAR_LOG_LEVEL=warn")
			err := cmd.Run()
			results[i] = result{-1, stdout.String(), stderr.String()}
			if cmd.ProcessState != nil {
				results[i].code = cmd.ProcessState.ExitCode()
			} else if err != nil {
				results[i].stderr += err.Error()
			}
		}()
	}

	admin, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	// Both workers asking: the farm opens. Then the connections are cut
	// when a quarter of the articles are stored, and again at half.
	var waitErr error
	wait := func(what string, done func() (bool, error)) bool {
		for waitErr == nil {
			ok, err := done()
			if ok {
				return true
			}
			if err != nil {
				waitErr = fmt.Errorf("%s: %w", what, err)
				break
			}
			if ctx.Err() != nil {
				waitErr = fmt.Errorf("%s: %w", what, ctx.Err())
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel() // the workers too
		return false
	}
	asking := func(n int32) func() (bool, error) {
		return func() (bool, error) { return held.Load() >= n, nil }
	}
	stored := func(at int) func() (bool, error) {
		return func() (bool, error) {
			var n int
			err := admin.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&n)
			return n >= at, err
		}
	}
	cuts := 0
	// The second worker starts once the first has claimed its hosts and
	// waits for the farm.
	start(0)
	if wait("the first worker asking", asking(1)) {
		start(1)
	}
	if waitErr == nil && wait("both workers asking", asking(4)) {
		close(gate)
		for _, at := range []int{feeds / 4, feeds / 2} {
			if !wait(fmt.Sprintf("%d articles stored", at), stored(at)) {
				break
			}
			var n int
			err := admin.QueryRow(ctx, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1) t`, app+"_%").Scan(&n)
			if err != nil {
				t.Fatalf("terminate: %v", err)
			}
			t.Logf("cut %d connections with at least %d articles stored", n, at)
			if n > 0 {
				cuts++
			}
		}
	}
	wg.Wait()
	if waitErr != nil {
		for i, r := range results {
			t.Logf("worker %d: exit %d: %s\n%s", i, r.code, r.stdout, r.stderr)
		}
		t.Fatalf("waiting for %v", waitErr)
	}
	if cuts == 0 {
		t.Fatal("no connection was cut: the test proved nothing")
	}
	for i, r := range results {
		t.Logf("worker %d: exit %d: %s", i, r.code, strings.TrimSpace(r.stdout))
		if r.code != 0 {
			t.Errorf("worker %d exited %d: %s", i, r.code, r.stderr)
		}
		if strings.Contains(r.stdout, "crawled 0 sources") {
			t.Errorf("worker %d crawled nothing: the cut did not meet two workers", i)
		}
	}
	defer func() {
		if t.Failed() || testing.Verbose() {
			for i, r := range results {
				t.Logf("worker %d stderr:\n%s", i, r.stderr)
			}
		}
	}()

	// Every feed's article stored once; every source crawled without an
	// error left on it.
	rows, err := admin.Query(ctx, `SELECT url, count(*) FROM articles GROUP BY url`)
	if err != nil {
		t.Fatal(err)
	}
	urls, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var u string
		var n int
		err := r.Scan(&u, &n)
		if n != 1 {
			t.Errorf("%s stored %d times", u, n)
		}
		return u, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(urls) != feeds {
		t.Errorf("%d articles stored, want %d", len(urls), feeds)
	}
	var unfetched, failing int
	if err := admin.QueryRow(ctx, `SELECT count(*) FILTER (WHERE last_fetched IS NULL), count(*) FILTER (WHERE last_error <> '') FROM sources`).Scan(&unfetched, &failing); err != nil {
		t.Fatal(err)
	}
	if unfetched != 0 || failing != 0 {
		t.Errorf("%d sources never fetched, %d with an error", unfetched, failing)
	}
	var stories int
	if err := admin.QueryRow(ctx, `SELECT count(*) FROM stories WHERE id NOT IN (SELECT story_id FROM articles WHERE story_id IS NOT NULL)`).Scan(&stories); err != nil {
		t.Fatal(err)
	}
	if stories != 0 {
		t.Errorf("%d stories without an article", stories)
	}
}
