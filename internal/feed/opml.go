package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// Outline is one subscription of an OPML list.
type Outline struct {
	Title   string
	XMLURL  string // the feed
	HTMLURL string // the site, may be empty
	// Category is the text of the enclosing outlines, joined by "/"; empty
	// at the top level. WriteOPML nests outlines by it.
	Category string
}

// opmlOutline reads attributes by hand: OPML writers disagree on the case
// of xmlUrl/htmlUrl ("xmlurl", "XMLURL"), and encoding/xml matches attribute
// names exactly.
type opmlOutline struct {
	Attrs    []xml.Attr    `xml:",any,attr"`
	Outlines []opmlOutline `xml:"outline"`
}

func (o *opmlOutline) attr(name string) string {
	for _, a := range o.Attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

type opmlRead struct {
	XMLName xml.Name
	Body    *struct {
		Outlines []opmlOutline `xml:"outline"`
	} `xml:"body"`
}

// ParseOPML reads an OPML 1.0 or 2.0 subscription list, nested outlines
// included, and returns every outline that names a feed (an xmlUrl with an
// http or https address), once per feed URL, in document order. Outlines
// with another kind of xmlUrl are skipped; a list with none usable is an
// error that says why.
func ParseOPML(data []byte) ([]Outline, error) {
	data = trimBOMAndSpace(data)
	if len(data) == 0 {
		return nil, errors.New("feed: empty OPML document")
	}
	var doc opmlRead
	d := newDecoder(data)
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("feed: malformed OPML: %w", err)
	}
	// Decode stops after the root element; what follows may only be
	// comments and white space.
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("feed: malformed OPML after </%s>: %w", doc.XMLName.Local, err)
		}
		if _, ok := tok.(xml.StartElement); ok {
			return nil, fmt.Errorf("feed: malformed OPML: a second root element after </%s>", doc.XMLName.Local)
		}
	}
	if !strings.EqualFold(doc.XMLName.Local, "opml") {
		return nil, fmt.Errorf("feed: not an OPML document: root element is <%s>, want <opml>", doc.XMLName.Local)
	}
	if doc.Body == nil {
		return nil, errors.New("feed: malformed OPML: no <body> element")
	}
	var out []Outline
	seen := map[string]bool{}
	var bad []string
	var walk func(list []opmlOutline, path []string)
	walk = func(list []opmlOutline, path []string) {
		for i := range list {
			o := &list[i]
			title := o.attr("title")
			if title == "" {
				title = o.attr("text")
			}
			if x := o.attr("xmlUrl"); x != "" {
				u, err := url.Parse(x)
				switch {
				case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
					bad = append(bad, x)
				case !seen[u.String()]:
					seen[u.String()] = true
					out = append(out, Outline{
						Title:    cleanText(title),
						XMLURL:   u.String(),
						HTMLURL:  o.attr("htmlUrl"),
						Category: strings.Join(path, "/"),
					})
				}
			}
			if len(o.Outlines) > 0 {
				sub := path
				if title != "" {
					sub = append(path[:len(path):len(path)], cleanText(title))
				}
				walk(o.Outlines, sub)
			}
		}
	}
	walk(doc.Body.Outlines, nil)
	if len(out) == 0 && len(bad) > 0 {
		return nil, fmt.Errorf("feed: OPML has no usable feed: %d outline(s) with an xmlUrl that is not an http(s) URL, first %q", len(bad), bad[0])
	}
	return out, nil
}

type opmlWrite struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    struct {
		Title       string `xml:"title"`
		DateCreated string `xml:"dateCreated,omitempty"`
	} `xml:"head"`
	Body struct {
		Outlines []opmlWriteOutline `xml:"outline"`
	} `xml:"body"`
}

type opmlWriteOutline struct {
	Text     string             `xml:"text,attr"`
	Title    string             `xml:"title,attr,omitempty"`
	Type     string             `xml:"type,attr,omitempty"`
	XMLURL   string             `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string             `xml:"htmlUrl,attr,omitempty"`
	Outlines []opmlWriteOutline `xml:"outline"`
}

// WriteOPML writes an OPML 2.0 list of outlines titled title. Outlines with
// a Category are nested under one outline per category, in order of first
// appearance; ParseOPML reads the file back to the same outlines.
func WriteOPML(w io.Writer, title string, outlines []Outline) error {
	var doc opmlWrite
	doc.Version = "2.0"
	doc.Head.Title = title
	doc.Head.DateCreated = time.Now().UTC().Format(time.RFC1123Z)
	groups := map[string]int{}
	for _, o := range outlines {
		text := o.Title
		if text == "" {
			text = o.XMLURL
		}
		wo := opmlWriteOutline{Text: text, Title: o.Title, Type: "rss", XMLURL: o.XMLURL, HTMLURL: o.HTMLURL}
		if o.Category == "" {
			doc.Body.Outlines = append(doc.Body.Outlines, wo)
			continue
		}
		i, ok := groups[o.Category]
		if !ok {
			i = len(doc.Body.Outlines)
			groups[o.Category] = i
			doc.Body.Outlines = append(doc.Body.Outlines, opmlWriteOutline{Text: o.Category, Title: o.Category})
		}
		doc.Body.Outlines[i].Outlines = append(doc.Body.Outlines[i].Outlines, wo)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("feed: writing OPML: %w", err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("feed: writing OPML: %w", err)
	}
	return nil
}
