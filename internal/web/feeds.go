package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"khabar/internal/model"
	"khabar/internal/plaintext"
	"khabar/internal/sanitize"
	"khabar/internal/search"
	"khabar/internal/store"
)

// feedItems is how many entries a feed carries.
const feedItems = 50

// feedDoc is a feed before it is written in one of the three formats.
type feedDoc struct {
	Title, Description string
	Home, Self         string // absolute URLs: the HTML page and this feed
	Items              []feedItem
}

type feedItem struct {
	Permalink string // our article page, absolute
	Link      string // the outlet's original URL
	Title     string
	Summary   string // plain text
	Source    string
	Authors   []string
	Published time.Time
	Modified  time.Time
	Tags      []string
	Image     string
}

// feedFormat is the format a feed file name asks for.
type feedFormat int

const (
	formatRSS feedFormat = iota
	formatAtom
	formatJSON
)

// splitFeedFile splits "name.xml" into the name and its format; ok is false
// for an extension that is not a feed's.
func splitFeedFile(file string) (name string, f feedFormat, ok bool) {
	ext := path.Ext(file)
	name = strings.TrimSuffix(file, ext)
	switch ext {
	case ".xml", ".rss":
		return name, formatRSS, name != ""
	case ".atom":
		return name, formatAtom, name != ""
	case ".json":
		return name, formatJSON, name != ""
	}
	return "", 0, false
}

func (s *Server) absURL(r *http.Request, p string) string {
	if s.base != nil {
		return s.base.String() + p
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + p
}

func (s *Server) newFeed(r *http.Request, title, home string) *feedDoc {
	return &feedDoc{
		Title:       stringsAR.SiteName + " - " + title,
		Description: title,
		Home:        s.absURL(r, home),
		Self:        s.absURL(r, r.URL.RequestURI()),
	}
}

func (s *Server) addArticles(r *http.Request, d *feedDoc, as []model.Article) {
	for _, a := range as {
		text := a.Text
		if text == "" {
			text = sanitize.Text(a.Summary)
		}
		d.Items = append(d.Items, feedItem{
			Permalink: s.absURL(r, "/articles/"+strconv.FormatInt(a.ID, 10)),
			Link:      a.URL, Title: a.Title, Summary: plaintext.Excerpt(text, 400), Source: a.DisplaySource(),
			Authors: a.Authors, Published: a.Published, Modified: a.Modified, Tags: a.Keywords, Image: a.Image,
		})
	}
}

func (s *Server) feedFromFilter(w http.ResponseWriter, r *http.Request, d *feedDoc, f feedFormat, filter store.ArticleFilter) {
	filter.Limit = feedItems
	as, _, err := s.cfg.Store.ListArticles(r.Context(), filter)
	if err != nil {
		s.feedError(w, r, fmt.Errorf("web: feed articles: %w", err))
		return
	}
	s.addArticles(r, d, as)
	s.writeFeed(w, r, d, f)
}

func (s *Server) feedError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, "feed not found", http.StatusNotFound)
		return
	}
	s.log.Error("web: feed failed", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// feedTop serves /feeds/latest.{xml,atom,json} and /feeds/search.{...}?q=.
func (s *Server) feedTop(w http.ResponseWriter, r *http.Request) {
	name, f, ok := splitFeedFile(r.PathValue("file"))
	switch {
	case ok && name == "latest":
		s.feedFromFilter(w, r, s.newFeed(r, stringsAR.Latest, "/"), f, store.ArticleFilter{})
	case ok && name == "search":
		s.feedSearch(w, r, f)
	case ok && name == "one-sided":
		s.feedOneSided(w, r, f)
	default:
		s.notFound(w, r)
	}
}

// feedOneSided is the feed of the stories whose coverage leans one way:
// one item a story, newest report first.
func (s *Server) feedOneSided(w http.ResponseWriter, r *http.Request, f feedFormat) {
	d := s.newFeed(r, stringsAR.OneSided, "/")
	stories, _, err := s.cfg.Store.ListStories(r.Context(), store.StoryFilter{OneSided: true, Limit: feedItems, NoTotal: true})
	if err != nil {
		s.feedError(w, r, fmt.Errorf("web: one-sided feed: %w", err))
		return
	}
	for _, st := range stories {
		link := s.absURL(r, "/stories/"+strconv.FormatInt(st.ID, 10))
		it := feedItem{Permalink: link, Link: link, Title: st.Title, Published: st.LastSeen,
			Summary: leanText(stringsAR, st)}
		d.Items = append(d.Items, it)
	}
	s.writeFeed(w, r, d, f)
}

// leanText says, in the reader's language, which way a story's coverage
// leans and which outlets cover it.
func leanText(t *Strings, st model.Story) string {
	if st.Details == nil {
		return ""
	}
	var names []string
	for _, o := range st.Details.Coverage.Outlets {
		names = append(names, o.Source)
	}
	lean := st.Details.Lean
	if kind, ok := strings.CutPrefix(lean, "kind:"); ok {
		lean = kindName(t, kind)
	} else {
		lean = strings.TrimPrefix(lean, "country:")
	}
	return t.OneSided + " (" + lean + "): " + strings.Join(names, "، ")
}

func (s *Server) feedSearch(w http.ResponseWriter, r *http.Request, f feedFormat) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	home := "/search?" + url.Values{"q": {q}}.Encode()
	d := s.newFeed(r, stringsAR.Search+": "+q, home)
	if q == "" {
		// No query matches nothing: an empty, valid feed.
		s.writeFeed(w, r, d, f)
		return
	}
	qv := r.URL.Query()
	filter, _, err := search.ParseFilter(func(n string) []string { return qv[n] })
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := search.Request{Query: q, Limit: feedItems, Filter: filter}
	res, err := s.cfg.Search.Search(r.Context(), req)
	if errors.Is(err, store.ErrInvalid) {
		http.Error(w, "invalid query: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err != nil {
		s.feedError(w, r, fmt.Errorf("web: search feed %q: %w", q, err))
		return
	}
	for _, x := range res.Results {
		d.Items = append(d.Items, feedItem{
			Permalink: s.absURL(r, "/articles/"+strconv.FormatInt(x.ID, 10)),
			Link:      x.URL, Title: x.Title, Summary: sanitize.Text(x.Snippet), Source: x.Source, Published: x.Published,
		})
	}
	s.writeFeed(w, r, d, f)
}

func (s *Server) feedTag(w http.ResponseWriter, r *http.Request) {
	tag, f, ok := splitFeedFile(r.PathValue("file"))
	if !ok {
		s.notFound(w, r)
		return
	}
	// An unknown tag simply has no articles: the feed is empty, not an error.
	d := s.newFeed(r, stringsAR.Tag+": "+tag, "/tags/"+url.PathEscape(tag))
	s.feedFromFilter(w, r, d, f, store.ArticleFilter{Tag: tag})
}

func (s *Server) feedEntity(w http.ResponseWriter, r *http.Request) {
	name, f, ok := splitFeedFile(r.PathValue("file"))
	if !ok {
		s.notFound(w, r)
		return
	}
	d := s.newFeed(r, name, "/entities/"+url.PathEscape(name))
	s.feedFromFilter(w, r, d, f, store.ArticleFilter{Entity: name})
}

func (s *Server) feedSource(w http.ResponseWriter, r *http.Request) {
	name, f, ok := splitFeedFile(r.PathValue("file"))
	id, err := strconv.ParseInt(name, 10, 64)
	if !ok || err != nil || id < 1 {
		s.notFound(w, r)
		return
	}
	src, err := s.cfg.Store.GetSource(r.Context(), id)
	if err != nil {
		s.feedError(w, r, fmt.Errorf("web: feed of source %d: %w", id, err))
		return
	}
	d := s.newFeed(r, cmpOr(src.Title, src.URL), "/sources/"+name)
	s.feedFromFilter(w, r, d, f, store.ArticleFilter{SourceID: id})
}

func (s *Server) feedStory(w http.ResponseWriter, r *http.Request) {
	name, f, ok := splitFeedFile(r.PathValue("file"))
	id, err := strconv.ParseInt(name, 10, 64)
	if !ok || err != nil || id < 1 {
		s.notFound(w, r)
		return
	}
	st, err := s.cfg.Store.GetStory(r.Context(), id)
	if err != nil {
		s.feedError(w, r, fmt.Errorf("web: feed of story %d: %w", id, err))
		return
	}
	d := s.newFeed(r, stringsAR.Story+": "+st.Title, "/stories/"+name)
	s.feedFromFilter(w, r, d, f, store.ArticleFilter{StoryID: id})
}

// feedAlert serves an alert's feed: the articles delivered for it.
func (s *Server) feedAlert(w http.ResponseWriter, r *http.Request) {
	name, f, ok := splitFeedFile(r.PathValue("file"))
	id, err := strconv.ParseInt(name, 10, 64)
	if !ok || err != nil || id < 1 {
		s.notFound(w, r)
		return
	}
	al, err := s.cfg.Store.GetAlert(r.Context(), id)
	if err != nil {
		s.feedError(w, r, fmt.Errorf("web: feed of alert %d: %w", id, err))
		return
	}
	as, err := s.cfg.Store.Delivered(r.Context(), id, feedItems)
	if err != nil {
		s.feedError(w, r, fmt.Errorf("web: delivered for alert %d: %w", id, err))
		return
	}
	d := s.newFeed(r, stringsAR.Search+": "+al.Query, "/search?"+url.Values{"q": {al.Query}}.Encode())
	s.addArticles(r, d, as)
	s.writeFeed(w, r, d, f)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// updated is the newest date among the items, or now for an empty feed.
func (d *feedDoc) updated(now time.Time) time.Time {
	var t time.Time
	for _, it := range d.Items {
		if u := it.updated(); u.After(t) {
			t = u
		}
	}
	if t.IsZero() {
		return now
	}
	return t
}

func (it *feedItem) updated() time.Time {
	if it.Modified.After(it.Published) {
		return it.Modified
	}
	return it.Published
}

func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, d *feedDoc, f feedFormat) {
	var buf bytes.Buffer
	var ctype string
	var err error
	switch f {
	case formatAtom:
		ctype, err = "application/atom+xml; charset=utf-8", writeAtom(&buf, d, s.now())
	case formatJSON:
		ctype, err = "application/feed+json; charset=utf-8", writeJSONFeed(&buf, d)
	default:
		ctype, err = "application/rss+xml; charset=utf-8", writeRSS(&buf, d, s.now())
	}
	if err != nil {
		s.feedError(w, r, fmt.Errorf("web: write feed: %w", err))
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// RSS 2.0 wire structs.
type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Generator     string    `xml:"generator"`
	Self          rssLink   `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate,omitempty"`
	Description string   `xml:"description,omitempty"`
	Creator     []string `xml:"dc:creator,omitempty"`
	Categories  []string `xml:"category,omitempty"`
}

type rssGUID struct {
	Value       string `xml:",chardata"`
	IsPermaLink bool   `xml:"isPermaLink,attr"`
}

func writeRSS(buf *bytes.Buffer, d *feedDoc, now time.Time) error {
	doc := rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", DC: "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{Title: d.Title, Link: d.Home, Description: d.Description, Language: "ar",
			LastBuildDate: d.updated(now).Format(time.RFC1123Z), Generator: "khabar",
			Self: rssLink{Href: d.Self, Rel: "self", Type: "application/rss+xml"}, Items: []rssItem{}}}
	for _, it := range d.Items {
		x := rssItem{Title: it.Title, Link: it.Link, GUID: rssGUID{Value: it.Permalink, IsPermaLink: true},
			Description: it.Summary, Categories: it.Tags}
		if x.Link == "" {
			x.Link = it.Permalink
		}
		if !it.Published.IsZero() {
			x.PubDate = it.Published.Format(time.RFC1123Z)
		}
		x.Creator = append(x.Creator, it.Authors...)
		if len(x.Creator) == 0 && it.Source != "" {
			x.Creator = []string{it.Source}
		}
		doc.Channel.Items = append(doc.Channel.Items, x)
	}
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(buf)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("rss: %w", err)
	}
	buf.WriteByte('\n')
	return nil
}

// Atom 1.0 wire structs.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Gen     string      `xml:"generator"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Authors    []atomPerson   `xml:"author"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

func writeAtom(buf *bytes.Buffer, d *feedDoc, now time.Time) error {
	feed := atomFeed{Lang: "ar", ID: d.Self, Title: d.Title, Updated: d.updated(now).UTC().Format(time.RFC3339),
		Links:  []atomLink{{Href: d.Self, Rel: "self", Type: "application/atom+xml"}, {Href: d.Home, Rel: "alternate", Type: "text/html"}},
		Author: atomPerson{Name: stringsAR.SiteName}, Gen: "khabar"}
	for _, it := range d.Items {
		up := it.updated()
		if up.IsZero() {
			up = now // Atom requires an updated time; unknown dates get the feed's.
		}
		e := atomEntry{ID: it.Permalink, Title: it.Title, Updated: up.UTC().Format(time.RFC3339),
			Links: []atomLink{{Href: cmpOr(it.Link, it.Permalink), Rel: "alternate", Type: "text/html"}}}
		if !it.Published.IsZero() {
			e.Published = it.Published.UTC().Format(time.RFC3339)
		}
		if it.Link != "" {
			e.Links = append(e.Links, atomLink{Href: it.Permalink, Rel: "related", Type: "text/html"})
		}
		for _, a := range it.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: a})
		}
		if len(e.Authors) == 0 && it.Source != "" {
			e.Authors = []atomPerson{{Name: it.Source}}
		}
		if it.Summary != "" {
			e.Summary = &atomText{Type: "text", Value: it.Summary}
		}
		for _, t := range it.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		feed.Entries = append(feed.Entries, e)
	}
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(buf).Encode(feed); err != nil {
		return fmt.Errorf("atom: %w", err)
	}
	buf.WriteByte('\n')
	return nil
}

// JSON Feed 1.1 wire structs.
type jsonFeed struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description,omitempty"`
	Language    string         `json:"language"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	ExternalURL   string           `json:"external_url,omitempty"`
	Title         string           `json:"title"`
	ContentText   string           `json:"content_text"`
	Image         string           `json:"image,omitempty"`
	DatePublished string           `json:"date_published,omitempty"`
	DateModified  string           `json:"date_modified,omitempty"`
	Authors       []jsonFeedAuthor `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
}

func writeJSONFeed(buf *bytes.Buffer, d *feedDoc) error {
	feed := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: d.Title, HomePageURL: d.Home,
		FeedURL: d.Self, Description: d.Description, Language: "ar", Items: []jsonFeedItem{}}
	for _, it := range d.Items {
		x := jsonFeedItem{ID: it.Permalink, URL: it.Permalink, ExternalURL: it.Link, Title: it.Title,
			ContentText: it.Summary, Image: it.Image, Tags: it.Tags}
		if !it.Published.IsZero() {
			x.DatePublished = it.Published.Format(time.RFC3339)
		}
		if !it.Modified.IsZero() {
			x.DateModified = it.Modified.Format(time.RFC3339)
		}
		for _, a := range it.Authors {
			x.Authors = append(x.Authors, jsonFeedAuthor{Name: a})
		}
		if len(x.Authors) == 0 && it.Source != "" {
			x.Authors = []jsonFeedAuthor{{Name: it.Source}}
		}
		feed.Items = append(feed.Items, x)
	}
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(feed); err != nil {
		return fmt.Errorf("json feed: %w", err)
	}
	return nil
}

// openSearch describes the search page so browsers can offer it.
func (s *Server) openSearch(w http.ResponseWriter, r *http.Request) {
	type osURL struct {
		Type     string `xml:"type,attr"`
		Template string `xml:"template,attr"`
	}
	doc := struct {
		XMLName     xml.Name `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
		ShortName   string   `xml:"ShortName"`
		Description string   `xml:"Description"`
		Encoding    string   `xml:"InputEncoding"`
		Lang        string   `xml:"Language"`
		URLs        []osURL  `xml:"Url"`
	}{ShortName: stringsAR.SiteName, Description: stringsAR.SearchLabel, Encoding: "UTF-8", Lang: "ar",
		URLs: []osURL{
			{Type: "text/html", Template: s.absURL(r, "/search?q={searchTerms}")},
			{Type: "application/rss+xml", Template: s.absURL(r, "/feeds/search.xml?q={searchTerms}")},
		}}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(doc); err != nil {
		s.feedError(w, r, fmt.Errorf("web: opensearch: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/opensearchdescription+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(buf.Bytes())
}
