// Package alerts delivers saved searches: when a new article matches an
// alert's query (and its source and entity filters), the article is
// recorded for the alert once — the store refuses a second record — and
// posted to the alert's webhook and e-mail address. Failed webhooks are
// retried with exponential backoff. Each alert's delivered articles also
// make a feed (served by the web package from store.Delivered).
package alerts

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/mail"
	"net/smtp"
	"strings"
	"sync"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/arabic"
	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store"
	"khabar/internal/weburl"
)

// SMTP configures e-mail delivery; an empty Addr disables it.
type SMTP struct {
	Addr     string // host:port
	From     string
	User     string
	Password string
}

// Config holds a Notifier's dependencies.
type Config struct {
	Store    store.Store
	Analyzer *analysis.Analyzer
	Client   *http.Client // for webhooks; nil uses a client with a 10 s timeout
	SMTP     SMTP
	Log      *slog.Logger
	// Retries is how many times a failed webhook is tried again (default 5),
	// waiting RetryBase, 2×RetryBase, … between tries (default 1 s).
	Retries   int
	RetryBase time.Duration
}

// Notifier matches new articles against the alerts and delivers them.
type Notifier struct {
	cfg Config

	mu       sync.Mutex
	cached   []compiled
	cachedAt time.Time

	wg sync.WaitGroup
}

type compiled struct {
	alert    model.Alert
	query    search.Query
	entities map[string]bool
	sources  map[int64]bool
}

// New returns a Notifier.
func New(cfg Config) *Notifier {
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Retries <= 0 {
		cfg.Retries = 5
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = time.Second
	}
	return &Notifier{cfg: cfg}
}

// Validate checks an alert before it is stored and says what is wrong.
func Validate(an *analysis.Analyzer, a model.Alert) error {
	if strings.TrimSpace(a.Query) == "" {
		return errors.New("alerts: the query is empty")
	}
	if len(search.Parse(an, a.Query).Clauses) == 0 {
		return fmt.Errorf("alerts: the query %q has no word to search for", a.Query)
	}
	if a.Webhook != "" {
		if _, err := weburl.Check(a.Webhook); err != nil {
			return fmt.Errorf("alerts: webhook: %w", err)
		}
	}
	if a.Email != "" {
		if _, err := mail.ParseAddress(a.Email); err != nil {
			return fmt.Errorf("alerts: e-mail %q: %w", a.Email, err)
		}
	}
	return nil
}

// alertsTTL is how long the list of alerts is kept between store reads.
const alertsTTL = 5 * time.Second

func (n *Notifier) alerts(ctx context.Context) ([]compiled, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cached != nil && time.Since(n.cachedAt) < alertsTTL {
		return n.cached, nil
	}
	list, err := n.cfg.Store.ListAlerts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]compiled, 0, len(list))
	for _, a := range list {
		c := compiled{alert: a, query: search.Parse(n.cfg.Analyzer, a.Query)}
		if len(a.Entities) > 0 {
			c.entities = map[string]bool{}
			for _, e := range a.Entities {
				c.entities[arabic.Normalize(e)] = true
			}
		}
		if len(a.SourceIDs) > 0 {
			c.sources = map[int64]bool{}
			for _, id := range a.SourceIDs {
				c.sources[id] = true
			}
		}
		out = append(out, c)
	}
	n.cached, n.cachedAt = out, time.Now()
	return out, nil
}

// Forget drops the cached alerts, after one was added or removed.
func (n *Notifier) Forget() {
	n.mu.Lock()
	n.cached = nil
	n.mu.Unlock()
}

// Check matches a newly stored article against every alert and starts the
// deliveries of those it matches. It returns the ids of the alerts that
// matched for the first time.
func (n *Notifier) Check(ctx context.Context, a *model.Article) ([]int64, error) {
	list, err := n.alerts(ctx)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	toks := n.cfg.Analyzer.Analyze(a.Title + "\n\n" + a.Text)
	var matched []int64
	for _, c := range list {
		if !c.matches(a, toks) {
			continue
		}
		first, err := n.cfg.Store.RecordDelivery(ctx, c.alert.ID, a.ID)
		if err != nil {
			return matched, fmt.Errorf("alerts: record delivery of %d for alert %d: %w", a.ID, c.alert.ID, err)
		}
		if !first {
			continue
		}
		matched = append(matched, c.alert.ID)
		n.deliver(c.alert, *a)
	}
	return matched, nil
}

func (c compiled) matches(a *model.Article, toks []analysis.Token) bool {
	if c.sources != nil && !c.sources[a.SourceID] {
		return false
	}
	if c.entities != nil {
		found := false
		for _, e := range a.Entities {
			if c.entities[arabic.Normalize(e.Name)] {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return Matches(c.query, toks)
}

// Matches reports whether tokens hold every clause of q: a word by its
// exact form or its stem, a phrase as consecutive words (stop words
// between them are skipped, as the index skips them).
func Matches(q search.Query, toks []analysis.Token) bool {
	if len(q.Clauses) == 0 {
		return false
	}
	words := toks[:0:0]
	for _, t := range toks {
		if !t.Stop && t.Norm != "" {
			words = append(words, t)
		}
	}
	for _, c := range q.Clauses {
		if !clauseMatches(c, words) {
			return false
		}
	}
	return true
}

func clauseMatches(c store.Clause, words []analysis.Token) bool {
	if len(c.Exact) == 1 {
		for _, t := range words {
			if t.Norm == c.Exact[0] || (c.Stem != "" && t.Stem == c.Stem) {
				return true
			}
		}
		return false
	}
outer:
	for i := 0; i+len(c.Exact) <= len(words); i++ {
		for j, w := range c.Exact {
			if words[i+j].Norm != w {
				continue outer
			}
		}
		return true
	}
	return false
}

// Payload is what a webhook receives.
type Payload struct {
	Alert   PayloadAlert   `json:"alert"`
	Article PayloadArticle `json:"article"`
}

// PayloadAlert names the alert that matched.
type PayloadAlert struct {
	ID    int64  `json:"id"`
	Query string `json:"query"`
}

// PayloadArticle is the delivered article.
type PayloadArticle struct {
	ID        int64          `json:"id"`
	URL       string         `json:"url"`
	Title     string         `json:"title"`
	Source    string         `json:"source"`
	Published *time.Time     `json:"published"`
	Agency    string         `json:"agency,omitempty"`
	Text      string         `json:"text"`
	Keywords  []string       `json:"keywords"`
	Entities  []model.Entity `json:"entities"`
}

func payload(al model.Alert, a model.Article) Payload {
	p := Payload{
		Alert: PayloadAlert{ID: al.ID, Query: al.Query},
		Article: PayloadArticle{
			ID: a.ID, URL: a.URL, Title: a.Title, Source: a.DisplaySource(), Agency: a.Agency,
			Text: a.Text, Keywords: a.Keywords, Entities: a.Entities,
		},
	}
	if !a.Published.IsZero() {
		t := a.Published.UTC()
		p.Article.Published = &t
	}
	if p.Article.Keywords == nil {
		p.Article.Keywords = []string{}
	}
	if p.Article.Entities == nil {
		p.Article.Entities = []model.Entity{}
	}
	return p
}

// deliver posts to the webhook and sends the e-mail in the background.
func (n *Notifier) deliver(al model.Alert, a model.Article) {
	if al.Webhook != "" {
		n.wg.Add(1)
		go func() {
			defer n.wg.Done()
			n.postWebhook(al, a)
		}()
	}
	if al.Email != "" && n.cfg.SMTP.Addr != "" {
		n.wg.Add(1)
		go func() {
			defer n.wg.Done()
			if err := n.sendMail(al, a); err != nil {
				n.cfg.Log.Warn("alert e-mail failed", "alert_id", al.ID, "article_id", a.ID, "err", err)
			}
		}()
	}
}

func (n *Notifier) postWebhook(al model.Alert, a model.Article) {
	body, err := json.Marshal(payload(al, a))
	if err != nil {
		n.cfg.Log.Error("alert payload", "err", err)
		return
	}
	wait := n.cfg.RetryBase
	for attempt := 0; attempt <= n.cfg.Retries; attempt++ {
		if attempt > 0 {
			time.Sleep(wait)
			wait *= 2
		}
		req, err := http.NewRequest(http.MethodPost, al.Webhook, bytes.NewReader(body))
		if err != nil {
			n.cfg.Log.Error("alert webhook", "alert_id", al.ID, "err", err)
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "khabar-alerts/0.1")
		resp, err := n.cfg.Client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
			if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != 429 && resp.StatusCode != 408 {
				n.cfg.Log.Warn("alert webhook refused", "alert_id", al.ID, "article_id", a.ID, "err", err)
				return
			}
		}
		n.cfg.Log.Warn("alert webhook failed", "alert_id", al.ID, "article_id", a.ID, "attempt", attempt+1, "err", err)
	}
}

func (n *Notifier) sendMail(al model.Alert, a model.Article) error {
	s := n.cfg.SMTP
	host, _, _ := strings.Cut(s.Addr, ":")
	var auth smtp.Auth
	if s.User != "" {
		auth = smtp.PlainAuth("", s.User, s.Password, host)
	}
	subject := "khabar: " + strings.ReplaceAll(a.Title, "\n", " ")
	msg := "From: " + s.From + "\r\nTo: " + al.Email + "\r\nSubject: " + mimeHeader(subject) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		a.Title + "\r\n" + a.URL + "\r\n\r\n" + a.Text + "\r\n\r\n(" + al.Query + ")\r\n"
	return smtp.SendMail(s.Addr, auth, s.From, []string{al.Email}, []byte(msg))
}

func mimeHeader(s string) string {
	return "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
}

// Wait blocks until every delivery started has finished or ctx ends.
func (n *Notifier) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		n.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("alerts: deliveries still running: %w", ctx.Err())
	}
}
