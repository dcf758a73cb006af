package api_test

import (
	"strconv"
	"testing"

	"khabar/internal/model"
	"khabar/internal/storyinfo/storyinfotest"
)

func TestEditOutlet(t *testing.T) {
	f := newFixture(t, nil)
	path := "/api/v1/sources/" + strconv.FormatInt(f.src.ID, 10)
	body := `{"name_ar": "المستقلة نت", "name_en": "Al-Mustakillah", "country": "iq", "kind": "private"}`
	auth := []string{"Authorization", "Bearer secret", "Content-Type", "application/json"}
	decode(t, do(t, f.h, "PATCH", path, body), 401)
	decode(t, do(t, f.h, "PATCH", path, body, "Authorization", "Bearer wrong"), 403)

	m := decode(t, do(t, f.h, "PATCH", path, body, auth...), 200)
	o, _ := m["outlet"].(map[string]any)
	if o["key"] != "almustakillah.example" || o["name_ar"] != "المستقلة نت" || o["name_en"] != "Al-Mustakillah" ||
		o["country"] != "IQ" || o["kind"] != "private" {
		t.Errorf("patched source: %v", m)
	}
	// The source's stored article now shows the outlet's name.
	a := decode(t, do(t, f.h, "GET", "/api/v1/articles/"+id(f.ref), ""), 200)
	if a["source"] != "المستقلة نت" {
		t.Errorf("article source %q after the edit", a["source"])
	}
	// One field: the others stay.
	m = decode(t, do(t, f.h, "PATCH", path, `{"kind": "state"}`, auth...), 200)
	if o := m["outlet"].(map[string]any); o["kind"] != "state" || o["name_ar"] != "المستقلة نت" || o["country"] != "IQ" {
		t.Errorf("second patch: %v", o)
	}
	for _, bad := range []string{`{}`, `{"kind": "tabloid"}`, `{"country": "Iraq"}`, `{"country": "I1"}`,
		`{"name_ar": "a\nb"}`, `{"nick": "x"}`, `[1]`, `{"kind": `} {
		m := decode(t, do(t, f.h, "PATCH", path, bad, auth...), 400)
		if m["error"].(map[string]any)["code"] != "bad_request" {
			t.Errorf("%s: %v", bad, m)
		}
	}
	decode(t, do(t, f.h, "PATCH", "/api/v1/sources/987654", body, auth...), 404)
	decode(t, do(t, f.h, "PATCH", "/api/v1/sources/x", body, auth...), 400)

	// An imported outlet, known by key only.
	imp := model.Article{URL: "https://spa.example/1", SourceName: "was", Outlet: "was", Title: "خبر", Text: "نص."}
	save(t, f.st, &imp)
	decode(t, do(t, f.h, "GET", "/api/v1/outlets/was", ""), 404)
	m = decode(t, do(t, f.h, "PATCH", "/api/v1/outlets/was", `{"name_ar": "واس", "country": "SA", "kind": "wire"}`, auth...), 200)
	if m["key"] != "was" || m["name_ar"] != "واس" {
		t.Errorf("patched outlet: %v", m)
	}
	if a := decode(t, do(t, f.h, "GET", "/api/v1/articles/"+id(imp), ""), 200); a["source"] != "واس" {
		t.Errorf("imported article shows %q", a["source"])
	}
	if l := list(t, decode(t, do(t, f.h, "GET", "/api/v1/outlets", ""), 200), "outlets"); len(l) != 2 {
		t.Errorf("outlets: %v", l)
	}
	decode(t, do(t, f.h, "PATCH", "/api/v1/outlets/12", `{"kind": "wire"}`, auth...), 400)
	decode(t, do(t, f.h, "PATCH", "/api/v1/outlets/was", `{"kind": "wire"}`), 401)
}

func TestStoryDetails(t *testing.T) {
	f := newFixture(t, nil)
	m := decode(t, do(t, f.h, "GET", "/api/v1/stories/"+strconv.FormatInt(f.ref.StoryID, 10), ""), 200)
	hasKeys(t, "story", m, "id", "title", "articles", "coverage", "first_report", "origin", "adds", "quotes", "timeline", "one_sided")
	if _, ok := m["summary"]; ok {
		t.Errorf("a story of two articles has a summary: %v", m["summary"])
	}
	cov := m["coverage"].(map[string]any)
	outs := cov["outlets"].([]any)
	if len(outs) != 2 {
		t.Fatalf("coverage %v", cov)
	}
	hasKeys(t, "coverage outlet", outs[0].(map[string]any), "outlet", "source", "source_id", "country", "kind", "articles", "first_published")
	if o := outs[0].(map[string]any); o["source"] != "المستقلة" || o["source_id"].(float64) != float64(f.src.ID) {
		t.Errorf("first outlet %v", o)
	}
	if _, ok := cov["countries"].(map[string]any); !ok {
		t.Errorf("countries %v", cov["countries"])
	}
	fr := m["first_report"].(map[string]any)
	if fr["article_id"].(float64) != float64(f.ref.ID) || fr["source"] != "المستقلة" {
		t.Errorf("first report %v", fr)
	}
	org := m["origin"].([]any)
	if len(org) != 1 {
		t.Fatalf("origin %v", org)
	}
	g := org[0].(map[string]any)
	if g["article_id"].(float64) != float64(f.ref.ID) || g["agency"] != "وكالة الصحافة المستقلة" || len(g["copies"].([]any)) != 1 {
		t.Errorf("origin group %v", g)
	}
	if tl := m["timeline"].([]any); len(tl) != 2 {
		t.Errorf("timeline %v", tl)
	}
	decode(t, do(t, f.h, "GET", "/api/v1/stories?one_sided=maybe", ""), 400)
	if l := list(t, decode(t, do(t, f.h, "GET", "/api/v1/stories?one_sided=true", ""), 200), "stories"); len(l) != 0 {
		t.Errorf("one-sided stories %v", l)
	}
	a := decode(t, do(t, f.h, "GET", "/api/v1/articles/"+id(f.ref), ""), 200)
	if _, ok := a["quotes"].([]any); !ok {
		t.Errorf("article quotes %v", a["quotes"])
	}
}

func TestArticleQuotes(t *testing.T) {
	f := newFixture(t, nil)
	a := model.Article{URL: "https://q.example/1", SourceName: "مصدر", Title: "تصريح",
		Text: "وقال المتحدث باسم الوزارة أحمد علي: «الاجتماع سيعقد في موعده المحدد الأسبوع المقبل»."}
	save(t, f.st, &a)
	m := decode(t, do(t, f.h, "GET", "/api/v1/articles/"+id(a), ""), 200)
	qs := m["quotes"].([]any)
	if len(qs) != 1 || qs[0].(map[string]any)["text"] != "الاجتماع سيعقد في موعده المحدد الأسبوع المقبل" ||
		qs[0].(map[string]any)["speaker"] == "" {
		t.Errorf("quotes %v", qs)
	}
}

// TestOneSidedStories: a story that three Saudi outlets cover, while a
// British one was active, is listed under one_sided=true with its lean;
// the fixture's own story, from one outlet, is not.
func TestOneSidedStories(t *testing.T) {
	f := newFixture(t, nil)
	story := storyinfotest.OneSided(t, f.st, testNow, func(a *model.Article) { save(t, f.st, a) })
	l := list(t, decode(t, do(t, f.h, "GET", "/api/v1/stories?one_sided=true", ""), 200), "stories")
	if len(l) != 1 || l[0]["id"].(float64) != float64(story) {
		t.Fatalf("one-sided stories %v, want story %d alone", l, story)
	}
	m := decode(t, do(t, f.h, "GET", "/api/v1/stories/"+strconv.FormatInt(story, 10), ""), 200)
	if m["one_sided"] != true || m["lean"] != "country:SA" {
		t.Errorf("story %d: one_sided %v, lean %v; want true, country:SA", story, m["one_sided"], m["lean"])
	}
	if c := m["coverage"].(map[string]any)["countries"].(map[string]any); c["SA"] != 3.0 {
		t.Errorf("coverage countries %v, want SA: 3 outlets", c)
	}
}
