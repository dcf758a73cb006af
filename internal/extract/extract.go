// Package extract turns one article page's HTML into an article: body text
// with its paragraphs, the main content HTML, title, authors, dates,
// language, lead image, site name, canonical URL, keywords and the news
// agency the text credits.
//
// The body comes from go-trafilatura (with its readability and dom-distiller
// fallbacks); this package adds what Arabic news pages need around it:
// boilerplate blocks labelled in Arabic ("الأكثر قراءة", "اقرأ أيضاً",
// "كلمات دلالية" ...) are pruned before extraction, titles lose Arabic site
// suffixes, dates are read from metadata and from visible Arabic text, and
// datelines such as "الرياض - واس" or "(أ ف ب)" name the agency.
//
// Extract is pure (no I/O) and safe for concurrent use.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// Options tunes an extraction.
type Options struct {
	// Now anchors relative dates such as "منذ ساعتين"; zero means time.Now().
	Now time.Time
	// Location is the zone of dates that name none; nil means UTC.
	Location *time.Location
}

// Result is one extracted article.
type Result struct {
	URL         string // canonical URL, absolute; the page URL when the page names none
	Title       string
	Text        string // plain text, paragraphs joined by "\n\n"
	HTML        string // main content HTML, unsanitized
	Description string
	Authors     []string
	Published   time.Time // zero when unknown
	Modified    time.Time // zero when unknown
	Language    string    // ISO 639-1
	Image       string    // absolute URL of the lead image
	SiteName    string
	Agency      string // news agency credited by the text, e.g. "واس"
	// MetaKeywords are the page's own keywords and tags.
	MetaKeywords []string
}

// ErrEmpty is returned for an empty or whitespace-only page.
var ErrEmpty = errors.New("extract: empty page")

// maxPageBytes bounds the HTML Extract accepts; larger pages are not
// articles and would only cost time.
const maxPageBytes = 16 << 20

// Extract reads one article page. pageURL is the address the page was
// fetched from (it may be empty); relative links resolve against it.
func Extract(page []byte, pageURL string, opts Options) (res *Result, err error) {
	if len(bytes.TrimSpace(page)) == 0 {
		return nil, ErrEmpty
	}
	if len(page) > maxPageBytes {
		return nil, fmt.Errorf("extract: page of %d bytes exceeds the %d byte limit", len(page), maxPageBytes)
	}
	var base *url.URL
	if pageURL != "" {
		base, err = url.Parse(pageURL)
		if err != nil {
			return nil, fmt.Errorf("extract: page url: %w", err)
		}
		if !base.IsAbs() {
			return nil, fmt.Errorf("extract: page url %q is not absolute", pageURL)
		}
	}
	opts = opts.withDefaults()
	// go-trafilatura and its fallbacks are large; a panic deep inside them
	// on a hostile page must not take the crawler down.
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("extract: extractor panic: %v", r)
		}
	}()
	doc, err := parseHTML(page)
	if err != nil {
		return nil, err
	}
	return extractDoc(doc, base, opts, defaultConfig), nil
}

func (o Options) withDefaults() Options {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	return o
}

func parseHTML(page []byte) (*html.Node, error) {
	if !utf8.Valid(page) {
		page = bytes.ToValidUTF8(page, []byte("\uFFFD"))
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("extract: parse html: %w", err)
	}
	return doc, nil
}

// config switches the Arabic-specific additions on and off, so that each
// one can be measured against plain go-trafilatura.
type config struct {
	prune      bool // remove labelled boilerplate blocks before extraction
	trimText   bool // drop boilerplate paragraphs after extraction
	ownText    bool // render paragraphs from the content tree
	fallback   bool // go-trafilatura's readability/dom-distiller fallback
	visibleDay bool // dates from visible text
	dropTitle  bool // drop a first paragraph that repeats the title
	guarded    bool // readability fallback, taken only when it extends the text
}

var defaultConfig = config{prune: true, trimText: true, ownText: true, fallback: false, visibleDay: true, guarded: true}

// guardedBelow is the text length under which the guarded fallback is
// tried; longer texts are rarely truncated and the fallback costs time.
const guardedBelow = 6000

// plainConfig is go-trafilatura as its benchmark runs it, for comparison.
var plainConfig = config{fallback: true}

func extractDoc(doc *html.Node, base *url.URL, opts Options, cfg config) *Result {
	page := scanPage(doc)
	res := &Result{}

	if cfg.prune {
		pruneBoilerplate(doc)
	}
	topts := trafilatura.Options{
		EnableFallback:  cfg.fallback,
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Disabled,
		OriginalURL:     base,
	}
	tr, terr := trafilatura.ExtractDocument(doc, topts)
	var meta trafilatura.Metadata
	if terr == nil && tr != nil {
		meta = tr.Metadata
		if tr.ContentNode != nil {
			if cfg.ownText {
				res.Text = nodeText(tr.ContentNode)
			} else {
				res.Text = tr.ContentText
			}
			var buf bytes.Buffer
			if html.Render(&buf, tr.ContentNode) == nil {
				res.HTML = buf.String()
			}
		}
	}
	// The fallback is tried only where the page's paragraphs hold much
	// more text than was extracted: a truncated article.
	if own := wordRunes(res.Text); cfg.guarded && own < guardedBelow && (own == 0 || 2*own < page.pRunes) {
		if text, h, ok := guardedFallback(doc, base, res.Text); ok {
			res.Text, res.HTML = text, h
		}
	}
	if cfg.trimText {
		res.Text = trimBoilerplateParagraphs(res.Text)
	}

	res.URL = canonicalURL(page, base)
	res.SiteName = siteName(page, meta, res.URL)
	res.Title = cleanTitle(page, meta, res.SiteName, res.URL)
	if cfg.dropTitle {
		res.Text = dropLeadingTitle(res.Text, res.Title, page.h1)
	}
	res.Description = firstNonEmpty(page.meta("og:description"), page.meta("description"),
		page.meta("twitter:description"), page.ld.description, meta.Description)
	res.Authors = authors(page, meta)
	res.Image = leadImage(page, meta, base)
	res.MetaKeywords = metaKeywords(page)
	res.Language = language(page, res.Text)
	res.Published, res.Modified = pageDates(page, res.URL, opts, cfg)
	res.Agency = agency(res.Text, page)
	return res
}

// dropLeadingTitle removes a first paragraph that repeats the headline.
func dropLeadingTitle(text, title string, h1 []string) string {
	first, rest, _ := strings.Cut(text, "\n\n")
	if first == "" || rest == "" {
		return text
	}
	if first == title {
		return rest
	}
	for _, h := range h1 {
		if first == h {
			return rest
		}
	}
	return text
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
