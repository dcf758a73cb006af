// Package weburl holds khabar's rules for the web addresses it is given:
// feeds added from the command line, the portal, the API or OPML, alert
// webhooks, and articles read from a corpus. One set of rules, so that a
// feed refused by one face is refused by every other.
package weburl

import (
	"fmt"
	"net/url"
	"strings"
)

// MaxLen is the longest URL accepted, in bytes.
const MaxLen = 2048

// Error is a URL that breaks a rule. Its Error names the URL; Reason says
// what is wrong in words that follow the name of a form or JSON field.
type Error struct {
	URL  string // as given, trimmed; credentials removed
	rule rule
	err  error // the parser's complaint, for badSyntax
	// scheme is the URL's scheme, for badScheme.
	scheme string
}

type rule int

const (
	empty rule = iota
	tooLong
	badSyntax
	badScheme
	noHost
	credentials
)

func (e *Error) Error() string {
	switch e.rule {
	case empty:
		return "the URL is empty"
	case tooLong:
		return fmt.Sprintf("the URL is longer than %d bytes", MaxLen)
	case badSyntax:
		return fmt.Sprintf("%q is not a URL: %v", e.URL, e.err)
	case badScheme:
		return fmt.Sprintf("%q is not an http or https URL", e.URL)
	case noHost:
		return fmt.Sprintf("%q has no host", e.URL)
	default:
		return fmt.Sprintf("%q carries credentials", e.URL)
	}
}

// Reason says what is wrong, to follow a field's name ("url: is required").
func (e *Error) Reason() string {
	switch e.rule {
	case empty:
		return "is required"
	case tooLong:
		return fmt.Sprintf("is longer than %d bytes", MaxLen)
	case badSyntax:
		return fmt.Sprintf("is not a URL: %v", e.err)
	case badScheme:
		return fmt.Sprintf("must be an http or https URL, got scheme %q", e.scheme)
	case noHost:
		return "has no host"
	default:
		return "must not carry credentials"
	}
}

func (e *Error) Unwrap() error { return e.err }

// Check returns raw trimmed and without its fragment when it is an
// absolute http or https URL with a host, no user name or password, and
// at most MaxLen bytes; otherwise an *Error.
func Check(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", &Error{rule: empty}
	}
	if len(raw) > MaxLen {
		return "", &Error{rule: tooLong}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", &Error{URL: raw, rule: badSyntax, err: err}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", &Error{URL: raw, rule: badScheme, scheme: u.Scheme}
	}
	if u.Hostname() == "" {
		return "", &Error{URL: raw, rule: noHost}
	}
	if u.User != nil {
		return "", &Error{URL: u.Redacted(), rule: credentials}
	}
	u.Fragment = ""
	return u.String(), nil
}

// Reason is err's Reason when it is an *Error, else its text.
func Reason(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Reason()
	}
	return err.Error()
}
