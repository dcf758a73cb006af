package feed

import (
	"fmt"
	"strings"
)

// Wire structs for sitemaps (sitemaps.org 0.9) with the Google News and
// Google Image extensions. encoding/xml matches these by local name, so the
// namespace prefixes sites choose do not matter.
type sitemapURLSet struct {
	URLs []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string        `xml:"loc"`
	LastMod string        `xml:"lastmod"`
	News    *sitemapNews  `xml:"news"`
	Images  []sitemapImag `xml:"image"`
}

type sitemapNews struct {
	Publication struct {
		Name     string `xml:"name"`
		Language string `xml:"language"`
	} `xml:"publication"`
	PublicationDate string `xml:"publication_date"`
	Title           string `xml:"title"`
	Keywords        string `xml:"keywords"`
}

type sitemapImag struct {
	Loc string `xml:"loc"`
}

type sitemapIndex struct {
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

func parseSitemap(data []byte, feedURL string) (*Feed, error) {
	var w sitemapURLSet
	if err := newDecoder(data).Decode(&w); err != nil {
		return nil, fmt.Errorf("feed: malformed sitemap: %w", err)
	}
	base := parseBase(feedURL)
	f := &Feed{Format: FormatSitemap, Items: make([]Item, 0, len(w.URLs))}
	langs := map[string]bool{}
	for _, u := range w.URLs {
		loc := resolve(base, u.Loc)
		if loc == "" {
			continue
		}
		it := Item{GUID: loc, URL: loc}
		if t, ok := ParseDate(u.LastMod); ok {
			it.Updated = t.UTC()
		}
		if n := u.News; n != nil {
			it.Title = cleanText(n.Title)
			if t, ok := ParseDate(n.PublicationDate); ok {
				it.Published = t.UTC()
			}
			if f.Title == "" {
				f.Title = cleanText(n.Publication.Name)
			}
			if l := strings.TrimSpace(n.Publication.Language); l != "" {
				langs[l] = true
			}
		}
		if it.Published.IsZero() {
			it.Published = it.Updated
		}
		for _, im := range u.Images {
			if im.Loc != "" {
				it.Image = resolve(base, im.Loc)
				break
			}
		}
		f.Items = append(f.Items, it)
	}
	if len(langs) == 1 {
		for l := range langs {
			f.Language = l
		}
	}
	if base != nil {
		f.SiteURL = base.Scheme + "://" + base.Host + "/"
	}
	return f, nil
}

func parseSitemapIndex(data []byte, feedURL string) (*Feed, error) {
	var w sitemapIndex
	if err := newDecoder(data).Decode(&w); err != nil {
		return nil, fmt.Errorf("feed: malformed sitemap index: %w", err)
	}
	base := parseBase(feedURL)
	f := &Feed{Format: FormatSitemapIndex, IsIndex: true, Items: make([]Item, 0, len(w.Sitemaps))}
	for _, s := range w.Sitemaps {
		loc := resolve(base, s.Loc)
		if loc == "" {
			continue
		}
		it := Item{GUID: loc, URL: loc}
		if t, ok := ParseDate(s.LastMod); ok {
			it.Updated = t.UTC()
		}
		f.Items = append(f.Items, it)
	}
	if base != nil {
		f.SiteURL = base.Scheme + "://" + base.Host + "/"
	}
	return f, nil
}
