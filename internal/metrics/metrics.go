// Package metrics keeps khabar's counters, gauges and histograms and writes
// them in the Prometheus text format (version 0.0.4) at /metrics. It is
// small on purpose: khabar needs a dozen series, not a client library.
package metrics

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Registry holds every series. The zero value is not usable; use New.
type Registry struct {
	mu     sync.Mutex
	order  []string
	series map[string]*family
	gauges map[string]func(context.Context) float64
}

type family struct {
	name, help, kind string
	buckets          []float64
	values           map[string]*value // by rendered label set
}

type value struct {
	labels string
	n      float64  // counter or gauge value
	counts []uint64 // histogram buckets (cumulative at write time)
	sum    float64  // histogram sum
	count  uint64   // histogram count
}

// New returns an empty Registry.
func New() *Registry {
	return &Registry{series: map[string]*family{}, gauges: map[string]func(context.Context) float64{}}
}

// DefBuckets are latency buckets in seconds, from 1 ms to 60 s.
var DefBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

func (r *Registry) family(name, help, kind string, buckets []float64) *family {
	f, ok := r.series[name]
	if !ok {
		f = &family{name: name, help: help, kind: kind, buckets: buckets, values: map[string]*value{}}
		r.series[name] = f
		r.order = append(r.order, name)
	}
	return f
}

// labels renders k=v pairs in the exposition syntax, escaped.
func labels(kv []string) string {
	if len(kv) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(kv[i])
		b.WriteString(`="`)
		b.WriteString(strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`).Replace(kv[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// Add adds delta to the counter name with the given label pairs.
func (r *Registry) Add(name, help string, delta float64, kv ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.family(name, help, "counter", nil)
	l := labels(kv)
	v, ok := f.values[l]
	if !ok {
		v = &value{labels: l}
		f.values[l] = v
	}
	v.n += delta
}

// Observe records one observation in the histogram name.
func (r *Registry) Observe(name, help string, x float64, kv ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.family(name, help, "histogram", DefBuckets)
	l := labels(kv)
	v, ok := f.values[l]
	if !ok {
		v = &value{labels: l, counts: make([]uint64, len(f.buckets))}
		f.values[l] = v
	}
	for i, ub := range f.buckets {
		if x <= ub {
			v.counts[i]++
			break
		}
	}
	v.sum += x
	v.count++
}

// ObserveSince records the seconds since start.
func (r *Registry) ObserveSince(name, help string, start time.Time, kv ...string) {
	r.Observe(name, help, time.Since(start).Seconds(), kv...)
}

// GaugeFunc registers a gauge read when the metrics are written, with the
// context of the request that asks for them.
func (r *Registry) GaugeFunc(name, help string, fn func(ctx context.Context) float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.family(name, help, "gauge", nil)
	r.gauges[name] = fn
}

// Write writes every series in the text exposition format; ctx is the
// gauges'.
func (r *Registry) Write(ctx context.Context, w io.Writer) error {
	r.mu.Lock()
	names := append([]string(nil), r.order...)
	r.mu.Unlock()
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		r.mu.Lock()
		f := r.series[name]
		fn := r.gauges[name]
		r.mu.Unlock()
		var gauge float64
		if fn != nil {
			gauge = fn(ctx) // outside the lock: it may query the store
		}
		r.mu.Lock()
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", f.name, f.help, f.name, f.kind)
		if fn != nil {
			fmt.Fprintf(&b, "%s %s\n", f.name, num(gauge))
		}
		keys := make([]string, 0, len(f.values))
		for k := range f.values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := f.values[k]
			if f.kind != "histogram" {
				fmt.Fprintf(&b, "%s%s %s\n", f.name, v.labels, num(v.n))
				continue
			}
			var cum uint64
			for i, ub := range f.buckets {
				cum += v.counts[i]
				fmt.Fprintf(&b, "%s_bucket%s %d\n", f.name, withLE(v.labels, num(ub)), cum)
			}
			fmt.Fprintf(&b, "%s_bucket%s %d\n", f.name, withLE(v.labels, "+Inf"), v.count)
			fmt.Fprintf(&b, "%s_sum%s %s\n%s_count%s %d\n", f.name, v.labels, num(v.sum), f.name, v.labels, v.count)
		}
		r.mu.Unlock()
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func withLE(l, le string) string {
	if l == "" {
		return `{le="` + le + `"}`
	}
	return l[:len(l)-1] + `,le="` + le + `"}`
}

func num(x float64) string {
	if math.IsInf(x, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// Handler serves the registry at /metrics.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		if err := r.Write(req.Context(), w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Instrument wraps h so that every request is counted and timed, labelled
// by route (a short, bounded name such as "article" or "api") and status.
func (r *Registry) Instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		h.ServeHTTP(rec, req)
		r.ObserveSince("khabar_http_request_duration_seconds", "Time to answer an HTTP request.", start, "route", route)
		r.Add("khabar_http_requests_total", "HTTP requests answered.", 1, "route", route, "code", strconv.Itoa(rec.status))
	})
}
