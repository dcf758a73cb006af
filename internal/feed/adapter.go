package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

// parseGofeed reads RSS, Atom or JSON Feed data with gofeed and adapts the
// result. The format was already detected by Parse; gofeed detects again,
// which costs a peek at 4 KiB.
func parseGofeed(data []byte, feedURL string, format Format) (*Feed, error) {
	p := gofeed.NewParser()
	gf, err := p.Parse(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, fmt.Errorf("%w: %s-like document not recognised", ErrUnknownFormat, format)
		}
		if format == FormatJSON {
			return nil, fmt.Errorf("feed: malformed JSON feed: %w", err)
		}
		return nil, fmt.Errorf("feed: malformed XML in %s feed: %w", format, err)
	}
	base := parseBase(feedURL)
	f := &Feed{
		Title:    cleanText(gf.Title),
		Language: strings.TrimSpace(gf.Language),
		Format:   format,
		SiteURL:  resolve(base, gf.Link),
		Items:    make([]Item, 0, len(gf.Items)),
	}
	if f.SiteURL == "" && base != nil {
		f.SiteURL = (&url.URL{Scheme: base.Scheme, Host: base.Host, Path: "/"}).String()
	}
	for _, gi := range gf.Items {
		if gi == nil {
			continue
		}
		f.Items = append(f.Items, adaptItem(gi, base))
	}
	return f, nil
}

func adaptItem(gi *gofeed.Item, base *url.URL) Item {
	it := Item{
		Title:   cleanText(gi.Title),
		Summary: strings.TrimSpace(gi.Description),
		Content: strings.TrimSpace(gi.Content),
		GUID:    strings.TrimSpace(gi.GUID),
	}
	link := strings.TrimSpace(gi.Link)
	if link == "" && len(gi.Links) > 0 {
		link = strings.TrimSpace(gi.Links[0])
	}
	if link == "" && isHTTPURL(it.GUID) {
		// RSS 2.0: a guid is a permalink unless isPermaLink="false"; feeds
		// without <link> rely on it.
		link = it.GUID
	}
	it.URL = resolve(base, link)
	if it.GUID == "" {
		it.GUID = it.URL
	}
	it.Published = pickTime(gi.PublishedParsed, gi.Published)
	it.Updated = pickTime(gi.UpdatedParsed, gi.Updated)
	if it.Published.IsZero() {
		it.Published = it.Updated
	}
	it.Authors = authors(gi)
	itemBase := base
	if u, err := url.Parse(it.URL); err == nil && it.URL != "" {
		itemBase = u
	}
	it.Image = resolve(itemBase, image(gi))
	return it
}

// pickTime prefers gofeed's parse and falls back on ours, which knows the
// odd forms Arabic sites publish.
func pickTime(parsed *time.Time, raw string) time.Time {
	if parsed != nil && !parsed.IsZero() {
		return parsed.UTC()
	}
	if t, ok := ParseDate(raw); ok {
		return t.UTC()
	}
	return time.Time{}
}

// authors collects distinct author names from the item's author elements
// and every dc:creator.
func authors(gi *gofeed.Item) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		s = cleanAuthor(s)
		if s == "" || seen[s] {
			return
		}
		seen[s] = true
		out = append(out, s)
	}
	for _, p := range gi.Authors {
		if p == nil {
			continue
		}
		if p.Name != "" {
			add(p.Name)
		} else {
			add(p.Email)
		}
	}
	if gi.DublinCoreExt != nil {
		for _, c := range gi.DublinCoreExt.Creator {
			add(c)
		}
	}
	return out
}

// cleanAuthor trims an RSS author value; "news@site (Name)" becomes "Name".
func cleanAuthor(s string) string {
	s = cleanText(s)
	if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") && strings.Contains(s[:i], "@") {
		s = strings.TrimSpace(s[i+1 : len(s)-1])
	}
	return s
}

// image returns the item's lead image, in order of how deliberately the
// feed marks it: item image, media:thumbnail, media:content of an image
// type, an image enclosure, itunes:image.
func image(gi *gofeed.Item) string {
	if gi.Image != nil && strings.TrimSpace(gi.Image.URL) != "" {
		return strings.TrimSpace(gi.Image.URL)
	}
	if media, ok := gi.Extensions["media"]; ok {
		if u := mediaImage(media); u != "" {
			return u
		}
	}
	for _, e := range gi.Enclosures {
		if e == nil || e.URL == "" {
			continue
		}
		if strings.HasPrefix(strings.ToLower(e.Type), "image/") || (e.Type == "" && looksLikeImage(e.URL)) {
			return strings.TrimSpace(e.URL)
		}
	}
	if gi.ITunesExt != nil && gi.ITunesExt.Image != "" {
		return strings.TrimSpace(gi.ITunesExt.Image)
	}
	return ""
}

func mediaImage(media map[string][]ext.Extension) string {
	for _, t := range media["thumbnail"] {
		if u := t.Attrs["url"]; u != "" {
			return u
		}
	}
	for _, c := range media["content"] {
		u := c.Attrs["url"]
		if u == "" {
			continue
		}
		medium, typ := strings.ToLower(c.Attrs["medium"]), strings.ToLower(c.Attrs["type"])
		if medium == "image" || strings.HasPrefix(typ, "image/") || (medium == "" && typ == "" && looksLikeImage(u)) {
			return u
		}
		for _, t := range c.Children["thumbnail"] {
			if tu := t.Attrs["url"]; tu != "" {
				return tu
			}
		}
	}
	for _, g := range media["group"] {
		if u := mediaImage(g.Children); u != "" {
			return u
		}
	}
	return ""
}

func looksLikeImage(u string) bool {
	p := strings.ToLower(u)
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	for _, e := range []string{".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"} {
		if strings.HasSuffix(p, e) {
			return true
		}
	}
	return false
}

func parseBase(feedURL string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(feedURL))
	if err != nil || !u.IsAbs() {
		return nil
	}
	return u
}

// resolve makes ref absolute against base; it returns ref as it is when it
// cannot, and "" for an empty ref.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if base != nil && !u.IsAbs() {
		u = base.ResolveReference(u)
	}
	return u.String()
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// cleanText trims s and collapses runs of white space, which feeds spread
// across lines inside titles.
func cleanText(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
