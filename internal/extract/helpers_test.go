package extract

import (
	"net/url"

	"golang.org/x/net/html"
)

func parseForTest(page []byte) (*html.Node, error) { return parseHTML(page) }

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() {
		return nil
	}
	return u
}
