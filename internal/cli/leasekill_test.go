package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"khabar/internal/store/sqlite"
)

// leaseView reads what the takeover test checks straight from the store
// the workers share, behind their back: the host leases, and counts.
type leaseView struct {
	leases func(ctx context.Context) (map[string]hostLease, error)
	count  func(ctx context.Context, query string) (int, error)
}

type hostLease struct {
	owner string
	until time.Time
}

// TestKilledWorkerLeaseTakeover kills a `khabar crawl` worker (SIGKILL,
// no cleanup) while it holds host leases, and checks that another worker
// started at once leaves those hosts alone until the leases run out, then
// takes them over: every feed fetched once, every article stored, no error
// left on a source.
//
// Worker A (KHABAR_WORKERS=4, KHABAR_LEASE=8s) claims 4 of the farm's 5
// hosts. Each host has two feeds; the farm answers the first and holds the
// second, so A is killed mid-host with part of its work stored, once it has
// renewed its leases. Worker B (also 4 at once)
// starts right after the kill: it claims the one free host, and the farm
// holds B's second feed there too, until A's leases (read from the store)
// have ended. B then finishes that host and, on its next claim, takes over
// A's. The workers send different contacts in their User-Agent, so the
// farm's log tells whose each request was: B must send none to A's hosts
// before the lease on that host ends, and B's first claim must come before
// the leases end, or the test would prove nothing.
//
// It runs on SQLite, the two workers in one shared data folder: WAL lets
// processes of one machine share the file, and A and B never ingest at
// once (A is dead when B starts), which SQLite's story decisions would
// not serialise (docs/DEPLOY.md). And on PostgreSQL when there is one
// (postgresURL), the store for workers on several machines.
func TestKilledWorkerLeaseTakeover(t *testing.T) {
	if testing.Short() {
		t.Skip("two crawls and a lease to run out take several seconds")
	}
	t.Run("sqlite", func(t *testing.T) {
		data := t.TempDir()
		db, err := sql.Open("sqlite", "file:"+filepath.Join(data, sqlite.FileName)+"?_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		view := leaseView{
			leases: func(ctx context.Context) (map[string]hostLease, error) {
				rows, err := db.QueryContext(ctx, `SELECT host, owner, until FROM host_leases`)
				if err != nil {
					return nil, err
				}
				defer rows.Close()
				out := map[string]hostLease{}
				for rows.Next() {
					var h, o string
					var until int64
					if err := rows.Scan(&h, &o, &until); err != nil {
						return nil, err
					}
					out[h] = hostLease{o, time.UnixMicro(until)}
				}
				return out, rows.Err()
			},
			count: func(ctx context.Context, query string) (n int, err error) {
				err = db.QueryRowContext(ctx, query).Scan(&n)
				return n, err
			},
		}
		// One data folder for the setup and both workers, as for processes
		// of one machine.
		testLeaseTakeover(t, view, func() string { return data }, "")
	})
	t.Run("postgres", func(t *testing.T) {
		url := postgresURL(t)
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		view := leaseView{
			leases: func(ctx context.Context) (map[string]hostLease, error) {
				rows, err := conn.Query(ctx, `SELECT host, owner, until FROM host_leases`)
				if err != nil {
					return nil, err
				}
				out := map[string]hostLease{}
				var h, o string
				var until time.Time
				_, err = pgx.ForEachRow(rows, []any{&h, &o, &until}, func() error {
					out[h] = hostLease{o, until}
					return nil
				})
				return out, err
			},
			count: func(ctx context.Context, query string) (n int, err error) {
				err = conn.QueryRow(ctx, query).Scan(&n)
				return n, err
			},
		}
		// Each worker with a data folder of its own, as on its own machine.
		testLeaseTakeover(t, view, t.TempDir, url)
	})
}

func testLeaseTakeover(t *testing.T, view leaseView, dataDir func() string, db string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const (
		hosts = 5
		feeds = 2 * hosts // feed i on host i%hosts: a first and a second feed per host
		// Long enough for B, a fresh process, to start and claim before
		// it runs out: under the race detector B first asked 2-3 s after
		// the kill on a 2-core machine. Renewed every third of it while A
		// lives.
		lease = 8 * time.Second
	)
	f := newHostFarm(t, hosts, 0)
	// The farm logs who asked for what and when, and holds every second
	// feed until open is closed; held counts each worker's requests
	// waiting.
	type request struct {
		host, path, agent string
		at                time.Time
	}
	var (
		mu       sync.Mutex
		requests []request
		held     = map[string]int{}
		open     = make(chan struct{})
	)
	whose := func(agent string) string {
		for _, w := range []string{"worker-a", "worker-b"} {
			if strings.Contains(agent, w) {
				return w
			}
		}
		return agent
	}
	holding := func(who string) int {
		mu.Lock()
		defer mu.Unlock()
		return held[who]
	}
	for _, srv := range f.srvs {
		farm := srv.Config.Handler
		srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			requests = append(requests, request{r.Host, r.URL.Path, r.UserAgent(), time.Now()})
			mu.Unlock()
			if id := 0; sscan(r.URL.Path, "/feed/%d.xml", &id) && id >= hosts {
				who := whose(r.UserAgent())
				mu.Lock()
				held[who]++
				mu.Unlock()
				defer func() {
					mu.Lock()
					held[who]--
					mu.Unlock()
				}()
				select {
				case <-open:
				case <-r.Context().Done():
					return // its worker was killed
				}
			}
			farm.ServeHTTP(w, r)
		})
	}
	defer func() {
		select {
		case <-open:
		default:
			close(open)
		}
	}()
	setup := dataDir()
	var opml strings.Builder
	opml.WriteString(`<?xml version="1.0"?><opml version="2.0"><head><title>farm</title></head><body>`)
	for i, u := range f.feeds(feeds) {
		fmt.Fprintf(&opml, `<outline type="rss" text="f%d" xmlUrl="%s"/>`, i, u)
	}
	opml.WriteString(`</body></opml>`)
	file := filepath.Join(t.TempDir(), "farm.opml")
	if err := os.WriteFile(file, []byte(opml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCode2(ctx, setup, db, "sources", "import", file); code != 0 {
		t.Fatalf("sources import: %s %s", out, errOut)
	}

	type worker struct {
		cmd            *exec.Cmd
		stdout, stderr bytes.Buffer
		done           chan struct{}
	}
	start := func(name string) *worker {
		w := &worker{done: make(chan struct{})}
		w.cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
		w.cmd.Stdout, w.cmd.Stderr = &w.stdout, &w.stderr
		args := strings.Join([]string{"--data", dataDir(), "--allow-private-networks", "--contact", "https://" + name + ".example", "crawl"}, "\x1f")
		w.cmd.Env = append(os.Environ(), "KHABAR_TEST_CHILD_ARGS="+args, "KHABAR_DATABASE_URL="+db, "KHABAR_LEASE="+lease.String(),
			"KHABAR_PER_HOST_DELAY=0s", "KHABAR_WORKERS=4", "KHABAR_FETCH_TIMEOUT=100s", "KHABAR_LOG_LEVEL=warn")
		if err := w.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() {
			w.cmd.Wait()
			close(w.done)
		}()
		// Gone before the data folder is removed, should the test stop
		// early.
		t.Cleanup(func() {
			w.cmd.Process.Kill()
			<-w.done
		})
		return w
	}
	// wait polls until ok; it fails when the worker exits first or the
	// time given is up.
	wait := func(what string, w *worker, within time.Duration, ok func() bool) {
		t.Helper()
		timeout := time.After(within)
		for !ok() {
			select {
			case <-w.done:
				t.Fatalf("%s: the worker exited first: %v\n%s\n%s", what, w.cmd.ProcessState, w.stdout.String(), w.stderr.String())
			case <-timeout:
				t.Fatalf("%s: not within %v", what, within)
			case <-time.After(20 * time.Millisecond):
			}
		}
	}

	// A crawls the first feed of each of its hosts and waits on the
	// second: it holds 4 hosts, mid-crawl. A's hosts are those it asked.
	a := start("worker-a")
	began := time.Now()
	wait("A waiting on 4 hosts", a, time.Minute, func() bool { return holding("worker-a") >= 4 })
	aHosts := map[string]bool{}
	mu.Lock()
	for _, r := range requests {
		aHosts[r.host] = true
	}
	mu.Unlock()
	if len(aHosts) != 4 {
		t.Fatalf("A asked %d hosts, want 4", len(aHosts))
	}
	// A is killed once it has renewed its leases, so that the end B must
	// wait for is one A moved while it lived, not the first.
	claimed, err := view.leases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wait("A renewing its leases", a, 2*lease, func() bool {
		now, err := view.leases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for h := range aHosts {
			if !now[h].until.After(claimed[h].until) {
				return false
			}
		}
		return true
	})
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-a.done
	killed := time.Now()
	b := start("worker-b")

	// A's leases, as A left them, end after the kill.
	leases, err := view.leases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var leaseEnd, firstEnd time.Time // the last and the first of A's leases to end
	owner := ""
	for h := range aHosts {
		l, ok := leases[h]
		switch {
		case !ok:
			t.Fatalf("no lease on A's host %s: %v", h, leases)
		case owner != "" && l.owner != owner:
			t.Fatalf("A's hosts leased to %q and %q", owner, l.owner)
		case !l.until.After(killed):
			t.Fatalf("A's lease on %s ended at the kill or before (%v before it): the test proves nothing", h, killed.Sub(l.until))
		}
		owner = l.owner
		if l.until.After(leaseEnd) {
			leaseEnd = l.until
		}
		if firstEnd.IsZero() || l.until.Before(firstEnd) {
			firstEnd = l.until
		}
	}
	t.Logf("A killed %v after it started; its leases end %v to %v after the kill",
		killed.Sub(began).Round(time.Millisecond), firstEnd.Sub(killed).Round(time.Millisecond), leaseEnd.Sub(killed).Round(time.Millisecond))

	// B claims the free host and waits on its second feed there. Then the
	// farm opens once A's leases have all ended, and B takes them over.
	wait("B waiting on a host", b, time.Minute, func() bool { return holding("worker-b") >= 1 })
	asked := time.Now()
	mu.Lock()
	var bFirst time.Time
	for _, r := range requests {
		if whose(r.agent) == "worker-b" {
			bFirst = r.at
			break
		}
	}
	mu.Unlock()
	if bFirst.IsZero() || !bFirst.Before(firstEnd) {
		t.Fatalf("B first asked %v after the kill, and A's first lease ended %v after it: B claimed too late to show that it waits for the lease",
			bFirst.Sub(killed), firstEnd.Sub(killed))
	}
	t.Logf("B first asked %v after the kill, and waited on a held request %v after it",
		bFirst.Sub(killed).Round(time.Millisecond), asked.Sub(killed).Round(time.Millisecond))
	select {
	case <-b.done:
		t.Fatalf("B exited before its held request was answered: %v\n%s", b.cmd.ProcessState, b.stderr.String())
	case <-time.After(time.Until(leaseEnd) + 100*time.Millisecond):
	}
	close(open)
	select {
	case <-b.done:
	case <-ctx.Done():
		t.Fatalf("B did not finish: %v", ctx.Err())
	}
	t.Logf("B: %s (%v after the kill)", strings.TrimSpace(b.stdout.String()), time.Since(killed).Round(time.Millisecond))
	if code := b.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("B exited %d: %s", code, b.stderr.String())
	}
	if testing.Verbose() && b.stderr.Len() > 0 {
		t.Logf("B's log:\n%s", b.stderr.String())
	}

	// No request from B to one of A's hosts before its lease ended; B
	// took over every one of them.
	mu.Lock()
	took := map[string]bool{}
	for _, r := range requests {
		if whose(r.agent) != "worker-b" || !aHosts[r.host] {
			continue
		}
		took[r.host] = true
		if end := leases[r.host].until; r.at.Before(end) {
			t.Errorf("B asked A's host %s for %s %v before A's lease on it ended", r.host, r.path, end.Sub(r.at))
		}
	}
	mu.Unlock()
	if len(took) != len(aHosts) {
		t.Errorf("B took over %d of A's %d hosts", len(took), len(aHosts))
	}
	// Every feed answered once, whoever asked: A's first feeds are not
	// polled again, and the second ones only by B.
	f.mu.Lock()
	for i, u := range f.feeds(feeds) {
		if n := f.hits[strings.TrimPrefix(u, "http://")]; n != 1 {
			t.Errorf("feed %d answered %d times, want 1", i, n)
		}
	}
	f.mu.Unlock()
	// Every feed's article stored (once: articles are unique by URL), and
	// no source left unfetched or with an error.
	for _, c := range []struct {
		query string
		want  int
	}{
		{`SELECT count(*) FROM articles`, feeds},
		{`SELECT count(*) FROM sources WHERE last_fetched IS NULL`, 0},
		{`SELECT count(*) FROM sources WHERE last_error <> ''`, 0},
	} {
		if n, err := view.count(ctx, c.query); err != nil || n != c.want {
			t.Errorf("%s: %d, %v; want %d", c.query, n, err, c.want)
		}
	}
}
