package greader

import (
	"context"
	"encoding/xml"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// markAllAsRead marks the stream s read, up to ts (microseconds, as
// clients send it; a value below 10^11 is taken as seconds).
func (s *server) markAllAsRead(w http.ResponseWriter, r *http.Request, u model.User) error {
	sid := r.Form.Get("s")
	if sid == "" {
		return badRequest("s: no stream")
	}
	q, err := s.query(r.Context(), u, sid)
	if err != nil {
		return err
	}
	if v := r.Form.Get("ts"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return badRequest("ts: %q is not a time in microseconds", clip(v))
		}
		t := time.UnixMicro(n)
		if n < 1e11 {
			t = time.Unix(n, 0)
		}
		q.Until = t.UTC()
	}
	if _, err := s.cfg.Store.MarkRead(r.Context(), q); err != nil {
		return err
	}
	return writeOK(w)
}

type link struct {
	Href string `json:"href"`
	Type string `json:"type,omitempty"`
}

type content struct {
	Direction string `json:"direction"`
	Content   string `json:"content"`
}

type origin struct {
	StreamID string `json:"streamId"`
	Title    string `json:"title"`
	HTMLURL  string `json:"htmlUrl"`
}

type item struct {
	ID            string   `json:"id"`
	CrawlTimeMsec string   `json:"crawlTimeMsec"`
	TimestampUsec string   `json:"timestampUsec"`
	Published     int64    `json:"published"`
	Updated       int64    `json:"updated"`
	Title         string   `json:"title"`
	Author        string   `json:"author,omitempty"`
	Categories    []string `json:"categories"`
	Canonical     []link   `json:"canonical"`
	Alternate     []link   `json:"alternate"`
	Summary       content  `json:"summary"`
	Origin        origin   `json:"origin"`

	read, starred bool
	when          time.Time
	html          string
	url           string
}

// body is the article's HTML: its sanitized HTML, else its text in
// paragraphs, else its feed summary (sanitized when stored).
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

// items loads the articles ids (in that order, skipping deleted ones)
// with the user's state.
func (s *server) items(ctx context.Context, u model.User, ids []int64) ([]item, error) {
	states, err := s.cfg.Store.ItemStates(ctx, u.ID, ids)
	if err != nil {
		return nil, err
	}
	fs, err := s.cfg.Store.ListFollows(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	folder := map[int64]string{}
	for _, f := range fs {
		if f.Kind == model.FollowSource && f.Label != "" {
			folder[f.SourceID] = f.Label
		}
	}
	sources := map[int64]model.Source{}
	out := make([]item, 0, len(ids))
	for _, id := range ids {
		a, err := s.cfg.Store.GetArticle(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		when := a.Published
		if when.IsZero() {
			when = a.Fetched
		}
		updated := a.Modified
		if updated.IsZero() {
			updated = when
		}
		dir := "ltr"
		if a.Language == "ar" || a.Language == "fa" || a.Language == "ur" || a.Language == "he" {
			dir = "rtl"
		}
		it := item{ID: LongItemID(a.ID), CrawlTimeMsec: strconv.FormatInt(a.Fetched.UnixMilli(), 10),
			TimestampUsec: strconv.FormatInt(when.UnixMicro(), 10), Published: when.Unix(), Updated: updated.Unix(),
			Title: a.Title, Author: strings.Join(a.Authors, "، "),
			Categories: []string{userStream(u, "state/com.google/reading-list")},
			Canonical:  []link{{Href: a.URL}}, Alternate: []link{{Href: a.URL, Type: "text/html"}},
			Summary: content{Direction: dir, Content: body(a)},
			Origin:  origin{StreamID: feedStream(a.SourceID), Title: a.SourceName},
			when:    when, url: a.URL}
		it.html = it.Summary.Content
		if a.SourceID > 0 {
			src, ok := sources[a.SourceID]
			if !ok {
				src, _ = s.cfg.Store.GetSource(ctx, a.SourceID) // a deleted source leaves its name on the article
				sources[a.SourceID] = src
			}
			if src.ID != 0 {
				it.Origin.Title, it.Origin.HTMLURL = sourceTitle(src), src.SiteURL
			}
		}
		if l := folder[a.SourceID]; l != "" {
			it.Categories = append(it.Categories, userStream(u, "label/"+l))
		}
		st := states[a.ID]
		it.read, it.starred = st.Read, st.Starred
		if st.Read {
			it.Categories = append(it.Categories, userStream(u, "state/com.google/read"))
		} else {
			it.Categories = append(it.Categories, userStream(u, "state/com.google/fresh"))
		}
		if st.Starred {
			it.Categories = append(it.Categories, userStream(u, "state/com.google/starred"))
		}
		for _, l := range st.Labels {
			it.Categories = append(it.Categories, userStream(u, "label/"+l))
		}
		out = append(out, it)
	}
	return out, nil
}

func (s *server) writeItems(w http.ResponseWriter, u model.User, sid, title string, items []item, cont string) error {
	out := map[string]any{"direction": "ltr", "id": sid, "title": title, "author": u.Name,
		"updated": s.now().Unix(), "items": items}
	if cont != "" {
		out["continuation"] = cont
	}
	return writeJSON(w, out)
}

// itemContents answers the items i (any id form; GET or POST).
func (s *server) itemContents(w http.ResponseWriter, r *http.Request, u model.User) error {
	raw := r.Form["i"]
	if len(raw) == 0 {
		return badRequest("i: no item ids")
	}
	if len(raw) > maxContents {
		return badRequest("i: %d items, at most %d a request", len(raw), maxContents)
	}
	ids := make([]int64, 0, len(raw))
	for _, v := range raw {
		id, err := ParseItemID(v)
		if err != nil {
			return badRequest("i: %v", err)
		}
		ids = append(ids, id)
	}
	items, err := s.items(r.Context(), u, ids)
	if err != nil {
		return err
	}
	return s.writeItems(w, u, userStream(u, "state/com.google/reading-list"), "Reading List", items, "")
}

// streamID is the stream of stream/contents and reader/atom: the path's
// rest, else s, else the reading list.
func streamID(r *http.Request) string {
	if v := r.PathValue("stream"); v != "" {
		return v
	}
	if v := r.Form.Get("s"); v != "" {
		return v
	}
	return "user/-/state/com.google/reading-list"
}

func (s *server) streamPage(r *http.Request, u model.User) (string, []item, string, error) {
	sid := streamID(r)
	q, err := s.query(r.Context(), u, sid)
	if err != nil {
		return "", nil, "", err
	}
	if err := filters(r, &q, maxContents); err != nil {
		return "", nil, "", err
	}
	ids, cont, err := s.page(r.Context(), q)
	if err != nil {
		return "", nil, "", err
	}
	items, err := s.items(r.Context(), u, ids)
	return sid, items, cont, err
}

func (s *server) streamContents(w http.ResponseWriter, r *http.Request, u model.User) error {
	sid, items, cont, err := s.streamPage(r, u)
	if err != nil {
		return err
	}
	return s.writeItems(w, u, sid, sid, items, cont)
}

// The Atom form: entries with Google Reader's state categories (scheme
// http://www.google.com/reader/, label read, fresh or starred), which is
// how newsboat and other older clients learn an item's state.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	GR      string      `xml:"xmlns:gr,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Cont    string      `xml:"gr:continuation,omitempty"`
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Link       atomLink       `xml:"link"`
	Author     *atomAuthor    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Content    atomText       `xml:"content"`
	Source     atomSource     `xml:"source"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

type atomSource struct {
	ID    string `xml:"id"`
	Title string `xml:"title"`
}

const readerScheme = "http://www.google.com/reader/"

func (s *server) atom(w http.ResponseWriter, r *http.Request, u model.User) error {
	sid, items, cont, err := s.streamPage(r, u)
	if err != nil {
		return err
	}
	f := atomFeed{GR: "http://www.google.com/schemas/reader/atom/", ID: "tag:google.com,2005:reader/" + url.PathEscape(sid),
		Title: sid, Updated: s.now().UTC().Format(time.RFC3339), Cont: cont}
	for _, it := range items {
		e := atomEntry{ID: it.ID, Title: atomText{Type: "text", Body: it.Title},
			Published: it.when.UTC().Format(time.RFC3339), Updated: time.Unix(it.Updated, 0).UTC().Format(time.RFC3339),
			Link:    atomLink{Rel: "alternate", Href: it.url, Type: "text/html"},
			Content: atomText{Type: "html", Body: it.html},
			Source:  atomSource{ID: "tag:google.com,2005:reader/" + it.Origin.StreamID, Title: it.Origin.Title}}
		if it.Author != "" {
			e.Author = &atomAuthor{Name: it.Author}
		}
		state := func(name string) atomCategory {
			return atomCategory{Term: userStream(u, "state/com.google/"+name), Scheme: readerScheme, Label: name}
		}
		e.Categories = append(e.Categories, state("reading-list"))
		if it.read {
			e.Categories = append(e.Categories, state("read"))
		} else {
			e.Categories = append(e.Categories, state("fresh"))
		}
		if it.starred {
			e.Categories = append(e.Categories, state("starred"))
		}
		f.Entries = append(f.Entries, e)
	}
	out, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	_, err = w.Write(out)
	return err
}
