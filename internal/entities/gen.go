//go:build ignore

// gen.go derives the package's place gazetteers from the shared fixtures:
//
//	go run gen.go -shared ../../../shared
//
// It writes data/countries.tsv (from mledoze/countries, ODbL 1.0) and
// data/cldr-places.tsv (from CLDR 41, Unicode licence). The outputs are
// derived databases: countries.tsv stays under the ODbL (see data/README.md).
// Curated lists (titles, patterns, names) are written by hand, not generated.
package main

import (
	"bufio"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

func main() {
	shared := flag.String("shared", "../../../shared", "path of the shared folder")
	flag.Parse()
	if err := countries(*shared); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := cldr(*shared); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// countries writes "canonical<TAB>alias|alias" lines: the common Arabic name
// and the official name.
func countries(shared string) error {
	f, err := os.Open(filepath.Join(shared, "fixtures/gazetteers/countries-mledoze/countries-ar.tsv"))
	if err != nil {
		return err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 5 || c[3] == "" {
			continue
		}
		line := c[1] + "\t" + strings.TrimSpace(c[3])
		if off := strings.TrimSpace(c[4]); off != "" && off != c[3] {
			line += "\t" + off
		}
		lines = append(lines, line)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	head := "# Derived from mledoze/countries (https://github.com/mledoze/countries), ODbL 1.0.\n" +
		"# This derived list is itself licensed under the ODbL 1.0; see LICENSE-ODbL.\n" +
		"# cca3<TAB>common Arabic name<TAB>official Arabic name\n"
	return os.WriteFile("data/countries.tsv", []byte(head+strings.Join(lines, "\n")+"\n"), 0o644)
}

// Subdivisions are kept only for the Arab world and its neighbours, whose
// names appear in Arabic news; elsewhere CLDR's Arabic transliterations
// collide with common words.
var keepSub = map[string]bool{
	"ae": true, "bh": true, "dz": true, "eg": true, "iq": true, "jo": true, "kw": true, "lb": true,
	"ly": true, "ma": true, "mr": true, "om": true, "ps": true, "qa": true, "sa": true, "sd": true,
	"so": true, "sy": true, "tn": true, "ye": true, "dj": true, "ir": true, "tr": true,
}

// Territory codes that are not places, or are organizations.
var dropTerritory = map[string]bool{"001": true, "EU": true, "EZ": true, "UN": true, "XA": true, "XB": true, "ZZ": true, "QO": true, "UM": true}

var prefix = regexp.MustCompile(`^(محافظة|ولاية|منطقة|إقليم|إمارة|امارة|شعبية|جهة|عمالة|بلدية) `)

func cldr(shared string) error {
	type elem struct {
		Type  string `xml:"type,attr"`
		Alt   string `xml:"alt,attr"`
		Value string `xml:",chardata"`
	}
	var main struct {
		Territories []elem `xml:"localeDisplayNames>territories>territory"`
		Zones       []struct {
			City string `xml:"exemplarCity"`
		} `xml:"dates>timeZoneNames>zone"`
	}
	raw, err := os.ReadFile(filepath.Join(shared, "fixtures/dates/cldr-41-arabic/main/ar.xml"))
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(raw, &main); err != nil {
		return fmt.Errorf("ar.xml: %w", err)
	}
	var subs struct {
		Subs []elem `xml:"localeDisplayNames>subdivisions>subdivision"`
	}
	raw, err = os.ReadFile(filepath.Join(shared, "fixtures/dates/cldr-41-arabic/subdivisions/ar.xml"))
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(raw, &subs); err != nil {
		return fmt.Errorf("subdivisions/ar.xml: %w", err)
	}
	seen := map[string]bool{}
	var out []string
	add := func(kind, name string) {
		name = strings.TrimSpace(strings.TrimRight(name, "²"))
		if name == "" || strings.ContainsAny(name, "()،,-") || seen[name] {
			return
		}
		seen[name] = true
		out = append(out, kind+"\t"+name)
	}
	for _, t := range main.Territories {
		if t.Alt != "" || dropTerritory[t.Type] {
			continue
		}
		add("territory", t.Value)
	}
	for _, z := range main.Zones {
		if z.City != "" && z.City != "مدينة غير معروفة" {
			add("city", z.City)
		}
	}
	for _, s := range subs.Subs {
		if len(s.Type) < 2 || !keepSub[s.Type[:2]] {
			continue
		}
		add("subdivision", prefix.ReplaceAllString(strings.TrimSpace(s.Value), ""))
	}
	sort.Strings(out)
	head := "# Derived from Unicode CLDR 41 (territory, exemplar city and subdivision names in Arabic).\n" +
		"# Copyright © 1991-2022 Unicode, Inc. Unicode licence (see LICENSE-Unicode).\n" +
		"# kind<TAB>name\n"
	return os.WriteFile("data/cldr-places.tsv", []byte(head+strings.Join(out, "\n")+"\n"), 0o644)
}
