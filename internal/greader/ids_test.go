package greader

import (
	"strings"
	"testing"
)

func TestParseItemID(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"tag:google.com,2005:reader/item/000000000000001f", 31},
		{"tag:google.com,2005:reader/item/1f", 31},
		{"000000000000001f", 31},
		{"000000000000001F", 31},
		{"31", 31},
		{" 31 ", 31},
		{"1000000000000000", 1 << 60}, // 16 digits: hex
	} {
		got, err := ParseItemID(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseItemID(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "0", "-1", "x", "tag:google.com,2005:reader/item/", "tag:google.com,2005:reader/item/zz",
		"tag:google.com,2005:reader/item/00000000000000001", "ffffffffffffffff", "99999999999999999999", "1e5", "0x1f"} {
		if id, err := ParseItemID(bad); err == nil {
			t.Errorf("ParseItemID(%q) = %d, want an error", bad, id)
		}
	}
	if got := LongItemID(31); got != "tag:google.com,2005:reader/item/000000000000001f" {
		t.Errorf("LongItemID(31) = %s", got)
	}
}

func TestParseStream(t *testing.T) {
	for in, want := range map[string]Stream{
		"user/-/state/com.google/reading-list":  {Kind: StreamReadingList},
		"user/12/state/com.google/read":         {Kind: StreamRead},
		"user/-/state/com.google/starred":       {Kind: StreamStarred},
		"user/-/state/com.google/kept-unread":   {Kind: StreamKeptUnread},
		"user/-/label/اقتصاد":                   {Kind: StreamLabel, Label: "اقتصاد"},
		"user/-/label/a/b":                      {Kind: StreamLabel, Label: "a/b"},
		"feed/42":                               {Kind: StreamFeed, SourceID: 42},
		"feed/https://example.com/feed?x=1&y=2": {Kind: StreamFeed, FeedURL: "https://example.com/feed?x=1&y=2"},
	} {
		got, err := ParseStream(in)
		if err != nil || got != want {
			t.Errorf("ParseStream(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "feed/", "user/", "user/x/state/com.google/read", "user/-/state/com.google/nope",
		"user/-/label/", "user/-/label/ ", "label/x", strings.Repeat("a", 3000)} {
		if st, err := ParseStream(bad); err == nil {
			t.Errorf("ParseStream(%q) = %+v, want an error", bad, st)
		}
	}
}

// FuzzParseItemID: no input panics; an id read back from its long form
// is the same id.
func FuzzParseItemID(f *testing.F) {
	for _, s := range []string{"31", "000000000000001f", "tag:google.com,2005:reader/item/000000000000001f", "", "ffffffffffffffff", "tag:google.com,2005:reader/item/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseItemID(s)
		if err != nil {
			return
		}
		if id <= 0 {
			t.Fatalf("ParseItemID(%q) = %d without an error", s, id)
		}
		back, err := ParseItemID(LongItemID(id))
		if err != nil || back != id {
			t.Fatalf("round trip of %d: %d, %v", id, back, err)
		}
	})
}

// FuzzParseStream: no input panics; what parses names something.
func FuzzParseStream(f *testing.F) {
	for _, s := range []string{"user/-/state/com.google/reading-list", "feed/42", "feed/https://x.example/f", "user/-/label/اقتصاد", "user/1/", "feed/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseStream(s)
		if err != nil {
			return
		}
		switch st.Kind {
		case StreamFeed:
			if st.SourceID <= 0 && st.FeedURL == "" {
				t.Fatalf("ParseStream(%q): a feed stream naming no feed", s)
			}
		case StreamLabel:
			if strings.TrimSpace(st.Label) == "" {
				t.Fatalf("ParseStream(%q): an empty label", s)
			}
		}
	})
}
