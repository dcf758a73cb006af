package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"khabar/internal/alerts"
	"khabar/internal/model"
	"khabar/internal/store"
)

// A reader logged in with an account (not the admin) marks articles read,
// stars them, follows sources, tags and names, and reads "my news": what
// they follow, grouped by story. These forms change only the reader's own
// state, so any account may send them (readerGuard), with the CSRF token.

// FollowButton is the follow (or unfollow) form of a source, tag or name.
type FollowButton struct {
	Kind     string
	SourceID int64
	Term     string
	On       bool // followed now: the button unfollows
	CSRF     string
	Next     string
	T        *Strings
}

// followButton returns the button of kind and key for a reader, nil
// for anyone else.
func (s *Server) followButton(r *http.Request, b *Base, kind string, sourceID int64, term string) *FollowButton {
	if b.Reader == 0 {
		return nil
	}
	fb := &FollowButton{Kind: kind, SourceID: sourceID, Term: term, CSRF: b.CSRF, Next: b.Path, T: b.T}
	fs, err := s.cfg.Store.ListFollows(r.Context(), b.Reader)
	if err != nil {
		s.log.Error("web: follows", "user", b.Reader, "err", err)
		return fb
	}
	if kind == model.FollowTag {
		term = store.NormalizeTag(term)
	}
	for _, f := range fs {
		if f.Kind == kind && (f.SourceID == sourceID && f.Term == term || kind == model.FollowSearch && f.Title == term) {
			fb.On = true
		}
	}
	return fb
}

// ReaderState is a reader's state of the article shown, with its forms.
type ReaderState struct {
	ID      int64
	Read    bool
	Starred bool
	CSRF    string
	Next    string
	T       *Strings
}

func (s *Server) readerState(r *http.Request, b *Base, id int64) *ReaderState {
	if b.Reader == 0 {
		return nil
	}
	rs := &ReaderState{ID: id, CSRF: b.CSRF, Next: b.Path, T: b.T}
	st, err := s.cfg.Store.ItemStates(r.Context(), b.Reader, []int64{id})
	if err != nil {
		s.log.Error("web: reading state", "user", b.Reader, "err", err)
		return rs
	}
	rs.Read, rs.Starred = st[id].Read, st[id].Starred
	return rs
}

// back redirects to the form's next page, or to fallback.
func back(w http.ResponseWriter, r *http.Request, fallback string) {
	next := fallback
	if n := r.PostFormValue("next"); n != "" {
		next = safeNext(n)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// needReader refuses the admin, who has no reading state.
func (s *Server) needReader(w http.ResponseWriter, r *http.Request) (int64, bool) {
	uid := readerOf(r)
	if uid == 0 {
		s.denied(w, r, http.StatusForbidden, s.stringsFor(r).AdminNoReading)
		return 0, false
	}
	return uid, true
}

// setArticleState handles the read and star buttons of an article:
// POST /articles/{id}/read (read=1|0) and /articles/{id}/star (star=1|0).
func (s *Server) setArticleState(w http.ResponseWriter, r *http.Request) {
	uid, ok := s.needReader(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.notFound(w, r)
		return
	}
	if _, err := s.cfg.Store.GetArticle(r.Context(), id); err != nil {
		s.fail(w, r, fmt.Errorf("web: article %d: %w", id, err))
		return
	}
	on := r.PostFormValue("on") == "1"
	if strings.HasSuffix(r.URL.Path, "/star") {
		err = s.cfg.Store.SetStarred(r.Context(), uid, []int64{id}, on)
	} else {
		err = s.cfg.Store.SetRead(r.Context(), uid, []int64{id}, on)
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: article %d state: %w", id, err))
		return
	}
	back(w, r, fmt.Sprintf("/articles/%d", id))
}

// follow handles the follow and unfollow buttons: POST /follow with kind
// (source, tag, name), source or term, and on=1|0.
func (s *Server) follow(w http.ResponseWriter, r *http.Request) {
	uid, ok := s.needReader(w, r)
	if !ok {
		return
	}
	f := model.Follow{Kind: r.PostFormValue("kind"), Term: strings.TrimSpace(r.PostFormValue("term"))}
	if v := r.PostFormValue("source"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			s.denied(w, r, http.StatusBadRequest, "source: "+strconv.Quote(v)+" is not a source id")
			return
		}
		f.SourceID = id
	}
	if f.Kind == model.FollowName {
		// Follow the canonical name the store knows.
		if _, err := s.cfg.Store.GetEntity(r.Context(), f.Term); err != nil {
			s.fail(w, r, fmt.Errorf("web: follow name %q: %w", f.Term, err))
			return
		}
	}
	if f.Kind == model.FollowSearch {
		// A saved search is an alert of the query alone, shared by the
		// readers who save the same words; following it keeps what it
		// delivers from now on.
		id, err := s.savedSearch(r, uid, f.Term, r.PostFormValue("on") == "1")
		if err != nil {
			var fe *alerts.FieldError
			if errors.As(err, &fe) {
				s.denied(w, r, http.StatusBadRequest, fe.Error())
				return
			}
			s.fail(w, r, fmt.Errorf("web: saved search: %w", err))
			return
		}
		if id == 0 {
			back(w, r, "/my") // not saved: nothing to undo
			return
		}
		f.Term, f.AlertID = "", id
	}
	var err error
	if r.PostFormValue("on") == "1" {
		err = s.cfg.Store.Follow(r.Context(), uid, f)
	} else {
		err = s.cfg.Store.Unfollow(r.Context(), uid, f)
	}
	switch {
	case errors.Is(err, store.ErrInvalid):
		s.denied(w, r, http.StatusBadRequest, err.Error())
		return
	case errors.Is(err, store.ErrNotFound) && r.PostFormValue("on") != "1":
		// Not followed: nothing to undo.
	case err != nil:
		s.fail(w, r, fmt.Errorf("web: follow: %w", err))
		return
	}
	back(w, r, "/my")
}

// savedSearch returns the alert of query alone (no sources, names,
// webhook or e-mail), made when create is set and none exists; 0 when
// none exists and create is not set.
func (s *Server) savedSearch(r *http.Request, uid int64, query string, create bool) (int64, error) {
	ctx := r.Context()
	if !create {
		fs, err := s.cfg.Store.ListFollows(ctx, uid)
		if err != nil {
			return 0, err
		}
		for _, f := range fs {
			if f.Kind == model.FollowSearch && f.Title == query {
				return f.AlertID, nil
			}
		}
		return 0, nil
	}
	a, err := alerts.NewAlert(ctx, s.cfg.Store, s.cfg.Search, alerts.Input{Query: query})
	if err != nil {
		return 0, err
	}
	all, err := s.cfg.Store.ListAlerts(ctx)
	if err != nil {
		return 0, err
	}
	for _, x := range all {
		if x.Query == a.Query && len(x.SourceIDs) == 0 && len(x.Entities) == 0 && x.Webhook == "" && x.Email == "" {
			return x.ID, nil
		}
	}
	a.CreatedAt = s.now()
	if err := s.cfg.Store.AddAlert(ctx, &a); err != nil {
		return 0, err
	}
	return a.ID, nil
}

// myPageSize is how many unread articles "my news" shows at once.
const myPageSize = 60

// StoryGroup is the articles of one story on "my news".
type StoryGroup struct {
	StoryID int64
	Items   []Item
}

type myPage struct {
	Base
	Groups  []StoryGroup
	Unread  int
	Follows []model.Follow
}

// myNews shows the reader's unread articles of what they follow, newest
// story first, each story's articles together.
func (s *Server) myNews(w http.ResponseWriter, r *http.Request) {
	p := &myPage{Base: s.newBase(r, "")}
	p.Title = p.T.MyNews
	if p.Reader == 0 {
		if p.Admin {
			s.denied(w, r, http.StatusForbidden, p.T.AdminNoReading)
			return
		}
		http.Redirect(w, r, "/login?next=/my", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	q := store.ItemQuery{UserID: p.Reader, Unread: true}
	n, _, err := s.cfg.Store.CountItems(ctx, q)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: my news: %w", err))
		return
	}
	p.Unread = n
	q.Limit = myPageSize
	ids, err := s.cfg.Store.ItemIDs(ctx, q)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: my news: %w", err))
		return
	}
	at := map[int64]int{} // story id → index in Groups
	for _, id := range ids {
		a, err := s.cfg.Store.GetArticle(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted meanwhile
		} else if err != nil {
			s.fail(w, r, fmt.Errorf("web: my news: %w", err))
			return
		}
		it := itemOf(a)
		if i, ok := at[a.StoryID]; ok && a.StoryID != 0 {
			p.Groups[i].Items = append(p.Groups[i].Items, it)
			continue
		}
		at[a.StoryID] = len(p.Groups)
		p.Groups = append(p.Groups, StoryGroup{StoryID: a.StoryID, Items: []Item{it}})
	}
	if p.Follows, err = s.cfg.Store.ListFollows(ctx, p.Reader); err != nil {
		s.fail(w, r, fmt.Errorf("web: my news: %w", err))
		return
	}
	s.render(w, r, http.StatusOK, "my", p)
}

// markAllRead marks every unread article the reader follows read, up to
// the newest one the page showed (so that news arrived meanwhile stays
// unread).
func (s *Server) markAllRead(w http.ResponseWriter, r *http.Request) {
	uid, ok := s.needReader(w, r)
	if !ok {
		return
	}
	q := store.ItemQuery{UserID: uid}
	if v := r.PostFormValue("upto"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			s.denied(w, r, http.StatusBadRequest, "upto: "+strconv.Quote(v)+" is not an article id")
			return
		}
		q.BeforeID = id + 1
	}
	if _, err := s.cfg.Store.MarkRead(r.Context(), q); err != nil {
		s.fail(w, r, fmt.Errorf("web: mark all read: %w", err))
		return
	}
	http.Redirect(w, r, "/my", http.StatusSeeOther)
}

// MaxID is the highest article id the page shows.
func (p *myPage) MaxID() int64 {
	var m int64
	for _, g := range p.Groups {
		for _, it := range g.Items {
			m = max(m, it.ID)
		}
	}
	return m
}
