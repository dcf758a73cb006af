package api

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A response that does not encode is not written: the error goes back to
// the handler's error path, which logs it and answers 500.
func TestWriteJSONFailureIsLogged(t *testing.T) {
	w := httptest.NewRecorder()
	if err := writeJSON(w, httptest.NewRequest("GET", "/x", nil), http.StatusOK, map[string]any{"c": make(chan int)}, true); err == nil {
		t.Fatal("no error for a value JSON cannot encode")
	}
	if w.Body.Len() != 0 || w.Header().Get("ETag") != "" {
		t.Errorf("half a response written: %q %v", w.Body, w.Header())
	}

	var logBuf bytes.Buffer
	s := &server{log: slog.New(slog.NewTextHandler(&logBuf, nil))}
	h := s.wrap(func(w http.ResponseWriter, r *http.Request) error {
		return ok(w, r, map[string]any{"c": make(chan int)})
	})
	w = httptest.NewRecorder()
	h(w, httptest.NewRequest("GET", "/api/v1/x", nil))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", w.Code)
	}
	if !strings.Contains(logBuf.String(), "level=ERROR") || !strings.Contains(logBuf.String(), "cannot encode response") {
		t.Errorf("the failure was not logged as an error: %q", logBuf.String())
	}
}
