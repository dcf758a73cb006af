package cli

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"khabar/internal/api"
	"khabar/internal/arabic"
	"khabar/internal/extract"
	"khabar/internal/fever"
	"khabar/internal/greader"
	"khabar/internal/outlets"
	"khabar/internal/ratelimit"
	"khabar/internal/search"
	"khabar/internal/store"
	"khabar/internal/storyinfo"
	"khabar/internal/users"
	"khabar/internal/web"
)

func runServe(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "serve")
	addr := fs.String("addr", a.cfg.Addr, "listen address")
	noCrawl := fs.Bool("no-crawl", false, "serve only; do not crawl on schedule")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	if err := a.seedOutlets(ctx, st); err != nil {
		return err
	}
	token, err := a.adminToken()
	if err != nil {
		return err
	}
	an, _, err := a.analysis(ctx, st)
	if err != nil {
		return err
	}
	svc := search.New(st, an)
	checkToken := func(t string) bool {
		return t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1
	}
	apiH, err := api.New(api.Config{Store: st, Search: svc, Explore: svc, Logger: a.log, CheckToken: checkToken})
	if err != nil {
		return err
	}
	var ready atomic.Bool
	// Web sessions are signed with a key derived from the admin token, so
	// they survive a restart and a new token ends them all.
	sessionKey := hmac.New(sha256.New, []byte(token))
	sessionKey.Write([]byte("khabar web session"))
	names, err := outletNames()
	if err != nil {
		return err
	}
	webH, err := web.New(web.Config{Store: st, Search: svc, Explore: svc, Logger: a.log, CheckToken: checkToken,
		SessionKey: sessionKey.Sum(nil), Ready: ready.Load, OutletNames: names, NameKey: arabic.Normalize})
	if err != nil {
		return err
	}
	// Reader API tokens, like web sessions, hang on the admin token: a new
	// one ends them all.
	tokenKey := hmac.New(sha256.New, []byte(token))
	tokenKey.Write([]byte("khabar reader api tokens"))
	tokens, err := users.NewTokens(tokenKey.Sum(nil))
	if err != nil {
		return err
	}
	readerH, err := greader.New(greader.Config{Store: st, Tokens: tokens, Logger: a.log})
	if err != nil {
		return err
	}
	feverH, err := fever.New(fever.Config{Store: st, Logger: a.log})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if !ready.Load() {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	a.reg.GaugeFunc("khabar_articles", "Articles stored.", func(ctx context.Context) float64 {
		n, err := st.CountArticles(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	// Goroutines that only grow are a leak: a soak run watches this.
	a.reg.GaugeFunc("go_goroutines", "Goroutines that currently exist.", func(context.Context) float64 {
		return float64(runtime.NumGoroutine())
	})
	limited := func(h http.Handler) http.Handler { return h }
	if a.cfg.RateLimit > 0 {
		limited = ratelimit.New(a.cfg.RateLimit, a.cfg.RateBurst).Middleware
	}
	mux.Handle("GET /metrics", a.reg.Handler())
	mux.Handle("/api/", limited(a.reg.Instrument("api", apiH)))
	mux.Handle("GET /search", limited(a.reg.Instrument("search", webH)))
	// A search feed runs a search; a login tries a token.
	for _, p := range []string{"GET /feeds/search.xml", "GET /feeds/search.rss", "GET /feeds/search.atom", "GET /feeds/search.json"} {
		mux.Handle(p, limited(a.reg.Instrument("search", webH)))
	}
	mux.Handle("POST /login", limited(a.reg.Instrument("web", webH)))
	// The Google Reader API, at the root as Miniflux serves it; a
	// ClientLogin tries a password.
	mux.Handle("/accounts/ClientLogin", limited(a.reg.Instrument("greader", readerH)))
	mux.Handle("/reader/", a.reg.Instrument("greader", readerH))
	// The Fever API: every request carries its key, so every one is limited.
	mux.Handle("/fever/", limited(a.reg.Instrument("fever", feverH)))
	mux.Handle("/", a.reg.Instrument("web", webH))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	ready.Store(true)
	a.log.Info("serving", "addr", "http://"+ln.Addr().String(), "data", a.cfg.DataDir, "crawl", !*noCrawl)
	fmt.Fprintf(a.stdout, "khabar is serving on http://%s\n", ln.Addr())

	crawlDone := make(chan struct{})
	crawlCtx, stopCrawl := context.WithCancel(ctx)
	defer stopCrawl()
	retainDone := make(chan struct{})
	if a.cfg.Retain > 0 {
		go func() {
			defer close(retainDone)
			a.retain(crawlCtx, st)
		}()
	} else {
		close(retainDone)
	}
	defer func() { stopCrawl(); <-retainDone }()
	if *noCrawl {
		close(crawlDone)
	} else {
		c, err := a.crawler(ctx, st, false, nil)
		if err != nil {
			return err
		}
		go func() {
			defer close(crawlDone)
			for {
				rep, err := c.RunOnce(crawlCtx)
				if err != nil && !errors.Is(err, context.Canceled) {
					a.log.Error("crawl", "err", err)
				} else if rep.Sources > 0 {
					a.log.Info("crawl round", "sources", rep.Sources, "new", rep.NewArticles, "errors", rep.Errors)
				}
				a.refreshStories(crawlCtx, st)
				select {
				case <-crawlCtx.Done():
					return
				case <-time.After(a.cfg.CrawlEvery):
				}
			}
		}()
	}

	select {
	case err := <-serveErr:
		stopCrawl()
		<-crawlDone
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	ready.Store(false)
	stopCrawl()
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err = srv.Shutdown(shutCtx)
	<-crawlDone
	a.waitAlerts(15 * time.Second)
	a.waitRelated(15 * time.Second)
	return err
}

// refreshStories computes the details of the stories that changed (who
// covers them, who copied whom, quotes, summary …), so that no page view
// has to.
func (a *app) refreshStories(ctx context.Context, st store.Store) {
	start := time.Now()
	n, err := storyinfo.RefreshStale(ctx, st, 0)
	if err != nil && !errors.Is(err, context.Canceled) {
		a.log.Error("story details", "err", err, "stories", n)
		return
	}
	if n > 0 {
		a.log.Info("story details", "stories", n, "took", time.Since(start).Round(time.Millisecond))
	}
}

// outletNames are the names that never trend: the agencies khabar
// recognises in credits and the built-in outlets (Arabic and English).
func outletNames() ([]string, error) {
	names := extract.AgencyNames()
	outs, err := outlets.All()
	if err != nil {
		return nil, err
	}
	for _, o := range outs {
		names = append(names, o.Name, o.NameEN)
	}
	return names, nil
}
