package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"khabar/internal/model"
	"khabar/internal/plaintext"
	"khabar/internal/sanitize"
	"khabar/internal/search"
	"khabar/internal/store"
	"khabar/internal/storyinfo"
)

// Base is what every page has: the interface strings, the reader's
// choices and the layout's links. Page structs embed it.
type Base struct {
	T        *Strings
	Title    string // the page's own title, "" on the home page
	Path     string // the current path and query, for the language switch
	CSS      string
	Query    string // the search box's value
	Digits   string
	FeedRSS  string // the page's feeds, when it has them
	FeedAtom string
	FeedJSON string
	// CanLogin is set when the server has an admin token, so that logins
	// and writes are possible at all; LoggedIn when the reader is logged
	// in, Admin when with the admin token, Reader (the account's id) and
	// User (its name) when with an account. CSRF is then the token every
	// POST form must carry.
	CanLogin bool
	LoggedIn bool
	Admin    bool
	Reader   int64
	User     string
	CSRF     string
	// What search engines and link previews read (seo.go): a plain-text
	// description, the page's absolute URL, its Open Graph type and image,
	// and its schema.org data as JSON.
	Description string
	PageURL     string
	OGType      string
	Image       string
	JSONLD      template.JS
	NoIndex     bool // an error page: search engines must not keep it
	loc         *time.Location
	outlets     *outletNames // English pages: the outlets' English names
}

type pageData interface{ base() *Base }

func (b *Base) base() *Base { return b }

// RefList is a list of article references with the page they are shown
// on, for the "ref-items" template.
type RefList struct {
	*Base
	Items []model.ArticleRef
}

// Refs pairs refs with the page, for the "ref-items" template.
func (b *Base) Refs(refs []model.ArticleRef) RefList { return RefList{Base: b, Items: refs} }

// Date formats t as a date ("٢ مارس ٢٠٢٤").
func (b *Base) Date(t time.Time) string { return FormatDate(t, b.T, b.Digits, b.loc, false) }

// DateTime formats t as a date with its time of day and zone when known
// ("٢ مارس ٢٠٢٤، ٠٩:٣٠ GMT").
func (b *Base) DateTime(t time.Time) string {
	s := FormatDate(t, b.T, b.Digits, b.loc, true)
	if s != "" && hasClock(t) {
		s += " " + zoneLabel(t, b.loc)
	}
	return s
}

// Hijri formats t's day in the Umm al-Qura calendar, on Arabic pages only.
func (b *Base) Hijri(t time.Time) string {
	if b.T.Lang != "ar" {
		return ""
	}
	return FormatHijri(t, b.Digits, b.loc)
}

// Num formats n in the page's digits.
func (b *Base) Num(n int) string {
	s := strconv.Itoa(n)
	if b.Digits == DigitsArab {
		return ToArabicDigits(s)
	}
	return s
}

// List joins names with the interface language's comma.
func (b *Base) List(xs []string) string {
	if b.T.Lang == "ar" {
		return strings.Join(xs, "، ")
	}
	return strings.Join(xs, ", ")
}

// Here reports whether the page is at path p, for aria-current.
func (b *Base) Here(p string) bool {
	path, _, _ := strings.Cut(b.Path, "?")
	return path == p
}

// OtherLang is the code of the language the switch offers.
func (b *Base) OtherLang() string {
	if b.T.Lang == "ar" {
		return "en"
	}
	return "ar"
}

// SettingsURL returns the link that sets a preference and comes back here.
func (b *Base) SettingsURL(key, value string) string {
	return "/settings?" + url.Values{key: {value}, "next": {b.Path}}.Encode()
}

func (s *Server) newBase(r *http.Request, title string) Base {
	t := stringsAR
	lang := r.URL.Query().Get("lang")
	if lang == "" {
		if c, err := r.Cookie("lang"); err == nil {
			lang = c.Value
		}
	}
	if lang == "en" {
		t = stringsEN
	}
	digits := s.cfg.Digits
	if t.Lang != "ar" {
		digits = DigitsLatn
	}
	if c, err := r.Cookie("digits"); err == nil && (c.Value == DigitsArab || c.Value == DigitsLatn) {
		digits = c.Value
	}
	if v := r.URL.Query().Get("digits"); v == DigitsArab || v == DigitsLatn {
		digits = v
	}
	b := Base{T: t, Title: title, Path: r.URL.RequestURI(), CSS: s.cssPath, Digits: digits, loc: s.loc,
		CanLogin: s.cfg.CheckToken != nil, PageURL: s.absURL(r, r.URL.EscapedPath()), Description: t.Tagline}
	if t.Lang == "en" {
		b.outlets = s.englishOutletNames(r.Context())
	}
	if se, ok := s.session(r); ok {
		b.LoggedIn, b.Admin, b.CSRF = true, se.admin(), s.sess.csrf(se.value)
		if !se.admin() {
			b.Reader = se.user
			if u, err := s.cfg.Store.GetUser(r.Context(), se.user); err == nil {
				b.User = u.Name
			} else {
				// The account is gone (or unreadable): no reader state.
				b.LoggedIn, b.Reader, b.CSRF = false, 0, ""
			}
		}
	}
	return b
}

// OutletLabel is the name an outlet is shown by in the page's language:
// on English pages its English name, when its profile has one (name is
// the Arabic name or key it was stored with); else name.
func (b *Base) OutletLabel(name string) string {
	return b.outlets.english(name)
}

// outletRefs is refs with each outlet named as OutletLabel names it (a
// copy; refs is left as it is).
func (b *Base) outletRefs(refs []model.ArticleRef) []model.ArticleRef {
	if b.outlets == nil {
		return refs
	}
	out := slices.Clone(refs)
	for i := range out {
		out[i].Source = b.OutletLabel(out[i].Source)
	}
	return out
}

// LoginURL is the login page, coming back to this page after.
func (b *Base) LoginURL() string {
	return "/login?" + url.Values{"next": {b.Path}}.Encode()
}

func (b *Base) setFeeds(rss string) {
	b.FeedRSS = rss
	stem, q, _ := strings.Cut(rss, "?")
	stem = strings.TrimSuffix(stem, ".xml")
	if q != "" {
		q = "?" + q
	}
	b.FeedAtom, b.FeedJSON = stem+".atom"+q, stem+".json"+q
}

// Pager links the pages of a listing.
type Pager struct {
	Page, Pages int
	Prev, Next  string // "" at the ends
}

// pageParam reads ?page= (1-based); anything else than a positive number is page 1.
func pageParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

func newPager(r *http.Request, page, size, total int) Pager {
	p := Pager{Page: page, Pages: (total + size - 1) / size}
	link := func(n int) string {
		q := r.URL.Query()
		q.Del("page")
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return r.URL.Path
		}
		return r.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}

// Item is an article in a listing.
type Item struct {
	ID        int64
	Title     string
	Source    string
	Published time.Time
	Excerpt   string
	Language  string
	Versions  int // other versions in its story, 0 when unknown or alone
	StoryID   int64
}

func itemOf(a model.Article) Item {
	text := a.Text
	if text == "" {
		text = sanitize.Text(a.Summary)
	}
	when := a.Published
	if when.IsZero() {
		when = a.Fetched
	}
	return Item{ID: a.ID, Title: a.Title, Source: a.DisplaySource(), Published: when, Excerpt: plaintext.Excerpt(text, 180),
		Language: a.Language, StoryID: a.StoryID}
}

func itemsOf(as []model.Article) []Item {
	out := make([]Item, 0, len(as))
	for _, a := range as {
		out = append(out, itemOf(a))
	}
	return out
}

// StoryItem is a story on the home page.
type StoryItem struct {
	model.Story
	Others []model.ArticleRef // members after the first, at most three
}

type homePage struct {
	Base
	Stories  []StoryItem
	OneSided []oneSidedItem // stories whose coverage leans one way
	Items    []Item         // the latest articles, one per story
	Pager    Pager
	Tags     []Trend
	Entities []Trend
}

// oneSidedItem is a story whose coverage leans one way, on the home page.
type oneSidedItem struct {
	ID       int64
	Title    string
	Lean     string
	LastSeen time.Time
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := &homePage{Base: s.newBase(r, "")}
	p.JSONLD = siteLD(p.T.SiteName, s.absURL(r, "/"), s.absURL(r, "/search"))
	p.setFeeds("/feeds/latest.xml")
	page := pageParam(r)
	shown := map[int64]int{} // story id → number of articles, for stories on this page
	if page == 1 {
		stories, _, err := s.cfg.Store.ListStories(ctx, store.StoryFilter{Limit: 20, NoTotal: true})
		if err != nil {
			s.fail(w, r, fmt.Errorf("web: home stories: %w", err))
			return
		}
		for _, st := range stories {
			if st.Articles < 2 || len(p.Stories) == 6 {
				continue
			}
			si := StoryItem{Story: st}
			if len(st.Members) > 1 {
				si.Others = p.outletRefs(st.Members[1:min(len(st.Members), 4)])
			}
			p.Stories = append(p.Stories, si)
			shown[st.ID] = st.Articles
		}
		// Coverage that leans one way, beside the top stories.
		one, _, err := s.cfg.Store.ListStories(ctx, store.StoryFilter{OneSided: true, Limit: 5, NoTotal: true})
		if err != nil {
			s.fail(w, r, fmt.Errorf("web: home one-sided stories: %w", err))
			return
		}
		for _, st := range one {
			p.OneSided = append(p.OneSided, oneSidedItem{ID: st.ID, Title: st.Title, Lean: leanText(p.T, st), LastSeen: st.LastSeen})
		}
		// Trends help but are not the page: a failure is logged, not shown.
		if p.Tags, p.Entities, err = s.trends(ctx, 10); err != nil {
			s.log.Warn("web: trends failed", "err", err)
		}
	}
	as, total, err := s.cfg.Store.ListArticles(ctx, store.ArticleFilter{Limit: s.pageSize, Offset: (page - 1) * s.pageSize})
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: home articles: %w", err))
		return
	}
	// Group by story: one line per story, the newest version, with the
	// number of other versions when the story is known to have them.
	seen := map[int64]bool{}
	for _, a := range as {
		if a.StoryID != 0 {
			if seen[a.StoryID] {
				continue
			}
			seen[a.StoryID] = true
		}
		it := itemOf(a)
		if n := shown[a.StoryID]; n > 1 {
			it.Versions = n - 1
		}
		p.Items = append(p.Items, it)
	}
	p.Pager = newPager(r, page, s.pageSize, total)
	if page > 1 && len(as) == 0 {
		s.notFound(w, r)
		return
	}
	s.render(w, r, http.StatusOK, "home", p)
}

// EntityGroup is the entities of one type on an article page.
type EntityGroup struct {
	Label string
	Names []string
}

type articlePage struct {
	Base
	Article    model.Article
	Paragraphs []template.HTML // escaped by escapeText
	Groups     []EntityGroup
	Related    []model.ArticleRef // background: before the article or near it
	Later      []model.ArticleRef // later developments
	Story      *model.Story       // set when the story has other versions
	Others     []model.ArticleRef
	State      *ReaderState      // for a logged-in reader
	Original   *model.ArticleRef // what this article copies, when known
}

// articleOthers is how many other versions of its story an article page
// lists (the story page has them all).
const articleOthers = 5

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	s.busy.Add(1)
	defer s.busy.Add(-1)
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.notFound(w, r)
		return
	}
	a, err := s.cfg.Store.GetArticle(ctx, id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: article %d: %w", id, err))
		return
	}
	paras := paragraphs(a.Text)
	if len(paras) == 0 && a.Summary != "" {
		paras = paragraphs(sanitize.Text(a.Summary))
	}
	p := &articlePage{Base: s.newBase(r, a.Title), Article: a, Paragraphs: escapeParagraphs(paras)}
	p.Groups = groupEntities(a.Entities, p.T)
	p.State = s.readerState(r, &p.Base, a.ID)
	p.Description = describe(strings.Join(paras, " "))
	if p.Description == "" {
		p.Description = a.Title
	}
	p.OGType, p.Image = "article", a.Image
	p.JSONLD = articleLD(&a, p.PageURL, p.Outlet(), p.Description)
	// Related reading (a search, cached and time-boxed: see related.go)
	// runs beside the story lookup (the store).
	var wg sync.WaitGroup
	wg.Go(func() {
		refs, _ := s.related(ctx, a)
		for _, r := range refs {
			if r.Later {
				p.Later = append(p.Later, r)
			} else {
				p.Related = append(p.Related, r)
			}
		}
	})
	defer wg.Wait() // also on the early returns below: p is not shared after
	if a.StoryID != 0 {
		// The story's first versions, this one perhaps among them: not
		// the whole story, which can hold hundreds.
		st, err := s.cfg.Store.StoryPreview(ctx, a.StoryID, articleOthers+1)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			s.fail(w, r, fmt.Errorf("web: story of article %d: %w", id, err))
			return
		case st.Articles > 1:
			p.Story = &st
			for _, m := range st.Members {
				m.Source = p.OutletLabel(m.Source)
				if m.ID != a.ID && len(p.Others) < articleOthers {
					p.Others = append(p.Others, m)
				}
				if m.ID == a.DuplicateOf {
					p.Original = &m
				}
			}
		}
	}
	if a.DuplicateOf != 0 && p.Original == nil {
		// The original is not among the story's first versions.
		refs, err := s.cfg.Store.ArticleRefs(ctx, []int64{a.DuplicateOf})
		if err != nil {
			s.fail(w, r, fmt.Errorf("web: original of article %d: %w", id, err))
			return
		}
		if len(refs) == 1 {
			refs[0].Source = p.OutletLabel(refs[0].Source)
			p.Original = &refs[0]
		}
	}
	wg.Wait()
	s.renderCached(w, r, "article", pageKey{id: a.ID, page: 1, lang: p.T.Lang, digits: p.Digits}, p)
}

// storyDescription is the story's summary, or what the page is.
func storyDescription(st model.Story, t *Strings) string {
	if st.Details != nil && len(st.Details.Summary) > 0 {
		parts := make([]string, len(st.Details.Summary))
		for i, ss := range st.Details.Summary {
			parts[i] = ss.Text
		}
		return describe(strings.Join(parts, " "))
	}
	return describe(fmt.Sprintf(t.DescStory, st.Title))
}

// Outlet names the article's outlet: its source, its site, or its host.
func (p *articlePage) Outlet() string {
	switch {
	case p.Article.DisplaySource() != "":
		return p.OutletLabel(p.Article.DisplaySource())
	case p.Article.SiteName != "":
		return p.Article.SiteName
	}
	if u, err := url.Parse(p.Article.URL); err == nil && u.Host != "" {
		return u.Host
	}
	return p.Article.URL
}

func groupEntities(es []model.Entity, t *Strings) []EntityGroup {
	order := []struct{ typ, label string }{
		{model.EntityPerson, t.Persons}, {model.EntityPlace, t.Places}, {model.EntityOrg, t.Orgs}, {model.EntityMisc, t.Others},
	}
	var out []EntityGroup
	for _, o := range order {
		g := EntityGroup{Label: o.label}
		for _, e := range es {
			if e.Type == o.typ || (o.typ == model.EntityMisc && !knownType(e.Type)) {
				g.Names = append(g.Names, e.Name)
			}
		}
		if len(g.Names) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func knownType(t string) bool {
	return t == model.EntityPerson || t == model.EntityPlace || t == model.EntityOrg
}

// paragraphs splits plain text into its paragraphs: blank-line separated,
// or line separated when the text has no blank lines.
func paragraphs(text string) []string {
	sep := "\n\n"
	if !strings.Contains(text, sep) {
		sep = "\n"
	}
	var out []string
	for _, p := range strings.Split(text, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// escapeParagraphs escapes the paragraphs of an article body for the
// page's text context. html/template would escape them the same way, but
// it decodes the text rune by rune, and an Arabic body is almost all
// multi-byte runes: escaping was the costliest part of rendering a page.
func escapeParagraphs(ps []string) []template.HTML {
	out := make([]template.HTML, len(ps))
	for i, p := range ps {
		out[i] = escapeText(p)
	}
	return out
}

// escapeText escapes s for an HTML text node exactly as html/template's
// escaper does there (FuzzEscapeText checks they agree): the bytes
// it replaces are all ASCII, and no byte of a multi-byte UTF-8 sequence is
// ASCII, so it works on bytes and copies runs of other bytes whole.
func escapeText(s string) template.HTML {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s) + len(s)/8)
		}
		b.WriteString(s[last:i])
		b.WriteString(repl)
		last = i + 1
	}
	if last == 0 {
		return template.HTML(s)
	}
	b.WriteString(s[last:])
	return template.HTML(b.String())
}

// safeSnippet re-checks a search snippet: text is escaped anew and the
// only markup kept is <mark>, so a searcher bug cannot inject HTML.
func safeSnippet(s string) template.HTML {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	open := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			for ; open > 0; open-- {
				b.WriteString("</mark>")
			}
			return template.HTML(b.String())
		case html.TextToken:
			b.WriteString(html.EscapeString(string(z.Text())))
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "mark" {
				b.WriteString("<mark>")
				open++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "mark" && open > 0 {
				b.WriteString("</mark>")
				open--
			}
		}
	}
}

// maxQuery is the longest query accepted, in characters.
const maxQuery = 500

type searchPage struct {
	Base
	Results []search.Result
	Total   int
	Pager   Pager
	Filters FilterForm
	Error   string
	Partial bool // the results match some of the words only
	Shown   int  // Total, or the partial matches when Partial
	// QS is the query and filters as a URL query, for the explore and
	// export links.
	QS string
	// Follow saves the search as the reader's (a logged-in reader only).
	Follow *FollowButton
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := &searchPage{Base: s.newBase(r, "")}
	p.Title = p.T.Search
	p.Query = q
	if q != "" {
		p.Follow = s.followButton(r, &p.Base, model.FollowSearch, 0, q)
	}
	if q != "" {
		p.Description = fmt.Sprintf(p.T.DescSearch, q)
		p.PageURL = s.absURL(r, "/search?"+url.Values{"q": {q}}.Encode())
	}
	ff, filter, _, bad, err := s.parseFilterForm(ctx, r, p.T)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: search: %w", err))
		return
	}
	p.Filters = ff
	p.QS = url.Values{"q": {q}}.Encode()
	if ff.Encoded != "" {
		p.QS += "&" + ff.Encoded
	}
	if q == "" {
		s.render(w, r, http.StatusOK, "search", p)
		return
	}
	p.Title = q + " - " + p.T.Search
	if utf8.RuneCountInString(q) > maxQuery {
		p.Error = p.T.QueryTooLong
		s.render(w, r, http.StatusBadRequest, "search", p)
		return
	}
	if bad != "" {
		p.Error = bad
		s.render(w, r, http.StatusBadRequest, "search", p)
		return
	}
	req := search.Request{Query: q, Limit: 20, AllowPartial: true, Filter: filter}
	page := pageParam(r)
	req.Offset = (page - 1) * req.Limit
	res, err := s.cfg.Search.Search(ctx, req)
	if errors.Is(err, store.ErrInvalid) {
		p.Error = p.T.InvalidQuery + " (" + err.Error() + ")"
		s.render(w, r, http.StatusBadRequest, "search", p)
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: search %q: %w", q, err))
		return
	}
	p.Results, p.Total, p.Partial = res.Results, res.Total, res.Partial
	shown := res.Total
	if res.Partial {
		shown = res.PartialTotal
	}
	p.Shown = shown
	p.Pager = newPager(r, page, req.Limit, shown)
	p.setFeeds("/feeds/search.xml?" + p.QS)
	s.render(w, r, http.StatusOK, "search", p)
}

type sourcesPage struct {
	Base
	Sources  []model.Source
	Activity map[int64]Activity
	Failing  int
	Notice   *Notice
}

func (s *Server) sources(w http.ResponseWriter, r *http.Request) {
	s.sourcesWith(w, r, http.StatusOK, nil)
}

// sourcesWith renders the sources page with the outcome of a form.
func (s *Server) sourcesWith(w http.ResponseWriter, r *http.Request, status int, n *Notice) {
	srcs, err := s.cfg.Store.ListSources(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: sources: %w", err))
		return
	}
	p := &sourcesPage{Base: s.newBase(r, ""), Sources: srcs, Notice: n}
	p.Title = p.T.Sources
	p.Path = "/sources"
	p.Description = p.T.DescSources
	ids := make([]int64, 0, len(srcs))
	for _, x := range srcs {
		ids = append(ids, x.ID)
	}
	if p.Activity, err = s.activity(r.Context(), ids); err != nil {
		s.log.Warn("web: source activity failed", "err", err)
	}
	for _, x := range srcs {
		if x.LastError != "" {
			p.Failing++
		}
	}
	s.render(w, r, status, "sources", p)
}

type listPage struct {
	Base
	Heading  string
	Kind     string // the heading's label: tag, entity ...
	Items    []Item
	Total    int
	Pager    Pager
	Source   *model.Source
	Entity   *store.EntityInfo
	TypeName string
	Follow   *FollowButton // for a logged-in reader
}

func (s *Server) listing(w http.ResponseWriter, r *http.Request, p *listPage, f store.ArticleFilter) bool {
	page := pageParam(r)
	f.Limit, f.Offset = s.pageSize, (page-1)*s.pageSize
	as, total, err := s.cfg.Store.ListArticles(r.Context(), f)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: list articles: %w", err))
		return false
	}
	p.Items, p.Total, p.Pager = itemsOf(as), total, newPager(r, page, s.pageSize, total)
	return true
}

func (s *Server) tag(w http.ResponseWriter, r *http.Request) {
	tag := strings.TrimSpace(r.PathValue("tag"))
	p := &listPage{Base: s.newBase(r, tag), Heading: tag}
	p.Kind = p.T.Tag
	p.Follow = s.followButton(r, &p.Base, model.FollowTag, 0, tag)
	p.Description = fmt.Sprintf(p.T.DescAbout, tag)
	p.setFeeds("/feeds/tags/" + url.PathEscape(tag) + ".xml")
	if !s.listing(w, r, p, store.ArticleFilter{Tag: tag}) {
		return
	}
	status := http.StatusOK
	if p.Total == 0 {
		// The page still renders (with its empty state) but says the tag is unknown.
		status = http.StatusNotFound
	}
	s.render(w, r, status, "list", p)
}

func (s *Server) entity(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PathValue("name"))
	info, err := s.cfg.Store.GetEntity(r.Context(), name)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: entity %q: %w", name, err))
		return
	}
	if len(info.Related) > 15 {
		info.Related = info.Related[:15]
	}
	p := &listPage{Base: s.newBase(r, info.Name), Heading: info.Name, Entity: &info}
	p.Kind = p.T.Entity
	p.Follow = s.followButton(r, &p.Base, model.FollowName, 0, info.Name)
	p.Description = fmt.Sprintf(p.T.DescAbout, info.Name)
	for _, g := range groupEntities([]model.Entity{{Name: info.Name, Type: info.Type}}, p.T) {
		p.TypeName = g.Label
	}
	p.setFeeds("/feeds/entities/" + url.PathEscape(info.Name) + ".xml")
	if !s.listing(w, r, p, store.ArticleFilter{Entity: info.Name}) {
		return
	}
	s.render(w, r, http.StatusOK, "list", p)
}

func (s *Server) source(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.notFound(w, r)
		return
	}
	src, err := s.cfg.Store.GetSource(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: source %d: %w", id, err))
		return
	}
	p := &listPage{Base: s.newBase(r, ""), Source: &src}
	title := p.OutletLabel(src.DisplayName())
	p.Title, p.Heading = title, title
	p.Kind = p.T.Source
	p.Follow = s.followButton(r, &p.Base, model.FollowSource, id, "")
	p.Description = fmt.Sprintf(p.T.DescAbout, title)
	p.setFeeds(fmt.Sprintf("/feeds/sources/%d.xml", id))
	if !s.listing(w, r, p, store.ArticleFilter{SourceID: id}) {
		return
	}
	s.render(w, r, http.StatusOK, "list", p)
}

// storyPageSize is how many versions a story page lists.
const storyPageSize = 50

type storyPage struct {
	Base
	Story    model.Story
	Details  model.StoryDetails
	Members  []model.ArticleRef // this page's versions, earliest first
	Pager    Pager
	Timeline *timelineSVG
}

// KindName is an outlet kind in the reader's language.
func (p *storyPage) KindName(kind string) string { return kindName(p.T, kind) }

func kindName(t *Strings, kind string) string {
	switch kind {
	case model.OutletWire:
		return t.KindWire
	case model.OutletState:
		return t.KindState
	case model.OutletPublic:
		return t.KindPublic
	case model.OutletPrivate:
		return t.KindPrivate
	}
	return ""
}

func (s *Server) story(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.notFound(w, r)
		return
	}
	// The details were computed when the story last changed; a story read
	// before its refresh gets them computed now, once.
	st, err := storyinfo.Story(r.Context(), s.cfg.Store, id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: story %d: %w", id, err))
		return
	}
	p := &storyPage{Base: s.newBase(r, st.Title), Story: st}
	p.Description = storyDescription(st, p.T)
	// What the story is goes on its first page; later pages list versions.
	if st.Details != nil && pageParam(r) == 1 {
		p.Details = *st.Details
		ev := slices.Clone(p.Details.Timeline)
		for i := range ev {
			ev[i].Source = p.OutletLabel(ev[i].Source)
		}
		p.Timeline = newTimeline(ev, p.DateTime, p.T.UpdateLabel)
	}
	p.setFeeds(fmt.Sprintf("/feeds/stories/%d.xml", id))
	// A story can grow large; its versions are paged like any listing.
	page := pageParam(r)
	p.Pager = newPager(r, page, storyPageSize, len(st.Members))
	if from := (page - 1) * storyPageSize; from < len(st.Members) {
		p.Members = st.Members[from:min(len(st.Members), from+storyPageSize)]
	} else if page > 1 {
		s.notFound(w, r)
		return
	}
	// Kept while its data stays the same: a story changes far less often
	// than it is read.
	s.renderCached(w, r, "story", pageKey{id: id, page: page, lang: p.T.Lang, digits: p.Digits}, p)
}

type errorPage struct{ Base }
