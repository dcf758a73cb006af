// Package greader serves the Google Reader API, the subset Miniflux
// documents, at the root of the site, as Miniflux and FreshRSS serve it,
// so that NetNewsWire, Reeder, Read You, FeedMe, Fluent Reader and
// newsboat read khabar with a reader's account: ClientLogin, tokens,
// subscriptions (a reader follows any source khabar has), labels (a label
// per followed tag, name or folder, and the reader's own on articles),
// read and starred state, unread counts, item ids and contents, and the
// Atom form older clients read. docs/GREADER.md has the details and
// quirks. Handlers see store interfaces only.
package greader

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/users"
)

// Config holds the API's dependencies. Store and Tokens are required.
type Config struct {
	Store  store.Store
	Tokens *users.Tokens
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
	// BaseURL is the site's absolute URL, for the links items carry; ""
	// derives it from each request.
	BaseURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Limits.
const (
	defaultItems = 20
	maxItems     = 10000 // stream/items/ids
	maxContents  = 1000  // items in one stream/items/contents or stream/contents
	maxBody      = 1 << 20
)

type server struct {
	cfg Config
	log *slog.Logger
	now func() time.Time
	mux *http.ServeMux
}

// New returns the handler. It serves absolute paths (/accounts/ClientLogin,
// /reader/api/0/…, /reader/atom/…): mount it at "/accounts/" and
// "/reader/".
func New(cfg Config) (http.Handler, error) {
	if cfg.Store == nil || cfg.Tokens == nil {
		return nil, errors.New("greader: Config.Store and Config.Tokens are required")
	}
	s := &server{cfg: cfg, log: cfg.Logger, now: cfg.Now, mux: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	m := s.mux
	m.HandleFunc("POST /accounts/ClientLogin", s.clientLogin)
	m.HandleFunc("GET /accounts/ClientLogin", s.clientLogin) // some clients send the form as a query
	const p = "/reader/api/0/"
	m.HandleFunc("GET "+p+"token", s.read(s.token))
	m.HandleFunc("GET "+p+"user-info", s.read(s.userInfo))
	m.HandleFunc("GET "+p+"subscription/list", s.read(s.subscriptionList))
	m.HandleFunc("POST "+p+"subscription/edit", s.write(s.subscriptionEdit))
	m.HandleFunc("POST "+p+"subscription/quickadd", s.write(s.quickAdd))
	m.HandleFunc("GET "+p+"tag/list", s.read(s.tagList))
	m.HandleFunc("POST "+p+"rename-tag", s.write(s.renameTag))
	m.HandleFunc("POST "+p+"disable-tag", s.write(s.disableTag))
	m.HandleFunc("POST "+p+"edit-tag", s.write(s.editTag))
	m.HandleFunc("POST "+p+"mark-all-as-read", s.write(s.markAllAsRead))
	m.HandleFunc("GET "+p+"unread-count", s.read(s.unreadCount))
	m.HandleFunc("GET "+p+"stream/items/ids", s.read(s.itemIDs))
	m.HandleFunc("GET "+p+"stream/items/contents", s.read(s.itemContents))
	m.HandleFunc("POST "+p+"stream/items/contents", s.read(s.itemContents))
	m.HandleFunc("GET "+p+"stream/contents/{stream...}", s.read(s.streamContents))
	m.HandleFunc("GET "+p+"stream/contents", s.read(s.streamContents))
	m.HandleFunc("GET /reader/atom/{stream...}", s.read(s.atom))
	m.HandleFunc("GET /reader/atom", s.read(s.atom))
	// Miniflux answers what it does not implement, once authenticated,
	// with 200 and an empty JSON list; clients probe such endpoints
	// (preference/list …) and go on.
	m.HandleFunc("/reader/", s.read(func(w http.ResponseWriter, r *http.Request, _ model.User) error {
		return writeJSON(w, []string{})
	}))
	return s, nil
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	s.mux.ServeHTTP(w, r)
}

// apiError is a client mistake with its status.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return "greader: " + e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

type handler func(w http.ResponseWriter, r *http.Request, u model.User) error

// auth returns the user the Authorization header (GoogleLogin auth=…)
// names.
func (s *server) auth(r *http.Request) (model.User, error) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "GoogleLogin auth=")
	if !ok {
		return model.User{}, users.ErrBadLogin
	}
	return s.cfg.Tokens.Check(r.Context(), s.cfg.Store, strings.TrimSpace(tok), users.PurposeAuth)
}

// read wraps a handler that needs a logged-in user.
func (s *server) read(h handler) http.HandlerFunc {
	return s.wrap(false, h)
}

// write wraps a handler that changes state: besides the login it needs
// the write token T (in the form or the query).
func (s *server) write(h handler) http.HandlerFunc {
	return s.wrap(true, h)
}

func (s *server) wrap(needT bool, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			s.fail(w, r, badRequest("form: %v", err))
			return
		}
		u, err := s.auth(r)
		if err != nil {
			if !errors.Is(err, users.ErrBadLogin) {
				s.fail(w, r, err)
				return
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, "Unauthorized")
			return
		}
		if needT {
			if _, err := s.cfg.Tokens.Check(r.Context(), s.cfg.Store, r.Form.Get("T"), users.PurposeWrite); err != nil {
				// Google's answer to a stale token: clients fetch a new one.
				w.Header().Set("X-Reader-Google-Bad-Token", "true")
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, "Unauthorized")
				return
			}
		}
		if err := h(w, r, u); err != nil {
			s.fail(w, r, err)
		}
	}
}

func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	status, msg := http.StatusInternalServerError, "internal error"
	switch {
	case errors.As(err, &ae):
		status, msg = ae.status, ae.msg
	case errors.Is(err, store.ErrNotFound):
		status, msg = http.StatusNotFound, "not found"
	case errors.Is(err, store.ErrInvalid):
		status, msg = http.StatusBadRequest, err.Error()
	case errors.Is(err, context.Canceled):
		return
	default:
		s.log.Error("greader: request failed", "path", r.URL.Path, "err", err)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, msg)
}

func writeJSON(w http.ResponseWriter, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("greader: encode: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(b)
	return err
}

func writeOK(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := io.WriteString(w, "OK")
	return err
}

// clientLogin checks Email (the user's name) and Passwd and answers the
// Auth token as SID, LSID and Auth, in text or (output=json) JSON.
func (s *server) clientLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badRequest("form: %v", err))
		return
	}
	u, err := users.Login(r.Context(), s.cfg.Store, r.Form.Get("Email"), r.Form.Get("Passwd"))
	if errors.Is(err, users.ErrBadLogin) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, "Error=BadAuthentication\n")
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	tok := s.cfg.Tokens.Issue(u, users.PurposeAuth)
	if r.Form.Get("output") == "json" {
		writeJSON(w, map[string]string{"SID": tok, "LSID": tok, "Auth": tok})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "SID=%s\nLSID=%s\nAuth=%s\n", tok, tok, tok)
}

func (s *server) token(w http.ResponseWriter, _ *http.Request, u model.User) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := io.WriteString(w, s.cfg.Tokens.Issue(u, users.PurposeWrite))
	return err
}

func (s *server) userInfo(w http.ResponseWriter, _ *http.Request, u model.User) error {
	id := strconv.FormatInt(u.ID, 10)
	return writeJSON(w, map[string]string{"userId": id, "userName": u.Name, "userProfileId": id, "userEmail": ""})
}

// userStream is a stream id with the user's number, as Miniflux writes them.
func userStream(u model.User, rest string) string {
	return "user/" + strconv.FormatInt(u.ID, 10) + "/" + rest
}

func feedStream(id int64) string { return "feed/" + strconv.FormatInt(id, 10) }

type category struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Type  string `json:"type,omitempty"`
}

type subscription struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Categories []category `json:"categories"`
	URL        string     `json:"url"`
	HTMLURL    string     `json:"htmlUrl"`
	IconURL    string     `json:"iconUrl"`
}

func (s *server) subscriptionList(w http.ResponseWriter, r *http.Request, u model.User) error {
	fs, err := s.cfg.Store.ListFollows(r.Context(), u.ID)
	if err != nil {
		return err
	}
	out := []subscription{}
	for _, f := range fs {
		if f.Kind != model.FollowSource {
			continue
		}
		src, err := s.cfg.Store.GetSource(r.Context(), f.SourceID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		sub := subscription{ID: feedStream(src.ID), Title: sourceTitle(src), Categories: []category{}, URL: src.URL, HTMLURL: src.SiteURL}
		if f.Label != "" {
			sub.Categories = append(sub.Categories, category{ID: userStream(u, "label/"+f.Label), Label: f.Label, Type: "folder"})
		}
		out = append(out, sub)
	}
	return writeJSON(w, map[string]any{"subscriptions": out})
}

func sourceTitle(src model.Source) string {
	if n := src.DisplayName(); n != "" {
		return n
	}
	return src.URL
}

// labels returns the user's labels: folders of sources, and the labels of
// followed tags and names (their term unless renamed).
func (s *server) labels(ctx context.Context, u model.User) ([]string, error) {
	fs, err := s.cfg.Store.ListFollows(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	add := func(l string) {
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	for _, f := range fs {
		add(f.Label)
	}
	return out, nil
}

func (s *server) tagList(w http.ResponseWriter, r *http.Request, u model.User) error {
	ls, err := s.labels(r.Context(), u)
	if err != nil {
		return err
	}
	tags := []category{{ID: userStream(u, "state/com.google/starred")}}
	for _, l := range ls {
		tags = append(tags, category{ID: userStream(u, "label/"+l), Label: l, Type: "folder"})
	}
	return writeJSON(w, map[string]any{"tags": tags})
}

// sourceOf finds the source a feed stream names.
func (s *server) sourceOf(ctx context.Context, st Stream) (model.Source, error) {
	if st.SourceID > 0 {
		return s.cfg.Store.GetSource(ctx, st.SourceID)
	}
	return s.cfg.Store.GetSourceByURL(ctx, st.FeedURL)
}

// subscriptionEdit: ac=subscribe|unsubscribe|edit, s=feed/…, t (a title,
// ignored: a source's title is the admin's), a and r (labels).
func (s *server) subscriptionEdit(w http.ResponseWriter, r *http.Request, u model.User) error {
	ctx := r.Context()
	for _, sid := range r.Form["s"] {
		st, err := ParseStream(sid)
		if err != nil || st.Kind != StreamFeed {
			return badRequest("s: %q is not a feed stream (feed/{id} or feed/{url})", clip(sid))
		}
		src, err := s.sourceOf(ctx, st)
		if errors.Is(err, store.ErrNotFound) {
			return &apiError{http.StatusNotFound, "no source " + clip(sid) + ": only the admin adds sources to khabar"}
		} else if err != nil {
			return err
		}
		f := model.Follow{Kind: model.FollowSource, SourceID: src.ID}
		switch ac := r.Form.Get("ac"); ac {
		case "unsubscribe":
			if err := s.cfg.Store.Unfollow(ctx, u.ID, f); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			continue
		case "subscribe", "edit":
			label, err := s.currentLabel(ctx, u, src.ID)
			if err != nil {
				return err
			}
			if a := r.Form.Get("a"); a != "" {
				ls, err := ParseStream(a)
				if err != nil || ls.Kind != StreamLabel {
					return badRequest("a: %q is not a label (user/-/label/{name})", clip(a))
				}
				label = ls.Label
			} else if rm := r.Form.Get("r"); rm != "" {
				if ls, err := ParseStream(rm); err == nil && ls.Kind == StreamLabel && ls.Label == label {
					label = ""
				}
			}
			f.Label = label
			if err := s.cfg.Store.Follow(ctx, u.ID, f); err != nil {
				return err
			}
		default:
			return badRequest("ac: %q is not subscribe, unsubscribe or edit", clip(ac))
		}
	}
	return writeOK(w)
}

// currentLabel is the folder the user keeps a source in ("" for none).
func (s *server) currentLabel(ctx context.Context, u model.User, sourceID int64) (string, error) {
	fs, err := s.cfg.Store.ListFollows(ctx, u.ID)
	if err != nil {
		return "", err
	}
	for _, f := range fs {
		if f.Kind == model.FollowSource && f.SourceID == sourceID {
			return f.Label, nil
		}
	}
	return "", nil
}

// quickAdd follows the source whose feed URL is quickadd (a feed/ stream
// works too). khabar follows only the sources it has: a new one needs
// the admin, and the answer then says numResults 0.
func (s *server) quickAdd(w http.ResponseWriter, r *http.Request, u model.User) error {
	q := strings.TrimSpace(r.Form.Get("quickadd"))
	if q == "" {
		return badRequest("quickadd: no feed URL")
	}
	st := Stream{Kind: StreamFeed, FeedURL: q}
	if p, err := ParseStream(q); err == nil && p.Kind == StreamFeed {
		st = p
	}
	src, err := s.sourceOf(r.Context(), st)
	if errors.Is(err, store.ErrNotFound) {
		return writeJSON(w, map[string]any{"numResults": 0, "query": q, "error": "khabar has no such source; the admin adds sources"})
	} else if err != nil {
		return err
	}
	label, err := s.currentLabel(r.Context(), u, src.ID)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.Follow(r.Context(), u.ID, model.Follow{Kind: model.FollowSource, SourceID: src.ID, Label: label}); err != nil {
		return err
	}
	return writeJSON(w, map[string]any{"numResults": 1, "query": q, "streamId": feedStream(src.ID), "streamName": sourceTitle(src)})
}

func labelParam(r *http.Request, name string) (string, error) {
	v := r.Form.Get(name)
	st, err := ParseStream(v)
	if err != nil || st.Kind != StreamLabel {
		return "", badRequest("%s: %q is not a label (user/-/label/{name})", name, clip(v))
	}
	return st.Label, nil
}

func (s *server) renameTag(w http.ResponseWriter, r *http.Request, u model.User) error {
	from, err := labelParam(r, "s")
	if err != nil {
		return err
	}
	to, err := labelParam(r, "dest")
	if err != nil {
		return err
	}
	if err := s.cfg.Store.RenameLabel(r.Context(), u.ID, from, to); err != nil {
		return err
	}
	return writeOK(w)
}

func (s *server) disableTag(w http.ResponseWriter, r *http.Request, u model.User) error {
	label, err := labelParam(r, "s")
	if err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteLabel(r.Context(), u.ID, label); err != nil {
		return err
	}
	return writeOK(w)
}

// editTag adds (a) and removes (r) states and labels on items (i).
func (s *server) editTag(w http.ResponseWriter, r *http.Request, u model.User) error {
	var ids []int64
	for _, v := range r.Form["i"] {
		id, err := ParseItemID(v)
		if err != nil {
			return badRequest("i: %v", err)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return badRequest("i: no item ids")
	}
	ctx := r.Context()
	apply := func(tag string, on bool) error {
		st, err := ParseStream(tag)
		if err != nil {
			return badRequest("%q is not a state or label", clip(tag))
		}
		switch st.Kind {
		case StreamRead:
			return s.cfg.Store.SetRead(ctx, u.ID, ids, on)
		case StreamKeptUnread, StreamFresh:
			// Keeping an item unread is unreading it.
			if on {
				return s.cfg.Store.SetRead(ctx, u.ID, ids, false)
			}
			return nil
		case StreamStarred:
			return s.cfg.Store.SetStarred(ctx, u.ID, ids, on)
		case StreamLabel:
			return s.cfg.Store.SetArticleLabel(ctx, u.ID, ids, st.Label, on)
		case StreamBroadcast:
			return nil // sharing is not kept
		}
		return badRequest("%q cannot be put on an item", clip(tag))
	}
	for _, a := range r.Form["a"] {
		if err := apply(a, true); err != nil {
			return err
		}
	}
	for _, rm := range r.Form["r"] {
		if err := apply(rm, false); err != nil {
			return err
		}
	}
	return writeOK(w)
}

// query turns a stream id into the store's item query for u.
func (s *server) query(ctx context.Context, u model.User, sid string) (store.ItemQuery, error) {
	q := store.ItemQuery{UserID: u.ID}
	if sid == "" {
		return q, nil // the reading list
	}
	st, err := ParseStream(sid)
	if err != nil {
		return q, badRequest("s: %v", err)
	}
	switch st.Kind {
	case StreamReadingList:
	case StreamRead:
		q.Stream.Kind = store.StreamRead
	case StreamStarred:
		q.Stream.Kind = store.StreamStarred
	case StreamFeed:
		src, err := s.sourceOf(ctx, st)
		if errors.Is(err, store.ErrNotFound) {
			return q, &apiError{http.StatusNotFound, "no feed " + clip(sid)}
		} else if err != nil {
			return q, err
		}
		q.Stream = store.Stream{Kind: store.StreamSource, SourceID: src.ID}
	case StreamLabel:
		q.Stream = store.Stream{Kind: store.StreamLabel, Label: st.Label}
	default:
		return q, badRequest("s: %q is not a stream of items", clip(sid))
	}
	return q, nil
}

// filters reads the common filters of an item listing: xt and it
// (exclude or include read/starred), ot and nt (seconds: newer than, older
// than), r=o (oldest first), n and c (count and continuation).
func filters(r *http.Request, q *store.ItemQuery, max int) error {
	for _, xt := range r.Form["xt"] {
		st, err := ParseStream(xt)
		if err == nil && st.Kind == StreamRead {
			q.Unread = true
		} else if err != nil || st.Kind != StreamStarred {
			return badRequest("xt: %q cannot be excluded", clip(xt))
		}
		// Excluding the starred is rare and not kept: answered whole.
	}
	for _, it := range r.Form["it"] {
		st, err := ParseStream(it)
		switch {
		case err == nil && st.Kind == StreamRead:
			q.OnlyRead = true
		case err == nil && st.Kind == StreamStarred:
			q.OnlyStarred = true
		default:
			return badRequest("it: %q cannot be included", clip(it))
		}
	}
	secs := func(name string) (time.Time, error) {
		v := r.Form.Get(name)
		if v == "" {
			return time.Time{}, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > 1<<40 {
			return time.Time{}, badRequest("%s: %q is not a time in seconds", name, clip(v))
		}
		return time.Unix(n, 0).UTC(), nil
	}
	var err error
	if q.Since, err = secs("ot"); err != nil {
		return err
	}
	if q.Until, err = secs("nt"); err != nil {
		return err
	}
	q.Oldest = r.Form.Get("r") == "o"
	q.Limit = defaultItems
	if v := r.Form.Get("n"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return badRequest("n: %q is not a positive count", clip(v))
		}
		q.Limit = min(n, max)
	}
	if c := r.Form.Get("c"); c != "" {
		off, err := strconv.Atoi(c)
		if err != nil || off < 0 || off > 1<<30 {
			return badRequest("c: %q is not a continuation this server gave", clip(c))
		}
		q.Offset = off
	}
	return nil
}

// page runs q for one page and returns the ids and the continuation of
// the next page ("" at the end).
func (s *server) page(ctx context.Context, q store.ItemQuery) ([]int64, string, error) {
	want := q.Limit
	q.Limit++ // one more tells whether a next page exists
	ids, err := s.cfg.Store.ItemIDs(ctx, q)
	if err != nil {
		return nil, "", err
	}
	if len(ids) > want {
		return ids[:want], strconv.Itoa(q.Offset + want), nil
	}
	return ids, "", nil
}

func (s *server) itemIDs(w http.ResponseWriter, r *http.Request, u model.User) error {
	q, err := s.query(r.Context(), u, r.Form.Get("s"))
	if err != nil {
		return err
	}
	if err := filters(r, &q, maxItems); err != nil {
		return err
	}
	ids, cont, err := s.page(r.Context(), q)
	if err != nil {
		return err
	}
	type ref struct {
		ID string `json:"id"`
	}
	refs := make([]ref, len(ids))
	for i, id := range ids {
		refs[i] = ref{strconv.FormatInt(id, 10)}
	}
	out := map[string]any{"itemRefs": refs}
	if cont != "" {
		out["continuation"] = cont
	}
	return writeJSON(w, out)
}

func (s *server) unreadCount(w http.ResponseWriter, r *http.Request, u model.User) error {
	ctx := r.Context()
	type count struct {
		ID     string `json:"id"`
		Count  int    `json:"count"`
		Newest string `json:"newestItemTimestampUsec"`
	}
	counts := []count{}
	add := func(id string, q store.ItemQuery) error {
		q.UserID, q.Unread = u.ID, true
		n, newest, err := s.cfg.Store.CountItems(ctx, q)
		if err != nil {
			return err
		}
		if n > 0 {
			counts = append(counts, count{id, n, strconv.FormatInt(newest.UnixMicro(), 10)})
		}
		return nil
	}
	fs, err := s.cfg.Store.ListFollows(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, f := range fs {
		if f.Kind == model.FollowSource {
			if err := add(feedStream(f.SourceID), store.ItemQuery{Stream: store.Stream{Kind: store.StreamSource, SourceID: f.SourceID}}); err != nil {
				return err
			}
		}
	}
	ls, err := s.labels(ctx, u)
	if err != nil {
		return err
	}
	for _, l := range ls {
		q, err := s.query(ctx, u, "user/-/label/"+l)
		if err != nil {
			return err
		}
		if err := add(userStream(u, "label/"+l), q); err != nil {
			return err
		}
	}
	if err := add(userStream(u, "state/com.google/reading-list"), store.ItemQuery{}); err != nil {
		return err
	}
	total := 0
	if len(counts) > 0 {
		total = counts[len(counts)-1].Count
	}
	return writeJSON(w, map[string]any{"max": total, "unreadcounts": counts})
}
