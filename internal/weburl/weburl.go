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
	URL    string // as given, trimmed; credentials removed
	msg    string
	reason string
	err    error // the parser's complaint, if it made one
}

func (e *Error) Error() string  { return e.msg }
func (e *Error) Reason() string { return e.reason }
func (e *Error) Unwrap() error  { return e.err }

// Check returns raw trimmed and without its fragment when it is an
// absolute http or https URL with a host, no user name or password, and
// at most MaxLen bytes; otherwise an *Error.
func Check(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", &Error{msg: "the URL is empty", reason: "is required"}
	}
	if len(raw) > MaxLen {
		why := fmt.Sprintf("is longer than %d bytes", MaxLen)
		return "", &Error{msg: "the URL " + why, reason: why}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", &Error{URL: raw, msg: fmt.Sprintf("%q is not a URL: %v", raw, err), reason: "is not a URL: " + err.Error(), err: err}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", &Error{URL: raw, msg: fmt.Sprintf("%q is not an http or https URL", raw),
			reason: fmt.Sprintf("must be an http or https URL, got scheme %q", u.Scheme)}
	}
	if u.Hostname() == "" {
		return "", &Error{URL: raw, msg: fmt.Sprintf("%q has no host", raw), reason: "has no host"}
	}
	if u.User != nil {
		return "", &Error{URL: u.Redacted(), msg: fmt.Sprintf("%q carries credentials", u.Redacted()), reason: "must not carry credentials"}
	}
	u.Fragment = ""
	return u.String(), nil
}

// Reason is err's Reason when it is an *Error, else its text.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*Error); ok {
		return e.Reason()
	}
	return err.Error()
}
