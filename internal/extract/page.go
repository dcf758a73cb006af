package extract

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageInfo is what one walk over the untouched document collects for the
// metadata: meta tags, links, JSON-LD, <time> elements and the short
// visible lines where dates and credits are written.
type pageInfo struct {
	lang      string
	title     string
	h1        []string
	canonical string
	imageSrc  string
	metas     map[string][]string // lower-cased name/property/itemprop/http-equiv → contents
	ld        ldInfo
	times     []timeTag
	lines     []string // visible text of block elements, in document order, short ones only
	h1Line    int      // index in lines of the first headline, -1 without one
	pRunes    int      // letters and digits inside <p> elements in the body
}

type timeTag struct {
	datetime string
	text     string
	itemprop string
	class    string
	pubdate  bool
}

// meta returns the first content of a meta key.
func (p *pageInfo) meta(key string) string {
	if v := p.metas[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// maxLineRunes bounds the visible lines kept: dates, bylines and credits
// sit in short lines, and keeping paragraphs would only cost memory.
const maxLineRunes = 200

// inline elements do not break a visible line.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true, atom.Cite: true,
	atom.Code: true, atom.Em: true, atom.Font: true, atom.I: true, atom.Label: true, atom.Mark: true,
	atom.Q: true, atom.S: true, atom.Small: true, atom.Span: true, atom.Strong: true, atom.Sub: true,
	atom.Sup: true, atom.Time: true, atom.U: true, atom.Data: true,
}

// skipped elements hold no visible text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Iframe: true, atom.Object: true, atom.Select: true, atom.Option: true,
}

func scanPage(doc *html.Node) *pageInfo {
	p := &pageInfo{metas: map[string][]string{}, h1Line: -1}
	var line strings.Builder
	flush := func() {
		s := collapseSpace(line.String())
		line.Reset()
		if s != "" && utf8.RuneCountInString(s) <= maxLineRunes {
			p.lines = append(p.lines, s)
		}
	}
	var ldScripts []string
	var walk func(n *html.Node, inBody bool)
	walk = func(n *html.Node, inBody bool) {
		switch n.Type {
		case html.TextNode:
			if inBody && line.Len() < 4*maxLineRunes {
				line.WriteString(n.Data)
			}
			return
		case html.ElementNode:
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c, inBody)
			}
			return
		}
		switch n.DataAtom {
		case atom.Html:
			if p.lang == "" {
				p.lang = attr(n, "lang")
			}
			if p.lang == "" {
				p.lang = attr(n, "xml:lang")
			}
		case atom.Title:
			if p.title == "" {
				p.title = collapseSpace(textOf(n))
			}
			return
		case atom.Meta:
			content := strings.TrimSpace(attr(n, "content"))
			if content == "" {
				return
			}
			for _, k := range []string{"name", "property", "itemprop", "http-equiv"} {
				if key := strings.ToLower(strings.TrimSpace(attr(n, k))); key != "" {
					p.metas[key] = append(p.metas[key], content)
				}
			}
			return
		case atom.Link:
			rel := strings.ToLower(attr(n, "rel"))
			for _, r := range strings.Fields(rel) {
				switch r {
				case "canonical":
					if p.canonical == "" {
						p.canonical = strings.TrimSpace(attr(n, "href"))
					}
				case "image_src":
					if p.imageSrc == "" {
						p.imageSrc = strings.TrimSpace(attr(n, "href"))
					}
				}
			}
			return
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
				ldScripts = append(ldScripts, textOf(n))
			}
			return
		case atom.Body:
			inBody = true
		case atom.H1:
			if s := collapseSpace(textOf(n)); s != "" {
				p.h1 = append(p.h1, s)
				if p.h1Line < 0 {
					flush()
					p.h1Line = len(p.lines)
				}
			}
		case atom.P:
			// The HTML parser never nests paragraphs, so none is counted twice.
			if inBody {
				p.pRunes += wordRunes(textOf(n))
			}
		case atom.Time:
			_, hasPub := attrOK(n, "pubdate")
			p.times = append(p.times, timeTag{
				datetime: strings.TrimSpace(attr(n, "datetime")),
				text:     collapseSpace(textOf(n)),
				itemprop: strings.ToLower(attr(n, "itemprop")),
				class:    strings.ToLower(attr(n, "class")),
				pubdate:  hasPub,
			})
		}
		if skipped[n.DataAtom] {
			return
		}
		block := !inline[n.DataAtom]
		if block {
			flush()
		}
		if n.DataAtom == atom.Br {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inBody)
		}
		if block {
			flush()
		}
	}
	walk(doc, false)
	flush()
	p.ld = parseLD(ldScripts)
	return p
}

// wordRunes counts the letters and digits of s.
func wordRunes(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// textOf concatenates the text below n, scripts and styles excluded.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			return
		}
		if n.Type == html.ElementNode && skipped[n.DataAtom] && n.DataAtom != atom.Script {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// collapseSpace trims s and folds every run of white space (including
// no-break spaces, zero-width spaces and stray byte-order marks) into one
// space.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\ufeff' || r == '\u200b' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ldInfo is what the page's JSON-LD says about its article.
type ldInfo struct {
	headline      string
	description   string
	datePublished string
	dateModified  string
	authors       []string
	image         string
	publisher     string
	siteName      string
	keywords      []string
	url           string
	inLanguage    string
}

var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenewsarticle": true, "analysisnewsarticle": true,
	"opinionnewsarticle": true, "backgroundnewsarticle": true, "reviewnewsarticle": true,
	"blogposting": true, "liveblogposting": true, "socialmediaposting": true, "scholarlyarticle": true,
	"techarticle": true, "report": true, "posting": true,
}

var pageTypes = map[string]bool{"webpage": true, "itempage": true, "collectionpage": true}

var orgTypes = map[string]bool{"organization": true, "newsmediaorganization": true, "website": true, "corporation": true}

func parseLD(scripts []string) ldInfo {
	var roots []any
	for _, s := range scripts {
		s = strings.TrimSpace(s)
		s = strings.TrimPrefix(s, "<!--")
		s = strings.TrimSuffix(s, "-->")
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			// Raw newlines and tabs inside strings are the commonest
			// breakage; JSON allows neither.
			repaired := strings.Map(func(r rune) rune {
				if r < 0x20 {
					return ' '
				}
				return r
			}, s)
			if json.Unmarshal([]byte(repaired), &v) != nil {
				continue
			}
		}
		roots = append(roots, v)
	}
	// Breadth first, so that the page's own article wins over articles
	// nested in lists of related items.
	var article, webpage map[string]any
	var orgName, siteName string
	queue := roots
	for len(queue) > 0 && len(queue) < 10000 {
		v := queue[0]
		queue = queue[1:]
		switch x := v.(type) {
		case []any:
			queue = append(queue, x...)
		case map[string]any:
			types := ldTypes(x["@type"])
			for _, t := range types {
				switch {
				case articleTypes[t] && article == nil:
					article = x
				case pageTypes[t] && webpage == nil:
					webpage = x
				case t == "website" && siteName == "":
					siteName = ldString(x["name"])
				case orgTypes[t] && orgName == "":
					orgName = ldString(x["name"])
				}
			}
			for k, c := range x {
				switch c.(type) {
				case []any, map[string]any:
					if k != "@context" {
						queue = append(queue, c)
					}
				}
			}
		}
	}
	var info ldInfo
	main := article
	if main == nil {
		main = webpage
	}
	if main == nil {
		info.publisher = orgName
		info.siteName = siteName
		return info
	}
	info.headline = firstNonEmpty(ldString(main["headline"]), ldString(main["name"]))
	info.description = ldString(main["description"])
	info.datePublished = ldString(main["datePublished"])
	info.dateModified = ldString(main["dateModified"])
	if info.datePublished == "" {
		info.datePublished = ldString(main["dateCreated"])
	}
	if webpage != nil && article != nil {
		if info.datePublished == "" {
			info.datePublished = ldString(webpage["datePublished"])
		}
		if info.dateModified == "" {
			info.dateModified = ldString(webpage["dateModified"])
		}
	}
	info.authors = ldNames(main["author"])
	if len(info.authors) == 0 {
		info.authors = ldNames(main["creator"])
	}
	info.image = ldImage(main["image"])
	if info.image == "" {
		info.image = ldImage(main["thumbnailUrl"])
	}
	if pub := ldNames(main["publisher"]); len(pub) > 0 {
		info.publisher = pub[0]
	} else {
		info.publisher = orgName
	}
	info.siteName = siteName
	switch k := main["keywords"].(type) {
	case string:
		info.keywords = splitList(k)
	case []any:
		for _, e := range k {
			if s := ldString(e); s != "" {
				info.keywords = append(info.keywords, s)
			}
		}
	}
	info.url = ldString(main["url"])
	if info.url == "" {
		switch m := main["mainEntityOfPage"].(type) {
		case string:
			info.url = m
		case map[string]any:
			info.url = firstNonEmpty(ldString(m["@id"]), ldString(m["url"]))
		}
	}
	info.inLanguage = ldString(main["inLanguage"])
	return info
}

func ldTypes(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{strings.ToLower(t)}
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, strings.ToLower(s))
			}
		}
		return out
	}
	return nil
}

func ldString(v any) string {
	switch t := v.(type) {
	case string:
		return collapseSpace(t)
	case []any:
		if len(t) > 0 {
			return ldString(t[0])
		}
	case map[string]any:
		if s, ok := t["@value"].(string); ok {
			return collapseSpace(s)
		}
	}
	return ""
}

// ldNames reads a person or organization: a string, an object with a name,
// or a list of either.
func ldNames(v any) []string {
	switch t := v.(type) {
	case string:
		if s := collapseSpace(t); s != "" && !strings.Contains(s, "://") {
			return []string{s}
		}
	case map[string]any:
		if s := ldString(t["name"]); s != "" {
			return []string{s}
		}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, ldNames(e)...)
		}
		return out
	}
	return nil
}

func ldImage(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case map[string]any:
		return firstNonEmpty(ldString(t["url"]), ldString(t["contentUrl"]), ldString(t["@id"]))
	case []any:
		for _, e := range t {
			if s := ldImage(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// splitList splits a keyword list on Latin and Arabic commas and semicolons.
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '،' || r == ';' || r == '؛'
	})
	var out []string
	for _, p := range parts {
		if p = collapseSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
