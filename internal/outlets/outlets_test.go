package outlets

import (
	"net/url"
	"testing"

	"khabar/internal/model"
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

func TestProfiles(t *testing.T) {
	ps, err := Profiles()
	if err != nil {
		t.Fatal(err)
	}
	// 52 built-in outlets and the 14 SaudiNewsNet ones, 6 of which are built in.
	if len(ps) != 60 {
		t.Fatalf("got %d profiles, want 60", len(ps))
	}
	byKey := map[string]model.Outlet{}
	for _, p := range ps {
		if p.NameAR == "" || p.NameEN == "" || p.Kind == "" {
			t.Errorf("%s: incomplete profile %+v", p.Key, p)
		}
		if p.Country == "" && p.Key != "unnews" {
			t.Errorf("%s: no country", p.Key)
		}
		byKey[p.Key] = p
	}
	for _, k := range []string{"3alyoum", "aawsat", "aleqtisadiya", "aljazirah", "almadina", "alriyadh", "alwatan",
		"alweeam", "alyaum", "arreyadi", "arriyadiyah", "okaz", "sabq", "was"} {
		p, ok := byKey[k]
		if !ok {
			t.Errorf("SaudiNewsNet outlet %q has no profile", k)
			continue
		}
		if k != "aawsat" && p.Country != "SA" {
			t.Errorf("%s: country %q, want SA", k, p.Country)
		}
	}
	if p := byKey["was"]; p.NameAR != "وكالة الأنباء السعودية" || p.Kind != model.OutletWire {
		t.Errorf("was: %+v", p)
	}
	if p := byKey["aawsat"]; p.NameAR != "الشرق الأوسط" || p.Country != "GB" {
		t.Errorf("aawsat: %+v", p)
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{"was": "was", " WAS ": "was", "spa": "was", "arreyadiyah": "arriyadiyah",
		"alriyadh": "alriyadh", "الجزيرة": "الجزيرة", "Some Paper": "Some Paper"} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	good := model.Outlet{Key: "x", Country: "SA", Kind: "wire"}
	if err := Check(good); err != nil {
		t.Errorf("%+v: %v", good, err)
	}
	for _, bad := range []model.Outlet{{}, {Key: "a b"}, {Key: "x", Country: "sa"}, {Key: "x", Country: "SAU"},
		{Key: "x", Kind: "tabloid"}, {Key: "x\x00"}} {
		if err := Check(bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

func TestFromURL(t *testing.T) {
	for in, want := range map[string]string{"https://www.Example.com/feed": "example.com", "http://a.b:8080/x?y": "a.b",
		"https://u@host.org": "host.org", "ftp://x": "", "": ""} {
		if got := FromURL(in); got != want {
			t.Errorf("FromURL(%q) = %q, want %q", in, got, want)
		}
	}
}
