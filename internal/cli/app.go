package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"khabar/internal/alerts"
	"khabar/internal/analysis"
	"khabar/internal/config"
	"khabar/internal/entities"
	"khabar/internal/fetch"
	"khabar/internal/ingest"
	"khabar/internal/metrics"
	"khabar/internal/model"
	"khabar/internal/outlets"
	"khabar/internal/search"
	"khabar/internal/store"
	"khabar/internal/store/postgres"
	"khabar/internal/store/sqlite"
)

// app holds what a command needs, built on first use.
type app struct {
	cfg    config.Config
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger

	st       store.Store
	an       *analysis.Analyzer
	rec      *entities.Recognizer
	notifier *alerts.Notifier
	rel      *relater
	reg      *metrics.Registry
}

func newApp(cfg config.Config, stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{cfg: cfg, stdin: stdin, stdout: stdout, stderr: stderr, log: newLogger(cfg, stderr), reg: metrics.New()}
}

func (a *app) close() {
	if a.st != nil {
		if err := a.st.Close(); err != nil {
			a.log.Error("close store", "err", err)
		}
	}
}

// store opens the store named by the configuration.
func (a *app) store(ctx context.Context) (store.Store, error) {
	if a.st != nil {
		return a.st, nil
	}
	if err := os.MkdirAll(a.cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	var st store.Store
	var err error
	if a.cfg.DatabaseURL != "" {
		st, err = postgres.Open(ctx, a.cfg.DatabaseURL)
	} else {
		st, err = sqlite.Open(ctx, a.cfg.DataDir)
	}
	if err != nil {
		return nil, err
	}
	if err := knowOutlets(ctx, st); err != nil {
		st.Close()
		return nil, fmt.Errorf("outlet profiles: %w", err)
	}
	a.st = st
	return st, nil
}

// knowOutlets gives the store the built-in outlet profiles it lacks (never
// overwriting one a user edited) and makes each built-in feed's source
// belong to its outlet. It writes only when the built-in profiles changed
// since the store last got them.
func knowOutlets(ctx context.Context, st store.Store) error {
	profiles, err := outlets.Profiles()
	if err != nil {
		return err
	}
	h := fnv.New64a()
	for _, p := range profiles {
		fmt.Fprintf(h, "%s\t%s\t%s\t%s\t%s\n", p.Key, p.NameAR, p.NameEN, p.Country, p.Kind)
	}
	version := strconv.FormatUint(h.Sum64(), 16)
	if v, err := st.GetSetting(ctx, "outlet_profiles"); err == nil && v == version {
		return nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := st.AddOutlets(ctx, profiles); err != nil {
		return err
	}
	builtin, err := outlets.All()
	if err != nil {
		return err
	}
	keyOf := map[string]string{}
	for _, o := range builtin {
		keyOf[o.FeedURL] = o.Profile.Key
		for _, alt := range o.Alternates {
			keyOf[alt] = o.Profile.Key
		}
	}
	srcs, err := st.ListSources(ctx)
	if err != nil {
		return err
	}
	for _, s := range srcs {
		if k := keyOf[s.URL]; k != "" && s.Outlet.Key == "" {
			if err := st.SetSourceOutlet(ctx, s.ID, k); err != nil {
				return err
			}
		}
	}
	return st.SetSetting(ctx, "outlet_profiles", version)
}

// storeIfExists opens the store only when the data folder already has one,
// so that read-only commands (extract, keywords) do not create files.
func (a *app) storeIfExists(ctx context.Context) (store.Store, error) {
	if a.cfg.DatabaseURL == "" {
		if _, err := os.Stat(filepath.Join(a.cfg.DataDir, "khabar.db")); err != nil {
			return nil, nil
		}
	}
	return a.store(ctx)
}

// analysis builds the analyzer and the entity recognizer. With a store, the
// names it learnt join the recognizer's gazetteers; the analyzer keeps only
// the built-in names out of the stemmer, so that the forms of a word in the
// search index never depend on what the store had learnt when the article
// came in (analysis.FormsVersion).
func (a *app) analysis(ctx context.Context, st store.Store) (*analysis.Analyzer, *entities.Recognizer, error) {
	if a.an != nil {
		return a.an, a.rec, nil
	}
	var learned []model.Entity
	if st != nil {
		var err error
		learned, err = st.LearnedNames(ctx, learnAfter)
		if err != nil {
			return nil, nil, err
		}
	}
	a.rec = entities.New(entities.Options{Learned: learned})
	a.an = analysis.New(analysis.Options{Names: entities.BuiltinNames()})
	if ix, ok := st.(search.IndexStore); ok {
		// The search index follows the analyzer's rules for the forms of
		// a word: a store indexed under other rules is reindexed first.
		if n, err := search.EnsureIndex(ctx, ix, a.an); err != nil {
			return nil, nil, err
		} else if n > 0 {
			a.log.Info("search index rebuilt for new word forms", "articles", n, "forms_version", analysis.FormsVersion)
		}
	}
	return a.an, a.rec, nil
}

// learnAfter is how many times a name must be seen in a naming context
// before it joins the gazetteers.
const learnAfter = 3

func (a *app) pipeline(ctx context.Context, st store.Store) (*ingest.Pipeline, error) {
	an, rec, err := a.analysis(ctx, st)
	if err != nil {
		return nil, err
	}
	n := a.alerts(st, an)
	onNew := func(ctx context.Context, art *model.Article) {
		a.reg.Add("khabar_articles_ingested_total", "Articles stored for the first time.", 1)
		if _, err := n.Check(ctx, art); err != nil {
			a.log.Warn("alerts", "article_id", art.ID, "err", err)
		}
	}
	onFailure := func(*model.Article, error) {
		a.reg.Add("khabar_article_failures_total", "Articles whose analysis failed (a bug their text reaches): reported, skipped, logged with the stack.", 1)
	}
	cfg := ingest.PipelineConfig{Log: a.log, OnNew: onNew, OnFailure: onFailure, Fault: analysisFault}
	if st != nil {
		r, err := a.relater(ctx, st)
		if err != nil {
			return nil, err
		}
		cfg.OnSaved = r.saved
	}
	return ingest.NewPipeline(st, an, rec, cfg), nil
}

// analysisFault is PipelineConfig.Fault for the tests of this package,
// which make a stage panic to check that the article's failure stays its
// own; nil otherwise.
var analysisFault func(stage string, a *model.Article)

// alerts returns the notifier that delivers saved searches.
func (a *app) alerts(st store.Store, an *analysis.Analyzer) *alerts.Notifier {
	if a.notifier == nil {
		a.notifier = alerts.New(alerts.Config{
			Store:    st,
			Analyzer: an,
			Client:   a.webhookClient(),
			SMTP:     alerts.SMTP{Addr: a.cfg.SMTPAddr, From: a.cfg.SMTPFrom, User: a.cfg.SMTPUser, Password: a.cfg.SMTPPassword},
			Log:      a.log,
		})
	}
	return a.notifier
}

// waitRelated lets the related reading of the articles saved so far be
// computed, for at most d.
func (a *app) waitRelated(d time.Duration) {
	if a.rel != nil {
		a.rel.wait(d)
	}
}

// waitAlerts lets deliveries under way finish, for at most d.
func (a *app) waitAlerts(d time.Duration) {
	if a.notifier == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := a.notifier.Wait(ctx); err != nil {
		a.log.Warn("alerts not all delivered", "err", err)
	}
}

func (a *app) fetcher() *fetch.Client {
	return fetch.New(fetch.Config{
		UserAgent:     "khabar/0.1",
		Contact:       a.cfg.Contact,
		AllowPrivate:  a.cfg.AllowPrivate,
		PerHostDelay:  a.cfg.PerHostDelay,
		MaxConcurrent: max(a.cfg.Workers*2, 4),
		MaxBodyBytes:  a.cfg.MaxBodyBytes,
		Timeout:       a.cfg.FetchTimeout,
		MaxRedirects:  10,
		RespectRobots: a.cfg.RespectRobots,
	})
}

// crawler returns the crawler; manual is a crawl asked for by hand (see
// ingest.CrawlConfig.Manual).
func (a *app) crawler(ctx context.Context, st store.Store, manual bool, progress func(ingest.Progress)) (*ingest.Crawler, error) {
	p, err := a.pipeline(ctx, st)
	if err != nil {
		return nil, err
	}
	var queued atomic.Int64
	a.reg.GaugeFunc("khabar_crawl_queue_depth", "Sources claimed in this crawl round and not crawled yet.", func(context.Context) float64 {
		return float64(queued.Load())
	})
	report := func(p ingest.Progress) {
		queued.Store(int64(p.SourcesTotal - p.SourcesDone))
		if p.CurrentFailed {
			a.reg.Add("khabar_source_errors_total", "Crawls of a source that failed.", 1, "source", p.Current)
		}
		if progress != nil {
			progress(p)
		}
	}
	fc := a.fetcher()
	return ingest.NewCrawler(st, instrumented{fc, a.reg}, p, ingest.CrawlConfig{
		Workers:   a.cfg.Workers,
		MaxItems:  a.cfg.MaxItems,
		Lease:     a.cfg.Lease,
		Log:       a.log,
		Progress:  report,
		Manual:    manual,
		HostPause: fc.HostPause,
	}), nil
}

// seedOutlets adds the built-in outlets the first time a store has no
// sources, so that a fresh install does the real job at once. It runs once
// per store: removing every source later does not bring them back.
func (a *app) seedOutlets(ctx context.Context, st store.Store) error {
	if _, err := st.GetSetting(ctx, "outlets_seeded"); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	srcs, err := st.ListSources(ctx)
	if err != nil {
		return err
	}
	if len(srcs) == 0 {
		all, err := outlets.All()
		if err != nil {
			return err
		}
		now := time.Now()
		for _, o := range all {
			s := &model.Source{URL: o.FeedURL, Title: o.Name, Language: "ar", NextFetch: now, CreatedAt: now,
				Outlet: model.Outlet{Key: o.Profile.Key}}
			if err := st.AddSource(ctx, s); err != nil && !errors.Is(err, store.ErrConflict) {
				return err
			}
		}
		a.log.Info("added the built-in Arabic outlets", "count", len(all))
	}
	return st.SetSetting(ctx, "outlets_seeded", time.Now().UTC().Format(time.RFC3339))
}

// adminToken returns the token that guards writes: KHABAR_ADMIN_TOKEN, or
// one generated at first start and kept in <data>/admin-token. A new token
// is printed once.
func (a *app) adminToken() (string, error) {
	if a.cfg.AdminToken != "" {
		return a.cfg.AdminToken, nil
	}
	path := filepath.Join(a.cfg.DataDir, "admin-token")
	if b, err := os.ReadFile(path); err == nil {
		if t := strings.TrimSpace(string(b)); t != "" {
			return t, nil
		}
	}
	buf := make([]byte, 24)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("admin token: %w", err)
	}
	tok := hex.EncodeToString(buf)
	if err := os.WriteFile(path, []byte(tok+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("admin token: %w", err)
	}
	fmt.Fprintf(a.stderr, "khabar: generated an admin token (kept in %s): %s\n", path, tok)
	return tok, nil
}

// redact hides a password in a database URL.
func redact(u string) string {
	if at := strings.LastIndex(u, "@"); at > 0 {
		if colon := strings.Index(u[:at], "://"); colon >= 0 {
			if p := strings.LastIndex(u[:at], ":"); p > colon+2 {
				return u[:p+1] + "***" + u[at:]
			}
		}
	}
	return u
}

// isTerminal reports whether w is a character device (a terminal), where a
// progress display makes sense.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// instrumented counts and times every fetch.
type instrumented struct {
	f   ingest.Fetcher
	reg *metrics.Registry
}

func (i instrumented) Get(ctx context.Context, url string, cond fetch.Conditional) (*fetch.Response, error) {
	start := time.Now()
	resp, err := i.f.Get(ctx, url, cond)
	result := "ok"
	switch {
	case err != nil:
		result = "error"
	case resp.NotModified:
		result = "not_modified"
	}
	i.reg.ObserveSince("khabar_fetch_duration_seconds", "Time to fetch one URL.", start)
	i.reg.Add("khabar_fetches_total", "URLs fetched, by result.", 1, "result", result)
	return resp, err
}

// webhookClient posts alert webhooks. Like the crawler, it refuses
// loopback, private and metadata addresses at dial time unless private
// networks are allowed, so an alert cannot be aimed at the local network.
func (a *app) webhookClient() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !a.cfg.AllowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip, err := netip.ParseAddr(host)
			if err != nil {
				return fmt.Errorf("webhook: dial address %q is not an IP address", address)
			}
			if why := fetch.CheckAddress(ip); why != "" {
				return fmt.Errorf("%w: webhook refused to connect to %s, which is %s; set KHABAR_ALLOW_PRIVATE_NETWORKS=true to allow it", fetch.ErrBlockedAddress, ip, why)
			}
			return nil
		}
	}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 5 * time.Second, ResponseHeaderTimeout: 10 * time.Second}
	return &http.Client{Transport: tr, Timeout: 15 * time.Second}
}
