package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"khabar/internal/extract"
	"khabar/internal/feed"
	"khabar/internal/fetch"
	"khabar/internal/model"
	"khabar/internal/sanitize"
	"khabar/internal/store"
	"khabar/internal/weburl"
)

// Fetcher is the HTTP side the crawler needs (fetch.Client implements it).
type Fetcher interface {
	Get(ctx context.Context, url string, cond fetch.Conditional) (*fetch.Response, error)
}

// CrawlConfig tunes a Crawler.
type CrawlConfig struct {
	Workers  int           // sources crawled at once; pacing per host is the fetcher's
	MaxItems int           // items taken from one feed per fetch
	Lease    time.Duration // how long a claimed source is kept from other workers
	Log      *slog.Logger
	Now      func() time.Time
	// Progress, when set, is called after each source with the running totals.
	Progress func(p Progress)
	// Manual makes RunOnce a crawl asked for by hand: every healthy source
	// is polled (conditionally) even before it is due; sources waiting
	// after a failure or a server's Retry-After still wait.
	Manual bool
	// Owner names this crawler in host leases; it must differ between
	// processes sharing a store. Empty: the machine's name, the process id
	// and a random number.
	Owner string
	// HostPause is the least pause a host gets after a request (the
	// fetcher's per-host delay or the host's Crawl-delay); a host is handed
	// to another crawler only after it. Nil: no pause.
	HostPause func(host string) time.Duration
}

// Progress is the state of a running crawl.
type Progress struct {
	SourcesDone, SourcesTotal int
	NewArticles               int
	Errors                    int
	Current                   string // URL of the source just crawled
	CurrentFailed             bool   // whether it failed
}

// Report sums up one crawl round.
type Report struct {
	Sources     int
	NewArticles int
	Updated     int
	NotModified int
	Errors      int
}

// Crawler fetches due sources and ingests their new items.
type Crawler struct {
	st  store.Store
	fc  Fetcher
	p   *Pipeline
	cfg CrawlConfig

	owner string

	mu   sync.Mutex
	seen map[string]string // item URL → canonical URL stored, so pages are not refetched
}

// NewCrawler returns a Crawler; zero config fields take defaults.
func NewCrawler(st store.Store, fc Fetcher, p *Pipeline, cfg CrawlConfig) *Crawler {
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.MaxItems <= 0 {
		cfg.MaxItems = 200
	}
	if cfg.Lease <= 0 {
		// Renewed every third of it while a host is held: how long a host
		// stays with a worker that died before another may take it
		// (KHABAR_LEASE).
		cfg.Lease = 5 * time.Minute
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	owner := cfg.Owner
	if owner == "" {
		name, _ := os.Hostname()
		owner = fmt.Sprintf("%s-%d-%08x", name, os.Getpid(), rand.Uint32())
	}
	return &Crawler{st: st, fc: fc, p: p, cfg: cfg, owner: owner, seen: map[string]string{}}
}

// Polling bounds: a source is polled about as often as it publishes, within these.
const (
	minInterval     = 10 * time.Minute
	defaultInterval = 30 * time.Minute
	maxInterval     = 6 * time.Hour
	backoffBase     = 5 * time.Minute
	backoffMax      = 24 * time.Hour
	// maxPageTimeouts is how many article pages in a row may time out,
	// and maxPageFailures how many may fail in any way (a status, a body
	// too large, a page that cannot be read), before the rest of a
	// source's items wait for a later round. A timeout holds the host for
	// a whole fetch timeout, a failed status for one request.
	maxPageTimeouts = 3
	maxPageFailures = 10
)

// RunOnce crawls every source due now, once, and returns when all are done
// or ctx ends. A failing source is recorded on that source (LastError) and
// the crawl goes on.
//
// Work is claimed by host (store.ClaimHosts): a host is leased to this
// crawler while it fetches the host's due sources one after another, and
// handed back after the host's politeness pause, so crawlers sharing a
// store never fetch from one host at once. Hosts are claimed one per free
// worker, so that other crawlers take their part of the round.
func (c *Crawler) RunOnce(ctx context.Context) (Report, error) {
	var rep Report
	req := store.HostClaimRequest{Owner: c.owner, Lease: c.cfg.Lease, Manual: c.cfg.Manual}
	if c.cfg.Manual {
		// A crawl by hand polls every healthy source not fetched since the
		// round by hand began, the one another crawler started if it is
		// still going: a late crawler does not poll again what a peer
		// polled in this round.
		now := c.cfg.Now()
		since, err := c.st.JoinRound(ctx, c.owner, now, now.Add(c.cfg.Lease))
		if err != nil {
			return rep, fmt.Errorf("ingest: join the crawl round: %w", err)
		}
		req.Since = since
		defer func() {
			if err := c.st.LeaveRound(context.WithoutCancel(ctx), c.owner); err != nil {
				c.cfg.Log.Warn("leave the crawl round", "err", err)
			}
		}()
	}
	var (
		prog Progress
		mu   sync.Mutex
		held = map[string]bool{} // hosts leased to this crawler now
	)
	// Leases are renewed while held, so a long host outlives its first
	// lease; a crawler that dies stops renewing, and its hosts and sources
	// go to another within the lease.
	beatCtx, stopBeat := context.WithCancel(ctx)
	beatDone := make(chan struct{})
	go func() {
		defer close(beatDone)
		t := time.NewTicker(max(c.cfg.Lease/3, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-beatCtx.Done():
				return
			case <-t.C:
			}
			mu.Lock()
			hosts := make([]string, 0, len(held))
			for h := range held {
				hosts = append(hosts, h)
			}
			mu.Unlock()
			until := c.cfg.Now().Add(c.cfg.Lease)
			if err := c.st.RenewHosts(beatCtx, c.owner, hosts, until); err != nil && beatCtx.Err() == nil {
				c.cfg.Log.Warn("renew host leases", "err", err)
			}
			if c.cfg.Manual {
				if _, err := c.st.JoinRound(beatCtx, c.owner, c.cfg.Now(), until); err != nil && beatCtx.Err() == nil {
					c.cfg.Log.Warn("renew the crawl round", "err", err)
				}
			}
		}
	}()
	jobs := make(chan store.HostClaim, c.cfg.Workers)
	finished := make(chan struct{}, c.cfg.Workers)
	var wg sync.WaitGroup
	for range c.cfg.Workers {
		wg.Go(func() {
			for hc := range jobs {
				for _, src := range hc.Sources {
					if ctx.Err() != nil {
						break
					}
					r := c.crawlSource(ctx, src)
					mu.Lock()
					rep.NewArticles += r.NewArticles
					rep.Updated += r.Updated
					rep.NotModified += r.NotModified
					rep.Errors += r.Errors
					prog.SourcesDone++
					prog.NewArticles = rep.NewArticles
					prog.Errors = rep.Errors
					prog.Current = src.URL
					prog.CurrentFailed = r.Errors > 0
					if c.cfg.Progress != nil {
						c.cfg.Progress(prog)
					}
					mu.Unlock()
				}
				c.releaseHost(ctx, hc.Host)
				mu.Lock()
				delete(held, hc.Host)
				mu.Unlock()
				finished <- struct{}{}
			}
		})
	}
	var claimErr error
	free := c.cfg.Workers
claiming:
	for ctx.Err() == nil {
		for drained := false; !drained; {
			select {
			case <-finished:
				free++
			default:
				drained = true
			}
		}
		if free == 0 {
			select {
			case <-finished:
				free++
			case <-ctx.Done():
				break claiming
			}
		}
		req.Now = c.cfg.Now()
		req.MaxHosts = free
		claims, err := c.st.ClaimHosts(ctx, req)
		if err != nil {
			claimErr = fmt.Errorf("ingest: claim hosts: %w", err)
			break
		}
		for _, hc := range claims {
			mu.Lock()
			held[hc.Host] = true
			rep.Sources += len(hc.Sources)
			prog.SourcesTotal += len(hc.Sources)
			mu.Unlock()
			free--
			jobs <- hc
		}
		if len(claims) == 0 {
			if free == c.cfg.Workers {
				break // nothing in flight, nothing left to claim
			}
			// Look again when a host is done: its sources may be due
			// again, or a peer's hosts free.
			select {
			case <-finished:
				free++
			case <-ctx.Done():
				break claiming
			}
		}
	}
	close(jobs)
	wg.Wait()
	stopBeat()
	<-beatDone
	if claimErr != nil {
		return rep, claimErr
	}
	return rep, ctx.Err()
}

// releaseHost hands host back, free for others after its politeness
// pause from now (the end of this crawler's last request to it).
func (c *Crawler) releaseHost(ctx context.Context, host string) {
	var pause time.Duration
	if c.cfg.HostPause != nil {
		pause = c.cfg.HostPause(host)
	}
	if err := c.st.ReleaseHost(context.WithoutCancel(ctx), c.owner, host, c.cfg.Now().Add(pause)); err != nil {
		c.cfg.Log.Warn("release host", "host", host, "err", err)
	}
}

// crawlSource fetches one feed and its new items, then writes the source's
// polling state. Its Report counts one error when the source failed.
func (c *Crawler) crawlSource(ctx context.Context, src model.Source) Report {
	var rep Report
	log := c.cfg.Log.With("source_id", src.ID, "url", src.URL)
	start := c.cfg.Now()
	resp, err := c.fc.Get(ctx, src.URL, fetch.Conditional{ETag: src.ETag, LastModified: src.LastModified})
	src.LastFetched = start
	if err != nil {
		c.fail(ctx, &src, err, log)
		rep.Errors++
		return rep
	}
	if resp.NotModified {
		rep.NotModified++
		src.LastError = ""
		src.ErrorCount = 0
		c.schedule(&src, nil)
		c.saveState(ctx, src, log)
		return rep
	}
	f, err := feed.Parse(resp.Body, resp.URL)
	if err != nil {
		// A web page instead of a feed: follow the feed it announces.
		if links := feed.Discover(resp.Body, resp.URL); len(links) > 0 {
			if r2, err2 := c.fc.Get(ctx, links[0], fetch.Conditional{}); err2 == nil {
				if f2, err3 := feed.Parse(r2.Body, r2.URL); err3 == nil {
					f, err = f2, nil
					log.Info("feed discovered on page", "feed", links[0])
				}
			}
		}
		if err != nil {
			c.fail(ctx, &src, fmt.Errorf("parse feed: %w", err), log)
			rep.Errors++
			return rep
		}
	}
	oldETag, oldLastModified := src.ETag, src.LastModified
	src.ETag, src.LastModified = resp.ETag, resp.LastModified
	if src.Title == "" || src.Title == src.URL {
		src.Title = strings.TrimSpace(f.Title)
	}
	if src.SiteURL == "" {
		src.SiteURL = f.SiteURL
	}
	if src.Language == "" {
		src.Language = f.Language
	}
	items := f.Items
	if len(items) > c.cfg.MaxItems {
		items = items[:c.cfg.MaxItems]
	}
	var pageErrs []string
	failed, left := 0, 0
	var br pageBreaker
	for i, it := range items {
		if ctx.Err() != nil {
			break
		}
		created, err := c.ingestItem(ctx, src, it)
		if created {
			rep.NewArticles++
		}
		if err != nil {
			failed++
			if len(pageErrs) < 3 {
				pageErrs = append(pageErrs, err.Error())
			}
			log.Warn("item failed", "item", it.URL, "err", err)
		}
		// Requests to one host go one at a time, so pages that hang or
		// keep failing would hold every source on the host for MaxItems
		// requests: give up on this source's pages for the round after a
		// run of them.
		if ctx.Err() == nil && br.record(err) {
			left = len(items) - i - 1
			break
		}
	}
	if left > 0 {
		// The rest waits for a later round, after a backoff; the old
		// validators are kept so that round reads the items again rather
		// than getting a 304.
		src.ETag, src.LastModified = oldETag, oldLastModified
		c.fail(ctx, &src, fmt.Errorf("item pages not fetched for the rest of this crawl after %s, %d of %d items left for a later crawl: %w",
			br.why(), left, len(items), br.last), log)
		rep.Errors++
		return rep
	}
	src.ErrorCount = 0
	src.LastError = ""
	if failed > 0 {
		src.LastError = fmt.Sprintf("%d of %d items failed: %s", failed, len(items), strings.Join(pageErrs, "; "))
		if failed == len(items) {
			rep.Errors++
		}
	}
	c.schedule(&src, items)
	c.saveState(ctx, src, log)
	log.Info("source crawled", "items", len(items), "new", rep.NewArticles, "failed", failed)
	return rep
}

// ingestItem stores one feed item, fetching its page unless the article is
// already stored. created reports a new article; err may be set with
// created true when the page failed and the article was stored from the
// feed's own text.
func (c *Crawler) ingestItem(ctx context.Context, src model.Source, it feed.Item) (bool, error) {
	link := strings.TrimSpace(it.URL)
	if link == "" {
		return false, errors.New("item has no link")
	}
	// The one rule for URLs from outside (weburl.Check); the link is
	// kept as the feed gives it, since it is the article's identity.
	if _, err := weburl.Check(link); err != nil {
		return false, fmt.Errorf("item link: %w", err)
	}
	c.mu.Lock()
	_, known := c.seen[link]
	c.mu.Unlock()
	if known {
		return false, nil
	}
	if ok, err := c.st.HasArticle(ctx, link); err != nil {
		return false, err
	} else if ok {
		c.remember(link, link)
		return false, nil
	}
	// The feed's text and the page's extraction are the article's own
	// computations: behind the pipeline's recover boundary, so that a
	// panic is this item's error, recorded on its source.
	a := itemFields(src, it, link)
	var feedText string
	if err := c.p.guard("extract", a, func() error {
		feedText = itemText(a, it, link)
		return nil
	}); err != nil {
		return false, err
	}
	resp, err := c.fc.Get(ctx, link, fetch.Conditional{})
	var pageErr error
	if err != nil {
		pageErr = &PageError{err} // fetch's errors name the URL already
	} else {
		var xerr error
		if err := c.p.guard("extract", a, func() error {
			res, err := extract.Extract(resp.Body, resp.URL, extract.Options{Now: c.cfg.Now(), Location: time.UTC})
			if err != nil {
				xerr = err
				return nil
			}
			merge(a, res, resp.URL)
			return nil
		}); err != nil {
			return false, err
		}
		if xerr != nil {
			pageErr = &PageError{fmt.Errorf("extract %s: %w", link, xerr)}
		}
	}
	if a.Text == "" {
		a.Text = feedText
	}
	if a.Text == "" && pageErr != nil {
		// Only a title: storing it would make the article known, and its
		// page would never be fetched again; leave it for a later round.
		return false, pageErr
	}
	if a.Text == "" && a.Title == "" {
		return false, fmt.Errorf("%s: no text found", link)
	}
	if a.URL != link {
		if ok, err := c.st.HasArticle(ctx, a.URL); err == nil && ok {
			c.remember(link, a.URL)
			return false, nil
		}
	}
	created, err := c.p.Ingest(ctx, a)
	if err != nil {
		return false, err
	}
	c.remember(link, a.URL)
	return created, pageErr
}

// PageError is the failure of an item's page: its fetch (a status, a body
// too large, a timeout) or its extraction.
type PageError struct{ Err error }

func (e *PageError) Error() string { return e.Err.Error() }
func (e *PageError) Unwrap() error { return e.Err }

// pageBreaker watches the item pages of one source in one round: it trips
// after maxPageTimeouts timeouts in a row or maxPageFailures failed pages
// in a row. A page robots.txt keeps khabar from asking costs the host
// nothing and does not count, nor does an item refused before its page is
// asked for; a page that is read, or an item already stored, ends a run.
type pageBreaker struct {
	timeouts, failures int
	last               error
}

// record notes the outcome of one item and reports whether to stop.
func (b *pageBreaker) record(err error) bool {
	if err == nil {
		b.timeouts, b.failures = 0, 0
		return false
	}
	var pe *PageError
	if !errors.As(err, &pe) || errors.Is(err, fetch.ErrDisallowed) {
		return false
	}
	b.last = err
	b.failures++
	if isTimeout(err) {
		b.timeouts++
	} else {
		b.timeouts = 0
	}
	return b.timeouts >= maxPageTimeouts || b.failures >= maxPageFailures
}

// why says what tripped the breaker.
func (b *pageBreaker) why() string {
	if b.timeouts >= maxPageTimeouts {
		return fmt.Sprintf("%d page timeouts in a row", b.timeouts)
	}
	return fmt.Sprintf("%d failed pages in a row", b.failures)
}

// itemArticle is the article a feed item announces at link, before its
// page is merged in, and the item's own text, the fallback for the body.
func itemArticle(src model.Source, it feed.Item, link string) (*model.Article, string) {
	a := itemFields(src, it, link)
	return a, itemText(a, it, link)
}

// itemFields is the article of itemArticle without its summary.
func itemFields(src model.Source, it feed.Item, link string) *model.Article {
	return &model.Article{
		URL:        link,
		GUID:       it.GUID,
		SourceID:   src.ID,
		SourceName: sourceName(src),
		Outlet:     src.Outlet.Key,
		Title:      strings.TrimSpace(it.Title),
		Authors:    it.Authors,
		Published:  it.Published,
		Modified:   it.Updated,
		Image:      it.Image,
		Language:   src.Language,
	}
}

// itemText sets a's summary from the item's and returns the item's text.
func itemText(a *model.Article, it feed.Item, link string) string {
	if it.Summary != "" {
		a.Summary = sanitize.HTML(it.Summary, link)
	}
	return sanitize.Text(firstNonEmpty(it.Content, it.Summary))
}

// isTimeout reports whether err is a request that ran out of time.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func (c *Crawler) remember(link, canonical string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) > 200000 {
		c.seen = map[string]string{}
	}
	c.seen[link] = canonical
}

// merge lays the page's extraction over the feed's item: the page wins for
// the body and what it states; the feed's values are fallbacks.
func merge(a *model.Article, res *extract.Result, finalURL string) {
	if canon := res.URL; canon != "" && sameSite(canon, finalURL) {
		a.URL = canon
	} else if finalURL != "" {
		a.URL = finalURL
	}
	if res.Title != "" {
		a.Title = res.Title
	}
	if res.Text != "" {
		a.Text = res.Text
	}
	if res.HTML != "" {
		a.HTML = sanitize.HTML(res.HTML, a.URL)
	}
	if len(res.Authors) > 0 {
		a.Authors = res.Authors
	}
	if !res.Published.IsZero() {
		a.Published = res.Published
	}
	if !res.Modified.IsZero() {
		a.Modified = res.Modified
	}
	if res.Language != "" {
		a.Language = res.Language
	}
	if res.Image != "" {
		a.Image = res.Image
	}
	a.SiteName = res.SiteName
	a.Agency = res.Agency
}

// sameSite reports whether a canonical URL stays on the fetched page's
// registrable host, so a page cannot claim another outlet's URL.
func sameSite(canon, page string) bool {
	cu, err1 := url.Parse(canon)
	pu, err2 := url.Parse(page)
	if err1 != nil || err2 != nil || (cu.Scheme != "http" && cu.Scheme != "https") {
		return false
	}
	ch := strings.TrimPrefix(cu.Hostname(), "www.")
	ph := strings.TrimPrefix(pu.Hostname(), "www.")
	return ch == ph || strings.HasSuffix(ch, "."+ph) || strings.HasSuffix(ph, "."+ch)
}

func (c *Crawler) fail(ctx context.Context, src *model.Source, err error, log *slog.Logger) {
	src.ErrorCount++
	src.LastError = err.Error()
	next := c.cfg.Now().Add(fetch.Backoff(src.ErrorCount, backoffBase, backoffMax))
	var se *fetch.StatusError
	if errors.As(err, &se) && se.RetryAfter > 0 {
		if ra := c.cfg.Now().Add(se.RetryAfter); ra.After(next) {
			next = ra
		}
	}
	src.NextFetch = next
	log.Warn("source failed", "err", err, "next_fetch", next)
	c.saveState(ctx, *src, log)
}

// schedule sets NextFetch from how often the source publishes: the median
// gap between its recent items, within [minInterval, maxInterval].
func (c *Crawler) schedule(src *model.Source, items []feed.Item) {
	iv := src.Interval
	if len(items) > 0 {
		iv = publishingInterval(items)
	}
	if iv <= 0 {
		iv = defaultInterval
	}
	src.Interval = iv
	src.NextFetch = c.cfg.Now().Add(iv)
}

func publishingInterval(items []feed.Item) time.Duration {
	var ts []time.Time
	for _, it := range items {
		if !it.Published.IsZero() {
			ts = append(ts, it.Published)
		}
	}
	if len(ts) < 3 {
		return defaultInterval
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].After(ts[j]) })
	if len(ts) > 20 {
		ts = ts[:20]
	}
	gaps := make([]time.Duration, 0, len(ts)-1)
	for i := 1; i < len(ts); i++ {
		gaps = append(gaps, ts[i-1].Sub(ts[i]))
	}
	sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
	iv := gaps[len(gaps)/2]
	return min(max(iv, minInterval), maxInterval)
}

func (c *Crawler) saveState(ctx context.Context, src model.Source, log *slog.Logger) {
	// The state must be written even when the crawl is being cancelled,
	// or the source would stay leased with a stale error.
	ctx = context.WithoutCancel(ctx)
	if err := c.st.SaveFetchState(ctx, src); err != nil {
		log.Error("save source state", "err", err)
	}
}

func sourceName(s model.Source) string {
	if s.Title != "" {
		return s.Title
	}
	if u, err := url.Parse(s.URL); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return s.URL
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
