package greader

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Item ids come in three forms (clients pick one and may mix them):
//
//	tag:google.com,2005:reader/item/000000000000001f   long: 16 hex digits
//	000000000000001f                                   short hex: the same digits alone
//	31                                                 decimal, as stream/items/ids gives them
//
// A bare string of exactly 16 hex digits is read as hex; any other string
// of decimal digits as decimal. (A 16-digit decimal id would be read as
// hex, but article ids stay far below 10^15.)
const itemPrefix = "tag:google.com,2005:reader/item/"

// ParseItemID reads an item id in any of its forms.
func ParseItemID(s string) (int64, error) {
	s = strings.TrimSpace(s)
	var (
		v   uint64
		err error
	)
	switch {
	case strings.HasPrefix(s, itemPrefix):
		h := s[len(itemPrefix):]
		if h == "" || len(h) > 16 {
			return 0, fmt.Errorf("item id %q: want up to 16 hex digits after %s", clip(s), itemPrefix)
		}
		v, err = strconv.ParseUint(h, 16, 64)
	case len(s) == 16 && isHex(s):
		v, err = strconv.ParseUint(s, 16, 64)
	case s != "" && len(s) <= 19 && isDigits(s):
		v, err = strconv.ParseUint(s, 10, 64)
	default:
		return 0, fmt.Errorf("item id %q: neither %s…, 16 hex digits nor a decimal number", clip(s), itemPrefix)
	}
	if err != nil {
		return 0, fmt.Errorf("item id %q: %w", clip(s), err)
	}
	if v == 0 || v > 1<<62 {
		return 0, fmt.Errorf("item id %q: no such item", clip(s))
	}
	return int64(v), nil
}

// LongItemID is the long form of an article id.
func LongItemID(id int64) string { return fmt.Sprintf("%s%016x", itemPrefix, uint64(id)) }

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// clip shortens client text quoted in an error.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// StreamKind is what a stream id names.
type StreamKind int

const (
	StreamReadingList StreamKind = iota // user/-/state/com.google/reading-list
	StreamRead                          // user/-/state/com.google/read
	StreamStarred                       // user/-/state/com.google/starred
	StreamKeptUnread                    // user/-/state/com.google/kept-unread (edit-tag only)
	StreamFresh                         // user/-/state/com.google/fresh (edit-tag only)
	StreamBroadcast                     // user/-/state/com.google/broadcast (accepted, kept nowhere)
	StreamFeed                          // feed/{id} or feed/{url}
	StreamLabel                         // user/-/label/{name}
)

// Stream is a parsed stream id.
type Stream struct {
	Kind     StreamKind
	SourceID int64  // StreamFeed by id
	FeedURL  string // StreamFeed by URL
	Label    string // StreamLabel
}

var errStream = errors.New("unknown stream")

// ParseStream reads a stream id: user/-/… or user/{digits}/… (any user
// number: the stream is always the caller's), feed/{source id} or
// feed/{feed URL}.
func ParseStream(s string) (Stream, error) {
	s = strings.TrimSpace(s)
	if len(s) > 2048 {
		return Stream{}, fmt.Errorf("stream %q: longer than 2048 bytes: %w", clip(s), errStream)
	}
	if rest, ok := strings.CutPrefix(s, "feed/"); ok {
		if rest == "" {
			return Stream{}, fmt.Errorf("stream %q: no feed: %w", s, errStream)
		}
		if isDigits(rest) && len(rest) <= 18 {
			id, _ := strconv.ParseInt(rest, 10, 64)
			if id > 0 {
				return Stream{Kind: StreamFeed, SourceID: id}, nil
			}
		}
		return Stream{Kind: StreamFeed, FeedURL: rest}, nil
	}
	rest, ok := strings.CutPrefix(s, "user/")
	if !ok {
		return Stream{}, fmt.Errorf("stream %q: %w", clip(s), errStream)
	}
	who, what, ok := strings.Cut(rest, "/")
	if !ok || (who != "-" && !(isDigits(who) && who != "")) {
		return Stream{}, fmt.Errorf("stream %q: %w", clip(s), errStream)
	}
	if label, ok := strings.CutPrefix(what, "label/"); ok {
		if strings.TrimSpace(label) == "" {
			return Stream{}, fmt.Errorf("stream %q: empty label: %w", s, errStream)
		}
		return Stream{Kind: StreamLabel, Label: label}, nil
	}
	switch what {
	case "state/com.google/reading-list":
		return Stream{Kind: StreamReadingList}, nil
	case "state/com.google/read":
		return Stream{Kind: StreamRead}, nil
	case "state/com.google/starred":
		return Stream{Kind: StreamStarred}, nil
	case "state/com.google/kept-unread", "state/com.google/tracking-kept-unread":
		return Stream{Kind: StreamKeptUnread}, nil
	case "state/com.google/fresh":
		return Stream{Kind: StreamFresh}, nil
	case "state/com.google/broadcast", "state/com.google/like":
		return Stream{Kind: StreamBroadcast}, nil
	}
	return Stream{}, fmt.Errorf("stream %q: %w", clip(s), errStream)
}
