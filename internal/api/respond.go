package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"khabar/internal/model"
)

// writeJSON encodes v and writes it with status. With etag set (successful
// GETs), the body's hash becomes a strong ETag and a matching
// If-None-Match is answered with 304 and no body. When v does not encode,
// nothing is written and the error is returned: the caller's error path
// logs it and answers 500.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any, etag bool) error {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return fmt.Errorf("api: cannot encode response: %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if etag && status == http.StatusOK {
		sum := sha256.Sum256(buf.Bytes())
		tag := `"` + hex.EncodeToString(sum[:16]) + `"`
		h.Set("ETag", tag)
		h.Set("Cache-Control", "no-cache")
		if etagMatches(r.Header.Get("If-None-Match"), tag) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
	return nil
}

// etagMatches implements If-None-Match's weak comparison over a list.
func etagMatches(header, tag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

func ok(w http.ResponseWriter, r *http.Request, v any) error {
	return writeJSON(w, r, http.StatusOK, v, true)
}

// Page is a validated limit and offset.
type Page struct{ Limit, Offset int }

// ParsePage reads limit and offset from a query: limit defaults to def and
// is capped at max; a value that is not a number, a limit below 1 or a
// negative offset is an error naming the parameter.
func ParsePage(q interface{ Get(string) string }, def, max int) (Page, error) {
	p := Page{Limit: def}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, badParam("limit", "must be an integer, got "+strconv.Quote(v))
		}
		if n < 1 {
			return p, badParam("limit", "must be at least 1")
		}
		p.Limit = min(n, max)
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, badParam("offset", "must be an integer, got "+strconv.Quote(v))
		}
		if n < 0 {
			return p, badParam("offset", "must not be negative")
		}
		p.Offset = n
	}
	return p, nil
}

func parseID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, badParam(name, "must be a positive integer, got "+strconv.Quote(v))
	}
	return id, nil
}

func parseOptionalID(q interface{ Get(string) string }, name string) (int64, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, badParam(name, "must be a positive integer, got "+strconv.Quote(v))
	}
	return id, nil
}

func parseIDList(q interface{ Get(string) string }, name string) ([]int64, error) {
	v := q.Get(name)
	if v == "" {
		return nil, nil
	}
	var ids []int64
	for _, f := range strings.Split(v, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil || id < 1 {
			return nil, badParam(name, "must be a comma-separated list of positive integers, got "+strconv.Quote(v))
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func parseTime(q interface{ Get(string) string }, name string) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, badParam(name, "must be an RFC 3339 time such as 2024-03-02T10:00:00Z, got "+strconv.Quote(v))
	}
	return t, nil
}

// timePtr gives nil for the zero time so that unknown times encode as null.
// timePtr is t for JSON, nil when unknown, or when it cannot be written
// as RFC 3339 (a year past 9999 stored before dates were checked).
func timePtr(t time.Time) *time.Time {
	if t.IsZero() || !model.Encodable(t) {
		return nil
	}
	return &t
}

func idPtr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
