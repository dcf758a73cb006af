package api_test

import (
	"context"
	"strconv"
	"testing"

	"khabar/internal/model"
	"khabar/internal/store"
)

func TestEditOutlet(t *testing.T) {
	eachBackend(t, func(t *testing.T, backend string) {
		f := newFixture(t, nil, backend)
		ctx := context.Background()
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
		if _, err := f.st.SaveArticle(ctx, &imp, store.IndexData{}); err != nil {
			t.Fatal(err)
		}
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
	})
}
