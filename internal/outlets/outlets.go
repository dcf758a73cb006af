// Package outlets is khabar's built-in list of Arabic outlets' feeds, used
// when a fresh data folder has no sources so that `khabar serve` does the
// real job at once. The list (outlets.tsv) gathers feed URLs publicly
// listed for 52 outlets across the region; see NOTE.txt.
package outlets

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed outlets.tsv
var table string

// Outlet is one built-in source.
type Outlet struct {
	Name       string // Arabic name
	NameEN     string
	Country    string
	FeedURL    string
	Confidence string // high, medium or low: how sure the listings are
	Alternates []string
}

// All returns the built-in outlets, in the table's order.
func All() ([]Outlet, error) {
	var out []Outlet
	for i, line := range strings.Split(strings.TrimSpace(table), "\n") {
		if i == 0 {
			continue // header
		}
		f := strings.Split(line, "\t")
		if len(f) < 5 {
			return nil, fmt.Errorf("outlets: line %d has %d fields, want at least 5", i+1, len(f))
		}
		o := Outlet{Name: f[0], NameEN: f[1], Country: f[2], FeedURL: f[3], Confidence: f[4]}
		if len(f) > 6 {
			o.Alternates = strings.Fields(f[6])
		}
		out = append(out, o)
	}
	return out, nil
}
