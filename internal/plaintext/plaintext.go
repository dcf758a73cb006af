// Package plaintext cuts plain text for display: the one excerpt of an
// article that the portal, the feeds, the API, story members and related
// reading all show. (HTML becomes text in package sanitize.)
package plaintext

import (
	"strings"
	"unicode"
)

// Excerpt returns the start of text up to max runes, cut at a word boundary
// and ended with "…" when cut. Runs of white space (paragraph breaks too)
// become one space. It reads only as much of text as it keeps, since pages
// call it on whole articles.
func Excerpt(text string, max int) string {
	var b strings.Builder
	n, space, cut := 0, false, false
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			if max > 0 && n >= max {
				cut = true
				break
			}
			b.WriteByte(' ')
			n++
			space = false
		}
		if max > 0 && n >= max {
			cut = true
			break
		}
		b.WriteRune(r)
		n++
	}
	head := b.String()
	if !cut {
		return head
	}
	if sp := strings.LastIndexByte(head, ' '); sp > len(head)/2 {
		head = head[:sp]
	}
	return strings.TrimRight(head, " ،,؛;:.-") + "…"
}
