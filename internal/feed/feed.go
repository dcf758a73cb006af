// Package feed reads news feeds — RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0,
// JSON Feed 1.0/1.1, XML sitemaps (with Google News extensions) and sitemap
// indexes — into one wire-independent Feed, and reads and writes OPML
// subscription lists. It does no I/O: bytes in, values out.
//
// RSS, Atom and JSON Feed are read with github.com/mmcdole/gofeed, whose
// wire structs are adapted here (adapter.go); sitemaps and OPML have small
// wire structs of their own. Summary and Content are the feed's HTML as
// published, unsanitized: run them through package sanitize before storing
// or serving them.
package feed

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// Format names the wire format a Feed was read from.
type Format string

// The formats Parse recognises.
const (
	FormatRSS          Format = "rss"  // RSS 0.9x, 2.0 and RSS 1.0 (RDF)
	FormatAtom         Format = "atom" // Atom 0.3 and 1.0
	FormatJSON         Format = "json" // JSON Feed 1.0 and 1.1
	FormatSitemap      Format = "sitemap"
	FormatSitemapIndex Format = "sitemapindex"
)

// Feed is one parsed feed.
type Feed struct {
	Title    string
	SiteURL  string // the site's home page, absolute
	Language string
	Format   Format
	// IsIndex is true for a sitemap index: its Items are child sitemaps
	// (URL and Updated only), to be fetched and parsed in turn.
	IsIndex bool
	Items   []Item
}

// Item is one entry of a feed. URLs are absolute (resolved against the feed
// URL); times are zero when the feed gave none or none that parses.
type Item struct {
	GUID      string // the feed's id for the item; the URL when it has none
	URL       string
	Title     string
	Summary   string // description / summary, HTML as published
	Content   string // content:encoded / content, HTML as published
	Authors   []string
	Published time.Time
	Updated   time.Time
	Image     string
}

// ErrUnknownFormat is returned (wrapped) when data is not a feed format that
// Parse knows.
var ErrUnknownFormat = errors.New("feed: unknown format")

// Parse detects the format of data and parses it. feedURL, the address the
// data came from, resolves relative links; it may be empty.
func Parse(data []byte, feedURL string) (*Feed, error) {
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		// A sitemap.xml.gz (or a feed) served as a gzip file rather than
		// with Content-Encoding: the bytes are still compressed.
		var err error
		if data, err = gunzip(data); err != nil {
			return nil, err
		}
	}
	data = trimBOMAndSpace(data)
	if len(data) == 0 {
		return nil, errors.New("feed: empty document")
	}
	if data[0] == '{' {
		var probe struct {
			Version string `json:"version"`
		}
		if err := json.Unmarshal(data, &probe); err != nil {
			return nil, fmt.Errorf("feed: malformed JSON: %w", err)
		}
		if !strings.Contains(probe.Version, "jsonfeed.org") {
			return nil, fmt.Errorf("%w: JSON without a JSON Feed version (got %q)", ErrUnknownFormat, probe.Version)
		}
		return parseGofeed(data, feedURL, FormatJSON)
	}
	if data[0] != '<' {
		return nil, fmt.Errorf("%w: document starts with %q, neither XML nor JSON", ErrUnknownFormat, preview(data))
	}
	root, err := rootElement(data)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(root.Local) {
	case "rss", "rdf":
		return parseGofeed(data, feedURL, FormatRSS)
	case "feed":
		return parseGofeed(data, feedURL, FormatAtom)
	case "urlset":
		return parseSitemap(data, feedURL)
	case "sitemapindex":
		return parseSitemapIndex(data, feedURL)
	case "opml":
		return nil, fmt.Errorf("%w: an OPML subscription list, not a feed (import it with ParseOPML)", ErrUnknownFormat)
	case "html":
		return nil, fmt.Errorf("%w: an HTML page, not a feed (look for its feeds with Discover)", ErrUnknownFormat)
	}
	return nil, fmt.Errorf("%w: root element <%s>", ErrUnknownFormat, root.Local)
}

// rootElement returns the name of the document's root element, reading
// no further than its start tag. Well-formedness is left to the format's
// parser, which reads everything anyway: a second full pass here would cost
// a quarter of the time of a large feed.
func rootElement(data []byte) (xml.Name, error) {
	d := newDecoder(data)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return xml.Name{}, errors.New("feed: malformed XML: no root element")
		}
		if err != nil {
			return xml.Name{}, fmt.Errorf("feed: malformed XML: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name, nil
		}
	}
}

// maxGunzipBytes bounds a gzipped document once inflated: the sitemap
// protocol allows 50 MB, and a gzip bomb must not take more.
const maxGunzipBytes = 64 << 20

func gunzip(data []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("feed: gzip-compressed document: %w", err)
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, maxGunzipBytes+1))
	if err != nil {
		return nil, fmt.Errorf("feed: gzip-compressed document: %w", err)
	}
	if len(out) > maxGunzipBytes {
		return nil, fmt.Errorf("feed: gzip-compressed document inflates past %d bytes", maxGunzipBytes)
	}
	return out, nil
}

// newDecoder returns the lenient decoder used for every XML format here.
func newDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	return d
}

func trimBOMAndSpace(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	return bytes.TrimLeft(data, " \t\r\n")
}

// preview returns the first few characters of data for an error message.
func preview(data []byte) string {
	const n = 24
	if len(data) > n {
		data = data[:n]
	}
	for !utf8.Valid(data) && len(data) > 0 {
		data = data[:len(data)-1]
	}
	return string(data)
}
