package outlets

import (
	"net/url"
	"testing"
)

func TestAll(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 52 {
		t.Fatalf("got %d outlets, want 52", len(all))
	}
	seen := map[string]bool{}
	for _, o := range all {
		u, err := url.Parse(o.FeedURL)
		if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			t.Errorf("%s: bad feed URL %q", o.Name, o.FeedURL)
		}
		if seen[o.FeedURL] {
			t.Errorf("%s: feed URL listed twice", o.FeedURL)
		}
		seen[o.FeedURL] = true
		if o.Name == "" {
			t.Errorf("%s: no Arabic name", o.FeedURL)
		}
	}
}
