package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

func hostIDs(cl []store.HostClaim) map[string][]int64 {
	out := map[string][]int64{}
	for _, h := range cl {
		for _, s := range h.Sources {
			out[h.Host] = append(out[h.Host], s.ID)
		}
	}
	return out
}

// testClaimHosts: a host goes to one worker with all its due sources; a
// host another worker holds is skipped until its lease ends or is
// released, and then only after the release's pause.
func testClaimHosts(t *testing.T, s store.Store) {
	c := ctx(t)
	now := base
	var a, b []*model.Source
	for i := range 3 {
		sa := &model.Source{URL: fmt.Sprintf("https://A.example/feed%d", i)}
		sb := &model.Source{URL: fmt.Sprintf("http://127.0.0.1:8%d/feed%d", 1, i)}
		for _, src := range []*model.Source{sa, sb} {
			if err := s.AddSource(c, src); err != nil {
				t.Fatal(err)
			}
		}
		a, b = append(a, sa), append(b, sb)
	}
	// A source of another port is another host.
	other := &model.Source{URL: "http://127.0.0.1:82/feed"}
	if err := s.AddSource(c, other); err != nil {
		t.Fatal(err)
	}
	if got := store.SourceHost(a[0].URL); got != "a.example" {
		t.Errorf("SourceHost(%q) = %q", a[0].URL, got)
	}
	lease := 10 * time.Minute
	got, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "w1", Now: now, Lease: lease, MaxHosts: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("ClaimHosts max 2 = %v", hostIDs(got))
	}
	for _, h := range got {
		if len(h.Sources) != 3 {
			t.Errorf("host %s: %d sources claimed, want all 3", h.Host, len(h.Sources))
		}
		for _, src := range h.Sources {
			if store.SourceHost(src.URL) != h.Host {
				t.Errorf("source %s claimed under host %s", src.URL, h.Host)
			}
			if !src.NextFetch.Equal(now.Add(lease)) {
				t.Errorf("claimed source %d: NextFetch %v, want the lease's end", src.ID, src.NextFetch)
			}
		}
	}
	// The other worker gets the third host only.
	got2, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "w2", Now: now, Lease: lease, MaxHosts: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(got2) != 1 || got2[0].Host != "127.0.0.1:82" || len(got2[0].Sources) != 1 {
		t.Fatalf("second worker claimed %v, want the one free host", hostIDs(got2))
	}
	// Nor does the holder get its hosts again while it works them, even
	// in a crawl by hand, where its claimed sources are not fetched yet.
	if g, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "w1", Now: now, Lease: lease, MaxHosts: 5, Manual: true, Since: now}); err != nil || len(g) != 0 {
		t.Errorf("the holder's second claim = %v, %v; want nothing", hostIDs(g), err)
	}
	// A source of a held host that becomes due stays with the holder.
	held := got[0].Host
	late := &model.Source{URL: "https://" + held + "/late"}
	if held == "a.example" {
		late.URL = "https://a.example/late"
	} else {
		late.URL = "http://" + held + "/late"
	}
	if err := s.AddSource(c, late); err != nil {
		t.Fatal(err)
	}
	if g, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "w2", Now: now.Add(time.Minute), Lease: lease, MaxHosts: 5}); err != nil || len(g) != 0 {
		t.Errorf("claim of a held host's new source by another worker = %v, %v", hostIDs(g), err)
	}
	// Released with a pause: free for others only after it.
	if err := s.ReleaseHost(c, "w1", held, now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if g, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "w2", Now: now.Add(time.Minute), Lease: lease, MaxHosts: 5}); err != nil || len(g) != 0 {
		t.Errorf("claim within the release's pause = %v, %v", hostIDs(g), err)
	}
	// Releasing a host one does not hold changes nothing.
	if err := s.ReleaseHost(c, "w2", got[1].Host, now); err != nil {
		t.Fatal(err)
	}
	g, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "w2", Now: now.Add(2 * time.Minute), Lease: lease, MaxHosts: 5})
	if err != nil {
		t.Fatal(err)
	}
	if ids := hostIDs(g); len(ids) != 1 || !slices.Equal(ids[held], []int64{late.ID}) {
		t.Errorf("claim after the pause = %v, want host %s with source %d only", ids, held, late.ID)
	}
	if _, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "w1", Now: now, Lease: -time.Minute, MaxHosts: 1}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("ClaimHosts with a negative lease: %v, want ErrInvalid", err)
	}
	if _, err := s.ClaimHosts(c, store.HostClaimRequest{Now: now, Lease: lease, MaxHosts: 1}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("ClaimHosts without an owner: %v, want ErrInvalid", err)
	}
}

// testHostLeaseExpiry: a worker that stops renewing loses its hosts at the
// lease's end, and another worker takes their unfinished sources then; a
// renewed lease holds.
func testHostLeaseExpiry(t *testing.T, s store.Store) {
	c := ctx(t)
	now := base
	lease := time.Minute
	for i := range 2 {
		for _, h := range []string{"one", "two"} {
			if err := s.AddSource(c, &model.Source{URL: fmt.Sprintf("https://%s.example/%d", h, i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "dies", Now: now, Lease: lease, MaxHosts: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("first claim: %v, %v", hostIDs(got), err)
	}
	kept, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "lives", Now: now, Lease: lease, MaxHosts: 1})
	if err != nil || len(kept) != 1 {
		t.Fatalf("second claim: %v, %v", hostIDs(kept), err)
	}
	// "lives" renews; "dies" does not, and fetched one of its sources only.
	if err := s.RenewHosts(c, "lives", []string{kept[0].Host}, now.Add(50*time.Second+lease)); err != nil {
		t.Fatal(err)
	}
	done := got[0].Sources[0]
	done.LastFetched = now.Add(time.Second)
	done.NextFetch = now.Add(time.Hour)
	if err := s.SaveFetchState(c, done); err != nil {
		t.Fatal(err)
	}
	if g, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "other", Now: now.Add(lease - time.Second), Lease: lease, MaxHosts: 5}); err != nil || len(g) != 0 {
		t.Errorf("claim within the leases = %v, %v", hostIDs(g), err)
	}
	g, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "other", Now: now.Add(lease), Lease: lease, MaxHosts: 5})
	if err != nil {
		t.Fatal(err)
	}
	ids := hostIDs(g)
	if len(ids) != 1 || !slices.Equal(ids[got[0].Host], []int64{got[0].Sources[1].ID}) {
		t.Errorf("after the lease ran out: %v, want host %s with its unfinished source %d", ids, got[0].Host, got[0].Sources[1].ID)
	}
}

// testCrawlRound: a crawl by hand joins the round under way and polls only
// what was not fetched since it began; a round left by all ends.
func testCrawlRound(t *testing.T, s store.Store) {
	c := ctx(t)
	now := base
	fetched := &model.Source{URL: "https://x.example/done"}
	old := &model.Source{URL: "https://x.example/old"}
	failing := &model.Source{URL: "https://y.example/failing"}
	for _, src := range []*model.Source{fetched, old, failing} {
		if err := s.AddSource(c, src); err != nil {
			t.Fatal(err)
		}
	}
	start, err := s.JoinRound(c, "w1", now, now.Add(time.Minute))
	if err != nil || !start.Equal(now) {
		t.Fatalf("first JoinRound = %v, %v; want now", start, err)
	}
	fetched.LastFetched, fetched.NextFetch = now.Add(time.Second), now.Add(time.Hour)
	old.LastFetched, old.NextFetch = now.Add(-time.Hour), now.Add(time.Hour)
	failing.LastFetched, failing.NextFetch, failing.ErrorCount = now.Add(-time.Hour), now.Add(time.Hour), 1
	for _, src := range []*model.Source{fetched, old, failing} {
		if err := s.SaveFetchState(c, *src); err != nil {
			t.Fatal(err)
		}
	}
	later := now.Add(10 * time.Second)
	since, err := s.JoinRound(c, "w2", later, later.Add(time.Minute))
	if err != nil || !since.Equal(now) {
		t.Fatalf("JoinRound of a late worker = %v, %v; want the round's start %v", since, err, now)
	}
	g, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: "w2", Now: later, Lease: time.Minute, MaxHosts: 5, Manual: true, Since: since})
	if err != nil {
		t.Fatal(err)
	}
	if ids := hostIDs(g); len(ids) != 1 || !slices.Equal(ids["x.example"], []int64{old.ID}) {
		t.Errorf("manual claim in the round = %v, want only %d (not the one fetched this round, %d, nor the failing %d)",
			ids, old.ID, fetched.ID, failing.ID)
	}
	for _, o := range []string{"w1", "w2"} {
		if err := s.LeaveRound(c, o); err != nil {
			t.Fatal(err)
		}
	}
	next := now.Add(20 * time.Second)
	if start, err := s.JoinRound(c, "w3", next, next.Add(time.Minute)); err != nil || !start.Equal(next) {
		t.Errorf("JoinRound after all left = %v, %v; want a new round at %v", start, err, next)
	}
	// A round whose workers stopped renewing ends with its lease.
	if err := s.LeaveRound(c, "w3"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.JoinRound(c, "gone", next, next.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	after := next.Add(2 * time.Minute)
	if start, err := s.JoinRound(c, "w4", after, after.Add(time.Minute)); err != nil || !start.Equal(after) {
		t.Errorf("JoinRound after a dead worker's lease = %v, %v; want %v", start, err, after)
	}
}

// testConcurrentHostClaims: workers claiming hosts at the same moment never
// get one host twice, and together get every due source once.
func testConcurrentHostClaims(t *testing.T, s store.Store) {
	c := ctx(t)
	const sources, hosts, workers = 40, 10, 4
	for i := range sources {
		if err := s.AddSource(c, &model.Source{URL: fmt.Sprintf("http://127.0.0.%d:80/feed%d", 1+i%hosts, i)}); err != nil {
			t.Fatal(err)
		}
	}
	var (
		mu     sync.Mutex
		counts = map[int64]int{}
		byHost = map[string]int{}
		wg     sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for {
				got, err := s.ClaimHosts(c, store.HostClaimRequest{Owner: fmt.Sprintf("w%d", w), Now: base, Lease: time.Hour, MaxHosts: 2})
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, h := range got {
					byHost[h.Host]++
					for _, src := range h.Sources {
						counts[src.ID]++
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(counts) != sources || len(byHost) != hosts {
		t.Errorf("%d sources over %d hosts claimed, want %d over %d", len(counts), len(byHost), sources, hosts)
	}
	for id, n := range counts {
		if n != 1 {
			t.Errorf("source %d claimed %d times", id, n)
		}
	}
	for h, n := range byHost {
		if n != 1 {
			t.Errorf("host %s leased %d times", h, n)
		}
	}
}
