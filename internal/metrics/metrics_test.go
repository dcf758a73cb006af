package metrics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	r := New()
	r.Add("khabar_fetches_total", "Fetches.", 1, "status", "ok")
	r.Add("khabar_fetches_total", "Fetches.", 2, "status", "ok")
	r.Add("khabar_fetches_total", "Fetches.", 1, "status", `bad "quote"`)
	r.Observe("khabar_fetch_duration_seconds", "Fetch time.", 0.003)
	r.Observe("khabar_fetch_duration_seconds", "Fetch time.", 100)
	r.GaugeFunc("khabar_articles", "Articles stored.", func(context.Context) float64 { return 42 })
	var b strings.Builder
	if err := r.Write(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"# TYPE khabar_fetches_total counter",
		`khabar_fetches_total{status="ok"} 3`,
		`khabar_fetches_total{status="bad \"quote\""} 1`,
		"# TYPE khabar_fetch_duration_seconds histogram",
		`khabar_fetch_duration_seconds_bucket{le="0.005"} 1`,
		`khabar_fetch_duration_seconds_bucket{le="60"} 1`,
		`khabar_fetch_duration_seconds_bucket{le="+Inf"} 2`,
		"khabar_fetch_duration_seconds_count 2",
		"khabar_articles 42",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestInstrument(t *testing.T) {
	r := New()
	h := r.Instrument("page", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		http.NotFound(w, req)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `khabar_http_requests_total{route="page",code="404"} 1`) {
		t.Errorf("metrics:\n%s", rec.Body.String())
	}
}
