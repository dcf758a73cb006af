// Package weburl holds khabar's rules for the web addresses it is given:
// feeds added by hand or from OPML, articles read from a corpus.
package weburl

import (
	"fmt"
	"net/url"
	"strings"
)

// Check returns raw trimmed and without its fragment when it is an
// absolute http or https URL with a host, or an error naming what is
// wrong.
func Check(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%q is not an http or https URL", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("%q has no host", raw)
	}
	u.Fragment = ""
	return u.String(), nil
}
