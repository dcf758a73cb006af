package weburl

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tt := range []struct{ in, want, err, reason string }{
		{in: " https://news.example/a?b=1#top ", want: "https://news.example/a?b=1"},
		{in: "", err: "the URL is empty", reason: "is required"},
		{in: "ftp://x/y", err: `"ftp://x/y" is not an http or https URL`, reason: `must be an http or https URL, got scheme "ftp"`},
		{in: "http://:80/", err: "has no host", reason: "has no host"},
		{in: "https://user:secret@news.example/", err: "carries credentials", reason: "must not carry credentials"},
		{in: "https://news.example/" + strings.Repeat("a", MaxLen), err: "longer than 2048 bytes", reason: "is longer than 2048 bytes"},
		{in: "http://[::1", err: "is not a URL", reason: "is not a URL"},
	} {
		got, err := Check(tt.in)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("Check(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(Reason(err), tt.reason) {
			t.Errorf("Check(%q) = %q, %v (reason %q); want an error with %q, reason %q", tt.in, got, err, Reason(err), tt.err, tt.reason)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Check(%q) repeats the password: %v", tt.in, err)
		}
	}
}
