package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"khabar/internal/api"
	"khabar/internal/model"
)

type alertsPage struct {
	Base
	CanWrite bool
	Form     api.AlertInput
	Created  *model.Alert
	Error    string
}

// alerts shows the form that saves a search as an alert.
func (s *Server) alerts(w http.ResponseWriter, r *http.Request) {
	p := &alertsPage{Base: s.newBase(r, ""), CanWrite: s.cfg.CheckToken != nil}
	p.Title = p.T.Alerts
	p.Form.Query = strings.TrimSpace(r.URL.Query().Get("q"))
	s.render(w, r, http.StatusOK, "alerts", p)
}

// addAlert saves an alert from the form; the admin token guards it as it
// guards adding sources.
func (s *Server) addAlert(w http.ResponseWriter, r *http.Request) {
	p := &alertsPage{Base: s.newBase(r, ""), CanWrite: s.cfg.CheckToken != nil}
	p.Title = p.T.Alerts
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		p.Error = "form: " + err.Error()
		s.render(w, r, http.StatusBadRequest, "alerts", p)
		return
	}
	p.Form = api.AlertInput{Query: r.FormValue("query"), Webhook: strings.TrimSpace(r.FormValue("webhook")),
		Email: strings.TrimSpace(r.FormValue("email"))}
	if status, msg := s.checkFormToken(r); status != http.StatusOK {
		p.Error = msg
		s.render(w, r, status, "alerts", p)
		return
	}
	a, err := api.NewAlert(r.Context(), s.cfg.Store, s.cfg.Search, p.Form)
	var ae *api.Error
	if errors.As(err, &ae) {
		p.Error = ae.Message
		s.render(w, r, ae.Status, "alerts", p)
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: check alert: %w", err))
		return
	}
	a.CreatedAt = s.now()
	if err := s.cfg.Store.AddAlert(r.Context(), &a); err != nil {
		s.fail(w, r, fmt.Errorf("web: add alert: %w", err))
		return
	}
	p.Created = &a
	s.render(w, r, http.StatusCreated, "alerts", p)
}
