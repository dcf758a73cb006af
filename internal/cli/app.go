package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/config"
	"khabar/internal/entities"
	"khabar/internal/fetch"
	"khabar/internal/ingest"
	"khabar/internal/model"
	"khabar/internal/outlets"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
)

// app holds what a command needs, built on first use.
type app struct {
	cfg    config.Config
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger

	st  store.Store
	an  *analysis.Analyzer
	rec *entities.Recognizer
}

func newApp(cfg config.Config, stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{cfg: cfg, stdin: stdin, stdout: stdout, stderr: stderr, log: newLogger(cfg, stderr)}
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
	if a.cfg.DatabaseURL != "" {
		return nil, fmt.Errorf("a PostgreSQL store (--db %s) is not available in this build yet; leave --db empty to use the embedded store", redact(a.cfg.DatabaseURL))
	}
	if err := os.MkdirAll(a.cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	st, err := sqlite.Open(ctx, a.cfg.DataDir)
	if err != nil {
		return nil, err
	}
	a.st = st
	return st, nil
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
// names it learnt join the gazetteers, and so are kept out of the stemmer.
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
	a.an = analysis.New(analysis.Options{Names: a.rec.Names()})
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
	return ingest.NewPipeline(st, an, rec, ingest.PipelineConfig{Log: a.log}), nil
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

func (a *app) crawler(ctx context.Context, st store.Store, progress func(ingest.Progress)) (*ingest.Crawler, error) {
	p, err := a.pipeline(ctx, st)
	if err != nil {
		return nil, err
	}
	return ingest.NewCrawler(st, a.fetcher(), p, ingest.CrawlConfig{
		Workers:  a.cfg.Workers,
		MaxItems: a.cfg.MaxItems,
		Log:      a.log,
		Progress: progress,
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
			s := &model.Source{URL: o.FeedURL, Title: o.Name, Language: "ar", NextFetch: now, CreatedAt: now}
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
