package corpus

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads r as a corpus file and returns each item as "where url"
// or "where error".
func readAll(t *testing.T, r io.Reader) ([]string, error) {
	t.Helper()
	out := make(chan Item, 16)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		errc <- Read(context.Background(), "f", r, out)
	}()
	var got []string
	for it := range out {
		if it.Err != nil {
			got = append(got, it.Where+" error")
		} else {
			got = append(got, it.Where+" "+it.Record.URL)
		}
	}
	return got, <-errc
}

func TestReadPlaces(t *testing.T) {
	long := strings.Repeat("ن", 100000) // a line longer than the read buffer
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"lines", "{\"url\":\"a\"}\n\n{bad\n  {\"url\":\"b\",\"text\":\"" + long + "\"}  \r\n{\"url\":\"c\"}",
			[]string{"f:1 a", "f:3 error", "f:4 b", "f:5 c"}},
		{"lines with a BOM", "\xef\xbb\xbf{\"url\":\"a\"}\n{\"url\":\"b\"}\n", []string{"f:1 a", "f:2 b"}},
		{"array", "\n\n  [\n {\"url\":\"a\"},\n\n {\"url\":\"b\",\"text\":\"" + long + "\"}, {\"url\":\"c\"},\n{\"url\":42},\n{\"url\":\"d\"}]",
			[]string{"f:4 a", "f:6 b", "f:6 c", "f:7 error", "f:8 d"}},
		{"array with a BOM", "\xef\xbb\xbf[{\"url\":\"a\"},\n{\"url\":\"b\"}]", []string{"f:1 a", "f:2 b"}},
		{"broken array", "[{\"url\":\"a\"},\n{\"url\": ,\n{\"url\":\"c\"}]", []string{"f:1 a", "f:2 error"}},
		{"blank", " \n\t\n", nil},
		{"empty", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			// One byte a read, too: the places must not depend on how
			// the file arrives.
			for _, r := range []io.Reader{strings.NewReader(c.in), iotest.OneByteReader(strings.NewReader(c.in))} {
				got, err := readAll(t, r)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Errorf("got %q, want %q", got, c.want)
				}
			}
		})
	}
}

// A read error ends the file with an error naming the place.
func TestReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader("{\"url\":\"a\"}\n{\"url\""), iotest.ErrReader(fmt.Errorf("disk on fire")))
	got, err := readAll(t, r)
	if err == nil || !strings.Contains(err.Error(), "f:2") || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("error %v, want one naming f:2 and the cause", err)
	}
	if len(got) != 1 || got[0] != "f:1 a" {
		t.Errorf("items %q", got)
	}
}
