package extract

import (
	"net/url"
	"strings"
	"unicode/utf8"

	trafilatura "github.com/markusmobius/go-trafilatura"
)

// resolve makes ref absolute against base; it returns "" for references
// that are not http(s) URLs once resolved.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if !u.IsAbs() {
		if strings.HasPrefix(ref, "//") {
			u.Scheme = "https"
		} else {
			return ""
		}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

// canonicalURL prefers link rel=canonical, then og:url, then JSON-LD, then
// the page URL. A canonical that points at a site's home page from an
// article page is a common template mistake and is ignored.
func canonicalURL(p *pageInfo, base *url.URL) string {
	for _, c := range []string{p.canonical, p.meta("og:url"), p.ld.url} {
		abs := resolve(base, c)
		if abs == "" {
			continue
		}
		if base != nil {
			u, _ := url.Parse(abs)
			if (u.Path == "" || u.Path == "/") && u.RawQuery == "" && len(strings.Trim(base.Path, "/")) > 0 {
				continue
			}
		}
		return abs
	}
	if base != nil {
		u := *base
		u.Fragment = ""
		return u.String()
	}
	return ""
}

func siteName(p *pageInfo, meta trafilatura.Metadata, canonical string) string {
	if s := firstNonEmpty(p.meta("og:site_name"), p.ld.publisher, p.ld.siteName,
		p.meta("application-name"), p.meta("al:android:app_name"), meta.Sitename); s != "" {
		return s
	}
	if u, err := url.Parse(canonical); err == nil && u.Hostname() != "" {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return ""
}

// titleSeparators split a title from the site name around it. Arabic
// sites also use the tatweel-like dash "ـ" and guillemets.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " » ", " « ", " • ", " ـ ", " · ", " / ", " ~ ", "|"}

// cleanTitle picks the article title and strips the site name around it.
func cleanTitle(p *pageInfo, meta trafilatura.Metadata, site, canonical string) string {
	raw := firstNonEmpty(p.meta("og:title"), p.ld.headline, p.meta("twitter:title"), p.title, meta.Title)
	if raw == "" && len(p.h1) > 0 {
		raw = p.h1[0]
	}
	raw = collapseSpace(raw)
	// An h1 that the title contains is the headline without decoration.
	for _, h := range p.h1 {
		if utf8.RuneCountInString(h) >= 10 && h != raw && strings.Contains(raw, h) {
			return h
		}
	}
	host := ""
	if u, err := url.Parse(canonical); err == nil {
		host = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return stripSiteName(raw, site, host)
}

// stripSiteName removes a leading or trailing segment that names the site.
func stripSiteName(title, site, host string) string {
	for _, sep := range titleSeparators {
		i := strings.LastIndex(title, sep)
		if i > 0 {
			head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(sep):])
			if namesSite(tail, site, host) && wordCount(head) >= 2 {
				return stripSiteName(head, site, host)
			}
			// A pipe almost always separates the site's name, even one
			// we cannot recognise.
			if strings.TrimSpace(sep) == "|" && wordCount(tail) <= 4 && wordCount(head) >= 4 {
				return stripSiteName(head, site, host)
			}
		}
		j := strings.Index(title, sep)
		if j > 0 {
			head, tail := strings.TrimSpace(title[:j]), strings.TrimSpace(title[j+len(sep):])
			if namesSite(head, site, host) && wordCount(tail) >= 2 {
				return stripSiteName(tail, site, host)
			}
		}
	}
	return title
}

// namesSite tells whether a title segment is the site's name: it matches
// the site name or the host, or it is a short segment sharing a word with
// either (as in "الجزيرة نت" for aljazeera.net, "CNN Arabic" for cnn.com).
func namesSite(seg, site, host string) bool {
	s := strings.ToLower(collapseSpace(seg))
	if s == "" {
		return false
	}
	site = strings.ToLower(site)
	if site != "" && (s == site || strings.Contains(s, site) || (strings.Contains(site, s) && wordCount(s) <= 4)) {
		return true
	}
	if host != "" && (s == host || strings.Contains(s, host)) {
		return true
	}
	if wordCount(s) > 4 {
		return false
	}
	hostWords := map[string]bool{}
	if host != "" {
		labels := strings.Split(host, ".")
		for _, l := range labels[:max(1, len(labels)-1)] {
			if len(l) >= 3 {
				hostWords[l] = true
			}
		}
	}
	for _, w := range strings.Fields(s) {
		w = strings.Trim(w, ".,:;!?()[]«»\"'")
		if hostWords[w] {
			return true
		}
		for hw := range hostWords {
			if len(w) >= 3 && strings.Contains(hw, w) {
				return true
			}
		}
		if site != "" && utf8.RuneCountInString(w) >= 3 && containsWord(site, w) {
			return true
		}
	}
	return false
}

func containsWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
		if f == w {
			return true
		}
	}
	return false
}

func wordCount(s string) int { return len(strings.Fields(s)) }

// authors gathers the article's authors: JSON-LD first, then meta tags,
// then go-trafilatura's byline.
func authors(p *pageInfo, meta trafilatura.Metadata) []string {
	var cands []string
	cands = append(cands, p.ld.authors...)
	if len(cands) == 0 {
		for _, k := range []string{"author", "article:author", "dc.creator", "sailthru.author", "parsely-author", "byl"} {
			for _, v := range p.metas[k] {
				if !strings.Contains(v, "://") {
					cands = append(cands, v)
				}
			}
			if len(cands) > 0 {
				break
			}
		}
	}
	if len(cands) == 0 && meta.Author != "" {
		cands = strings.Split(meta.Author, ";")
	}
	var out []string
	seen := map[string]bool{}
	for _, c := range cands {
		c = collapseSpace(c)
		for _, prefix := range []string{"بقلم:", "بقلم", "كتب:", "By ", "by "} {
			c = strings.TrimSpace(strings.TrimPrefix(c, prefix))
		}
		if c == "" || utf8.RuneCountInString(c) > 80 || seen[strings.ToLower(c)] {
			continue
		}
		seen[strings.ToLower(c)] = true
		out = append(out, c)
	}
	return out
}

func leadImage(p *pageInfo, meta trafilatura.Metadata, base *url.URL) string {
	for _, c := range []string{p.meta("og:image:secure_url"), p.meta("og:image"), p.meta("og:image:url"),
		p.meta("twitter:image"), p.meta("twitter:image:src"), p.ld.image, p.imageSrc, meta.Image} {
		if abs := resolve(base, c); abs != "" {
			return abs
		}
	}
	return ""
}

func metaKeywords(p *pageInfo) []string {
	var out []string
	seen := map[string]bool{}
	add := func(list []string) {
		for _, k := range list {
			key := strings.ToLower(k)
			if k == "" || seen[key] || utf8.RuneCountInString(k) > 100 {
				continue
			}
			seen[key] = true
			out = append(out, k)
		}
	}
	for _, key := range []string{"keywords", "news_keywords"} {
		for _, v := range p.metas[key] {
			add(splitList(v))
		}
	}
	for _, v := range p.metas["article:tag"] {
		add(splitList(v))
	}
	add(p.ld.keywords)
	return out
}

// language prefers what the page declares and falls back to the text.
func language(p *pageInfo, text string) string {
	for _, c := range []string{p.lang, p.meta("content-language"), p.meta("og:locale"),
		p.meta("dc.language"), p.meta("language"), p.ld.inLanguage} {
		if l := isoLanguage(c); l != "" {
			return l
		}
	}
	return detectLanguage(text)
}

// isoLanguage reduces a language tag such as "ar-SA", "ar_AR" or "AR" to its
// ISO 639-1 code; it returns "" for anything else.
func isoLanguage(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, ",; "); i >= 0 {
		tag = tag[:i]
	}
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if tag == "ckb" {
		return tag
	}
	if len(tag) != 2 || tag[0] < 'a' || tag[0] > 'z' || tag[1] < 'a' || tag[1] > 'z' {
		return ""
	}
	return tag
}
