package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockTags end a paragraph of the body text.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Blockquote: true, atom.Pre: true, atom.Table: true,
	atom.Tr: true, atom.Section: true, atom.Article: true, atom.Figure: true, atom.Figcaption: true,
	atom.Header: true, atom.Footer: true, atom.Main: true, atom.Aside: true, atom.Hr: true,
	atom.Br: true, atom.Body: true, atom.Caption: true, atom.Details: true, atom.Summary: true,
	atom.Address: true, atom.Nav: true, atom.Form: true,
}

// nodeText renders the content tree as plain text: one paragraph per block,
// white space folded, paragraphs joined by a blank line. A line break inside
// a paragraph starts a new paragraph too, because many Arabic sites write
// whole articles as one <div> of <br>-separated lines.
func nodeText(root *html.Node) string {
	var paras []string
	var cur strings.Builder
	flush := func() {
		if s := collapseSpace(cur.String()); s != "" {
			paras = append(paras, s)
		}
		cur.Reset()
	}
	// go-trafilatura trims the white space around inline elements
	// ("<b>word</b>next"); a boundary between two word characters there was
	// a space in the page.
	boundary := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if boundary && cur.Len() > 0 {
				last, _ := utf8.DecodeLastRuneInString(cur.String())
				first, _ := utf8.DecodeRuneInString(n.Data)
				if isWordRune(last) && isWordRune(first) {
					cur.WriteByte(' ')
				}
			}
			boundary = false
			cur.WriteString(n.Data)
			return
		}
		a := elementAtom(n)
		if n.Type == html.ElementNode {
			if skipped[a] {
				return
			}
			if a == atom.Td || a == atom.Th {
				cur.WriteByte(' ')
			}
		}
		block := n.Type == html.ElementNode && (blockTags[a] || a == 0 && isTrafilaturaBlock(n.Data))
		if block {
			flush()
		}
		boundary = true
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		boundary = true
		if block {
			flush()
		}
	}
	walk(root)
	flush()
	return strings.Join(paras, "\n\n")
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// elementAtom returns n's atom; go-trafilatura creates elements by name
// only, leaving DataAtom zero.
func elementAtom(n *html.Node) atom.Atom {
	if n.Type != html.ElementNode || n.DataAtom != 0 {
		return n.DataAtom
	}
	return atom.Lookup([]byte(n.Data))
}

// isTrafilaturaBlock recognises the internal tag names go-trafilatura may
// leave in its output tree.
func isTrafilaturaBlock(tag string) bool {
	switch tag {
	case "head", "list", "item", "quote", "row", "lb", "graphic", "cell":
		return true
	}
	return false
}
