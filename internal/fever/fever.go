// Package fever serves the Fever API at /fever/?api, which Reeder,
// Unread, FeedMe and others speak: api_key = md5("name:password") as the
// protocol defines it, where the password is the reader's Fever password
// (khabar users fever NAME), kept apart from the account's: only the
// key's MD5 is stored. Groups are the reader's folders, feeds the sources
// they follow, items their reading list. docs/GREADER.md's Fever section
// has the details. Handlers see store interfaces only.
package fever

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// Config holds the API's dependencies. Store is required.
type Config struct {
	Store store.Store
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// pageSize is how many items one items request answers, as Fever does.
const pageSize = 50

type server struct {
	cfg Config
	log *slog.Logger
	now func() time.Time
}

// New returns the handler of /fever/.
func New(cfg Config) (http.Handler, error) {
	if cfg.Store == nil {
		return nil, errors.New("fever: Config.Store is required")
	}
	s := &server{cfg: cfg, log: cfg.Logger, now: cfg.Now}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// badRequest is a parameter a client got wrong.
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return "fever: " + e.msg }

func bad(format string, args ...any) error { return &badRequest{fmt.Sprintf(format, args...)} }

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.URL.Path != "/fever/" && r.URL.Path != "/fever" {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		s.reply(w, http.StatusBadRequest, map[string]any{"api_version": 3, "auth": 0, "error": "form: " + err.Error()})
		return
	}
	if _, ok := r.Form["api"]; !ok {
		s.reply(w, http.StatusBadRequest, map[string]any{"api_version": 3, "auth": 0, "error": "not a Fever API request: add ?api"})
		return
	}
	out := map[string]any{"api_version": 3, "auth": 0}
	key := strings.ToLower(strings.TrimSpace(r.Form.Get("api_key")))
	var u model.User
	var err error
	if len(key) == 32 {
		u, err = s.cfg.Store.GetUserByFeverKey(r.Context(), key)
	} else {
		err = store.ErrNotFound
	}
	if errors.Is(err, store.ErrNotFound) {
		s.reply(w, http.StatusOK, out) // auth 0: what every client expects
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	out["auth"] = 1
	out["last_refreshed_on_time"] = s.now().Unix()
	if err := s.answer(r.Context(), r, u, out); err != nil {
		var br *badRequest
		if errors.As(err, &br) {
			out["error"] = br.msg
			s.reply(w, http.StatusBadRequest, out)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, out)
}

func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	s.log.Error("fever: request failed", "err", err)
	s.reply(w, http.StatusInternalServerError, map[string]any{"api_version": 3, "auth": 0, "error": "internal error"})
}

func (s *server) reply(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.log.Error("fever: encode", "err", err)
		http.Error(w, `{"api_version":3,"auth":0}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// GroupID is the Fever group id of a folder: a stable 31-bit hash of its
// name, never 0 (which Fever keeps for "all").
func GroupID(label string) int64 {
	h := fnv.New32a()
	h.Write([]byte(label))
	return int64(h.Sum32()&0x7fffffff) | 1
}

// answer fills out for what the request asks: writes (mark) first, then
// the lists named in the query.
func (s *server) answer(ctx context.Context, r *http.Request, u model.User, out map[string]any) error {
	if mark := r.Form.Get("mark"); mark != "" {
		if err := s.mark(ctx, r, u, mark); err != nil {
			return err
		}
	}
	has := func(k string) bool { _, ok := r.Form[k]; return ok }
	var follows []model.Follow
	if has("groups") || has("feeds") || (r.Form.Get("mark") == "group") {
		var err error
		if follows, err = s.cfg.Store.ListFollows(ctx, u.ID); err != nil {
			return err
		}
	}
	if has("groups") || has("feeds") {
		groups := map[string][]string{}
		var order []string
		for _, f := range follows {
			if f.Kind != model.FollowSource || f.Label == "" {
				continue
			}
			if _, ok := groups[f.Label]; !ok {
				order = append(order, f.Label)
			}
			groups[f.Label] = append(groups[f.Label], strconv.FormatInt(f.SourceID, 10))
		}
		type group struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		}
		type feedsGroup struct {
			GroupID int64  `json:"group_id"`
			FeedIDs string `json:"feed_ids"`
		}
		gs, fgs := []group{}, []feedsGroup{}
		for _, l := range order {
			gs = append(gs, group{GroupID(l), l})
			fgs = append(fgs, feedsGroup{GroupID(l), strings.Join(groups[l], ",")})
		}
		if has("groups") {
			out["groups"] = gs
		}
		out["feeds_groups"] = fgs
	}
	if has("feeds") {
		type feed struct {
			ID          int64  `json:"id"`
			FaviconID   int64  `json:"favicon_id"`
			Title       string `json:"title"`
			URL         string `json:"url"`
			SiteURL     string `json:"site_url"`
			IsSpark     int    `json:"is_spark"`
			LastUpdated int64  `json:"last_updated_on_time"`
		}
		fs := []feed{}
		for _, f := range follows {
			if f.Kind != model.FollowSource {
				continue
			}
			src, err := s.cfg.Store.GetSource(ctx, f.SourceID)
			if errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			title := src.DisplayName()
			if title == "" {
				title = src.URL
			}
			var updated int64
			if !src.LastFetched.IsZero() {
				updated = src.LastFetched.Unix()
			}
			fs = append(fs, feed{ID: src.ID, Title: title, URL: src.URL, SiteURL: src.SiteURL, LastUpdated: updated})
		}
		out["feeds"] = fs
	}
	if has("favicons") {
		out["favicons"] = []any{}
	}
	if has("links") {
		out["links"] = []any{}
	}
	if has("items") {
		if err := s.items(ctx, r, u, out); err != nil {
			return err
		}
	}
	if has("unread_item_ids") {
		ids, err := s.cfg.Store.ItemIDs(ctx, store.ItemQuery{UserID: u.ID, Unread: true, ByID: true})
		if err != nil {
			return err
		}
		out["unread_item_ids"] = joinIDs(ids)
	}
	if has("saved_item_ids") {
		ids, err := s.cfg.Store.ItemIDs(ctx, store.ItemQuery{UserID: u.ID, Stream: store.Stream{Kind: store.StreamStarred}, ByID: true})
		if err != nil {
			return err
		}
		out["saved_item_ids"] = joinIDs(ids)
	}
	return nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// ParseIDs reads a comma-separated list of positive ids (with_ids), at
// most max of them.
func ParseIDs(s string, max int) ([]int64, error) {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id < 1 {
			return nil, fmt.Errorf("%q is not an item id", clip(p))
		}
		if len(out) == max {
			return nil, fmt.Errorf("more than %d ids", max)
		}
		out = append(out, id)
	}
	return out, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// idParam reads a positive id parameter; "" is 0.
func idParam(r *http.Request, name string) (int64, error) {
	v := r.Form.Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, bad("%s: %q is not an id", name, clip(v))
	}
	return id, nil
}

// items answers items: since_id (ascending, above it), max_id
// (descending, below it), with_ids (those), else the newest; 50 at most.
func (s *server) items(ctx context.Context, r *http.Request, u model.User, out map[string]any) error {
	q := store.ItemQuery{UserID: u.ID, ByID: true, Limit: pageSize}
	switch {
	case r.Form.Get("with_ids") != "":
		ids, err := ParseIDs(r.Form.Get("with_ids"), pageSize)
		if err != nil {
			return bad("with_ids: %v", err)
		}
		// Any article the reader asks for by id, followed or starred or not.
		q.Stream.Kind = store.StreamAll
		q.IDs = ids
		if q.IDs == nil {
			q.IDs = []int64{}
		}
	case r.Form.Get("since_id") != "":
		id, err := idParam(r, "since_id")
		if err != nil {
			return err
		}
		q.AfterID = id
	case r.Form.Get("max_id") != "":
		id, err := idParam(r, "max_id")
		if err != nil {
			return err
		}
		q.BeforeID, q.Oldest = id, true // by id, descending
	default:
		q.Oldest = true // the newest first
	}
	ids, err := s.cfg.Store.ItemIDs(ctx, q)
	if err != nil {
		return err
	}
	total, _, err := s.cfg.Store.CountItems(ctx, store.ItemQuery{UserID: u.ID})
	if err != nil {
		return err
	}
	states, err := s.cfg.Store.ItemStates(ctx, u.ID, ids)
	if err != nil {
		return err
	}
	type item struct {
		ID        int64  `json:"id"`
		FeedID    int64  `json:"feed_id"`
		Title     string `json:"title"`
		Author    string `json:"author"`
		HTML      string `json:"html"`
		URL       string `json:"url"`
		IsSaved   int    `json:"is_saved"`
		IsRead    int    `json:"is_read"`
		CreatedOn int64  `json:"created_on_time"`
	}
	items := []item{}
	for _, id := range ids {
		a, err := s.cfg.Store.GetArticle(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		when := a.Published
		if when.IsZero() {
			when = a.Fetched
		}
		it := item{ID: a.ID, FeedID: a.SourceID, Title: a.Title, Author: strings.Join(a.Authors, "، "), HTML: body(a),
			URL: a.URL, CreatedOn: when.Unix()}
		if st := states[a.ID]; st.Read {
			it.IsRead = 1
		}
		if states[a.ID].Starred {
			it.IsSaved = 1
		}
		items = append(items, it)
	}
	out["items"] = items
	out["total_items"] = total
	return nil
}

// mark: mark=item&as=read|unread|saved|unsaved&id=N;
// mark=feed|group&as=read&id=N&before=unix seconds (group 0: everything).
func (s *server) mark(ctx context.Context, r *http.Request, u model.User, mark string) error {
	as := r.Form.Get("as")
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	switch mark {
	case "item":
		if id == 0 {
			return bad("id: no item id")
		}
		ids := []int64{id}
		switch as {
		case "read", "unread":
			return s.cfg.Store.SetRead(ctx, u.ID, ids, as == "read")
		case "saved", "unsaved":
			return s.cfg.Store.SetStarred(ctx, u.ID, ids, as == "saved")
		}
		return bad("as: %q is not read, unread, saved or unsaved", clip(as))
	case "feed", "group":
		if as != "read" {
			return bad("as: a %s can only be marked read, not %q", mark, clip(as))
		}
		q := store.ItemQuery{UserID: u.ID}
		if v := r.Form.Get("before"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 || n > 1<<40 {
				return bad("before: %q is not a time in seconds", clip(v))
			}
			q.Until = time.Unix(n, 0).UTC()
		}
		if mark == "feed" {
			if id == 0 {
				return bad("id: no feed id")
			}
			q.Stream = store.Stream{Kind: store.StreamSource, SourceID: id}
		} else if id != 0 {
			label, err := s.groupLabel(ctx, u, id)
			if err != nil {
				return err
			}
			q.Stream = store.Stream{Kind: store.StreamLabel, Label: label}
		}
		_, err := s.cfg.Store.MarkRead(ctx, q)
		return err
	}
	return bad("mark: %q is not item, feed or group", clip(mark))
}

// groupLabel finds the folder whose GroupID is id.
func (s *server) groupLabel(ctx context.Context, u model.User, id int64) (string, error) {
	fs, err := s.cfg.Store.ListFollows(ctx, u.ID)
	if err != nil {
		return "", err
	}
	for _, f := range fs {
		if f.Kind == model.FollowSource && f.Label != "" && GroupID(f.Label) == id {
			return f.Label, nil
		}
	}
	return "", bad("id: no group %d", id)
}

// body is the article's HTML, as the Google Reader API gives it.
func body(a model.Article) string {
	if a.HTML != "" {
		return a.HTML
	}
	if strings.TrimSpace(a.Text) != "" {
		var b strings.Builder
		for _, p := range strings.Split(a.Text, "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				b.WriteString("<p>" + html.EscapeString(p) + "</p>")
			}
		}
		return b.String()
	}
	return a.Summary
}
