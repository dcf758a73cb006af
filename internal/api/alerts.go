package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"khabar/internal/alerts"
	"khabar/internal/model"
	"khabar/internal/store"
)

// AlertJSON is a saved search and where it is delivered.
type AlertJSON struct {
	ID        int64      `json:"id"`
	Query     string     `json:"query"`
	Sources   []int64    `json:"sources"`
	Entities  []string   `json:"entities"`
	Webhook   string     `json:"webhook"`
	Email     string     `json:"email"`
	Feed      string     `json:"feed"` // path of the alert's RSS feed
	CreatedAt *time.Time `json:"created_at"`
}

func alertJSON(a model.Alert) AlertJSON {
	return AlertJSON{ID: a.ID, Query: a.Query, Sources: nonNil(a.SourceIDs), Entities: nonNil(a.Entities),
		Webhook: a.Webhook, Email: a.Email, Feed: fmt.Sprintf("/feeds/alerts/%d.xml", a.ID), CreatedAt: timePtr(a.CreatedAt)}
}

// authorize checks the bearer token of a request that reads or changes
// private data (alerts hold webhook URLs and addresses): 401 without a
// token, 403 with a wrong one or when writes are disabled.
func (s *server) authorize(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.CheckToken == nil {
		return &Error{Status: http.StatusForbidden, Code: "forbidden", Message: "writes are disabled on this server"}
	}
	token, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	if !found || token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="khabar"`)
		return &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "an Authorization: Bearer token is required"}
	}
	if !s.cfg.CheckToken(token) {
		// The caller is identified but not allowed: 403, so that a client
		// can tell "log in" (401) from "this token is wrong" (403).
		return &Error{Status: http.StatusForbidden, Code: "forbidden", Message: "the bearer token is not the admin token"}
	}
	return nil
}

// decodeBody reads a bounded JSON object into v, refusing unknown fields
// so that a misspelt field is an error rather than silently ignored.
func decodeBody(r *http.Request, v any, shape string) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &Error{Status: http.StatusBadRequest, Code: "bad_request", Message: "body: must be a JSON object " + shape + ": " + err.Error()}
	}
	return nil
}

func (s *server) listAlerts(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(w, r); err != nil {
		return err
	}
	as, err := s.cfg.Store.ListAlerts(r.Context())
	if err != nil {
		return fmt.Errorf("api: list alerts: %w", err)
	}
	out := make([]AlertJSON, 0, len(as))
	for _, a := range as {
		out = append(out, alertJSON(a))
	}
	return ok(w, r, struct {
		Alerts []AlertJSON `json:"alerts"`
		Total  int         `json:"total"`
	}{out, len(out)})
}

func (s *server) getAlert(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(w, r); err != nil {
		return err
	}
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.cfg.Store.GetAlert(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(fmt.Sprintf("alert %d", id))
	}
	if err != nil {
		return fmt.Errorf("api: get alert %d: %w", id, err)
	}
	return ok(w, r, alertJSON(a))
}

func (s *server) alertArticles(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(w, r); err != nil {
		return err
	}
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	p, err := ParsePage(r.URL.Query(), DefaultLimit, MaxLimit)
	if err != nil {
		return err
	}
	if _, err := s.cfg.Store.GetAlert(r.Context(), id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return notFound(fmt.Sprintf("alert %d", id))
		}
		return fmt.Errorf("api: get alert %d: %w", id, err)
	}
	as, err := s.cfg.Store.Delivered(r.Context(), id, p.Limit)
	if err != nil {
		return fmt.Errorf("api: delivered for alert %d: %w", id, err)
	}
	return ok(w, r, struct {
		Articles []ArticleItemJSON `json:"articles"`
	}{itemsJSON(as)})
}

func (s *server) deleteAlert(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(w, r); err != nil {
		return err
	}
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.cfg.Store.GetAlert(r.Context(), id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return notFound(fmt.Sprintf("alert %d", id))
		}
		return fmt.Errorf("api: get alert %d: %w", id, err)
	}
	if err := s.cfg.Store.DeleteAlert(r.Context(), id); err != nil {
		return fmt.Errorf("api: delete alert %d: %w", id, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) addAlert(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(w, r); err != nil {
		return err
	}
	var in alerts.Input
	if err := decodeBody(r, &in, `{"query": ..., "sources": [...], "entities": [...], "webhook": ..., "email": ...}`); err != nil {
		return err
	}
	a, err := alerts.NewAlert(r.Context(), s.cfg.Store, s.cfg.Search, in)
	var fe *alerts.FieldError
	if errors.As(err, &fe) {
		return badParam(fe.Field, fe.Why)
	}
	if err != nil {
		return fmt.Errorf("api: %w", err)
	}
	a.CreatedAt = s.now()
	if err := s.cfg.Store.AddAlert(r.Context(), &a); err != nil {
		return fmt.Errorf("api: add alert: %w", err)
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/alerts/%d", a.ID))
	return writeJSON(w, r, http.StatusCreated, alertJSON(a), false)
}
