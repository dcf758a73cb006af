package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"khabar/internal/model"
	"khabar/internal/plaintext"
	"khabar/internal/search"
	"khabar/internal/store"
	"khabar/internal/storyinfo"
	"khabar/internal/weburl"
)

// ArticleRefJSON is the short form of an article in relations.
type ArticleRefJSON struct {
	ID        int64      `json:"id"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Source    string     `json:"source"`
	Published *time.Time `json:"published"`
	Excerpt   string     `json:"excerpt,omitempty"`
}

// ArticleItemJSON is an article in listings.
type ArticleItemJSON struct {
	ID          int64      `json:"id"`
	URL         string     `json:"url"`
	Title       string     `json:"title"`
	Published   *time.Time `json:"published"`
	Modified    *time.Time `json:"modified"`
	Source      string     `json:"source"`
	SourceID    *int64     `json:"source_id"`
	Agency      string     `json:"agency"`
	Language    string     `json:"language"`
	Image       string     `json:"image"`
	Excerpt     string     `json:"excerpt"`
	Keywords    []string   `json:"keywords"`
	StoryID     *int64     `json:"story_id"`
	DuplicateOf *int64     `json:"duplicate_of"`
}

// ArticleJSON is one article in full.
type ArticleJSON struct {
	ID        int64          `json:"id"`
	URL       string         `json:"url"`
	Title     string         `json:"title"`
	Text      string         `json:"text"`
	Published *time.Time     `json:"published"`
	Modified  *time.Time     `json:"modified"`
	Fetched   *time.Time     `json:"fetched"`
	Source    string         `json:"source"`
	SourceID  *int64         `json:"source_id"`
	SiteName  string         `json:"site_name"`
	Agency    string         `json:"agency"`
	Authors   []string       `json:"authors"`
	Language  string         `json:"language"`
	Image     string         `json:"image"`
	Keywords  []string       `json:"keywords"`
	Entities  []model.Entity `json:"entities"`
	// Related is background reading: other stories on the subject, before
	// the article or near it in time; Later lists the later developments
	// («تطورات لاحقة»: related articles published more than a story's span
	// after it), as the article page shows them.
	Related     []ArticleRefJSON `json:"related"`
	Later       []ArticleRefJSON `json:"later"`
	DuplicateOf *int64           `json:"duplicate_of"`
	Story       *StoryJSON       `json:"story"`
	Quotes      []QuoteJSON      `json:"quotes"`
}

// StoryJSON is a story with its member articles, earliest first.
type StoryJSON struct {
	ID           int64            `json:"id"`
	Title        string           `json:"title"`
	FirstSeen    *time.Time       `json:"first_seen"`
	LastSeen     *time.Time       `json:"last_seen"`
	ArticleCount int              `json:"article_count"`
	Outlets      int              `json:"outlets"`
	Articles     []ArticleRefJSON `json:"articles"`
}

// SourceJSON is a polled feed and its state.
type SourceJSON struct {
	ID          int64       `json:"id"`
	URL         string      `json:"url"`
	Title       string      `json:"title"`
	SiteURL     string      `json:"site_url"`
	Language    string      `json:"language"`
	LastFetched *time.Time  `json:"last_fetched"`
	LastError   string      `json:"last_error"`
	NextFetch   *time.Time  `json:"next_fetch"`
	ErrorCount  int         `json:"error_count"`
	Articles    int         `json:"articles"`
	CreatedAt   *time.Time  `json:"created_at"`
	Outlet      *OutletJSON `json:"outlet"`
}

// SearchResultJSON is one search hit, shaped as `khabar search --json`.
type SearchResultJSON struct {
	ID        int64      `json:"id"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Snippet   string     `json:"snippet"`
	Published *time.Time `json:"published"`
	Source    string     `json:"source"`
	Score     float64    `json:"score"`
}

// TermJSON is a tag or entity with a count.
type TermJSON struct {
	Name  string `json:"name"`
	Type  string `json:"type,omitempty"`
	Count int    `json:"count"`
}

// RefJSON converts an article reference.
func RefJSON(r model.ArticleRef) ArticleRefJSON {
	return ArticleRefJSON{ID: r.ID, URL: r.URL, Title: r.Title, Source: r.Source,
		Published: timePtr(r.Published), Excerpt: r.Excerpt}
}

func itemJSON(a model.Article) ArticleItemJSON {
	return ArticleItemJSON{
		ID: a.ID, URL: a.URL, Title: a.Title, Published: timePtr(a.Published), Modified: timePtr(a.Modified),
		Source: a.DisplaySource(), SourceID: idPtr(a.SourceID), Agency: a.Agency, Language: a.Language,
		Image: a.Image, Excerpt: plaintext.Excerpt(a.Text, 200), Keywords: nonNil(a.Keywords),
		StoryID: idPtr(a.StoryID), DuplicateOf: idPtr(a.DuplicateOf),
	}
}

func itemsJSON(as []model.Article) []ArticleItemJSON {
	out := make([]ArticleItemJSON, 0, len(as))
	for _, a := range as {
		out = append(out, itemJSON(a))
	}
	return out
}

func storyJSON(st model.Story) *StoryJSON {
	out := &StoryJSON{ID: st.ID, Title: st.Title, FirstSeen: timePtr(st.FirstSeen), LastSeen: timePtr(st.LastSeen),
		ArticleCount: st.Articles, Outlets: st.Outlets, Articles: make([]ArticleRefJSON, 0, len(st.Members))}
	for _, m := range st.Members {
		out.Articles = append(out.Articles, RefJSON(m))
	}
	return out
}

func sourceJSON(s model.Source) SourceJSON {
	return SourceJSON{ID: s.ID, URL: s.URL, Title: s.Title, SiteURL: s.SiteURL, Language: s.Language,
		LastFetched: timePtr(s.LastFetched), LastError: s.LastError, NextFetch: timePtr(s.NextFetch),
		ErrorCount: s.ErrorCount, Articles: s.Articles, CreatedAt: timePtr(s.CreatedAt), Outlet: outletJSON(s.Outlet)}
}

func (s *server) listArticles(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := ParsePage(q, DefaultLimit, MaxLimit)
	if err != nil {
		return err
	}
	f := store.ArticleFilter{Limit: p.Limit, Offset: p.Offset, Tag: q.Get("tag"), Entity: q.Get("entity")}
	if f.SourceID, err = parseOptionalID(q, "source"); err != nil {
		return err
	}
	if f.StoryID, err = parseOptionalID(q, "story"); err != nil {
		return err
	}
	if f.Since, err = parseTime(q, "since"); err != nil {
		return err
	}
	if f.Until, err = parseTime(q, "until"); err != nil {
		return err
	}
	as, total, err := s.cfg.Store.ListArticles(r.Context(), f)
	if err != nil {
		return fmt.Errorf("api: list articles: %w", err)
	}
	return ok(w, r, struct {
		Articles []ArticleItemJSON `json:"articles"`
		Total    int               `json:"total"`
		Limit    int               `json:"limit"`
		Offset   int               `json:"offset"`
	}{itemsJSON(as), total, p.Limit, p.Offset})
}

func (s *server) getArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.cfg.Store.GetArticle(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(fmt.Sprintf("article %d", id))
	}
	if err != nil {
		return fmt.Errorf("api: get article %d: %w", id, err)
	}
	out, err := ArticleDetail(r.Context(), s.cfg.Store, s.cfg.Search, a, relatedLimit)
	if err != nil {
		return err
	}
	return ok(w, r, out)
}

// ArticleDetail builds an article's full JSON: its related reading from
// search and its story from the store.
func ArticleDetail(ctx context.Context, st store.Stories, se search.Searcher, a model.Article, nRelated int) (ArticleJSON, error) {
	out := ArticleJSON{
		ID: a.ID, URL: a.URL, Title: a.Title, Text: a.Text, Published: timePtr(a.Published),
		Modified: timePtr(a.Modified), Fetched: timePtr(a.Fetched), Source: a.DisplaySource(),
		SourceID: idPtr(a.SourceID), SiteName: a.SiteName, Agency: a.Agency, Authors: nonNil(a.Authors),
		Language: a.Language, Image: a.Image, Keywords: nonNil(a.Keywords),
		Entities: make([]model.Entity, 0, len(a.Entities)), DuplicateOf: idPtr(a.DuplicateOf),
		Related: []ArticleRefJSON{}, Later: []ArticleRefJSON{}, Quotes: articleQuotes(a),
	}
	for _, e := range a.Entities {
		e.Mentions = nonNil(e.Mentions)
		out.Entities = append(out.Entities, e)
	}
	rel, err := se.Related(ctx, a, nRelated)
	if err != nil {
		return out, fmt.Errorf("api: related for article %d: %w", a.ID, err)
	}
	for _, x := range rel {
		if x.Later {
			out.Later = append(out.Later, RefJSON(x))
		} else {
			out.Related = append(out.Related, RefJSON(x))
		}
	}
	if a.StoryID != 0 {
		story, err := st.GetStory(ctx, a.StoryID)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return out, fmt.Errorf("api: story of article %d: %w", a.ID, err)
		default:
			out.Story = storyJSON(story)
		}
	}
	return out, nil
}

func (s *server) search(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	query := strings.TrimSpace(q.Get("q"))
	if query == "" {
		return badParam("q", "a search query is required")
	}
	if utf8.RuneCountInString(query) > 500 {
		return badParam("q", "must be at most 500 characters")
	}
	p, err := ParsePage(q, DefaultLimit, MaxLimit)
	if err != nil {
		return err
	}
	f, _, err := parseFilter(q)
	if err != nil {
		return err
	}
	res, err := s.cfg.Search.Search(r.Context(), search.Request{Query: query, Filter: f, Limit: p.Limit, Offset: p.Offset, AllowPartial: true})
	if errors.Is(err, store.ErrInvalid) {
		return badParam("q", err.Error())
	}
	if err != nil {
		return fmt.Errorf("api: search %q: %w", query, err)
	}
	out := make([]SearchResultJSON, 0, len(res.Results))
	for _, x := range res.Results {
		out = append(out, SearchResultJSON{ID: x.ID, URL: x.URL, Title: x.Title, Snippet: x.Snippet,
			Published: timePtr(x.Published), Source: x.Source, Score: x.Score})
	}
	return ok(w, r, struct {
		Query   string             `json:"query"`
		Results []SearchResultJSON `json:"results"`
		Total   int                `json:"total"`
		Limit   int                `json:"limit"`
		Offset  int                `json:"offset"`
		Partial bool               `json:"partial"`
		// PartialTotal counts the partial matches (Total counts full
		// matches only).
		PartialTotal int `json:"partial_total,omitempty"`
	}{query, out, res.Total, p.Limit, p.Offset, res.Partial, res.PartialTotal})
}

func (s *server) listSources(w http.ResponseWriter, r *http.Request) error {
	srcs, err := s.cfg.Store.ListSources(r.Context())
	if err != nil {
		return fmt.Errorf("api: list sources: %w", err)
	}
	out := make([]SourceJSON, 0, len(srcs))
	for _, x := range srcs {
		out = append(out, sourceJSON(x))
	}
	return ok(w, r, struct {
		Sources []SourceJSON `json:"sources"`
		Total   int          `json:"total"`
	}{out, len(out)})
}

func (s *server) getSource(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	src, err := s.cfg.Store.GetSource(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(fmt.Sprintf("source %d", id))
	}
	if err != nil {
		return fmt.Errorf("api: get source %d: %w", id, err)
	}
	return ok(w, r, sourceJSON(src))
}

// maxBody bounds a request body.
const maxBody = 16 << 10

func (s *server) addSource(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(w, r); err != nil {
		return err
	}
	var in struct {
		URL   string `json:"url"`
		Title string `json:"title"`
	}
	if err := decodeBody(r, &in, `{"url": ..., "title": ...}`); err != nil {
		return err
	}
	u, err := weburl.Check(in.URL)
	if err != nil {
		return badParam("url", weburl.Reason(err))
	}
	src := model.Source{URL: u, Title: strings.TrimSpace(in.Title), NextFetch: s.now(), CreatedAt: s.now()}
	if err := s.cfg.Store.AddSource(r.Context(), &src); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return &Error{Status: http.StatusConflict, Code: "conflict", Message: "a source with url " + u + " already exists"}
		}
		return fmt.Errorf("api: add source: %w", err)
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/sources/%d", src.ID))
	return writeJSON(w, r, http.StatusCreated, sourceJSON(src), false)
}

// deleteSource stops polling a source; its articles stay (the store keeps
// their source name), so the portal's pages do not lose them.
func (s *server) deleteSource(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(w, r); err != nil {
		return err
	}
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteSource(r.Context(), id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return notFound(fmt.Sprintf("source %d", id))
		}
		return fmt.Errorf("api: delete source %d: %w", id, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) listStories(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := ParsePage(q, DefaultLimit, MaxLimit)
	if err != nil {
		return err
	}
	since, err := parseTime(q, "since")
	if err != nil {
		return err
	}
	oneSided := false
	switch v := q.Get("one_sided"); v {
	case "", "false", "0":
	case "true", "1":
		oneSided = true
	default:
		return badParam("one_sided", "must be true or false, got "+strconv.Quote(v))
	}
	stories, total, err := s.cfg.Store.ListStories(r.Context(), store.StoryFilter{Since: since, OneSided: oneSided,
		Limit: p.Limit, Offset: p.Offset})
	if err != nil {
		return fmt.Errorf("api: list stories: %w", err)
	}
	out := make([]*StoryJSON, 0, len(stories))
	for _, st := range stories {
		out = append(out, storyJSON(st))
	}
	return ok(w, r, struct {
		Stories []*StoryJSON `json:"stories"`
		Total   int          `json:"total"`
		Limit   int          `json:"limit"`
		Offset  int          `json:"offset"`
	}{out, total, p.Limit, p.Offset})
}

func (s *server) getStory(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	st, err := storyinfo.Story(r.Context(), s.cfg.Store, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(fmt.Sprintf("story %d", id))
	}
	if err != nil {
		return fmt.Errorf("api: get story %d: %w", id, err)
	}
	return ok(w, r, StoryDetail(st))
}

// window reads ?days= (default 7, at most 365) and returns [now-days, now].
func (s *server) window(q url.Values) (time.Time, time.Time, error) {
	days := 7
	if v := q.Get("days"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &days); err != nil || days < 1 || days > 365 || fmt.Sprint(days) != v {
			return time.Time{}, time.Time{}, badParam("days", "must be an integer from 1 to 365, got "+fmt.Sprintf("%q", v))
		}
	}
	now := s.now()
	// until is exclusive: a second past now includes articles published now.
	return now.AddDate(0, 0, -days), now.Add(time.Second), nil
}

func termsJSON(ts []store.TermCount) []TermJSON {
	out := make([]TermJSON, 0, len(ts))
	for _, t := range ts {
		out = append(out, TermJSON{Name: t.Term, Type: t.Type, Count: t.Count})
	}
	return out
}

// topTerms reads the page and window of a trends request and counts the
// terms top gives for them.
func (s *server) topTerms(r *http.Request, what string,
	top func(ctx context.Context, since, until time.Time, limit int) ([]store.TermCount, error)) ([]TermJSON, time.Time, error) {
	q := r.URL.Query()
	p, err := ParsePage(q, 50, MaxLimit)
	if err != nil {
		return nil, time.Time{}, err
	}
	since, until, err := s.window(q)
	if err != nil {
		return nil, time.Time{}, err
	}
	ts, err := top(r.Context(), since, until, p.Limit)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("api: top %s: %w", what, err)
	}
	return termsJSON(ts), since, nil
}

func (s *server) topTags(w http.ResponseWriter, r *http.Request) error {
	ts, since, err := s.topTerms(r, "tags", s.cfg.Store.TopTags)
	if err != nil {
		return err
	}
	return ok(w, r, struct {
		Tags  []TermJSON `json:"tags"`
		Since time.Time  `json:"since"`
	}{ts, since})
}

func (s *server) topEntities(w http.ResponseWriter, r *http.Request) error {
	ts, since, err := s.topTerms(r, "entities", s.cfg.Store.TopEntities)
	if err != nil {
		return err
	}
	return ok(w, r, struct {
		Entities []TermJSON `json:"entities"`
		Since    time.Time  `json:"since"`
	}{ts, since})
}

func (s *server) getTag(w http.ResponseWriter, r *http.Request) error {
	tag := strings.TrimSpace(r.PathValue("tag"))
	if tag == "" {
		return badParam("tag", "must not be empty")
	}
	p, err := ParsePage(r.URL.Query(), DefaultLimit, MaxLimit)
	if err != nil {
		return err
	}
	// A tag nobody used is an empty listing, not an error: tags are not
	// stored on their own, only as words on articles.
	as, total, err := s.cfg.Store.ListArticles(r.Context(), store.ArticleFilter{Tag: tag, Limit: p.Limit, Offset: p.Offset})
	if err != nil {
		return fmt.Errorf("api: articles tagged %q: %w", tag, err)
	}
	return ok(w, r, struct {
		Tag      string            `json:"tag"`
		Articles []ArticleItemJSON `json:"articles"`
		Total    int               `json:"total"`
		Limit    int               `json:"limit"`
		Offset   int               `json:"offset"`
	}{tag, itemsJSON(as), total, p.Limit, p.Offset})
}

func (s *server) getEntity(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimSpace(r.PathValue("name"))
	if name == "" {
		return badParam("name", "must not be empty")
	}
	p, err := ParsePage(r.URL.Query(), DefaultLimit, MaxLimit)
	if err != nil {
		return err
	}
	info, err := s.cfg.Store.GetEntity(r.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(fmt.Sprintf("entity %q", name))
	}
	if err != nil {
		return fmt.Errorf("api: get entity %q: %w", name, err)
	}
	as, total, err := s.cfg.Store.ListArticles(r.Context(), store.ArticleFilter{Entity: info.Name, Limit: p.Limit, Offset: p.Offset})
	if err != nil {
		return fmt.Errorf("api: articles of entity %q: %w", name, err)
	}
	return ok(w, r, struct {
		Name         string            `json:"name"`
		Type         string            `json:"type"`
		Aliases      []string          `json:"aliases"`
		ArticleCount int               `json:"article_count"`
		Related      []TermJSON        `json:"related"`
		Articles     []ArticleItemJSON `json:"articles"`
		Total        int               `json:"total"`
		Limit        int               `json:"limit"`
		Offset       int               `json:"offset"`
	}{info.Name, info.Type, nonNil(info.Aliases), info.Articles, termsJSON(info.Related), itemsJSON(as), total, p.Limit, p.Offset})
}

// parseFilter reads the search filters of a query (search.ParseFilter);
// a filter that cannot be read is a 400 naming its parameter.
func parseFilter(q url.Values) (store.Filter, *time.Location, error) {
	f, loc, err := search.ParseFilter(func(n string) []string { return q[n] })
	if fe, ok := err.(*search.FilterError); ok {
		return f, nil, badParam(fe.Param, fe.Msg)
	}
	return f, loc, err
}
