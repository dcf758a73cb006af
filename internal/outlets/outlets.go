// Package outlets is khabar's built-in knowledge of Arabic news outlets:
// the feeds of 52 outlets (outlets.tsv), used when a fresh data folder has
// no sources so that `khabar serve` does the real job at once, and the
// profiles (stable key, Arabic and English names, country, kind) of those
// outlets and of the others whose articles khabar imports by key, such as
// SaudiNewsNet's "was" or "alriyadh" (more.tsv). See NOTE.txt.
package outlets

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"khabar/internal/model"
)

var (
	//go:embed outlets.tsv
	table string
	//go:embed more.tsv
	moreTable string
)

// Outlet is one built-in source.
type Outlet struct {
	Name       string // Arabic name
	NameEN     string
	Country    string // the country's English name, as listed
	FeedURL    string
	Confidence string // high, medium or low: how sure the listings are
	Alternates []string
	Profile    model.Outlet // the outlet's profile: key, names, ISO country, kind
}

// outlets.tsv columns.
const (
	colNameAR = iota
	colNameEN
	colCountry
	colFeed
	colConfidence
	colListedBy
	colAlternates
	colCaveat
	colKey
	colCountryCode
	colKind
	nCols
)

// All returns the built-in outlets, in the table's order.
func All() ([]Outlet, error) {
	var out []Outlet
	for i, line := range strings.Split(strings.TrimRight(table, "\n"), "\n") {
		if i == 0 {
			continue // header
		}
		f := strings.Split(line, "\t")
		if len(f) != nCols {
			return nil, fmt.Errorf("outlets: outlets.tsv line %d has %d fields, want %d", i+1, len(f), nCols)
		}
		o := Outlet{Name: f[colNameAR], NameEN: f[colNameEN], Country: f[colCountry], FeedURL: f[colFeed],
			Confidence: f[colConfidence], Alternates: strings.Fields(f[colAlternates]),
			Profile: model.Outlet{Key: f[colKey], NameAR: f[colNameAR], NameEN: f[colNameEN],
				Country: f[colCountryCode], Kind: f[colKind]}}
		if err := Check(o.Profile); err != nil {
			return nil, fmt.Errorf("outlets: outlets.tsv line %d: %w", i+1, err)
		}
		out = append(out, o)
	}
	return out, nil
}

// profiles is what Profiles and Key compute once.
type profiles struct {
	all   []model.Outlet
	alias map[string]string // alias or key → key
	err   error
}

var loaded = sync.OnceValue(func() profiles {
	var p profiles
	all, err := All()
	if err != nil {
		p.err = err
		return p
	}
	p.alias = map[string]string{}
	for _, o := range all {
		p.all = append(p.all, o.Profile)
	}
	for i, line := range strings.Split(strings.TrimRight(moreTable, "\n"), "\n") {
		if i == 0 {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			p.err = fmt.Errorf("outlets: more.tsv line %d has %d fields, want 7", i+1, len(f))
			return p
		}
		o := model.Outlet{Key: f[0], NameAR: f[1], NameEN: f[2], Country: f[3], Kind: f[4]}
		if err := Check(o); err != nil {
			p.err = fmt.Errorf("outlets: more.tsv line %d: %w", i+1, err)
			return p
		}
		p.all = append(p.all, o)
		for _, a := range strings.Fields(f[6]) {
			p.alias[a] = o.Key
		}
	}
	for _, o := range p.all {
		if _, dup := p.alias[o.Key]; dup {
			p.err = fmt.Errorf("outlets: key %q listed twice", o.Key)
			return p
		}
		p.alias[o.Key] = o.Key
	}
	return p
})

// Profiles returns the profiles of every outlet khabar knows: the 52
// built-in feeds' outlets and the others it imports by key.
func Profiles() ([]model.Outlet, error) {
	p := loaded()
	return p.all, p.err
}

// Key returns the key of the known outlet that name is the key or an alias
// of (ASCII case ignored: "WAS" and "spa" are "was"), or name trimmed when
// no known outlet has it.
func Key(name string) string {
	name = strings.TrimSpace(name)
	if k, ok := loaded().alias[strings.ToLower(name)]; ok {
		return k
	}
	return name
}

// Check reports what is wrong with a profile: an empty or malformed key, a
// country that is not two capital letters, an unknown kind.
func Check(o model.Outlet) error {
	if err := CheckKey(o.Key); err != nil {
		return err
	}
	if c := o.Country; c != "" && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
		return fmt.Errorf("outlet %q: country %q is not an ISO 3166-1 alpha-2 code such as SA", o.Key, c)
	}
	if o.Kind != "" && !isKind(o.Kind) {
		return fmt.Errorf("outlet %q: kind %q is not one of %s", o.Key, o.Kind, strings.Join(model.OutletKinds, ", "))
	}
	return nil
}

// CheckKey reports an empty key, or one with spaces or control characters.
func CheckKey(k string) error {
	if k == "" {
		return fmt.Errorf("empty outlet key")
	}
	if len(k) > 100 {
		return fmt.Errorf("outlet key %.20q… is longer than 100 bytes", k)
	}
	for _, r := range k {
		if r <= ' ' || r == 0x7f || r == '\uFFFD' {
			return fmt.Errorf("outlet key %q has a space or control character", k)
		}
	}
	return nil
}

func isKind(k string) bool {
	for _, x := range model.OutletKinds {
		if k == x {
			return true
		}
	}
	return false
}

// FromURL is the key of a feed's outlet that no profile names: its host
// without "www." ("example.com"), or "" for a URL without one.
func FromURL(raw string) string {
	rest, ok := strings.CutPrefix(raw, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(raw, "http://"); !ok {
			return ""
		}
	}
	host, _, _ := strings.Cut(rest, "/")
	host, _, _ = strings.Cut(host, "?")
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:]
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	return strings.TrimPrefix(strings.ToLower(host), "www.")
}
